// Provider answers that echo the request: in live mode, against a loopback stand-in for BSrE (Esign Client and
// cloud), Peruri and Digisign that issues tokens where the APIs do (BSrE cloud OAuth, Peruri's JWT and OTP
// session token) and otherwise puts the whole request it received — method, URL with its query, headers,
// body — into its refusal text (`error`, `resultDesc`, `notif`) or even its success text. Those words reach
// the portal as `error.provider.message`, `resultDesc` or `notif`. No planted credential (the Basic user and
// password, the cloud client id and secret, the Peruri API key, the Digisign token and AES key, the portal
// secret) and no issued token may appear in any answer or log line, in any encoding; provider words are
// capped in length; and the stand-in's own record shows the secrets really were echoed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { form, JPEG, makePdf, start, type Running } from '../../../server/test/http/helpers.js';
import { formsOf } from './kit.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const PLANTED = {
  PORTAL_SECRET: `echo-portal-secret-${hex(16)}`,
  BSRE_USERNAME: `echo-bsre-user-${hex(4)}`,
  BSRE_PASSWORD: `echo-bsre-password-${hex(8)}`,
  BSRE_CLOUD_CLIENT_ID: `echo-cloud-client-${hex(4)}`,
  BSRE_CLOUD_CLIENT_SECRET: `echo-cloud-secret-${hex(8)}`,
  PERURI_API_KEY: `echo-peruri-key-${hex(8)}`,
  DIGISIGN_TOKEN: `echo-digisign-token-${hex(8)}`,
  DIGISIGN_AES_KEY: `EK${hex(5)}#aes`,
};
const ISSUED = { cloud: `cloud-access-${hex(16)}`, jwt: `eyJ${hex(40)}.${hex(40)}.${hex(20)}`, otpSession: hex(16) };
/** The Signing System key a portal sets (§8.1): a secret of this server from then on (review finding 6). */
const SYSTEM_KEY = `echo-system-key-${hex(10)}`;

/** A provider stand-in that echoes every request it receives into its answer's text. */
class EchoProvider {
  readonly server: Server;
  /** What it echoed, for the sanity check. */
  readonly echoes: string[] = [];
  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '/';
        // The request line with its query, the start of the body, the headers, the rest: what a gateway echoes,
        // ordered so that every secret lands within the first few hundred characters.
        const body = Buffer.concat(chunks).toString('latin1');
        const headers = Object.entries(req.headers)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join('\n');
        const echo = `${req.method} ${url}\n${body.slice(0, 160)}\n${headers}\n${body.slice(160)}`;
        this.echoes.push(echo);
        const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (url.includes('/oauth/token')) return send(200, { access_token: ISSUED.cloud, token_type: 'bearer', expires_in: 3600 });
        if (url.includes('getJsonWebToken')) return send(200, { resultCode: '0', resultDesc: 'Success', data: { jwt: ISSUED.jwt } });
        if (url.includes('/sendDocument/')) return send(200, { resultCode: '0', resultDesc: echo, data: { orderId: '777' } });
        if (url.includes('/getOtp/')) return send(200, { resultCode: '0', resultDesc: echo, data: { token: ISSUED.otpSession, phone: '0813****0001' } });
        if (url.includes('checkCertificate')) return send(200, { resultCode: '0', resultDesc: echo });
        if (url.startsWith('/bsre/api/v2/user/registration')) return send(200, { success: true, message: echo });
        if (url.startsWith('/digisign/UPDATE-EP')) return send(200, { JSONFile: { result: '00', notif: echo } });
        if (url.startsWith('/peruri')) return send(200, { resultCode: '5000', resultDesc: echo });
        if (url.startsWith('/digisign')) return send(200, { JSONFile: { result: '05', notif: echo } });
        return send(400, { error: echo, status_code: 9999 });
      });
    });
  }
}

describe('secrets stay out of answers when providers echo the request (live mode)', { timeout: 120_000 }, () => {
  const provider = new EchoProvider();
  let s: Running;
  let base = '';
  const seen: { where: string; text: string }[] = [];
  const answers: any[] = [];

  before(async () => {
    await new Promise<void>((r) => provider.server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
    s = await start({
      ...PLANTED,
      BSRE_URL: `${base}/bsre`,
      BSRE_API: 'v2',
      BSRE_CLOUD_URL: `${base}/cloud`,
      PERURI_URL: `${base}/peruri`,
      PERURI_WEBVIEW_URL: `${base}/wv`,
      DIGISIGN_URL: `${base}/digisign`,
      DIGISIGN_WEBVIEW_ORIGIN: base,
    });
  });
  after(async () => {
    await s?.close();
    provider.server.close();
    if (s) rmSync(s.dataDir, { recursive: true, force: true });
  });

  async function call(path: string, body: Record<string, unknown> | FormData) {
    const init: RequestInit =
      body instanceof FormData
        ? { method: 'POST', headers: s.auth(), body }
        : { method: 'POST', headers: { ...s.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const res = await fetch(`${s.base}${path}`, init);
    const text = await res.text();
    seen.push({ where: `${path} → ${res.status}`, text: `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}` });
    const parsed = JSON.parse(text);
    answers.push(parsed);
    return { status: res.status, body: parsed };
  }

  it('runs calls whose provider answers echo the request, in refusals and in success texts', async () => {
    const pdf = await makePdf();
    const nik = '3174012345678901';
    const email = 'a@b.id';
    const results = [
      await call('/api/bsre/users/status', { nik }),
      await call('/api/bsre/users', { name: 'Budi', email }),
      await call('/api/bsre/signatures', form({ file: pdf, nik, passphrase: 'rahasia-penanda-tangan' })),
      await call('/api/bsre/signatures', form({ file: pdf, service: 'cloud', nik, passphrase: 'rahasia-penanda-tangan' })),
      await call('/api/verify', form({ file: pdf })),
      await call('/api/peruri/users/certificate', { email }),
      await call('/api/peruri/users/specimen', form({ email, specimen: { data: JPEG, type: 'image/jpeg' } })),
      await call('/api/peruri/documents', form({ file: pdf, email })),
      await call('/api/peruri/documents/777/otp', {}),
      await call('/api/peruri/documents/777/signatures', { otpCode: '123456' }),
      await call('/api/peruri/system/key', { key: SYSTEM_KEY, minutes: 30 }),
      await call('/api/digisign/users/contact', { oldEmail: email, newEmail: email, oldPhone: '081234567890', newPhone: '081234567891' }),
      await call(
        '/api/digisign/documents',
        form({ file: pdf, signers: JSON.stringify([{ name: 'Budi', email }]), boxes: JSON.stringify([{ page: 1, x: 60, y: 80, width: 150, height: 70 }]) }),
      ),
      await call('/api/webviews', { provider: 'digisign', flow: 'activation', email }),
    ];
    // The calls got as far as the provider and came back with its words (POST /api/verify answers its local
    // inspection with the provider's refusal beside it: `providerError`).
    assert.equal(
      results.filter((r) => (r.status >= 400 && r.body.error?.provider?.message) || r.body.providerError?.provider?.message).length >= 8,
      true,
      JSON.stringify(results.map((r) => r.status)),
    );
    assert.equal(results.filter((r) => r.status < 300).length >= 4, true, JSON.stringify(results.map((r) => [r.status, r.body])));
  });

  it('the stand-in really echoed every credential it was sent and every token it issued', () => {
    const all = provider.echoes.join('\n');
    const sent = (v: string) => all.includes(v) || all.includes(encodeURIComponent(v));
    for (const name of ['BSRE_CLOUD_CLIENT_ID', 'BSRE_CLOUD_CLIENT_SECRET', 'PERURI_API_KEY', 'DIGISIGN_TOKEN'] as const) assert.ok(sent(PLANTED[name]), name);
    assert.ok(all.includes(Buffer.from(`${PLANTED.BSRE_USERNAME}:${PLANTED.BSRE_PASSWORD}`).toString('base64')), 'the Basic credentials');
    for (const [name, value] of Object.entries({ ...ISSUED, SYSTEM_KEY })) assert.ok(sent(value), name);
  });

  it('no planted credential or issued token in any answer or log line, in any encoding; the echoes arrived redacted and capped', () => {
    const needles = Object.entries({ ...PLANTED, ...ISSUED, SYSTEM_KEY }).flatMap(([name, value]) => formsOf(value).map((f) => ({ name, f })));
    needles.push({ name: 'BSrE Basic credentials', f: Buffer.from(`${PLANTED.BSRE_USERNAME}:${PLANTED.BSRE_PASSWORD}`).toString('base64') });
    const texts = [...seen, ...s.logs.map((text, i) => ({ where: `log line ${i + 1}`, text }))];
    const found = texts.flatMap(({ where, text }) => needles.filter(({ f }) => text.includes(f)).map(({ name }) => `${name} in ${where}`));
    assert.deepEqual(found, []);
    const words = answers
      .flatMap((a) => [a.error?.provider?.message, a.providerError?.provider?.message, a.resultDesc, a.notif, a.message])
      .filter((w): w is string => typeof w === 'string');
    assert.ok(
      words.some((w) => w.includes('[redacted]')),
      'the echoed words reached the answers, scrubbed',
    );
    for (const w of words) assert.ok(w.length <= 500, `${w.length} characters`);
  });
});
