import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { FetchLike } from '../../src/providers/adapters.js';
import { errorHandler } from '../../src/http/errors.js';
import { ApiRegistry } from '../../src/http/openapi/registry.js';
import { traceRequests, tracesRouter } from '../../src/http/routes/traces.js';
import { recordingFetch, TraceStore, type Trace } from '../../src/inspector/recorder.js';
import { createLogger } from '../../src/log/logger.js';

const PLANTED = 'planted-secret-UNIQUE-4d2e91';

/** A provider answering like BSrE v2, echoing the planted secret where a careless provider might. */
const provider: FetchLike = async (_input, init) => {
  if (init.method === 'DELETE') throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
  if (init.method === 'PUT') {
    // A large JSON answer without Content-Length (chunked), like a base64 document could be.
    const chunk = new TextEncoder().encode('A'.repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => (sent++ < 5 ? c.enqueue(chunk) : c.close()) });
    return new Response(body, { headers: { 'content-type': 'application/json' } });
  }
  return new Response(JSON.stringify({ file: [Buffer.alloc(600).toString('base64')], message: `ok ${PLANTED}` }), {
    headers: { 'content-type': 'application/json' },
  });
};

describe('request inspector traces', () => {
  const store = new TraceStore(3, [PLANTED]);
  const fetchProvider = recordingFetch('bsre', provider);
  let base = '';
  let close = () => {};

  before(async () => {
    const app = express();
    // Stands in for requireAuth: the tests name the portal user in a header.
    app.use((req, _res, next) => {
      (req as unknown as { portalUser?: string }).portalUser = req.header('x-user') ?? 'anonymous';
      next();
    });
    app.use(traceRequests(store));
    app.use(tracesRouter({ api: new ApiRegistry() }, store));
    app.post('/sign', async (req, res) => {
      await fetchProvider('https://bsre.test/api/v2/sign/pdf?apiKey=k', {
        method: 'POST',
        headers: { authorization: 'Basic dXNlcjpwYXNz', 'content-type': 'application/json' },
        body: JSON.stringify({ nik: '3171000000000001', passphrase: PLANTED }),
      });
      await fetchProvider('https://bsre.test/api/v2/x', { method: 'DELETE' }).catch(() => undefined);
      if (req.header('x-large'))
        assert.equal((await (await fetchProvider('https://bsre.test/big', { method: 'PUT' })).arrayBuffer()).byteLength, 5 * 1024 * 1024);
      res.json({ done: true, user: req.header('x-user') });
    });
    app.get('/quiet', (_req, res) => void res.json({}));
    app.use(errorHandler(createLogger({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());

  const sign = (user: string) => fetch(`${base}/sign`, { method: 'POST', headers: { 'x-user': user } });
  const read = (id: string, user: string) => fetch(`${base}/traces/${id}`, { headers: { 'x-user': user } });

  it('records every provider call of a request, redacted, for the user who made it', async () => {
    const res = await sign('alice');
    const id = res.headers.get('x-esign-trace')!;
    assert.match(id, /^[0-9a-f-]{36}$/);
    const trace = (await (await read(id, 'alice')).json()) as Trace;
    assert.equal(trace.method, 'POST');
    assert.equal(trace.path, '/sign');
    assert.equal(trace.exchanges.length, 2);
    const [call, failed] = trace.exchanges;
    assert.equal(call!.url, 'https://bsre.test/api/v2/sign/pdf?apiKey=[redacted]');
    assert.equal(call!.request.headers.authorization, 'Basic [redacted]');
    assert.deepEqual(call!.request.body, { kind: 'json', value: { nik: '3171000000000001', passphrase: '[redacted]' } });
    assert.equal(call!.response?.status, 200);
    assert.deepEqual(call!.response?.body, { kind: 'json', value: { file: ['[base64, 600 B]'], message: 'ok [redacted]' } });
    assert.equal(failed!.failure, 'ECONNRESET');
    assert.equal(failed!.response, undefined);
    assert.ok(!JSON.stringify(trace).includes(PLANTED));
  });

  it('shows a large answer without Content-Length by its size, reading no more of it than the limit', async () => {
    const res = await fetch(`${base}/sign`, { method: 'POST', headers: { 'x-user': 'carol', 'x-large': '1' } });
    assert.equal(res.status, 200);
    const trace = (await (await read(res.headers.get('x-esign-trace')!, 'carol')).json()) as Trace;
    assert.deepEqual(trace.exchanges[2]!.response?.body, { kind: 'text', text: '[more than 4194304 bytes of application/json, not shown]' });
  });

  it('answers 404 to anyone but the owner, and for requests that called no provider', async () => {
    const id = (await sign('alice')).headers.get('x-esign-trace')!;
    const other = await read(id, 'mallory');
    assert.equal(other.status, 404);
    assert.equal(((await other.json()) as { error: { field: string } }).error.field, 'id');
    const quiet = (await fetch(`${base}/quiet`, { headers: { 'x-user': 'alice' } })).headers.get('x-esign-trace')!;
    assert.equal((await read(quiet, 'alice')).status, 404);
  });

  it('keeps only the most recent traces', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await sign('bob')).headers.get('x-esign-trace')!);
    assert.equal((await read(ids[0]!, 'bob')).status, 404);
    assert.equal((await read(ids[3]!, 'bob')).status, 200);
  });

  it('passes calls made outside a request straight through', async () => {
    const res = await fetchProvider('https://bsre.test/x', { method: 'GET' });
    assert.equal(res.status, 200);
  });
});
