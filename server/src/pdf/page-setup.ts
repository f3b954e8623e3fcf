// Writes a page's geometry into a pdf-lib page. Values go in as given (a negative or > 360 /Rotate stays
// un-normalised) so that readers are tested on what files really contain. Browser-safe: pdf-lib only.
import { PDFName, PDFNumber, type PDFPage } from 'pdf-lib';

export interface PageSetup {
  mediaBox: readonly [number, number, number, number];
  cropBox?: readonly [number, number, number, number] | undefined;
  rotate?: number | undefined;
  userUnit?: number | undefined;
}

export function applyPageSetup(page: PDFPage, setup: PageSetup): void {
  const [x0, y0, x1, y1] = setup.mediaBox;
  page.setMediaBox(x0, y0, x1 - x0, y1 - y0);
  if (setup.cropBox) {
    const [a, b, c, d] = setup.cropBox;
    page.setCropBox(a, b, c - a, d - b);
  }
  if (setup.rotate !== undefined) page.node.set(PDFName.of('Rotate'), PDFNumber.of(setup.rotate));
  if (setup.userUnit !== undefined) page.node.set(PDFName.of('UserUnit'), PDFNumber.of(setup.userUnit));
}
