// An intake worker's loop (started by intake-pool.ts): one PDF at a time, read within its limits and a clock
// of this thread, answered with the result and the bytes handed back (transferred, not copied), so that the
// worker keeps no reference to a large file until its next collection.
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { PdfLimits } from '@esign-kit/pdf';
import { readPdfIntake, type IntakeResult } from './intake.js';
import { runInspection, type InspectRequest, type InspectResult } from './inspect-task.js';

export interface IntakeTask {
  id: number;
  bytes: ArrayBuffer;
  limits: Omit<Partial<PdfLimits>, 'clock'>;
  /** Set: inspect the file's signatures (inspect-task.ts) instead of the intake read, within `limits.maxMilliseconds`. */
  inspect?: InspectRequest;
}

export interface IntakeAnswer {
  id: number;
  result: IntakeResult | InspectResult;
  bytes: ArrayBuffer;
  /** This worker's V8 heap after the task (committed bytes): a large one is not kept (intake-pool.ts). */
  heapBytes: number;
}

/** An inspection's worker has loaded @esign-kit/verify: its deadline starts now (intake-pool.ts). */
export interface InspectStarted {
  started: number;
}

const port = parentPort!;

async function answer(task: IntakeTask): Promise<void> {
  // The deadline starts now, when this worker starts the task (not while it waited in the queue).
  const result = task.inspect
    ? await runInspection(new Uint8Array(task.bytes), task.inspect, task.limits.maxMilliseconds ?? 2000, () => port.postMessage({ started: task.id } satisfies InspectStarted))
    : await readPdfIntake(new Uint8Array(task.bytes), { ...task.limits, clock: () => performance.now() });
  const answer: IntakeAnswer = { id: task.id, result, bytes: task.bytes, heapBytes: getHeapStatistics().total_heap_size };
  port.postMessage(answer, [task.bytes]);
}

// readPdfIntake turns every failure of the file into a result. Anything else that rejects here is unhandled,
// which ends this worker: the pool's 'error' handler then rejects the task (intake-pool.ts), nothing hangs.
port.on('message', (task: IntakeTask) => void answer(task));
port.postMessage('ready');
