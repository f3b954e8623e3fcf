// The Web Worker side of inspectInWorker (worker-client.ts): runs inspectPdf off the page's main thread, so a
// hostile or huge file never freezes the page, and the page can cancel it by ending the worker.
import { inspectPdf, type InspectOptions } from './inspect.js';

export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
  options: Omit<InspectOptions, 'signal'>;
}

export type WorkerResponse =
  /** Posted once, when the worker's code has loaded: from then on, a failure is the file's doing, not the platform's. */
  { ready: true } | { id: number; report: Awaited<ReturnType<typeof inspectPdf>> } | { id: number; error: { name: string; message: string } };

const scope = globalThis as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
  postMessage(message: WorkerResponse): void;
};

scope.addEventListener('message', (event) => {
  const { id, bytes, options } = event.data;
  inspectPdf(bytes, options).then(
    (report) => scope.postMessage({ id, report }),
    (err: unknown) => scope.postMessage({ id, error: { name: (err as Error)?.name ?? 'Error', message: (err as Error)?.message ?? String(err) } }),
  );
});

scope.postMessage({ ready: true });
