// The self-hosted elements at /esign-kit/, mounted on a bare Express app: CORS for the portal origins only,
// immutable caching for content-hashed chunks, revalidation for stable names, JavaScript MIME types, no
// directory listing, and a plain 404 when the build is missing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { ELEMENTS_DIR, elementsBundle } from '../../src/http/elements-bundle.js';

const PORTAL = 'https://portal.test';

describe('elementsBundle (/esign-kit/)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esign-bundle-'));
  let server: Server;
  let base = '';

  before(async () => {
    writeFileSync(join(dir, 'esign-kit.js'), 'export const kit = 1;\n');
    writeFileSync(join(dir, 'pdf.D-VV5J2W.js'), 'export const pdf = 1;\n');
    writeFileSync(join(dir, 'pdf.worker.min.mjs'), 'self.onmessage = () => {};\n');
    writeFileSync(join(dir, 'integrity.json'), '{}\n');
    writeFileSync(join(dir, '.secret'), 'no');
    mkdirSync(join(dir, 'sub'));
    const app = express();
    app.use('/esign-kit', elementsBundle(dir, { origins: [PORTAL] }));
    app.use('/missing', elementsBundle(join(dir, 'not-built'), { origins: [PORTAL] }));
    app.use((_req, res) => res.status(418).send('fell through'));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves an entry as JavaScript, revalidated on each use, with CORS for a portal origin', async () => {
    const res = await fetch(`${base}/esign-kit/esign-kit.js`, { headers: { origin: PORTAL } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'export const kit = 1;\n');
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('access-control-allow-origin'), PORTAL);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const etag = res.headers.get('etag');
    assert.ok(etag);
    // (fetch adds `Cache-Control: no-cache` to a conditional request unless one is given, and that defeats 304.)
    const again = await fetch(`${base}/esign-kit/esign-kit.js`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    assert.equal(again.status, 304);
  });

  it('caches content-hashed chunks for a year, immutable', async () => {
    const res = await fetch(`${base}/esign-kit/pdf.D-VV5J2W.js`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  it('never takes an entry or the worker for a hashed chunk, whatever its name', async () => {
    for (const name of ['esign-verification.js', 'esign-signature-pad.js', 'pdf.worker.min.mjs']) writeFileSync(join(dir, name), '//\n');
    for (const name of ['esign-verification.js', 'esign-signature-pad.js', 'pdf.worker.min.mjs']) {
      const res = await fetch(`${base}/esign-kit/${name}`);
      assert.equal(res.headers.get('cache-control'), 'no-cache', name);
    }
  });

  it('serves the pdf.js worker (.mjs) as JavaScript, and integrity.json', async () => {
    const worker = await fetch(`${base}/esign-kit/pdf.worker.min.mjs`, { headers: { origin: PORTAL } });
    assert.equal(worker.status, 200);
    assert.equal(worker.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(worker.headers.get('access-control-allow-origin'), PORTAL);
    // Its own policy: the worker may compile pdf.js's WebAssembly decoders and fetch from this server, no more.
    assert.match(worker.headers.get('content-security-policy') ?? '', /^default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; /);
    const integrity = await fetch(`${base}/esign-kit/integrity.json`);
    assert.equal(integrity.status, 200);
    assert.match(integrity.headers.get('content-type') ?? '', /application\/json/);
  });

  it('gives no CORS header to other origins (the browser then refuses the module)', async () => {
    const res = await fetch(`${base}/esign-kit/esign-kit.js`, { headers: { origin: 'https://elsewhere.test' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('answers a preflight from a portal origin and refuses other methods', async () => {
    const pre = await fetch(`${base}/esign-kit/esign-kit.js`, { method: 'OPTIONS', headers: { origin: PORTAL, 'access-control-request-method': 'GET' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-methods'), 'GET, HEAD');
    const post = await fetch(`${base}/esign-kit/esign-kit.js`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  it('404s unknown files, directories and dotfiles itself, without falling through', async () => {
    for (const path of ['nope.js', '', 'sub', 'sub/', '.secret', '..%2fpackage.json', '..%2f..%2fpackage.json']) {
      const res = await fetch(`${base}/esign-kit/${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
    }
  });

  it('says how to build when the build is missing', async () => {
    const res = await fetch(`${base}/missing/esign-kit.js`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /npm run build/);
  });

  it('points at <repo>/dist/elements by default', () => {
    assert.match(ELEMENTS_DIR, /[\\/]dist[\\/]elements$/);
    // A path segment, not a substring: a checkout under a directory named like `arch-server` is fine.
    assert.ok(!ELEMENTS_DIR.includes(`${sep}${join('server', 'dist')}`));
  });
});
