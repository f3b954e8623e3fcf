import { CoordinateError, fail, type CoordinateIssue } from './errors.js';
import type { PageGeometry } from './geometry.js';
import type { CoordinateProfile, ProfileId } from './profiles.js';
import type { Box } from './transforms.js';
import { validateBox, validateBoxes, type NeutralBox } from './validate.js';
import { encode, fromFrame, toFrame, unitScale, type FrameBox } from './wire-format.js';

export { wireFormatIssues } from './wire-format.js';

/** Exactly what each provider's API takes for one box, with the default profiles' field names and types. */
export interface ProviderFieldsById {
  'bsre-v1': { page: number; xAxis: number; yAxis: number; width: number; height: number };
  'bsre-v2': { page: number; originX: number; originY: number; width: number; height: number };
  'bsre-cloud': { halaman: 'pertama' | 'terakhir'; xAxis: number; yAxis: number; width: number; height: number };
  peruri: { page: string; lowerLeftX: string; lowerLeftY: string; upperRightX: string; upperRightY: string };
  digisign: { page: string; llx: string; lly: string; urx: string; ury: string };
}

export type ProviderFields<P extends ProfileId = ProfileId> = ProviderFieldsById[P];

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
export function fromProviderFields(fields: Record<string, unknown>, pages: readonly PageGeometry[], profile: CoordinateProfile): NeutralBox {
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
