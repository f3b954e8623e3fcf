// The streams other readers of an accepted PDF will inflate, inflated here first, within the file's budgets
// (review finding 2, /work/notes/findings/server-review-1.md). The page-tree walk reads only what the pages reach;
// but pdf-lib (the sandbox's signer) parses a file from start to end and decodes *every* object stream it meets,
// referenced or not, and the sandbox's tag finder inflates every page's content stream. A 1 MB upload whose
// unreferenced object stream inflated to 1 GB, or whose page content inflated to 300 MB, passed the intake in
// milliseconds and then froze the main thread for a minute. So the intake also:
//  1. scans the file for every `n g obj`, as pdf-lib does, and inflates every object stream and cross-reference
//     stream found, all their filters (pdf-lib decodes filter chains), counting their objects against
//     maxObjects; one that uses a filter other than FlateDecode is refused (no accepted file makes pdf-lib
//     decode what the budget never saw);
//  2. reads every object of the object streams the cross-reference data names (pages may live there);
//  3. inflates the content streams of every page found by 1 and 2.
// Each inflation is charged to the file's meter (maxStreamBytes, maxInflatedBytes, maxWork, the deadline): a bomb
// is refused with the PdfLimitError the limit table uses, in the intake's worker, before anyone else reads it.
import { isDict, isRef, Lexer, nameOf, PdfLimitError, type Dict, type Inflate, type PdfFile, type Value } from '@esign-kit/pdf';

/** An object or cross-reference stream in a filter this reader does not decode: refused, as unreadable. */
export class UndecodableStream extends Error {
  constructor(num: number, filter: string) {
    super(`object ${num} is an object stream in filter ${filter}, which this server does not read`);
    this.name = 'UndecodableStream';
  }
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;
const isSpace = (c: number | undefined) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0;
const isWordByte = (c: number | undefined) => c !== undefined && (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95);

/** `n g` before the `obj` keyword at `at` (at most 10 digits each), or undefined. */
function headerBefore(b: Uint8Array, at: number): number | undefined {
  let p = at - 1;
  const digits = () => {
    const end = p;
    while (p >= 0 && isDigit(b[p]) && end - p < 11) p--;
    return end - p;
  };
  const spaces = () => {
    const end = p;
    while (p >= 0 && isSpace(b[p])) p--;
    return end - p;
  };
  if (!spaces()) return undefined;
  const g = digits();
  if (!g || g > 10 || !spaces()) return undefined;
  const end = p;
  const n = digits();
  if (!n || n > 10) return undefined;
  return Number(new TextDecoder().decode(b.subarray(p + 1, end + 1)));
}

/** A stream's data through all its filters (FlateDecode only), charged to the file's meter. */
async function decodeAll(file: PdfFile, num: number, stream: Dict, inflate: Inflate): Promise<void> {
  const length = await file.resolve(stream.dict.get('Length'));
  if (typeof length !== 'number' || !(length >= 0) || stream.streamAt === undefined) return;
  let data = file.bytes.subarray(stream.streamAt, Math.min(file.bytes.length, stream.streamAt + length));
  const filter = stream.dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
  for (const f of filters) {
    const name = nameOf(await file.resolve(f)) ?? '?';
    if (name !== 'FlateDecode') throw new UndecodableStream(num, name);
    const allowance = file.meter.inflateAllowance();
    let out: Uint8Array;
    try {
      out = await inflate(data, allowance.bytes);
    } catch (err) {
      if ((err as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE') throw file.meter.inflateRefused(allowance.code);
      return; // not deflate data (encrypted, damaged): readers fail on it at once, as here
    }
    if (out.length > allowance.bytes) throw file.meter.inflateRefused(allowance.code);
    file.meter.inflatedStream(out.length);
    data = out;
  }
}

/** Runs `read`, passing on a limit and dropping what a damaged object throws (readers skip it too). */
async function tolerant<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof PdfLimitError || err instanceof UndecodableStream) throw err;
    return undefined;
  }
}

/** Inflates, within the file's limits, every stream a later reader of the file may inflate (see above). */
export async function inflateEveryStream(file: PdfFile, inflate: Inflate): Promise<void> {
  const b = file.bytes;
  const { maxObjects } = file.meter.limits;
  /** Object streams the cross-reference data names: read through the file in step 2. */
  const listed = new Set<number>();
  for (const section of file.sections) for (const entry of section.entries.values()) if (entry.type === 2) listed.add(entry.stream);
  const contents: (Value | undefined)[] = [];
  let packed = 0;

  // 1. Every `n g obj` of the file, in file order.
  file.meter.spend(b.length);
  for (let i = b.indexOf(111 /* o */); i >= 0; i = b.indexOf(111, i + 1)) {
    if (b[i + 1] !== 98 /* b */ || b[i + 2] !== 106 /* j */ || isWordByte(b[i + 3]) || isWordByte(b[i - 1])) continue;
    const num = headerBefore(b, i);
    if (num === undefined) continue;
    const value = await tolerant(async () => new Lexer(b, i + 3, file.meter).value());
    if (!isDict(value)) continue;
    const type = nameOf(value.dict.get('Type'));
    if (type === 'Page') contents.push(value.dict.get('Contents'));
    if (value.streamAt === undefined || (type !== 'ObjStm' && type !== 'XRef')) continue;
    if (type === 'ObjStm') {
      packed += Math.max(0, Number(value.dict.get('N')) || 0);
      if (packed > maxObjects) throw file.meter.tooMany('pdf-too-many-objects', 'objects');
      if (listed.has(num)) continue;
    }
    await tolerant(() => decodeAll(file, num, value, inflate));
  }

  // 2. The objects of the object streams the cross-reference data names.
  for (const section of file.sections) {
    for (const [num, entry] of section.entries) {
      if (entry.type !== 2) continue;
      const value = await tolerant(() => file.objectAt(num, entry));
      if (isDict(value) && nameOf(value.dict.get('Type')) === 'Page') contents.push(value.dict.get('Contents'));
    }
  }

  // 3. The pages' content streams, each object once.
  const inflated = new Set<number>();
  for (const content of contents) {
    const parts = await tolerant(() => file.resolve(content));
    for (const part of Array.isArray(parts) ? parts : [content]) {
      if (!isRef(part) || inflated.has(part.num)) continue;
      inflated.add(part.num);
      const stream = await tolerant(() => file.resolve(part));
      if (isDict(stream) && stream.streamAt !== undefined) await tolerant(() => file.streamData(stream));
    }
  }
}
