// Hostile PDFs, generated in code (never hand-edited): the red team's files of issues #13 and #15, and a few
// neighbours. Each is written byte by byte with a correct cross-reference table or stream where the attack does
// not need a broken one, so that what refuses it is the limit under test and not a parse error on the way.
import { deflateRawSync, deflateSync, constants } from 'node:zlib';
import { PDFDocument, PDFHexString, PDFName } from 'pdf-lib';

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const MB = 1024 * 1024;

/**
 * A PDF with a classic cross-reference table: `objects[i]` is the body of object i + 1 (between `n 0 obj`
 * and `endobj`); object 1 is the catalog. `broken` writes a wrong startxref (readers must reconstruct).
 */
export function classicPdf(objects: readonly (string | Uint8Array)[], options: { broken?: boolean; header?: string } = {}): Uint8Array {
  const parts: Buffer[] = [latin1(options.header ?? '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let at = parts[0]!.length;
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(at);
    const chunk = Buffer.concat([latin1(`${i + 1} 0 obj\n`), typeof body === 'string' ? latin1(body) : Buffer.from(body), latin1('\nendobj\n')]);
    parts.push(chunk);
    at += chunk.length;
  }
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(latin1(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${options.broken ? 7 : at}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

/** A page tree whose every node lists the same child twice: 2^depth pages announced, depth + 1 nodes held. */
export function pageTreeDag(depth: number): Uint8Array {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>'];
  for (let level = 0; level < depth; level++) {
    const kid = level + 3;
    objects.push(`<< /Type /Pages /Kids [${kid} 0 R ${kid} 0 R] /Count ${2 ** (depth - level)} >>`);
  }
  objects.push(PAGE);
  return classicPdf(objects);
}

/** A /Kids cycle: the root's kid lists the root again (the page count never ends). */
export function kidsCycle(): Uint8Array {
  return classicPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    PAGE,
    '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>',
  ]);
}

/** Arrays nested `depth` deep inside the catalog. */
export function deepNesting(depth = 100_000): Uint8Array {
  return classicPdf([`<< /Type /Catalog /Pages 2 0 R /Deep ${'['.repeat(depth)}${']'.repeat(depth)} >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE]);
}

/** `%PDF-1.7` then `bytes` of one letter: no structure at all. */
export function junkAfterHeader(bytes = 20 * MB, letter = 'A'): Uint8Array {
  const out = Buffer.alloc(9 + bytes, letter.charCodeAt(0));
  out.write('%PDF-1.7\n', 0, 'latin1');
  return new Uint8Array(out);
}

/**
 * The zlib stream of `head` followed by `zeros` zero bytes, built without ever holding the zeros: one raw
 * deflate segment of 1 MiB of zeros, ended by a full flush (byte-aligned, self-contained), is repeated; the
 * Adler-32 of the whole is computed arithmetically (zeros leave `a` unchanged and add `a` to `b` each).
 */
export function zlibOfHeadThenZeros(head: Uint8Array, zeros: number): Uint8Array {
  const segment = deflateRawSync(Buffer.alloc(MB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const headSegment = deflateRawSync(head, { finishFlush: constants.Z_FULL_FLUSH });
  const whole = Math.floor(zeros / MB);
  const rest = deflateRawSync(Buffer.alloc(zeros - whole * MB), { finishFlush: constants.Z_FULL_FLUSH });
  const final = deflateRawSync(Buffer.alloc(0)); // an empty final block
  let a = 1;
  let b = 0;
  for (const byte of head) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  b = (b + (zeros % 65521) * a) % 65521;
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  const out = Buffer.alloc(2 + headSegment.length + whole * segment.length + rest.length + final.length + 4);
  let at = out.writeUInt16BE(0x78da, 0);
  at += headSegment.copy(out, at);
  for (let i = 0; i < whole; i++) at += segment.copy(out, at);
  at += rest.copy(out, at);
  at += final.copy(out, at);
  adler.copy(out, at);
  return new Uint8Array(out);
}

/** An uncompressed cross-reference stream (§7.5.8) as object `num`, for `entries[i]` = object i: [type, field2, field3]. */
function xrefStream(num: number, entries: readonly [number, number, number][], at: number): string {
  const rows = Buffer.alloc(entries.length * 7);
  entries.forEach(([type, f2, f3], i) => {
    rows.writeUInt8(type, i * 7);
    rows.writeUInt32BE(f2, i * 7 + 1);
    rows.writeUInt16BE(f3, i * 7 + 5);
  });
  return `${num} 0 obj\n<< /Type /XRef /Size ${entries.length} /W [1 4 2] /Root 1 0 R /Length ${rows.length} >>\nstream\n${rows.toString('latin1')}\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`;
}

/**
 * Objects 1–3 (the catalog, the page tree, the page) in object streams, `groups[k]` naming the objects of
 * stream k, each stream's data going on with zeros up to `inflatedBytes`; listed by a cross-reference stream.
 */
function objectStreamsPdf(groups: readonly (readonly number[])[], inflatedBytes: number): Uint8Array {
  const bodies = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE];
  const start = latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const parts: Buffer[] = [start];
  let at = start.length;
  const entries: [number, number, number][] = [
    [0, 0, 65535],
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (const group of groups) {
    const num = entries.length;
    let offset = 0;
    const pairs: string[] = [];
    group.forEach((obj, i) => {
      pairs.push(`${obj} ${offset}`);
      offset += bodies[obj - 1]!.length + 1;
      entries[obj] = [2, num, i];
    });
    const header = `${pairs.join(' ')}\n`;
    const head = latin1(header + group.map((obj) => bodies[obj - 1]).join('\n') + '\n');
    const data = zlibOfHeadThenZeros(head, Math.max(0, inflatedBytes - head.length));
    entries.push([1, at, 0]);
    const chunk = Buffer.concat([
      latin1(`${num} 0 obj\n<< /Type /ObjStm /N ${group.length} /First ${header.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`),
      data,
      latin1('\nendstream\nendobj\n'),
    ]);
    parts.push(chunk);
    at += chunk.length;
  }
  entries.push([1, at, 0]);
  parts.push(latin1(xrefStream(entries.length - 1, entries, at)));
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * The compression bomb: the catalog, the page tree and the page are the objects of one object stream whose
 * data goes on with zeros up to `inflatedBytes`; a reader must inflate it to find the pages. At about 1000:1,
 * 4 GiB of zeros is a ~4 MB file.
 */
export function objectStreamBomb(inflatedBytes: number): Uint8Array {
  return objectStreamsPdf([[1, 2, 3]], inflatedBytes);
}

/** Three object streams of `perStream` bytes each (one object in each): every one under the per-stream limit, together over the file's. */
export function spreadBomb(perStream: number): Uint8Array {
  return objectStreamsPdf([[1], [2], [3]], perStream);
}

/**
 * A valid one-page document plus an object stream nothing refers to (object 4: listed in the cross-reference
 * table, reached by no page), inflating to `inflatedBytes`. The page-tree walk never reads it; pdf-lib, which
 * parses a file from start to end, decodes it (review finding 2: 1 GiB froze the sandbox 25 s, then stored).
 */
export function unreferencedObjectStream(inflatedBytes: number): Uint8Array {
  const head = latin1('5 0\nnull\n');
  const data = zlibOfHeadThenZeros(head, inflatedBytes - head.length);
  const stream = Buffer.concat([
    latin1(`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`),
    data,
    latin1('\nendstream'),
  ]);
  return classicPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE, new Uint8Array(stream)]);
}

/**
 * A one-page document whose page content (object 4) shows text and then goes on with zeros up to
 * `inflatedBytes`: the sandbox's tag finder inflated and tokenised all of it looking for a marker (review
 * finding 2: 300 MiB blocked the server 53 s at 1.4 GB).
 */
export function contentStreamBomb(inflatedBytes: number): Uint8Array {
  const head = latin1('BT /F1 12 Tf 72 720 Td (Ditandatangani di sini: #) Tj ET\n');
  const data = zlibOfHeadThenZeros(head, inflatedBytes - head.length);
  const stream = Buffer.concat([latin1(`<< /Filter /FlateDecode /Length ${data.length} >>\nstream\n`), data, latin1('\nendstream')]);
  const page = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>';
  return classicPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page,
    new Uint8Array(stream),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/**
 * `count` tiny objects (`null`) in object streams of 1000, listed by one compressed cross-reference stream,
 * besides a valid catalog, page tree and page: a ~1 MB file.
 */
export function manyObjects(count: number): Uint8Array {
  const start = latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const parts: Buffer[] = [start];
  let at = start.length;
  const entries: [number, number, number][] = [[0, 0, 65535]];
  const direct = (body: string) => {
    const num = entries.length;
    entries.push([1, at, 0]);
    const chunk = latin1(`${num} 0 obj\n${body}\nendobj\n`);
    parts.push(chunk);
    at += chunk.length;
    return num;
  };
  direct('<< /Type /Catalog /Pages 2 0 R >>');
  direct('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  direct(PAGE);
  const perStream = 1000;
  const streams = Math.ceil(count / perStream);
  const first = entries.length + streams; // object numbers of the tiny objects start after the streams
  for (let s = 0; s < streams; s++) {
    const n = Math.min(perStream, count - s * perStream);
    const numbers = Array.from({ length: n }, (_, i) => first + s * perStream + i);
    const header = `${numbers.map((num, i) => `${num} ${i * 5}`).join(' ')}\n`;
    const data = deflateSync(latin1(header + 'null '.repeat(n)));
    const num = entries.length;
    entries.push([1, at, 0]);
    const chunk = Buffer.concat([
      latin1(`${num} 0 obj\n<< /Type /ObjStm /N ${n} /First ${header.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`),
      data,
      latin1('\nendstream\nendobj\n'),
    ]);
    parts.push(chunk);
    at += chunk.length;
  }
  for (let s = 0; s < streams; s++) {
    const n = Math.min(perStream, count - s * perStream);
    for (let i = 0; i < n; i++) entries.push([2, 4 + s, i]);
  }
  const xrefNum = entries.length;
  entries.push([1, at, 0]);
  const rows = Buffer.alloc(entries.length * 7);
  entries.forEach(([type, f2, f3], i) => {
    rows.writeUInt8(type, i * 7);
    rows.writeUInt32BE(f2, i * 7 + 1);
    rows.writeUInt16BE(f3, i * 7 + 5);
  });
  const packed = deflateSync(rows);
  parts.push(
    Buffer.concat([
      latin1(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${entries.length} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`),
      packed,
      latin1(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`),
    ]),
  );
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * `count` empty objects (`n 0 obj endobj`, ~20 bytes each) and no cross-reference table at all, only a
 * startxref that points nowhere: readers must find every object by scanning.
 */
export function manyObjectsBrokenXref(count: number): Uint8Array {
  const head = `%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj ${PAGE} endobj\n`;
  const out = Buffer.alloc(head.length + count * 20 + 64);
  let at = out.write(head, 0, 'latin1');
  for (let i = 0; i < count; i++) at += out.write(`${i + 4} 0 obj endobj\n`, at, 'latin1');
  at += out.write('trailer << /Root 1 0 R >>\nstartxref\n7\n%%EOF\n', at, 'latin1');
  return new Uint8Array(out.subarray(0, at));
}

/** A real document (pdf-lib) with extra objects, runs of `digitRun` digits, and optionally a startxref that points nowhere. */
export async function documentWith(options: { pages?: number; extraObjects?: number; digitRun?: number; brokenXref?: boolean }): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < (options.pages ?? 1); i++) doc.addPage([595, 842]).drawText(`page ${i + 1}`, { x: 50, y: 50 });
  for (let i = 0; i < (options.extraObjects ?? 0); i++) doc.context.register(doc.context.obj({ I: i }));
  if (options.digitRun) {
    // Like a signature's zero padding (`/Contents <0000…>`): an unbroken run of digits, here twice: a hexadecimal
    // string of zeros, and an uncompressed stream of '0'…'9'.
    doc.catalog.set(PDFName.of('Padding'), PDFHexString.of('0'.repeat(options.digitRun)));
    const digits = Array.from({ length: options.digitRun }, (_, i) => String(i % 10)).join('');
    doc.catalog.set(PDFName.of('Digits'), doc.context.register(doc.context.stream(digits, {})));
  }
  const bytes = await doc.save({ useObjectStreams: false });
  if (!options.brokenXref) return bytes;
  const text = Buffer.from(bytes).toString('latin1');
  return new Uint8Array(Buffer.from(text.replace(/startxref\s+\d+\s+%%EOF\s*$/, 'startxref\n123\n%%EOF\n'), 'latin1'));
}

/**
 * A signed PDF with one incremental update of `count` new objects (a valid cross-reference section chained to the
 * signed one by /Prev): every reader accepts it quickly. Unreferenced (the default), they change nothing a reader
 * shows and the change analysis need not parse them; `referenced`, the trailer points to an array of them all, so
 * judging what changed after the signature reads every one. `body` writes object i (default a one-entry
 * dictionary; e.g. a long array to make each object costly to lex).
 */
export function signedWithLargeUpdate(signed: Uint8Array, count: number, options: { body?: (i: number) => string; referenced?: boolean } = {}): Uint8Array {
  const body = options.body ?? ((i: number) => `<< /I ${i} >>`);
  const text = Buffer.from(signed).toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const size = Math.max(...[...text.matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1])));
  const root = /\/Root (\d+ \d+ R)/.exec(text)![1];
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let at = signed.length;
  const total = count + (options.referenced ? 1 : 0);
  for (let i = 0; i < total; i++) {
    const chunk = latin1(`${size + i} 0 obj\n${i < count ? body(i) : `[${Array.from({ length: count }, (_, k) => `${size + k} 0 R`).join(' ')}]`}\nendobj\n`);
    offsets.push(at);
    parts.push(chunk);
    at += chunk.length;
  }
  const all = options.referenced ? ` /All ${size + count} 0 R` : '';
  const xref = `xref\n${size} ${total}\n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(latin1(`${xref}trailer\n<< /Size ${size + total} /Root ${root}${all} /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat([Buffer.from(signed), ...parts]));
}
