import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CoordinateError,
  PROFILE_IDS,
  fromProviderFields,
  pageGeometry,
  resolveProfile,
  toProviderFields,
  toProviderList,
  validateBoxes,
  userBoxToViewport,
  userBoxToVisual,
  viewportRectToUser,
  viewportSize,
  visualBoxToUser,
  type NeutralBox,
  type PageGeometry,
  type ProfileOverrides,
} from '@esign-kit/core';

const RUNS = Number(process.env.FC_RUNS ?? 400);

/** A page with an arbitrary MediaBox origin, an optional CropBox inside it, any /Rotate and a UserUnit. */
const geometryArb = fc
  .record({
    mx: fc.integer({ min: -500, max: 500 }),
    my: fc.integer({ min: -500, max: 500 }),
    w: fc.double({ min: 80, max: 2000, noNaN: true }),
    h: fc.double({ min: 80, max: 2000, noNaN: true }),
    crop: fc.option(
      fc.tuple(
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
      ),
      { nil: undefined },
    ),
    rotate: fc.integer({ min: -8, max: 8 }).map((k) => k * 90),
    userUnit: fc.constantFrom(1, 1, 1, 0.5, 1.5, 2),
  })
  .map(({ mx, my, w, h, crop, rotate, userUnit }) =>
    pageGeometry({
      mediaBox: [mx, my, mx + w, my + h],
      cropBox: crop ? [mx + crop[0] * w, my + crop[1] * h, mx + w - crop[2] * w, my + h - crop[3] * h] : null,
      rotate,
      userUnit,
    }),
  );

/** A box inside the page's CropBox, at least the profile's minimum size (plus a margin for rounding). */
function boxArb(page: PageGeometry, minPoints: number): fc.Arbitrary<NeutralBox> {
  const [cx0, cy0, cx1, cy1] = page.cropBox;
  const min = minPoints / page.userUnit + 2;
  const fraction = fc.double({ min: 0, max: 1, noNaN: true });
  return fc.tuple(fraction, fraction, fraction, fraction).map(([a, b, c, d]) => {
    const width = min + a * (cx1 - cx0 - min);
    const height = min + b * (cy1 - cy0 - min);
    return { page: 1, x: cx0 + c * (cx1 - cx0 - width), y: cy0 + d * (cy1 - cy0 - height), width, height };
  });
}

/** Any box near the page: often inside, sometimes over an edge, too small, empty or negative in size. */
function looseBoxArb(page: PageGeometry): fc.Arbitrary<NeutralBox> {
  const [cx0, cy0, cx1, cy1] = page.cropBox;
  const w = cx1 - cx0;
  const h = cy1 - cy0;
  const at = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true });
  return fc
    .record({ x: at(cx0 - 0.1 * w, cx1), y: at(cy0 - 0.1 * h, cy1), width: at(-0.05 * w, 1.1 * w), height: at(-0.05 * h, 1.1 * h) })
    .map((b) => ({ page: 1, ...b }));
}

const overridesArb: fc.Arbitrary<ProfileOverrides> = fc.record(
  {
    origin: fc.constantFrom('bottom-left', 'top-left'),
    encoding: fc.constantFrom('corners', 'size'),
    space: fc.constantFrom('visual', 'user'),
    rounding: fc.constantFrom('nearest', 'outward', 'inward'),
    units: fc.constantFrom('user', 'points'),
    pageBase: fc.constantFrom(0, 1),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<ProfileOverrides>;

function close(a: number, b: number, tolerance: number): boolean {
  return Math.abs(a - b) <= tolerance + 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

describe('properties over random geometries, boxes and profiles', () => {
  it('toProviderFields → fromProviderFields returns the box within one rounding step per corner', () => {
    fc.assert(
      fc.property(
        geometryArb.chain((page) => fc.tuple(fc.constant(page), boxArb(page, 10), fc.constantFrom(...PROFILE_IDS), overridesArb)),
        ([page, box, id, overrides]) => {
          const profile = resolveProfile(id, overrides);
          let fields: Record<string, unknown>;
          try {
            fields = toProviderFields(box, [page], profile);
          } catch (e) {
            // Peruri's fields hold three characters: large pages legitimately overflow them.
            if (e instanceof CoordinateError && e.code === 'value-too-large') return;
            throw e;
          }
          const back = fromProviderFields(fields, [page], profile);
          const step = 10 ** -profile.decimals / (profile.units === 'points' ? page.userUnit : 1);
          assert.equal(back.page, box.page);
          assert.ok(close(back.x, box.x, step), `x ${back.x} vs ${box.x}`);
          assert.ok(close(back.y, box.y, step), `y ${back.y} vs ${box.y}`);
          assert.ok(close(back.x + back.width, box.x + box.width, step), `right ${back.x + back.width} vs ${box.x + box.width}`);
          assert.ok(close(back.y + back.height, box.y + box.height, step), `top ${back.y + back.height} vs ${box.y + box.height}`);
          if (profile.rounding === 'outward') {
            // Rounding snaps values within 1e-7 of a step to it (convert.ts STEP_SLACK), so allow that much.
            const slack = 1e-7 * step;
            assert.ok(back.x <= box.x + slack && back.x + back.width >= box.x + box.width - slack, 'outward rounding shrank the box');
            assert.ok(back.y <= box.y + slack && back.y + back.height >= box.y + box.height - slack, 'outward rounding shrank the box');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('provider numbers have exactly the wire type of each provider', () => {
    fc.assert(
      fc.property(
        geometryArb.chain((page) => fc.tuple(fc.constant(page), boxArb(page, 10), fc.constantFrom(...PROFILE_IDS))),
        ([page, box, id]) => {
          let fields: Record<string, unknown>;
          try {
            fields = toProviderFields(box, [page], resolveProfile(id));
          } catch (e) {
            if (e instanceof CoordinateError && e.code === 'value-too-large') return;
            throw e;
          }
          const values = Object.values(fields);
          if (id === 'peruri')
            assert.ok(
              values.every((v) => typeof v === 'string' && /^-?\d{1,3}$/.test(v)),
              JSON.stringify(fields),
            );
          if (id === 'digisign')
            assert.ok(
              values.every((v) => typeof v === 'string' && /^-?\d+(\.\d{1,2})?$/.test(v)),
              JSON.stringify(fields),
            );
          if (id === 'bsre-v1' || id === 'bsre-v2')
            assert.ok(
              values.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.round(v * 100) / 100 === v),
              JSON.stringify(fields),
            );
          if (id === 'bsre-cloud') assert.equal(fields.halaman, 'pertama');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('validateBoxes reports an issue exactly when toProviderList and toProviderFields refuse (Peruri lengths included)', () => {
    const refusal = (convert: () => unknown): CoordinateError | null => {
      try {
        convert();
        return null;
      } catch (e) {
        if (e instanceof CoordinateError) return e;
        throw e;
      }
    };
    fc.assert(
      fc.property(
        geometryArb.chain((page) =>
          fc.tuple(fc.constant(page), fc.array(looseBoxArb(page), { minLength: 1, maxLength: 3 }), fc.constantFrom(...PROFILE_IDS), overridesArb),
        ),
        ([page, boxes, id, overrides]) => {
          const profile = resolveProfile(id, overrides);
          const issues = validateBoxes(boxes, [page], profile);
          const refused = refusal(() => toProviderList(boxes, [page], profile));
          assert.equal(refused !== null, issues.length > 0, `${id}: validateBoxes ${JSON.stringify(issues)}, toProviderList ${refused?.message}`);
          if (refused) assert.deepEqual(refused.issues, issues);
          for (const box of boxes) {
            assert.equal(
              refusal(() => toProviderFields(box, [page], profile)) !== null,
              validateBoxes([box], [page], profile).length > 0,
              `${id}: ${JSON.stringify(box)}`,
            );
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('user ↔ visual and user ↔ viewport are exact inverses at any scale', () => {
    fc.assert(
      fc.property(
        geometryArb.chain((page) => fc.tuple(fc.constant(page), boxArb(page, 1), fc.double({ min: 0.1, max: 8, noNaN: true }))),
        ([page, box, scale]) => {
          const v = visualBoxToUser(page, userBoxToVisual(page, box));
          const r = viewportRectToUser(page, scale, userBoxToViewport(page, scale, box));
          for (const k of ['x', 'y', 'width', 'height'] as const) {
            assert.ok(close(v[k], box[k], 0), `visual ${k}`);
            assert.ok(close(r[k], box[k], 0), `viewport ${k}`);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a box inside the CropBox is inside the displayed page, scaled by scale × UserUnit', () => {
    fc.assert(
      fc.property(
        geometryArb.chain((page) => fc.tuple(fc.constant(page), boxArb(page, 1), fc.double({ min: 0.1, max: 8, noNaN: true }))),
        ([page, box, scale]) => {
          const size = viewportSize(page, scale);
          const r = userBoxToViewport(page, scale, box);
          assert.ok(r.left >= -1e-6 && r.top >= -1e-6, 'left/top');
          assert.ok(r.left + r.width <= size.width + 1e-6 && r.top + r.height <= size.height + 1e-6, 'right/bottom');
          const k = scale * page.userUnit;
          const turned = page.rotate === 90 || page.rotate === 270;
          assert.ok(close(r.width, (turned ? box.height : box.width) * k, 0));
          assert.ok(close(r.height, (turned ? box.width : box.height) * k, 0));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('for a page whose MediaBox starts at (0,0) and is not cropped, BSrE v2 (top-left, visual) equals the viewport at scale 1', () => {
    // Two independent formula tables (iText's visual space and pdf.js's viewport) must agree here.
    const plain = fc
      .record({ w: fc.integer({ min: 100, max: 1500 }), h: fc.integer({ min: 100, max: 1500 }), rotate: fc.constantFrom(0, 90, 180, 270) })
      .map(({ w, h, rotate }) => pageGeometry({ mediaBox: [0, 0, w, h], rotate }));
    fc.assert(
      fc.property(
        plain.chain((page) => fc.tuple(fc.constant(page), boxArb(page, 10))),
        ([page, box]) => {
          const v2 = toProviderFields(box, [page], resolveProfile('bsre-v2', { decimals: 6 }));
          const r = userBoxToViewport(page, 1, box);
          assert.ok(close(v2.originX, r.left, 1e-6) && close(v2.originY, r.top, 1e-6), `${JSON.stringify(v2)} vs ${JSON.stringify(r)}`);
          assert.ok(close(v2.width, r.width, 1e-5) && close(v2.height, r.height, 1e-5));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
