// The calibration sheet: one page per geometry of COORDINATES.md, with grid points that poppler renders
// exactly where their visual-coordinate labels say.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { readPageGeometries } from '../src/pdf/page-geometry.js';
import { CALIBRATION_PAGES, buildCalibrationPdf } from '../src/pdf/calibration.js';
import { useServer } from './http/helpers.js';
import { colourBounds, renderPage } from '../../packages/sandbox/test/signing/helpers.js';
import { removeDir } from '../../packages/sandbox/test/harness.js';

const run = promisify(execFile);
let dir: string;
let path: string;
let pdf: Uint8Array;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esign-calibration-'));
  pdf = await buildCalibrationPdf();
  path = join(dir, 'calibration.pdf');
  writeFileSync(path, pdf);
});
after(() => removeDir(dir));

describe('calibration sheet', () => {
  it('has a cover and a page per geometry', async () => {
    const pages = readPageGeometries(await PDFDocument.load(pdf));
    assert.equal(pages.length, CALIBRATION_PAGES.length + 1);
    const rotations = pages.slice(1).map((p) => p.rotate);
    assert.deepEqual(rotations, [0, 90, 180, 270, 270, 90, 0, 90, 0, 0, 270, 180, 0]);
    assert.deepEqual(pages[7]!.cropBox, [36, 36, 576, 756]);
    assert.equal(pages[13]!.userUnit, 2);
  });

  it('labels its grid points in visual coordinates, upright as displayed', async () => {
    const { stdout } = await run('pdftotext', ['-f', '3', '-l', '3', '-layout', path, '-']);
    assert.match(stdout, /100,100/);
    assert.match(stdout, /A4, \/Rotate 90/);
  });

  for (const [page, vx, vy, shownLeft, shownTop] of [
    [3, 100, 100, 0, 595], // A4 /Rotate 90: visual x 0..842, y 0..595
    [8, 100, 100, 36, 756], // Letter, CropBox [36 36 576 756]
    [9, 300, 400, 0, 600], // MediaBox (100,200)-(700,1000), /Rotate 90: visual y top = 600
  ] as const) {
    it(`puts the grid point (${vx},${vy}) where it is labelled (page ${page})`, async () => {
      const image = await renderPage(path, page, dir);
      const px = vx - shownLeft;
      const py = shownTop - vy;
      const cross = colourBounds(image, [204, 0, 0], 60, [px - 4, py - 4, px + 5, py + 5]);
      assert.ok(cross, `a red cross near pixel (${px}, ${py})`);
      assert.ok(Math.abs((cross.left + cross.right) / 2 - px) <= 1 && Math.abs((cross.top + cross.bottom) / 2 - py) <= 1, JSON.stringify(cross));
    });
  }
});

describe('GET /api/calibration.pdf', () => {
  const h = useServer();
  it('serves the sheet to an authenticated portal only', async () => {
    assert.equal((await fetch(`${h.s.base}/api/calibration.pdf`)).status, 401);
    const res = await fetch(`${h.s.base}/api/calibration.pdf`, { headers: h.s.auth() });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', /esign-kit-calibration\.pdf/);
    const doc = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
    assert.equal(doc.getPageCount(), CALIBRATION_PAGES.length + 1);
  });
});
