// The standard security handler (PDF 32000-1 §7.6.3, ISO 32000-2 §7.6.4): RC4 (40 to 128 bits, /V 1, 2, 4 with
// /CFM /V2), AES-128 (/V 4, /CFM /AESV2) and AES-256 (/V 5, /R 5 and 6). Checks a user or owner password and
// decrypts strings and streams. Signatures themselves never need this: /Contents of a signature dictionary is not
// encrypted (§7.6.1) and the signed bytes are the encrypted file; only the texts (/Name, /Reason, field names) and
// the streams (object streams, the /DSS) do.
//
// RC4 and AES-128 keys differ per object (algorithm 1: MD5 of the file key, the object number and generation),
// but the core's reader hands a decryptor only the bytes. Streams are recognised by their offset in the file
// (the reader passes a view of the file's own buffer), so they are decrypted there; strings come as fresh
// arrays, so they are marked and decrypted right after their object is read (`finishObject`, called by
// revisions.ts's Snapshot, which knows the object number).
import { md5 } from '@noble/hashes/legacy.js';
import { smallDigest } from './algorithms.js';
import { Lexer, isDict, isRef, isString, nameOf, type Decryptor, type PdfFile, type Value, type XrefEntry } from '@esign-kit/pdf';

type Method = 'rc4' | 'aes128' | 'identity';

export type Encryption =
  | { encrypted: false }
  | { encrypted: true; supported: false }
  | {
      encrypted: true;
      supported: true;
      kind: 'aes256';
      revision: 5 | 6;
      o: Uint8Array;
      u: Uint8Array;
      oe: Uint8Array;
      ue: Uint8Array;
      encryptObject: number | undefined;
    }
  | {
      encrypted: true;
      supported: true;
      kind: 'legacy';
      revision: 2 | 3 | 4;
      /** File key length in bytes. */
      length: number;
      o: Uint8Array;
      u: Uint8Array;
      p: number;
      id: Uint8Array;
      encryptMetadata: boolean;
      streams: Method;
      strings: Method;
      encryptObject: number | undefined;
      file: PdfFile;
    };

const subtle = () => globalThis.crypto.subtle;

/** The padding string of algorithm 2 (§7.6.3.3). */
const PAD = new Uint8Array([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c,
  0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

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
  const encryptObject = isRef(raw) ? raw.num : undefined;
  if (nameOf(d.get('Filter')) !== 'Standard') return { encrypted: true, supported: false };
  const [o, u] = [get('O'), get('U')];
  if (!o || !u) return { encrypted: true, supported: false };
  if (v === 5 && (r === 5 || r === 6)) {
    const [oe, ue] = [get('OE'), get('UE')];
    if (!oe || !ue || o.length < 48 || u.length < 48 || oe.length < 32 || ue.length < 32) return { encrypted: true, supported: false };
    if (!filtersAre(d, 'AESV3')) return { encrypted: true, supported: false };
    return { encrypted: true, supported: true, kind: 'aes256', revision: r, o, u, oe, ue, encryptObject };
  }
  if ((v !== 1 && v !== 2 && v !== 4) || (r !== 2 && r !== 3 && r !== 4) || o.length < 32 || u.length < 32) return { encrypted: true, supported: false };
  const ids = file.trailer?.dict.get('ID');
  const id = Array.isArray(ids) && isString(ids[0]) ? ids[0].bytes : new Uint8Array();
  const p = d.get('P');
  let streams: Method = 'rc4';
  let strings: Method = 'rc4';
  let length = v === 1 ? 5 : Math.floor(Number(d.get('Length') ?? 40) / 8);
  if (v === 4) {
    const method = (key: string): Method | undefined => {
      const name = nameOf(d.get(key)) ?? 'Identity';
      if (name === 'Identity') return 'identity';
      const cf = d.get('CF');
      const filter = isDict(cf) ? cf.dict.get(name) : undefined;
      const cfm = isDict(filter) ? nameOf(filter.dict.get('CFM')) : undefined;
      return cfm === 'V2' ? 'rc4' : cfm === 'AESV2' ? 'aes128' : cfm === 'None' ? 'identity' : undefined;
    };
    const [s, t] = [method('StmF'), method('StrF')];
    if (!s || !t) return { encrypted: true, supported: false };
    streams = s;
    strings = t;
    length = Math.floor(Number(d.get('Length') ?? 128) / 8);
    if (streams === 'aes128' || strings === 'aes128') length = 16;
  }
  if (r === 2) length = 5;
  if (length < 5 || length > 16) return { encrypted: true, supported: false };
  return {
    encrypted: true,
    supported: true,
    kind: 'legacy',
    revision: r,
    length,
    o: o.subarray(0, 32),
    u: u.subarray(0, 32),
    p: typeof p === 'number' ? p : 0,
    id,
    encryptMetadata: d.get('EncryptMetadata') !== false,
    streams,
    strings,
    encryptObject,
    file,
  };
}

function filtersAre(d: Map<string, Value>, cfm: string): boolean {
  const cf = d.get('CF');
  for (const key of ['StmF', 'StrF']) {
    const name = nameOf(d.get(key)) ?? 'Identity';
    if (name === 'Identity') continue;
    const filter = isDict(cf) ? cf.dict.get(name) : undefined;
    if (!isDict(filter) || nameOf(filter.dict.get('CFM')) !== cfm) return false;
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

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

// ── AES-256 (/V 5) ────────────────────────────────────────────────────────────────────────────────────

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
  // The digests are computed in place (algorithms.ts smallDigest): 64 or more rounds of WebCrypto round trips
  // would each wait for a worker thread.
  let k = smallDigest('SHA-256', concat(password, salt, udata));
  if (revision === 5) return k;
  for (let round = 0; ; round++) {
    const block = concat(password, k, udata);
    const k1 = new Uint8Array(block.length * 64);
    for (let i = 0; i < 64; i++) k1.set(block, i * block.length);
    const e = await aesCbcEncryptNoPadding(k.subarray(0, 16), k.subarray(16, 32), k1);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    const next = (['SHA-256', 'SHA-384', 'SHA-512'] as const)[sum % 3]!;
    k = smallDigest(next, e);
    if (round >= 63 && e[e.length - 1]! <= round + 1 - 32) break;
  }
  return k.subarray(0, 32);
}

/** AES-CBC with the IV in the first 16 bytes and PKCS#7 padding (AESV2 and AESV3, §7.6.2). */
async function aesDecrypt(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  if (data.length < 32 || data.length % 16 !== 0) return data.length < 16 ? new Uint8Array() : data;
  return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: concat(data.subarray(0, 16)) }, key, concat(data.subarray(16))));
}

async function checkAes256(enc: Extract<Encryption, { kind: 'aes256' }>, password: string): Promise<Decryptor | 'incorrect'> {
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
    decrypt: (data: Uint8Array) => aesDecrypt(key, data),
  };
}

// ── RC4 and AES-128 (/V 1, 2, 4; /R 2–4) ─────────────────────────────────────────────────────────────

/** RC4 (encryption and decryption are the same operation). */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

/** The password, PDFDocEncoding (≈ Latin-1), padded or cut to 32 bytes with the padding string. */
function padded(password: string): Uint8Array {
  const out = new Uint8Array(32);
  const n = Math.min(32, password.length);
  for (let i = 0; i < n; i++) out[i] = password.charCodeAt(i) & 0xff;
  out.set(PAD.subarray(0, 32 - n), n);
  return out;
}

/** Algorithm 2: the file key from a (padded) user password. */
function fileKey(enc: Extract<Encryption, { kind: 'legacy' }>, pwd: Uint8Array): Uint8Array {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setInt32(0, enc.p, true);
  const parts = [pwd, enc.o, p, enc.id];
  if (enc.revision >= 4 && !enc.encryptMetadata) parts.push(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
  let h = md5(concat(...parts));
  if (enc.revision >= 3) for (let i = 0; i < 50; i++) h = md5(h.subarray(0, enc.length));
  return h.subarray(0, enc.length);
}

const xorKey = (key: Uint8Array, i: number) => key.map((b) => b ^ i);

/** Algorithms 4 and 5 (6): whether `pwd` is the user password; the file key when it is. */
function userKey(enc: Extract<Encryption, { kind: 'legacy' }>, pwd: Uint8Array): Uint8Array | undefined {
  const key = fileKey(enc, pwd);
  if (enc.revision === 2) return equal(rc4(key, PAD), enc.u) ? key : undefined;
  let x = rc4(key, md5(concat(PAD, enc.id)));
  for (let i = 1; i <= 19; i++) x = rc4(xorKey(key, i), x);
  return equal(x.subarray(0, 16), enc.u.subarray(0, 16)) ? key : undefined;
}

/** Algorithm 7: the user password recovered with the owner password, then checked as the user's. */
function ownerKey(enc: Extract<Encryption, { kind: 'legacy' }>, password: string): Uint8Array | undefined {
  let h = md5(padded(password));
  if (enc.revision >= 3) for (let i = 0; i < 50; i++) h = md5(h);
  const key = h.subarray(0, enc.length);
  let user: Uint8Array;
  if (enc.revision === 2) user = rc4(key, enc.o);
  else {
    user = enc.o;
    for (let i = 19; i >= 0; i--) user = rc4(xorKey(key, i), user);
  }
  return userKey(enc, user);
}

/** Algorithm 1: the key of one object. */
function objectKey(key: Uint8Array, num: number, gen: number, aes: boolean): Uint8Array {
  const extra = new Uint8Array([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
  const salt = aes ? new Uint8Array([0x73, 0x41, 0x6c, 0x54]) : new Uint8Array();
  return md5(concat(key, extra, salt)).subarray(0, Math.min(key.length + 5, 16));
}

/** Per-object decryption for RC4 and AES-128 files (see the header): streams by offset, strings once their object is known. */
class ObjectDecryption {
  /** Strings handed to the decryptor, waiting for their object's number. */
  private readonly pending = new WeakSet<Uint8Array>();
  /** Offsets of the objects stored in the file, ascending, to find the object a stream belongs to. */
  private offsets: { offset: number; num: number }[] | undefined;

  /** Each object's AES key, imported once for all its strings and its stream (this file only). */
  private readonly aesKeys = new Map<string, Promise<CryptoKey>>();

  private async decryptWith(method: Method, num: number, gen: number, data: Uint8Array): Promise<Uint8Array> {
    if (method === 'identity') return data;
    const k = objectKey(this.key, num, gen, method === 'aes128');
    if (method === 'rc4') return rc4(k, data);
    const id = `${num} ${gen}`;
    let key = this.aesKeys.get(id);
    if (!key) {
      key = subtle().importKey('raw', concat(k), 'AES-CBC', false, ['decrypt']);
      this.aesKeys.set(id, key);
    }
    return aesDecrypt(await key, data).catch(() => data);
  }

  /** The object (number and generation) whose stream starts at `offset`. */
  private objectAt(offset: number): { num: number; gen: number } | undefined {
    const file = this.enc.file;
    if (!this.offsets) {
      const all: { offset: number; num: number }[] = [];
      for (const section of file.sections) for (const [num, e] of section.entries) if (e.type === 1) all.push({ offset: e.offset, num });
      all.sort((a, b) => a.offset - b.offset);
      this.offsets = all;
    }
    let lo = 0;
    let hi = this.offsets.length - 1;
    let found: { offset: number; num: number } | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid]!.offset <= offset) {
        found = this.offsets[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (!found) return undefined;
    return { num: found.num, gen: generationAt(file, found.offset) };
  }

  readonly decryptor: Decryptor;

  constructor(
    readonly enc: Extract<Encryption, { kind: 'legacy' }>,
    readonly key: Uint8Array,
  ) {
    this.decryptor = { encryptObject: enc.encryptObject, decrypt: (data) => this.decrypt(data) };
  }

  private async decrypt(data: Uint8Array): Promise<Uint8Array> {
    const bytes = this.enc.file.bytes;
    if (data.buffer === bytes.buffer && data.byteOffset >= bytes.byteOffset && data.byteOffset + data.length <= bytes.byteOffset + bytes.length) {
      // A stream: a view of the file itself.
      const object = this.objectAt(data.byteOffset - bytes.byteOffset);
      return object ? this.decryptWith(this.enc.streams, object.num, object.gen, data) : data;
    }
    this.pending.add(data);
    return data;
  }

  /** Decrypts the strings of object `num` (read from the file at `entry`) the reader left marked. */
  async finishObject(num: number, entry: XrefEntry, value: Value | undefined): Promise<void> {
    if (num === this.enc.encryptObject) return;
    const gen = generationAt(this.enc.file, entry.offset);
    const visit = async (v: Value | undefined, depth: number): Promise<void> => {
      if (depth > 64) return;
      if (Array.isArray(v)) {
        for (const item of v) await visit(item, depth + 1);
      } else if (isDict(v)) {
        for (const item of v.dict.values()) await visit(item, depth + 1);
      }
      if (isString(v) && this.pending.has(v.bytes)) {
        this.pending.delete(v.bytes);
        v.bytes = await this.decryptWith(this.enc.strings, num, gen, v.bytes);
      }
    };
    await visit(value, 0);
  }
}

function generationAt(file: PdfFile, offset: number): number {
  try {
    const lexer = new Lexer(file.bytes, offset);
    lexer.word();
    const gen = Number(lexer.word());
    return Number.isInteger(gen) ? gen : 0;
  } catch {
    return 0;
  }
}

const OBJECT_DECRYPTION = new WeakMap<PdfFile, ObjectDecryption>();

/** The per-object string decryption of an RC4 or AES-128 file, if `file` is one (used by revisions.ts). */
export function finishObject(file: PdfFile, num: number, entry: XrefEntry, value: Value | undefined): Promise<void> | undefined {
  return OBJECT_DECRYPTION.get(file)?.finishObject(num, entry, value);
}

/** The decryptor when `password` opens the file (as its owner or user), else 'incorrect'. */
export async function checkPassword(enc: Extract<Encryption, { supported: true }>, password: string): Promise<Decryptor | 'incorrect'> {
  if (enc.kind === 'aes256') return checkAes256(enc, password);
  const key = userKey(enc, padded(password)) ?? ownerKey(enc, password);
  if (!key) return 'incorrect';
  const decryption = new ObjectDecryption(enc, key);
  OBJECT_DECRYPTION.set(enc.file, decryption);
  return decryption.decryptor;
}
