// inspectPdf in a Web Worker (verify-worker.ts), for pages: the inspection of a hostile or huge file runs off the main
// thread, and `signal` ends it at once (the worker is terminated). The worker module is found beside this one
// (`new URL('./verify-worker.js', import.meta.url)`, the pattern Vite, webpack and esbuild-based tools bundle as a worker;
// the self-hosted build emits it as its own file). Where no module worker can be started (an old browser, a
// Content-Security-Policy without worker-src for it), the inspection runs on the main thread instead; the
// inspection code is then loaded on demand (`@esign-kit/verify/worker` itself is small: the worker holds the rest).
import type { InspectOptions, InspectionReport } from './inspect.js';
import type { WorkerRequest, WorkerResponse } from './verify-worker.js';

/** On the main thread, when no worker can run it. */
async function inspectHere(bytes: Uint8Array, options: InspectOptions): Promise<InspectionReport> {
  const { inspectPdf } = await import('./inspect.js');
  return inspectPdf(bytes, options);
}

function abortError(): Error {
  return new DOMException('The inspection was cancelled.', 'AbortError');
}

let counter = 0;

/** Starts the worker; undefined when the platform cannot. */
function startWorker(): Worker | undefined {
  const url = new URL('./verify-worker.js', import.meta.url);
  try {
    return new Worker(url, { type: 'module', name: 'esign-kit-verify' });
  } catch {
    // A worker must come from the page's origin: from a companion server on another origin, a same-origin blob
    // module imports it (CORS; the page's CSP then needs worker-src blob:, as pdf.js's worker does).
    try {
      const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
      return new Worker(URL.createObjectURL(blob), { type: 'module', name: 'esign-kit-verify' });
    } catch {
      return undefined;
    }
  }
}

/**
 * Inspects `bytes` in a Web Worker (one per call, ended when it answers or when `options.signal` aborts).
 * Resolves with the same report as inspectPdf; rejects with an AbortError when cancelled, and with a TypeError
 * for trusted roots that are not certificates. The caller's bytes are copied, never transferred.
 */
export function inspectInWorker(bytes: Uint8Array, options: InspectOptions = {}): Promise<InspectionReport> {
  const { signal, ...rest } = options;
  if (signal?.aborted) return Promise.reject(abortError());
  const worker = typeof Worker === 'function' ? startWorker() : undefined;
  if (!worker) return inspectHere(bytes, options);
  const id = ++counter;
  return new Promise<InspectionReport>((resolve, reject) => {
    let settled = false;
    const finish = () => {
      settled = true;
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      if (settled) return;
      finish();
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      if (settled || event.data.id !== id) return;
      finish();
      if ('report' in event.data) resolve(event.data.report);
      else {
        const { name, message } = event.data.error;
        reject(name === 'TypeError' ? new TypeError(message) : Object.assign(new Error(message), { name }));
      }
    });
    worker.addEventListener('error', (event) => {
      if (settled) return;
      // The worker script could not be loaded (blocked, missing): check on the main thread instead.
      event.preventDefault();
      finish();
      inspectHere(bytes, options).then(resolve, reject);
    });
    const request: WorkerRequest = { id, bytes, options: rest };
    worker.postMessage(request);
  });
}
