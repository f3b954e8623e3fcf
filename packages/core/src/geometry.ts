import { fail } from './errors.js';

/** A PDF rectangle `[llx, lly, urx, ury]` in user-space units, normalised so that llx < urx and lly < ury. */
export type PdfRect = readonly [number, number, number, number];

export type Rotation = 0 | 90 | 180 | 270;

/**
 * What the kit needs to know about one page: enough to map between the file's user space,
 * the page as a person sees it (visual space) and the screen (viewport space).
 */
export interface PageGeometry {
  /** The MediaBox, normalised. */
  readonly mediaBox: PdfRect;
  /** The CropBox intersected with the MediaBox (the MediaBox when absent or empty): what is displayed. */
  readonly cropBox: PdfRect;
  /** `/Rotate`, normalised to 0, 90, 180 or 270 (clockwise, as displayed). */
  readonly rotate: Rotation;
  /** `/UserUnit` (PDF 1.6): the size of one user-space unit in points (1/72 inch). Default 1. */
  readonly userUnit: number;
}

export interface PageGeometryInput {
  mediaBox: readonly number[];
  cropBox?: readonly number[] | null;
  rotate?: number | null;
  userUnit?: number | null;
}

/**
 * Normalises `/Rotate` the way viewers do: any multiple of 90, negative or above 360, becomes 0/90/180/270.
 * A value that is not a multiple of 90 is invalid in PDF; like pdf.js, we display such a page unrotated,
 * so that what the person sees and what we compute agree.
 */
export function normalizeRotation(rotate: number | null | undefined): Rotation {
  if (rotate === null || rotate === undefined || !Number.isFinite(rotate) || rotate % 90 !== 0) return 0;
  return (((rotate % 360) + 360) % 360) as Rotation;
}

function normalizeRect(values: readonly number[], field: string): PdfRect {
  if (values.length !== 4 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    fail('invalid-geometry', field, {
      en: `${field} must be an array of four finite numbers [llx, lly, urx, ury].`,
      id: `${field} harus berupa larik empat angka [llx, lly, urx, ury].`,
    });
  }
  const [a, b, c, d] = values as [number, number, number, number];
  const rect: PdfRect = [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  return rect;
}

function hasArea(r: PdfRect): boolean {
  return r[2] - r[0] > 0 && r[3] - r[1] > 0;
}

function intersect(a: PdfRect, b: PdfRect): PdfRect | null {
  const r: PdfRect = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return hasArea(r) ? r : null;
}

/**
 * Builds a page's geometry from its boxes. PDF 32000-1 §14.11.2: the CropBox is clipped to the MediaBox;
 * an empty or missing CropBox means the whole MediaBox is shown (pdf.js does the same).
 */
export function pageGeometry(input: PageGeometryInput): PageGeometry {
  const mediaBox = normalizeRect(input.mediaBox, 'mediaBox');
  if (!hasArea(mediaBox)) {
    fail('invalid-geometry', 'mediaBox', {
      en: 'mediaBox has no area: its width and height must be greater than zero.',
      id: 'mediaBox tidak memiliki luas: lebar dan tingginya harus lebih besar dari nol.',
    });
  }
  let cropBox = mediaBox;
  if (input.cropBox) cropBox = intersect(normalizeRect(input.cropBox, 'cropBox'), mediaBox) ?? mediaBox;
  const userUnit = input.userUnit ?? 1;
  if (!Number.isFinite(userUnit) || userUnit <= 0) {
    fail('invalid-geometry', 'userUnit', {
      en: 'userUnit must be a positive number.',
      id: 'userUnit harus berupa angka positif.',
    });
  }
  return { mediaBox, cropBox, rotate: normalizeRotation(input.rotate), userUnit };
}

/**
 * A page dictionary as a plain object, with its `Parent` chain: what a PDF parser (pdf-lib in Node,
 * anything in the browser) can hand over without the core depending on it.
 */
export interface PageTreeNode {
  MediaBox?: readonly number[] | undefined;
  CropBox?: readonly number[] | undefined;
  Rotate?: number | undefined;
  UserUnit?: number | undefined;
  Parent?: PageTreeNode | undefined;
}

/**
 * Resolves a page's geometry through the Pages tree. PDF 32000-1 Table 30: MediaBox, CropBox and Rotate
 * are inheritable from ancestor Pages nodes; UserUnit is not (it belongs to the page alone).
 */
export function pageGeometryFromPageTree(page: PageTreeNode): PageGeometry {
  const inherited = <K extends 'MediaBox' | 'CropBox' | 'Rotate'>(key: K): PageTreeNode[K] => {
    const seen = new Set<PageTreeNode>();
    for (let node: PageTreeNode | undefined = page; node && !seen.has(node); node = node.Parent) {
      seen.add(node);
      if (node[key] !== undefined) return node[key];
    }
    return undefined;
  };
  const mediaBox = inherited('MediaBox');
  if (!mediaBox) {
    fail('invalid-geometry', 'mediaBox', {
      en: 'The page has no MediaBox, neither its own nor inherited from the Pages tree.',
      id: 'Halaman tidak memiliki MediaBox, baik sendiri maupun warisan dari pohon Pages.',
    });
  }
  return pageGeometry({
    mediaBox,
    cropBox: inherited('CropBox') ?? null,
    rotate: inherited('Rotate') ?? 0,
    userUnit: page.UserUnit ?? 1,
  });
}

/** Width and height of a page as displayed (after /Rotate, clipped to the CropBox), in user-space units. */
export function displayedSize(page: PageGeometry): { width: number; height: number } {
  const w = page.cropBox[2] - page.cropBox[0];
  const h = page.cropBox[3] - page.cropBox[1];
  return page.rotate === 90 || page.rotate === 270 ? { width: h, height: w } : { width: w, height: h };
}
