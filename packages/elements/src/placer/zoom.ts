// Zoom settings and the scale they give: what the element needs before a document is open (the `zoom`
// attribute, the toolbar's list, the first page's layout). Zooming by gestures, keys and the toolbar's buttons
// is ./zoom-controller.ts, loaded with the document.
import { viewportSize, type PageGeometry } from '@esign-kit/core';

export type Zoom = number | 'fit-width' | 'fit-page';

export const ZOOM_STEPS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4];
const MIN_ZOOM = 0.25;
const MAX_ZOOM = 5;
/** Gap between pages and around them, in CSS pixels (placer.styles.ts `.pages`). */
export const PAGE_GAP = 16;

export function parseZoom(value: string | null): Zoom {
  if (value === 'fit-width' || value === 'fit-page') return value;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 'fit-width';
}

export const clampZoom = (scale: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, scale));

/**
 * The scale a zoom setting gives in the current view (`fit-width`: the widest page fills the width; `fit-page`:
 * the page in view, `currentPage`, fits whole) in a view of `view` CSS pixels (the scroller's, else the element's).
 */
export function scaleFor(zoom: Zoom, view: { width: number; height: number }, pages: readonly PageGeometry[], currentPage: number): number {
  if (typeof zoom === 'number') return clampZoom(zoom);
  const width = (view.width || 800) - 2 * PAGE_GAP;
  const height = (view.height || 600) - 2 * PAGE_GAP;
  const sizes = pages.map((g) => viewportSize(g, 1));
  if (!sizes.length) return 1;
  const widest = Math.max(1, ...sizes.map((s) => s.width));
  if (zoom === 'fit-width') return Math.max(0.1, width / widest);
  const current = sizes[currentPage - 1] ?? sizes[0]!;
  return Math.max(0.1, Math.min(width / current.width, height / current.height));
}
