// The visible stamp of a sandbox signature: a specimen image, a QR code or text lines, drawn so that it fills a
// neutral box (docs/providers/COORDINATES.md: user space, lower-left corner, absolute) and reads upright on the displayed page.
// The stamp is one Form XObject drawn in the box's *displayed* orientation (width × height as the person sees
// it); a matrix turns it back into user space. The first signature draws it into the page content; later
// signatures use it as their widget's appearance (/AP /N), written in an incremental update.
import type { Box, NeutralBox, PageGeometry } from '@esign-kit/core';
import {
  type PDFDocument,
  type PDFRef,
  StandardFonts,
  concatTransformationMatrix,
  drawImage,
  drawObject,
  drawText,
  degrees,
  fill,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingColor,
  type PDFFont,
  type PDFOperator,
} from 'pdf-lib';
import QRCode from 'qrcode';
import { readPageGeometries } from '@esign-kit/server/pdf';

export type StampContent =
  /** A specimen image (PNG or JPEG bytes). `contain` keeps its aspect ratio, centred; `fill` stretches it to the box. */
  | { kind: 'image'; image: Uint8Array; fit?: 'contain' | 'fill' }
  /** A QR code for a verification link (`linkQR`), with optional text lines beside it when the box is wide enough. */
  | { kind: 'qr'; url: string; lines?: readonly string[] }
  /** Text lines (signer name, time…), as large as fits. */
  | { kind: 'text'; lines: readonly string[] };

/** A 2-D affine matrix `[a b c d e f]` as in PDF's `cm` operator. */
export type Matrix = [number, number, number, number, number, number];

export interface StampPlacement {
  /** The box's size as displayed (width and height swap on /Rotate 90 and 270). */
  displayedWidth: number;
  displayedHeight: number;
  /** Maps the stamp's local space (`[0, displayedWidth] × [0, displayedHeight]`, upright) onto the user-space box. */
  matrix: Matrix;
}

/**
 * Where a box's upright content goes in user space. A page shown with /Rotate r turns user space r degrees
 * clockwise, so the content is turned r degrees counter-clockwise: local +x follows the screen's rightward
 * direction expressed in user space, local +y the screen's upward one (cf. userToViewport in the core).
 */
export function stampPlacement(geometry: PageGeometry, box: Box): StampPlacement {
  const linear: Record<PageGeometry['rotate'], [number, number, number, number]> = {
    0: [1, 0, 0, 1],
    90: [0, 1, -1, 0],
    180: [-1, 0, 0, -1],
    270: [0, -1, 1, 0],
  };
  const [a, b, c, d] = linear[geometry.rotate];
  const quarter = geometry.rotate === 90 || geometry.rotate === 270;
  const displayedWidth = quarter ? box.height : box.width;
  const displayedHeight = quarter ? box.width : box.height;
  // Translate so that the transformed local rectangle's lower-left corner lands on the box's.
  const xs = [0, a * displayedWidth, c * displayedHeight, a * displayedWidth + c * displayedHeight];
  const ys = [0, b * displayedWidth, d * displayedHeight, b * displayedWidth + d * displayedHeight];
  const e = box.x - Math.min(...xs);
  const f = box.y - Math.min(...ys);
  return { displayedWidth, displayedHeight, matrix: [a, b, c, d, e, f] };
}

function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}
function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8;
}

/** Helvetica (WinAnsi) cannot encode every character: replace what it cannot with '?', keep the rest. */
function encodable(font: PDFFont, text: string): string {
  const charset = new Set(font.getCharacterSet());
  return [...text].map((ch) => (charset.has(ch.codePointAt(0) ?? 0) ? ch : '?')).join('');
}

interface TextBlock {
  ops: PDFOperator[];
}

/** Text lines, left-aligned and vertically centred in `[x, x+w] × [y, y+h]`, at the largest size that fits. */
function textBlock(font: PDFFont, fontName: string, raw: readonly string[], x: number, y: number, w: number, h: number): TextBlock {
  const lines = raw.map((l) => encodable(font, l)).filter((l) => l.length > 0);
  if (!lines.length || w <= 0 || h <= 0) return { ops: [] };
  const lineFactor = 1.25;
  const widest = Math.max(...lines.map((l) => font.widthOfTextAtSize(l, 1)));
  const size = Math.min(h / (lines.length * lineFactor), widest > 0 ? w / widest : Infinity, 14);
  const lineHeight = size * lineFactor;
  const blockHeight = lineHeight * lines.length;
  const ascent = font.heightAtSize(size, { descender: false });
  let baseline = y + (h + blockHeight) / 2 - (lineHeight - size) / 2 - ascent;
  const ops: PDFOperator[] = [];
  for (const line of lines) {
    ops.push(
      ...drawText(font.encodeText(line), {
        x,
        y: baseline,
        size,
        font: fontName,
        color: rgb(0, 0, 0),
        rotate: degrees(0),
        xSkew: degrees(0),
        ySkew: degrees(0),
      }),
    );
    baseline -= lineHeight;
  }
  return { ops };
}

/** A QR code as vector squares (crisp at any zoom, no image decoding), `side` wide, lower-left at (x, y). */
function qrOps(url: string, x: number, y: number, side: number): PDFOperator[] {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2; // a narrow quiet zone, in modules: the stamp box provides the rest
  const cell = side / (n + 2 * quiet);
  const ops: PDFOperator[] = [setFillingColor(rgb(1, 1, 1)), rectangle(x, y, side, side), fill(), setFillingColor(rgb(0, 0, 0))];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!qr.modules.get(row, col)) continue;
      // Slightly oversized cells avoid hairline gaps between neighbours in anti-aliased renderers.
      ops.push(rectangle(x + (quiet + col) * cell, y + side - (quiet + row + 1) * cell, cell + 0.01, cell + 0.01));
    }
  }
  ops.push(fill());
  return ops;
}

/**
 * Registers the stamp as a Form XObject of `width × height` (the box as displayed), drawn upright.
 * `matrix` becomes the form's /Matrix (used when the form is a widget appearance).
 */
export async function createStampXObject(
  doc: PDFDocument,
  content: StampContent,
  width: number,
  height: number,
  matrix: Matrix = [1, 0, 0, 1, 0, 0],
): Promise<PDFRef> {
  const ops: PDFOperator[] = [];
  const xObjects: Record<string, PDFRef> = {};
  const fonts: Record<string, PDFRef> = {};
  const font = async () => {
    const f = await doc.embedFont(StandardFonts.Helvetica);
    await f.embed(); // written now, so that an incremental update can serialise it
    fonts.Helv = f.ref;
    return f;
  };
  switch (content.kind) {
    case 'image': {
      const image = isPng(content.image) ? await doc.embedPng(content.image) : isJpeg(content.image) ? await doc.embedJpg(content.image) : undefined;
      if (!image) throw new TypeError('Stamp image must be PNG or JPEG bytes.');
      await image.embed();
      xObjects.Img = image.ref;
      let w = width;
      let h = height;
      if (content.fit !== 'fill') {
        const scale = Math.min(width / image.width, height / image.height);
        w = image.width * scale;
        h = image.height * scale;
      }
      ops.push(...drawImage('Img', { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }));
      break;
    }
    case 'qr': {
      const lines = content.lines ?? [];
      const side = Math.min(width, height);
      const besides = lines.length > 0 && width - side >= side * 0.5;
      const qrX = besides ? 0 : (width - side) / 2;
      ops.push(...qrOps(content.url, qrX, (height - side) / 2, side));
      if (besides) {
        const pad = side * 0.08;
        ops.push(...textBlock(await font(), 'Helv', lines, side + pad, pad, width - side - 2 * pad, height - 2 * pad).ops);
      }
      break;
    }
    case 'text': {
      const pad = Math.min(width, height) * 0.06;
      ops.push(...textBlock(await font(), 'Helv', content.lines, pad, pad, width - 2 * pad, height - 2 * pad).ops);
      break;
    }
  }
  const form = doc.context.formXObject([pushGraphicsState(), ...ops, popGraphicsState()], {
    BBox: [0, 0, width, height],
    Matrix: matrix,
    Resources: { XObject: xObjects, Font: fonts },
  });
  return doc.context.register(form);
}

function pageAndGeometry(doc: PDFDocument, box: NeutralBox) {
  const pages = doc.getPages();
  const page = pages[box.page - 1];
  if (!Number.isInteger(box.page) || !page) {
    throw new RangeError(`Stamp box page ${box.page} does not exist (the document has ${pages.length} pages).`);
  }
  if (!(box.width > 0 && box.height > 0)) throw new RangeError('Stamp box width and height must be positive.');
  const geometry = readPageGeometries(doc)[box.page - 1] as PageGeometry;
  return { page, geometry };
}

/** Draws the stamp into the page content of `box.page`, filling `box` (user space) and upright as displayed. */
export async function drawStamp(doc: PDFDocument, box: NeutralBox, content: StampContent): Promise<void> {
  const { page, geometry } = pageAndGeometry(doc, box);
  const placement = stampPlacement(geometry, box);
  const form = await createStampXObject(doc, content, placement.displayedWidth, placement.displayedHeight);
  const name = page.node.newXObject('EsignStamp', form);
  // pdf-lib wraps the existing content in q … Q first, so a CTM left over by the page cannot shift the stamp.
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...placement.matrix), drawObject(name), popGraphicsState());
}

/**
 * A widget appearance for the stamp: a Form XObject whose /Matrix maps it onto `box`, so that with /Rect = the
 * box (PDF 32000-1 §12.5.5, appearance streams) it fills the box and reads upright on a rotated page.
 */
export async function createStampAppearance(
  doc: PDFDocument,
  box: NeutralBox,
  content: StampContent,
): Promise<{ appearance: PDFRef; rect: [number, number, number, number] }> {
  const { geometry } = pageAndGeometry(doc, box);
  const placement = stampPlacement(geometry, box);
  const appearance = await createStampXObject(doc, content, placement.displayedWidth, placement.displayedHeight, placement.matrix);
  return { appearance, rect: [box.x, box.y, box.x + box.width, box.y + box.height] };
}
