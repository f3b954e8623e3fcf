// The standard security handler, AES-256 only (PDF 2.0, ISO 32000-2 §7.6.4: /V 5, /R 6, and the Adobe
// extension level 3 /R 5): checks a user or owner password and decrypts strings and streams (AESV3: AES-256-CBC
// with the IV in the first 16 bytes). Older handlers (RC4, AES-128) are reported as unsupported. Signatures
// themselves never need this: /Contents of a signature dictionary is not encrypted (§7.6.1), and the signed
// bytes are the encrypted file; only the texts (/Name, /Reason, field names) do.
import { isDict, isName, isRef, isString, nameOf, type Decryptor, type Dict, type PdfFile, type Value } from '@esign-kit/core';

export type Encryption =
  | { encrypted: false }
  | { encrypted: true; supported: false }
  | { encrypted: true; supported: true; revision: 5 | 6; o: Uint8Array; u: Uint8Array; oe: Uint8Array; ue: Uint8Array; encryptObject: number | undefined };

const subtle = () => globalThis.crypto.subtle;

export async function encryptionOf(file: PdfFile): Promise<Encryption> {
  const raw = file.trailer?.dict.get('Encrypt');
  if (raw === undefined || raw === null) return { encrypted: false };
  const dict = await file.resolve(raw);
  if (!isDict(dict)) return { encrypted: true, supported: false };
  const d = dict.dict;
  const v = d.get('V');
  const r = d.get('R');
  const get = (key: string) => {
    const s = d.get(key);
    return isString(s) ? s.bytes : undefined;
  };
  const [o, u, oe, ue] = [get('O'), get('U'), get('OE'), get('UE')];
  if (nameOf(d.get('Filter')) !== 'Standard' || v !== 5 || (r !== 5 && r !== 6) || !o || !u || !oe || !ue) {
    return { encrypted: true, supported: false };
  }
  if (o.length < 48 || u.length < 48 || oe.length < 32 || ue.length < 32) return { encrypted: true, supported: false };
  if (!aesV3Everywhere(d)) return { encrypted: true, supported: false };
  return { encrypted: true, supported: true, revision: r, o, u, oe, ue, encryptObject: isRef(raw) ? raw.num : undefined };
}

function aesV3Everywhere(d: Map<string, Value>): boolean {
  const cf = d.get('CF');
  for (const key of ['StmF', 'StrF']) {
    const name = nameOf(d.get(key)) ?? 'Identity';
    if (name === 'Identity') continue;
    const filter = isDict(cf) ? cf.dict.get(name) : undefined;
    if (!isDict(filter) || nameOf(filter.dict.get('CFM')) !== 'AESV3') return false;
  }
  return true;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function aesCbcEncryptNoPadding(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await subtle().importKey('raw', concat(key), 'AES-CBC', false, ['encrypt']);
  const out = new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv: concat(iv) }, k, concat(data)));
  return out.subarray(0, data.length); // WebCrypto always pads: drop the padding block
}

/** AES-CBC decryption of whole blocks without padding: WebCrypto insists on PKCS#7, so a padding block is forged. */
async function aesCbcDecryptNoPadding(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await subtle().importKey('raw', concat(key), 'AES-CBC', false, ['encrypt', 'decrypt']);
  const last = data.subarray(data.length - 16);
  const pad = new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv: concat(last) }, k, new Uint8Array(16).fill(16))).subarray(0, 16);
  return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: concat(iv) }, k, concat(data, pad)));
}

/** Algorithm 2.B (ISO 32000-2 §7.6.4.3.4); revision 5 is a single SHA-256. */
async function hash(revision: 5 | 6, password: Uint8Array, salt: Uint8Array, udata: Uint8Array): Promise<Uint8Array> {
  let k = new Uint8Array(await subtle().digest('SHA-256', concat(password, salt, udata)));
  if (revision === 5) return k;
  for (let round = 0; ; round++) {
    const block = concat(password, k, udata);
    const k1 = new Uint8Array(block.length * 64);
    for (let i = 0; i < 64; i++) k1.set(block, i * block.length);
    const e = await aesCbcEncryptNoPadding(k.subarray(0, 16), k.subarray(16, 32), k1);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    const next = ['SHA-256', 'SHA-384', 'SHA-512'][sum % 3]!;
    k = new Uint8Array(await subtle().digest(next, concat(e)));
    if (round >= 63 && e[e.length - 1]! <= round + 1 - 32) break;
  }
  return k.subarray(0, 32);
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The decryptor when `password` opens the file (as its owner or user), else 'incorrect'. */
export async function checkPassword(
  enc: Extract<Encryption, { supported: true }>,
  password: string,
): Promise<Decryptor | 'incorrect'> {
  const pwd = new TextEncoder().encode(password.normalize('NFKC')).subarray(0, 127);
  const u48 = enc.u.subarray(0, 48);
  let fileKey: Uint8Array | undefined;
  if (equal(await hash(enc.revision, pwd, enc.o.subarray(32, 40), u48), enc.o.subarray(0, 32))) {
    const key = await hash(enc.revision, pwd, enc.o.subarray(40, 48), u48);
    fileKey = await aesCbcDecryptNoPadding(key, new Uint8Array(16), enc.oe.subarray(0, 32));
  } else if (equal(await hash(enc.revision, pwd, enc.u.subarray(32, 40), new Uint8Array()), enc.u.subarray(0, 32))) {
    const key = await hash(enc.revision, pwd, enc.u.subarray(40, 48), new Uint8Array());
    fileKey = await aesCbcDecryptNoPadding(key, new Uint8Array(16), enc.ue.subarray(0, 32));
  }
  if (!fileKey) return 'incorrect';
  const key = await subtle().importKey('raw', concat(fileKey), 'AES-CBC', false, ['decrypt']);
  return {
    encryptObject: enc.encryptObject,
    async decrypt(data: Uint8Array): Promise<Uint8Array> {
      if (data.length < 32 || data.length % 16 !== 0) return data.length < 16 ? new Uint8Array() : data;
      return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: concat(data.subarray(0, 16)) }, key, concat(data.subarray(16))));
    },
  };
}

/** Decrypts, in place, every string of an object read from the file (not /Contents of a signature dictionary). */
