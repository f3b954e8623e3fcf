import type { PageGeometry } from './geometry.js';

export interface Point {
  x: number;
  y: number;
}

/** A rectangle in PDF terms: lower-left corner `(x, y)`, y growing upwards. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A rectangle on screen: CSS pixels from the top-left corner of the displayed page, y growing downwards. */
export interface ViewportRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * User space → visual space (COORDINATES.md "Visual space"). Matches iText's PdfStamper, which the providers'
 * signing engines use: on a rotated page it reads a rectangle in the displayed orientation and turns it back
 * into user space with the MediaBox's far edges. Visual space never depends on the CropBox.
 */
export function userToVisual(page: PageGeometry, p: Point): Point {
  const [, , mx1, my1] = page.mediaBox;
  switch (page.rotate) {
    case 0:
      return { x: p.x, y: p.y };
    case 90:
      return { x: p.y, y: mx1 - p.x };
    case 180:
      return { x: mx1 - p.x, y: my1 - p.y };
    case 270:
      return { x: my1 - p.y, y: p.x };
  }
}

export function visualToUser(page: PageGeometry, v: Point): Point {
  const [, , mx1, my1] = page.mediaBox;
  switch (page.rotate) {
    case 0:
      return { x: v.x, y: v.y };
    case 90:
      return { x: mx1 - v.y, y: v.x };
    case 180:
      return { x: mx1 - v.x, y: my1 - v.y };
    case 270:
      return { x: v.y, y: my1 - v.x };
  }
}

/** Maps a box corner by corner, then takes min/max: rotation swaps which corner is "lower-left". */
function mapBox(box: Box, map: (p: Point) => Point): Box {
  const a = map({ x: box.x, y: box.y });
  const b = map({ x: box.x + box.width, y: box.y + box.height });
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x, b.x) - x, height: Math.max(a.y, b.y) - y };
}

export function userBoxToVisual(page: PageGeometry, box: Box): Box {
  return mapBox(box, (p) => userToVisual(page, p));
}

export function visualBoxToUser(page: PageGeometry, box: Box): Box {
  return mapBox(box, (p) => visualToUser(page, p));
}

/** The displayed MediaBox in visual space: its top edge is the reference of top-left origins. */
export function visualMediaBox(page: PageGeometry): Box {
  const [x0, y0, x1, y1] = page.mediaBox;
  return userBoxToVisual(page, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
}

/**
 * User space → viewport space: CSS pixels at `scale`, origin at the top-left of the displayed, cropped page.
 * One user unit is `scale × UserUnit` CSS pixels, as in pdf.js's `page.getViewport({ scale })`.
 */
export function userToViewport(page: PageGeometry, scale: number, p: Point): Point {
  const k = scale * page.userUnit;
  const [cx0, cy0, cx1, cy1] = page.cropBox;
  switch (page.rotate) {
    case 0:
      return { x: k * (p.x - cx0), y: k * (cy1 - p.y) };
    case 90:
      return { x: k * (p.y - cy0), y: k * (p.x - cx0) };
    case 180:
      return { x: k * (cx1 - p.x), y: k * (p.y - cy0) };
    case 270:
      return { x: k * (cy1 - p.y), y: k * (cx1 - p.x) };
  }
}

export function viewportToUser(page: PageGeometry, scale: number, p: Point): Point {
  const k = scale * page.userUnit;
  const [cx0, cy0, cx1, cy1] = page.cropBox;
  const u = p.x / k;
  const v = p.y / k;
  switch (page.rotate) {
    case 0:
      return { x: cx0 + u, y: cy1 - v };
    case 90:
      return { x: cx0 + v, y: cy0 + u };
    case 180:
      return { x: cx1 - u, y: cy0 + v };
    case 270:
      return { x: cx1 - v, y: cy1 - u };
  }
}

export function userBoxToViewport(page: PageGeometry, scale: number, box: Box): ViewportRect {
  const r = mapBox(box, (p) => userToViewport(page, scale, p));
  return { left: r.x, top: r.y, width: r.width, height: r.height };
}

export function viewportRectToUser(page: PageGeometry, scale: number, rect: ViewportRect): Box {
  return mapBox({ x: rect.left, y: rect.top, width: rect.width, height: rect.height }, (p) => viewportToUser(page, scale, p));
}

/** The displayed page's size in CSS pixels at `scale`. */
export function viewportSize(page: PageGeometry, scale: number): { width: number; height: number } {
  const r = userBoxToViewport(page, scale, {
    x: page.cropBox[0],
    y: page.cropBox[1],
    width: page.cropBox[2] - page.cropBox[0],
    height: page.cropBox[3] - page.cropBox[1],
  });
  return { width: r.width, height: r.height };
}
