// Reads each page's MediaBox, CropBox, Rotate and UserUnit (with their Pages-tree parents) straight from
// a PDF's bytes. Browsers need it because pdf.js exposes only the visible area (`view`, the CropBox clipped
// to the MediaBox), while visual space (COORDINATES.md) is defined by the MediaBox itself.
//
// It is deliberately small: it follows the cross-reference chain (tables and streams, PDF 32000-1 §7.5),
// reads object streams (§7.5.7) and, if the cross-reference data is broken, finds objects by scanning. It
// decodes only FlateDecode streams (with PNG predictors), through an inflate function the caller supplies,
// so that the core needs no DOM and no Node API. When it cannot read a file (an unusual filter, encrypted
// object streams), it returns null and the caller falls back to what its renderer reports.
import type { PageTreeNode } from './geometry.js';

export type Inflate = (data: Uint8Array) => Promise<Uint8Array>;

type Value = number | boolean | null | string | Name | Ref | Value[] | Dict;
interface Name {
  name: string;
}
interface Ref {
  num: number;
  gen: number;
}
interface Dict {
  dict: Map<string, Value>;
  /** Offset of the stream data, when the dictionary starts a stream. */
  streamAt?: number;
}

const isName = (v: Value | undefined): v is Name => typeof v === 'object' && v !== null && 'name' in v;
const isRef = (v: Value | undefined): v is Ref => typeof v === 'object' && v !== null && 'num' in v && 'gen' in v;
const isDict = (v: Value | undefined): v is Dict => typeof v === 'object' && v !== null && 'dict' in v;

const WHITESPACE = new Set([0, 9, 10, 12, 13, 32]);
const DELIMITERS = new Set([40, 41, 60, 62, 91, 93, 123, 125, 47, 37]);

class Lexer {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 37 /* % */) while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      else break;
    }
  }

  word(): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.bytes.length && !WHITESPACE.has(this.bytes[this.pos]!) && !DELIMITERS.has(this.bytes[this.pos]!)) this.pos++;
    let s = '';
    for (let i = start; i < this.pos; i++) s += String.fromCharCode(this.bytes[i]!);
    return s;
  }

  peekWord(): string {
    const at = this.pos;
    const w = this.word();
    this.pos = at;
    return w;
  }

  /** Parses one object; `n g R` references are recognised by looking ahead. */
  value(): Value {
    this.skipSpace();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) throw new SyntaxError('unexpected end of file');
    if (c === 47 /* / */) {
      this.pos++;
      let name = '';
      while (this.pos < b.length && !WHITESPACE.has(b[this.pos]!) && !DELIMITERS.has(b[this.pos]!)) {
        const ch = b[this.pos++]!;
        if (ch === 35 /* # */) {
          name += String.fromCharCode(parseInt(String.fromCharCode(b[this.pos]!, b[this.pos + 1]!), 16));
          this.pos += 2;
        } else name += String.fromCharCode(ch);
      }
      return { name };
    }
    if (c === 60 /* < */ && b[this.pos + 1] === 60) return this.dictionary();
    if (c === 60) {
      while (this.pos < b.length && b[this.pos] !== 62) this.pos++;
      this.pos++;
      return '';
    }
    if (c === 40 /* ( */) return this.literalString();
    if (c === 91 /* [ */) {
      this.pos++;
      const items: Value[] = [];
      for (;;) {
        this.skipSpace();
        if (b[this.pos] === 93) {
          this.pos++;
          return items;
        }
        items.push(this.value());
      }
    }
    const w = this.word();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    const n = Number(w);
    if (w === '' || !Number.isFinite(n)) throw new SyntaxError(`unexpected token "${w}" at ${this.pos}`);
    if (Number.isInteger(n) && n >= 0) {
      const at = this.pos;
      const gen = this.word();
      if (/^\d+$/.test(gen) && this.word() === 'R') return { num: n, gen: Number(gen) };
      this.pos = at;
    }
    return n;
  }

  private literalString(): string {
    // Strings only matter to be skipped: balance parentheses, honour backslash escapes.
    const b = this.bytes;
    let depth = 0;
    do {
      const ch = b[this.pos++];
      if (ch === undefined) throw new SyntaxError('unterminated string');
      if (ch === 92 /* \ */) this.pos++;
      else if (ch === 40) depth++;
      else if (ch === 41) depth--;
    } while (depth > 0);
    return '';
  }

  private dictionary(): Dict {
    this.pos += 2;
    const dict = new Map<string, Value>();
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.pos] === 62 && this.bytes[this.pos + 1] === 62) {
        this.pos += 2;
        break;
      }
      const key = this.value();
      if (!isName(key)) throw new SyntaxError('dictionary key is not a name');
      dict.set(key.name, this.value());
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

interface XrefEntry {
  /** 1: at `offset`; 2: object `index` of object stream `stream`. */
  type: 1 | 2;
  offset: number;
  stream: number;
  index: number;
}

class PdfFile {
  private readonly xref = new Map<number, XrefEntry>();
  private readonly objectStreams = new Map<number, Promise<{ lexer: Lexer; offsets: Map<number, number> }>>();
  trailer: Dict | null = null;

  constructor(
    readonly bytes: Uint8Array,
    private readonly inflate: Inflate,
  ) {}

  async open(): Promise<void> {
    try {
      await this.readXrefChain();
    } catch {
      this.xref.clear();
      this.trailer = null;
    }
    if (!this.trailer || !this.trailer.dict.has('Root')) this.reconstruct();
  }

  private startxref(): number {
    const b = this.bytes;
    const from = Math.max(0, b.length - 2048);
    for (let i = b.length - 9; i >= from; i--) {
      if (b[i] === 115 && String.fromCharCode(...b.subarray(i, i + 9)) === 'startxref') {
        const n = Number(new Lexer(b, i + 9).word());
        if (Number.isInteger(n)) return n;
      }
    }
    throw new SyntaxError('no startxref');
  }

  private async readXrefChain(): Promise<void> {
    const seen = new Set<number>();
    const pending = [this.startxref()];
    while (pending.length) {
      const offset = pending.shift()!;
      if (seen.has(offset) || offset < 0 || offset >= this.bytes.length) continue;
      seen.add(offset);
      const lexer = new Lexer(this.bytes, offset);
      let trailer: Dict;
      if (lexer.peekWord() === 'xref') trailer = this.readXrefTable(lexer);
      else trailer = await this.readXrefStream(lexer);
      this.trailer ??= trailer;
      // A hybrid file points to its stream in /XRefStm; older sections come through /Prev.
      for (const key of ['XRefStm', 'Prev']) {
        const v = trailer.dict.get(key);
        if (typeof v === 'number') pending.push(v);
      }
    }
  }

  private readXrefTable(lexer: Lexer): Dict {
    lexer.word(); // xref
    for (;;) {
      const word = lexer.peekWord();
      if (word === 'trailer') {
        lexer.word();
        const trailer = lexer.value();
        if (!isDict(trailer)) throw new SyntaxError('bad trailer');
        return trailer;
      }
      const first = Number(lexer.word());
      const count = Number(lexer.word());
      if (!Number.isInteger(first) || !Number.isInteger(count)) throw new SyntaxError('bad xref subsection');
      for (let i = 0; i < count; i++) {
        const offset = Number(lexer.word());
        lexer.word(); // generation
        const kind = lexer.word();
        // The newest section is read first: an object keeps its first (newest) entry.
        if (kind === 'n' && !this.xref.has(first + i)) this.xref.set(first + i, { type: 1, offset, stream: 0, index: 0 });
        else if (!this.xref.has(first + i)) this.xref.set(first + i, { type: 1, offset: -1, stream: 0, index: 0 });
      }
    }
  }

  private async readXrefStream(lexer: Lexer): Promise<Dict> {
    lexer.word();
    lexer.word();
    if (lexer.word() !== 'obj') throw new SyntaxError('xref stream is not an object');
    const stream = lexer.value();
    if (!isDict(stream) || stream.streamAt === undefined) throw new SyntaxError('bad xref stream');
    const data = await this.streamData(stream);
    const widths = (stream.dict.get('W') as number[]) ?? [];
    const size = Number(stream.dict.get('Size'));
    const index = (stream.dict.get('Index') as number[] | undefined) ?? [0, size];
    const [w0 = 0, w1 = 0, w2 = 0] = widths;
    const rowLength = w0 + w1 + w2;
    let row = 0;
    const field = (start: number, width: number, fallback: number) => {
      if (width === 0) return fallback;
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + data[start + i]!;
      return v;
    };
    for (let s = 0; s < index.length; s += 2) {
      const first = index[s]!;
      const count = index[s + 1]!;
      for (let i = 0; i < count; i++, row++) {
        const at = row * rowLength;
        if (at + rowLength > data.length) break;
        const type = field(at, w0, 1);
        const a = field(at + w0, w1, 0);
        const b = field(at + w0 + w1, w2, 0);
        if (this.xref.has(first + i)) continue;
        if (type === 1) this.xref.set(first + i, { type: 1, offset: a, stream: 0, index: 0 });
        else if (type === 2) this.xref.set(first + i, { type: 2, offset: 0, stream: a, index: b });
        else this.xref.set(first + i, { type: 1, offset: -1, stream: 0, index: 0 });
      }
    }
    return stream;
  }

  /** Finds `n g obj` by scanning, for files whose cross-reference data is missing or wrong. */
  private reconstruct(): void {
    this.xref.clear();
    const b = this.bytes;
    let text = '';
    for (let i = 0; i < b.length; i += 65536) text += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 65536)));
    for (const m of text.matchAll(/(\d+)\s+(\d+)\s+obj\b/g)) {
      this.xref.set(Number(m[1]), { type: 1, offset: m.index!, stream: 0, index: 0 });
    }
    let root: Ref | null = null;
    for (const m of text.matchAll(/trailer\s*<</g)) {
      const trailer = new Lexer(b, m.index! + 7).value();
      if (isDict(trailer) && isRef(trailer.dict.get('Root'))) {
        this.trailer = trailer;
        root = trailer.dict.get('Root') as Ref;
      }
    }
    if (!root) {
      const catalog = /(\d+)\s+(\d+)\s+obj\s*<<[^>]*\/Type\s*\/Catalog/.exec(text);
      if (catalog) this.trailer = { dict: new Map<string, Value>([['Root', { num: Number(catalog[1]), gen: Number(catalog[2]) }]]) };
    }
  }

  private async streamData(stream: Dict): Promise<Uint8Array> {
    let length = stream.dict.get('Length');
    if (isRef(length)) length = await this.resolve(length);
    if (typeof length !== 'number') throw new SyntaxError('stream without length');
    const raw = this.bytes.subarray(stream.streamAt!, stream.streamAt! + length);
    const filter = stream.dict.get('Filter');
    const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
    if (filters.length === 0) return raw;
    if (filters.length !== 1 || !isName(filters[0]) || filters[0].name !== 'FlateDecode') throw new SyntaxError('unsupported filter');
    const inflated = await this.inflate(raw);
    let parms = stream.dict.get('DecodeParms');
    if (Array.isArray(parms)) parms = parms[0];
    if (isRef(parms)) parms = await this.resolve(parms);
    const predictor = isDict(parms) ? Number(parms.dict.get('Predictor') ?? 1) : 1;
    if (predictor < 10) return inflated;
    return unpredictPng(inflated, isDict(parms) ? Number(parms.dict.get('Columns') ?? 1) : 1);
  }

  async resolve(value: Value | undefined): Promise<Value | undefined> {
    if (!isRef(value)) return value;
    const entry = this.xref.get(value.num);
    if (!entry || (entry.type === 1 && entry.offset < 0)) return null;
    if (entry.type === 1) {
      const lexer = new Lexer(this.bytes, entry.offset);
      lexer.word();
      lexer.word();
      if (lexer.word() !== 'obj') throw new SyntaxError(`object ${value.num} not found at its offset`);
      return lexer.value();
    }
    const stream = await this.objectStream(entry.stream);
    const at = stream.offsets.get(value.num);
    if (at === undefined) return null;
    stream.lexer.pos = at;
    return stream.lexer.value();
  }

  private objectStream(num: number): Promise<{ lexer: Lexer; offsets: Map<number, number> }> {
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
        return { lexer: new Lexer(data), offsets };
      })();
      this.objectStreams.set(num, cached);
    }
    return cached;
  }
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

async function numbers(file: PdfFile, value: Value | undefined): Promise<number[] | undefined> {
  const v = await file.resolve(value);
  if (!Array.isArray(v)) return undefined;
  const out: number[] = [];
  for (const item of v) {
    const n = await file.resolve(item);
    out.push(typeof n === 'number' ? n : Number.NaN);
  }
  return out;
}

async function number(file: PdfFile, value: Value | undefined): Promise<number | undefined> {
  const v = await file.resolve(value);
  return typeof v === 'number' ? v : undefined;
}

/**
 * Every page of the document, in order, as a PageTreeNode with its Parent chain (pass each to
 * `pageGeometryFromPageTree`). Returns null when the file cannot be read this way.
 */
export async function readPageTree(bytes: Uint8Array, inflate: Inflate): Promise<PageTreeNode[] | null> {
  try {
    const file = new PdfFile(bytes, inflate);
    await file.open();
    const catalog = await file.resolve(file.trailer?.dict.get('Root'));
    if (!isDict(catalog)) return null;
    const pages: PageTreeNode[] = [];
    const visited = new Set<string>();
    const walk = async (ref: Value | undefined, parent: PageTreeNode | undefined): Promise<void> => {
      if (isRef(ref)) {
        const key = `${ref.num} ${ref.gen}`;
        if (visited.has(key)) return;
        visited.add(key);
      }
      const node = await file.resolve(ref);
      if (!isDict(node)) return;
      const d = node.dict;
      const tree: PageTreeNode = {
        MediaBox: await numbers(file, d.get('MediaBox')),
        CropBox: await numbers(file, d.get('CropBox')),
        Rotate: await number(file, d.get('Rotate')),
        UserUnit: await number(file, d.get('UserUnit')),
        Parent: parent,
      };
      const kids = await file.resolve(d.get('Kids'));
      const type = d.get('Type');
      if (Array.isArray(kids) && !(isName(type) && type.name === 'Page')) {
        for (const kid of kids) await walk(kid, tree);
      } else pages.push(tree);
    };
    await walk(catalog.dict.get('Pages'), undefined);
    return pages.length ? pages : null;
  } catch {
    return null;
  }
}
