// The only module that touches the network: turns a ProviderRequest into a fetch call (msw intercepts
// fetch in tests), bounds it with a timeout, and retries only what is safe to send twice.
import { ProviderError } from './errors.js';
import type { ProviderRequest, ProviderResponse } from './types.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface SendOptions {
  fetch?: FetchLike;
  /** Overrides the request's own timeout (Digisign §1.2) and the 30 s default. */
  timeoutMs?: number;
  /** The caller's cancellation; an abort from it is passed on as is, never retried. */
  signal?: AbortSignal;
  /** Extra attempts for idempotent requests after a network failure, a timeout or a 502/503/504. Default 2. */
  retries?: number;
  /** Pause before retry n (n = 1, 2…): `retryDelayMs * n`. Default 250 ms. */
  retryDelayMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

function encodeBody(request: ProviderRequest): { body?: BodyInit; headers: Record<string, string> } {
  const headers = { ...request.headers };
  const b = request.body;
  switch (b.kind) {
    case 'none':
      return { headers };
    case 'json':
      return { body: JSON.stringify(b.value), headers };
    case 'form':
      return { body: new URLSearchParams(b.fields), headers };
    case 'multipart': {
      // fetch writes the boundary itself; a Content-Type set by hand would lack it.
      for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-type') delete headers[key];
      const form = new FormData();
      for (const [name, value] of Object.entries(b.fields)) form.append(name, value);
      for (const file of b.files) form.append(file.field, new Blob([new Uint8Array(file.data)], { type: file.contentType }), file.filename);
      return { body: form, headers };
    }
  }
}

const RETRY_STATUSES = new Set([502, 503, 504]);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

async function attempt(request: ProviderRequest, options: SendOptions, timeoutMs: number): Promise<ProviderResponse> {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const { body, headers } = encodeBody(request);
  try {
    const res = await doFetch(request.url, { method: request.method, headers, ...(body !== undefined ? { body } : {}), signal, redirect: 'manual' });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body: bytes };
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new ProviderError({
        code: 'provider-timeout',
        provider: request.provider,
        operation: request.operation,
        message: `${request.provider} did not answer ${request.operation} within ${timeoutMs} ms.`,
        httpStatus: 504,
        retryable: request.idempotent,
        cause,
      });
    }
    throw new ProviderError({
      code: 'provider-unreachable',
      provider: request.provider,
      operation: request.operation,
      message: `${request.provider} could not be reached for ${request.operation}.`,
      httpStatus: 502,
      retryable: request.idempotent,
      cause,
    });
  }
}

/**
 * Sends one request. A non-idempotent request (sending a document, signing) is sent exactly once: a
 * timeout there does not tell whether the provider acted, so the caller decides. Provider result codes
 * inside a 200 answer (Digisign `91` "retry in 10 minutes") are never retried here: that is the parser's
 * business and the answer is "later", not "now".
 */
export async function send(request: ProviderRequest, options: SendOptions = {}): Promise<ProviderResponse> {
  const timeoutMs = options.timeoutMs ?? request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = request.idempotent ? Math.max(0, options.retries ?? 2) : 0;
  const delay = options.retryDelayMs ?? 250;
  for (let n = 0; ; n++) {
    let response: ProviderResponse;
    try {
      response = await attempt(request, options, timeoutMs);
    } catch (err) {
      if (n < retries && err instanceof ProviderError && err.retryable) {
        await sleep(delay * (n + 1), options.signal);
        continue;
      }
      throw err;
    }
    if (n < retries && RETRY_STATUSES.has(response.status)) {
      await sleep(delay * (n + 1), options.signal);
      continue;
    }
    return response;
  }
}

/** Sends a request and runs its parser on the answer. */
export async function call<T>(
  request: ProviderRequest,
  parse: (status: number, headers: Headers, body: Uint8Array) => T,
  options: SendOptions = {},
): Promise<T> {
  const res = await send(request, options);
  return parse(res.status, res.headers, res.body);
}
