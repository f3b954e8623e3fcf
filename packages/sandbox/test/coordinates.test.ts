// The sandbox's own coordinate readers, checked against docs/providers/COORDINATES.md by hand and against the core's
// converters (which the adapters use) on every geometry case: two independent implementations must agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageGeometry, resolveProfile, toProviderFields, type PageGeometry } from '@esign-kit/core';
import { CoordinateFieldError, overlaps, readBsreBottomLeft, readBsreV2, readDigisign, readPeruri, visualTop } from '../src/coordinates.js';
import { GEOMETRY_CASES } from '../../../test/fixtures/geometry-pdf.js';

const a4 = pageGeometry({ mediaBox: [0, 0, 595, 842] });
const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;

describe('sandbox coordinate readers (written from COORDINATES.md)', () => {
  it('reads each profile on an unrotated A4 page', () => {
    assert.deepEqual(readBsreBottomLeft([a4], 1, '10', '20', '200', '100'), { page: 1, x: 10, y: 20, width: 200, height: 100 });
    // v2: top-left anchor measured from the top-left: originY 10 → the box's top edge at y = 832.
    assert.deepEqual(readBsreV2([a4], 1, 10, 10, 200, 100), { page: 1, x: 10, y: 732, width: 200, height: 100 });
    assert.deepEqual(readPeruri([a4, a4], { page: '2', lowerLeftX: '454', lowerLeftY: '45', upperRightX: '529', upperRightY: '116' }), {
      page: 2,
      x: 454,
      y: 45,
      width: 75,
      height: 71,
    });
    assert.deepEqual(readDigisign([a4], { page: '1', llx: '12.5', lly: '15', urx: '112.25', ury: '65' }), {
      page: 1,
      x: 12.5,
      y: 15,
      width: 99.75,
      height: 50,
    });
  });

  it('turns visual coordinates back into user space on rotated pages (the table of "Visual space")', () => {
    const r90 = pageGeometry({ mediaBox: [0, 0, 595, 842], rotate: 90 });
    // Visual (vx, vy) = (y, 595 − x): a box at visual (150, 375)–(210, 495) is user (100, 150)–(220, 210).
    assert.deepEqual(readPeruri([r90], { page: '1', lowerLeftX: '150', lowerLeftY: '375', upperRightX: '210', upperRightY: '495' }), {
      page: 1,
      x: 100,
      y: 150,
      width: 120,
      height: 60,
    });
    const r180 = pageGeometry({ mediaBox: [0, 0, 595, 842], rotate: 180 });
    assert.deepEqual(readBsreBottomLeft([r180], 1, 375, 632, 120, 60), { page: 1, x: 100, y: 150, width: 120, height: 60 });
    const r270 = pageGeometry({ mediaBox: [0, 0, 595, 842], rotate: 270 });
    assert.deepEqual(readDigisign([r270], { page: '1', llx: '632', lly: '100', urx: '692', ury: '220' }), { page: 1, x: 100, y: 150, width: 120, height: 60 });
    assert.equal(visualTop(r90), 595);
    assert.equal(visualTop(pageGeometry({ mediaBox: [100, 200, 700, 1000], rotate: 90 })), 600);
  });

  it('refuses what the providers refuse: decimals and long values for Peruri, 3 decimals for Digisign, boxes off the page', () => {
    assert.throws(() => readPeruri([a4], { page: '1', lowerLeftX: '454.5', lowerLeftY: '45', upperRightX: '529', upperRightY: '116' }), CoordinateFieldError);
    assert.throws(() => readPeruri([a4], { page: '1', lowerLeftX: '1000', lowerLeftY: '45', upperRightX: '529', upperRightY: '116' }), CoordinateFieldError);
    assert.throws(() => readDigisign([a4], { page: '1', llx: '1.125', lly: '1', urx: '50', ury: '50' }), CoordinateFieldError);
    assert.throws(() => readBsreBottomLeft([a4], 1, 500, 10, 200, 50), /outside the page/);
    assert.throws(() => readBsreBottomLeft([a4], 3, 10, 10, 20, 20), /page 3 does not exist/);
    assert.equal(
      overlaps({ page: 1, x: 0, y: 0, width: 10, height: 10 }, { page: 1, x: 10, y: 0, width: 10, height: 10 }),
      false,
      'touching edges do not overlap',
    );
    assert.equal(overlaps({ page: 1, x: 0, y: 0, width: 10, height: 10 }, { page: 1, x: 9, y: 9, width: 10, height: 10 }), true);
  });

  describe("reads with the deployment's profile overrides, and agrees with the core converters under them", () => {
    const variants: [Parameters<typeof resolveProfile>[0], Record<string, unknown>][] = [
      ['bsre-v1', { encoding: 'corners' }],
      ['bsre-v1', { origin: 'top-left' }],
      ['bsre-v1', { space: 'user' }],
      ['bsre-v1', { pageBase: 0 }],
      ['bsre-v1', { units: 'points' }],
      ['bsre-v2', { origin: 'bottom-left' }],
      ['bsre-v2', { space: 'user', encoding: 'corners' }],
      ['peruri', { origin: 'top-left' }],
      ['digisign', { space: 'user' }],
      ['digisign', { origin: 'top-left', pageBase: 0 }],
    ];
    for (const c of GEOMETRY_CASES) {
      for (const [id, overrides] of variants) {
        it(`${c.name}: ${id} ${JSON.stringify(overrides)}`, () => {
          const page: PageGeometry = pageGeometry({ mediaBox: c.mediaBox, cropBox: c.cropBox ?? null, rotate: c.rotate ?? 0, userUnit: c.userUnit ?? 1 });
          const box = { page: 1, ...c.box };
          const f = toProviderFields(
            box,
            [page],
            resolveProfile(id, { ...overrides, rounding: 'nearest', ...(id === 'peruri' ? {} : { decimals: 2 }) }),
          ) as Record<string, unknown>;
          if (id === 'peruri' && !['lowerLeftX', 'lowerLeftY', 'upperRightX', 'upperRightY'].every((k) => /^\d{1,3}$/.test(String(f[k])))) return;
          const got =
            id === 'bsre-v1'
              ? readBsreBottomLeft([page], Number(f.page), f.xAxis, f.yAxis, f.width, f.height, overrides)
              : id === 'bsre-v2'
                ? readBsreV2([page], f.page, f.originX, f.originY, f.width, f.height, overrides)
                : id === 'peruri'
                  ? readPeruri([page], f, overrides)
                  : readDigisign([page], f, overrides);
          const tolerance = id === 'peruri' ? 1 : 0.02;
          for (const k of ['x', 'y', 'width', 'height'] as const) assert.ok(close(got[k], box[k], tolerance), `${k}: ${got[k]} vs ${box[k]}`);
          assert.equal(got.page, 1);
        });
      }
    }
  });

  describe('agrees with the core converters on every geometry case', () => {
    for (const c of GEOMETRY_CASES) {
      it(c.name, () => {
        const page: PageGeometry = pageGeometry({ mediaBox: c.mediaBox, cropBox: c.cropBox ?? null, rotate: c.rotate ?? 0, userUnit: c.userUnit ?? 1 });
        const box = { page: 1, ...c.box };
        const same = (got: { x: number; y: number; width: number; height: number }, tolerance: number, label: string) => {
          for (const k of ['x', 'y', 'width', 'height'] as const) assert.ok(close(got[k], box[k], tolerance), `${label} ${k}: ${got[k]} vs ${box[k]}`);
        };
        const v1 = toProviderFields(box, [page], resolveProfile('bsre-v1'));
        same(readBsreBottomLeft([page], v1.page, v1.xAxis, v1.yAxis, v1.width, v1.height), 0.01, 'bsre-v1');
        const v2 = toProviderFields(box, [page], resolveProfile('bsre-v2'));
        same(readBsreV2([page], v2.page, v2.originX, v2.originY, v2.width, v2.height), 0.01, 'bsre-v2');
        const d = toProviderFields(box, [page], resolveProfile('digisign'));
        same(readDigisign([page], d as unknown as Record<string, unknown>), 0.01, 'digisign');
        const fitsPeruri =
          Object.values(toProviderFields(box, [page], resolveProfile('bsre-v1'))).every((v) => Math.abs(Number(v)) < 1000) &&
          page.mediaBox.every((v) => v >= 0);
        if (fitsPeruri) {
          const p = toProviderFields(box, [page], resolveProfile('peruri'));
          same(readPeruri([page], p as unknown as Record<string, unknown>), 1, 'peruri');
        }
      });
    }
  });
});
