// Structured logs (pino): one line per request and one per upstream call, with duration and the
// provider's result code. What must never appear — passphrases, OTPs/TOTPs, tokens, keys, base64
// documents — is kept out three ways: we log no bodies and no query strings, pino redacts the known keys,
// and a last filter on every written line replaces any configured secret value that slipped through.
import type { Request, RequestHandler } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { FetchLike } from '../adapters/index.js';

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

/** Replaces every occurrence of a known secret (and its base64/URL-encoded forms) in a written line. */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    // Shorter values would blank ordinary words; config refuses such secrets in live mode.
    if (s.length < 6) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(JSON.stringify(s).slice(1, -1));
    // As a Basic-auth header or a token would carry it. Base64 of a value depends on its alignment in a longer
    // text, so these catch the value encoded on its own.
    forms.add(Buffer.from(s).toString('base64').replace(/=+$/, ''));
    forms.add(Buffer.from(s).toString('base64url'));
  }
  const list = [...forms].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const f of list) if (out.includes(f)) out = out.split(f).join('[redacted]');
    return out;
  };
}

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

/** Reads a provider's result code from a small JSON answer (Peruri resultCode, Digisign result, BSrE status_code). */
async function resultCode(res: Response): Promise<string | undefined> {
  const type = res.headers.get('content-type') ?? '';
  if (!/json|text/i.test(type)) return undefined;
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > 64 * 1024) return undefined;
  try {
    // Read at most 64 KB of a copy: a large answer without Content-Length (chunked) must not be held twice.
    const text = await headOf(res.clone(), 64 * 1024);
    if (text === undefined) return undefined;
    const obj = JSON.parse(text) as Record<string, unknown>;
    const inner = (obj.JSONFile ?? obj) as Record<string, unknown>;
    const code = obj.resultCode ?? inner.result ?? inner.res ?? obj.status_code;
    return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  } catch {
    return undefined;
  }
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
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A fetch for one provider's adapter client that logs each upstream call (never its URL query or body). */
export function loggingFetch(logger: Logger, provider: string, inner: FetchLike = (i, init) => globalThis.fetch(i, init)): FetchLike {
  return async (input, init) => {
    const start = process.hrtime.bigint();
    const base = { provider, method: init.method ?? 'GET', host: hostOf(input), path: safePath(input) };
    try {
      const res = await inner(input, init);
      const code = await resultCode(res);
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
