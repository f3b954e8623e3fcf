// Where the stamp lands, judged by an independent renderer: poppler renders the signed page at 72 dpi (one
// pixel per point) clipped to the CropBox, and the stamp's pixels must fill the requested box as displayed
// (userBoxToViewport from the core) within 1 pt, upright: a four-colour specimen shows its quadrants where a
// reader expects them, on every geometry of docs/providers/COORDINATES.md.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { userBoxToViewport, type PageGeometry } from '@esign-kit/core';
import { PDFDocument } from 'pdf-lib';
import { buildGeometryPdf, GEOMETRY_CASES, type GeometryCase } from '../../../../test/fixtures/geometry-pdf.js';
import { readPageGeometries } from '../../../../server/src/pdf/page-geometry.js';
import { openSandboxCa, type SigningCredentials } from '../../src/signing/ca.js';
import { signPdf } from '../../src/signing/pades.js';
import { stampPlacement } from '../../src/signing/stamp.js';
import { colourBounds, pngImage, renderPage, verifyWithPdfsig, type PixelBounds, type Rgb } from './helpers.js';

const TOP_LEFT: Rgb = [0, 0, 255];
const TOP_RIGHT: Rgb = [0, 170, 0];
const BOTTOM_LEFT: Rgb = [255, 0, 255];
const BOTTOM_RIGHT: Rgb = [255, 170, 0];
/**
 * One solid colour per quadrant, stretched to the box ("fill"). Larger than any box so that poppler scales it
 * down: upscaling smooths the colour boundaries over several pixels.
 */
const SPECIMEN = pngImage(400, 200, (x, y) => (y < 100 ? (x < 200 ? TOP_LEFT : TOP_RIGHT) : x < 200 ? BOTTOM_LEFT : BOTTOM_RIGHT));

// poppler ignores /UserUnit (pdf.js honours it), so its rendering cannot judge that case.
const CASES = GEOMETRY_CASES.filter((c) => c.userUnit === undefined);

interface Expected {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function assertNear(actual: PixelBounds | undefined, expected: Expected, what: string) {
  assert.ok(actual, `${what}: no stamp pixels found`);
  for (const side of ['left', 'top', 'right', 'bottom'] as const) {
    assert.ok(
      Math.abs(actual[side] - expected[side]) <= 1,
      `${what}: ${side} is ${actual[side]}, expected ${expected[side].toFixed(2)} ± 1 (found ${JSON.stringify(actual)})`,
    );
  }
}

function union(parts: (PixelBounds | undefined)[]): PixelBounds | undefined {
  const found = parts.filter((p): p is PixelBounds => !!p);
  if (!found.length) return undefined;
  return {
    left: Math.min(...found.map((p) => p.left)),
    top: Math.min(...found.map((p) => p.top)),
    right: Math.max(...found.map((p) => p.right)),
    bottom: Math.max(...found.map((p) => p.bottom)),
    count: found.reduce((n, p) => n + p.count, 0),
  };
}

async function assertStampRendered(pdfPath: string, page: number, geometry: PageGeometry, c: GeometryCase, workDir: string) {
  const image = await renderPage(pdfPath, page, workDir);
  const v = userBoxToViewport(geometry, 1, c.box);
  const box = { left: v.left, top: v.top, right: v.left + v.width, bottom: v.top + v.height };
  const quadrants = [TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT].map((colour) => colourBounds(image, colour));
  assertNear(union(quadrants), box, `${c.name}, whole stamp`);
  const midX = (box.left + box.right) / 2;
  const midY = (box.top + box.bottom) / 2;
  assertNear(quadrants[0], { ...box, right: midX, bottom: midY }, `${c.name}, top-left quadrant`);
  assertNear(quadrants[1], { ...box, left: midX, bottom: midY }, `${c.name}, top-right quadrant`);
  assertNear(quadrants[2], { ...box, right: midX, top: midY }, `${c.name}, bottom-left quadrant`);
  assertNear(quadrants[3], { ...box, left: midX, top: midY }, `${c.name}, bottom-right quadrant`);
}

describe('visible stamp, rendered by poppler', () => {
  let dir: string;
  let signer: SigningCredentials;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esign-stamp-'));
    const ca = await openSandboxCa(join(dir, 'ca'));
    signer = await ca.signer({ name: 'Rina Wulandari', email: 'rina@example.id' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('swaps the displayed size on quarter turns and maps the upright stamp onto the box', () => {
    const geometry: PageGeometry = { mediaBox: [0, 0, 595, 842], cropBox: [0, 0, 595, 842], rotate: 90, userUnit: 1 };
    const placement = stampPlacement(geometry, { x: 100, y: 150, width: 120, height: 60 });
    assert.equal(placement.displayedWidth, 60);
    assert.equal(placement.displayedHeight, 120);
    // Local (0,0) is the displayed lower-left corner: user (x + width, y) on a page turned 90° clockwise.
    assert.deepEqual(placement.matrix, [0, 1, -1, 0, 220, 150]);
  });

  for (const c of CASES) {
    it(`first signature: the stamp in the page content fills the box — ${c.name}`, async () => {
      const unsigned = await buildGeometryPdf([c]);
      const [geometry] = readPageGeometries(await PDFDocument.load(unsigned));
      assert.ok(geometry);
      const signed = await signPdf(unsigned, {
        credentials: signer,
        stamp: { box: { page: 1, ...c.box }, content: { kind: 'image', image: SPECIMEN, fit: 'fill' } },
      });
      const path = join(dir, `content-${CASES.indexOf(c)}.pdf`);
      writeFileSync(path, signed);
      await assertStampRendered(path, 1, geometry, c, dir);
    });
  }

  it('later signatures: widget appearances fill their boxes on every geometry, and every signature stays valid', async () => {
    const unsigned = await buildGeometryPdf(CASES);
    const geometries = readPageGeometries(await PDFDocument.load(unsigned));
    // An invisible first signature, then one incremental signature with a visible stamp per page.
    let pdf = await signPdf(unsigned, { credentials: signer, reason: 'first' });
    for (const [i, c] of CASES.entries()) {
      pdf = await signPdf(pdf, {
        credentials: signer,
        reason: `page ${i + 1}`,
        stamp: { box: { page: i + 1, ...c.box }, content: { kind: 'image', image: SPECIMEN, fit: 'fill' } },
      });
    }
    const path = join(dir, 'widgets.pdf');
    writeFileSync(path, pdf);
    const { signatures, stdout } = await verifyWithPdfsig(path);
    assert.equal(signatures.length, CASES.length + 1, stdout);
    for (const sig of signatures) assert.equal(sig.validation, 'Signature is Valid.', stdout);
    for (const [i, c] of CASES.entries()) await assertStampRendered(path, i + 1, geometries[i] as PageGeometry, c, dir);
  });

  it('draws QR codes and text inside the box only', async () => {
    const c = CASES.find((k) => k.rotate === 90 && !k.cropBox) as GeometryCase;
    const unsigned = await buildGeometryPdf([c]);
    const [geometry] = readPageGeometries(await PDFDocument.load(unsigned));
    assert.ok(geometry);
    const box = { page: 1, x: 300, y: 400, width: 100, height: 200 };
    let pdf = await signPdf(unsigned, {
      credentials: signer,
      stamp: { box, content: { kind: 'qr', url: 'https://sandbox.example.id/verify/abc123', lines: ['Rina Wulandari', '2026-11-24 08:00 WIB'] } },
    });
    const textBox = { page: 1, x: 300, y: 650, width: 60, height: 150 };
    pdf = await signPdf(pdf, { credentials: signer, stamp: { box: textBox, content: { kind: 'text', lines: ['Rina Wulandari', 'Disetujui'] } } });
    const path = join(dir, 'qr-text.pdf');
    writeFileSync(path, pdf);
    const image = await renderPage(path, 1, dir);
    const dark = colourBounds(image, [0, 0, 0], 110);
    assert.ok(dark, 'QR modules and text are drawn');
    const qrRect = userBoxToViewport(geometry, 1, box);
    const textRect = userBoxToViewport(geometry, 1, textBox);
    const left = Math.min(qrRect.left, textRect.left);
    const top = Math.min(qrRect.top, textRect.top);
    const right = Math.max(qrRect.left + qrRect.width, textRect.left + textRect.width);
    const bottom = Math.max(qrRect.top + qrRect.height, textRect.top + textRect.height);
    assert.ok(
      dark.left >= left - 1 && dark.top >= top - 1 && dark.right <= right + 1 && dark.bottom <= bottom + 1,
      JSON.stringify({ dark, left, top, right, bottom }),
    );
    // On this /Rotate 90 page the QR box displays 200 wide and 100 tall: an upright square QR code fills its
    // left part (inside a 2-module quiet zone), the text lines sit to its right.
    assert.equal(qrRect.width, 200);
    assert.equal(qrRect.height, 100);
    const qr = colourBounds(image, [0, 0, 0], 110, [qrRect.left, qrRect.top, qrRect.left + 100, qrRect.top + 100]);
    assert.ok(qr, 'QR modules drawn');
    assert.ok(Math.abs(qr.right - qr.left - (qr.bottom - qr.top)) <= 1, `the QR code is square as displayed: ${JSON.stringify(qr)}`);
    assert.ok(qr.right - qr.left >= 80, `the QR code fills the box height: ${JSON.stringify(qr)}`);
    const text = colourBounds(image, [0, 0, 0], 110, [qrRect.left + 101, qrRect.top, qrRect.left + 200, qrRect.top + 100]);
    assert.ok(text && text.count > 50, 'text lines beside the QR code');
  });
});
