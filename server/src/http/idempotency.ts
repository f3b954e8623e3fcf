// The Idempotency-Key header of every route that signs or sends a document (a route says `idempotent: true`
// where it is described; openapi/registry.ts puts this handler first). As payment APIs have it: the same key
// and the same request answer the first outcome again (with `Idempotent-Replayed: true`), the same key with
// another request is refused (422), a request still running on any instance is answered 409 "in progress" with
// Retry-After — so the provider is called once however often a portal retries. Keys are the portal user's
// (two users' keys never meet) and live in the state store for 24 h (store/idempotency.ts).
//
// Only a successful answer (2xx) is kept: after an error the key is released and the same request may be sent
// again with it — resuming from the progress its route recorded, if any (progressOf, store/idempotency.ts release) (an error answer here means the provider did not sign, or — a signed but not yet stored Peruri
// order — the answer is itself a 201 that says so). A request without the header runs as before.
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../log/logger.js';
import { IDEMPOTENCY_KEY, requestFingerprint, type IdempotencyStore } from '../store/idempotency.js';
import { userOf } from './auth.js';
import { HttpError } from './errors.js';
import type { UploadedPart } from './uploads.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** How often a running request renews its hold on the key (the store's lease is 2 minutes by default). */
const RENEW_EVERY_MS = 30_000;

/**
 * The SHA-256 of what the request asks for: its path parameters, its fields (JSON or multipart, keys sorted)
 * and each file part by field, name and content — not the multipart framing, whose boundary changes with
 * every sending of the same form.
 */
export function requestDigest(req: Request): string {
  const files = (req.files ?? {}) as Record<string, UploadedPart[]> | UploadedPart[];
  // Each part's SHA-256 was computed while it arrived (uploads.ts): a spooled PDF is not read again for it.
  const parts = (Array.isArray(files) ? files : Object.values(files).flat()).map((f) => [f.fieldname, f.originalname, f.sha256]);
  return createHash('sha256')
    .update(canonical({ params: req.params, body: req.body ?? null, files: parts }))
    .digest('hex');
}

/** JSON with object keys sorted, so that the order a client wrote its fields in does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A signing's progress under its Idempotency-Key: what a request that stopped half-way recorded (`resumed`:
 * an instance died, or the request failed after the provider acted), and how a route records a step the
 * provider cannot be asked twice for (BSrE cloud: its id_signed once signed, so that a retry downloads the
 * signed document instead of signing again). Without the header, nothing is resumed and nothing recorded.
 */
export interface SigningProgress {
  resumed: unknown;
  record(step: unknown): Promise<void>;
}

const PROGRESS = 'idempotencyProgress';
const NO_PROGRESS: SigningProgress = { resumed: undefined, record: async () => undefined };

/** The request's SigningProgress (a no-op one when it carries no Idempotency-Key). */
export function progressOf(res: Response): SigningProgress {
  return (res.locals[PROGRESS] as SigningProgress | undefined) ?? NO_PROGRESS;
}

/** The handler for the route `route` (its pattern, e.g. `/api/peruri/documents/:orderId/signatures`). */
export function idempotent(store: IdempotencyStore, route: string, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) return next();
    if (!IDEMPOTENCY_KEY.test(key))
      return next(new HttpError('invalid-input', `${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters.`, IDEMPOTENCY_HEADER));
    const user = userOf(req);
    run(store, route, logger, user, key, req, res, next).catch(next);
  };
}

async function run(store: IdempotencyStore, route: string, logger: Logger, user: string, key: string, req: Request, res: Response, next: NextFunction) {
  const begun = await store.begin(user, key, requestFingerprint(req.method, route, requestDigest(req)));
  if (begun.state === 'mismatch') {
    throw new HttpError(
      'idempotency-key-reused',
      `This ${IDEMPOTENCY_HEADER} was used for a different request; use a new key for a new request.`,
      IDEMPOTENCY_HEADER,
    );
  }
  if (begun.state === 'in-flight') {
    const err = new HttpError(
      'request-in-progress',
      `A request with this ${IDEMPOTENCY_HEADER} is still in progress; retry it later for its outcome.`,
      IDEMPOTENCY_HEADER,
    );
    err.retryAfterSeconds = Math.max(1, Math.ceil(begun.retryAfterMs / 1000));
    throw err;
  }
  if (begun.state === 'done') {
    res.set('Idempotent-Replayed', 'true').status(begun.outcome.status).json(begun.outcome.body);
    return;
  }
  // Started: the first answer (success or error, from the route or the error handler) settles the key before
  // it is sent, so that a retry arriving right after it finds the outcome.
  // A long signing (a large PDF, a slow provider) keeps the key: an instance that dies stops renewing it, and
  // after the lease the next request with the key runs.
  // The route's progress (progressOf): renewing the lease keeps the latest one, never an older one.
  let progress = begun.resumed;
  const renew = setInterval(() => {
    store.checkpoint(user, key, begun.lease, progress).catch(() => undefined);
  }, RENEW_EVERY_MS).unref();
  const tracker: SigningProgress = {
    resumed: begun.resumed,
    async record(step: unknown) {
      progress = step;
      if (!(await store.checkpoint(user, key, begun.lease, step)))
        logger.warn({ route }, 'the Idempotency-Key was taken over by another request: progress not recorded');
    },
  };
  res.locals[PROGRESS] = tracker;
  const send = res.json.bind(res);
  let settled = false;
  res.json = (body: unknown) => {
    if (settled) return send(body);
    settled = true;
    clearInterval(renew);
    const status = res.statusCode;
    const settle = status >= 200 && status < 300 ? store.finish(user, key, begun.lease, { status, body }) : store.release(user, key, begun.lease);
    settle.then(
      () => send(body),
      (err: unknown) => {
        // The outcome happened; only its record failed. Answer it anyway (a retry may then run again).
        logger.warn({ err: { message: (err as Error).message } }, 'the Idempotency-Key outcome could not be recorded');
        send(body);
      },
    );
    return res;
  };
  next();
}
