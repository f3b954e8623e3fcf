// The sandbox's own reading of each provider's coordinates, written from docs/providers/COORDINATES.md and the provider
// documents, deliberately NOT through @esign-kit/core's converters: the adapters convert with the core, the
// simulators read back with this, and a box landing where it was drawn shows both agree.
//
// Visual space (docs/providers/COORDINATES.md "Visual space", iText's PdfStamper reading), MediaBox [mx0 my0 mx1 my1]:
//   /Rotate 0: (x, y)   90: (y, mx1 − x)   180: (mx1 − x, my1 − y)   270: (my1 − y, x)
// Provider numbers are user-space units (iText ignores /UserUnit).
import type { PageGeometry } from '@esign-kit/core';
import type { StoredBox } from './state.js';

export class CoordinateFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CoordinateFieldError';
  }
}

interface Pt {
  x: number;
  y: number;
}

/** Visual → user for one point: the inverse of the table above. */
function toUser(g: PageGeometry, v: Pt): Pt {
  const mx1 = g.mediaBox[2];
  const my1 = g.mediaBox[3];
  switch (g.rotate) {
    case 0:
      return v;
    case 90:
      return { x: mx1 - v.y, y: v.x };
    case 180:
      return { x: mx1 - v.x, y: my1 - v.y };
    case 270:
      return { x: v.y, y: my1 - v.x };
  }
}

function toVisual(g: PageGeometry, p: Pt): Pt {
  const mx1 = g.mediaBox[2];
  const my1 = g.mediaBox[3];
  switch (g.rotate) {
    case 0:
      return p;
    case 90:
      return { x: p.y, y: mx1 - p.x };
    case 180:
      return { x: mx1 - p.x, y: my1 - p.y };
    case 270:
      return { x: my1 - p.y, y: p.x };
  }
}

/** One visual-space point in user space (the calibration sheet draws its grid with it). */
export function visualPointToUser(g: PageGeometry, vx: number, vy: number): { x: number; y: number } {
  return toUser(g, { x: vx, y: vy });
}

/** A visual-space rectangle (two corners) to a user-space box, corner by corner then min/max. */
export function visualCornersToUser(g: PageGeometry, page: number, llx: number, lly: number, urx: number, ury: number): StoredBox {
  const a = toUser(g, { x: llx, y: lly });
  const b = toUser(g, { x: urx, y: ury });
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { page, x, y, width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

/** The visual y of the displayed MediaBox's top edge: the reference of a top-left origin. */
export function visualTop(g: PageGeometry): number {
  const [x0, y0, x1, y1] = g.mediaBox;
  return Math.max(
    ...[toVisual(g, { x: x0, y: y0 }), toVisual(g, { x: x1, y: y1 }), toVisual(g, { x: x0, y: y1 }), toVisual(g, { x: x1, y: y0 })].map((p) => p.y),
  );
}

/** The user box back to visual corners (for error messages and the calibration sheet). */
export function userToVisualCorners(g: PageGeometry, box: StoredBox): [number, number, number, number] {
  const a = toVisual(g, { x: box.x, y: box.y });
  const b = toVisual(g, { x: box.x + box.width, y: box.y + box.height });
  return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)];
}

function pageOf(pages: readonly PageGeometry[], page: number, field: string): PageGeometry {
  const g = Number.isInteger(page) ? pages[page - 1] : undefined;
  if (!g) throw new CoordinateFieldError(field, `page ${page} does not exist (the document has ${pages.length} pages)`);
  return g;
}

function finite(value: unknown, field: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new CoordinateFieldError(field, `${field} must be a number`);
  return n;
}

/** The box must have an area and lie on the page's MediaBox (what iText would refuse or clip). */
function onPage(g: PageGeometry, box: StoredBox, field: string): StoredBox {
  if (!(box.width > 0 && box.height > 0)) throw new CoordinateFieldError(field, 'the box has no area');
  const [x0, y0, x1, y1] = g.mediaBox;
  const eps = 0.01;
  if (box.x < x0 - eps || box.y < y0 - eps || box.x + box.width > x1 + eps || box.y + box.height > y1 + eps) {
    throw new CoordinateFieldError(field, 'the box lies outside the page');
  }
  return box;
}

/**
 * How a deployment's coordinate profile (BSRE_PROFILE_V1 …, config.ts) says the provider reads its numbers:
 * the keys that change the reading — origin, encoding, space, units, page base. (Rounding, decimals and the
 * smallest size only shape what the sender writes.) Read here from the overrides themselves, not through
 * the core's resolveProfile, so that the simulators stay an independent reading.
 */
interface Reading {
  origin: 'bottom-left' | 'top-left';
  encoding: 'size' | 'corners';
  space: 'visual' | 'user';
  units: 'user' | 'points';
  pageBase: 0 | 1;
}

type Overrides = { readonly [K in keyof Reading]?: unknown };

function reading(defaults: Pick<Reading, 'origin' | 'encoding'>, overrides: Overrides | undefined): Reading {
  const o: Overrides = overrides ?? {};
  return {
    origin: o.origin === 'top-left' || o.origin === 'bottom-left' ? o.origin : defaults.origin,
    encoding: o.encoding === 'corners' || o.encoding === 'size' ? o.encoding : defaults.encoding,
    space: o.space === 'user' ? 'user' : 'visual',
    units: o.units === 'points' ? 'points' : 'user',
    pageBase: o.pageBase === 0 ? 0 : 1,
  };
}

/**
 * Four provider numbers to a user-space box. `size`: (a, b) the anchor corner, (c, d) width and height;
 * `corners`: (a, b) and (c, d) two opposite corners. `bottom-left`: y up from the bottom edge, the anchor is
 * the lower-left corner; `top-left`: y down from the top edge (the displayed MediaBox's top in visual
 * space, the MediaBox's top in user space), the anchor is the top-left corner.
 */
function readBox(g: PageGeometry, page: number, r: Reading, a: number, b: number, c: number, d: number, field: string): StoredBox {
  const k = r.units === 'points' ? 1 / g.userUnit : 1;
  [a, b, c, d] = [a * k, b * k, c * k, d * k];
  const top = r.space === 'visual' ? visualTop(g) : g.mediaBox[3];
  const yOf = (y: number) => (r.origin === 'top-left' ? top - y : y);
  let x0: number, y0: number, x1: number, y1: number;
  if (r.encoding === 'size') {
    x0 = a;
    x1 = a + c;
    y0 = r.origin === 'top-left' ? yOf(b) - d : b;
    y1 = y0 + d;
  } else {
    [x0, x1] = [Math.min(a, c), Math.max(a, c)];
    [y0, y1] = [Math.min(yOf(b), yOf(d)), Math.max(yOf(b), yOf(d))];
  }
  const box = r.space === 'visual' ? visualCornersToUser(g, page, x0, y0, x1, y1) : { page, x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  return onPage(g, box, field);
}

/** The page a provider number names, in the deployment's page base. */
function pageNumber(pages: readonly PageGeometry[], value: number, r: Reading): { page: number; g: PageGeometry } {
  const page = value - r.pageBase + 1;
  return { page, g: pageOf(pages, page, 'page') };
}

/**
 * BSrE v1 `/api/sign/pdf` and the cloud API: `xAxis, yAxis` = lower-left corner from the bottom-left, `width,
 * height` (the deployment's profile may say otherwise). `page` is the provider's number; the cloud's
 * `halaman` is resolved by the caller, with `pageBase: 1`.
 */
export function readBsreBottomLeft(
  pages: readonly PageGeometry[],
  page: number,
  xAxis: unknown,
  yAxis: unknown,
  width: unknown,
  height: unknown,
  overrides?: Overrides,
): StoredBox {
  const r = reading({ origin: 'bottom-left', encoding: 'size' }, overrides);
  const { page: p, g } = pageNumber(pages, page, r);
  return readBox(g, p, r, finite(xAxis, 'xAxis'), finite(yAxis, 'yAxis'), finite(width, 'width'), finite(height, 'height'), 'xAxis');
}

/** BSrE v2 `signatureProperties`: `(originX, originY)` = the box's top-left corner, measured from the top-left. */
export function readBsreV2(
  pages: readonly PageGeometry[],
  page: unknown,
  originX: unknown,
  originY: unknown,
  width: unknown,
  height: unknown,
  overrides?: Overrides,
): StoredBox {
  const r = reading({ origin: 'top-left', encoding: 'size' }, overrides);
  const { page: p, g } = pageNumber(pages, finite(page, 'page'), r);
  return readBox(g, p, r, finite(originX, 'originX'), finite(originY, 'originY'), finite(width, 'width'), finite(height, 'height'), 'originY');
}

/** Peruri `signer[]`: corners as integer strings of at most 3 characters; anything else is resultCode 4012. */
export function readPeruri(pages: readonly PageGeometry[], s: Record<string, unknown>, overrides?: Overrides): StoredBox {
  const int = (key: string) => {
    const v = s[key];
    const text = typeof v === 'number' ? String(v) : v;
    if (typeof text !== 'string' || !/^\d{1,3}$/.test(text))
      throw new CoordinateFieldError(key, `${key} must be a whole number of at most 3 digits (got ${JSON.stringify(v)})`);
    return Number(text);
  };
  const r = reading({ origin: 'bottom-left', encoding: 'corners' }, overrides);
  const { page, g } = pageNumber(pages, int('page'), r);
  return readBox(g, page, r, int('lowerLeftX'), int('lowerLeftY'), int('upperRightX'), int('upperRightY'), 'lowerLeftX');
}

/** Digisign `req-sign[]`/`meterai_positions[]`: corners as decimal strings (at most 2 decimals), bottom-left origin. */
export function readDigisign(pages: readonly PageGeometry[], s: Record<string, unknown>, overrides?: Overrides): StoredBox {
  const dec = (key: string) => {
    const v = s[key];
    const text = typeof v === 'number' ? String(v) : v;
    if (typeof text !== 'string' || !/^-?\d+(\.\d{1,2})?$/.test(text.trim()))
      throw new CoordinateFieldError(key, `${key} must be a decimal number with at most 2 decimals`);
    return Number(text);
  };
  const r = reading({ origin: 'bottom-left', encoding: 'corners' }, overrides);
  const { page, g } = pageNumber(pages, dec('page'), r);
  return readBox(g, page, r, dec('llx'), dec('lly'), dec('urx'), dec('ury'), 'llx');
}

/** Two boxes overlap when they share an area (touching edges do not). */
export function overlaps(a: StoredBox, b: StoredBox): boolean {
  return a.page === b.page && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
