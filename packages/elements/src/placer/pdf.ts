// pdf.js is loaded only when a placer is on the page, and its failures become the element's error codes.
import type { PDFDocumentLoadingTask, PDFDocumentProxy, PDFWorker } from 'pdfjs-dist';
import { pageGeometry, pageGeometryFromPageTree, readPageTree, type PageGeometry } from '@esign-kit/core';
import { findMarkers, type MarkerPosition, type TextRun } from './tag-search.js';

type PdfJs = typeof import('pdfjs-dist');
let pdfjs: Promise<PdfJs> | undefined;
/** One worker for every placer of the window, started before the first document arrives (pdf.js's viewer keeps one too). */
let sharedWorker: PDFWorker | undefined;

/** Loads pdf.js once per page; the worker URL is set on first use (pdf.js keeps one per window). */
export async function loadPdfJs(workerSrc: string): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist');
  const lib = await pdfjs;
  if (!lib.GlobalWorkerOptions.workerSrc) lib.GlobalWorkerOptions.workerSrc = workerSrc;
  return lib;
}

/**
 * What a first page costs beyond pdf.js's own work is mostly waiting: for its module, then for its worker's
 * script and start-up. A placer calls this as soon as it is connected, so that both are ready (or under way)
 * when the data arrives. The worker is shared by every document of the window and outlives them.
 */
export async function preloadPdfJs(workerSrc: string): Promise<PDFWorker> {
  const lib = await loadPdfJs(workerSrc);
  if (!sharedWorker || sharedWorker.destroyed) {
    const worker = new lib.PDFWorker();
    sharedWorker = worker;
    // A worker that failed to start is not kept: the next document tries again (and reports worker-failed).
    worker.promise.catch(() => {
      if (sharedWorker === worker) sharedWorker = undefined;
      worker.destroy();
    });
  }
  return sharedWorker;
}

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
  const worker = await preloadPdfJs(options.workerSrc);
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
  return { task, document: task.promise };
}

export type PdfErrorCode =
  | 'invalid-pdf'
  | 'password-required'
  | 'password-incorrect'
  | 'http-error'
  | 'network-error'
  | 'worker-failed'
  | 'aborted';

export interface ClassifiedPdfError {
  code: PdfErrorCode;
  status?: number;
  detail: string;
}

/** How browsers word a fetch that got no response: Chromium, Firefox, Safari. */
const NETWORK_FAILURE = /failed to fetch|networkerror|load failed/i;

/** pdf.js reports failures as named exceptions (BaseException subclasses); map them to stable codes. */
export function classifyPdfError(error: unknown): ClassifiedPdfError {
  const e = error as { name?: string; code?: number; status?: number; message?: string } | null;
  const detail = String(e?.message ?? error);
  // An unreachable `src` (no answer, DNS, CORS, offline) is a fetch that failed without a response, which pdf.js
  // passes on as an UnknownErrorException, the name it also gives damaged files: so the message decides, first.
  // No status means no HTTP answer, so a URL that merely contains "fetch" stays an http-error.
  if (!e?.status && NETWORK_FAILURE.test(detail)) return { code: 'network-error', detail };
  switch (e?.name) {
    case 'PasswordException':
      // PasswordResponses: NEED_PASSWORD = 1, INCORRECT_PASSWORD = 2
      return { code: e.code === 2 ? 'password-incorrect' : 'password-required', detail };
    case 'InvalidPDFException':
    case 'UnknownErrorException':
    case 'FormatError':
      return { code: 'invalid-pdf', detail };
    case 'ResponseException':
    case 'MissingPDFException':
    case 'UnexpectedResponseException':
      return e.status ? { code: 'http-error', status: e.status, detail } : { code: 'network-error', detail };
    case 'AbortException':
      return { code: 'aborted', detail };
    default:
      if (/worker/i.test(detail)) return { code: 'worker-failed', detail };
      if (/fetch|network/i.test(detail)) return { code: 'network-error', detail };
      return { code: 'invalid-pdf', detail };
  }
}

/** Flate decoding for the page-tree reader, with the browser's own DecompressionStream. */
async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
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
    (async () => readPageTree(bytes ?? (await pdf.getData()), inflate))(),
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
