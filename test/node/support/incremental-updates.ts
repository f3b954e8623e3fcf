// Incremental updates (PDF 32000-1 §7.5.6) written by hand over real signed files, for the verify tests that
// tamper with them: the objects given, then a classic cross-reference table and trailer, or a cross-reference
// stream (§7.5.8) numbered as the caller says. No PDF is committed hand-edited: every mutation is made here, in code.
import assert from 'node:assert/strict';

export const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
export const fromLatin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** The text of object `num` as last written (the newest `num 0 obj … endobj`). */
export function objectText(pdf: Uint8Array, num: number): string {
  const text = latin1(pdf);
  const at = text.lastIndexOf(`\n${num} 0 obj`);
  assert.ok(at >= 0, `object ${num}`);
  const start = text.indexOf('obj', at) + 3;
  return text.slice(start, text.indexOf('endobj', start)).trim();
}

/** The raw bytes of stream object `num` as last written (its /Length given directly). */
export function streamBytes(pdf: Uint8Array, num: number): Buffer {
  const text = latin1(pdf);
  const at = text.lastIndexOf(`\n${num} 0 obj`);
  assert.ok(at >= 0, `object ${num}`);
  const keyword = text.indexOf('stream', at) + 6;
  const start = text[keyword] === '\r' ? keyword + 2 : keyword + 1;
  const length = Number(/\/Length (\d+)/.exec(text.slice(at, keyword))![1]);
  return Buffer.from(text.slice(start, start + length), 'latin1');
}

/** A stream object's text from raw bytes (binary kept as Latin-1). */
export const streamObject = (data: Buffer | string, dict = '') =>
  `<< /Length ${Buffer.byteLength(data, 'latin1')} ${dict}>>\nstream\n${Buffer.isBuffer(data) ? data.toString('latin1') : data}\nendstream`;

function previous(text: string): { prev: number; root: string; size: number } {
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const root = /\/Root\s*(\d+ \d+ R)/.exec(text.slice(text.lastIndexOf('/Root')))![1]!;
  const size = Number(/\/Size\s*(\d+)/.exec(text.slice(text.lastIndexOf('/Size')))![1]);
  return { prev, root, size };
}

/**
 * An incremental update with a classic cross-reference table: the objects given (text, or null to free the
 * number) and a trailer that points back to the previous section (`extraTrailer` adds keys, e.g. `/Info 50 0 R`).
 */
export function appendRevision(pdf: Uint8Array, objects: Record<number, string | null>, extraTrailer = ''): Uint8Array {
  const text = latin1(pdf);
  const { prev, root, size } = previous(text);
  let body = text.endsWith('\n') ? '' : '\n';
  const offsets = new Map<number, number>();
  for (const [num, value] of Object.entries(objects)) {
    if (value === null) continue;
    offsets.set(Number(num), pdf.length + body.length);
    body += `${num} 0 obj\n${value}\nendobj\n`;
  }
  const xrefAt = pdf.length + body.length;
  let xref = 'xref\n0 1\n0000000000 65535 f \n';
  for (const [num, value] of Object.entries(objects)) {
    xref += `${num} 1\n`;
    xref += value === null ? '0000000000 00001 f \n' : `${String(offsets.get(Number(num))).padStart(10, '0')} 00000 n \n`;
  }
  const newSize = Math.max(size, ...Object.keys(objects).map((n) => Number(n) + 1));
  body += `${xref}trailer\n<< /Root ${root} /Size ${newSize} /Prev ${prev} ${extraTrailer}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([pdf, Buffer.from(body, 'latin1')]));
}

/**
 * An incremental update whose cross-reference data is a stream (§7.5.8) numbered `streamNumber`: entries for the
 * objects given, and — when `listItself` — for the stream itself, as a careful writer lists it. `compressed`
 * lists objects stored in an object stream (§7.5.7) of this update: number → [object stream, index].
 */
export function appendXrefStreamRevision(
  pdf: Uint8Array,
  objects: Record<number, string>,
  streamNumber: number,
  listItself = false,
  compressed: Record<number, [stream: number, index: number]> = {},
): Uint8Array {
  const text = latin1(pdf);
  const { prev, root, size } = previous(text);
  let body = text.endsWith('\n') ? '' : '\n';
  const offsets = new Map<number, number>();
  for (const [num, value] of Object.entries(objects)) {
    offsets.set(Number(num), pdf.length + body.length);
    body += `${num} 0 obj\n${value}\nendobj\n`;
  }
  const xrefAt = pdf.length + body.length;
  if (listItself) offsets.set(streamNumber, xrefAt);
  const numbers = [...new Set([...offsets.keys(), ...Object.keys(compressed).map(Number)])].sort((a, b) => a - b);
  const rows: number[] = [];
  const index: number[] = [];
  for (const n of numbers) {
    index.push(n, 1);
    const member = compressed[n];
    const [type, field2, field3] = member ? [2, member[0], member[1]] : [1, offsets.get(n)!, 0];
    rows.push(type, (field2 >>> 24) & 255, (field2 >>> 16) & 255, (field2 >>> 8) & 255, field2 & 255, (field3 >>> 8) & 255, field3 & 255);
  }
  const data = Buffer.from(rows);
  const newSize = Math.max(size, ...numbers.map((n) => n + 1));
  const head = `${streamNumber} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [${index.join(' ')}] /Size ${newSize} /Root ${root} /Prev ${prev} /Length ${data.length} >>\nstream\n`;
  const tail = `\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([pdf, Buffer.from(body + head, 'latin1'), data, Buffer.from(tail, 'latin1')]));
}
