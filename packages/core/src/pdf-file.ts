// A small PDF object reader, shared by the page-tree reader (page boxes pdf.js does not expose) and
// @esign-kit/verify (signatures): the cross-reference chain section by section (tables and streams, PDF
// 32000-1 §7.5.4–§7.5.8, with reconstruction when it is broken), object streams (§7.5.7), literal and
// hexadecimal strings with their byte positions (a signature's /Contents must be the exact hole of its
// /ByteRange). It decodes only FlateDecode streams (with PNG predictors), through an inflate function the
// caller supplies, so it needs no platform API. Each cross-reference section is kept apart: the sections
// written after a signature are the incremental updates that changed the document after it was signed.

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

/** Nesting guard: a hostile file must not overflow the stack. */
const MAX_DEPTH = 64;


/** Flate decoding, supplied by the caller (DecompressionStream in browsers, zlib in Node): the core has no platform API. */
export type Inflate = (data: Uint8Array) => Promise<Uint8Array>;

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
  ) {}

  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WHITESPACE[c]) this.pos++;
      else if (c === 37 /* % */) while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      else break;
    }
  }

  word(): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.bytes.length && isRegular(this.bytes[this.pos]!)) this.pos++;
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
    if (depth > MAX_DEPTH) throw new SyntaxError('objects nested too deeply');
    this.skipSpace();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) throw new SyntaxError('unexpected end of file');
    if (c === 47 /* / */) {
      this.pos++;
      let name = '';
      while (this.pos < b.length && isRegular(b[this.pos]!)) {
        const ch = b[this.pos++]!;
        if (ch === 35 /* # */) {
          name += String.fromCharCode(parseInt(String.fromCharCode(b[this.pos] ?? 48, b[this.pos + 1] ?? 48), 16));
          this.pos += 2;
        } else name += String.fromCharCode(ch);
      }
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
    if (end < 0) throw new SyntaxError('unterminated hex string');
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
      if (ch === undefined) throw new SyntaxError('unterminated string');
      if (ch === 92 /* \ */) {
        const e = b[this.pos++];
        if (e === undefined) throw new SyntaxError('unterminated string');
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
    return { bytes: Uint8Array.from(out), hex: false, start, end: this.pos };
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
    if (this.word() === 'stream') {
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
  private readonly latest = new Map<number, XrefEntry>();
  #decryptor: Decryptor | undefined;
  private readonly objectStreams = new Map<number, Promise<{ data: Uint8Array; offsets: Map<number, number> }>>();

  private constructor(
    readonly bytes: Uint8Array,
    private readonly inflate: Inflate,
  ) {}

  /** Set once the password is known: strings and streams read afterwards are decrypted. */
  set decryptor(decryptor: Decryptor) {
    this.#decryptor = decryptor;
    this.objectStreams.clear();
  }

  static async open(bytes: Uint8Array, inflate: Inflate): Promise<PdfFile> {
    const head = ascii(bytes, 0, Math.min(bytes.length, 1024));
    if (!head.includes('%PDF-')) throw new PdfError('NOT_A_PDF', 'The file does not start with a %PDF- header.');
    const file = new PdfFile(bytes, inflate);
    // Bytes may follow the last %%EOF (appended after signing): look for it anywhere, from the end.
    const startxref = lastIndexOfAscii(bytes, 'startxref', bytes.length - 1);
    if (startxref < 0 || lastIndexOfAscii(bytes, '%%EOF', bytes.length - 1, startxref) < 0) {
      throw new PdfError('TRUNCATED', 'The file has no startxref/%%EOF: it is incomplete.');
    }
    try {
      await file.readXrefChain();
    } catch {
      file.sections.length = 0;
      file.trailer = null;
    }
    if (!file.trailer || !file.trailer.dict.has('Root')) file.reconstruct();
    if (!file.trailer) throw new PdfError('DAMAGED', 'The cross-reference data is unreadable and no trailer was found.');
    for (const section of file.sections) {
      for (const [num, entry] of section.entries) if (!file.latest.has(num)) file.latest.set(num, entry);
    }
    return file;
  }

  private startxref(): number {
    const b = this.bytes;
    const at = lastIndexOfAscii(b, 'startxref', b.length - 1);
    if (at < 0) throw new SyntaxError('no startxref');
    const n = Number(new Lexer(b, at + 9).word());
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
      const lexer = new Lexer(this.bytes, offset);
      const section: XrefSection =
        lexer.peekWord() === 'xref' ? this.readXrefTable(lexer, offset) : await this.readXrefStream(lexer, offset);
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

  /** Finds `n g obj` by scanning, for files whose cross-reference data is missing or wrong. */
  private reconstruct(): void {
    this.sections.length = 0;
    this.reconstructed = true;
    const b = this.bytes;
    const entries = new Map<number, XrefEntry>();
    let text = '';
    for (let i = 0; i < b.length; i += 65536) text += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 65536)));
    for (const m of text.matchAll(/(\d+)\s+(\d+)\s+obj\b/g)) entries.set(Number(m[1]), { type: 1, offset: m.index, stream: 0, index: 0 });
    let trailer: Dict | null = null;
    for (const m of text.matchAll(/trailer\s*<</g)) {
      try {
        const t = new Lexer(b, m.index + 7).value();
        if (isDict(t) && isRef(t.dict.get('Root'))) trailer = t;
      } catch {
        // a damaged trailer: try the next one
      }
    }
    if (!trailer) {
      const catalog = /(\d+)\s+(\d+)\s+obj\s*<<[^>]*\/Type\s*\/Catalog/.exec(text);
      if (catalog) trailer = { dict: new Map<string, Value>([['Root', { num: Number(catalog[1]), gen: Number(catalog[2]) }]]) };
    }
    this.trailer = trailer;
    if (trailer) this.sections.push({ offset: 0, entries, trailer });
  }

  async streamData(stream: Dict): Promise<Uint8Array> {
    let length = stream.dict.get('Length');
    if (isRef(length)) length = await this.resolve(length);
    if (typeof length !== 'number' || stream.streamAt === undefined) throw new SyntaxError('stream without length');
    let raw = this.bytes.subarray(stream.streamAt, stream.streamAt + length);
    // Cross-reference streams are never encrypted (§7.6.2).
    if (this.#decryptor && nameOf(stream.dict.get('Type')) !== 'XRef') raw = await this.#decryptor.decrypt(raw);
    const filter = stream.dict.get('Filter');
    const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
    if (filters.length === 0) return raw;
    if (filters.length !== 1 || nameOf(filters[0]) !== 'FlateDecode') throw new SyntaxError('unsupported filter');
    const inflated = await this.inflate(raw);
    let parms = stream.dict.get('DecodeParms');
    if (Array.isArray(parms)) parms = parms[0];
    if (isRef(parms)) parms = await this.resolve(parms);
    const predictor = isDict(parms) ? Number(parms.dict.get('Predictor') ?? 1) : 1;
    if (predictor < 10) return inflated;
    return unpredictPng(inflated, isDict(parms) ? Number(parms.dict.get('Columns') ?? 1) : 1);
  }

  /** The object an xref entry points to. */
  async objectAt(num: number, entry: XrefEntry | undefined): Promise<Value | undefined> {
    if (!entry || entry.type === 0) return null;
    if (entry.type === 1) {
      const lexer = new Lexer(this.bytes, entry.offset);
      const n = lexer.word();
      lexer.word();
      if (Number(n) !== num || lexer.word() !== 'obj') throw new SyntaxError(`object ${num} not found at its offset`);
      const value = lexer.value();
      // Strings inside object streams are not encrypted on their own: the stream is (§7.6.2).
      if (this.#decryptor && num !== this.#decryptor.encryptObject) await decryptStrings(value, this.#decryptor);
      return value;
    }
    const stream = await this.objectStream(entry.stream);
    const at = stream.offsets.get(num);
    if (at === undefined) return null;
    return new Lexer(stream.data, at).value();
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

  private objectStream(num: number): Promise<{ data: Uint8Array; offsets: Map<number, number> }> {
    let cached = this.objectStreams.get(num);
    if (!cached) {
      cached = (async () => {
        const stream = await this.resolve({ num, gen: 0 });
        if (!isDict(stream) || stream.streamAt === undefined) throw new SyntaxError(`object stream ${num} is not a stream`);
        const data = await this.streamData(stream);
        const n = Number(stream.dict.get('N'));
        const first = Number(stream.dict.get('First'));
        const header = new Lexer(data);
        const offsets = new Map<number, number>();
        for (let i = 0; i < n; i++) {
          const objectNumber = Number(header.word());
          offsets.set(objectNumber, first + Number(header.word()));
        }
        return { data, offsets };
      })();
      this.objectStreams.set(num, cached);
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
