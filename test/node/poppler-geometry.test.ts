// An independent renderer checks the core: poppler's pdftoppm paints each geometry's red rectangle,
// and it must be where userBoxToViewport says (72 dpi: one CSS pixel per point at scale 1).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { pageGeometry, userBoxToViewport, viewportSize } from '@esign-kit/core';
import { readPageGeometries } from '../../server/src/pdf/page-geometry.js';
import { buildGeometryPdf, buildInheritedRotationPdf, GEOMETRY_CASES } from '../fixtures/geometry-pdf.js';

/** Parses a binary PPM (P6), the format pdftoppm writes by default. */
function readPpm(file: string) {
  const data = readFileSync(file);
  const header: string[] = [];
  let offset = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(data[offset]!))) offset++;
    let token = '';
    while (!/\s/.test(String.fromCharCode(data[offset]!))) token += String.fromCharCode(data[offset++]!);
    header.push(token);
  }
  offset++;
  const [magic, w, h] = header;
  assert.equal(magic, 'P6');
  return { width: Number(w), height: Number(h), pixels: data.subarray(offset) };
}

/** The bounding box of the red pixels. */
function redBounds(image: ReturnType<typeof readPpm>) {
  let left = Infinity,
    top = Infinity,
    right = -Infinity,
    bottom = -Infinity;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 3;
      if (image.pixels[i]! > 200 && image.pixels[i + 1]! < 80 && image.pixels[i + 2]! < 80) {
        left = Math.min(left, x);
        top = Math.min(top, y);
        right = Math.max(right, x + 1);
        bottom = Math.max(bottom, y + 1);
      }
    }
  }
  return { left, top, width: right - left, height: bottom - top };
}

function renderPages(pdf: Uint8Array, dir: string): string[] {
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  // -cropbox: render what a viewer displays (the CropBox), as the viewport space does.
  execFileSync('pdftoppm', ['-r', '72', '-cropbox', file, join(dir, 'page')]);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ppm'))
    .sort()
    .map((f) => join(dir, f));
}

describe('poppler (pdftoppm) paints each box where the core puts it', () => {
  let dir: string;
  let pages: string[];
  let pdf: Uint8Array;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esign-geometry-'));
    pdf = await buildGeometryPdf();
    pages = renderPages(pdf, dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the same geometry from the file as the cases declare (pdf-lib reader)', async () => {
    const read = readPageGeometries(await PDFDocument.load(pdf));
    assert.deepEqual(
      read,
      GEOMETRY_CASES.map((c) => pageGeometry(c)),
    );
  });

  GEOMETRY_CASES.forEach((c, index) => {
    // poppler ignores /UserUnit (it renders user units as points), so the scale there is 1/UserUnit.
    it(c.name, () => {
      const geometry = pageGeometry(c);
      const scale = 1 / geometry.userUnit;
      const image = readPpm(pages[index]!);
      const size = viewportSize(geometry, scale);
      assert.ok(
        Math.abs(image.width - size.width) <= 1 && Math.abs(image.height - size.height) <= 1,
        `page ${image.width}×${image.height} vs ${size.width}×${size.height}`,
      );
      const expected = userBoxToViewport(geometry, scale, c.box);
      const found = redBounds(image);
      for (const k of ['left', 'top', 'width', 'height'] as const) {
        assert.ok(
          Math.abs(found[k] - expected[k]) <= 1,
          `${k}: poppler ${found[k]} vs core ${expected[k]} (${JSON.stringify(found)} vs ${JSON.stringify(expected)})`,
        );
      }
    });
  });

  it('inherits /Rotate and /MediaBox from the Pages root like poppler', async () => {
    const inherited = await buildInheritedRotationPdf(-270);
    const [geometry] = readPageGeometries(await PDFDocument.load(inherited));
    assert.deepEqual(geometry, pageGeometry({ mediaBox: [0, 0, 400, 600], rotate: 90 }));
    const sub = mkdtempSync(join(tmpdir(), 'esign-inherit-'));
    try {
      const [page] = renderPages(inherited, sub);
      const found = redBounds(readPpm(page!));
      const expected = userBoxToViewport(geometry!, 1, { x: 50, y: 60, width: 100, height: 40 });
      for (const k of ['left', 'top', 'width', 'height'] as const) assert.ok(Math.abs(found[k] - expected[k]) <= 1, `${k}`);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });
});
