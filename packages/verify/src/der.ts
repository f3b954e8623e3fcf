// Every ASN.1 read of attacker-controlled bytes goes through here, with limits that grow with the input instead of
// asn1js's defaults: its default of 10 000 nodes refuses a real Acrobat signature carrying its issuer's CRL (a CRL
// of a few thousand revoked certificates is tens of thousands of nodes), while an unbounded parse of a hostile
// /Contents could allocate without end. A node takes at least two bytes (tag and length), so `bytes / 2` nodes is
// all well-formed DER can hold; the cap keeps a pathological file within a few hundred MB of parser objects.
// Embedded parsing (asn1js trying every OCTET and BIT STRING as nested DER) is off: pkijs parses the contents it
// needs itself, and guessing would multiply the work on hostile input.
import * as asn1js from 'asn1js';

/** Above every real signature or CRL seen (the largest CRLs in the wild are ≈ 40 MB, ≈ 4 million nodes). */
export const MAX_ASN1_NODES = 4_000_000;
export const MAX_ASN1_DEPTH = 64;

export function berOptions(length: number) {
  return {
    maxNodes: Math.min(MAX_ASN1_NODES, Math.ceil(length / 2) + 16),
    maxDepth: MAX_ASN1_DEPTH,
    maxContentLength: Math.max(length, 1),
    parseEmbedded: false,
  };
}

/** Parses one DER element; undefined when it is not valid BER within the limits. */
export function parseDer(bytes: Uint8Array | ArrayBuffer): asn1js.AsnType | undefined {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const asn1 = asn1js.fromBER(view as Uint8Array<ArrayBuffer>, berOptions(view.length));
  return asn1.offset === -1 ? undefined : asn1.result;
}

/** Parses one DER element, or throws with asn1js's reason. */
export function parseDerOrThrow(bytes: Uint8Array | ArrayBuffer): asn1js.AsnType {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const asn1 = asn1js.fromBER(view as Uint8Array<ArrayBuffer>, berOptions(view.length));
  if (asn1.offset === -1) throw new SyntaxError(asn1.result.error || 'not DER');
  return asn1.result;
}

/** Reads a pkijs object (Certificate, CertificateRevocationList, TSTInfo…) from DER with the limits above. */
export function readPki<T>(bytes: Uint8Array | ArrayBuffer, Type: new (parameters: { schema: asn1js.AsnType }) => T): T {
  return new Type({ schema: parseDerOrThrow(bytes) });
}

/** The length of the DER element at the start of `bytes` (the /Contents hole is padded with zeros). */
export function derLength(bytes: Uint8Array): number {
  if (bytes.length < 2) return -1;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || bytes.length < 2 + count) return -1; // indefinite lengths: let asn1js find the end
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i]!;
  return 2 + count + length;
}

// ── A bare walk by tag and length ─────────────────────────────────────────────────────────────────
// asn1js builds an object per node (several, with pkijs's schema matching on top): tens of microseconds per
// certificate field. Where only the layout is needed — which fields a SignedData, a SignerInfo or a CRL has, and
// where their bytes are — the elements are found by their tag and length alone, and asn1js reads only the pieces
// that are then used. DER, and BER's indefinite lengths (constructed elements ended by 00 00, as many signing
// tools write a CMS); one-byte tags only: anything else answers undefined, and the caller falls back to asn1js's
// parse of the whole.

/** One element of `bytes`: its first identifier byte; where it starts, its content starts and ends, and it ends. */
export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  /** Where the content ends: `end`, or the end-of-contents octets of an indefinite length. */
  contentEnd: number;
  end: number;
}

/** The element at `at`, ending at or before `limit`; undefined when it is not one within the limit. */
export function readTlv(bytes: Uint8Array, at: number, limit: number = bytes.length, depth = 0): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // a tag number above 30 (never in the structures walked here)
  const first = bytes[at + 1]!;
  let length = first;
  let contentStart = at + 2;
  if (first === 0x80) {
    // Indefinite length (BER, constructed only): the children up to the end-of-contents octets.
    if (!(tag & 0x20) || depth >= MAX_ASN1_DEPTH) return undefined;
    for (let p = contentStart; ;) {
      if (p + 2 > limit) return undefined;
      if (bytes[p] === 0 && bytes[p + 1] === 0) return { tag, start: at, contentStart, contentEnd: p, end: p + 2 };
      const child = readTlv(bytes, p, limit, depth + 1);
      if (!child) return undefined;
      p = child.end;
    }
  }
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count > 4 || at + 2 + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at + 2 + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  return end <= limit ? { tag, start: at, contentStart, contentEnd: end, end } : undefined;
}

/** The elements inside a constructed element, in order; undefined unless they fill its content exactly. */
export function childrenOf(bytes: Uint8Array, parent: Tlv, max = Infinity): Tlv[] | undefined {
  if (!(parent.tag & 0x20)) return undefined; // primitive
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.contentEnd;) {
    if (out.length >= max) return undefined;
    const child = readTlv(bytes, at, parent.contentEnd);
    if (!child) return undefined;
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The bytes of an element (a view). */
export const bytesOf = (bytes: Uint8Array, tlv: Tlv): Uint8Array => bytes.subarray(tlv.start, tlv.end);

/** The dotted text of a DER OBJECT IDENTIFIER element (X.690 §8.19), or undefined when it is not one. */
export function oidOf(bytes: Uint8Array, tlv: Tlv | undefined): string | undefined {
  if (!tlv || tlv.tag !== 0x06 || tlv.end === tlv.contentStart) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (let i = tlv.contentStart; i < tlv.end; i++) {
    const b = bytes[i]!;
    if (value === 0 && b === 0x80) return undefined; // a non-minimal arc
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if (b & 0x80) continue;
    if (arcs.length === 0) arcs.push(value < 40 ? 0 : value < 80 ? 1 : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  return bytes[tlv.end - 1]! & 0x80 ? undefined : arcs.join('.');
}

/** Whether an element is well-formed all the way down (constructed elements exactly filled by their children). */
export function isWellFormed(bytes: Uint8Array, tlv: Tlv, depth = 0): boolean {
  if (!(tlv.tag & 0x20)) return true;
  if (depth >= MAX_ASN1_DEPTH) return false;
  for (let at = tlv.contentStart; at < tlv.contentEnd;) {
    const child = readTlv(bytes, at, tlv.contentEnd);
    if (!child || !isWellFormed(bytes, child, depth + 1)) return false;
    at = child.end;
  }
  return true;
}
