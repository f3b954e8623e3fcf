// The request inspector's recorder (sandbox mode only): every call the companion makes to a provider while
// answering one API request is recorded — method, URL, headers and bodies, redacted (redact.ts) — and the
// portal user who made the request can read it back (GET /api/traces/:id, http/routes/traces.ts, named by the
// X-Esign-Trace header). The demo shows it beside each step, so that a developer learns each provider's API
// by watching it.
//
// The trace travels with the request through AsyncLocalStorage, so the adapters stay unaware of it: the
// provider's fetch (providers/index.ts) appends to whatever trace is current, and does nothing outside one.
// Nothing here knows HTTP servers: building the live providers loads this module, never the route.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { FetchLike } from '../providers/shared/transport.js';
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
  if (!/json|text|xml|html/i.test(type))
    return Number.isFinite(length)
      ? { kind: 'binary', type: type || 'application/octet-stream', size: length }
      : { kind: 'binary', type: type || 'application/octet-stream', size: -1 };
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

  /** Starts a trace of one API request, kept for `owner` (the last `capacity` traces are kept). */
  start(request: { method: string; path: string }, owner: string): Trace {
    const trace: Trace = { id: randomUUID(), method: request.method, path: request.path, startedAt: new Date().toISOString(), exchanges: [] };
    this.held.set(trace.id, { owner, trace });
    while (this.held.size > this.capacity) this.held.delete(this.held.keys().next().value!);
    return trace;
  }

  /** Runs `fn` (the rest of the request) inside `trace`: the provider calls it makes are recorded there. */
  run<T>(trace: Trace, fn: () => T): T {
    return current.run(trace, fn);
  }

  /** The request is over: a trace of a request that reached no provider (reading a trace, health) is dropped. */
  finish(trace: Trace): void {
    if (trace.exchanges.length === 0) this.held.delete(trace.id);
  }

  /** The trace as its owner may read it: configured secret values scrubbed once more, whatever field held them. */
  read(id: string, owner: string): Trace | undefined {
    const held = this.held.get(id);
    if (!held || held.owner !== owner) return undefined;
    return JSON.parse(this.scrub(JSON.stringify(held.trace))) as Trace;
  }
}
