// The signature inspection a PDF intake worker runs for POST /api/verify (intake-pool.ts `inspect`): the kit's own
// local check, @esign-kit/verify's inspectPdf, the same that <esign-verify> runs in a Web Worker, within the
// worker's limits (its capped heap, the pool's kill deadline) and its own: a work budget and a deadline that ends
// it between two steps. The report is answered as JSON (dates as ISO 8601 text, certificates' DER as base64), so
// that the main thread forwards it as it is.
import type { InspectionReport } from '@esign-kit/verify';
import type { IntakeLimitCode } from './intake.js';

/** What the route asks of an inspection (no secret but the PDF's password, which never leaves the worker's answer). */
export interface InspectRequest {
  /** Trust anchors, PEM: the sandbox root in sandbox mode, then TRUSTED_ROOTS (as GET /api/trust/roots lists them). */
  trustedRoots: string[];
  password?: string;
  /** Units of work the inspection may spend (default @esign-kit/verify's DEFAULT_WORK_BUDGET). */
  workBudget?: number;
}

/** The keys of T whose value may be undefined (JSON leaves them out). */
type MaybeUndefined<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/** A value as JSON carries it: dates as ISO 8601 text, bytes as base64, undefined members absent. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends Uint8Array
    ? string
    : T extends readonly (infer U)[]
      ? Jsonified<U>[]
      : T extends object
        ? { [K in Exclude<keyof T, MaybeUndefined<T>>]: Jsonified<T[K]> } & { [K in MaybeUndefined<T>]?: Jsonified<Exclude<T[K], undefined>> }
        : T;

/** @esign-kit/verify's InspectionReport as POST /api/verify answers it (`local`). */
export type LocalInspection = Jsonified<InspectionReport>;

export type InspectResult =
  | { ok: true; report: LocalInspection }
  /** The worker ran out of its deadline or heap (intake-pool.ts answers for a killed worker). */
  | { ok: false; code: IntakeLimitCode; message: string; limit: number };

/** Dates as ISO 8601, bytes as base64, everything else as it is (a pure conversion: no class survives JSON anyway). */
export function jsonified<T>(value: T): Jsonified<T> {
  if (value instanceof Date) return value.toISOString() as Jsonified<T>;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') as Jsonified<T>;
  if (Array.isArray(value)) return value.map((v) => jsonified(v)) as Jsonified<T>;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonified(v);
    return out as Jsonified<T>;
  }
  return value as Jsonified<T>;
}

/**
 * The report of a file the inspection gave up on, in @esign-kit/verify's own words for it (inspectPdf answers a
 * file past its work budget the same way): status `damaged`, error `TOO_COMPLEX`.
 */
export function tooComplex(fileSize: number, message: string): LocalInspection {
  return { status: 'damaged', error: { code: 'TOO_COMPLEX', message }, fileSize, revisions: 0, encrypted: false, signatures: [] };
}

// Loaded with the first inspection, not with every intake worker (pkijs and asn1js are not small).
let verify: Promise<typeof import('@esign-kit/verify')> | undefined;

/**
 * Inspects `bytes`; `started` is called once the library is loaded, when the deadline starts: the inspection stops
 * itself `timeoutMs` later (and the pool kills a worker that does not).
 */
export async function runInspection(bytes: Uint8Array, request: InspectRequest, timeoutMs: number, started: () => void): Promise<InspectResult> {
  const { inspectPdf } = await (verify ??= import('@esign-kit/verify'));
  started();
  try {
    const report = await inspectPdf(bytes, {
      trustedRoots: request.trustedRoots,
      ...(request.password !== undefined ? { password: request.password } : {}),
      ...(request.workBudget !== undefined ? { workBudget: request.workBudget } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: true, report: jsonified(report) };
  } catch (err) {
    if ((err as Error)?.name === 'AbortError' || (err as Error)?.name === 'TimeoutError') {
      return { ok: true, report: tooComplex(bytes.byteLength, `Inspecting the signatures takes longer than allowed (${timeoutMs} ms).`) };
    }
    throw err;
  }
}
