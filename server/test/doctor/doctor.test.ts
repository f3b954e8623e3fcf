// `npm run doctor`: against the sandbox every check passes (and nothing is signed, registered or sent);
// against stand-ins that fail each way — refused connection, untrusted certificate, 401, a skewed clock,
// a provider that never answers — the failing check names the cause and the fix.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { doctorMain } from '../../src/doctor/cli.js';
import { formatDoctor, runDoctor, type DoctorCheck } from '../../src/doctor/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createSandboxRouter, createSandboxWebViewApp } from '../../../packages/sandbox/src/index.js';
import { forgetSandboxContext } from '../../../packages/sandbox/src/context.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const closers: (() => void)[] = [];
after(() => closers.reverse().forEach((c) => c()));

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'esign-doctor-'));
  closers.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};

/** A live configuration with only Peruri (and optionally BSrE) pointed at the given URLs. */
function live(env: Record<string, string>) {
  return loadConfig({
    ESIGN_MODE: 'live',
    PUBLIC_URL: 'http://127.0.0.1:9',
    PORTAL_ORIGINS: 'https://portal.test',
    PORTAL_SECRET: 'doctor-portal-secret-of-32-bytes-or-more',
    DATA_DIR: tmp(),
    ...env,
  });
}

const peruriEnv = (url: string) => ({ PERURI_URL: url, PERURI_API_KEY: 'api-key', PERURI_SYSTEM_ID: 'SYS' });
const find = (checks: DoctorCheck[], subject: string, check: string) => checks.find((c) => c.subject === subject && c.check === check)!;

/** An http stand-in for a provider. */
async function standIn(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  return `http://127.0.0.1:${await listen(createHttpServer(handler))}`;
}

describe('npm run doctor against the sandbox', () => {
  let base = '';
  let env: Record<string, string> = {};
  let config: ReturnType<typeof loadConfig>;

  before(async () => {
    const dataDir = tmp();
    const server = createHttpServer();
    const webViews = createHttpServer();
    const port = await listen(server);
    const webPort = await listen(webViews);
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      DATA_DIR: dataDir,
      PUBLIC_URL: base,
      SANDBOX_WEBVIEW_URL: `http://127.0.0.1:${webPort}`,
      PORTAL_ORIGINS: base,
      LOG_LEVEL: 'silent',
    };
    config = loadConfig(env);
    server.on(
      'request',
      createApp({
        config,
        version: 'test',
        logger: createLogger({ level: 'silent' }),
        mountSandbox: (a) => a.use('/sandbox', createSandboxRouter(config.sandbox!)),
      }),
    );
    webViews.on('request', createSandboxWebViewApp(config.sandbox!));
    closers.push(() => forgetSandboxContext(dataDir));
  });

  it('every check passes: DNS, TCP, authentication, clock of each provider, the web views, PUBLIC_URL and the Digisign landing', async () => {
    const checks = await runDoctor(config);
    const text = formatDoctor(checks);
    assert.deepEqual(
      checks.filter((c) => c.status !== 'ok'),
      [],
      text,
    );
    for (const subject of ['bsre', 'bsre-cloud', 'peruri', 'digisign'])
      for (const check of ['DNS', 'TCP', 'auth', 'clock']) assert.equal(find(checks, subject, check)?.status, 'ok', `${subject} ${check}\n${text}`);
    assert.match(find(checks, 'bsre', 'auth').detail, /user status of NIK …0001 is ISSUE \(API v2\)/);
    assert.match(find(checks, 'digisign', 'auth').detail, /result 05/);
    for (const [subject, check] of [
      ['peruri', 'web view'],
      ['digisign', 'web view'],
      ['server', 'PUBLIC_URL'],
      ['digisign', 'redirect'],
    ])
      assert.equal(find(checks, subject!, check!)?.status, 'ok', `${subject} ${check}`);
    assert.match(text, /doctor: 20 checks, 0 failed, 0 skipped$/);
  });

  it('reads only: nothing was signed, registered or sent (the sandbox inbox is empty)', async () => {
    await runDoctor(config);
    const inbox = (await (await fetch(`${base}/sandbox/inbox.json`)).json()) as { messages: unknown[] };
    assert.deepEqual(inbox.messages, []);
  });

  it('the command itself (node server/src/main.ts doctor): one line per check, exit status 0', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', 'server/src/main.ts', 'doctor'], {
      cwd: root,
      env: { ...process.env, ...env, ESIGN_CONFIG: '' },
    });
    const lines = stdout.trim().split('\n');
    assert.match(lines[0]!, /^esign-kit doctor — sandbox mode/);
    assert.equal(lines.filter((l) => l.startsWith('ok  ')).length, 20, stdout);
    assert.match(lines.at(-1)!, /0 failed/);
  });
});

describe('npm run doctor against failing stand-ins: it names the cause', () => {
  it('refused connection: the provider and its web view; authentication is not attempted; exit status 1', async () => {
    const closed = createHttpServer();
    const port = await listen(closed);
    closed.close();
    const out: string[] = [];
    const status = await doctorMain(
      [],
      {
        ESIGN_MODE: 'live',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        PORTAL_ORIGINS: 'https://portal.test',
        PORTAL_SECRET: 'doctor-portal-secret-of-32-bytes-or-more',
        DATA_DIR: tmp(),
        ...peruriEnv(`http://127.0.0.1:${port}/gateway`),
        PERURI_WEBVIEW_URL: `http://127.0.0.1:${port}/wv`,
      },
      (s) => out.push(s),
    );
    assert.equal(status, 1);
    const text = out.join('');
    assert.match(text, /FAIL {2}peruri TCP +127\.0\.0\.1:\d+: connection refused — fix: nothing listens there: check PERURI_URL/);
    assert.match(text, /skip {2}peruri auth +not run: TCP failed/);
    assert.match(text, /FAIL {2}peruri web view +http:\/\/127\.0\.0\.1:\d+: connection refused/);
    assert.match(text, /FAIL {2}server PUBLIC_URL .*connection refused — fix: start the server/);
  });

  it('bad certificate: a self-signed TLS stand-in fails the TLS check with the verification error', async () => {
    const keys = forge.pki.rsa.generateKeyPair(2048);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    const name = [{ name: 'commonName', value: 'stand-in.peruri.test' }];
    cert.setSubject(name);
    cert.setIssuer(name);
    cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    let answered = 0;
    const https = createHttpsServer(
      { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) },
      (_req, res) => ((answered += 1), res.end('{}')),
    );
    const port = await listen(https as unknown as Server);
    const checks = await runDoctor(live(peruriEnv(`https://127.0.0.1:${port}/gateway`)), { timeoutMs: 5000 });
    const tls = find(checks, 'peruri', 'TLS');
    assert.equal(tls.status, 'fail', formatDoctor(checks));
    assert.match(tls.detail, /the certificate is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
    assert.match(tls.fix!, /NODE_EXTRA_CA_CERTS/);
    assert.equal(find(checks, 'peruri', 'auth').status, 'skip');
    assert.equal(answered, 0, 'no request went over the untrusted connection');
  });

  it('401: the JWT call is refused; the fix names the credentials to check', async () => {
    const url = await standIn((req, res) => {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ resultCode: '401', resultDesc: 'Unauthorized: invalid x-Gateway-APIKey' }));
    });
    const checks = await runDoctor(live(peruriEnv(`${url}/gateway`)), { timeoutMs: 5000 });
    const auth = find(checks, 'peruri', 'auth');
    assert.equal(auth.status, 'fail');
    assert.match(auth.detail, /credentials refused \(HTTP 401\)/);
    assert.match(auth.fix!, /PERURI_API_KEY/);
    assert.equal(find(checks, 'peruri', 'TCP').status, 'ok');
  });

  it('a stand-in that echoes the request (API key and all) into its refusal: the report is scrubbed and capped (review finding 5)', async () => {
    const key = 'echo-doctor-apikey-5e1f0c9a';
    for (const code of ['401', '5000']) {
      const url = await standIn((req, res) => {
        const echo = `${req.method} ${req.url}\n${Object.entries(req.headers)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join('\n')}\n${'x'.repeat(2000)}`;
        // resultCode 401: the credentials branch; 5000: the "not what the document describes" branch.
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ resultCode: code, resultDesc: echo }));
      });
      const checks = await runDoctor(live({ ...peruriEnv(`${url}/gateway`), PERURI_API_KEY: key }), { timeoutMs: 5000 });
      const auth = find(checks, 'peruri', 'auth');
      assert.equal(auth.status, 'fail');
      assert.match(auth.detail, /\[redacted\]/, 'the echo reached the report, scrubbed');
      const report = formatDoctor(checks);
      for (const form of [key, encodeURIComponent(key), Buffer.from(key).toString('base64').slice(0, 24)])
        assert.ok(!report.includes(form), `${code}: ${form} in the report`);
      assert.ok(auth.detail.length < 700, `${auth.detail.length} characters`);
    }
  });

  it('401 at the Esign Client: the Basic credential, through a user-status call for the NIK given', async () => {
    let asked = '';
    const url = await standIn((req, res) => {
      asked = req.url ?? '';
      res
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="Esign Client Service"' })
        .end(JSON.stringify({ error: 'Unauthorized', status_code: 401 }));
    });
    const config = live({ BSRE_URL: url, BSRE_USERNAME: 'app', BSRE_PASSWORD: 'wrong' });
    const without = await runDoctor(config, { timeoutMs: 5000 });
    assert.equal(find(without, 'bsre', 'auth').status, 'skip');
    assert.match(find(without, 'bsre', 'auth').detail, /--nik/);
    const checks = await runDoctor(config, { timeoutMs: 5000, nik: '3171000000000001' });
    const auth = find(checks, 'bsre', 'auth');
    assert.equal(auth.status, 'fail');
    assert.match(auth.detail, /credentials refused \(HTTP 401\)/);
    assert.match(auth.fix!, /BSRE_USERNAME and BSRE_PASSWORD/);
    assert.equal(asked, '/api/v2/user/check/status');
  });

  it("skewed clock: the provider's Date two hours behind fails the clock check, with the difference", async () => {
    const url = await standIn((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json', date: new Date(Date.now() - 2 * 3600_000).toUTCString() })
        .end(JSON.stringify({ resultCode: '0', resultDesc: 'Success', data: { jwt: 'a.b.c' } }));
    });
    const checks = await runDoctor(live(peruriEnv(`${url}/gateway`)), { timeoutMs: 5000 });
    assert.equal(find(checks, 'peruri', 'auth').status, 'ok');
    const clock = find(checks, 'peruri', 'clock');
    assert.equal(clock.status, 'fail');
    assert.match(clock.detail, /this server's clock is 7\d\d\d s ahead of the provider's/);
    assert.match(clock.fix!, /NTP/);
  });

  it('timeout: a provider that accepts the connection and never answers', async () => {
    const url = await standIn(() => {
      /* never answers */
    });
    const started = Date.now();
    const checks = await runDoctor(live(peruriEnv(`${url}/gateway`)), { timeoutMs: 400 });
    const auth = find(checks, 'peruri', 'auth');
    assert.equal(auth.status, 'fail');
    assert.match(auth.detail, /no answer within 400 ms/);
    assert.match(auth.fix!, /firewall|allow-list/);
    assert.ok(Date.now() - started < 10_000, 'the doctor gives up, it does not hang');
  });

  it('a name that does not resolve fails DNS and goes no further', async () => {
    const checks = await runDoctor(live(peruriEnv('https://esign-kit-doctor.invalid/gateway')), { timeoutMs: 3000 });
    const dns = find(checks, 'peruri', 'DNS');
    assert.equal(dns.status, 'fail');
    assert.match(dns.detail, /esign-kit-doctor\.invalid: (the name does not resolve|no answer within)/);
    assert.equal(find(checks, 'peruri', 'auth').status, 'skip');
  });

  it('bad arguments and a configuration that does not load are reported, not thrown', async () => {
    const out: string[] = [];
    assert.equal(await doctorMain(['--nik', '123'], {}, (s) => out.push(s)), 2);
    assert.match(out.join(''), /--nik needs a 16-digit NIK/);
    out.length = 0;
    assert.equal(await doctorMain([], { ESIGN_MODE: 'live', DATA_DIR: tmp() }, (s) => out.push(s)), 1);
    assert.match(out.join(''), /PUBLIC_URL is required in live mode[\s\S]*nothing was checked/);
  });
});
