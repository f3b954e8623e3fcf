// No configured secret leaks: a unique value is planted for every secret setting (PORTAL_SECRET, the BSrE
// Basic-auth user and password, the BSrE cloud client id and secret, the Peruri API key, the Digisign token
// and AES key), the server runs flows against the sandbox providers — successes, provider refusals and 4xx —
// with logs at trace level, and every HTTP answer (status, headers, body), every page, every log line and
// the built demo bundle are scanned for each value in its plain, URL-encoded, JSON-escaped, base64,
// base64url and hex forms (and BSrE's Basic header). Secrets the providers hand out at run time (the Peruri
// JWT, OTP session and bulk tokens, the BSrE cloud access token), caught on the wire to the simulators, must
// not reach the portal or the logs either.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'vite';
import { signPortalToken } from '../../../server/src/auth/jwt.js';
import { encryptRedirectMessage } from '../../../packages/sandbox/src/webviews/index.js';
import { form, formsOf, makePdf, pdfPart, startKit, type Kit } from './kit.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const CREDENTIALS = {
  bsreUsername: `planted-bsre-user-${hex(6)}`,
  bsrePassword: `planted-bsre-password-${hex(8)}`,
  bsreCloudClientId: `planted-cloud-client-${hex(6)}`,
  bsreCloudClientSecret: `planted-cloud-secret-${hex(8)}`,
  peruriApiKey: `planted-peruri-apikey-${hex(8)}`,
  peruriSystemId: 'PLANTED-SYSTEM',
  digisignToken: `planted-digisign-token-${hex(8)}`,
  digisignUserId: 'partner@planted.esign-kit.test',
  // Exactly 16 bytes: the AES-128 key.
  digisignAesKey: `AK${hex(5)}#aes`,
};
const PORTAL_SECRET = `planted-portal-secret-${hex(16)}`;
const PASSPHRASE = 'Sandbox#2024';

/** What must never be seen outside the server: name → value. */
const PLANTED: Record<string, string> = {
  PORTAL_SECRET,
  BSRE_USERNAME: CREDENTIALS.bsreUsername,
  BSRE_PASSWORD: CREDENTIALS.bsrePassword,
  BSRE_CLOUD_CLIENT_ID: CREDENTIALS.bsreCloudClientId,
  BSRE_CLOUD_CLIENT_SECRET: CREDENTIALS.bsreCloudClientSecret,
  PERURI_API_KEY: CREDENTIALS.peruriApiKey,
  DIGISIGN_TOKEN: CREDENTIALS.digisignToken,
  DIGISIGN_AES_KEY: CREDENTIALS.digisignAesKey,
};

interface Finding {
  secret: string;
  where: string;
}

function scan(secrets: Record<string, string>, texts: { where: string; text: string }[]): Finding[] {
  const needles = Object.entries(secrets).flatMap(([secret, value]) => formsOf(value).map((form) => ({ secret, form })));
  needles.push({ secret: 'BSrE Basic credentials', form: Buffer.from(`${CREDENTIALS.bsreUsername}:${CREDENTIALS.bsrePassword}`).toString('base64') });
  const found: Finding[] = [];
  for (const { where, text } of texts) for (const { secret, form } of needles) if (text.includes(form)) found.push({ secret, where });
  return found;
}

describe('no configured secret in any bundle, answer, page or log line', { timeout: 120000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'esign-secrets-'));
  const demoDir = join(work, 'demo');
  let kit: Kit;
  /** Everything a portal, a browser or a person saw. */
  const seen: { where: string; text: string }[] = [];
  /** Secrets the providers issued at run time (caught on the wire between the adapters and the simulators). */
  const issued: Record<string, string> = {};
  const realFetch = globalThis.fetch;

  before(async () => {
    // The bundle is built with every secret in the environment (as on a developer's machine), also under the
    // VITE_ prefix that Vite would expose to client code.
    const saved = { ...process.env };
    for (const [name, value] of Object.entries(PLANTED)) {
      process.env[name] = value;
      process.env[`VITE_${name}`] = value;
    }
    try {
      await build({ configFile: join(process.cwd(), 'vite.config.ts'), logLevel: 'silent', build: { outDir: demoDir, emptyOutDir: true } });
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    kit = await startKit({ credentials: CREDENTIALS, env: { PORTAL_SECRET }, logLevel: 'trace', demoDir });
    const sandbox = `${kit.base}/sandbox/`;
    globalThis.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.startsWith(sandbox) && !url.includes('/inbox') && (res.headers.get('content-type') ?? '').includes('json')) {
        const text = await res.clone().text();
        for (const m of text.matchAll(/"(jwt|access_token|token)"\s*:\s*"([^"]{16,})"/g)) issued[`${m[1]} from ${new URL(url).pathname}`] = m[2]!;
      }
      return res;
    };
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await kit?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** A request as a portal or browser makes it; its whole answer is kept for the scan. */
  async function call(path: string, init: RequestInit & { base?: string } = {}) {
    const res = await realFetch(`${init.base ?? kit.base}${path}`, init);
    const bytes = Buffer.from(await res.arrayBuffer());
    const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
    seen.push({ where: `${init.method ?? 'GET'} ${path} → ${res.status}`, text: `${res.status}\n${headers}\n\n${bytes.toString('latin1')}` });
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, body: type.includes('json') ? JSON.parse(bytes.toString('utf8')) : bytes.toString('utf8') } as { status: number; body: any };
  }
  const auth = () => ({ authorization: `Bearer ${kit.token('secrets-user')}` });
  const post = (path: string, body: unknown) =>
    call(path, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const postForm = (path: string, fields: Parameters<typeof form>[0]) => call(path, { method: 'POST', headers: auth(), body: form(fields) });
  const otpFor = async (provider: string, to: string) => {
    const inbox = await call(`/sandbox/inbox.json?provider=${provider}&to=${encodeURIComponent(to)}`);
    return (inbox.body.messages as { code?: string }[]).find((m) => m.code)?.code;
  };

  it('runs the flows: successes, provider refusals and bad input, with the planted credentials in use', async () => {
    const pdf = await makePdf([
      [595, 842],
      [595, 842],
    ]);
    const box = JSON.stringify({ page: 2, x: 380, y: 80, width: 140, height: 70 });

    // System routes, the demo and the development token.
    assert.equal((await call('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 201);
    assert.equal((await call('/api/health')).status, 200);
    assert.equal((await call('/api/providers', { headers: auth() })).status, 200);
    assert.equal((await call('/api/openapi.json', { headers: auth() })).status, 200);
    const page = await call('/');
    assert.equal(page.status, 200);
    for (const asset of String(page.body).matchAll(/(?:src|href)="\.\/([^"]+)"/g)) assert.equal((await call(`/${asset[1]}`)).status, 200, asset[1]);

    // BSrE (Basic auth with the planted user and password): status, TOTP, signing, the stored document, verification.
    assert.equal((await post('/api/bsre/users/status', { nik: '3171000000000001' })).status, 200);
    assert.equal((await post('/api/bsre/users/status', { nik: '3171000000000007' })).status, 200);
    assert.equal((await post('/api/bsre/totp', { nik: '3171000000000001' })).status, 201);
    const signed = await postForm('/api/bsre/signatures', { file: pdfPart(pdf), nik: '3171000000000001', passphrase: PASSPHRASE });
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    assert.equal((await call(`/api/documents/${signed.body.document.id}`, { headers: auth() })).status, 200);
    assert.equal((await postForm('/api/verify', { documentId: signed.body.document.id })).status, 200);
    const wrong = await postForm('/api/bsre/signatures', { file: pdfPart(pdf), nik: '3171000000000001', passphrase: 'salah-sekali' });
    assert.equal(wrong.status, 422);

    // BSrE cloud (OAuth with the planted client id and secret).
    const cloud = await postForm('/api/bsre/signatures', { file: pdfPart(pdf), service: 'cloud', nik: '3171000000000001', passphrase: PASSPHRASE });
    assert.equal(cloud.status, 201, JSON.stringify(cloud.body));

    // Peruri (the planted API key buys a JWT): send, OTP, sign, status, certificate, web views, a refusal.
    const peruri = await postForm('/api/peruri/documents', { file: pdfPart(pdf), email: 'siti@peruri.sandbox.test', boxes: JSON.stringify([JSON.parse(box)]) });
    assert.equal(peruri.status, 201, JSON.stringify(peruri.body));
    const orderId = peruri.body.orderId as string;
    assert.equal((await post(`/api/peruri/documents/${orderId}/otp`, {})).status, 201);
    const code = await otpFor('peruri', 'siti@peruri.sandbox.test');
    assert.ok(code, 'the sandbox sent an OTP');
    const peruriSigned = await post(`/api/peruri/documents/${orderId}/signatures`, { otpCode: code });
    assert.equal(peruriSigned.status, 201, JSON.stringify(peruriSigned.body));
    assert.equal((await call(`/api/peruri/documents/${orderId}/status`, { headers: auth() })).status, 200);
    assert.equal((await post('/api/peruri/users/certificate', { email: 'siti@peruri.sandbox.test' })).status, 200);
    const refused = await post('/api/peruri/users/activation', { email: 'fail-5000@peruri.sandbox.test' });
    assert.ok(refused.status >= 400 && refused.status < 600 && refused.body.error.provider, JSON.stringify(refused.body));
    const activation = await post('/api/webviews', { provider: 'peruri', flow: 'activation', email: 'andi@peruri.sandbox.test' });
    assert.equal(activation.status, 201);
    const wv = new URL(activation.body.url as string);
    assert.equal((await call(wv.pathname + wv.search, { base: wv.origin })).status, 200);
    const orderView = await post('/api/webviews', { provider: 'peruri', flow: 'signing', orderId });
    assert.equal(orderView.status, 201);

    // Digisign (the planted token; redirects encrypted with the planted AES key).
    const digisign = await postForm('/api/digisign/documents', {
      file: pdfPart(pdf),
      signers: JSON.stringify([{ name: 'Dewi Anggraini', email: 'dewi@digisign.sandbox.test' }]),
      boxes: JSON.stringify([JSON.parse(box)]),
    });
    assert.equal(digisign.status, 201, JSON.stringify(digisign.body));
    const signing = await post('/api/webviews', {
      provider: 'digisign',
      flow: 'signing',
      email: 'dewi@digisign.sandbox.test',
      digisignDocumentId: digisign.body.digisignDocumentId,
    });
    assert.equal(signing.status, 201, JSON.stringify(signing.body));
    const sv = new URL(signing.body.url as string);
    assert.equal((await call(sv.pathname + sv.search, { base: sv.origin })).status, 200);
    const msg = encryptRedirectMessage(
      { result: '00', document_id: digisign.body.digisignDocumentId, email_user: 'dewi@digisign.sandbox.test', status_document: 'complete', notif: 'Sukses' },
      CREDENTIALS.digisignAesKey,
    );
    assert.equal((await call(`/callback/digisign/signing?msg=${msg}`)).status, 200);
    assert.equal((await call(`/callback/digisign/signing?msg=${encryptRedirectMessage({ result: '00' }, 'another-16-chars')}`)).status, 400);
    const register = await postForm('/api/digisign/users', {
      name: 'Uji Gagal',
      phone: '081400009912',
      birthDate: '1990-02-03',
      nik: '3578000000009912',
      placeOfBirth: 'Surabaya',
      email: 'gagal@digisign.sandbox.test',
      gender: 'female',
      ktpPhoto: { data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(64).fill(0)]), type: 'image/jpeg' },
      selfie: { data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(64).fill(0)]), type: 'image/jpeg' },
    });
    assert.ok(register.status >= 400 && register.body.error.provider, JSON.stringify(register.body));

    // Bad input and refused tokens.
    assert.equal(
      (await call('/api/providers', { headers: { authorization: `Bearer ${signPortalToken({ sub: 'x' }, 'another-secret-of-at-least-32-bytes!!')}` } })).status,
      401,
    );
    assert.equal((await call('/api/providers', { headers: { ...auth(), origin: 'https://evil.example.com' } })).status, 403);
    assert.equal((await post('/api/bsre/users/status', { nik: '31710000000000AB' })).status, 400);
    assert.equal((await call('/api/documents/..%2Fsandbox-credentials.json', { headers: auth() })).status, 400);
    assert.equal((await call('/api/no-such-route', { headers: auth() })).status, 404);

    // The sandbox's own pages a person opens.
    assert.equal((await call('/sandbox/inbox')).status, 200);
    assert.ok(Object.keys(issued).length >= 3, `provider-issued secrets caught: ${Object.keys(issued).join(', ')}`);
  });

  it('no planted or provider-issued secret in any answer or page', () => {
    assert.ok(seen.length > 30);
    assert.deepEqual(scan({ ...PLANTED, ...issued }, seen), []);
  });

  it('no planted or provider-issued secret, nor the passphrase, in any log line (trace level)', () => {
    assert.ok(kit.logs.length > 40, `${kit.logs.length} log lines`);
    for (const line of kit.logs) JSON.parse(line);
    const texts = kit.logs.map((text, i) => ({ where: `log line ${i + 1}`, text }));
    assert.deepEqual(scan({ ...PLANTED, ...issued, passphrase: PASSPHRASE }, texts), []);
  });

  it('no planted secret in the built demo bundle (built with them in the environment)', () => {
    const files: { where: string; text: string }[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else files.push({ where: path.slice(demoDir.length), text: readFileSync(path).toString('latin1') });
      }
    };
    walk(demoDir);
    assert.ok(
      files.some((f) => f.where.endsWith('.js')),
      'the bundle was built',
    );
    assert.deepEqual(scan(PLANTED, files), []);
  });

  it('the planted values were really in use (the scan would have found them)', () => {
    assert.equal(kit.config.portalSecret, PORTAL_SECRET);
    assert.equal(kit.config.providers.bsre?.password, CREDENTIALS.bsrePassword);
    assert.equal(kit.config.providers.bsreCloud?.clientSecret, CREDENTIALS.bsreCloudClientSecret);
    assert.equal(kit.config.providers.peruri?.apiKey, CREDENTIALS.peruriApiKey);
    assert.equal(kit.config.providers.digisign?.token, CREDENTIALS.digisignToken);
    assert.equal(kit.config.providers.digisign?.aesKey, CREDENTIALS.digisignAesKey);
    // The scanner itself: each form of a planted value is found.
    for (const f of formsOf(CREDENTIALS.peruriApiKey)) assert.equal(scan(PLANTED, [{ where: 'probe', text: `x${f}y` }]).length > 0, true, f);
  });
});
