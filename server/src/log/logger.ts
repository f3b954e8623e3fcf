// Structured logs (pino): one line per request and one per upstream call, with duration and the
// provider's result code. What must never appear — passphrases, OTPs/TOTPs, tokens, keys, base64
// documents — is kept out three ways: we log no bodies and no query strings, pino redacts the known keys,
// and a last filter on every written line replaces any configured secret value that slipped through.
import type { Request, RequestHandler } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { FetchLike } from '../providers/adapters.js';
import { issuedTokensIn, noteIssuedSecret, secretScrubber } from './secrets.js';

export { secretScrubber } from './secrets.js';

export type { Logger } from 'pino';

const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'passphrase',
  'password',
  'otp',
  'totp',
  'otpCode',
  'token',
  'accessToken',
  'jwt',
  'secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'aesKey',
  'key',
  'pdf',
  'file',
  'base64Document',
  'imageBase64',
];

export const REDACT_PATHS = [...SENSITIVE_KEYS, ...SENSITIVE_KEYS.map((k) => `*.${k}`), 'req.headers.authorization', 'req.headers.cookie'];

export function createLogger(options: { level?: string; secrets?: readonly string[]; destination?: DestinationStream } = {}): Logger {
  const scrub = secretScrubber(options.secrets ?? []);
  const opts = {
    level: options.level ?? 'info',
    base: { service: 'esign-kit' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: scrub },
    serializers: { err: pino.stdSerializers.err },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

/** Path only, with 16-digit runs (NIKs in BSrE v1 paths) masked: no query string ever (BSrE cloud puts secrets there). */
export function safePath(url: string): string {
  try {
    const u = new URL(url, 'http://x');
    return u.pathname.replace(/\d{16}/g, '****************');
  } catch {
    return '?';
  }
}

/** One line per request: method, path (no query), status, duration, the portal user. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - start) / 1e6;
      const r = req as Request & { portalUser?: string; errorCode?: string };
      const line = {
        method: req.method,
        path: safePath(req.originalUrl),
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        ...(r.portalUser ? { user: r.portalUser } : {}),
        ...(res.locals.errorCode ? { error: res.locals.errorCode as string } : {}),
      };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}

/** A small JSON (or JSON-as-text) answer, parsed from a copy; undefined for anything else. */
async function smallJson(res: Response): Promise<Record<string, unknown> | undefined> {
  const type = res.headers.get('content-type') ?? '';
  if (!/json|text/i.test(type)) return undefined;
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > 64 * 1024) return undefined;
  try {
    // Read at most 64 KB of a copy: a large answer without Content-Length (chunked) must not be held twice.
    const text = await headOf(res.clone(), 64 * 1024);
    if (text === undefined) return undefined;
    const obj = JSON.parse(text) as unknown;
    return obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A provider's result code in its answer (Peruri resultCode, Digisign result, BSrE status_code). */
function resultCode(obj: Record<string, unknown> | undefined): string | undefined {
  if (!obj) return undefined;
  const inner = (obj.JSONFile ?? obj) as Record<string, unknown>;
  const code = obj.resultCode ?? inner.result ?? inner.res ?? obj.status_code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** The body as text if it is at most `max` bytes; undefined (and the copy released) if it is longer. */
export async function headOf(res: Response, max: number): Promise<string | undefined> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      // Not awaited: cancelling one branch of a clone (a tee) settles only once the other branch is cancelled
      // too, so waiting here would hang the caller of every chunked answer larger than `max`.
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A fetch for one provider's adapter client that logs each upstream call (never its URL query or body). With
 * `secrets` (config.secrets), every token a provider issues in a small JSON answer (Peruri's JWT and OTP session
 * tokens, BSrE cloud access tokens) joins the secrets that logs, traces and answers are scrubbed of.
 */
export function loggingFetch(logger: Logger, provider: string, inner: FetchLike = (i, init) => globalThis.fetch(i, init), secrets?: string[]): FetchLike {
  return async (input, init) => {
    const start = process.hrtime.bigint();
    const base = { provider, method: init.method ?? 'GET', host: hostOf(input), path: safePath(input) };
    try {
      const res = await inner(input, init);
      const answer = await smallJson(res);
      if (secrets && answer) for (const token of issuedTokensIn(answer)) noteIssuedSecret(secrets, token);
      const code = resultCode(answer);
      logger.info({ ...base, status: res.status, ...(code !== undefined ? { resultCode: code } : {}), durationMs: ms(start) }, 'upstream');
      return res;
    } catch (err) {
      const e = err as { name?: string; code?: string; cause?: { code?: string } };
      logger.warn({ ...base, failure: e.cause?.code ?? e.code ?? e.name ?? 'error', durationMs: ms(start) }, 'upstream');
      throw err;
    }
  };
}

const ms = (start: bigint) => Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10;
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}
