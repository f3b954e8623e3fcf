// What the placer does with an open document, loaded with the first one (./document.ts) rather than with the
// page: opening it with pdf.js's worker warmed by ./pdf.ts, reading every page's geometry, finding a BSrE tag.
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';
import { pageGeometry, pageGeometryFromPageTree, type PageGeometry } from '@esign-kit/core';
import { loadPdfJs, loadReader, preloadPdfJs } from './pdf.js';
import { findMarkers, type MarkerPosition, type TextRun } from './tag-search.js';

export type PdfSource = { url: string } | { data: Uint8Array };

export interface OpenOptions {
  workerSrc: string;
  password?: string | undefined;
  onProgress?: (loaded: number, total: number | null) => void;
}

export interface OpenedPdf {
  task: PDFDocumentLoadingTask;
  document: Promise<PDFDocumentProxy>;
}

export async function openPdf(source: PdfSource, options: OpenOptions): Promise<OpenedPdf> {
  const lib = await loadPdfJs(options.workerSrc);
  const warmWorker = preloadPdfJs(options.workerSrc);
  const worker = await Promise.race([warmWorker.worker, warmWorker.failed]);
  const task = lib.getDocument({
    ...source,
    worker,
    ...(options.password !== undefined ? { password: options.password } : {}),
    // No eval, no remote fonts or CMaps from a CDN: a portal's CSP stays strict.
    isEvalSupported: false,
    useSystemFonts: true,
  });
  if (options.onProgress) {
    const report = options.onProgress;
    task.onProgress = ({ loaded, total }: { loaded: number; total: number }) => report(loaded, total > 0 ? total : null);
  }
  // A worker that never started would leave the document waiting for ever.
  const document = Promise.race([
    task.promise,
    warmWorker.failed.catch(async (error: unknown) => {
      await task.destroy();
      throw error;
    }),
  ]);
  return { task, document };
}

/**
 * pdf.js gives each page's visible area (`view`: the CropBox clipped to the MediaBox), `/Rotate` and
 * `/UserUnit`, but not the MediaBox, which visual space and top-left origins are measured from. The core's
 * page-tree reader gets it from the file (`bytes`, else pdf.js's copy); where it cannot (an unusual file), or
 * disagrees with pdf.js about what is shown, the view stands in for the MediaBox, which is exact for pages
 * without a smaller CropBox.
 */
export async function readGeometries(pdf: PDFDocumentProxy, bytes: Uint8Array | null): Promise<PageGeometry[]> {
  const [pages, tree] = await Promise.all([
    Promise.all(Array.from({ length: pdf.numPages }, (_, i) => pdf.getPage(i + 1))),
    // flateDecode: the browser's DecompressionStream, stopping at the reader's limits.
    (async () => {
      // A reader that cannot load is a reader that cannot read this file: pdf.js's view stands in (below).
      const kit = await loadReader().catch(() => null);
      return kit ? kit.readPageTree(bytes ?? (await pdf.getData()), kit.flateDecode) : null;
    })(),
  ]);
  return pages.map((page, i) => {
    const shown = pageGeometry({ mediaBox: page.view, rotate: page.rotate, userUnit: page.userUnit });
    const node = tree?.length === pages.length ? tree[i] : undefined;
    if (!node) return shown;
    try {
      const read = pageGeometryFromPageTree(node);
      const agrees = read.rotate === shown.rotate && read.userUnit === shown.userUnit && read.cropBox.every((v, k) => Math.abs(v - shown.cropBox[k]!) < 1e-3);
      return agrees ? read : shown;
    } catch {
      return shown;
    }
  });
}

/** Every occurrence of a BSrE tag marker in the document's text (pdf.js's text layer), page by page. */
export async function findTag(pdf: PDFDocumentProxy, tag: string): Promise<MarkerPosition[]> {
  const found: MarkerPosition[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    const runs = content.items.filter((item): item is TextRun & (typeof content.items)[number] => 'str' in item);
    found.push(...findMarkers(runs, tag, n));
  }
  return found;
}
