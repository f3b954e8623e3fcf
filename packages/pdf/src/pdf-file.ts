// A small PDF object reader, shared by the page-tree reader (page boxes pdf.js does not expose) and
// @esign-kit/verify (signatures): the cross-reference chain section by section (tables and streams, PDF
// 32000-1 §7.5.4–§7.5.8, with reconstruction when it is broken), object streams (§7.5.7), literal and
// hexadecimal strings with their byte positions (a signature's /Contents must be the exact hole of its
// /ByteRange). It decodes only FlateDecode streams (with PNG predictors), through an inflate function the
// caller supplies, so it needs no platform API. Each cross-reference section is kept apart: the sections
// written after a signature are the incremental updates that changed the document after it was signed.
// Every file is read within limits (pdf-limits.ts) checked while reading: work, inflated bytes, objects,
// revisions, nesting, and time when the caller gives a clock; a file past one throws PdfLimitError. Scanning is
// linear: no regular expression runs over the file's bytes.
import { DEFAULT_PDF_LIMITS, PdfLimitError, PdfMeter, flateDecode, pdfLimits, type PdfLimits } from './pdf-limits.js';

export type Value = number | boolean | null | PdfString | Name | Ref | Value[] | Dict;

export interface Name {
  name: string;
}
export interface Ref {
  num: number;
  gen: number;
}
export interface PdfString {
  /** The decoded bytes. */
  bytes: Uint8Array;
  hex: boolean;
  /** Offset of `(` or `<` in the buffer the string was read from, and one past `)` or `>`. */
  start: number;
  end: number;
}
export interface Dict {
  dict: Map<string, Value>;
  /** Offset of the stream data, when the dictionary starts a stream. */
  streamAt?: number;
}

export const isName = (v: Value | undefined): v is Name => typeof v === 'object' && v !== null && 'name' in v;
export const isRef = (v: Value | undefined): v is Ref => typeof v === 'object' && v !== null && 'num' in v && 'gen' in v;
export const isDict = (v: Value | undefined): v is Dict => typeof v === 'object' && v !== null && 'dict' in v;
export const isString = (v: Value | undefined): v is PdfString => typeof v === 'object' && v !== null && 'bytes' in v;
export const nameOf = (v: Value | undefined): string | undefined => (isName(v) ? v.name : undefined);

const WHITESPACE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of [40, 41, 60, 62, 91, 93, 123, 125, 47, 37]) DELIMITER[c] = 1;
const isRegular = (c: number) => WHITESPACE[c] === 0 && DELIMITER[c] === 0;
/**
 * Longest keyword, number or name the lexer reads (PDF 32000-1 Annex C: names are at most 127 bytes): a longer
 * run of regular characters is damage or an attack, and is refused without being read to its end.
 */
const MAX_TOKEN = 4096;

/** Nesting guard: a hostile file must not overflow the stack (PdfLimits.maxNesting when a meter is given). */
const MAX_DEPTH = DEFAULT_PDF_LIMITS.maxNesting;
/** Work units charged for each object looked up, beyond the bytes lexed (a reference cycle costs work too). */
const LOOKUP_COST = 32;

/**
 * Flate decoding, supplied by the caller (`flateDecode` of pdf-limits.ts: DecompressionStream, in browsers and
 * Node; or zlib with `maxOutputLength` in Node). It must stop as soon as its output would pass
 * `maxOutputLength` and reject (Node's ERR_BUFFER_TOO_LARGE or `outputTooLarge`): never inflate all, then check.
 */
export type Inflate = (data: Uint8Array, maxOutputLength: number) => Promise<Uint8Array>;

/** Decrypts strings and streams once a password is known (an encrypted file's security handler). */
export interface Decryptor {
  decrypt(data: Uint8Array): Promise<Uint8Array>;
  /** The /Encrypt dictionary's object number (never decrypted). */
  encryptObject: number | undefined;
}

/** Decrypts every string inside a value, except a signature's /Contents (PDF 32000-1 §7.6.1: never encrypted). */
export async function decryptStrings(value: Value | undefined, decryptor: Decryptor, depth = 0): Promise<void> {
  if (depth > 64) return;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isString(item)) item.bytes = await decryptor.decrypt(item.bytes).catch(() => item.bytes);
      else await decryptStrings(item, decryptor, depth + 1);
    }
  } else if (isDict(value)) {
    const signature = isSignatureDictionary(value);
    for (const [key, item] of value.dict) {
      if (signature && key === 'Contents') continue;
      if (isString(item)) item.bytes = await decryptor.decrypt(item.bytes).catch(() => item.bytes);
      else await decryptStrings(item, decryptor, depth + 1);
    }
  }
}

function isSignatureDictionary(d: Dict): boolean {
  const type = d.dict.get('Type');
  return d.dict.has('ByteRange') || (isName(type) && (type.name === 'Sig' || type.name === 'DocTimeStamp'));
}

export class Lexer {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    /** Charged for every byte lexed; its limits give the nesting depth. */
    readonly meter?: PdfMeter,
  ) {}

  /**
   * Whether a dictionary may start a stream. Not inside an object stream, whose objects are never streams
   * (§7.5.7): there, no look-ahead for `stream` crosses whatever follows the object (a bomb's zeros).
   */
  streams = true;

  skipSpace(): void {
    const b = this.bytes;
    const start = this.pos;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WHITESPACE[c]) this.pos++;
      else if (c === 37 /* % */) while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      else break;
    }
    this.meter?.spend(this.pos - start);
  }

  word(): string {
    this.skipSpace();
    const start = this.pos;
    const end = Math.min(this.bytes.length, start + MAX_TOKEN + 1);
    while (this.pos < end && isRegular(this.bytes[this.pos]!)) this.pos++;
    this.meter?.spend(this.pos - start + 1);
    if (this.pos - start > MAX_TOKEN) throw new SyntaxError(`a token longer than ${MAX_TOKEN} bytes at ${start}`);
    let s = '';
    for (let i = start; i < this.pos && i < start + 64; i++) s += String.fromCharCode(this.bytes[i]!);
    return s;
  }

  peekWord(): string {
    const at = this.pos;
    const w = this.word();
    this.pos = at;
    return w;
  }

  /** Parses one object; `n g R` references are recognised by looking ahead. */
  value(depth = 0): Value {
    const maxNesting = this.meter?.limits.maxNesting ?? MAX_DEPTH;
    if (depth > maxNesting) throw new PdfLimitError('pdf-nesting-too-deep', maxNesting, `The PDF nests arrays and dictionaries more than ${maxNesting} deep.`);
    this.skipSpace();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) throw new SyntaxError('unexpected end of file');
    if (c === 47 /* / */) {
      this.pos++;
      let name = '';
      while (this.pos < b.length && isRegular(b[this.pos]!)) {
        if (name.length >= MAX_TOKEN) throw new SyntaxError(`a name longer than ${MAX_TOKEN} bytes at ${this.pos}`);
        const ch = b[this.pos++]!;
        if (ch === 35 /* # */) {
          name += String.fromCharCode(parseInt(String.fromCharCode(b[this.pos] ?? 48, b[this.pos + 1] ?? 48), 16));
          this.pos += 2;
        } else name += String.fromCharCode(ch);
      }
      this.meter?.spend(name.length + 1);
      return { name };
    }
    if (c === 60 /* < */ && b[this.pos + 1] === 60) return this.dictionary(depth);
    if (c === 60) return this.hexString();
    if (c === 40 /* ( */) return this.literalString();
    if (c === 91 /* [ */) {
      this.pos++;
      const items: Value[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= b.length) throw new SyntaxError('unterminated array');
        if (b[this.pos] === 93) {
          this.pos++;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }
    const start = this.pos;
    const w = this.word();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    const n = Number(w);
    if (w === '') throw new SyntaxError(`unexpected delimiter at ${start}`);
    // A damaged token ("12x9") reads as null, as in poppler's lexer: the rest of the object stays readable.
    if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) return null;
    if (/^\d+$/.test(w)) {
      const at = this.pos;
      const gen = this.word();
      if (/^\d+$/.test(gen) && this.word() === 'R') return { num: n, gen: Number(gen) };
      this.pos = at;
    }
    return n;
  }

  private hexString(): PdfString {
    const b = this.bytes;
    const start = this.pos++;
    const end = b.indexOf(62 /* > */, this.pos);
    if (end < 0) {
      this.meter?.spend(b.length - start);
      throw new SyntaxError('unterminated hex string');
    }
    this.meter?.spend(end + 1 - start);
    const out = new Uint8Array((end - this.pos + 1) >> 1);
    let n = 0;
    let high = -1;
    for (let i = this.pos; i < end; i++) {
      const ch = b[i]!;
      const v = ch >= 48 && ch <= 57 ? ch - 48 : ch >= 65 && ch <= 70 ? ch - 55 : ch >= 97 && ch <= 102 ? ch - 87 : -1;
      if (v < 0) {
        if (WHITESPACE[ch]) continue;
        throw new SyntaxError(`bad hex digit at ${i}`);
      }
      if (high < 0) high = v;
      else {
        out[n++] = (high << 4) | v;
        high = -1;
      }
    }
    if (high >= 0) out[n++] = high << 4; // an odd final digit is followed by an implied 0 (§7.3.4.3)
    this.pos = end + 1;
    return { bytes: out.subarray(0, n), hex: true, start, end: end + 1 };
  }

  private literalString(): PdfString {
    // §7.3.4.2: balanced parentheses, backslash escapes (octal, line continuation).
    const b = this.bytes;
    const start = this.pos++;
    const out: number[] = [];
    let depth = 1;
    for (;;) {
      const ch = b[this.pos++];
      if (ch === undefined) return this.unterminated(start);
      if (ch === 92 /* \ */) {
        const e = b[this.pos++];
        if (e === undefined) return this.unterminated(start);
        const simple: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12, 40: 40, 41: 41, 92: 92 };
        if (simple[e] !== undefined) out.push(simple[e]);
        else if (e >= 48 && e <= 55) {
          let v = e - 48;
          for (let k = 0; k < 2 && b[this.pos]! >= 48 && b[this.pos]! <= 55; k++) v = v * 8 + b[this.pos++]! - 48;
          out.push(v & 0xff);
        } else if (e === 13) {
          if (b[this.pos] === 10) this.pos++;
        } else if (e !== 10) out.push(e);
        continue;
      }
      if (ch === 40) depth++;
      else if (ch === 41 && --depth === 0) break;
      out.push(ch);
    }
    this.meter?.spend(this.pos - start);
    return { bytes: Uint8Array.from(out), hex: false, start, end: this.pos };
  }

  private unterminated(start: number): never {
    this.meter?.spend(this.bytes.length - start);
    throw new SyntaxError('unterminated string');
  }

  private dictionary(depth: number): Dict {
    this.pos += 2;
    const dict = new Map<string, Value>();
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.bytes.length) throw new SyntaxError('unterminated dictionary');
      if (this.bytes[this.pos] === 62 && this.bytes[this.pos + 1] === 62) {
        this.pos += 2;
        break;
      }
      const key = this.value(depth + 1);
      if (!isName(key)) throw new SyntaxError(`dictionary key is not a name at ${this.pos}`);
      dict.set(key.name, this.value(depth + 1));
    }
    const result: Dict = { dict };
    const at = this.pos;
    if (this.streams && this.word() === 'stream') {
      // The keyword is followed by CRLF or LF (§7.3.8.1).
      if (this.bytes[this.pos] === 13) this.pos++;
      if (this.bytes[this.pos] === 10) this.pos++;
      result.streamAt = this.pos;
    } else this.pos = at;
    return result;
  }
}

export interface XrefEntry {
  /** 1: at `offset`; 2: object `index` of object stream `stream`; 0: free. */
  type: 0 | 1 | 2;
  offset: number;
  stream: number;
  index: number;
}

/** One cross-reference section: one revision of the file (or the stream half of a hybrid one). */
export interface XrefSection {
  /** Offset of `xref` or of the cross-reference stream object. */
  offset: number;
  entries: Map<number, XrefEntry>;
  trailer: Dict;
}

export class PdfError extends Error {
  constructor(
    readonly code: 'NOT_A_PDF' | 'TRUNCATED' | 'DAMAGED',
    message: string,
  ) {
    super(message);
    this.name = 'PdfError';
  }
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Last index of an ASCII `needle` at or before `from`, not before `limit`. */
export function lastIndexOfAscii(bytes: Uint8Array, needle: string, from: number, limit = 0): number {
  const first = needle.charCodeAt(0);
  for (let i = Math.min(from, bytes.length - needle.length); i >= limit; i--) {
    i = bytes.lastIndexOf(first, i);
    if (i < limit) return -1;
    if (ascii(bytes, i, needle.length) === needle) return i;
  }
  return -1;
}

/** First index of an ASCII `needle` at or after `from`, or -1. */
function indexOfAscii(bytes: Uint8Array, needle: string, from: number): number {
  const first = needle.charCodeAt(0);
  for (let i = bytes.indexOf(first, from); i >= 0; i = bytes.indexOf(first, i + 1)) {
    if (ascii(bytes, i, needle.length) === needle) return i;
  }
  return -1;
}

/** Damaged trailers or catalogs tried while reconstructing, at most: each may read far into a damaged file. */
const RECONSTRUCT_TRIES = 16;
/** Digits of an object or generation number, at most (object numbers stay below 2^31, §7.5.4; 10 digits). */
const MAX_NUMBER_DIGITS = 10;

const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;
/** A byte of a regular-expression word (`\w`), for `obj` standing alone as `\bobj\b` does. */
const isWordByte = (c: number | undefined) => c !== undefined && (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95);

/**
 * The `num gen` header right before an `obj` keyword at `objAt` (whitespace, digits, whitespace, digits, read
 * backwards), or undefined. Each read stops at the previous keyword, so all of them together read the file once;
 * a digit run longer than an object number is not read further (that would make the scan quadratic).
 */
function objectHeaderBefore(b: Uint8Array, objAt: number): { num: number; at: number } | undefined {
  let p = objAt - 1;
  let end = p;
  while (p >= 0 && WHITESPACE[b[p]!]) p--;
  if (p === end) return undefined;
  end = p;
  while (p >= 0 && isDigit(b[p]) && end - p <= MAX_NUMBER_DIGITS) p--;
  if (p === end || end - p > MAX_NUMBER_DIGITS) return undefined;
  end = p;
  while (p >= 0 && WHITESPACE[b[p]!]) p--;
  if (p === end) return undefined;
  end = p;
  let num = 0;
  let scale = 1;
  while (p >= 0 && isDigit(b[p]) && end - p <= MAX_NUMBER_DIGITS) {
    num += (b[p]! - 48) * scale;
    scale *= 10;
    p--;
  }
  if (p === end || end - p > MAX_NUMBER_DIGITS) return undefined;
  return { num, at: p + 1 };
}

/** Index of the last value of a sorted list at or before `x`, or -1. */
function lastAtOrBefore(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** PNG predictors (PDF 32000-1 §7.4.4.4): each row starts with its filter type byte. */
function unpredictPng(data: Uint8Array, columns: number): Uint8Array {
  const rowLength = columns + 1;
  const rows = Math.floor(data.length / rowLength);
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * rowLength]!;
    for (let c = 0; c < columns; c++) {
      const raw = data[r * rowLength + 1 + c]!;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      const up = r > 0 ? out[(r - 1) * columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1]! : 0;
      let v = raw;
      if (type === 1) v = raw + left;
      else if (type === 2) v = raw + up;
      else if (type === 3) v = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[r * columns + c] = v & 0xff;
    }
  }
  return out;
}

export class PdfFile {
  /** Newest first. */
  readonly sections: XrefSection[] = [];
  /** Whether the cross-reference data was unusable and objects were found by scanning. */
  reconstructed = false;
  trailer: Dict | null = null;
  private latest = new Map<number, XrefEntry>();
  #decryptor: Decryptor | undefined;
  /** Decoded object streams, by the cross-reference entry of the stream (a later revision may reuse its number). */
  private readonly objectStreams = new Map<XrefEntry, Promise<{ data: Uint8Array; offsets: Map<number, number> }>>();
  /** The work and inflated bytes spent on this file so far, against its limits (read them from `meter.limits`). */
  readonly meter: PdfMeter;

  private constructor(
    readonly bytes: Uint8Array,
    private readonly inflate: Inflate,
    limits: PdfLimits,
  ) {
    this.meter = new PdfMeter(limits);
  }

  /** Set once the password is known: strings and streams read afterwards are decrypted. */
  set decryptor(decryptor: Decryptor) {
    this.#decryptor = decryptor;
    this.objectStreams.clear();
  }

  /**
   * Reads the cross-reference data (objects are read when asked for). `limits` override DEFAULT_PDF_LIMITS; a
   * file past one throws PdfLimitError, and so does every later read once a budget is spent.
   */
  static async open(bytes: Uint8Array, inflate: Inflate = flateDecode, limits: Partial<PdfLimits> = {}): Promise<PdfFile> {
    const head = ascii(bytes, 0, Math.min(bytes.length, 1024));
    if (!head.includes('%PDF-')) throw new PdfError('NOT_A_PDF', 'The file does not start with a %PDF- header.');
    const file = new PdfFile(bytes, inflate, pdfLimits(limits));
    // Bytes may follow the last %%EOF (appended after signing): look for it anywhere, from the end.
    const startxref = lastIndexOfAscii(bytes, 'startxref', bytes.length - 1);
    file.meter.spend(bytes.length - Math.max(0, startxref));
    if (startxref < 0 || lastIndexOfAscii(bytes, '%%EOF', bytes.length - 1, startxref) < 0) {
      throw new PdfError('TRUNCATED', 'The file has no startxref/%%EOF: it is incomplete.');
    }
    try {
      await file.readXrefChain();
    } catch (err) {
      // A limit is final: reconstruction would only spend more on a file already refused.
      if (err instanceof PdfLimitError) throw err;
      file.sections.length = 0;
      file.trailer = null;
    }
    if (!file.trailer || !file.trailer.dict.has('Root')) file.reconstruct();
    if (!file.trailer) throw new PdfError('DAMAGED', 'The cross-reference data is unreadable and no trailer was found.');
    // One section (most files): its entries are the latest; else the newest entry of each object wins.
    if (file.sections.length === 1) file.latest = file.sections[0]!.entries;
    else {
      for (const section of file.sections) {
        for (const [num, entry] of section.entries) if (!file.latest.has(num)) file.latest.set(num, entry);
      }
    }
    return file;
  }

  /** Counts entries against maxObjects, all sections together. */
  private entryCount = 0;
  private countEntry(): void {
    if (++this.entryCount > this.meter.limits.maxObjects) throw this.meter.tooMany('pdf-too-many-objects', 'objects');
  }

  private lexer(at: number, bytes = this.bytes): Lexer {
    return new Lexer(bytes, at, this.meter);
  }

  private startxref(): number {
    const b = this.bytes;
    const at = lastIndexOfAscii(b, 'startxref', b.length - 1);
    if (at < 0) throw new SyntaxError('no startxref');
    const n = Number(this.lexer(at + 9).word());
    if (!Number.isInteger(n)) throw new SyntaxError('bad startxref');
    return n;
  }

  private async readXrefChain(): Promise<void> {
    const seen = new Set<number>();
    const pending = [this.startxref()];
    while (pending.length) {
      const offset = pending.shift()!;
      if (seen.has(offset) || offset < 0 || offset >= this.bytes.length) continue;
      seen.add(offset);
      if (seen.size > this.meter.limits.maxRevisions) throw this.meter.tooMany('pdf-too-many-revisions', 'cross-reference sections');
      const lexer = this.lexer(offset);
      const section: XrefSection = lexer.peekWord() === 'xref' ? this.readXrefTable(lexer, offset) : await this.readXrefStream(lexer, offset);
      this.sections.push(section);
      this.trailer ??= section.trailer;
      // A hybrid file points to its stream in /XRefStm; older sections come through /Prev.
      for (const key of ['XRefStm', 'Prev']) {
        const v = section.trailer.dict.get(key);
        if (typeof v === 'number') pending.push(v);
      }
    }
  }

  private readXrefTable(lexer: Lexer, offset: number): XrefSection {
    lexer.word(); // xref
    const entries = new Map<number, XrefEntry>();
    for (;;) {
      const word = lexer.peekWord();
      if (word === 'trailer') {
        lexer.word();
        const trailer = lexer.value();
        if (!isDict(trailer)) throw new SyntaxError('bad trailer');
        return { offset, entries, trailer };
      }
      const first = Number(lexer.word());
      const count = Number(lexer.word());
      if (!Number.isInteger(first) || !Number.isInteger(count)) throw new SyntaxError('bad xref subsection');
      for (let i = 0; i < count; i++) {
        this.countEntry();
        const at = Number(lexer.word());
        lexer.word(); // generation
        const kind = lexer.word();
        if (kind === 'n') entries.set(first + i, { type: 1, offset: at, stream: 0, index: 0 });
        else if (kind === 'f') entries.set(first + i, { type: 0, offset: -1, stream: 0, index: 0 });
        else throw new SyntaxError('bad xref entry');
      }
    }
  }

  private async readXrefStream(lexer: Lexer, offset: number): Promise<XrefSection> {
    lexer.word();
    lexer.word();
    if (lexer.word() !== 'obj') throw new SyntaxError('xref stream is not an object');
    const stream = lexer.value();
    if (!isDict(stream) || stream.streamAt === undefined) throw new SyntaxError('bad xref stream');
    const data = await this.streamData(stream);
    const widths = (stream.dict.get('W') as number[] | undefined) ?? [];
    const size = Number(stream.dict.get('Size'));
    const index = (stream.dict.get('Index') as number[] | undefined) ?? [0, size];
    const [w0 = 0, w1 = 0, w2 = 0] = widths;
    const rowLength = w0 + w1 + w2;
    // Fields are 0 to 8 bytes wide (§7.5.8.2); an empty row would let /Index claim entries without end.
    if (![w0, w1, w2].every((w) => Number.isInteger(w) && w >= 0 && w <= 8) || rowLength < 1) throw new SyntaxError('bad xref stream /W');
    const entries = new Map<number, XrefEntry>();
    let row = 0;
    const field = (start: number, width: number, fallback: number) => {
      if (width === 0) return fallback;
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + data[start + i]!;
      return v;
    };
    for (let s = 0; s + 1 < index.length; s += 2) {
      const first = index[s]!;
      const count = index[s + 1]!;
      for (let i = 0; i < count; i++, row++) {
        const at = row * rowLength;
        if (at + rowLength > data.length) break;
        this.countEntry();
        const type = field(at, w0, 1);
        const a = field(at + w0, w1, 0);
        const b = field(at + w0 + w1, w2, 0);
        if (type === 1) entries.set(first + i, { type: 1, offset: a, stream: 0, index: 0 });
        else if (type === 2) entries.set(first + i, { type: 2, offset: 0, stream: a, index: b });
        else entries.set(first + i, { type: 0, offset: -1, stream: 0, index: 0 });
      }
    }
    return { offset, entries, trailer: stream };
  }

  /**
   * Finds `n g obj` by scanning, for files whose cross-reference data is missing or wrong. Linear in the file's
   * size: each `obj` keyword is checked by reading back over its header (bounded numbers), and the trailer and
   * catalog searches parse a few candidates at most (a damaged one may read to the end of the file).
   */
  private reconstruct(): void {
    this.sections.length = 0;
    this.reconstructed = true;
    const b = this.bytes;
    const entries = new Map<number, XrefEntry>();
    /** Offsets of the object headers found, in file order. */
    const headers: number[] = [];
    let scanned = 0;
    for (let i = b.indexOf(111 /* o */); i >= 0; i = b.indexOf(111, i + 1)) {
      this.meter.spend(i + 1 - scanned);
      scanned = i + 1;
      if (b[i + 1] !== 98 /* b */ || b[i + 2] !== 106 /* j */ || isWordByte(b[i + 3])) continue;
      const header = objectHeaderBefore(b, i);
      if (!header) continue;
      this.countEntry();
      entries.set(header.num, { type: 1, offset: header.at, stream: 0, index: 0 });
      headers.push(header.at);
    }
    this.meter.spend(b.length - scanned);
    let trailer: Dict | null = null;
    // The last trailer that parses and names a catalog.
    let tries = 0;
    for (
      let at = lastIndexOfAscii(b, 'trailer', b.length - 1);
      at >= 0 && tries < RECONSTRUCT_TRIES;
      at = at > 0 ? lastIndexOfAscii(b, 'trailer', at - 1) : -1
    ) {
      let p = at + 7;
      while (p < b.length && WHITESPACE[b[p]!]) p++;
      if (b[p] !== 60 || b[p + 1] !== 60) continue;
      tries++;
      try {
        const t = this.lexer(at + 7).value();
        if (isDict(t) && isRef(t.dict.get('Root'))) trailer = t;
      } catch (err) {
        if (err instanceof PdfLimitError) throw err;
        // a damaged trailer: try the one before
      }
      if (trailer) break;
    }
    if (!trailer) {
      // No trailer: the first object that is a /Type /Catalog dictionary.
      tries = 0;
      let tried = -1;
      for (let at = indexOfAscii(b, '/Catalog', 0); at >= 0 && tries < RECONSTRUCT_TRIES; at = indexOfAscii(b, '/Catalog', at + 8)) {
        const k = lastAtOrBefore(headers, at);
        if (k < 0 || k === tried) continue;
        tried = k;
        tries++;
        try {
          const lexer = this.lexer(headers[k]!);
          const num = Number(lexer.word());
          const gen = Number(lexer.word());
          lexer.word(); // obj
          const catalog = lexer.value();
          if (isDict(catalog) && nameOf(catalog.dict.get('Type')) === 'Catalog') trailer = { dict: new Map<string, Value>([['Root', { num, gen }]]) };
        } catch (err) {
          if (err instanceof PdfLimitError) throw err;
        }
        if (trailer) break;
      }
    }
    this.trailer = trailer;
    if (trailer) this.sections.push({ offset: 0, entries, trailer });
  }

  async streamData(stream: Dict): Promise<Uint8Array> {
    return this.streamDataWith(stream, (v) => this.resolve(v));
  }

  /** A stream's data, decoded; `resolve` looks up its /Length and /DecodeParms. Inflates within the file's limits. */
  private async streamDataWith(stream: Dict, resolve: (v: Value | undefined) => Promise<Value | undefined>): Promise<Uint8Array> {
    let length = stream.dict.get('Length');
    if (isRef(length)) length = await resolve(length);
    if (typeof length !== 'number' || stream.streamAt === undefined) throw new SyntaxError('stream without length');
    let raw = this.bytes.subarray(stream.streamAt, stream.streamAt + length);
    // Cross-reference streams are never encrypted (§7.6.2).
    if (this.#decryptor && nameOf(stream.dict.get('Type')) !== 'XRef') raw = await this.#decryptor.decrypt(raw);
    const filter = stream.dict.get('Filter');
    const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
    if (filters.length === 0) return raw;
    if (filters.length !== 1 || nameOf(filters[0]) !== 'FlateDecode') throw new SyntaxError('unsupported filter');
    // The inflater is told the most this stream may produce, and stops there: a 4 GB bomb costs the allowance only.
    const allowance = this.meter.inflateAllowance();
    let inflated: Uint8Array;
    try {
      inflated = await this.inflate(raw, allowance.bytes);
    } catch (err) {
      if ((err as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE') throw this.meter.inflateRefused(allowance.code);
      throw err;
    }
    if (inflated.length > allowance.bytes) throw this.meter.inflateRefused(allowance.code);
    this.meter.inflatedStream(inflated.length);
    let parms = stream.dict.get('DecodeParms');
    if (Array.isArray(parms)) parms = parms[0];
    if (isRef(parms)) parms = await resolve(parms);
    const predictor = isDict(parms) ? Number(parms.dict.get('Predictor') ?? 1) : 1;
    if (predictor < 10) return inflated;
    return unpredictPng(inflated, isDict(parms) ? Number(parms.dict.get('Columns') ?? 1) : 1);
  }

  /**
   * The object an xref entry points to. An object in an object stream is read from the stream `entryOf` names
   * (default: the newest version): a reader of an older revision passes its own lookup, since a later update may
   * write a new object stream under the same number (§7.5.6, §7.5.7).
   */
  async objectAt(
    num: number,
    entry: XrefEntry | undefined,
    entryOf: (num: number) => XrefEntry | undefined = (n) => this.latest.get(n),
  ): Promise<Value | undefined> {
    this.meter.spend(LOOKUP_COST);
    if (!entry || entry.type === 0) return null;
    if (entry.type === 1) {
      const lexer = this.lexer(entry.offset);
      const n = lexer.word();
      lexer.word();
      if (Number(n) !== num || lexer.word() !== 'obj') throw new SyntaxError(`object ${num} not found at its offset`);
      const value = lexer.value();
      // Strings inside object streams are not encrypted on their own: the stream is (§7.6.2).
      if (this.#decryptor && num !== this.#decryptor.encryptObject) await decryptStrings(value, this.#decryptor);
      return value;
    }
    const stream = await this.objectStream(entry.stream, entryOf);
    const at = stream.offsets.get(num);
    if (at === undefined) return null;
    const lexer = this.lexer(at, stream.data);
    lexer.streams = false;
    return lexer.value();
  }

  /** The newest version of an object, or the value itself when it is not a reference. */
  async resolve(value: Value | undefined): Promise<Value | undefined> {
    if (!isRef(value)) return value;
    return this.objectAt(value.num, this.latest.get(value.num));
  }

  /** The version of object `num` as of the sections at or before `sectionIndex` (sections are newest first). */
  entryAsOf(num: number, sectionIndex: number): XrefEntry | undefined {
    for (let i = sectionIndex; i < this.sections.length; i++) {
      const entry = this.sections[i]!.entries.get(num);
      if (entry) return entry;
    }
    return undefined;
  }

  private objectStream(num: number, entryOf: (num: number) => XrefEntry | undefined): Promise<{ data: Uint8Array; offsets: Map<number, number> }> {
    const streamEntry = entryOf(num);
    if (!streamEntry || streamEntry.type !== 1) return Promise.reject(new SyntaxError(`object stream ${num} is not in the file`));
    let cached = this.objectStreams.get(streamEntry);
    if (!cached) {
      cached = (async () => {
        // Streams are never stored in object streams (§7.5.7), and what an object stream's own /Length or
        // /DecodeParms names is looked up outside object streams too: an object stream that needed itself
        // (directly or through another) would otherwise wait for itself for ever.
        const outside = async (v: Value | undefined) => {
          if (!isRef(v)) return v;
          const entry = entryOf(v.num);
          if (entry?.type === 2) throw new SyntaxError(`object stream ${num} needs object ${v.num}, itself in an object stream`);
          return this.objectAt(v.num, entry, entryOf);
        };
        const stream = await this.objectAt(num, streamEntry, entryOf);
        if (!isDict(stream) || stream.streamAt === undefined) throw new SyntaxError(`object stream ${num} is not a stream`);
        const n = Number(stream.dict.get('N'));
        const first = Number(stream.dict.get('First'));
        if (!Number.isInteger(n) || n < 0 || !Number.isInteger(first) || first < 0) throw new SyntaxError(`object stream ${num} has a bad /N or /First`);
        if (n > this.meter.limits.maxObjects) throw this.meter.tooMany('pdf-too-many-objects', 'objects');
        const data = await this.streamDataWith(stream, outside);
        const header = this.lexer(0, data);
        const offsets = new Map<number, number>();
        for (let i = 0; i < n; i++) {
          const word = header.word();
          if (word === '') break; // the header ends before /N pairs: the rest are missing
          offsets.set(Number(word), first + Number(header.word()));
        }
        return { data, offsets };
      })();
      this.objectStreams.set(streamEntry, cached);
    }
    return cached;
  }
}

// The WHATWG TextDecoder is global in browsers and Node alike; the core's lib (es2023, no DOM) only lacks its type.
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };

/** A text string (§7.9.2.2): UTF-16BE with a byte order mark, UTF-8 with one (PDF 2.0), else PDFDocEncoding (≈ Latin-1). */
export function textString(v: Value | undefined): string | undefined {
  if (!isString(v)) return undefined;
  const b = v.bytes;
  if (b[0] === 0xfe && b[1] === 0xff) {
    let s = '';
    for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return s;
  }
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder().decode(b.subarray(3));
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

/** A PDF date (§7.9.4): `D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year optional. */
export function pdfDate(v: Value | undefined): Date | undefined {
  const s = textString(v);
  if (!s) return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const offset = sign === '+' || sign === '-' ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60000 : 0;
  const date = new Date(utc - offset);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
