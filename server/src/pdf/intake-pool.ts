// PDF intake off the event loop: a small pool of worker threads (node:worker_threads) that run intake.ts with
// hard limits, so that no upload can stall the server. Each worker has a capped V8 heap (resourceLimits: a file
// that needs more ends its worker, not the process) and each task a deadline that starts when a worker starts
// it: the reader stops itself at `timeoutMs` (its clock), and a worker still busy `KILL_GRACE_MS` later is
// terminated. At most `threads` files are read at once and `queue` wait; one more is refused (503, Retry-After).
// One owner (a portal user) may hold all but a quarter of those places (reading and waiting together): 20 slow
// uploads from one user fill its share and are refused to that user alone, while others are still read. A free
// worker takes a waiting file of the owner with the fewest files being read, then of the one served longest
// ago (round robin), so one owner's backlog delays each other owner by a file, not by the whole backlog.
//
// Why our own ~150 lines rather than piscina or tinypool (both run on Node 20 and can abort a running task by
// terminating its worker): their abort signals run while a task still waits in the queue, so a file queued
// behind slow ones would be timed out for someone else's delay; the deadline here starts with the task, a killed
// task is answered with the limit that killed it, and the file's bytes travel to the worker and back by transfer.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PdfLimits } from '@esign-kit/pdf';
import type { IntakeResult } from './intake.js';
import type { IntakeAnswer, IntakeTask, InspectStarted } from './intake-worker.js';
import type { InspectRequest, InspectResult } from './inspect-task.js';

export interface IntakePoolOptions {
  /** Workers reading PDFs at once (default: the cores less one, at least 1, at most 4). */
  threads: number;
  /** PDFs waiting for a worker, at most; one more is refused with IntakeBusyError. */
  queue: number;
  /** Each worker's V8 heap (old generation), in MiB. */
  heapMb: number;
}

/** What one check is allowed: the reader's limits (PdfLimits) and a wall-clock deadline. */
export interface IntakeLimits extends Omit<Partial<PdfLimits>, 'clock' | 'maxMilliseconds'> {
  /** Milliseconds a worker may spend on the file, from when it starts it. */
  timeoutMs: number;
}

export const DEFAULT_INTAKE_POOL: IntakePoolOptions = {
  threads: Math.max(1, Math.min(4, availableParallelism() - 1)),
  // Room for a portal's users signing at once (32 concurrent flows were refused from the 18th with 16): a
  // multipart upload waits as a spooled file, not in memory, and the fair order above keeps the wait of a
  // user with one file short whatever others have queued.
  queue: 64,
  // The reader's limits keep a file's objects well below this (200 000 objects take ~30 MiB).
  heapMb: 160,
};
/**
 * The server's own limits, beside the reader's defaults: 2000 pages (MAX_PDF_PAGES), 2 s (PDF_INTAKE_TIMEOUT_MS),
 * and 200 000 objects (a 2000-page document holds a few tens of thousands; fewer keeps a worker's heap small).
 */
export const DEFAULT_INTAKE_LIMITS: IntakeLimits = { timeoutMs: 2000, maxPages: 2000, maxObjects: 200_000 };

/** A worker still busy this long after its deadline is terminated. */
const KILL_GRACE_MS = 500;
/**
 * An inspection's deadline starts once its worker has loaded @esign-kit/verify (the first inspection of a worker
 * loads it: ~0.5 s, more on a loaded machine) and says `started`; until then, this much more is allowed.
 */
const INSPECT_LOAD_MS = 10_000;
/**
 * A worker whose heap grew past this (a file with half a million objects) is retired after its answer: V8 keeps
 * a grown heap long after the garbage is gone, and the next file gets a fresh worker instead.
 */
const RETIRE_HEAP_BYTES = 48 * 1024 * 1024;

/**
 * A worker that read a spooled upload this large itself is retired after its answer: the file's buffer lives in
 * the worker's isolate, and an idle worker runs no collection to free it (a large upload would otherwise stay in
 * memory beside the signed PDF that comes back). Its bytes are not sent back either: the caller has the file.
 */
const RETIRE_FILE_BYTES = 8 * 1024 * 1024;

/** Every worker is busy and the queue is full: try again shortly. */
export class IntakeBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('The server is reading too many PDFs at once; try again in a moment.');
    this.name = 'IntakeBusyError';
  }
}

/** Places (reading and waiting) kept for other owners when one owner's files fill the rest: a quarter. */
export function reservedForOthers(capacity: number): number {
  return capacity > 1 ? Math.max(1, Math.floor(capacity / 4)) : 0;
}

interface Pending {
  /** Whose file it is (the portal user; undefined: the server's own work, e.g. reconciliation). */
  owner: string | undefined;
  /** The file in memory, or the path of a spooled upload that the worker reads itself. */
  bytes?: Uint8Array;
  path?: string;
  limits: IntakeLimits;
  /** A signature inspection (inspect-task.ts) instead of the intake read. */
  inspect?: InspectRequest;
  resolve: (result: IntakeResult | InspectResult) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: (Pending & { id: number; timer?: NodeJS.Timeout; killed?: boolean }) | undefined;
}

/**
 * The workers get the main thread's resolution conditions (`--conditions=source`: the packages' TypeScript
 * sources) and nothing else of its command line: `--input-type`, `-e` or a preloaded `--import` are about the
 * main entry, and would break a worker or run there too (the entry registers tsx itself when it needs it).
 */
function workerExecArgv(): string[] {
  const argv = process.execArgv;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--conditions=') || arg.startsWith('-C=')) out.push(arg);
    else if ((arg === '--conditions' || arg === '-C') && i + 1 < argv.length) out.push(arg, argv[++i]!);
  }
  return out;
}

const workerEntry = new URL(import.meta.url.endsWith('.ts') ? './intake-worker.ts' : './intake-worker.js', import.meta.url).href;

export class PdfIntakePool {
  readonly #slots = new Set<Slot>();
  readonly #queue: Pending[] = [];
  /** Files each owner has in the pool (reading or waiting). */
  readonly #owned = new Map<string, number>();
  /** When each owner with files here was last given a worker (the task id it got), for the fair order. */
  readonly #served = new Map<string | undefined, number>();
  #nextId = 1;
  #closed = false;

  constructor(readonly options: IntakePoolOptions = DEFAULT_INTAKE_POOL) {}

  /** Files being read and waiting, for health and tests. */
  get stats(): { workers: number; busy: number; queued: number } {
    return { workers: this.#slots.size, busy: [...this.#slots].filter((s) => s.task).length, queued: this.#queue.length };
  }

  /**
   * Reads `bytes` in a worker within `limits`; throws IntakeBusyError when the queue is full, or when `owner`
   * already holds its share of the pool (all but reservedForOthers of the places).
   */
  check(bytes: Uint8Array, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS, owner?: string): Promise<IntakeResult> {
    return this.#enqueue({ bytes }, limits, owner) as Promise<IntakeResult>;
  }

  /**
   * Reads the file at `path` (a spooled upload) in a worker within `limits`: the worker reads it itself and
   * keeps its bytes (the caller has the file; a worker that read a large one is retired, RETIRE_FILE_BYTES), so
   * the upload never enters this thread. Reading it counts in the deadline. Busy as `check` is.
   */
  checkFile(path: string, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS, owner?: string): Promise<IntakeResult> {
    return this.#enqueue({ path }, limits, owner) as Promise<IntakeResult>;
  }

  /**
   * Inspects the signatures of `bytes` (@esign-kit/verify, inspect-task.ts) in a worker of this pool, within
   * `limits.timeoutMs` and the workers' heap; queued with the intake reads, under the same share of `owner`.
   */
  inspect(bytes: Uint8Array, request: InspectRequest, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS, owner?: string): Promise<InspectResult> {
    return this.#enqueue({ bytes }, limits, owner, request) as Promise<InspectResult>;
  }

  #enqueue(
    input: { bytes?: Uint8Array; path?: string },
    limits: IntakeLimits,
    owner: string | undefined,
    inspect?: InspectRequest,
  ): Promise<IntakeResult | InspectResult> {
    if (this.#closed) return Promise.reject(new Error('The PDF intake pool is closed.'));
    const capacity = this.options.threads + this.options.queue;
    const busy = [...this.#slots].filter((s) => s.task).length + this.#queue.length;
    const owned = owner === undefined ? 0 : (this.#owned.get(owner) ?? 0);
    if (busy >= capacity || (owner !== undefined && owned >= capacity - reservedForOthers(capacity))) {
      return Promise.reject(new IntakeBusyError(Math.max(1, Math.ceil(limits.timeoutMs / 1000))));
    }
    if (owner !== undefined) this.#owned.set(owner, owned + 1);
    const release = () => {
      if (owner === undefined) return;
      const left = (this.#owned.get(owner) ?? 1) - 1;
      if (left > 0) this.#owned.set(owner, left);
      else {
        this.#owned.delete(owner);
        this.#served.delete(owner);
      }
    };
    return new Promise<IntakeResult | InspectResult>((resolve, reject) => {
      this.#queue.push({
        ...input,
        owner,
        limits,
        ...(inspect ? { inspect } : {}),
        resolve: (r) => (release(), resolve(r)),
        reject: (e) => (release(), reject(e)),
      });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.reject(new Error('The PDF intake pool is closed.'));
    await Promise.all([...this.#slots].map((s) => s.worker.terminate()));
    this.#slots.clear();
  }

  #pump(): void {
    while (this.#queue.length) {
      const idle = [...this.#slots].find((s) => s.ready && !s.task);
      if (idle) {
        this.#start(idle, this.#queue.splice(this.#nextFair(), 1)[0]!);
        continue;
      }
      // Workers still starting take the next tasks when ready; start another only if all are busy.
      const starting = [...this.#slots].filter((s) => !s.ready).length;
      if (this.#slots.size < this.options.threads && starting < this.#queue.length) this.#spawn();
      else break;
    }
  }

  /**
   * The index of the waiting file to read next: its owner has the fewest files being read, then was served
   * longest ago (an owner not served while it had files here comes first), then the earliest file.
   */
  #nextFair(): number {
    const reading = new Map<string | undefined, number>();
    for (const slot of this.#slots) if (slot.task) reading.set(slot.task.owner, (reading.get(slot.task.owner) ?? 0) + 1);
    let best = 0;
    let bestKey = [Infinity, Infinity];
    for (let i = 0; i < this.#queue.length; i++) {
      const owner = this.#queue[i]!.owner;
      const key = [reading.get(owner) ?? 0, this.#served.get(owner) ?? -1];
      if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && key[1]! < bestKey[1]!)) [best, bestKey] = [i, key];
    }
    this.#served.set(this.#queue[best]!.owner, this.#nextId);
    return best;
  }

  #spawn(): void {
    const worker = new Worker(new URL('./intake-worker.mjs', import.meta.url), {
      workerData: { entry: workerEntry },
      execArgv: workerExecArgv(),
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    const slot: Slot = { worker, ready: false };
    this.#slots.add(slot);
    worker.unref();
    worker.on('message', (message: IntakeAnswer | InspectStarted | 'ready') => {
      if (message === 'ready') {
        slot.ready = true;
        this.#pump();
        return;
      }
      if ('started' in message) {
        if (slot.task?.id === message.started) this.#arm(slot, message.started, slot.task.limits.timeoutMs + KILL_GRACE_MS);
        return;
      }
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      this.#finish(slot);
      task.resolve(message.result);
      if (message.heapBytes > RETIRE_HEAP_BYTES || (task.path !== undefined && message.fileBytes > RETIRE_FILE_BYTES)) {
        this.#slots.delete(slot);
        void slot.worker.terminate();
      }
      this.#pump();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const task = slot.task;
      this.#slots.delete(slot);
      if (task) {
        this.#finish(slot);
        // V8 ran out of the heap it was given: the file needs more memory than a PDF of its kind may.
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY')
          task.resolve({
            ok: false,
            code: 'pdf-memory-budget',
            message: `Reading the PDF needs more memory than allowed (${this.options.heapMb} MiB).`,
            limit: this.options.heapMb,
          });
        else task.reject(err);
      } else if (!slot.ready) for (const p of this.#queue.splice(0)) p.reject(err); // the worker cannot start at all
      this.#pump();
    });
    worker.on('exit', () => {
      const task = slot.task;
      this.#slots.delete(slot);
      if (task) {
        this.#finish(slot);
        if (task.killed)
          task.resolve({
            ok: false,
            code: 'pdf-time-budget',
            message: `Reading the PDF takes longer than allowed (${task.limits.timeoutMs} ms).`,
            limit: task.limits.timeoutMs,
          });
        else task.reject(new Error('The PDF intake worker stopped.'));
      }
      if (!this.#closed) this.#pump();
    });
  }

  #start(slot: Slot, pending: Pending): void {
    const id = this.#nextId++;
    const { timeoutMs, ...reader } = pending.limits;
    const common = { id, limits: { ...reader, maxMilliseconds: timeoutMs }, ...(pending.inspect ? { inspect: pending.inspect } : {}) };
    let task: IntakeTask;
    let transfer: ArrayBuffer[] = [];
    if (pending.path !== undefined) task = { ...common, path: pending.path };
    else {
      // A copy of exactly the file's bytes is transferred (the caller's buffer may be a slice of a larger one),
      // and comes back with the answer.
      const copy = new Uint8Array(pending.bytes!.byteLength);
      copy.set(pending.bytes!);
      task = { ...common, bytes: copy.buffer };
      transfer = [copy.buffer];
    }
    slot.task = { ...pending, id };
    slot.worker.ref();
    this.#arm(slot, id, timeoutMs + KILL_GRACE_MS + (pending.inspect ? INSPECT_LOAD_MS : 0));
    slot.worker.postMessage(task, transfer);
  }

  /** Terminates the slot's worker `ms` from now if it is still on task `id` (re-armed: the former timer ends). */
  #arm(slot: Slot, id: number, ms: number): void {
    if (slot.task?.timer) clearTimeout(slot.task.timer);
    slot.task!.timer = setTimeout(() => {
      if (slot.task?.id !== id) return;
      slot.task.killed = true;
      void slot.worker.terminate();
    }, ms);
  }

  #finish(slot: Slot): void {
    if (slot.task?.timer) clearTimeout(slot.task.timer);
    slot.task = undefined;
    slot.worker.unref();
  }
}

/** One pool per process and per shape: every app of a process (the tests start many) shares its workers. */
const pools = new Map<string, PdfIntakePool>();
export function sharedIntakePool(options: Partial<IntakePoolOptions> = {}): PdfIntakePool {
  const full = { ...DEFAULT_INTAKE_POOL, ...options };
  const key = `${full.threads}/${full.queue}/${full.heapMb}`;
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new PdfIntakePool(full)));
  return pool;
}

/**
 * The PDF intake of one server (AppContext.intake): its pool and its limits (MAX_PDF_PAGES, the deadline), and the
 * portal user whose share a check counts against (`as(owner)`). Passed explicitly rather than carried by
 * AsyncLocalStorage: a storage in use turns on Node's promise hooks for every promise of the process (fetch,
 * fs/promises, the routes), which cost the companion about a millisecond of its event loop per signing (bench/README.md).
 */
export class PdfIntake {
  constructor(
    readonly pool: PdfIntakePool,
    readonly limits: IntakeLimits,
    readonly owner?: string,
  ) {}

  /** The same intake, counting against `owner`'s share. */
  as(owner: string | undefined): PdfIntake {
    return owner === this.owner ? this : new PdfIntake(this.pool, this.limits, owner);
  }

  check(bytes: Uint8Array): Promise<IntakeResult> {
    return this.pool.check(bytes, this.limits, this.owner);
  }

  /** Reads a spooled upload's file in the worker (see PdfIntakePool.checkFile). */
  checkFile(path: string): Promise<IntakeResult> {
    return this.pool.checkFile(path, this.limits, this.owner);
  }

  inspect(bytes: Uint8Array, request: InspectRequest): Promise<InspectResult> {
    return this.pool.inspect(bytes, request, this.limits, this.owner);
  }
}

/** The shared default pool with the default limits: the sandbox's simulators and code outside a server. */
export function defaultIntake(): PdfIntake {
  return new PdfIntake(sharedIntakePool(), DEFAULT_INTAKE_LIMITS);
}

/** Reads a PDF with the default intake (the sandbox's simulators read every PDF they are sent with it). */
export function checkPdfBytes(bytes: Uint8Array): Promise<IntakeResult> {
  return defaultIntake().check(bytes);
}
