// Parsed ASN.1 kept between inspections, keyed by the SHA-256 of the DER: the same certificates, CMS and
// revocation data come back in every file a portal checks (its CA's chain, its TSA), and asn1js parses at about a
// microsecond a byte. Bounded (least recently used first out); a collision would need a SHA-256 collision.
import { sha256 } from '@noble/hashes/sha2.js';

export function keyOf(bytes: Uint8Array): string {
  const h = sha256(bytes);
  let s = '';
  for (const b of h) s += b.toString(16).padStart(2, '0');
  return s;
}

export class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}

  /** The value for `bytes`, made by `make` the first time (a throw is not remembered). */
  get(bytes: Uint8Array, make: () => V): V {
    const key = keyOf(bytes);
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = make();
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
    return value;
  }
}
