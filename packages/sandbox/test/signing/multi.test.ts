// Several signers on one document: each later signature is an incremental update, so every earlier signature
// keeps validating (pdfsig reports it as "not total", as expected for an earlier revision), and each later
// signer's stamp (a widget appearance written in the update) is visible.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { userBoxToViewport, type NeutralBox } from '@esign-kit/core';
import { PDFDocument, PDFName, rgb } from 'pdf-lib';
import { readPageGeometries } from '../../../../server/src/pdf/page-geometry.js';
import { openSandboxCa, type SandboxCa, type SigningCredentials } from '../../src/signing/ca.js';
import { signPdf } from '../../src/signing/pades.js';
import { colourBounds, createTrustedNssDb, pngImage, renderPage, verifyWithPdfsig, type Rgb } from './helpers.js';

const COLOURS: Rgb[] = [
  [0, 0, 255],
  [0, 170, 0],
  [255, 0, 255],
];
const solid = (colour: Rgb) => pngImage(300, 150, () => colour);
const BOXES: NeutralBox[] = [
  { page: 1, x: 60, y: 80, width: 150, height: 60 },
  { page: 1, x: 230, y: 80, width: 150, height: 60 },
  { page: 2, x: 400, y: 80, width: 150, height: 60 },
];

async function twoPagePdf(options: { objectStreams?: boolean; form?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < 2; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Kontrak, halaman ${i + 1}`, { x: 50, y: 780, size: 14, color: rgb(0.2, 0.2, 0.2) });
  }
  if (options.form) {
    const field = doc.getForm().createTextField('nomor');
    field.setText('KTR-001');
    field.addToPage(doc.getPage(0), { x: 50, y: 700, width: 150, height: 20 });
  }
  return doc.save({ useObjectStreams: options.objectStreams ?? false });
}

describe('several signers, incrementally', () => {
  let dir: string;
  let nssDir: string;
  let ca: SandboxCa;
  let signers: SigningCredentials[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esign-multi-'));
    ca = await openSandboxCa(join(dir, 'ca'));
    signers = await Promise.all([
      ca.signer({ name: 'Budi Santoso', email: 'budi@example.id', nik: '3171234567890001' }),
      ca.signer({ name: 'Siti Aminah', email: 'siti@example.id', nik: '3273012345670002' }),
      ca.seal({ organisation: 'PT Contoh Jaya' }),
    ]);
    nssDir = await createTrustedNssDb(join(dir, 'nss'), ca.rootCertificatePem);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function signInTurn(pdf: Uint8Array, count: number): Promise<Uint8Array[]> {
    const revisions: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      pdf = await signPdf(pdf, {
        credentials: signers[i] as SigningCredentials,
        reason: `Penandatangan ${i + 1}`,
        location: 'Jakarta',
        stamp: { box: BOXES[i] as NeutralBox, content: { kind: 'image', image: solid(COLOURS[i] as Rgb), fit: 'fill' } },
      });
      revisions.push(pdf);
    }
    return revisions;
  }

  for (const count of [2, 3]) {
    it(`${count} signers: every signature valid and trusted, only the last one total, the file only grows`, async () => {
      const revisions = await signInTurn(await twoPagePdf(), count);
      for (let i = 1; i < revisions.length; i++) {
        const earlier = revisions[i - 1] as Uint8Array;
        assert.deepEqual(
          Buffer.from((revisions[i] as Uint8Array).subarray(0, earlier.length)),
          Buffer.from(earlier),
          'an incremental update keeps every earlier byte',
        );
      }
      const path = join(dir, `signed-${count}.pdf`);
      writeFileSync(path, revisions.at(-1) as Uint8Array);
      const { signatures, stdout } = await verifyWithPdfsig(path, nssDir);
      assert.equal(signatures.length, count, stdout);
      signatures.forEach((sig, i) => {
        assert.equal(sig.validation, 'Signature is Valid.', stdout);
        assert.equal(sig.certificate, 'Certificate is Trusted.', stdout);
        assert.equal(sig.total, i === count - 1, stdout);
        assert.equal(sig.commonName, ['Budi Santoso', 'Siti Aminah', 'PT Contoh Jaya'][i]);
        assert.equal(sig.fieldName, `Signature${i + 1}`);
      });
    });
  }

  it('shows every signer’s stamp in its box', async () => {
    const unsigned = await twoPagePdf();
    const geometries = readPageGeometries(await PDFDocument.load(unsigned));
    const path = join(dir, 'stamps.pdf');
    writeFileSync(path, (await signInTurn(unsigned, 3)).at(-1) as Uint8Array);
    for (const [i, box] of BOXES.entries()) {
      const image = await renderPage(path, box.page, dir);
      const v = userBoxToViewport(geometries[box.page - 1]!, 1, box);
      const found = colourBounds(image, COLOURS[i] as Rgb);
      assert.ok(found, `stamp ${i + 1} is visible`);
      assert.ok(Math.abs(found.left - v.left) <= 1 && Math.abs(found.top - v.top) <= 1, `stamp ${i + 1}: ${JSON.stringify({ found, v })}`);
      assert.ok(
        Math.abs(found.right - v.left - v.width) <= 1 && Math.abs(found.bottom - v.top - v.height) <= 1,
        `stamp ${i + 1}: ${JSON.stringify({ found, v })}`,
      );
    }
  });

  it('keeps existing form fields and adds one signature field per signer', async () => {
    const [, second] = await signInTurn(await twoPagePdf({ form: true }), 2);
    const doc = await PDFDocument.load(second as Uint8Array);
    const names = doc
      .getForm()
      .getFields()
      .map((f) => f.getName());
    assert.deepEqual(names, ['nomor', 'Signature1', 'Signature2']);
    assert.equal(doc.getForm().getTextField('nomor').getText(), 'KTR-001');
    const path = join(dir, 'form.pdf');
    writeFileSync(path, second as Uint8Array);
    const { signatures, stdout } = await verifyWithPdfsig(path);
    assert.deepEqual(
      signatures.map((s) => s.validation),
      ['Signature is Valid.', 'Signature is Valid.'],
      stdout,
    );
    const sigFlags = doc.catalog.lookup(PDFName.of('AcroForm'));
    assert.match(String(sigFlags), /\/SigFlags 3/);
  });

  it('appends even the first signature to a file with cross-reference streams when asked, keeping its bytes', async () => {
    const original = await twoPagePdf({ objectStreams: true });
    assert.match(Buffer.from(original).toString('latin1'), /\/Type \/XRef/, 'the fixture uses a cross-reference stream');
    const first = await signPdf(original, {
      credentials: signers[0] as SigningCredentials,
      incremental: true,
      stamp: { box: BOXES[0] as NeutralBox, content: { kind: 'image', image: solid(COLOURS[0] as Rgb), fit: 'fill' } },
    });
    assert.deepEqual(Buffer.from(first.subarray(0, original.length)), Buffer.from(original));
    const second = await signPdf(first, { credentials: signers[1] as SigningCredentials });
    const path = join(dir, 'xref-stream.pdf');
    writeFileSync(path, second);
    const { signatures, stdout } = await verifyWithPdfsig(path, nssDir);
    assert.deepEqual(
      signatures.map((s) => [s.validation, s.certificate, s.total]),
      [
        ['Signature is Valid.', 'Certificate is Trusted.', false],
        ['Signature is Valid.', 'Certificate is Trusted.', true],
      ],
      stdout,
    );
    const image = await renderPage(path, 1, dir);
    assert.ok(colourBounds(image, COLOURS[0] as Rgb), 'the stamp of an incremental first signature is visible');
    assert.equal((await PDFDocument.load(second)).getPageCount(), 2);
  });
});
