import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { createLogger } from '../../src/log/logger.js';
import { b64, ENV, form, makePdf, mockProviders, signedPdf, useServer, useOwned } from './helpers.js';

const PASSPHRASE = 'passphrase-UNIQUE-c0ffee';
const TOTP = '918273';
const OTP_SESSION = 'otp-session-UNIQUE-beef';
const PERURI_JWT = 'peruri-jwt-UNIQUE-f00d';
const CLOUD_SECRET = 'cloud-secret-UNIQUE-abba';
const BASE = 'https://peruri.test/gateway';

describe('logs and redaction', () => {
  const msw = mockProviders();
  const h = useServer({ BSRE_CLOUD_URL: 'https://cloud.bsre.test', BSRE_CLOUD_CLIENT_ID: 'cloud-client', BSRE_CLOUD_CLIENT_SECRET: CLOUD_SECRET });
  useOwned(h, [['peruri', 'ORD-1']], 'auditor');

  it('one line per request and per upstream call (duration, result code); no secret in any log line or response', async () => {
    const pdf = await makePdf();
    const signed = await signedPdf('redaction');
    msw.use(
      http.post('https://bsre.test/api/v2/sign/pdf', () => HttpResponse.json({ file: [b64(signed)] })),
      http.post('https://bsre.test/api/v2/sign/get/totp', () => HttpResponse.json({ message: 'ok', totp: TOTP })),
      http.post(`${BASE}/jwt/1.0/getJsonWebToken/v1`, () => HttpResponse.json({ resultCode: '0', resultDesc: 'ok', data: { jwt: PERURI_JWT } })),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/getOtp/v1`, () => HttpResponse.json({ resultCode: '0', resultDesc: 'ok', data: { token: OTP_SESSION } })),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/signing/v1`, () => HttpResponse.json({ resultCode: '5', resultDesc: 'OTP salah' })),
      http.post('https://cloud.bsre.test/oauth/token', () => HttpResponse.json({ access_token: 'cloud-access-UNIQUE', token_type: 'bearer', expires_in: 600 })),
      http.post('https://cloud.bsre.test/api/v2/entity/sign/request', () => HttpResponse.error()),
    );
    const token = h.s.token('auditor');
    const auth = { authorization: `Bearer ${token}` };
    const jsonHeaders = { ...auth, 'content-type': 'application/json' };
    const responses: string[] = [];
    const call = async (path: string, init: RequestInit) => {
      const res = await fetch(`${h.s.base}${path}`, init);
      responses.push(await res.text());
      return res.status;
    };
    assert.equal(
      await call('/api/bsre/signatures', { method: 'POST', headers: auth, body: form({ file: pdf, nik: '3174012345678901', passphrase: PASSPHRASE }) }),
      201,
    );
    assert.equal(await call('/api/bsre/totp', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ email: 'a@b.id' }) }), 201);
    assert.equal(await call('/api/peruri/documents/ORD-1/otp', { method: 'POST', headers: auth }), 201);
    assert.equal(await call('/api/peruri/documents/ORD-1/signatures', { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ otpCode: TOTP }) }), 422);
    assert.equal(
      await call('/api/bsre/signatures', {
        method: 'POST',
        headers: auth,
        body: form({ file: pdf, service: 'cloud', nik: '3174012345678901', passphrase: PASSPHRASE }),
      }),
      502,
    );
    assert.equal(await call('/api/providers', { headers: auth }), 200);
    assert.equal(await call('/api/openapi.json', { headers: auth }), 200);
    await new Promise((r) => setTimeout(r, 20));

    const lines = h.s.logs.map((l) => JSON.parse(l));
    const requests = lines.filter((l) => l.msg === 'request');
    assert.equal(requests.length, 7);
    assert.ok(requests.every((l) => typeof l.durationMs === 'number' && typeof l.status === 'number' && l.user === 'auditor'));
    const upstream = lines.filter((l) => l.msg === 'upstream');
    const signing = upstream.find((l) => l.path.endsWith('/signing/v1'));
    assert.deepEqual(
      { provider: signing.provider, status: signing.status, resultCode: signing.resultCode },
      { provider: 'peruri', status: 200, resultCode: '5' },
    );
    assert.ok(upstream.every((l) => typeof l.durationMs === 'number' && l.host && !String(l.path).includes('?')));
    assert.ok(upstream.some((l) => l.provider === 'bsre-cloud' && l.path === '/oauth/token'));
    assert.ok(
      upstream.some((l) => l.failure),
      'the unreachable call is logged',
    );

    const secrets = [
      ENV.PORTAL_SECRET,
      ENV.BSRE_PASSWORD,
      ENV.PERURI_API_KEY,
      ENV.DIGISIGN_TOKEN,
      ENV.DIGISIGN_AES_KEY,
      CLOUD_SECRET,
      PASSPHRASE,
      TOTP,
      OTP_SESSION,
      PERURI_JWT,
      token,
      b64(pdf).slice(0, 40),
      b64(signed).slice(0, 40),
    ];
    const all = h.s.logs.join('\n');
    for (const s of secrets) assert.ok(!all.includes(s!), `log holds ${s!.slice(0, 12)}…`);
    for (const s of secrets) assert.ok(!responses.join('\n').includes(s!), `a response holds ${s!.slice(0, 12)}…`);
  });

  it('the logger redacts sensitive keys and scrubs configured secret values anywhere in a line', () => {
    const out: string[] = [];
    const logger = createLogger({ secrets: ['super-secret-value'], destination: { write: (s: string) => void out.push(s) } });
    logger.info({ passphrase: 'p1', nested: { otp: '123456', token: 't' }, note: 'key=super-secret-value' }, 'x');
    logger.error({ err: new Error('failed with super-secret-value') }, 'boom');
    const text = out.join('');
    assert.ok(!text.includes('super-secret-value') && !text.includes('p1') && !text.includes('123456'));
    assert.match(text, /"passphrase":"\[redacted\]"/);
    assert.match(text, /"otp":"\[redacted\]"/);
  });
});

describe('secretScrubber', () => {
  it('blanks a secret as is, URL-encoded, JSON-escaped and base64-encoded on its own', async () => {
    const { secretScrubber } = await import('../../src/log/logger.js');
    const secret = 'rahasia/"+Sekali-42';
    const scrub = secretScrubber([secret, 'abc']);
    for (const form of [
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64').replace(/=+$/, ''),
      Buffer.from(secret).toString('base64url'),
    ]) {
      assert.equal(scrub(`before ${form} after`), 'before [redacted] after', form);
    }
    // Too short to scrub without blanking ordinary words (live mode refuses such secrets).
    assert.equal(scrub('abc'), 'abc');
  });
});
