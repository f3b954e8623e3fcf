import { issue, type CoordinateIssue } from './errors.js';
import type { PageGeometry } from './geometry.js';
import type { CoordinateProfile } from './profiles.js';
import type { Box } from './transforms.js';
import { wireFormatIssues } from './wire-format.js';

/** A signature box in the neutral model: 1-based page, user-space units, lower-left corner (COORDINATES.md). */
export interface NeutralBox extends Box {
  page: number;
}

/**
 * What a box puts on the page: a person's `signature`, an organisation's `seal`, a stamp-duty `meterai`
 * (Digisign's e-meterai) or a verification `qr` (BSrE's linkQR appearance).
 */
export type BoxKind = 'signature' | 'seal' | 'meterai' | 'qr';

/** A neutral box as the elements and the server keep it, with an identity and optional metadata. */
export interface PlacedBox extends NeutralBox {
  id: string;
  label?: string;
  /** The id of the signer whose box it is (one of the placer's `signers`). */
  signer?: string;
  /** What the box is for; `signature` when absent. */
  kind?: BoxKind;
}

type BoxLike = NeutralBox & { id?: string };

// Boxes computed from the screen land a hair outside the page through floating point; a millionth of
// a unit is far below any provider's precision.
const EPSILON = 1e-6;

const NEUTRAL_FIELDS = ['page', 'x', 'y', 'width', 'height'] as const;

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** Checks one box against its document and profile, without the checks that need the other boxes. */
export function validateBox(
  box: BoxLike,
  pages: readonly PageGeometry[],
  profile: CoordinateProfile,
  index?: number,
  /** How far (user units) a box may exceed the page, e.g. one rounding step of a box read back from a provider. */
  tolerance = EPSILON,
): CoordinateIssue[] {
  const where = { ...(index !== undefined ? { index } : {}), ...(box.id !== undefined ? { boxId: box.id } : {}) };
  for (const field of NEUTRAL_FIELDS) {
    const value = box[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return [
        issue(
          'not-finite',
          field,
          { en: `${field} must be a finite number (got ${String(value)}).`, id: `${field} harus berupa angka terhingga (diterima ${String(value)}).` },
          where,
        ),
      ];
    }
  }
  if (!Number.isInteger(box.page) || box.page < 1 || box.page > pages.length) {
    return [
      issue(
        'page-out-of-range',
        'page',
        {
          en: `Page ${box.page} does not exist: the document has ${pages.length} page${pages.length === 1 ? '' : 's'}.`,
          id: `Halaman ${box.page} tidak ada: dokumen memiliki ${pages.length} halaman.`,
        },
        where,
      ),
    ];
  }
  const issues: CoordinateIssue[] = [];
  const page = pages[box.page - 1]!;
  for (const [field, label, labelId] of [
    ['width', 'Width', 'Lebar'],
    ['height', 'Height', 'Tinggi'],
  ] as const) {
    const size = box[field];
    if (size <= 0) {
      issues.push(
        issue(
          'size-not-positive',
          field,
          { en: `${label} must be greater than zero (got ${fmt(size)}).`, id: `${labelId} harus lebih besar dari nol (diterima ${fmt(size)}).` },
          where,
        ),
      );
    } else if ((size + 2 * tolerance) * page.userUnit < profile.minSize) {
      issues.push(
        issue(
          'size-too-small',
          field,
          {
            en: `${label} ${fmt(size * page.userUnit)} pt is smaller than the minimum of ${fmt(profile.minSize)} pt.`,
            id: `${labelId} ${fmt(size * page.userUnit)} pt lebih kecil dari batas minimum ${fmt(profile.minSize)} pt.`,
          },
          where,
        ),
      );
    }
  }
  if (issues.length) return issues;
  const [cx0, cy0, cx1, cy1] = page.cropBox;
  const sides: [keyof Box, boolean][] = [
    ['x', box.x < cx0 - tolerance],
    ['y', box.y < cy0 - tolerance],
    ['width', box.x + box.width > cx1 + tolerance],
    ['height', box.y + box.height > cy1 + tolerance],
  ];
  const outside = sides.find(([, out]) => out);
  if (outside) {
    issues.push(
      issue(
        'box-outside-page',
        outside[0],
        {
          en: `The box (${fmt(box.x)}, ${fmt(box.y)}, ${fmt(box.width)} × ${fmt(box.height)}) does not fit inside the visible area of page ${box.page} [${page.cropBox.map(fmt).join(' ')}].`,
          id: `Kotak (${fmt(box.x)}, ${fmt(box.y)}, ${fmt(box.width)} × ${fmt(box.height)}) tidak muat di area tampak halaman ${box.page} [${page.cropBox.map(fmt).join(' ')}].`,
        },
        where,
      ),
    );
  }
  if (profile.pageFormat === 'first-last' && box.page !== 1 && box.page !== pages.length) {
    issues.push(
      issue(
        'page-not-first-or-last',
        'page',
        {
          en: `${profile.label} can place a signature only on the first or the last page (halaman pertama/terakhir); page ${box.page} of ${pages.length} is neither.`,
          id: `${profile.label} hanya dapat menaruh tanda tangan di halaman pertama atau terakhir; halaman ${box.page} dari ${pages.length} bukan keduanya.`,
        },
        where,
      ),
    );
  }
  // A box on the page may still not fit the provider's fields (Peruri's three characters): checked here, on
  // the encoded values, so that a box these checks accept is one toProviderFields converts.
  if (!issues.length) issues.push(...wireFormatIssues(box, pages, profile, where));
  return issues;
}

function overlaps(a: NeutralBox, b: NeutralBox): boolean {
  // Boxes that only touch along an edge do not overlap.
  return (
    a.page === b.page && a.x < b.x + b.width - EPSILON && b.x < a.x + a.width - EPSILON && a.y < b.y + b.height - EPSILON && b.y < a.y + a.height - EPSILON
  );
}

/** Checks every box, then the rules between boxes (overlap, where the provider forbids it). */
export function validateBoxes(boxes: readonly BoxLike[], pages: readonly PageGeometry[], profile: CoordinateProfile): CoordinateIssue[] {
  const issues = boxes.flatMap((box, index) => validateBox(box, pages, profile, index));
  if (!profile.allowOverlap && issues.length === 0) {
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (!overlaps(a, b)) continue;
        const name = (box: BoxLike, n: number) => box.id ?? `#${n + 1}`;
        issues.push(
          issue(
            'overlap',
            'boxes',
            {
              en: `Boxes ${name(a, i)} and ${name(b, j)} overlap on page ${a.page}; ${profile.label} rejects overlapping signature boxes (result 03).`,
              id: `Kotak ${name(a, i)} dan ${name(b, j)} bertumpuk di halaman ${a.page}; ${profile.label} menolak kotak tanda tangan yang bertumpuk (result 03).`,
            },
            { index: j, ...(b.id !== undefined ? { boxId: b.id } : {}) },
          ),
        );
      }
    }
  }
  return issues;
}
