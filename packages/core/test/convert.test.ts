import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CoordinateError,
  fromProviderFields,
  pageGeometry,
  parseProfileOverrides,
  resolveProfile,
  toProviderFields,
  toProviderList,
  validateBoxes,
  type PageGeometry,
  type ProfileId,
} from '@esign-kit/core';

const A4 = [0, 0, 595, 842];
const one = (g: Parameters<typeof pageGeometry>[0]) => [pageGeometry(g)];
const all = <P extends ProfileId>(id: P) => resolveProfile(id);

function roundTrips(fields: Record<string, unknown>, pages: PageGeometry[], id: ProfileId, box: object) {
  const back = fromProviderFields(fields, pages, resolveProfile(id));
  for (const [k, v] of Object.entries(box)) {
    assert.ok(Math.abs((back as unknown as Record<string, number>)[k]! - (v as number)) < 1e-9, `${id} ${k}: ${(back as never)[k]} ≠ ${v}`);
  }
}

describe("every profile on an unrotated A4 page (Peruri's own example box)", () => {
  const pages = one({ mediaBox: A4 });
  const box = { page: 1, x: 454, y: 45, width: 75, height: 71 };
  const expected = {
    'bsre-v1': { page: 1, xAxis: 454, yAxis: 45, width: 75, height: 71 },
    'bsre-v2': { page: 1, originX: 454, originY: 726, width: 75, height: 71 }, // 842 − (45 + 71)
    'bsre-cloud': { halaman: 'pertama', xAxis: 454, yAxis: 45, width: 75, height: 71 },
    peruri: { page: '1', lowerLeftX: '454', lowerLeftY: '45', upperRightX: '529', upperRightY: '116' },
    digisign: { page: '1', llx: '454', lly: '45', urx: '529', ury: '116' },
  } as const;
  for (const id of Object.keys(expected) as ProfileId[]) {
    it(id, () => {
      const fields = toProviderFields(box, pages, all(id));
      assert.deepEqual(fields, expected[id]);
      roundTrips(fields, pages, id, box);
    });
  }
});

describe('rotated pages (MediaBox [0 0 595 842], user box x100 y200 50×80)', () => {
  const box = { page: 1, x: 100, y: 200, width: 50, height: 80 };
  const cases = [
    { rotate: 90, peruri: ['200', '445', '280', '495'], v2: [200, 100, 80, 50] },
    { rotate: 180, peruri: ['445', '562', '495', '642'], v2: [445, 200, 50, 80] },
    { rotate: 270, peruri: ['562', '100', '642', '150'], v2: [562, 445, 80, 50] },
    { rotate: -90, peruri: ['562', '100', '642', '150'], v2: [562, 445, 80, 50] },
    { rotate: 450, peruri: ['200', '445', '280', '495'], v2: [200, 100, 80, 50] },
  ];
  for (const c of cases) {
    it(`/Rotate ${c.rotate}`, () => {
      const pages = one({ mediaBox: A4, rotate: c.rotate });
      const [llx, lly, urx, ury] = c.peruri;
      assert.deepEqual(toProviderFields(box, pages, all('peruri')), { page: '1', lowerLeftX: llx, lowerLeftY: lly, upperRightX: urx, upperRightY: ury });
      assert.deepEqual(toProviderFields(box, pages, all('digisign')), { page: '1', llx, lly, urx, ury });
      const [originX, originY, width, height] = c.v2;
      assert.deepEqual(toProviderFields(box, pages, all('bsre-v2')), { page: 1, originX, originY, width, height });
      assert.deepEqual(toProviderFields(box, pages, all('bsre-v1')), { page: 1, xAxis: Number(llx), yAxis: Number(lly), width, height });
      for (const id of ['peruri', 'digisign', 'bsre-v1', 'bsre-v2'] as const) roundTrips(toProviderFields(box, pages, all(id)), pages, id, box);
    });
  }
  it("space: 'user' ignores /Rotate", () => {
    const pages = one({ mediaBox: A4, rotate: 90 });
    const peruri = resolveProfile('peruri', { space: 'user' });
    assert.deepEqual(toProviderFields(box, pages, peruri), { page: '1', lowerLeftX: '100', lowerLeftY: '200', upperRightX: '150', upperRightY: '280' });
    const v2 = resolveProfile('bsre-v2', { space: 'user' });
    assert.deepEqual(toProviderFields(box, pages, v2), { page: 1, originX: 100, originY: 562, width: 50, height: 80 });
  });
});

describe('CropBox and MediaBox offsets', () => {
  it('a CropBox offset inside the MediaBox changes nothing: provider coordinates are absolute', () => {
    const pages = one({ mediaBox: [0, 0, 612, 792], cropBox: [36, 36, 576, 756] });
    const box = { page: 1, x: 100, y: 100, width: 100, height: 50 };
    assert.deepEqual(toProviderFields(box, pages, all('peruri')), { page: '1', lowerLeftX: '100', lowerLeftY: '100', upperRightX: '200', upperRightY: '150' });
    // top-left origin is measured from the MediaBox's top edge (792), not the CropBox's (756)
    assert.deepEqual(toProviderFields(box, pages, all('bsre-v2')), { page: 1, originX: 100, originY: 642, width: 100, height: 50 });
  });
  it('a box visible in the MediaBox but outside the CropBox is refused', () => {
    const pages = one({ mediaBox: [0, 0, 612, 792], cropBox: [36, 36, 576, 756] });
    assert.throws(() => toProviderFields({ page: 1, x: 10, y: 100, width: 100, height: 50 }, pages, all('peruri')), {
      code: 'box-outside-page',
      field: 'x',
    });
  });
  it('a MediaBox whose origin is not (0,0), unrotated and rotated', () => {
    const box = { page: 1, x: 150, y: 250, width: 100, height: 50 };
    const flat = one({ mediaBox: [100, 200, 700, 1000] });
    assert.deepEqual(toProviderFields(box, flat, all('digisign')), { page: '1', llx: '150', lly: '250', urx: '250', ury: '300' });
    assert.deepEqual(toProviderFields(box, flat, all('bsre-v2')), { page: 1, originX: 150, originY: 700, width: 100, height: 50 });
    const turned = one({ mediaBox: [100, 200, 700, 1000], rotate: 90 });
    assert.deepEqual(toProviderFields(box, turned, all('digisign')), { page: '1', llx: '250', lly: '450', urx: '300', ury: '550' });
    // visual MediaBox spans y 0..600, so its top edge is 600
    assert.deepEqual(toProviderFields(box, turned, all('bsre-v2')), { page: 1, originX: 250, originY: 50, width: 50, height: 100 });
    roundTrips(toProviderFields(box, turned, all('bsre-v2')), turned, 'bsre-v2', box);
  });
});

describe('UserUnit, landscape and mixed page sizes', () => {
  it('UserUnit 2: providers get user-space units by default, points on request', () => {
    const pages = one({ mediaBox: [0, 0, 300, 400], userUnit: 2 });
    const box = { page: 1, x: 10, y: 20, width: 30, height: 40 };
    assert.deepEqual(toProviderFields(box, pages, all('peruri')), { page: '1', lowerLeftX: '10', lowerLeftY: '20', upperRightX: '40', upperRightY: '60' });
    const points = resolveProfile('peruri', { units: 'points' });
    const fields = toProviderFields(box, pages, points);
    assert.deepEqual(fields, { page: '1', lowerLeftX: '20', lowerLeftY: '40', upperRightX: '80', upperRightY: '120' });
    assert.deepEqual(fromProviderFields(fields, pages, points), box);
  });
  it('UserUnit counts for the minimum size: 6 units at UserUnit 2 are 12 pt', () => {
    const pages = one({ mediaBox: [0, 0, 300, 400], userUnit: 2 });
    assert.doesNotThrow(() => toProviderFields({ page: 1, x: 0, y: 0, width: 6, height: 6 }, pages, all('bsre-v1')));
    assert.throws(() => toProviderFields({ page: 1, x: 0, y: 0, width: 4, height: 6 }, pages, all('bsre-v1')), { code: 'size-too-small', field: 'width' });
  });
  it('landscape A4', () => {
    const pages = one({ mediaBox: [0, 0, 842, 595] });
    const box = { page: 1, x: 700, y: 50, width: 100, height: 60 };
    assert.deepEqual(toProviderFields(box, pages, all('digisign')), { page: '1', llx: '700', lly: '50', urx: '800', ury: '110' });
    assert.deepEqual(toProviderFields(box, pages, all('bsre-v2')), { page: 1, originX: 700, originY: 485, width: 100, height: 60 });
  });
  it('mixed page sizes: each box uses its own page', () => {
    const pages = [
      pageGeometry({ mediaBox: A4 }),
      pageGeometry({ mediaBox: [0, 0, 612, 1008] }), // Legal
      pageGeometry({ mediaBox: [0, 0, 792, 612] }), // Letter landscape
    ];
    const boxes = [1, 2, 3].map((page) => ({ page, x: 50, y: 50, width: 100, height: 40 }));
    const v2 = toProviderList(boxes, pages, all('bsre-v2'));
    assert.deepEqual(
      v2.map((f) => f.originY),
      [842 - 90, 1008 - 90, 612 - 90],
    );
    assert.deepEqual(
      v2.map((f) => f.page),
      [1, 2, 3],
    );
  });
});

describe('number formats and rounding', () => {
  const pages = one({ mediaBox: A4 });
  const box = { page: 1, x: 100.456, y: 50.1, width: 80.333, height: 40 };
  it('Digisign: decimal strings with at most two decimals', () => {
    assert.deepEqual(toProviderFields(box, pages, all('digisign')), { page: '1', llx: '100.46', lly: '50.1', urx: '180.79', ury: '90.1' });
  });
  it('Peruri: integer strings, nearest by default', () => {
    assert.deepEqual(toProviderFields(box, pages, all('peruri')), { page: '1', lowerLeftX: '100', lowerLeftY: '50', upperRightX: '181', upperRightY: '90' });
  });
  it('Peruri: outward rounding never shrinks the box, inward never grows it', () => {
    assert.deepEqual(toProviderFields(box, pages, resolveProfile('peruri', { rounding: 'outward' })), {
      page: '1',
      lowerLeftX: '100',
      lowerLeftY: '50',
      upperRightX: '181',
      upperRightY: '91',
    });
    assert.deepEqual(toProviderFields(box, pages, resolveProfile('peruri', { rounding: 'inward' })), {
      page: '1',
      lowerLeftX: '101',
      lowerLeftY: '51',
      upperRightX: '180',
      upperRightY: '90',
    });
  });
  it('BSrE: numbers; the size is the difference of the rounded corners', () => {
    assert.deepEqual(toProviderFields(box, pages, all('bsre-v1')), { page: 1, xAxis: 100.46, yAxis: 50.1, width: 80.33, height: 40 });
    assert.deepEqual(toProviderFields(box, pages, resolveProfile('bsre-v1', { decimals: 0 })), { page: 1, xAxis: 100, yAxis: 50, width: 81, height: 40 });
  });
  it('BSrE v1 "corners" reading: width/height carry the upper-right corner', () => {
    assert.deepEqual(toProviderFields(box, pages, resolveProfile('bsre-v1', { encoding: 'corners' })), {
      page: 1,
      xAxis: 100.46,
      yAxis: 50.1,
      width: 180.79,
      height: 90.1,
    });
  });
  it('BSrE v2 bottom-left variant and 0-based pages', () => {
    assert.deepEqual(toProviderFields(box, pages, resolveProfile('bsre-v2', { origin: 'bottom-left', pageBase: 0 })), {
      page: 0,
      originX: 100.46,
      originY: 50.1,
      width: 80.33,
      height: 40,
    });
  });
  it('never writes -0', () => {
    const fields = toProviderFields({ page: 1, x: 0, y: 0, width: 20, height: 20 }, one({ mediaBox: [-0.3, -0.2, 100, 100] }), all('peruri'));
    assert.equal(fields.lowerLeftX, '0');
    assert.equal(fields.lowerLeftY, '0');
  });
});

describe('bsre-cloud halaman', () => {
  const pages = [1, 2, 3].map(() => pageGeometry({ mediaBox: A4 }));
  const box = (page: number) => ({ page, x: 50, y: 50, width: 100, height: 50 });
  it('first page → pertama, last page → terakhir', () => {
    assert.equal(toProviderFields(box(1), pages, all('bsre-cloud')).halaman, 'pertama');
    assert.equal(toProviderFields(box(3), pages, all('bsre-cloud')).halaman, 'terakhir');
    assert.equal(fromProviderFields({ halaman: 'terakhir', xAxis: 50, yAxis: 50, width: 100, height: 50 }, pages, all('bsre-cloud')).page, 3);
  });
  it('any other page is refused, in English and Indonesian', () => {
    assert.throws(
      () => toProviderFields(box(2), pages, all('bsre-cloud')),
      (e: unknown) => {
        assert.ok(e instanceof CoordinateError);
        assert.equal(e.code, 'page-not-first-or-last');
        assert.equal(e.field, 'page');
        assert.match(e.messages.en, /first or the last page/);
        assert.match(e.messages.id, /halaman pertama atau terakhir/);
        return true;
      },
    );
  });
  it('an unknown halaman word is refused', () => {
    assert.throws(() => fromProviderFields({ halaman: 'tengah', xAxis: 1, yAxis: 1, width: 50, height: 50 }, pages, all('bsre-cloud')), {
      code: 'not-a-number',
      field: 'halaman',
    });
  });
});

describe('validation', () => {
  const pages = [pageGeometry({ mediaBox: A4 }), pageGeometry({ mediaBox: A4 })];
  const ok = { page: 1, x: 50, y: 50, width: 100, height: 50 };
  const codeOf = (box: object, id: ProfileId = 'peruri') => validateBoxes([{ ...ok, ...box }], pages, all(id)).map((i) => [i.code, i.field]);
  it('page out of range', () => {
    assert.deepEqual(codeOf({ page: 0 }), [['page-out-of-range', 'page']]);
    assert.deepEqual(codeOf({ page: 3 }), [['page-out-of-range', 'page']]);
    assert.deepEqual(codeOf({ page: 1.5 }), [['page-out-of-range', 'page']]);
  });
  it('NaN and Infinity', () => {
    assert.deepEqual(codeOf({ x: Number.NaN }), [['not-finite', 'x']]);
    assert.deepEqual(codeOf({ height: Number.POSITIVE_INFINITY }), [['not-finite', 'height']]);
    assert.deepEqual(codeOf({ page: Number.NaN }), [['not-finite', 'page']]);
  });
  it('non-positive and too-small sizes', () => {
    assert.deepEqual(codeOf({ width: 0 }), [['size-not-positive', 'width']]);
    assert.deepEqual(codeOf({ height: -5 }), [['size-not-positive', 'height']]);
    assert.deepEqual(codeOf({ width: 9.9 }), [['size-too-small', 'width']]);
    assert.deepEqual(validateBoxes([{ ...ok, width: 4 }], pages, resolveProfile('peruri', { minSize: 2 })), []);
  });
  it('outside the page, on each side', () => {
    assert.deepEqual(codeOf({ x: -1 }), [['box-outside-page', 'x']]);
    assert.deepEqual(codeOf({ y: -0.5 }), [['box-outside-page', 'y']]);
    assert.deepEqual(codeOf({ x: 500 }), [['box-outside-page', 'width']]);
    assert.deepEqual(codeOf({ y: 800 }), [['box-outside-page', 'height']]);
    assert.deepEqual(codeOf({ x: 495, y: 792 }), []);
  });
  it('overlap is refused for Digisign (result 03) and allowed elsewhere; touching edges are fine', () => {
    const a = { id: 'a', ...ok };
    const b = { id: 'b', ...ok, x: 100 };
    const issues = validateBoxes([a, b], pages, all('digisign'));
    assert.deepEqual(
      issues.map((i) => [i.code, i.field, i.boxId]),
      [['overlap', 'boxes', 'b']],
    );
    assert.match(issues[0]!.message, /a and b overlap on page 1.*03/);
    assert.deepEqual(validateBoxes([a, b], pages, all('peruri')), []);
    assert.deepEqual(validateBoxes([a, { ...b, x: 150 }], pages, all('digisign')), []);
    assert.deepEqual(validateBoxes([a, { ...b, page: 2 }], pages, all('digisign')), []);
    assert.throws(() => toProviderList([a, b], pages, all('digisign')), { code: 'overlap' });
  });
  it("Peruri's three-character fields", () => {
    const wide = [pageGeometry({ mediaBox: [0, 0, 2000, 842] })];
    assert.throws(() => toProviderFields({ page: 1, x: 1500, y: 50, width: 100, height: 50 }, wide, all('peruri')), {
      code: 'value-too-large',
      field: 'lowerLeftX',
    });
    assert.doesNotThrow(() => toProviderFields({ page: 1, x: 1500, y: 50, width: 100, height: 50 }, wide, all('digisign')));
    // validateBoxes says so too (a placer checking with it would otherwise call valid a box `value` leaves out) …
    assert.deepEqual(
      validateBoxes([{ page: 1, x: 1500, y: 50, width: 100, height: 50 }], wide, all('peruri')).map((i) => [i.code, i.field, i.index]),
      [
        ['value-too-large', 'lowerLeftX', 0],
        ['value-too-large', 'upperRightX', 0],
      ],
    );
    // … and so does reading the fields back.
    assert.throws(() => fromProviderFields({ page: '1', lowerLeftX: '1500', lowerLeftY: '50', upperRightX: '1600', upperRightY: '100' }, wide, all('peruri')), {
      code: 'value-too-large',
      field: 'lowerLeftX',
    });
  });
  it('collects every issue of a list in one error', () => {
    try {
      toProviderList(
        [
          { ...ok, page: 9 },
          { ...ok, width: -1 },
        ],
        pages,
        all('digisign'),
      );
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof CoordinateError);
      assert.deepEqual(
        e.issues.map((i) => [i.code, i.index]),
        [
          ['page-out-of-range', 0],
          ['size-not-positive', 1],
        ],
      );
    }
  });
});

describe('fromProviderFields', () => {
  const pages = one({ mediaBox: A4 });
  it('rejects decimals for Peruri with the 4012 hint', () => {
    assert.throws(
      () => fromProviderFields({ page: '1', lowerLeftX: '454.5', lowerLeftY: '45', upperRightX: '529', upperRightY: '116' }, pages, all('peruri')),
      (e: unknown) => {
        assert.ok(e instanceof CoordinateError);
        assert.equal(e.code, 'not-integer');
        assert.equal(e.field, 'lowerLeftX');
        assert.match(e.message, /4012/);
        return true;
      },
    );
  });
  it('rejects more than two decimals for Digisign', () => {
    assert.throws(() => fromProviderFields({ page: '1', llx: '12.345', lly: '15', urx: '100', ury: '100' }, pages, all('digisign')), { field: 'llx' });
  });
  it('names a missing or non-numeric field', () => {
    assert.throws(() => fromProviderFields({ page: '1', llx: '12', lly: '15', urx: '100' }, pages, all('digisign')), { code: 'not-a-number', field: 'ury' });
    assert.throws(() => fromProviderFields({ page: 1, xAxis: 'abc', yAxis: 1, width: 20, height: 20 }, pages, all('bsre-v1')), {
      code: 'not-a-number',
      field: 'xAxis',
    });
    assert.throws(() => fromProviderFields({ page: '0', llx: '12', lly: '15', urx: '100', ury: '100' }, pages, all('digisign')), {
      code: 'page-out-of-range',
      field: 'page',
    });
  });
  it('names the provider field of a non-positive size', () => {
    assert.throws(() => fromProviderFields({ page: 1, originX: 10, originY: 10, width: 0, height: 20 }, pages, all('bsre-v2')), {
      code: 'size-not-positive',
      field: 'width',
    });
  });
  it('names the provider field that lies outside the page, for every profile and rotation', () => {
    // The provider's own field names, in the order: near x, near y, far x, far y (corner or size).
    const names: Record<ProfileId, string[]> = {
      'bsre-v1': ['xAxis', 'yAxis', 'width', 'height'],
      'bsre-v2': ['originX', 'originY', 'width', 'height'],
      'bsre-cloud': ['xAxis', 'yAxis', 'width', 'height'],
      peruri: ['lowerLeftX', 'lowerLeftY', 'upperRightX', 'upperRightY'],
      digisign: ['llx', 'lly', 'urx', 'ury'],
    };
    for (const [id, fields] of Object.entries(names) as [ProfileId, string[]][]) {
      for (const rotate of [0, 90, 180, 270]) {
        const rotated = one({ mediaBox: A4, rotate });
        const inside: Record<string, unknown> = toProviderFields({ page: 1, x: 100, y: 100, width: 100, height: 100 }, rotated, all(id));
        fields.forEach((field, k) => {
          // A near field below zero, a far field (corner or size) past the page's 842 pt.
          const value = k < 2 ? -50 : 2000;
          const typed = { ...inside, [field]: typeof inside[field] === 'string' ? String(value) : value };
          assert.throws(() => fromProviderFields(typed, rotated, all(id)), { code: 'box-outside-page', field }, `${id}, /Rotate ${rotate}, ${field}`);
        });
      }
    }
    // A top-left origin: originY is the top edge's distance from the page's top, so a negative one is at fault.
    assert.throws(() => fromProviderFields({ page: 1, originX: 10, originY: -5, width: 100, height: 50 }, pages, all('bsre-v2')), { field: 'originY' });
    // Swapped corners: the field that was typed, not the corner it becomes.
    assert.throws(() => fromProviderFields({ page: '1', lowerLeftX: '900', lowerLeftY: '100', upperRightX: '100', upperRightY: '150' }, pages, all('peruri')), {
      field: 'lowerLeftX',
    });
    // Sizes too: on a page turned a quarter, Peruri's y corners carry the box's width in user space.
    assert.throws(
      () =>
        fromProviderFields(
          { page: '1', lowerLeftX: '100', lowerLeftY: '100', upperRightX: '200', upperRightY: '105' },
          one({ mediaBox: A4, rotate: 90 }),
          all('peruri'),
        ),
      {
        code: 'size-too-small',
        field: 'upperRightY',
      },
    );
  });
  it('accepts numbers as strings (multipart form values) and normalises swapped corners', () => {
    assert.deepEqual(fromProviderFields({ page: '1', xAxis: '454', yAxis: '45', width: '75', height: '71' }, pages, all('bsre-v1')), {
      page: 1,
      x: 454,
      y: 45,
      width: 75,
      height: 71,
    });
    assert.deepEqual(fromProviderFields({ page: '1', llx: '529', lly: '116', urx: '454', ury: '45' }, pages, all('digisign')), {
      page: 1,
      x: 454,
      y: 45,
      width: 75,
      height: 71,
    });
  });
  it('accepts a box flush with the page edge after rounding', () => {
    // A4 is 841.89 pt high in many files: a box touching the top edge rounds to 842 for Peruri.
    const a4 = one({ mediaBox: [0, 0, 595.28, 841.89] });
    const fields = toProviderFields({ page: 1, x: 500, y: 800, width: 95.28, height: 41.89 }, a4, all('peruri'));
    assert.equal(fields.upperRightY, '842');
    assert.doesNotThrow(() => fromProviderFields(fields, a4, all('peruri')));
  });
});

describe('profiles', () => {
  it('checks overrides that arrive as data, naming the option', () => {
    assert.deepEqual(parseProfileOverrides({ origin: 'bottom-left', decimals: 1 }), { origin: 'bottom-left', decimals: 1 });
    assert.throws(() => parseProfileOverrides({ origin: 'middle' }), { code: 'invalid-profile', field: 'origin' });
    assert.throws(() => parseProfileOverrides({ colour: 'red' }), { code: 'invalid-profile', field: 'colour' });
    assert.throws(() => parseProfileOverrides('top-left'), { code: 'invalid-profile', field: 'profile' });
    assert.throws(() => parseProfileOverrides({ pageBase: 2 }), { code: 'invalid-profile', field: 'pageBase' });
  });
  it('refuses precision the wire format cannot carry', () => {
    assert.throws(() => resolveProfile('peruri', { decimals: 1 }), { code: 'invalid-profile', field: 'decimals' });
    assert.throws(() => resolveProfile('digisign', { decimals: 3 }), { code: 'invalid-profile', field: 'decimals' });
    assert.throws(() => resolveProfile('unknown' as ProfileId), { code: 'invalid-profile', field: 'provider' });
  });
});
