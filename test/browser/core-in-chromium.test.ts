// The coordinate core, running in real Chromium, checked against pdf.js: pdf.js's own viewport transform
// and the pixels it paints must agree with userToViewport for every geometry of COORDINATES.md.
import { expect } from '@open-wc/testing';
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
import { fromProviderFields, pageGeometry, resolveProfile, toProviderFields, userBoxToViewport, userToViewport, viewportSize } from '@esign-kit/core';
import { buildGeometryPdf, buildInheritedRotationPdf, GEOMETRY_CASES } from '../fixtures/geometry-pdf.js';

GlobalWorkerOptions.workerSrc = '/node_modules/pdfjs-dist/build/pdf.worker.min.mjs';

const near = (a: number, b: number, tolerance = 1e-6) => Math.abs(a - b) <= tolerance;

async function open(data: Uint8Array): Promise<PDFDocumentProxy> {
  return getDocument({ data, isEvalSupported: false }).promise;
}

/** Renders a page with pdf.js and returns a pixel reader in CSS pixels at `scale`. */
async function render(pdf: PDFDocumentProxy, pageNumber: number, scale: number) {
  const page = await pdf.getPage(pageNumber);
  const viewport = page.getViewport({ scale });
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(viewport.width);
  canvas.height = Math.ceil(viewport.height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  await page.render({ canvas, canvasContext: context, viewport }).promise;
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  return (x: number, y: number) => {
    const i = (Math.floor(y) * canvas.width + Math.floor(x)) * 4;
    return { r: pixels[i]!, g: pixels[i + 1]!, b: pixels[i + 2]! };
  };
}

const isRed = (p: { r: number; g: number; b: number }) => p.r > 200 && p.g < 60 && p.b < 60;
const isWhite = (p: { r: number; g: number; b: number }) => p.r > 220 && p.g > 220 && p.b > 220;

describe('the core in Chromium agrees with pdf.js', () => {
  let pdf: PDFDocumentProxy;
  before(async () => {
    pdf = await open(await buildGeometryPdf());
  });
  after(() => pdf?.destroy());

  GEOMETRY_CASES.forEach((c, index) => {
    it(c.name, async () => {
      const geometry = pageGeometry(c);
      const page = await pdf.getPage(index + 1);
      // What pdf.js reads from the file is what the core derives from the same boxes.
      expect(page.rotate).to.equal(geometry.rotate);
      expect(page.userUnit).to.equal(geometry.userUnit);
      page.view.forEach((v, i) => expect(near(v, geometry.cropBox[i]!), `view[${i}] ${v}`).to.be.true);

      for (const scale of [0.5, 1, 2]) {
        const viewport = page.getViewport({ scale });
        const size = viewportSize(geometry, scale);
        expect(near(viewport.width, size.width) && near(viewport.height, size.height), `size at ${scale}`).to.be.true;
        for (const [x, y] of [
          [c.box.x, c.box.y],
          [c.box.x + c.box.width, c.box.y + c.box.height],
          [c.box.x, c.box.y + c.box.height],
        ] as const) {
          const [px, py] = viewport.convertToViewportPoint(x, y);
          const ours = userToViewport(geometry, scale, { x, y });
          expect(near(px, ours.x) && near(py, ours.y), `(${x}, ${y}) at ${scale}: pdf.js (${px}, ${py}) vs core (${ours.x}, ${ours.y})`).to.be.true;
        }
      }

      // The rectangle pdf.js paints is where the core says: red inside, white just outside.
      const scale = 1;
      const pixel = await render(pdf, index + 1, scale);
      const r = userBoxToViewport(geometry, scale, c.box);
      expect(isRed(pixel(r.left + r.width / 2, r.top + r.height / 2)), 'centre is red').to.be.true;
      expect(isRed(pixel(r.left + 2, r.top + 2)), 'inside top-left is red').to.be.true;
      expect(isRed(pixel(r.left + r.width - 3, r.top + r.height - 3)), 'inside bottom-right is red').to.be.true;
      expect(isWhite(pixel(r.left - 3, r.top + r.height / 2)), 'left of the box is white').to.be.true;
      expect(isWhite(pixel(r.left + r.width + 3, r.top + r.height / 2)), 'right of the box is white').to.be.true;
      expect(isWhite(pixel(r.left + r.width / 2, r.top - 3)), 'above the box is white').to.be.true;
      expect(isWhite(pixel(r.left + r.width / 2, r.top + r.height + 3)), 'below the box is white').to.be.true;
    });
  });

  it('/Rotate inherited from the Pages root is applied by pdf.js as by the core', async () => {
    const doc = await open(await buildInheritedRotationPdf(-270));
    const page = await doc.getPage(1);
    const geometry = pageGeometry({ mediaBox: [0, 0, 400, 600], rotate: -270 });
    expect(page.rotate).to.equal(90);
    expect(geometry.rotate).to.equal(90);
    const [px, py] = page.getViewport({ scale: 1 }).convertToViewportPoint(50, 60);
    const ours = userToViewport(geometry, 1, { x: 50, y: 60 });
    expect(near(px, ours.x) && near(py, ours.y)).to.be.true;
    await doc.destroy();
  });

  it('converts to and from every provider in the browser', () => {
    const pages = [pageGeometry({ mediaBox: [0, 0, 595, 842], rotate: 90 })];
    const box = { page: 1, x: 100, y: 200, width: 50, height: 80 };
    const peruri = toProviderFields(box, pages, resolveProfile('peruri'));
    expect(peruri).to.deep.equal({ page: '1', lowerLeftX: '200', lowerLeftY: '445', upperRightX: '280', upperRightY: '495' });
    expect(fromProviderFields(peruri, pages, resolveProfile('peruri'))).to.deep.equal(box);
    expect(toProviderFields(box, pages, resolveProfile('bsre-v2'))).to.deep.equal({ page: 1, originX: 200, originY: 100, width: 80, height: 50 });
  });
});
