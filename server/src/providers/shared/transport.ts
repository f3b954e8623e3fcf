// The only module that touches the network: turns a ProviderRequest into a fetch call (msw intercepts
// fetch in tests), bounds it with a timeout, and retries only what is safe to send twice. Large JSON bodies
// (base64 PDFs) are streamed with their length, their base64 written while sending; large JSON answers have
// their base64 PDFs decoded as they arrive (large-json.ts), other large answers are read into one buffer of
// the announced length: a PDF is never held as base64 text, nor as a list of chunks plus a joined copy.
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { AnswerSpool } from './answer-spool.js';
import { isJsonType } from './check.js';
import { ProviderError } from './errors.js';
import { readJsonSettingAside } from './large-json.js';
import { Base64Bytes, FileBytes, type ProviderRequest, type ProviderResponse } from './types.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface SendOptions {
  fetch?: FetchLike;
  /** Overrides the request's own timeout (docs/providers/digisign.md §1.2) and the 30 s default. */
  timeoutMs?: number;
  /** The caller's cancellation; an abort from it is passed on as is, never retried. */
  signal?: AbortSignal;
  /** Extra attempts for idempotent requests after a network failure, a timeout or a 502/503/504. Default 2. */
  retries?: number;
  /** Pause before retry n (n = 1, 2…): `retryDelayMs * n`. Default 250 ms. */
  retryDelayMs?: number;
  /**
   * Where the documents of a large JSON answer go (BSrE v2 `file[]`): decoded into its files as they arrive
   * (SpooledFile), not into memory. The caller disposes of the spool (answer-spool.ts).
   */
  spool?: AnswerSpool;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Strings and Base64Bytes at least this large are streamed rather than serialised with the rest. */
const STREAM_FROM = 256 * 1024;
/**
 * Bytes per streamed piece: a multiple of 3, so that base64 pieces join without padding, and small, so that
 * each piece's base64 text is a short-lived heap string (large ones linger outside the heap until a full GC).
 */
const PIECE = 48 * 1024;
/** What JSON.stringify writes unchanged inside a string: a string made only of these can be streamed as is. */
const JSON_SAFE = /^[A-Za-z0-9+/=._-]*$/;

type Part = Base64Bytes | FileBytes | string;

/**
 * A JSON body as a stream of its bytes, with its exact length: the value is serialised with every large
 * string or Base64Bytes replaced by a placeholder (the rest is small), and the pieces are written in order,
 * large ones PIECE bytes at a time. Undefined when nothing is large (JSON.stringify is used as before).
 */
function streamJson(value: unknown): { body: ReadableStream<Uint8Array>; length: number } | undefined {
  const parts: Part[] = [];
  const token = `esign-kit-part-${randomBytes(8).toString('hex')}-`;
  const walk = (v: unknown): unknown => {
    if (v instanceof FileBytes) {
      // A small file goes in the serialised body like any small value (the request inspector then shows it).
      if (v.size < STREAM_FROM) return v.toJSON();
      parts.push(v);
      return `${token}${parts.length - 1}`;
    }
    if (v instanceof Base64Bytes) {
      if (v.bytes.byteLength < STREAM_FROM) return v.toJSON();
      parts.push(v);
      return `${token}${parts.length - 1}`;
    }
    if (typeof v === 'string') {
      if (v.length < STREAM_FROM || !JSON_SAFE.test(v)) return v;
      parts.push(v);
      return `${token}${parts.length - 1}`;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  const skeleton = JSON.stringify(walk(value));
  if (!parts.length) return undefined;
  // skeleton = text, part 0, text, part 1, …, text (each placeholder sits between the quotes it keeps).
  const texts = skeleton.split(new RegExp(`${token}\\d+`)).map((t) => Buffer.from(t, 'utf8'));
  const order = [...skeleton.matchAll(new RegExp(`${token}(\\d+)`, 'g'))].map((m) => parts[Number(m[1])]!);
  let length = texts.reduce((n, t) => n + t.byteLength, 0);
  for (const p of order) length += p instanceof Base64Bytes || p instanceof FileBytes ? p.base64Length : p.length;
  async function* pieces(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < texts.length; i++) {
      if (texts[i]!.byteLength) yield texts[i]!;
      const p = order[i];
      if (p === undefined) continue;
      if (p instanceof FileBytes) {
        yield* fileBase64(p);
      } else if (p instanceof Base64Bytes) {
        const b = p.bytes;
        for (let at = 0; at < b.byteLength; at += PIECE) {
          yield Buffer.from(Buffer.from(b.buffer, b.byteOffset + at, Math.min(PIECE, b.byteLength - at)).toString('base64'), 'latin1');
        }
      } else {
        for (let at = 0; at < p.length; at += PIECE) yield Buffer.from(p.slice(at, at + PIECE), 'latin1');
      }
    }
  }
  const it = pieces();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await it.return(undefined); // closes a file being read
    },
  });
  return { body, length };
}

/**
 * A file's base64, PIECE bytes at a time. The length was announced from its size: a file that is not that
 * size any more fails the sending rather than sending other bytes than the request describes.
 */
async function* fileBase64(file: FileBytes): AsyncGenerator<Uint8Array> {
  const handle = await open(file.path, 'r');
  try {
    const piece = Buffer.allocUnsafe(PIECE);
    let at = 0;
    while (at < file.size) {
      // A whole piece (a multiple of 3, so that the base64 pieces join) unless the file ends first.
      const want = Math.min(PIECE, file.size - at);
      let got = 0;
      for (let n = -1; got < want && n !== 0; got += n) n = (await handle.read(piece, got, want - got, at + got)).bytesRead;
      if (got === 0) break;
      at += got;
      yield Buffer.from(piece.toString('base64', 0, got), 'latin1');
    }
    if (at !== file.size || (await handle.stat()).size !== file.size) throw new Error(`${file.path} changed while it was sent.`);
  } finally {
    await handle.close();
  }
}

function encodeBody(request: ProviderRequest): { body?: BodyInit; headers: Record<string, string>; streamed?: boolean } {
  const headers = { ...request.headers };
  const b = request.body;
  switch (b.kind) {
    case 'none':
      return { headers };
    case 'json': {
      const streamed = streamJson(b.value);
      if (!streamed) return { body: JSON.stringify(b.value), headers };
      for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-length') delete headers[key];
      headers['Content-Length'] = String(streamed.length);
      return { body: streamed.body, headers, streamed: true };
    }
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

/** Answers at least this large (or of unknown length) are read as they arrive, not joined at the end. */
const READ_INTO_FROM = 1024 * 1024;

/**
 * The providers whose JSON answers are parsed by jsonObject (check.ts), which knows base64 strings set aside
 * while reading (large-json.ts). Digisign's answers go through its own lenient parser and are read as they are.
 */
const SETS_ASIDE = new Set<ProviderRequest['provider']>(['bsre', 'peruri']);

/**
 * The whole answer. A large JSON answer of BSrE or Peruri is read with its long base64 strings (PDFs) decoded
 * as they arrive (readJsonSettingAside); another large answer (a PDF) into one buffer of the announced length;
 * anything else as fetch joins it.
 */
async function readBody(res: Response, request: ProviderRequest, spool: AnswerSpool | undefined): Promise<Uint8Array> {
  const length = res.headers.get('content-length');
  // With a content coding, fetch decodes and Content-Length is the coded size: unknown here.
  const announced = length !== null && /^\d+$/.test(length) && !res.headers.has('content-encoding') ? Number(length) : undefined;
  const large = announced === undefined || announced >= READ_INTO_FROM;
  if (!res.body || !large) return new Uint8Array(await res.arrayBuffer());
  if (SETS_ASIDE.has(request.provider) && isJsonType(res.headers)) return readJsonSettingAside(res.body, announced, spool);
  if (announced === undefined) return new Uint8Array(await res.arrayBuffer());
  let out = new Uint8Array(announced);
  let at = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.byteLength > out.byteLength) {
      // More than announced (fetch would have failed): keep it all anyway, the parser decides.
      const grown = new Uint8Array(Math.max(out.byteLength * 2, at + value.byteLength));
      grown.set(out.subarray(0, at));
      out = grown;
    }
    out.set(value, at);
    at += value.byteLength;
  }
  return at === out.byteLength ? out : out.subarray(0, at);
}

async function attempt(request: ProviderRequest, options: SendOptions, timeoutMs: number): Promise<ProviderResponse> {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const { body, headers, streamed } = encodeBody(request);
  try {
    // A stream body needs `duplex: 'half'` (fetch sends it while the answer may already come back).
    const init = {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(streamed ? { duplex: 'half' } : {}),
      signal,
      redirect: 'manual',
    } as RequestInit;
    const res = await doFetch(request.url, init);
    const bytes = await readBody(res, request, options.spool);
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

/** Gateway answers that do not tell whether the provider behind the gateway acted. */
const AMBIGUOUS_STATUSES = new Set([502, 504]);

/**
 * Sends a request and runs its parser on the answer. A 502 or 504 from a gateway does not tell whether the
 * provider behind it acted: for a request that is not safe to send twice (a signing), the error says not to
 * retry right away, as a timeout does — the caller checks first (a status, a download) instead of signing twice.
 */
export async function call<T>(
  request: ProviderRequest,
  parse: (status: number, headers: Headers, body: Uint8Array) => T,
  options: SendOptions = {},
): Promise<T> {
  const res = await send(request, options);
  try {
    return parse(res.status, res.headers, res.body);
  } catch (err) {
    if (!(err instanceof ProviderError) || !err.retryable || request.idempotent || !AMBIGUOUS_STATUSES.has(res.status)) throw err;
    throw new ProviderError({
      code: err.code,
      provider: err.provider,
      operation: err.operation,
      providerCode: err.providerCode,
      providerMessage: err.providerMessage,
      message: err.message,
      httpStatus: err.httpStatus,
      retryable: false,
      retryAfterMs: err.retryAfterMs,
      details: err.details,
      cause: err.cause,
    });
  }
}
