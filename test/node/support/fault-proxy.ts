// A small HTTP proxy on loopback, put between the companion server and the sandbox providers, that a test
// programs request by request: pass through, answer late, never answer, answer a status without asking the
// provider, let the provider act and then lose, replace, cut or trickle its answer, reset the connection after
// n bytes, add the sandbox's failure headers (X-Sandbox-Fail, X-Sandbox-Delay-Ms) or run a hook first.
// Every request is logged (method, path, status, what was done), so a test can tell how many times a
// provider operation was really reached.
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** Path and query, as received. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request predicate: a substring of the path, a regular expression on it, or a function. */
export type Match = string | RegExp | ((r: ProxiedRequest) => boolean);

export type Fault =
  /** Forward as is. */
  | { kind: 'pass' }
  /** Wait, then forward. */
  | { kind: 'delay'; ms: number }
  /** Never answer (the client gives up). `forward: true` lets the provider act first and swallows its answer. */
  | { kind: 'hang'; forward?: boolean }
  /** Answer this without asking the provider (a gateway error, say). */
  | { kind: 'respond'; status: number; body?: string | Uint8Array; headers?: Record<string, string> }
  /** Let the provider act, then answer this instead of what it said. */
  | { kind: 'replace'; status?: number; body: string | Uint8Array | ((original: Buffer) => string | Uint8Array); headers?: Record<string, string> }
  /** Let the provider act, then answer the first half of its JSON body (complete HTTP framing, unreadable JSON). */
  | { kind: 'malformed-json' }
  /** Let the provider act, send its headers and `afterBytes` bytes of its body, then reset the connection (RST). */
  | { kind: 'reset'; afterBytes: number }
  /** Let the provider act, then send its body in `chunks` pieces `intervalMs` apart (a slow body). */
  | { kind: 'trickle'; chunks: number; intervalMs: number }
  /** Forward with these request headers added (the sandbox's own failure triggers). */
  | { kind: 'inject'; headers: Record<string, string> }
  /** Run `hook`, then forward (change the provider's state mid-flow, e.g. expire its tokens). */
  | { kind: 'before'; hook: (r: ProxiedRequest) => void | Promise<void> };

export interface Rule {
  readonly match: Match;
  readonly fault: Fault;
  /** How many more requests this rule takes (Infinity: all). */
  remaining: number;
  /** Requests this rule took. */
  hits: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  fault: Fault['kind'];
  /** The status the client was sent (undefined: none, the connection was held or reset). */
  status?: number | undefined;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly log: LoggedRequest[];
  /** Adds a rule (first match wins; a used-up rule is skipped). Default: one request. */
  add(match: Match, fault: Fault, times?: number): Rule;
  /** Removes every rule (the log stays). */
  clear(): void;
  /** Logged requests whose path matches. */
  count(match: string | RegExp, method?: string): number;
  close(): Promise<void>;
}

function matches(match: Match, r: ProxiedRequest): boolean {
  if (typeof match === 'string') return r.path.includes(match);
  if (match instanceof RegExp) return match.test(r.path);
  return match(r);
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts a proxy on 127.0.0.1 (a free port) in front of `target` (an origin such as `http://127.0.0.1:4000`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const rules: Rule[] = [];
  const log: LoggedRequest[] = [];
  const sockets = new Set<Socket>();

  /** Sends the request to the provider and reads its whole answer (abandoned if `signal` aborts). */
  const forward = (r: ProxiedRequest, extra: Record<string, string> = {}, signal?: AbortSignal) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
      for (const [k, v] of Object.entries(extra)) headers[k.toLowerCase()] = v;
      headers['content-length'] = String(r.body.byteLength);
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: r.method, path: r.path, headers, agent, ...(signal ? { signal } : {}) },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(r.body);
    });

  const passHeaders = (headers: IncomingHttpHeaders, bodyLength: number, override: Record<string, string> = {}) => {
    const h: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) h[k] = v;
    for (const [k, v] of Object.entries(override)) h[k.toLowerCase()] = v;
    h['content-length'] = String(bodyLength);
    return h;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
    const rule = rules.find((x) => x.remaining > 0 && matches(x.match, r));
    if (rule) {
      rule.remaining--;
      rule.hits++;
    }
    const fault: Fault = rule?.fault ?? { kind: 'pass' };
    // A client that gives up takes the provider call with it (a held sandbox request is released), except
    // where the test wants the provider to act regardless (hang with forward).
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    entry.method = r.method;
    entry.path = r.path;
    entry.fault = fault.kind;
    const answer = (status: number, headers: Record<string, string | string[]>, body: Uint8Array) => {
      entry.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };
    switch (fault.kind) {
      case 'respond': {
        const body = typeof fault.body === 'string' ? Buffer.from(fault.body) : Buffer.from(fault.body ?? new Uint8Array());
        answer(fault.status, { 'content-type': 'application/json', ...fault.headers, 'content-length': String(body.byteLength) }, body);
        return;
      }
      case 'hang':
        if (fault.forward) await forward(r).catch(() => undefined);
        return; // the socket stays open until the client gives up (or the proxy closes)
      default:
        break;
    }
    if (fault.kind === 'delay') await sleep(fault.ms);
    if (fault.kind === 'before') await fault.hook(r);
    const up = await forward(r, fault.kind === 'inject' ? fault.headers : {}, gone.signal);
    switch (fault.kind) {
      case 'replace': {
        const raw = typeof fault.body === 'function' ? fault.body(up.body) : fault.body;
        const body = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw);
        answer(fault.status ?? up.status, passHeaders(up.headers, body.byteLength, fault.headers), body);
        return;
      }
      case 'malformed-json': {
        const body = up.body.subarray(0, Math.max(1, Math.floor(up.body.byteLength / 2)));
        answer(up.status, passHeaders(up.headers, body.byteLength, { 'content-type': 'application/json' }), body);
        return;
      }
      case 'reset': {
        entry.status = undefined;
        res.writeHead(up.status, passHeaders(up.headers, up.body.byteLength));
        res.write(up.body.subarray(0, Math.min(fault.afterBytes, up.body.byteLength)), () => {
          // Give the bytes a moment on the wire, then an RST instead of the rest.
          setTimeout(() => req.socket.resetAndDestroy(), 20);
        });
        return;
      }
      case 'trickle': {
        entry.status = up.status;
        res.writeHead(up.status, passHeaders(up.headers, up.body.byteLength));
        const size = Math.ceil(up.body.byteLength / Math.max(1, fault.chunks));
        for (let at = 0; at < up.body.byteLength; at += size) {
          if (res.destroyed || req.socket.destroyed) return;
          res.write(up.body.subarray(at, at + size));
          if (at + size < up.body.byteLength) await sleep(fault.intervalMs);
        }
        res.end();
        return;
      }
      default:
        answer(up.status, passHeaders(up.headers, up.body.byteLength), up.body);
    }
  }

  const server: Server = createServer((req, res) => {
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', fault: 'pass' };
    log.push(entry);
    handle(req, res, entry).catch(() => {
      // The provider could not be reached, or the client went away: drop the connection.
      entry.status = undefined;
      req.socket.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    log,
    add(match, fault, times = 1) {
      const rule: Rule = { match, fault, remaining: times, hits: 0 };
      rules.push(rule);
      return rule;
    },
    clear() {
      rules.length = 0;
    },
    count(match, method) {
      return log.filter((e) => (method === undefined || e.method === method) && (typeof match === 'string' ? e.path.includes(match) : match.test(e.path)))
        .length;
    },
    close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
