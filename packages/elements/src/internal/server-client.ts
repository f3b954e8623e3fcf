// The elements' one way to the companion server: its base URL, the portal token as a bearer token, JSON or a
// multipart body, and one error type for every failure — no answer (`network-error`), or an error answer, whose
// envelope ({ error: { code, message, field?, provider?, retryable? } }, @esign-kit/core's ErrorEnvelope, the
// very type the server's error handler writes) is kept whole. Each element decides which codes it passes on.
import type { ErrorEnvelope, ProviderErrorInfo } from '@esign-kit/core';

export class ServerError extends Error {
  override readonly name = 'ServerError';
  /** `network-error` (no answer), the server's own code, or `http-error` for an answer without an envelope. */
  readonly code: string;
  readonly status: number | undefined;
  readonly field: string | undefined;
  readonly provider: ProviderErrorInfo | undefined;
  readonly retryable: boolean | undefined;

  constructor(code: string, message: string, details: { status?: number; field?: string; provider?: ProviderErrorInfo; retryable?: boolean } = {}) {
    super(message);
    this.code = code;
    this.status = details.status;
    this.field = details.field;
    this.provider = details.provider;
    this.retryable = details.retryable;
  }
}

const isAbort = (error: unknown): boolean => (error as Error | null)?.name === 'AbortError';

/** The server's envelope, when the body is one. */
function envelopeOf(body: unknown): ErrorEnvelope['error'] | null {
  const error = (body as Partial<ErrorEnvelope> | null)?.error;
  return error && typeof error === 'object' && typeof error.code === 'string' ? error : null;
}

export class ServerClient {
  /** The server's base URL, ending in `/`, against the page's address. */
  readonly base: URL;

  constructor(
    server: string,
    private readonly token: string,
  ) {
    this.base = new URL(server || '/', location.href);
    if (!this.base.pathname.endsWith('/')) this.base.pathname += '/';
  }

  /** The absolute URL of a path of the server's (`api/verify`). */
  url(path: string): URL {
    return new URL(path, this.base);
  }

  /**
   * Calls the server and resolves with its JSON answer. `body`: FormData as multipart, anything else as JSON.
   * Rejects with a ServerError, or with the AbortError itself when `signal` ended the call.
   */
  async request<T = unknown>(method: 'GET' | 'POST', path: string, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const { body, signal } = options;
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const multipart = body instanceof FormData;
    if (body !== undefined && !multipart) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers,
        ...(body !== undefined ? { body: multipart ? body : JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ServerError('network-error', String((error as Error | null)?.message ?? error));
    }
    const data: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const envelope = envelopeOf(data);
      throw new ServerError(envelope?.code ?? 'http-error', envelope?.message ?? `The server answered HTTP ${response.status}.`, {
        status: response.status,
        ...(envelope?.field !== undefined ? { field: envelope.field } : {}),
        ...(envelope?.provider ? { provider: envelope.provider } : {}),
        ...(envelope?.retryable !== undefined ? { retryable: envelope.retryable } : {}),
      });
    }
    return data as T;
  }
}
