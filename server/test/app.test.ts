import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express, { type Express } from 'express';
import { createApp } from '../src/app.js';
import { signPortalToken } from '../src/auth/jwt.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log/logger.js';
import { OPENAPI_ROUTES } from '../src/http/openapi.js';

/** Every METHOD /path the app routes, read from Express's router stack (the /api router is mounted at /api). */
function routesOf(app: Express, skip: unknown): string[] {
  const out: string[] = [];
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${prefix}${String(layer.route.path).replace(/:(\w+)/g, '{$1}')}`);
      else if (layer.handle?.stack && layer.handle !== skip) walk(layer.handle.stack, prefix === '' && layer.handle.stack.some((l: any) => l.route?.path === '/openapi.json') ? '/api' : prefix);
    }
  };
  walk((app as any).router.stack, '');
  return out;
}

describe('companion server', () => {
  let base: string;
  let close: () => void;
  let demoDir: string;
  let dataDir: string;
  let token: string;
  let app: Express;
  let sandbox: express.Router;
  before(async () => {
    demoDir = mkdtempSync(join(tmpdir(), 'esign-demo-'));
    dataDir = mkdtempSync(join(tmpdir(), 'esign-data-'));
    writeFileSync(join(demoDir, 'index.html'), '<!doctype html><title>demo</title><h1>converter</h1>');
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' });
    token = signPortalToken({ sub: 'u' }, config.portalSecret);
    sandbox = express.Router();
    sandbox.get('/ping', (_req, res) => void res.json({ sandbox: true }));
    app = createApp({ config, version: '9.9.9', demoDir, logger: createLogger({ level: 'silent' }), mountSandbox: (a) => a.use('/sandbox', sandbox) });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => {
    close();
    rmSync(demoDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('GET /api/health answers ok with the mode', async () => {
    const res = await fetch(`${base}/api/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.status, 'ok');
    assert.equal(body.mode, 'sandbox');
    assert.equal(body.version, '9.9.9');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-powered-by'), null);
  });

  it('serves the demo page', async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /converter/);
  });

  it('mounts the sandbox through the hook, outside /api authentication', async () => {
    const res = await fetch(`${base}/sandbox/ping`);
    assert.deepEqual(await res.json(), { sandbox: true });
  });

  it('answers an unknown API route with a JSON 404 (after authentication)', async () => {
    const res = await fetch(`${base}/api/nope`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: { code: 'not-found', message: 'No API route GET /api/nope.' } });
  });

  it('/api/providers lists the sandbox providers and their web-view origins, no secret', async () => {
    const res = await fetch(`${base}/api/providers`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    const body = JSON.parse(text);
    assert.equal(body.mode, 'sandbox');
    assert.equal(body.providers.bsre.configured, true);
    assert.equal(body.providers.peruri.configured, true);
    assert.equal(body.providers.digisign.configured, true);
    const creds = loadConfig({ DATA_DIR: dataDir, PORT: '0' }).sandbox!.credentials;
    for (const v of Object.values(creds)) if (v.length > 16 || /[0-9a-f]{16}/.test(v)) assert.ok(!text.includes(v));
  });

  it('documents every route in OpenAPI 3.1, and documents no route that does not exist', async () => {
    const res = await fetch(`${base}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, '3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    assert.deepEqual([...documented].sort(), [...OPENAPI_ROUTES].sort());
    assert.deepEqual([...new Set(routesOf(app, sandbox))].sort(), [...OPENAPI_ROUTES].sort());
  });
});
