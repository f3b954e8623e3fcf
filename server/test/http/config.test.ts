import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ENV } from './helpers.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'esign-config-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('configuration', () => {
  it('sandbox by default: providers point at this server, credentials are generated and kept across restarts', () => {
    const dataDir = tmp();
    const a = loadConfig({ DATA_DIR: dataDir, PORT: '9000' });
    assert.equal(a.mode, 'sandbox');
    assert.equal(a.port, 9000);
    assert.equal(a.publicUrl, 'http://localhost:9000');
    assert.deepEqual(a.portalOrigins, ['http://localhost:9000', 'http://127.0.0.1:9000']);
    assert.equal(a.providers.bsre?.url, 'http://localhost:9000/sandbox/bsre');
    assert.equal(a.providers.peruri?.url, 'http://localhost:9000/sandbox/peruri');
    assert.equal(a.providers.peruri?.webViewUrl, 'http://localhost:9001/peruri');
    assert.equal(a.providers.digisign?.url, 'http://localhost:9000/sandbox/digisign');
    assert.equal(a.providers.digisign?.webViewOrigin, 'http://localhost:9001');
    assert.equal(a.providers.digisign?.aesKey?.length, 16);
    assert.equal(a.portalSecretGenerated, true);
    assert.ok(a.sandbox);
    assert.equal(a.sandbox.webViewUrl, 'http://localhost:9001');
    assert.equal(a.sandbox.credentials.digisignToken, a.providers.digisign?.token);
    const file = join(dataDir, 'sandbox-credentials.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const b = loadConfig({ DATA_DIR: dataDir, PORT: '9000' });
    assert.deepEqual(b.sandbox?.credentials, a.sandbox.credentials);
    assert.notEqual(b.portalSecret, a.portalSecret, 'a generated portal secret is per run');
  });

  it('never exposes the portal secret through JSON or inspection', () => {
    const c = loadConfig({ ...ENV, DATA_DIR: tmp() });
    assert.ok(!JSON.stringify(c).includes(ENV.PORTAL_SECRET!));
    assert.equal(c.portalSecret, ENV.PORTAL_SECRET);
  });

  it('names every bad variable, one message each, without echoing secrets', () => {
    const p = problems({ ESIGN_MODE: 'prod', PORT: 'eighty', DATA_DIR: tmp() });
    assert.equal(p.length, 2);
    assert.match(p[0]!, /^ESIGN_MODE must be "sandbox" or "live" \(got "prod"\)/);
    assert.match(p[1]!, /^PORT must be a whole number/);
  });

  it('live mode requires PUBLIC_URL, PORTAL_ORIGINS and PORTAL_SECRET', () => {
    const p = problems({ ESIGN_MODE: 'live', DATA_DIR: tmp() });
    assert.equal(p.length, 3);
    assert.match(p[0]!, /^PUBLIC_URL is required in live mode/);
    assert.match(p[1]!, /^PORTAL_ORIGINS is required/);
    assert.match(p[2]!, /^PORTAL_SECRET is required/);
  });

  it('live mode: an absent provider is not configured, a partial one names each missing variable', () => {
    const base = {
      ESIGN_MODE: 'live',
      PUBLIC_URL: 'https://esign.test',
      PORTAL_ORIGINS: 'https://portal.test',
      PORTAL_SECRET: 'x'.repeat(32),
      DATA_DIR: tmp(),
    };
    const c = loadConfig(base);
    assert.deepEqual(c.providers, {});
    const p = problems({ ...base, PERURI_URL: 'https://peruri.test', DIGISIGN_TOKEN: 'tok-secret-value' });
    assert.deepEqual(
      p.map((m) => m.split(' ')[0]),
      ['PERURI_API_KEY', 'PERURI_SYSTEM_ID', 'DIGISIGN_URL', 'DIGISIGN_USERID'],
    );
    assert.ok(p.every((m) => !m.includes('tok-secret-value')));
  });

  it('checks formats: URLs, https in live mode, BSRE_API, AES key length, origins, profiles, secret length', () => {
    const p = problems({
      ...ENV,
      DATA_DIR: tmp(),
      BSRE_URL: 'http://bsre.example.com',
      BSRE_API: 'v3',
      DIGISIGN_AES_KEY: 'short',
      PORTAL_ORIGINS: 'https://portal.test/path',
      PERURI_PROFILE: '{"origin":"middle"}',
      PORTAL_SECRET: 'short',
      PERURI_PATH_SEND_DOCUMENT: 'no-slash',
    });
    const starts = p.map((m) => m.split(/[ :]/)[0]);
    assert.deepEqual(
      starts.sort(),
      ['BSRE_API', 'BSRE_URL', 'DIGISIGN_AES_KEY', 'PERURI_PATH_SEND_DOCUMENT', 'PERURI_PROFILE', 'PORTAL_ORIGINS', 'PORTAL_SECRET'].sort(),
    );
    assert.match(
      p.find((m) => m.startsWith('PERURI_PROFILE'))!,
      /origin must be one of bottom-left, top-left/,
    );
  });

  it('reads an optional JSON config file with the same keys; the environment wins', () => {
    const dir = tmp();
    const file = join(dir, 'esign.json');
    writeFileSync(file, JSON.stringify({ ...ENV, BSRE_API: 'v1', PORT: 7000, PERURI_PROFILE: { origin: 'top-left' } }));
    const c = loadConfig({ ESIGN_CONFIG: file, DATA_DIR: dir, PORT: '7100' });
    assert.equal(c.mode, 'live');
    assert.equal(c.port, 7100);
    assert.equal(c.providers.bsre?.api, 'v1');
    assert.deepEqual(c.providers.peruri?.profile, { origin: 'top-left' });
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).PORT, 7000);
    const p = problems({ ESIGN_CONFIG: join(dir, 'missing.json'), DATA_DIR: dir });
    assert.match(p[0]!, /^ESIGN_CONFIG names a file that cannot be read/);
  });

  it('per-operation Peruri path overrides', () => {
    const c = loadConfig({ ...ENV, DATA_DIR: tmp(), PERURI_PATH_SEND_DOCUMENT: '/v2/sendDocument' });
    assert.deepEqual(c.providers.peruri?.paths, { sendDocument: '/v2/sendDocument' });
  });
});
