// What <esign-verify> checks: a PDF given as a File, Blob, ArrayBuffer or Uint8Array, or fetched from `src`;
// always a copy of the caller's bytes, so that the inspection (which moves them to a worker) and the upload
// never touch the caller's buffer.

/** A trusted root: PEM text (one or several certificates) or DER bytes. */
export type TrustedRootInput = string | Uint8Array | ArrayBuffer;
export type PdfInput = Blob | ArrayBuffer | Uint8Array;

/** The file being checked: its bytes, and the name it is uploaded under. */
export interface Source {
  bytes: Uint8Array;
  name: string;
}

/** Why no file could be read: a code of `esign-error` (stage `input`), the HTTP status, a detail for the message. */
export interface ReadFailure {
  code: 'invalid-input' | 'network-error' | 'http-error';
  status?: number;
  detail?: string;
}

export const isPdfInput = (v: unknown): v is PdfInput => v instanceof Blob || v instanceof ArrayBuffer || v instanceof Uint8Array;

/** A copy of the caller's bytes, with the file's name when it has one. */
export async function sourceOf(input: PdfInput): Promise<Source> {
  const bytes =
    input instanceof Blob ? new Uint8Array(await input.arrayBuffer()) : input instanceof Uint8Array ? new Uint8Array(input) : new Uint8Array(input.slice(0));
  return { bytes, name: input instanceof File && input.name ? input.name : 'document.pdf' };
}

/**
 * The PDF of `data`, else of `src` (fetched, with the run's signal). Null when there is nothing to check or the
 * fetch was aborted; a ReadFailure when `data` is not a PDF input or `src` could not be fetched.
 */
export async function readSource(data: unknown, src: string, signal: AbortSignal): Promise<Source | ReadFailure | null> {
  if (data) return isPdfInput(data) ? sourceOf(data) : { code: 'invalid-input' };
  if (!src) return null;
  const url = new URL(src, document.baseURI);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') return null;
    return { code: 'network-error', detail: String((err as Error)?.message ?? err) };
  }
  if (!response.ok) return { code: 'http-error', status: response.status };
  const name = decodeURIComponent(url.pathname.split('/').pop() || '') || 'document.pdf';
  return { bytes: new Uint8Array(await response.arrayBuffer()), name };
}
