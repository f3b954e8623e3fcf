// inspectPdf in a Web Worker (verify-worker.ts), for pages: the inspection of a hostile or huge file runs off the main
// thread, and `signal` ends it at once (the worker is terminated). The worker module is found beside this one
// (`new URL('./verify-worker.js', import.meta.url)`, the pattern Vite, webpack and esbuild-based tools bundle as a worker;
// the self-hosted build emits it as its own file). Where no module worker can be started (an old browser, a
// Content-Security-Policy without worker-src for it), the inspection runs on the main thread instead; the
// inspection code is then loaded on demand (`@esign-kit/verify/worker` itself is small: the worker holds the rest).
// Only then: once the worker has said it is ready, an error is the file's doing (a crash, memory run out), and
// running the same hostile file again on the page would freeze it — the call rejects instead.
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

/** Starts the worker, with the blob: URL to revoke when done (if one was made); undefined when the platform cannot. */
function startWorker(): { worker: Worker; blobUrl?: string } | undefined {
  const url = new URL('./verify-worker.js', import.meta.url);
  try {
    return { worker: new Worker(url, { type: 'module', name: 'esign-kit-verify' }) };
  } catch {
    // A worker must come from the page's origin: from a companion server on another origin, a same-origin blob
    // module imports it (CORS; the page's CSP then needs worker-src blob:, as pdf.js's worker does).
    let blobUrl: string | undefined;
    try {
      const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
      blobUrl = URL.createObjectURL(blob);
      return { worker: new Worker(blobUrl, { type: 'module', name: 'esign-kit-verify' }), blobUrl };
    } catch {
      if (blobUrl) URL.revokeObjectURL(blobUrl);
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
  const started = typeof Worker === 'function' ? startWorker() : undefined;
  if (!started) return inspectHere(bytes, options);
  const { worker, blobUrl } = started;
  const id = ++counter;
  return new Promise<InspectionReport>((resolve, reject) => {
    let settled = false;
    let ready = false;
    let revoked = false;
    // The blob: module has been fetched once the worker runs (or failed): its URL is no longer needed.
    const revoke = () => {
      if (blobUrl && !revoked) URL.revokeObjectURL(blobUrl);
      revoked = true;
    };
    const finish = () => {
      settled = true;
      worker.terminate();
      revoke();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      if (settled) return;
      finish();
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      const data = event.data;
      if ('ready' in data) {
        ready = true;
        revoke();
        return;
      }
      if (settled || data.id !== id) return;
      finish();
      if ('report' in data) resolve(data.report);
      else {
        const { name, message } = data.error;
        reject(name === 'TypeError' ? new TypeError(message) : Object.assign(new Error(message), { name }));
      }
    });
    worker.addEventListener('error', (event) => {
      if (settled) return;
      event.preventDefault();
      finish();
      if (ready) {
        // The worker ran and died on this file: never again on the page's own thread.
        reject(Object.assign(new Error(`The inspection stopped: ${(event as ErrorEvent).message || 'the worker failed'}.`), { name: 'WorkerError' }));
      } else {
        // The worker script could not be loaded (blocked, missing): check on the main thread instead.
        inspectHere(bytes, options).then(resolve, reject);
      }
    });
    const request: WorkerRequest = { id, bytes, options: rest };
    worker.postMessage(request);
  });
}
