// pdf.js is loaded only when a placer is on the page, and its failures become the element's error codes.
import type { PDFDocumentLoadingTask, PDFDocumentProxy, PDFWorker } from 'pdfjs-dist';
import { pageGeometry, pageGeometryFromPageTree, type PageGeometry } from '@esign-kit/core';
import { findMarkers, type MarkerPosition, type TextRun } from './tag-search.js';

type PdfJs = typeof import('pdfjs-dist');
let pdfjs: Promise<PdfJs> | undefined;

/**
 * The kit's own PDF reader (page boxes pdf.js does not expose), loaded like pdf.js: with the first document,
 * or ahead of it when an element is connected (`preloadPdfJs`), never with the page that only declares a placer.
 */
let reader: Promise<typeof import('@esign-kit/pdf')> | undefined;
const loadReader = () =>
  (reader ??= import('@esign-kit/pdf').catch((err: unknown) => {
    reader = undefined;
    throw err;
  }));

/** Loads pdf.js once per page; the worker URL is set on first use (pdf.js keeps one per window). */
export async function loadPdfJs(workerSrc: string): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist');
  const lib = await pdfjs;
  if (!lib.GlobalWorkerOptions.workerSrc) lib.GlobalWorkerOptions.workerSrc = workerSrc;
  return lib;
}

/** pdf.js's worker, shared by every document of the window (pdf.js's viewer keeps one too) and outliving them. */
interface WarmWorker {
  worker: Promise<PDFWorker>;
  /** Rejects if the worker's script cannot start (a wrong `worker-src`): the document then fails at once. */
  failed: Promise<never>;
}
const warm = new Map<string, WarmWorker>();

/**
 * What a first page waits for, beyond pdf.js's own work, is pdf.js's module and then its worker's script (1.4 MB
 * to fetch and compile). A placer calls this as soon as it is connected. A worker on the page's own origin is
 * started at once, beside the module rather than after it (pdf.js's PDFWorker takes it as a port); one on
 * another origin is left to pdf.js, which wraps it.
 */
export function preloadPdfJs(workerSrc: string): WarmWorker {
  void loadReader().catch(() => undefined); // a failed load is tried again (and reported) when a document needs it
  const known = warm.get(workerSrc);
  if (known) return known;
  const url = new URL(workerSrc, document.baseURI);
  let failed: Promise<never> = new Promise<never>(() => {});
  // A policy that refuses the worker (CSP worker-src) throws here: pdf.js then tries its own way, and reports.
  let worker: Worker | null = null;
  try {
    if (url.origin === location.origin) worker = new Worker(url, { type: 'module' });
  } catch {
    worker = null;
  }
  const port = worker;
  if (port) {
    failed = new Promise<never>((_, reject) => {
      // The worker says "ready" first; an error before that is a script that did not start.
      const started = new AbortController();
      port.addEventListener('message', () => started.abort(), { once: true, signal: started.signal });
      port.addEventListener('error', () => reject(new Error(`The pdf.js worker did not start (${url.href}).`)), { once: true, signal: started.signal });
    });
  }
  const entry: WarmWorker = { worker: loadPdfJs(workerSrc).then((lib) => (port ? lib.PDFWorker.create({ port }) : new lib.PDFWorker())), failed };
  // A worker that failed is not kept: the next document tries again.
  failed.catch(() => {
    warm.delete(workerSrc);
    port?.terminate();
    void entry.worker.then(
      (w) => w.destroy(),
      () => {},
    );
  });
  // Preloading reports nothing: a document that needs the worker reports its failure (openPdf).
  entry.worker.catch(() => warm.delete(workerSrc));
  warm.set(workerSrc, entry);
  return entry;
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

export type PdfErrorCode = 'invalid-pdf' | 'password-required' | 'password-incorrect' | 'http-error' | 'network-error' | 'worker-failed' | 'aborted';

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
