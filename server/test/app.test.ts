import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import express, { type Express } from 'express';
import { createApp } from '../src/app.js';
import { signPortalToken } from '../src/auth/jwt.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log/logger.js';
import { apiRegistryOf, ApiRegistry } from '../src/http/openapi/registry.js';

/** Every route the companion answers (sandbox mode): the OpenAPI document and the router stack must list exactly these. */
const OPENAPI_ROUTES = [
  'GET /api/health',
  'GET /api/openapi.json',
  'GET /api/calibration.pdf',
  'POST /api/tokens',
  'GET /api/traces/{id}',
  'GET /api/providers',
  'POST /api/documents',
  'GET /api/documents/{id}',
  'GET /api/documents/{id}/meta',
  'POST /api/bsre/users/status',
  'POST /api/bsre/users',
  'POST /api/bsre/totp',
  'POST /api/bsre/signatures',
  'POST /api/bsre/downloads',
  'POST /api/bsre/signatures/bulk',
  'POST /api/bsre/seals/activation',
  'POST /api/bsre/seals/activation/refresh',
  'POST /api/bsre/seals/activation/revoke',
  'POST /api/bsre/seals/totp',
  'POST /api/bsre/seals',
  'POST /api/peruri/users',
  'POST /api/peruri/users/specimen',
  'POST /api/peruri/users/certificate',
  'POST /api/peruri/users/activation',
  'POST /api/peruri/documents',
  'POST /api/peruri/documents/{orderId}/otp',
  'POST /api/peruri/documents/{orderId}/signatures',
  'GET /api/peruri/documents/{orderId}/status',
  'GET /api/peruri/documents/{orderId}',
  'POST /api/peruri/users/video',
  'POST /api/peruri/tiers',
  'POST /api/peruri/tiers/{orderId}/signatures',
  'POST /api/peruri/documents/bulk',
  'POST /api/peruri/documents/{orderId}/placement',
  'POST /api/peruri/batches',
  'POST /api/peruri/batches/{batchId}/signatures',
  'POST /api/peruri/system/key',
  'POST /api/peruri/system/signatures',
  'POST /api/digisign/users',
  'POST /api/digisign/users/contact',
  'POST /api/digisign/documents',
  'POST /api/digisign/documents/{digisignDocumentId}/download',
  'POST /api/webviews',
  'POST /api/webviews/confirmations',
  'GET /api/flows',
  'GET /api/flows/{id}',
  'GET /api/webhooks/events/{id}',
  'POST /api/webhooks/events/{id}/replay',
  'POST /api/verify',
  'GET /api/trust/roots',
  'GET /callback/digisign',
  'GET /callback/digisign/{flow}',
] as const;

/** Every METHOD /path the app routes, read from Express's router stack (the /api router is mounted at /api). */
function routesOf(app: Express, skip: unknown): string[] {
  const out: string[] = [];
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route)
        for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${prefix}${String(layer.route.path).replace(/:(\w+)/g, '{$1}')}`);
      else if (layer.handle?.stack && layer.handle !== skip)
        walk(layer.handle.stack, prefix === '' && layer.handle.stack.some((l: any) => l.route?.path === '/openapi.json') ? '/api' : prefix);
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

  it('describes every route it answers where the route is added: the router stack equals the registry, each with a summary', async () => {
    const registry = apiRegistryOf(app);
    const undescribed = routesOf(app, sandbox).filter((route) => !registry.routes().includes(route));
    assert.deepEqual(undescribed, [], `routes added without a description: ${undescribed.join(', ')}`);
    assert.deepEqual([...registry.routes()].sort(), [...new Set(routesOf(app, sandbox))].sort());
    const doc = (await (await fetch(`${base}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(op.summary && op.summary.trim().length > 10, `${method.toUpperCase()} ${path} has a summary`);
        assert.ok(
          Object.keys(op.responses ?? {}).some((status) => /^2\d\d$/.test(status)),
          `${method.toUpperCase()} ${path} documents its answer`,
        );
      }
    }
  });

  it('generates a document that the OpenAPI 3.1 schema accepts, every $ref resolving (an independent validator)', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    assert.equal(validator.version, '3.1');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(refs.length > 50);
    for (const ref of new Set(refs)) {
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      assert.ok(target, `${ref} resolves`);
    }
    // The components zod's schemas with an id became: the neutral box, profile overrides, stored document, error.
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    for (const id of ['Box', 'ProfileOverrides', 'StoredDocument', 'Error']) assert.ok(schemas[id], id);
  });

  it('documents the Idempotency-Key header, 409 and 422 on every route that signs or sends a document, and on no other', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
    };
    const withHeader = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header'))
        .map(([method, op]) => {
          assert.ok(op.responses['409'] && op.responses['422'], `${method} ${path} documents 409 and 422`);
          return `${method.toUpperCase()} ${path}`;
        }),
    );
    assert.deepEqual(withHeader.sort(), [
      'POST /api/bsre/seals',
      'POST /api/bsre/signatures',
      'POST /api/bsre/signatures/bulk',
      'POST /api/digisign/documents',
      'POST /api/peruri/batches/{batchId}/signatures',
      'POST /api/peruri/documents',
      'POST /api/peruri/documents/bulk',
      'POST /api/peruri/documents/{orderId}/signatures',
      'POST /api/peruri/system/signatures',
      'POST /api/peruri/tiers',
      'POST /api/peruri/tiers/{orderId}/signatures',
    ]);
  });

  it('docs/configuration.md lists every route in its route reference, with the same method and path', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)), 'utf8');
    const table = doc.slice(doc.indexOf('## Route reference'));
    const listed = [...table.matchAll(/^\| (GET|POST) \| `([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual([...listed].sort(), [...OPENAPI_ROUTES].sort());
  });

  it('finds a route added to a router without a description', () => {
    // The check above, on an app with one route added behind the registry's back: it must be reported.
    const registry = new ApiRegistry();
    const described = registry.router('/api');
    described.get({ path: '/described', tag: 'system', summary: 'A described route', answers: { 200: { description: 'ok' } } }, (_req, res) => void res.end());
    const api = described.router;
    api.get('/undescribed', (_req, res) => void res.end());
    api.get('/openapi.json', (_req, res) => void res.end());
    const probe = express();
    probe.use('/api', api);
    const undescribed = routesOf(probe, undefined).filter((route) => !registry.routes().includes(route));
    assert.deepEqual(undescribed, ['GET /api/undescribed', 'GET /api/openapi.json']);
    assert.throws(
      () =>
        described.get(
          { path: '/x/:id', tag: 'system', summary: 'A route whose parameter is not described', answers: { 200: { description: 'ok' } } },
          (_req, res) => void res.end(),
        ),
      /path parameter id/,
    );
    assert.throws(
      () => described.get({ path: '/y', tag: 'system', summary: ' ', answers: { 200: { description: 'ok' } } }, (_req, res) => void res.end()),
      /no summary/,
    );
  });
});
