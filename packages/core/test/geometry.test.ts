import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CoordinateError,
  displayedSize,
  normalizeRotation,
  pageGeometry,
  pageGeometryFromPageTree,
  userBoxToViewport,
  userBoxToVisual,
  userToViewport,
  viewportRectToUser,
  viewportSize,
  viewportToUser,
  visualMediaBox,
  type PageTreeNode,
} from '@esign-kit/core';

const A4: [number, number, number, number] = [0, 0, 595, 842];

describe('normalizeRotation', () => {
  const cases: [number, number][] = [
    [0, 0],
    [90, 90],
    [180, 180],
    [270, 270],
    [360, 0],
    [450, 90],
    [720, 0],
    [-90, 270],
    [-180, 180],
    [-270, 90],
    [-450, 270],
    [-720, 0],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(normalizeRotation(input), expected));
  }
  it('treats a value that is not a multiple of 90 as 0, as pdf.js displays it', () => {
    assert.equal(normalizeRotation(45), 0);
    assert.equal(normalizeRotation(Number.NaN), 0);
    assert.equal(normalizeRotation(undefined), 0);
  });
});

describe('pageGeometry', () => {
  it('normalises inverted rectangles', () => {
    const g = pageGeometry({ mediaBox: [595, 842, 0, 0] });
    assert.deepEqual(g.mediaBox, A4);
    assert.deepEqual(g.cropBox, A4);
    assert.equal(g.rotate, 0);
    assert.equal(g.userUnit, 1);
  });
  it('clips the CropBox to the MediaBox', () => {
    const g = pageGeometry({ mediaBox: A4, cropBox: [-50, 100, 500, 1000] });
    assert.deepEqual(g.cropBox, [0, 100, 500, 842]);
  });
  it('falls back to the MediaBox when the CropBox does not intersect it', () => {
    const g = pageGeometry({ mediaBox: A4, cropBox: [1000, 1000, 1200, 1200] });
    assert.deepEqual(g.cropBox, A4);
  });
  it('rejects a MediaBox without area, with the field named', () => {
    assert.throws(
      () => pageGeometry({ mediaBox: [0, 0, 0, 842] }),
      (e: unknown) => {
        assert.ok(e instanceof CoordinateError);
        assert.equal(e.code, 'invalid-geometry');
        assert.equal(e.field, 'mediaBox');
        assert.match(e.messages.id, /mediaBox/);
        return true;
      },
    );
  });
  it('rejects non-finite numbers and a bad UserUnit', () => {
    assert.throws(() => pageGeometry({ mediaBox: [0, 0, Number.NaN, 842] }), { code: 'invalid-geometry', field: 'mediaBox' });
    assert.throws(() => pageGeometry({ mediaBox: A4, cropBox: [0, 0, 1] }), { code: 'invalid-geometry', field: 'cropBox' });
    assert.throws(() => pageGeometry({ mediaBox: A4, userUnit: 0 }), { code: 'invalid-geometry', field: 'userUnit' });
  });
});

describe('pageGeometryFromPageTree', () => {
  it('inherits MediaBox, CropBox and Rotate through the Pages tree, but not UserUnit', () => {
    const root: PageTreeNode = { Rotate: -90, MediaBox: [0, 0, 612, 792], UserUnit: 3 };
    const middle: PageTreeNode = { Parent: root, MediaBox: A4 };
    const leaf: PageTreeNode = { Parent: middle, CropBox: [10, 20, 500, 800] };
    const g = pageGeometryFromPageTree(leaf);
    assert.deepEqual(g.mediaBox, A4);
    assert.deepEqual(g.cropBox, [10, 20, 500, 800]);
    assert.equal(g.rotate, 270);
    assert.equal(g.userUnit, 1);
  });
  it("prefers the page's own values", () => {
    const leaf: PageTreeNode = { Parent: { Rotate: 90, MediaBox: A4 }, Rotate: 0, UserUnit: 2 };
    const g = pageGeometryFromPageTree(leaf);
    assert.equal(g.rotate, 0);
    assert.equal(g.userUnit, 2);
  });
  it('reports a page without any MediaBox, and survives a cyclic Parent chain', () => {
    const a: PageTreeNode = {};
    const b: PageTreeNode = { Parent: a };
    a.Parent = b;
    assert.throws(() => pageGeometryFromPageTree(b), { code: 'invalid-geometry', field: 'mediaBox' });
  });
});

describe('visual space (COORDINATES.md table, MediaBox [0 0 595 842])', () => {
  const box = { x: 100, y: 200, width: 50, height: 80 };
  const expected: Record<number, object> = {
    0: { x: 100, y: 200, width: 50, height: 80 },
    // (y, mx1 − x): corners (100,200)→(200,495), (150,280)→(280,445)
    90: { x: 200, y: 445, width: 80, height: 50 },
    // (mx1 − x, my1 − y): (495,642), (445,562)
    180: { x: 445, y: 562, width: 50, height: 80 },
    // (my1 − y, x): (642,100), (562,150)
    270: { x: 562, y: 100, width: 80, height: 50 },
  };
  for (const rotate of [0, 90, 180, 270]) {
    it(`/Rotate ${rotate}`, () => {
      assert.deepEqual(userBoxToVisual(pageGeometry({ mediaBox: A4, rotate }), box), expected[rotate]);
    });
  }
  it('keeps MediaBox offsets at /Rotate 0 and uses the far edges when rotated', () => {
    const media = [100, 200, 700, 1000];
    assert.deepEqual(userBoxToVisual(pageGeometry({ mediaBox: media }), { x: 150, y: 250, width: 100, height: 50 }), {
      x: 150,
      y: 250,
      width: 100,
      height: 50,
    });
    // (y, 700 − x): (150,250)→(250,550), (250,300)→(300,450)
    assert.deepEqual(userBoxToVisual(pageGeometry({ mediaBox: media, rotate: 90 }), { x: 150, y: 250, width: 100, height: 50 }), {
      x: 250,
      y: 450,
      width: 50,
      height: 100,
    });
    assert.deepEqual(visualMediaBox(pageGeometry({ mediaBox: media, rotate: 90 })), { x: 200, y: 0, width: 800, height: 600 });
  });
  it('does not depend on the CropBox', () => {
    const a = pageGeometry({ mediaBox: A4, rotate: 90 });
    const b = pageGeometry({ mediaBox: A4, cropBox: [50, 60, 400, 700], rotate: 90 });
    assert.deepEqual(userBoxToVisual(a, box), userBoxToVisual(b, box));
  });
});

describe('viewport space (CSS pixels from the top-left of the displayed, cropped page)', () => {
  const box = { x: 100, y: 200, width: 50, height: 80 };
  it('/Rotate 0 at scale 1 and 2', () => {
    const g = pageGeometry({ mediaBox: A4 });
    assert.deepEqual(userBoxToViewport(g, 1, box), { left: 100, top: 562, width: 50, height: 80 });
    assert.deepEqual(userBoxToViewport(g, 2, box), { left: 200, top: 1124, width: 100, height: 160 });
  });
  it("/Rotate 90: the file's x runs down the screen", () => {
    const g = pageGeometry({ mediaBox: A4, rotate: 90 });
    assert.deepEqual(userBoxToViewport(g, 1, box), { left: 200, top: 100, width: 80, height: 50 });
    assert.deepEqual(viewportSize(g, 1), { width: 842, height: 595 });
  });
  it('/Rotate 180', () => {
    const g = pageGeometry({ mediaBox: A4, rotate: 180 });
    assert.deepEqual(userBoxToViewport(g, 1, box), { left: 445, top: 200, width: 50, height: 80 });
  });
  it('/Rotate 270', () => {
    const g = pageGeometry({ mediaBox: A4, rotate: 270 });
    assert.deepEqual(userBoxToViewport(g, 1, box), { left: 562, top: 445, width: 80, height: 50 });
  });
  it('a CropBox offset moves the origin to the crop corner', () => {
    const g = pageGeometry({ mediaBox: [0, 0, 612, 792], cropBox: [36, 36, 576, 756] });
    assert.deepEqual(userBoxToViewport(g, 1, { x: 100, y: 100, width: 100, height: 50 }), { left: 64, top: 606, width: 100, height: 50 });
    assert.deepEqual(viewportSize(g, 1), { width: 540, height: 720 });
  });
  it('a MediaBox not at (0,0)', () => {
    const g = pageGeometry({ mediaBox: [100, 200, 700, 1000], rotate: 90 });
    // rotate 90: px = y − cy0, py = x − cx0
    assert.deepEqual(userBoxToViewport(g, 1, { x: 150, y: 250, width: 100, height: 50 }), { left: 50, top: 50, width: 50, height: 100 });
  });
  it('UserUnit 2 doubles the displayed size', () => {
    const g = pageGeometry({ mediaBox: [0, 0, 300, 400], userUnit: 2 });
    assert.deepEqual(userBoxToViewport(g, 1, { x: 10, y: 20, width: 30, height: 40 }), { left: 20, top: 680, width: 60, height: 80 });
    assert.deepEqual(viewportSize(g, 1.5), { width: 900, height: 1200 });
    assert.deepEqual(displayedSize(g), { width: 300, height: 400 });
  });
  it('inverts exactly', () => {
    for (const rotate of [0, 90, 180, 270]) {
      const g = pageGeometry({ mediaBox: [-20, 30, 600, 900], cropBox: [0, 50, 580, 880], rotate, userUnit: 1.5 });
      const p = userToViewport(g, 1.25, { x: 123.5, y: 456.25 });
      const back = viewportToUser(g, 1.25, p);
      assert.ok(Math.abs(back.x - 123.5) < 1e-9 && Math.abs(back.y - 456.25) < 1e-9, `rotate ${rotate}`);
      const r = userBoxToViewport(g, 0.75, box);
      const b = viewportRectToUser(g, 0.75, r);
      for (const k of ['x', 'y', 'width', 'height'] as const) assert.ok(Math.abs(b[k] - box[k]) < 1e-9, `rotate ${rotate} ${k}`);
    }
  });
});
