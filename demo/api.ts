// The demo's one way to call the companion server: a sandbox token (a real portal mints it in its backend),
// JSON or multipart bodies, errors as readable text with the provider's own code and words, and — after each
// call — the provider requests the companion made for it, fetched from the request inspector and shown.
import { showTrace, type Trace } from './inspector.js';

let cached: Promise<string> | undefined;
/** People the demo registers, beyond the sandbox's demo users: their tokens must name them too. */
const extra = { nik: [] as string[], email: [] as string[] };

/**
 * A portal token from the sandbox's loopback-only route (a live portal's backend signs its own). It names the
 * provider identities the demo may act as ("esign:nik", "esign:email": every demo user, and anyone added with
 * actAlsoAs) and the org scope; the server refuses to act as anyone else.
 */
export function token(): Promise<string> {
  cached ??= (async () => {
    const res = await fetch('/api/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'demo', ...extra }),
    });
    if (!res.ok) throw new Error('No sandbox token (is the server in sandbox mode, on this machine?)');
    return ((await res.json()) as { token: string }).token;
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}

/** Lets the demo's next tokens act as a person it is about to register (a real portal knows its own user). */
export function actAlsoAs(person: { nik?: string; email?: string }): void {
  // Only well-formed ones (a mistyped value is refused by the API call itself, naming its field); the last 20.
  const add = (list: string[], value: string | undefined, shape: RegExp) => {
    if (!value || !shape.test(value) || list.includes(value)) return false;
    list.push(value);
    if (list.length > 20) list.shift();
    return true;
  };
  const nik = add(extra.nik, person.nik, /^\d{16}$/);
  const email = add(extra.email, person.email, /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  if (nik || email) cached = undefined;
}

export interface ApiError {
  code?: string;
  message?: string;
  field?: string;
  provider?: { code?: string; message?: string };
}

export class DemoApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    const provider = error.provider ? ` (${error.provider.code ?? ''}: ${error.provider.message ?? ''})` : '';
    super(`${error.code ?? status}${error.field ? ` [${error.field}]` : ''}: ${error.message ?? ''}${provider}`);
  }
}

/** Calls the companion API; `step` names the call in the request inspector. */
export async function api<T = Record<string, any>>(step: string, method: string, path: string, body?: FormData | Record<string, unknown>): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${await token()}` };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const json = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as Record<string, any>) : {};
  void inspect(step, `${method} ${path}`, res);
  if (!res.ok) throw new DemoApiError(res.status, (json.error ?? {}) as ApiError);
  return json as T;
}

/** Fetches the trace of a call (sandbox mode records every provider request) and hands it to the inspector. */
async function inspect(step: string, call: string, res: Response) {
  const id = res.headers.get('x-esign-trace');
  let trace: Trace | undefined;
  if (id) {
    const answer = await fetch(`/api/traces/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${await token()}` } });
    if (answer.ok) trace = (await answer.json()) as Trace;
  }
  showTrace({ step, call, status: res.status, ...(trace ? { trace } : {}) });
}

/** Downloads a stored document (the signed PDF) as bytes. */
export async function documentBytes(id: string): Promise<Uint8Array> {
  const res = await fetch(`/api/documents/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${await token()}` } });
  if (!res.ok) throw new Error(`The signed document could not be read (HTTP ${res.status}).`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The newest one-time code the sandbox "sent" to someone (the sandbox inbox; a real user reads their phone). */
export async function inboxCode(provider: string, to: string | undefined, after: number): Promise<string | undefined> {
  const query = new URLSearchParams({ provider, ...(to ? { to } : {}) });
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`/sandbox/inbox.json?${query}`);
    if (res.ok) {
      const { messages } = (await res.json()) as { messages: { code?: string; at: string }[] };
      // Newest first; a code sent before this step began belongs to an earlier step.
      const fresh = messages.find((m) => m.code && Date.parse(m.at) >= after);
      if (fresh?.code) return fresh.code;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}
