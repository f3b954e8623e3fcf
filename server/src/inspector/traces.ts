// The request inspector (sandbox mode only): every call the companion makes to a provider while answering
// one API request is recorded — method, URL, headers and bodies, redacted (redact.ts) — and the portal user
// who made the request can read it back at GET /api/traces/:id, named by the X-Esign-Trace header. The
// demo shows it beside each step, so that a developer learns each provider's API by watching it.
//
// The trace travels with the request through AsyncLocalStorage, so the adapters stay unaware of it: the
// provider's fetch (providers/index.ts) appends to whatever trace is current, and does nothing outside one.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { FetchLike } from '../providers/adapters.js';
import { HttpError } from '../http/errors.js';
import { userOf } from '../http/auth.js';
import { headOf, secretScrubber } from '../log/logger.js';
import { redactHeaders, redactUrl, requestBody, textBody, type BodyView } from './redact.js';

export interface Exchange {
  provider: string;
  method: string;
  url: string;
  request: { headers: Record<string, string>; body: BodyView };
  response?: { status: number; headers: Record<string, string>; body: BodyView };
  /** Why no response arrived (a timeout, a reset connection…). */
  failure?: string;
  startedAt: string;
  durationMs: number;
}

export interface Trace {
  id: string;
  method: string;
  path: string;
  startedAt: string;
  exchanges: Exchange[];
}

interface Held {
  owner: string;
  trace: Trace;
}

const current = new AsyncLocalStorage<Trace>();

/** JSON and text answers up to this size are shown (redacted); larger ones, and PDFs, by type and size. */
const MAX_READ = 4 * 1024 * 1024;

function headerList(h: RequestInit['headers']): [string, string][] {
  if (!h) return [];
  if (h instanceof Headers) return [...h.entries()];
  if (Array.isArray(h)) return h.map(([k, v]) => [String(k), String(v)]);
  return Object.entries(h).map(([k, v]) => [k, String(v)]);
}

async function responseBody(res: Response): Promise<BodyView> {
  const type = res.headers.get('content-type') ?? '';
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (!/json|text|xml|html/i.test(type)) return Number.isFinite(length) ? { kind: 'binary', type: type || 'application/octet-stream', size: length } : { kind: 'binary', type: type || 'application/octet-stream', size: -1 };
  if (length > MAX_READ) return { kind: 'text', text: `[${length} bytes of ${type}, not shown]` };
  try {
    // A bounded read of a copy: an answer without Content-Length may be a large base64 document.
    const text = await headOf(res.clone(), MAX_READ);
    return text === undefined ? { kind: 'text', text: `[more than ${MAX_READ} bytes of ${type}, not shown]` } : textBody(text, type);
  } catch {
    return { kind: 'text', text: '[the body could not be read]' };
  }
}

/** Wraps a provider's fetch: inside a traced request each call is recorded; outside one, it only passes through. */
export function recordingFetch(provider: string, inner: FetchLike): FetchLike {
  return async (input, init) => {
    const trace = current.getStore();
    if (!trace) return inner(input, init);
    const start = Date.now();
    const type = headerList(init.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    const exchange: Exchange = {
      provider,
      method: init.method ?? 'GET',
      url: redactUrl(input),
      request: { headers: redactHeaders(headerList(init.headers)), body: requestBody(init.body, type) },
      startedAt: new Date(start).toISOString(),
      durationMs: 0,
    };
    trace.exchanges.push(exchange);
    try {
      const res = await inner(input, init);
      exchange.response = { status: res.status, headers: redactHeaders(res.headers.entries()), body: await responseBody(res) };
      return res;
    } catch (err) {
      const e = err as { name?: string; code?: string; cause?: { code?: string } };
      exchange.failure = e.cause?.code ?? e.code ?? e.name ?? 'error';
      throw err;
    } finally {
      exchange.durationMs = Date.now() - start;
    }
  };
}

/** The last `capacity` traces, each readable by the portal user whose request made it. */
export class TraceStore {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly capacity = 200,
    secrets: readonly string[] = [],
  ) {
    this.scrub = secretScrubber(secrets);
  }

  private readonly scrub: (text: string) => string;

  /** Starts a trace for each API request and runs the rest of the request inside it. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const trace: Trace = { id: randomUUID(), method: req.method, path: req.path, startedAt: new Date().toISOString(), exchanges: [] };
      // Requests that reach no provider (reading a trace, health) keep no trace: only calls that teach something.
      res.on('finish', () => {
        if (trace.exchanges.length === 0) this.held.delete(trace.id);
      });
      this.held.set(trace.id, { owner: userOf(req), trace });
      while (this.held.size > this.capacity) this.held.delete(this.held.keys().next().value!);
      res.setHeader('X-Esign-Trace', trace.id);
      current.run(trace, next);
    };
  }

  /** The trace as its owner may read it: configured secret values scrubbed once more, whatever field held them. */
  read(id: string, owner: string): Trace | undefined {
    const held = this.held.get(id);
    if (!held || held.owner !== owner) return undefined;
    return JSON.parse(this.scrub(JSON.stringify(held.trace))) as Trace;
  }

  router(): Router {
    const r = Router();
    r.get('/traces/:id', (req, res) => {
      const trace = this.read(req.params.id ?? '', userOf(req));
      // Someone else's trace answers like a missing one: ids are not to be probed.
      if (!trace) throw new HttpError('not-found', 'No such trace (traces are kept for the last 200 requests, for the user who made them).', 'id');
      res.json(trace);
    });
    return r;
  }
}
