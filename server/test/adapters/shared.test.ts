import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { http, HttpResponse, delay } from 'msw';
import { send, call } from '../../src/providers/shared/transport.js';
import { TokenCache } from '../../src/providers/shared/token-cache.js';
import { ProviderError, InputError, httpError } from '../../src/providers/shared/errors.js';
import type { ProviderRequest } from '../../src/providers/shared/types.js';
import { mockProvider, see, type Seen } from './helpers.js';

const server = mockProvider();
const base = 'https://provider.test';

function req(over: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    provider: 'peruri',
    operation: 'test.op',
    method: 'POST',
    url: `${base}/op`,
    headers: { 'Content-Type': 'application/json' },
    body: { kind: 'json', value: { a: 1 } },
    idempotent: false,
    ...over,
  };
}

describe('transport', () => {
  it('sends JSON with the method, headers and body of the request', async () => {
    let seen: Seen | undefined;
    server.use(
      http.post(`${base}/op`, async ({ request }) => {
        seen = await see(request);
        return HttpResponse.json({ ok: true });
      }),
    );
    const res = await send(req({ headers: { 'Content-Type': 'application/json', 'x-Gateway-APIKey': 'k' } }));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(res.body)), { ok: true });
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.headers.get('x-gateway-apikey'), 'k');
    assert.deepEqual(seen?.json, { a: 1 });
  });

  it('sends multipart with the exact field names, files with name and type, and its own boundary', async () => {
    let seen: Seen | undefined;
    server.use(
      http.post(`${base}/op`, async ({ request }) => {
        seen = await see(request);
        return HttpResponse.json({});
      }),
    );
    await send(
      req({
        headers: { 'Content-Type': 'multipart/form-data' },
        body: {
          kind: 'multipart',
          fields: { jsonfield: '{"JSONFile":{}}' },
          files: [{ field: 'file', filename: 'a.pdf', contentType: 'application/pdf', data: new Uint8Array([37, 80]) }],
        },
      }),
    );
    assert.match(seen?.headers.get('content-type') ?? '', /^multipart\/form-data; boundary=/);
    assert.equal(seen?.form?.get('jsonfield'), '{"JSONFile":{}}');
    const file = seen?.form?.get('file');
    assert.ok(file instanceof File);
    assert.equal(file.name, 'a.pdf');
    assert.equal(file.type, 'application/pdf');
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), new Uint8Array([37, 80]));
  });

  it('sends a form body url-encoded and no body for kind none', async () => {
    const bodies: string[] = [];
    server.use(
      http.all(`${base}/op`, async ({ request }) => {
        bodies.push(await request.text());
        return HttpResponse.json({});
      }),
    );
    await send(req({ headers: {}, body: { kind: 'form', fields: { a: 'b c', d: '&' } } }));
    await send(req({ method: 'GET', headers: {}, body: { kind: 'none' } }));
    assert.deepEqual(bodies, ['a=b+c&d=%26', '']);
  });

  it('turns a timeout into a 504 ProviderError, and does not retry a non-idempotent request', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/op`, async () => {
        calls++;
        await delay(500);
        return HttpResponse.json({});
      }),
    );
    await assert.rejects(send(req(), { timeoutMs: 30, retryDelayMs: 0 }), (err: unknown) => {
      assert.ok(err instanceof ProviderError);
      assert.equal(err.code, 'provider-timeout');
      assert.equal(err.httpStatus, 504);
      assert.equal(err.retryable, false);
      return true;
    });
    assert.equal(calls, 1);
  });

  it('uses the request timeout when no option overrides it', async () => {
    server.use(
      http.post(`${base}/op`, async () => {
        await delay(500);
        return HttpResponse.json({});
      }),
    );
    await assert.rejects(send(req({ timeoutMs: 20 })), { code: 'provider-timeout' });
  });

  it('retries an idempotent request after a timeout and after 503, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/op`, async () => {
        calls++;
        if (calls === 1) {
          await delay(500);
          return HttpResponse.json({});
        }
        if (calls === 2) return new HttpResponse(null, { status: 503 });
        return HttpResponse.json({ n: calls });
      }),
    );
    const res = await send(req({ idempotent: true }), { timeoutMs: 30, retryDelayMs: 0 });
    assert.equal(res.status, 200);
    assert.equal(calls, 3);
  });

  it('gives up after the configured retries and returns the last answer', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/op`, () => {
        calls++;
        return new HttpResponse(null, { status: 502 });
      }),
    );
    const res = await send(req({ idempotent: true }), { retries: 1, retryDelayMs: 0 });
    assert.equal(res.status, 502);
    assert.equal(calls, 2);
  });

  it('never retries a non-idempotent request on 503', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/op`, () => {
        calls++;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    const res = await send(req(), { retryDelayMs: 0 });
    assert.equal(res.status, 503);
    assert.equal(calls, 1);
  });

  it('maps a network failure to provider-unreachable (502)', async () => {
    server.use(http.post(`${base}/op`, () => HttpResponse.error()));
    await assert.rejects(send(req()), (err: unknown) => err instanceof ProviderError && err.code === 'provider-unreachable' && err.httpStatus === 502);
  });

  it('passes the caller abort through untouched', async () => {
    server.use(
      http.post(`${base}/op`, async () => {
        await delay(500);
        return HttpResponse.json({});
      }),
    );
    const ac = new AbortController();
    const p = send(req({ idempotent: true }), { signal: ac.signal, retryDelayMs: 0 });
    setTimeout(() => ac.abort(new Error('stop')), 10);
    await assert.rejects(p, /stop/);
  });

  it('a caller abort during the pause between retries stops the retries', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/op`, () => {
        calls++;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    const ac = new AbortController();
    const p = send(req({ idempotent: true }), { signal: ac.signal, retryDelayMs: 200 });
    setTimeout(() => ac.abort(new Error('cancelled')), 50);
    await assert.rejects(p, /cancelled/);
    assert.equal(calls, 1);
  });

  it('accepts an injected fetch and call() runs the parser', async () => {
    const out = await call(req(), (status, _h, body) => ({ status, text: new TextDecoder().decode(body) }), {
      fetch: async () => new Response('hi', { status: 201 }),
    });
    assert.deepEqual(out, { status: 201, text: 'hi' });
  });
});

describe('errors', () => {
  it('InputError is a TypeError naming the field, ProviderError serialises without cause', () => {
    const e = new InputError('nik', 'nik must be a 16-digit NIK.');
    assert.ok(e instanceof TypeError);
    assert.equal(e.code, 'ERR_INVALID_ARG_VALUE');
    assert.equal(e.field, 'nik');
    const p = new ProviderError({
      code: 'provider-busy',
      provider: 'digisign',
      message: 'm',
      providerCode: '91',
      providerMessage: 'system timeout',
      httpStatus: 504,
      retryable: false,
      retryAfterMs: 600000,
      cause: new Error('secret-ish'),
    });
    assert.deepEqual(p.toJSON(), {
      code: 'provider-busy',
      message: 'm',
      provider: 'digisign',
      providerCode: '91',
      providerMessage: 'system timeout',
      retryable: false,
      retryAfterMs: 600000,
    });
  });
  it('httpError maps 401 to provider-unauthorized and 5xx to retryable', () => {
    assert.equal(httpError('bsre', 'x', 401).code, 'provider-unauthorized');
    assert.equal(httpError('bsre', 'x', 500).retryable, true);
    assert.equal(httpError('bsre', 'x', 400).retryable, false);
    assert.equal(httpError('bsre', 'x', 400).httpStatus, 502);
  });
});

describe('TokenCache', () => {
  it('reuses a token until shortly before it expires, then refreshes', async () => {
    let now = 0;
    let n = 0;
    const cache = new TokenCache({ now: () => now, refreshMarginMs: 1000, fetchToken: async () => ({ token: `t${++n}`, expiresAt: now + 10_000 }) });
    assert.equal(await cache.get(), 't1');
    now = 8_999;
    assert.equal(await cache.get(), 't1');
    now = 9_000;
    assert.equal(await cache.get(), 't2');
  });

  it('single-flight: concurrent callers share one refresh', async () => {
    let n = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = new TokenCache({
      fetchToken: async () => {
        n++;
        await gate;
        return { token: `t${n}`, expiresAt: Date.now() + 60 * 60_000 };
      },
    });
    const all = Promise.all(Array.from({ length: 10 }, () => cache.get()));
    release();
    assert.deepEqual(await all, Array(10).fill('t1'));
    assert.equal(n, 1);
  });

  it('a failed refresh is reported to every waiter and the next call tries again', async () => {
    let n = 0;
    const cache = new TokenCache({
      fetchToken: async () => {
        n++;
        if (n === 1) throw new Error('down');
        return { token: 'ok', expiresAt: Date.now() + 3_600_000 };
      },
    });
    const results = await Promise.allSettled([cache.get(), cache.get()]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(await cache.get(), 'ok');
    assert.equal(n, 2);
  });

  it('withToken refreshes once on 401 and concurrent 401s cause a single refresh', async () => {
    let n = 0;
    const cache = new TokenCache({
      fetchToken: async () => {
        n++;
        await delay(5);
        return { token: `t${n}`, expiresAt: Date.now() + 3_600_000 };
      },
    });
    const unauthorized = () => new ProviderError({ code: 'provider-unauthorized', provider: 'peruri', message: 'no', httpStatus: 502, retryable: false });
    const used: string[] = [];
    const work = (token: string) => {
      used.push(token);
      return token === 't1' ? Promise.reject(unauthorized()) : Promise.resolve(token);
    };
    await cache.get();
    const out = await Promise.all([cache.withToken(work), cache.withToken(work), cache.withToken(work)]);
    assert.deepEqual(out, ['t2', 't2', 't2']);
    assert.equal(n, 2);
  });

  it('withToken passes a second 401 on, and other errors untouched without refresh', async () => {
    let n = 0;
    const cache = new TokenCache({ fetchToken: async () => ({ token: `t${++n}`, expiresAt: Date.now() + 3_600_000 }) });
    const unauthorized = new ProviderError({ code: 'provider-unauthorized', provider: 'peruri', message: 'no', httpStatus: 502, retryable: false });
    await assert.rejects(
      cache.withToken(() => Promise.reject(unauthorized)),
      { code: 'provider-unauthorized' },
    );
    assert.equal(n, 2);
    await assert.rejects(
      cache.withToken(() => Promise.reject(new Error('other'))),
      /other/,
    );
    assert.equal(n, 2);
  });
});
