// An intake worker's loop (started by intake-pool.ts): one PDF at a time, read within its limits and a clock
// of this thread, answered with the result and the bytes handed back (transferred, not copied), so that the
// worker keeps no reference to a large file until its next collection.
import { readFile } from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { PdfLimits } from '@esign-kit/pdf';
import { readPdfIntake, type IntakeResult } from './intake.js';
import { runInspection, type InspectRequest, type InspectResult } from './inspect-task.js';

export interface IntakeTask {
  id: number;
  /** The file's bytes, or (an upload spooled to disk, http/uploads.ts) the file to read them from. */
  bytes?: ArrayBuffer;
  path?: string;
  limits: Omit<Partial<PdfLimits>, 'clock'>;
  /** Set: inspect the file's signatures (inspect-task.ts) instead of the intake read, within `limits.maxMilliseconds`. */
  inspect?: InspectRequest;
}

export interface IntakeAnswer {
  id: number;
  result: IntakeResult | InspectResult;
  bytes: ArrayBuffer;
  /** The size of the file read (a spooled upload's bytes are not sent back: see intake-pool.ts RETIRE_FILE_BYTES). */
  fileBytes: number;
  /** This worker's V8 heap after the task (committed bytes): a large one is not kept (intake-pool.ts). */
  heapBytes: number;
}

/** An inspection's worker has loaded @esign-kit/verify: its deadline starts now (intake-pool.ts). */
export interface InspectStarted {
  started: number;
}

const port = parentPort!;

async function answer(task: IntakeTask): Promise<void> {
  // The deadline starts now, when this worker starts the task (not while it waited in the queue); reading a
  // spooled upload is part of it.
  const clock = () => performance.now();
  let bytes: ArrayBuffer;
  let result: IntakeResult | InspectResult;
  if (task.path !== undefined) {
    try {
      bytes = await readOwn(task.path);
      result = await readPdfIntake(new Uint8Array(bytes), { ...task.limits, clock });
    } catch (err) {
      bytes = new ArrayBuffer(0);
      result = { ok: false, code: 'unreadable', message: (err as Error)?.message ?? String(err) };
    }
  } else if (task.inspect) {
    bytes = task.bytes!;
    result = await runInspection(new Uint8Array(bytes), task.inspect, task.limits.maxMilliseconds ?? 2000, () =>
      port.postMessage({ started: task.id } satisfies InspectStarted),
    );
  } else {
    bytes = task.bytes!;
    result = await readPdfIntake(new Uint8Array(bytes), { ...task.limits, clock });
  }
  // The bytes go back (transferred), so that this worker holds no large buffer until its next collection; a
  // spooled upload's stay here (the caller has the file), and the pool retires a worker that read a large one.
  const fileBytes = bytes.byteLength;
  if (task.path !== undefined) bytes = new ArrayBuffer(0);
  const answer: IntakeAnswer = { id: task.id, result, bytes, fileBytes, heapBytes: getHeapStatistics().total_heap_size };
  port.postMessage(answer, [bytes]);
}

/** A file's bytes in an ArrayBuffer of exactly its size (a small file's Buffer may be a slice of a shared pool). */
async function readOwn(path: string): Promise<ArrayBuffer> {
  const b = await readFile(path);
  if (b.byteOffset === 0 && b.buffer.byteLength === b.byteLength) return b.buffer as ArrayBuffer;
  const own = new Uint8Array(b.byteLength);
  own.set(b);
  return own.buffer;
}

// readPdfIntake turns every failure of the file into a result. Anything else that rejects here is unhandled,
// which ends this worker: the pool's 'error' handler then rejects the task (intake-pool.ts), nothing hangs.
port.on('message', (task: IntakeTask) => void answer(task));
port.postMessage('ready');
