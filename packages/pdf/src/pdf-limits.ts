// Limits enforced while the PDF reader (pdf-file.ts, page-tree.ts) reads a file, so that no file can make it
// work, allocate or wait without bound: a page tree whose nodes list the same kid twice doubles the pages at
// each level (2^26 pages from 3 KB), a deflate stream inflates ~1000:1 (4 GB from 4 MB), a broken
// cross-reference table makes the reader scan the whole file, and a cycle of references never ends. Every
// limit is checked while reading, before the work or the memory it guards is spent, and a file that passes one
// is refused with a PdfLimitError whose `code` names it. The defaults are far above what real documents need.

export type PdfLimitCode =
  /** More pages than `maxPages` (counted while the page tree is walked). */
  | 'pdf-too-many-pages'
  /** A page-tree node reached twice: a /Kids cycle, or a node listed under two parents (PDF 32000-1 §7.7.3.2: a tree). */
  | 'pdf-page-tree-loop'
  /** Pages nodes nested deeper than `maxPageTreeDepth`. */
  | 'pdf-page-tree-too-deep'
  /** More objects than `maxObjects`: cross-reference entries, objects found by reconstruction, or an object stream's /N. */
  | 'pdf-too-many-objects'
  /** More cross-reference sections (revisions) than `maxRevisions`. */
  | 'pdf-too-many-revisions'
  /** Arrays and dictionaries nested deeper than `maxNesting`. */
  | 'pdf-nesting-too-deep'
  /** One stream inflates to more than `maxStreamBytes`. */
  | 'pdf-stream-too-large'
  /** The file's streams together inflate to more than `maxInflatedBytes`. */
  | 'pdf-inflate-budget'
  /** More work than `maxWork` (bytes scanned and inflated, objects looked up). */
  | 'pdf-work-budget'
  /** Reading took longer than `maxMilliseconds` (only with a `clock`). */
  | 'pdf-time-budget';

export interface PdfLimits {
  /** Pages in the whole document. */
  maxPages: number;
  /** Levels of Pages nodes inside Pages nodes (real files: a handful; a balanced tree of a million pages: ~10). */
  maxPageTreeDepth: number;
  /** Objects in the file: the entries of every cross-reference section together, or the objects reconstruction finds. */
  maxObjects: number;
  /** Cross-reference sections (each incremental update adds one or two). */
  maxRevisions: number;
  /** Arrays and dictionaries inside each other in one object. */
  maxNesting: number;
  /** Bytes one stream may inflate to: the inflater is told, and stops there. */
  maxStreamBytes: number;
  /** Bytes all the streams of one file may inflate to together. */
  maxInflatedBytes: number;
  /** Work units: one per byte scanned, lexed or inflated, and a few per object or page-tree node looked up. */
  maxWork: number;
  /** Milliseconds of reading, measured with `clock` (the core has no clock of its own): without one, no time limit. */
  maxMilliseconds: number;
  /** A monotonic clock in milliseconds (`performance.now`), for `maxMilliseconds`. */
  clock?: (() => number) | undefined;
}

const MiB = 1024 * 1024;

/** Safe for any caller: browsers (the placer, `@esign-kit/verify`) and servers alike. */
export const DEFAULT_PDF_LIMITS: Readonly<PdfLimits> = Object.freeze({
  maxPages: 10_000,
  maxPageTreeDepth: 64,
  maxObjects: 500_000,
  maxRevisions: 4_096,
  maxNesting: 64,
  maxStreamBytes: 16 * MiB,
  maxInflatedBytes: 32 * MiB,
  maxWork: 512 * MiB,
  maxMilliseconds: Number.POSITIVE_INFINITY,
});

/** A limit of PdfLimits that a file passed; `limit` is the value in force. */
export class PdfLimitError extends Error {
  constructor(
    readonly code: PdfLimitCode,
    readonly limit: number,
    message: string,
  ) {
    super(message);
    this.name = 'PdfLimitError';
  }
}

export const isPdfLimitError = (err: unknown): err is PdfLimitError => err instanceof PdfLimitError;

/** The limits in force: the defaults, with the caller's own on top (an undefined value keeps the default). */
export function pdfLimits(overrides: Partial<PdfLimits> = {}): PdfLimits {
  const limits: PdfLimits = { ...DEFAULT_PDF_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof PdfLimits, PdfLimits[keyof PdfLimits]][]) {
    if (value === undefined) continue;
    if (key === 'clock') {
      if (typeof value !== 'function') throw new TypeError('PDF limits: clock must be a function.');
      limits.clock = value;
    } else {
      if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new TypeError(`PDF limits: ${key} must be a number, 0 or more.`);
      limits[key] = value;
    }
  }
  return limits;
}

/** How often (in work units) the clock is read: often enough to stop within milliseconds, rarely enough to cost nothing. */
const CLOCK_EVERY = 64 * 1024;

/** Counts the work and the inflated bytes of reading one file, and throws as soon as a budget is passed. */
export class PdfMeter {
  /** Work units spent so far. */
  work = 0;
  /** Bytes inflated so far, every stream together. */
  inflated = 0;
  readonly #deadline: number | undefined;
  #nextClock = CLOCK_EVERY;

  constructor(readonly limits: PdfLimits) {
    this.#deadline = limits.clock && Number.isFinite(limits.maxMilliseconds) ? limits.clock() + limits.maxMilliseconds : undefined;
  }

  spend(units: number): void {
    this.work += units;
    if (this.work > this.limits.maxWork) {
      throw new PdfLimitError(
        'pdf-work-budget',
        this.limits.maxWork,
        `Reading the PDF takes more work than allowed (${this.limits.maxWork} units): it is crafted or damaged.`,
      );
    }
    if (this.#deadline !== undefined && this.work >= this.#nextClock) {
      this.#nextClock = this.work + CLOCK_EVERY;
      this.checkClock();
    }
  }

  checkClock(): void {
    if (this.#deadline !== undefined && this.limits.clock!() > this.#deadline) {
      throw new PdfLimitError('pdf-time-budget', this.limits.maxMilliseconds, `Reading the PDF takes longer than allowed (${this.limits.maxMilliseconds} ms).`);
    }
  }

  /** The most one more stream may inflate to: the per-stream cap, or what is left of the file's budget. */
  inflateAllowance(): { bytes: number; code: 'pdf-stream-too-large' | 'pdf-inflate-budget' } {
    const left = Math.max(0, this.limits.maxInflatedBytes - this.inflated);
    return left < this.limits.maxStreamBytes
      ? { bytes: left, code: 'pdf-inflate-budget' }
      : { bytes: this.limits.maxStreamBytes, code: 'pdf-stream-too-large' };
  }

  inflateRefused(code: 'pdf-stream-too-large' | 'pdf-inflate-budget'): PdfLimitError {
    return code === 'pdf-stream-too-large'
      ? new PdfLimitError(code, this.limits.maxStreamBytes, `A stream of the PDF inflates to more than ${this.limits.maxStreamBytes} bytes.`)
      : new PdfLimitError(code, this.limits.maxInflatedBytes, `The PDF's streams inflate to more than ${this.limits.maxInflatedBytes} bytes together.`);
  }

  /** Records a stream's inflated size (within its allowance). */
  inflatedStream(bytes: number): void {
    this.inflated += bytes;
    this.spend(bytes);
    this.checkClock();
  }

  tooMany(code: 'pdf-too-many-objects' | 'pdf-too-many-revisions' | 'pdf-too-many-pages', what: string): PdfLimitError {
    const limit =
      code === 'pdf-too-many-objects' ? this.limits.maxObjects : code === 'pdf-too-many-revisions' ? this.limits.maxRevisions : this.limits.maxPages;
    return new PdfLimitError(code, limit, `The PDF has more ${what} than allowed (${limit}).`);
  }
}

// The WHATWG streams API is global in browsers and in Node alike; the core's lib (es2023, no DOM) only lacks its types.
interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}
declare const DecompressionStream: new (format: 'deflate') => {
  readable: { getReader(): ByteReader };
  writable: { getWriter(): ByteWriter };
};

/**
 * Input is fed in slices this size: a decompressor turns each slice into output before it is read, so a slice
 * bounds what can be produced past the limit (deflate's best ratio is ~1032:1, so 16 KiB in → ≤ 17 MB out).
 */
const INPUT_SLICE = 16 * 1024;

/** What an Inflate throws when the output would pass `maxOutputLength` (the code Node's zlib uses). */
export function outputTooLarge(maxOutputLength: number): RangeError & { code: 'ERR_BUFFER_TOO_LARGE' } {
  return Object.assign(new RangeError(`The inflated data would be larger than ${maxOutputLength} bytes.`), { code: 'ERR_BUFFER_TOO_LARGE' as const });
}

/**
 * FlateDecode (zlib) with the platform's DecompressionStream (browsers, Node 18+), stopping as soon as the output
 * passes `maxOutputLength`: the output is counted chunk by chunk, and the stream is cancelled there.
 */
export async function flateDecode(data: Uint8Array, maxOutputLength: number): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Writes wait for the reader (backpressure); a failure shows up in the reads too.
  const feeding = (async () => {
    for (let at = 0; at < data.length; at += INPUT_SLICE) await writer.write(data.subarray(at, at + INPUT_SLICE));
    await writer.close();
  })();
  feeding.catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value) continue;
      total += value.length;
      if (total > maxOutputLength) throw outputTooLarge(maxOutputLength);
      chunks.push(value);
    }
  } catch (err) {
    await reader.cancel(err).catch(() => {});
    await writer.abort(err).catch(() => {});
    throw err;
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
