// The core's page-tree reader against pdf-lib's own parse of the same files, in every cross-reference layout.
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { pageGeometry, pageGeometryFromPageTree } from '@esign-kit/core';
import { readPageTree } from '@esign-kit/pdf';
import { readPageGeometries } from '../../server/src/pdf/page-geometry.js';
import { buildGeometryPdf, buildInheritedRotationPdf, GEOMETRY_CASES } from '../fixtures/geometry-pdf.js';

const inflate = async (data: Uint8Array) => new Uint8Array(inflateSync(data));

async function geometries(bytes: Uint8Array) {
  const tree = await readPageTree(bytes, inflate);
  assert.ok(tree, 'the reader gave up');
  return tree.map(pageGeometryFromPageTree);
}

const expected = GEOMETRY_CASES.map((c) => pageGeometry(c));

describe('readPageTree', () => {
  it('reads a file with object streams and a cross-reference stream (pdf-lib default)', async () => {
    const bytes = await buildGeometryPdf();
    assert.match(Buffer.from(bytes).toString('latin1'), /\/Type \/ObjStm/);
    assert.deepEqual(await geometries(bytes), expected);
    assert.deepEqual(await geometries(bytes), readPageGeometries(await PDFDocument.load(bytes)));
  });

  it('reads a classic cross-reference table', async () => {
    const doc = await PDFDocument.load(await buildGeometryPdf());
    const bytes = await doc.save({ useObjectStreams: false });
    assert.match(Buffer.from(bytes).toString('latin1'), /\nxref\n/);
    assert.deepEqual(await geometries(bytes), expected);
  });

  it('follows /Prev through an incremental update, newest entries first', async () => {
    const doc = await PDFDocument.load(await buildGeometryPdf());
    const original = await doc.save({ useObjectStreams: false });
    // Append an update that rewrites page 1's dictionary with another MediaBox.
    const text = Buffer.from(original).toString('latin1');
    const pageRef = doc.getPage(0).ref;
    const startxref = Number(/startxref\s+(\d+)/.exec(text.slice(-64))![1]);
    const pageObject = new RegExp(`${pageRef.objectNumber} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`).exec(text)!;
    const body = pageObject[1]!.replace(/\/MediaBox \[[^\]]*\]/, '/MediaBox [0 0 400 500]');
    const offset = original.length;
    const update = `${pageRef.objectNumber} 0 obj\n<<${body}>>\nendobj\n`;
    const xrefAt = offset + update.length;
    const size = /\/Size (\d+)/.exec(text)![1];
    const root = /\/Root (\d+ \d+ R)/.exec(text)![1];
    const tail = `xref\n${pageRef.objectNumber} 1\n${String(offset).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size} /Root ${root} /Prev ${startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const updated = Buffer.concat([Buffer.from(original), Buffer.from(update + tail, 'latin1')]);
    const read = await geometries(new Uint8Array(updated));
    assert.deepEqual(read[0]!.mediaBox, [0, 0, 400, 500]);
    assert.deepEqual(read.slice(1), expected.slice(1));
  });

  it('reconstructs when the cross-reference offsets are wrong', async () => {
    const doc = await PDFDocument.load(await buildGeometryPdf());
    const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
    const broken = Buffer.from(bytes.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n123'), 'latin1');
    assert.deepEqual(await geometries(new Uint8Array(broken)), expected);
  });

  it('resolves attributes inherited from the Pages tree', async () => {
    const tree = await readPageTree(await buildInheritedRotationPdf(-270), inflate);
    assert.deepEqual(tree!.map(pageGeometryFromPageTree), [pageGeometry({ mediaBox: [0, 0, 400, 600], rotate: 90 })]);
  });

  it('gives up (null) on something that is not a PDF', async () => {
    assert.equal(await readPageTree(new TextEncoder().encode('<html>hello</html>'), inflate), null);
    assert.equal(await readPageTree(new Uint8Array(0), inflate), null);
  });
});
