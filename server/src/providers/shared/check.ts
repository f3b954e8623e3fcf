// Small shared checks: caller input (InputError naming the field) and response bodies (ProviderError).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { badResponse, invalid } from './errors.js';
import { SpooledFile, type ProviderId } from './types.js';

const NIK = /^\d{16}$/;
// Deliberately simple (one @, a dot in the domain, no spaces): providers do their own stricter check.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requireString(value: unknown, field: string, max?: number): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(field, `${field} is required and must be a non-empty string.`);
  if (max !== undefined && value.length > max) invalid(field, `${field} must be at most ${max} characters long.`);
  return value;
}

export function optionalString(value: unknown, field: string, max?: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requireString(value, field, max);
}

export function requireNik(value: unknown, field = 'nik'): string {
  if (typeof value !== 'string' || !NIK.test(value)) invalid(field, `${field} must be a 16-digit NIK.`);
  return value;
}

export function requireEmail(value: unknown, field = 'email', max = 80): string {
  if (typeof value !== 'string' || !EMAIL.test(value)) invalid(field, `${field} must be an e-mail address.`);
  if (value.length > max) invalid(field, `${field} must be at most ${max} characters long.`);
  return value;
}

export function requireOtp(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4,8}$/.test(value)) invalid(field, `${field} must be the numeric code the user received.`);
  return value;
}

export function requireBytes(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.byteLength === 0) invalid(field, `${field} must be non-empty bytes (a Uint8Array).`);
  return value;
}

/** A PDF is recognised by its header; anything else is refused before it costs a provider call. */
export function requirePdf(value: unknown, field: string): Uint8Array {
  const bytes = requireBytes(value, field);
  if (!startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) invalid(field, `${field} must be a PDF (it does not start with %PDF-).`);
  return bytes;
}

export function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

export const isJpeg = (b: Uint8Array) => startsWith(b, [0xff, 0xd8, 0xff]);
export const isPng = (b: Uint8Array) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Plain base64 without a data-URI prefix (docs/providers/peruri.md §1, docs/providers/bsre.md D.1 `file[]`). */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * A long base64 string of a JSON answer (a signed PDF), kept as the answer's own bytes instead of a JS string
 * until it is decoded: jsonObject() gives these for strings of at least LARGE_STRING characters made of the
 * base64 alphabet only, so that a 50 MB PDF is not held as the body, its text, the parsed string and the
 * decoded bytes at once. isBase64 and fromBase64 take one wherever they take a string. fromBase64 decodes it
 * in place — the answer's bytes become the document's (base64 is longer than what it encodes) — once: the
 * same bytes are returned again after that.
 */
export class Base64Text {
  #decoded: Uint8Array | undefined;
  #file: SpooledFile | undefined;
  /** `ascii`: the characters between the quotes (a view into the answer, not a copy). */
  constructor(readonly ascii: Uint8Array) {}
  /** One the transport already decoded while reading the answer (set aside, see setAside). */
  static decodedFrom(bytes: Uint8Array): Base64Text {
    const t = new Base64Text(new Uint8Array(0));
    t.#decoded = bytes;
    return t;
  }
  /** One the transport decoded into a file while reading the answer (an AnswerSpool, answer-spool.ts). */
  static decodedInto(file: SpooledFile): Base64Text {
    const t = new Base64Text(new Uint8Array(0));
    t.#file = file;
    return t;
  }
  /** The document's file, when it was decoded into one: parsers that know files take it rather than decode(). */
  get file(): SpooledFile | undefined {
    return this.#file;
  }
  get length(): number {
    if (this.#file) return this.#file.base64Length;
    return this.#decoded && this.ascii.byteLength === 0 ? Math.ceil(this.#decoded.byteLength / 3) * 4 : this.ascii.byteLength;
  }
  /** Whether decode() ran (the answer's bytes are the document's now), or the transport decoded it. */
  get decoded(): boolean {
    return this.#decoded !== undefined || this.#file !== undefined;
  }
  /** Decodes in place (see the class); the bytes of the document, a view into the answer (or its file, read whole). */
  decode(): Uint8Array {
    if (this.#decoded) return this.#decoded;
    if (this.#file) return (this.#decoded = new Uint8Array(readFileSync(this.#file.path)));
    const a = this.ascii;
    const buf = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    let out = 0;
    // Small pieces of text at a time (short-lived strings, never one as large as the document). Writing
    // the decoded bytes at `out` ≤ the read position never overtakes what is still to be read.
    for (let i = 0; i < buf.byteLength; i += DECODE_CHUNK) {
      out += buf.write(buf.toString('latin1', i, Math.min(buf.byteLength, i + DECODE_CHUNK)), out, 'base64');
    }
    this.#decoded = new Uint8Array(a.buffer, a.byteOffset, out);
    return this.#decoded;
  }
  toString(): string {
    if (this.#file) this.decode();
    if (this.#decoded) return Buffer.from(this.#decoded.buffer, this.#decoded.byteOffset, this.#decoded.byteLength).toString('base64');
    return Buffer.from(this.ascii.buffer, this.ascii.byteOffset, this.ascii.byteLength).toString('latin1');
  }
  toJSON(): string {
    return this.toString();
  }
}

/** Strings at least this long (in a JSON answer of at least LARGE_BODY bytes) may become Base64Text. */
export const LARGE_STRING = 64 * 1024;
const LARGE_BODY = 1024 * 1024;

/** The base64 alphabet and `=` (1), everything else (0). */
const B64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') B64[c.charCodeAt(0)] = 1;

/** Characters decoded at a time (a multiple of 4; small enough for a short-lived heap string). */
const DECODE_CHUNK = 64 * 1024;

/** Decodes base64 (whitespace ignored) into bytes of their own (never a slice of Buffer's shared pool). */
export function fromBase64(text: string | Base64Text): Uint8Array {
  if (text instanceof Base64Text) return text.decode();
  const t = text.replace(/\s+/g, '');
  const out = Buffer.allocUnsafeSlow(Buffer.byteLength(t, 'base64'));
  const n = out.write(t, 0, 'base64');
  return new Uint8Array(out.buffer, out.byteOffset, n);
}

export function isBase64(text: string | Base64Text): boolean {
  if (text instanceof Base64Text) {
    if (text.decoded) return true; // it was checked before it was decoded
    // Only the alphabet (checked when it was found); a length of whole quads; `=` only at the end, at most 2.
    const a = text.ascii;
    const n = a.byteLength;
    if (n === 0 || n % 4 !== 0) return false;
    const first = a.indexOf(0x3d);
    return first === -1 || (first >= n - 2 && a.subarray(first).every((b) => b === 0x3d));
  }
  const t = text.replace(/\s+/g, '');
  return t.length > 0 && t.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(t);
}

export function mediaType(headers: Headers): string {
  return (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonType(headers: Headers): boolean {
  const t = mediaType(headers);
  return t === 'application/json' || t.endsWith('+json');
}

export function decodeText(body: Uint8Array): string {
  return new TextDecoder('utf-8').decode(body);
}

/** Long base64 strings the transport decoded while reading a JSON answer, by the body left in their place. */
const setAsideStrings = new WeakMap<Uint8Array, { placeholder: string; decoded: (Uint8Array | SpooledFile)[] }>();

/**
 * Records that `body` is a JSON answer whose long base64 strings were decoded while it was read: each is
 * the string `<placeholder><n>` in `body`, and its bytes are `decoded[n]`. jsonObject() puts them back as
 * Base64Text.
 */
export function setAside(body: Uint8Array, placeholder: string, decoded: (Uint8Array | SpooledFile)[]): void {
  setAsideStrings.set(body, { placeholder, decoded });
}

/**
 * Parses a JSON object body, or throws a 502 naming what was wrong. In a large answer, every string of at
 * least LARGE_STRING base64 characters (a PDF) comes back as a Base64Text (over the body's bytes, or decoded
 * already by the transport).
 */
export function jsonObject(provider: ProviderId, operation: string, body: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    const aside = setAsideStrings.get(body);
    if (aside) {
      const { placeholder, decoded } = aside;
      value = JSON.parse(decodeText(body), (_key, v: unknown) => {
        if (typeof v === 'string' && v.startsWith(placeholder)) {
          const bytes = decoded[Number(v.slice(placeholder.length))];
          if (bytes) return bytes instanceof SpooledFile ? Base64Text.decodedInto(bytes) : Base64Text.decodedFrom(bytes);
        }
        return v;
      });
    } else value = body.byteLength >= LARGE_BODY ? parseLargeJson(body) : JSON.parse(decodeText(body));
  } catch (cause) {
    throw badResponse(provider, operation, 'the body is not JSON', cause);
  }
  if (!isRecord(value)) throw badResponse(provider, operation, 'the body is not a JSON object');
  return value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * JSON.parse of a large body whose long base64 strings are set aside first: they are replaced by short
 * placeholders in a copy of the rest (small), which is parsed, and the placeholders become Base64Text
 * views into the body. Strings with escapes or other characters are left to JSON.parse as they are.
 */
function parseLargeJson(body: Uint8Array): unknown {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const found: Base64Text[] = [];
  const pieces: Buffer[] = [];
  // A placeholder no answer can contain by accident: a NUL (escaped in the JSON text) and a random tag.
  const tag = `esign-kit-base64-${randomBytes(8).toString('hex')}:`;
  const mark = `\\u0000${tag}`;
  let copied = 0;
  let at = 0;
  for (;;) {
    const open = bytes.indexOf(QUOTE, at);
    if (open === -1) break;
    // The closing quote: the next one not escaped by an odd number of backslashes.
    let close = bytes.indexOf(QUOTE, open + 1);
    while (close !== -1) {
      let slashes = 0;
      for (let k = close - 1; k > open && bytes[k] === BACKSLASH; k--) slashes++;
      if (slashes % 2 === 0) break;
      close = bytes.indexOf(QUOTE, close + 1);
    }
    if (close === -1) break; // unterminated: JSON.parse will say so
    const length = close - open - 1;
    if (length >= LARGE_STRING) {
      let plain = true;
      for (let k = open + 1; k < close; k++) {
        if (B64[bytes[k]!] === 0) {
          plain = false;
          break;
        }
      }
      if (plain) {
        pieces.push(bytes.subarray(copied, open + 1), Buffer.from(`${mark}${found.length}`, 'latin1'));
        found.push(new Base64Text(bytes.subarray(open + 1, close)));
        copied = close;
      }
    }
    at = close + 1;
  }
  if (!found.length) return JSON.parse(decodeText(body));
  pieces.push(bytes.subarray(copied));
  const prefix = `\u0000${tag}`;
  return JSON.parse(decodeText(Buffer.concat(pieces)), (_key, v: unknown) => {
    if (typeof v === 'string' && v.startsWith(prefix)) {
      const text = found[Number(v.slice(prefix.length))];
      if (text) return text;
    }
    return v;
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(obj: Record<string, unknown>, key: string, provider: ProviderId, operation: string): string {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw badResponse(provider, operation, `field ${key} is missing or not a string`);
}

export function optionalStringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** An ISO `yyyy-mm-dd` date, split into its parts; a provider wants it in its own order. */
export function requireIsoDate(value: unknown, field: string): [string, string, string] {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m) invalid(field, `${field} must be a date written yyyy-mm-dd.`);
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const date = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(d)) invalid(field, `${field} is not a real date.`);
  return [y, mo, d];
}
