// pdf.js is loaded only when a placer is on the page, and its failures become the element's error codes.
import type { PDFWorker } from 'pdfjs-dist';

type PdfJs = typeof import('pdfjs-dist');
let pdfjs: Promise<PdfJs> | undefined;

/**
 * The kit's own PDF reader (page boxes pdf.js does not expose), loaded like pdf.js: with the first document,
 * or ahead of it when an element is connected (`preloadPdfJs`), never with the page that only declares a placer.
 */
let reader: Promise<typeof import('@esign-kit/pdf')> | undefined;
export const loadReader = () =>
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
export interface WarmWorker {
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
