// GET /api/trust/roots and TRUSTED_ROOTS: the sandbox CA root in sandbox mode (the one the simulators sign
// with), configured CA certificates (PEM bundles and DER), public like /api/health, and one start-up problem
// per bad TRUSTED_ROOTS entry.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { openSandboxCa, type SandboxCa } from '../../../packages/sandbox/src/signing/ca.js';
import { ENV } from './helpers.js';

interface Root {
  pem: string;
  subject: string;
  fingerprint: string;
  source: string;
}

const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

async function serve(env: Record<string, string>): Promise<{ base: string; close: () => void; dataDir: string }> {
  const config = loadConfig(env);
  const app = createApp({ config, version: 't', logger: createLogger({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close(), dataDir: config.dataDir };
}

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('GET /api/trust/roots', { timeout: 60000 }, () => {
  let work: string;
  let other: SandboxCa;
  let bundle: string;
  let der: string;
  const closers: (() => void)[] = [];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'esign-trust-'));
    // Another CA (a stand-in for an Indonesian root and its issuing CA), with a signer certificate.
    other = await openSandboxCa(join(work, 'other-ca'));
    bundle = join(work, 'bundle.pem');
    writeFileSync(bundle, `# two CA certificates\n${other.rootCertificatePem}\n${other.intermediateCertificatePem}`);
    der = join(work, 'root.der');
    writeFileSync(der, new X509Certificate(other.rootCertificatePem).raw);
  });
  after(() => {
    for (const close of closers) close();
    rmSync(work, { recursive: true, force: true });
  });

  it('sandbox mode: the sandbox CA root the simulators sign with, without a token', async () => {
    const dataDir = mkdtempSync(join(work, 'data-'));
    const s = await serve({ DATA_DIR: dataDir, PORT: '0' });
    closers.push(s.close);
    const res = await fetch(`${s.base}/api/trust/roots`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const { roots } = (await res.json()) as { roots: Root[] };
    assert.equal(roots.length, 1);
    const [root] = roots;
    // The same CA the signing engine opens (created on first use, reloaded after).
    const ca = await openSandboxCa(join(dataDir, 'sandbox', 'ca'));
    assert.equal(root!.source, 'sandbox');
    assert.equal(root!.fingerprint, fingerprintOf(ca.rootCertificatePem));
    assert.equal(root!.subject, 'CN=esign-kit Sandbox Root CA, O=esign-kit sandbox (not for production), C=ID');
    assert.ok(new X509Certificate(root!.pem).ca);
    // Asked again: the same root (read once, not re-created).
    const again = (await (await fetch(`${s.base}/api/trust/roots`)).json()) as { roots: Root[] };
    assert.equal(again.roots[0]!.fingerprint, root!.fingerprint);
    // Other routes still need a token.
    assert.equal((await fetch(`${s.base}/api/providers`)).status, 401);
  });

  it('TRUSTED_ROOTS adds configured CA certificates (a PEM bundle, a DER file; duplicates once) after the sandbox root', async () => {
    const s = await serve({ DATA_DIR: mkdtempSync(join(work, 'data-')), PORT: '0', TRUSTED_ROOTS: `${bundle}, ${der}` });
    closers.push(s.close);
    const { roots } = (await (await fetch(`${s.base}/api/trust/roots`)).json()) as { roots: Root[] };
    assert.deepEqual(
      roots.map((r) => r.source),
      ['sandbox', 'config', 'config'],
    );
    assert.deepEqual(
      roots.slice(1).map((r) => r.fingerprint),
      [fingerprintOf(other.rootCertificatePem), fingerprintOf(other.intermediateCertificatePem)],
    );
    assert.equal(roots[2]!.subject, 'CN=esign-kit Sandbox Signing CA, O=esign-kit sandbox (not for production), C=ID');
  });

  it('live mode: only the configured roots (no sandbox code runs); none configured is an empty list', async () => {
    const withRoots = await serve({ ...ENV, DATA_DIR: mkdtempSync(join(work, 'data-')), TRUSTED_ROOTS: der });
    closers.push(withRoots.close);
    const res = await fetch(`${withRoots.base}/api/trust/roots`);
    assert.equal(res.status, 200);
    const { roots } = (await res.json()) as { roots: Root[] };
    assert.deepEqual(
      roots.map((r) => [r.source, r.fingerprint]),
      [['config', fingerprintOf(other.rootCertificatePem)]],
    );
    const none = await serve({ ...ENV, DATA_DIR: mkdtempSync(join(work, 'data-')) });
    closers.push(none.close);
    assert.deepEqual(await (await fetch(`${none.base}/api/trust/roots`)).json(), { roots: [] });
  });

  it('a relative path is read from the working directory', () => {
    const config = loadConfig({ ...ENV, DATA_DIR: work, TRUSTED_ROOTS: 'root.der' }, { cwd: work });
    assert.deepEqual(
      config.trustedRoots.map((r) => r.path),
      [der],
    );
  });

  it('bad entries stop the start, one message each, naming the entry', async () => {
    const signer = (await other.signer({ name: 'Budi Santoso' })).certificatePem;
    const signerFile = join(work, 'signer.pem');
    writeFileSync(signerFile, signer);
    const garbage = join(work, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    const broken = join(work, 'broken.pem');
    writeFileSync(broken, `${other.rootCertificatePem}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
    const missing = join(work, 'missing.pem');
    const found = problems({ ...ENV, DATA_DIR: work, TRUSTED_ROOTS: [bundle, missing, garbage, signerFile, broken].join(',') });
    assert.deepEqual(found, [
      `TRUSTED_ROOTS entry 2 (${missing}) cannot be read (ENOENT).`,
      `TRUSTED_ROOTS entry 3 (${garbage}) holds no certificate (PEM "-----BEGIN CERTIFICATE-----" or DER).`,
      `TRUSTED_ROOTS entry 4 (${signerFile}) is not a CA certificate (CN=Budi Santoso, C=ID): give the root or issuing CA, not a signer's certificate.`,
      `TRUSTED_ROOTS entry 5 (${broken}), certificate 2, is not a readable certificate.`,
    ]);
  });
});
