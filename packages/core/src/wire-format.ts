// The providers' wire format of one box: the box in the provider's frame (its origin, space and units), its
// corners rounded as the provider rounds them, the numbers and the page written as its fields take them — and
// what that format cannot hold. Used by the converters (convert.ts) and by validation (validate.ts), which
// checks the wire format's limits so that what it accepts always encodes.
import { issue, type CoordinateIssue } from './errors.js';
import type { PageGeometry } from './geometry.js';
import type { CoordinateProfile } from './profiles.js';
import { userBoxToVisual, visualBoxToUser, visualMediaBox, type Box } from './transforms.js';

/** A box on a page (validate.ts's NeutralBox, named here by its shape so that validate.ts can import this module). */
type PagedBox = Box & { page: number };

/** A box in the provider's frame: x from the left, y from the profile's origin, low/high corners, not yet rounded. */
export interface FrameBox {
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

export function unitScale(page: PageGeometry, profile: CoordinateProfile): number {
  return profile.units === 'points' ? page.userUnit : 1;
}

export function toFrame(box: Box, page: PageGeometry, profile: CoordinateProfile): FrameBox {
  const b = profile.space === 'visual' ? userBoxToVisual(page, box) : box;
  const u = unitScale(page, profile);
  if (profile.origin === 'bottom-left') {
    return { x0: b.x * u, y0: b.y * u, x1: (b.x + b.width) * u, y1: (b.y + b.height) * u };
  }
  const top = topEdge(page, profile);
  return { x0: b.x * u, y0: (top - (b.y + b.height)) * u, x1: (b.x + b.width) * u, y1: (top - b.y) * u };
}

export function fromFrame(f: FrameBox, page: PageGeometry, profile: CoordinateProfile): Box {
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
  const r = direction === 'nearest' ? Math.round(scaled) : direction === 'down' ? Math.floor(scaled + STEP_SLACK) : Math.ceil(scaled - STEP_SLACK);
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
export function encode(box: PagedBox, pages: readonly PageGeometry[], profile: CoordinateProfile): Record<string, number | string> {
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
  box: PagedBox,
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
