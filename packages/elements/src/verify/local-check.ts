// The local check: @esign-kit/verify inspects the file in a Web Worker (a hostile or huge file never freezes the
// page, and aborting the run ends it). The library is loaded with the first file, not with the page.
import type { InspectionReport } from '@esign-kit/verify';

let verifyModule: Promise<typeof import('@esign-kit/verify/worker')> | undefined;
const loadVerify = () =>
  (verifyModule ??= import('@esign-kit/verify/worker').catch((err: unknown) => {
    verifyModule = undefined;
    throw err;
  }));

/** The reader's refusals of a file, as the element's `esign-error` codes. */
const INPUT_ERRORS: Record<string, string> = {
  NOT_A_PDF: 'not-a-pdf',
  TRUNCATED: 'truncated',
  DAMAGED: 'damaged',
  INVALID_INPUT: 'invalid-input',
  ENCRYPTION_UNSUPPORTED: 'encryption-unsupported',
  PASSWORD_REQUIRED: 'password-required',
  PASSWORD_INCORRECT: 'password-incorrect',
  TOO_COMPLEX: 'too-complex',
};

export type LocalCheck =
  | { report: InspectionReport }
  /** The file could not be checked: an `esign-error` code (stage `input`); `password`: the element asks for one. */
  | { failure: { code: string; detail?: string; password: boolean } };

/** Inspects `bytes` against `roots`; null when `signal` ended it (a newer check, a reset). */
export async function checkLocally(
  bytes: Uint8Array,
  roots: (string | Uint8Array)[],
  password: string | undefined,
  signal: AbortSignal,
): Promise<LocalCheck | null> {
  const { inspectInWorker } = await loadVerify();
  if (signal.aborted) return null;
  let report: InspectionReport;
  try {
    report = await inspectInWorker(bytes, { trustedRoots: roots, signal, ...(password !== undefined ? { password } : {}) });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') return null;
    // inspectPdf throws only for roots that are not certificates (a caller's mistake): say so.
    const code = err instanceof TypeError && /trusted root/i.test(err.message) ? 'invalid-trusted-roots' : 'inspect-failed';
    return { failure: { code, detail: (err as Error)?.message, password: false } };
  }
  if (report.error && report.status !== 'no-signature') {
    const code = INPUT_ERRORS[report.error.code] ?? 'damaged';
    return { failure: { code, password: code === 'password-required' || code === 'password-incorrect' } };
  }
  return { report };
}
