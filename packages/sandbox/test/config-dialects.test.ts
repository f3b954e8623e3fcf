// In sandbox mode one configuration builds both sides: the adapters and the simulators read the same
// deployment settings, so a deployment that selects the examples' `otp` (BSRE_SIGN_OTP_FIELD=otp) signs
// through the companion API end to end — and a simulator on the defaults refuses that same request.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createApp } from '../../../server/src/app.js';
import { signPortalToken } from '../../../server/src/auth/jwt.js';
import { sandboxIdentityClaims } from '../../../server/test/identities.js';
import { loadConfig } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/log/logger.js';
import { createSandboxRouter } from '../src/index.js';
import { forgetSandboxContext } from '../src/context.js';
import { samplePdf } from './harness.js';

const BUDI = { nik: '3171000000000001', email: 'issue@bsre.sandbox.test' };
const closers: (() => void)[] = [];
after(() => closers.forEach((c) => c()));

async function kit(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-config-dialects-'));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, PUBLIC_URL: base, PORTAL_ORIGINS: base, LOG_LEVEL: 'silent', ...env });
  server.on(
    'request',
    createApp({
      config,
      version: 'test',
      logger: createLogger({ level: 'silent' }),
      providerOptions: { retries: 0 },
      mountSandbox: (a) => a.use('/sandbox', createSandboxRouter(config.sandbox!)),
    }),
  );
  closers.push(() => {
    server.closeAllConnections();
    server.close();
    forgetSandboxContext(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const auth = { authorization: `Bearer ${signPortalToken({ ...sandboxIdentityClaims(), sub: 'portal-user' }, config.portalSecret)}` };
  return { base, config, auth };
}

async function signWithTotp(k: Awaited<ReturnType<typeof kit>>) {
  const totp = await fetch(`${k.base}/api/bsre/totp`, {
    method: 'POST',
    headers: { ...k.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ nik: BUDI.nik }),
  });
  assert.equal(totp.status, 201, await totp.clone().text());
  const inbox = (await (await fetch(`${k.base}/sandbox/inbox.json?to=${encodeURIComponent(BUDI.email)}`)).json()) as { messages: { code?: string }[] };
  const code = inbox.messages.find((m) => m.code)!.code!;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await samplePdf(1))], { type: 'application/pdf' }), 'a.pdf');
  form.append('nik', BUDI.nik);
  form.append('totp', code);
  return fetch(`${k.base}/api/bsre/signatures`, { method: 'POST', headers: k.auth, body: form });
}

describe('sandbox mode: the configuration builds the adapters and the simulators alike', () => {
  it('BSRE_SIGN_OTP_FIELD=otp: both sides speak `otp`, the TOTP signing succeeds through the API', async () => {
    const k = await kit({ BSRE_SIGN_OTP_FIELD: 'otp', DIGISIGN_GENDER_CASE: 'lower' });
    assert.equal(k.config.sandbox?.dialects?.bsre.signOtpField, 'otp');
    assert.equal(k.config.sandbox?.dialects?.digisign.genderCase, 'lower');
    const res = await signWithTotp(k);
    assert.equal(res.status, 201, await res.clone().text());
  });

  it('defaults: both sides speak `totp` (seed 002 §6.2); the simulator keeps its dialect when only the adapter changes', async () => {
    const k = await kit({});
    const res = await signWithTotp(k);
    assert.equal(res.status, 201, await res.clone().text());
    // Only the adapter drifts: a companion configured with `otp` whose BSrE is the simulator above (on the defaults).
    const adapterOnly = await kit({
      BSRE_SIGN_OTP_FIELD: 'otp',
      BSRE_URL: `${k.base}/sandbox/bsre`,
      BSRE_USERNAME: k.config.sandbox!.credentials.bsreUsername,
      BSRE_PASSWORD: k.config.sandbox!.credentials.bsrePassword,
    });
    const totp = await fetch(`${k.base}/api/bsre/totp`, {
      method: 'POST',
      headers: { ...k.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ nik: BUDI.nik }),
    });
    assert.equal(totp.status, 201);
    const inbox = (await (await fetch(`${k.base}/sandbox/inbox.json?to=${encodeURIComponent(BUDI.email)}`)).json()) as { messages: { code?: string }[] };
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await samplePdf(1))], { type: 'application/pdf' }), 'a.pdf');
    form.append('nik', BUDI.nik);
    form.append('totp', inbox.messages.find((m) => m.code)!.code!);
    const refused = await fetch(`${adapterOnly.base}/api/bsre/signatures`, { method: 'POST', headers: adapterOnly.auth, body: form });
    assert.equal(refused.status, 422, await refused.clone().text());
    const body = (await refused.json()) as { error: { provider?: { code: string; message: string } } };
    assert.deepEqual(body.error.provider, { code: '2001', message: 'Parameter otp tidak dikenal, gunakan totp' });
  });
});
