import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';

describe('companion server', () => {
  let base: string;
  let close: () => void;
  let demoDir: string;
  before(async () => {
    demoDir = mkdtempSync(join(tmpdir(), 'esign-demo-'));
    writeFileSync(join(demoDir, 'index.html'), '<!doctype html><title>demo</title><h1>converter</h1>');
    const server = createApp({ mode: 'sandbox', version: '9.9.9', demoDir }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => {
    close();
    rmSync(demoDir, { recursive: true, force: true });
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
    assert.equal(res.headers.get('x-powered-by'), null);
  });

  it('serves the demo page', async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /converter/);
  });

  it('answers an unknown API route with a JSON 404', async () => {
    const res = await fetch(`${base}/api/nope`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: { code: 'not-found', message: 'No API route GET /api/nope.' } });
  });
});

describe('configuration', () => {
  it('defaults to the sandbox on port 8080', () => {
    assert.deepEqual(loadConfig({}), { mode: 'sandbox', port: 8080, host: '0.0.0.0' });
  });
  it('names every bad variable', () => {
    assert.throws(() => loadConfig({ ESIGN_MODE: 'prod', PORT: 'eighty' }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 2);
      assert.match(e.problems[0]!, /^ESIGN_MODE must be "sandbox" or "live" \(got "prod"\)/);
      assert.match(e.problems[1]!, /^PORT must be a whole number/);
      return true;
    });
  });
});
