import { CoordinateError, fail, issue, type CoordinateIssue } from './errors.js';
import type { PageGeometry } from './geometry.js';
import type { CoordinateProfile, ProfileId } from './profiles.js';
import { userBoxToVisual, visualBoxToUser, visualMediaBox, type Box } from './transforms.js';
import { validateBox, validateBoxes, type NeutralBox } from './validate.js';

/** Exactly what each provider's API takes for one box, with the default profiles' field names and types. */
export interface ProviderFieldsById {
  'bsre-v1': { page: number; xAxis: number; yAxis: number; width: number; height: number };
  'bsre-v2': { page: number; originX: number; originY: number; width: number; height: number };
  'bsre-cloud': { halaman: 'pertama' | 'terakhir'; xAxis: number; yAxis: number; width: number; height: number };
  peruri: { page: string; lowerLeftX: string; lowerLeftY: string; upperRightX: string; upperRightY: string };
  digisign: { page: string; llx: string; lly: string; urx: string; ury: string };
}

export type ProviderFields<P extends ProfileId = ProfileId> = ProviderFieldsById[P];

/** A box in the provider's frame: x from the left, y from the profile's origin, low/high corners, not yet rounded. */
interface FrameBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The y of the top edge of the displayed MediaBox, in the profile's space: the reference of top-left origins. */
function topEdge(page: PageGeometry, profile: CoordinateProfile): number {
  if (profile.space === 'user') return page.mediaBox[3];
  const media = visualMediaBox(page);
  return media.y + media.height;
}

function unitScale(page: PageGeometry, profile: CoordinateProfile): number {
  return profile.units === 'points' ? page.userUnit : 1;
}

function toFrame(box: Box, page: PageGeometry, profile: CoordinateProfile): FrameBox {
  const b = profile.space === 'visual' ? userBoxToVisual(page, box) : box;
  const u = unitScale(page, profile);
  if (profile.origin === 'bottom-left') {
    return { x0: b.x * u, y0: b.y * u, x1: (b.x + b.width) * u, y1: (b.y + b.height) * u };
  }
  const top = topEdge(page, profile);
  return { x0: b.x * u, y0: (top - (b.y + b.height)) * u, x1: (b.x + b.width) * u, y1: (top - b.y) * u };
}

function fromFrame(f: FrameBox, page: PageGeometry, profile: CoordinateProfile): Box {
  const u = unitScale(page, profile);
  const x = f.x0 / u;
  const width = (f.x1 - f.x0) / u;
  const height = (f.y1 - f.y0) / u;
  const y = profile.origin === 'bottom-left' ? f.y0 / u : topEdge(page, profile) - f.y1 / u;
  const b = { x, y, width, height };
  return profile.space === 'visual' ? visualBoxToUser(page, b) : b;
}

// A nudge so that values a floating-point hair below a whole step (453.9999999) floor to the step.
const STEP_SLACK = 1e-7;

function roundCorner(value: number, decimals: number, direction: 'down' | 'up' | 'nearest'): number {
  const f = 10 ** decimals;
  const scaled = value * f;
  const r =
    direction === 'nearest' ? Math.round(scaled) : direction === 'down' ? Math.floor(scaled + STEP_SLACK) : Math.ceil(scaled - STEP_SLACK);
  return r / f + 0; // + 0 turns -0 into 0
}

function roundFrame(f: FrameBox, profile: CoordinateProfile): FrameBox {
  const low = profile.rounding === 'nearest' ? 'nearest' : profile.rounding === 'outward' ? 'down' : 'up';
  const high = profile.rounding === 'nearest' ? 'nearest' : profile.rounding === 'outward' ? 'up' : 'down';
  const d = profile.decimals;
  return { x0: roundCorner(f.x0, d, low), y0: roundCorner(f.y0, d, low), x1: roundCorner(f.x1, d, high), y1: roundCorner(f.y1, d, high) };
}

function formatNumber(value: number, profile: CoordinateProfile): number | string {
  // Differences of rounded corners carry float noise (0.1 + 0.2); round once more to the profile's precision.
  const v = Math.round(value * 10 ** profile.decimals) / 10 ** profile.decimals + 0;
  return profile.numberFormat === 'number' ? v : String(v);
}

function formatPage(page: number, pageCount: number, profile: CoordinateProfile): number | string {
  if (profile.pageFormat === 'first-last') return page === 1 ? 'pertama' : 'terakhir';
  const n = page - 1 + profile.pageBase;
  return profile.pageFormat === 'number' ? n : String(n);
}

/** Encodes a box that is already known to be valid. */
function encode(box: NeutralBox, pages: readonly PageGeometry[], profile: CoordinateProfile): Record<string, number | string> {
  const page = pages[box.page - 1]!;
  const f = roundFrame(toFrame(box, page, profile), profile);
  const corners = profile.encoding === 'corners';
  return {
    [profile.fields.page]: formatPage(box.page, pages.length, profile),
    [profile.fields.x]: formatNumber(f.x0, profile),
    [profile.fields.y]: formatNumber(f.y0, profile),
    [profile.fields.xFar]: formatNumber(corners ? f.x1 : f.x1 - f.x0, profile),
    [profile.fields.yFar]: formatNumber(corners ? f.y1 : f.y1 - f.y0, profile),
  };
}

/**
 * What the provider's wire format refuses in a box that is otherwise valid: a value longer than its fields hold
 * (Peruri's are three characters, so no coordinate of 1000 or more). `validateBox` calls it, so that
 * `validateBoxes` and `toProviderFields` always agree on which boxes are acceptable.
 */
export function wireFormatIssues(
  box: NeutralBox,
  pages: readonly PageGeometry[],
  profile: CoordinateProfile,
  where: { index?: number; boxId?: string } = {},
): CoordinateIssue[] {
  if (profile.maxLength === null) return [];
  const max = profile.maxLength;
  return Object.entries(encode(box, pages, profile))
    .filter(([, v]) => String(v).length > max)
    .map(([field, v]) =>
      issue(
        'value-too-large',
        field,
        {
          en: `${field} "${String(v)}" is longer than the ${max} characters ${profile.label} accepts.`,
          id: `${field} "${String(v)}" lebih panjang dari ${max} karakter yang diterima ${profile.label}.`,
        },
        where,
      ),
    );
}

/**
 * Converts neutral boxes to a provider's fields, after checking every box and the rules between them.
 * Throws a `CoordinateError` listing every issue found.
 */
export function toProviderList<P extends ProfileId>(
  boxes: readonly (NeutralBox & { id?: string })[],
  pages: readonly PageGeometry[],
  profile: CoordinateProfile & { id: P },
): ProviderFields<P>[] {
  // validateBoxes includes the wire format's limits (wireFormatIssues): what it accepts encodes as is.
  const issues = validateBoxes(boxes, pages, profile);
  if (issues.length) throw new CoordinateError(issues);
  return boxes.map((box) => encode(box, pages, profile)) as unknown as ProviderFields<P>[];
}

/** Converts one neutral box to a provider's fields. Throws a `CoordinateError` if the box is not acceptable. */
export function toProviderFields<P extends ProfileId>(
  box: NeutralBox & { id?: string },
  pages: readonly PageGeometry[],
  profile: CoordinateProfile & { id: P },
): ProviderFields<P> {
  return toProviderList([box], pages, profile)[0]!;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

function parseNumber(fields: Record<string, unknown>, field: string, profile: CoordinateProfile): number {
  const raw = fields[field];
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined || !(typeof raw === 'number' ? Number.isFinite(raw) : DECIMAL.test(text))) {
    fail('not-a-number', field, {
      en: raw === undefined ? `${field} is missing.` : `${field} must be a number (got ${JSON.stringify(raw)}).`,
      id: raw === undefined ? `${field} tidak ada.` : `${field} harus berupa angka (diterima ${JSON.stringify(raw)}).`,
    });
  }
  if (profile.numberFormat === 'integer-string' && !INTEGER.test(text)) {
    fail('not-integer', field, {
      en: `${field} must be a whole number for ${profile.label} (got "${text}"); decimals are rejected with resultCode 4012.`,
      id: `${field} harus bilangan bulat untuk ${profile.label} (diterima "${text}"); desimal ditolak dengan resultCode 4012.`,
    });
  }
  if (profile.numberFormat === 'decimal-string') {
    const decimals = text.split('.')[1]?.length ?? 0;
    if (decimals > profile.decimals) {
      fail('not-a-number', field, {
        en: `${field} has ${decimals} decimals; ${profile.label} takes at most ${profile.decimals} (got "${text}").`,
        id: `${field} memiliki ${decimals} desimal; ${profile.label} menerima paling banyak ${profile.decimals} (diterima "${text}").`,
      });
    }
  }
  return Number(text);
}

function parsePage(fields: Record<string, unknown>, pages: readonly PageGeometry[], profile: CoordinateProfile): number {
  const field = profile.fields.page;
  const raw = fields[field];
  if (profile.pageFormat === 'first-last') {
    if (raw === 'pertama') return 1;
    if (raw === 'terakhir') return pages.length;
    fail('not-a-number', field, {
      en: `${field} must be "pertama" (first page) or "terakhir" (last page) (got ${JSON.stringify(raw)}).`,
      id: `${field} harus "pertama" atau "terakhir" (diterima ${JSON.stringify(raw)}).`,
    });
  }
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!INTEGER.test(text)) {
    fail('not-a-number', field, {
      en: raw === undefined ? `${field} is missing.` : `${field} must be a whole page number (got ${JSON.stringify(raw)}).`,
      id: raw === undefined ? `${field} tidak ada.` : `${field} harus berupa nomor halaman bulat (diterima ${JSON.stringify(raw)}).`,
    });
  }
  const page = Number(text) - profile.pageBase + 1;
  if (page < 1 || page > pages.length) {
    fail('page-out-of-range', field, {
      en: `${field} ${text} does not exist: the document has ${pages.length} page${pages.length === 1 ? '' : 's'}.`,
      id: `${field} ${text} tidak ada: dokumen memiliki ${pages.length} halaman.`,
    });
  }
  return page;
}

/**
 * Reads a provider's fields back into a neutral box (the inverse of `toProviderFields`, exact within the
 * profile's rounding). The result is checked like any box, with the profile's rounding step as tolerance,
 * so that a box drawn flush with the page edge survives the round trip.
 */
export function fromProviderFields(
  fields: Record<string, unknown>,
  pages: readonly PageGeometry[],
  profile: CoordinateProfile,
): NeutralBox {
  const page = parsePage(fields, pages, profile);
  const x = parseNumber(fields, profile.fields.x, profile);
  const y = parseNumber(fields, profile.fields.y, profile);
  const xFar = parseNumber(fields, profile.fields.xFar, profile);
  const yFar = parseNumber(fields, profile.fields.yFar, profile);
  const frame: FrameBox =
    profile.encoding === 'corners'
      ? // iText normalises a rectangle whose corners are swapped; so do we.
        { x0: Math.min(x, xFar), y0: Math.min(y, yFar), x1: Math.max(x, xFar), y1: Math.max(y, yFar) }
      : { x0: x, y0: y, x1: x + xFar, y1: y + yFar };
  const geometry = pages[page - 1]!;
  const box: NeutralBox = { page, ...fromFrame(frame, geometry, profile) };
  if (profile.encoding === 'size' && (xFar <= 0 || yFar <= 0)) {
    // Report a bad size under the provider's own field name, not the neutral one.
    const field = xFar <= 0 ? profile.fields.xFar : profile.fields.yFar;
    fail('size-not-positive', field, {
      en: `${field} must be greater than zero (got ${xFar <= 0 ? xFar : yFar}).`,
      id: `${field} harus lebih besar dari nol (diterima ${xFar <= 0 ? xFar : yFar}).`,
    });
  }
  const step = 10 ** -profile.decimals / unitScale(geometry, profile);
  const issues = validateBox(box, pages, profile, undefined, step);
  if (issues.length) {
    // The checks speak of the neutral box (`width` for its right side); the person gave the provider's fields,
    // so name the field that carries the side at fault (e.g. Peruri's upperRightX), swapped corners included.
    const f = profile.fields;
    const swapX = profile.encoding === 'corners' && x > xFar;
    const swapY = profile.encoding === 'corners' && y > yFar;
    const given: Record<keyof FrameBox, string> = {
      x0: swapX ? f.xFar : f.x,
      x1: swapX ? f.x : f.xFar,
      y0: swapY ? f.yFar : f.y,
      y1: swapY ? f.y : f.yFar,
    };
    const named = ({ code, field }: CoordinateIssue): string => {
      if (field === 'page') return f.page;
      if (!isSide(field)) return field;
      const side = frameSideOf(field, box, geometry, profile);
      // A size lies between two fields: name the far one, as the width/height field of a size encoding is.
      const size = code === 'size-not-positive' || code === 'size-too-small';
      return given[size ? (side.startsWith('x') ? 'x1' : 'y1') : side];
    };
    throw new CoordinateError(issues.map((i) => ({ ...i, field: named(i) })));
  }
  return box;
}

type Side = 'x' | 'y' | 'width' | 'height';
const isSide = (field: string): field is Side => field === 'x' || field === 'y' || field === 'width' || field === 'height';

/**
 * The side of the provider's frame that a side of a neutral box becomes (`x`/`width`: its left/right side in
 * user space, `y`/`height`: bottom/top). Rotation and a top-left origin move sides around; rather than a table
 * per case, push the side out and see which side of the frame moves.
 */
function frameSideOf(side: Side, box: Box, page: PageGeometry, profile: CoordinateProfile): keyof FrameBox {
  const pushed = { ...box };
  if (side === 'x' || side === 'y') {
    // The left (bottom) side moves out and the right (top) one stays: the size grows by as much.
    pushed[side] -= 1;
    pushed[side === 'x' ? 'width' : 'height'] += 1;
  } else pushed[side] += 1;
  const before = toFrame(box, page, profile);
  const after = toFrame(pushed, page, profile);
  const moved = (k: keyof FrameBox) => Math.abs(after[k] - before[k]);
  return (['x0', 'y0', 'x1', 'y1'] as const).reduce((a, b) => (moved(b) > moved(a) ? b : a));
}
