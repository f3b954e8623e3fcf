// The scrubber against the encodings a secret was seen to travel in (review finding 3,
// /work/notes/findings/server-review-1.md), each produced by the platform's own encoder rather than by ours, and
// the issued-token list holding the Peruri JWT however many OTP session tokens follow it (finding 4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noteIssuedSecret, secretScrubber } from '../../src/log/secrets.js';
import { buildProviders } from '../../src/providers/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';

/** Every character the encodings treat differently: space, !'()~, "/", "+", "=", non-ASCII. */
const SECRET = "Xy7/k9Qw+ab (c)!~'*=é";

describe('secret scrubbing', () => {
  const scrub = secretScrubber([SECRET]);
  const blanked = (text: string) => {
    const out = scrub(`before ${text} after`);
    assert.equal(out, 'before [redacted] after', `${text} → ${out}`);
  };

  it('blanks the form encoding (URLSearchParams: "+" for space, !\'()~ escaped) as the cloud query carries it', () => {
    const query = new URLSearchParams({ client_id: 'cid', client_secret: SECRET }).toString();
    const form = query.split('client_secret=')[1]!;
    assert.notEqual(form, encodeURIComponent(SECRET), 'the two URL encodings differ for this value');
    blanked(form);
    assert.ok(!scrub(`https://cloud.test/oauth/token?${query}`).includes(form));
  });

  it('blanks lower-case percent escapes (%2f), of either URL encoding', () => {
    const lowerEscapes = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    blanked(lowerEscapes(encodeURIComponent(SECRET)));
    blanked(lowerEscapes(new URLSearchParams({ s: SECRET }).toString().slice(2)));
  });

  it('blanks JSON that escapes "/" as "\\/" (PHP json_encode), inside an echoed answer', () => {
    const php = JSON.stringify({ token: SECRET }).replace(/\//g, '\\/');
    assert.ok(php.includes('Xy7\\/k9Qw+'));
    assert.equal(scrub(php), '{"token":"[redacted]"}');
  });

  it('still blanks the forms it knew: plain, encodeURIComponent, JSON, base64 inside a Basic header', () => {
    blanked(SECRET);
    blanked(encodeURIComponent(SECRET));
    blanked(JSON.stringify(SECRET).slice(1, -1));
    const basic = Buffer.from(`user:${SECRET}`).toString('base64');
    assert.ok(!scrub(`Authorization: Basic ${basic}`).includes(basic.slice(8, 20)));
  });
});

describe('issued secrets', () => {
  it('keep the Peruri JWT scrubbed after 300 OTP requests, each issuing a session token', async () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 86_400 })).toString('base64url')}.c2lnbmF0dXJlLW9mLXRoZS1qd3Q`;
    let otp = 0;
    // A stand-in Peruri: the JWT once, then one OTP session token per Get OTP.
    const fetch = async (url: string) => {
      const body = url.includes('getJsonWebToken')
        ? { resultCode: '0', resultDesc: 'Sukses', data: { jwt } }
        : { resultCode: '0', resultDesc: 'Sukses', data: { token: `otp-session-token-${String(++otp).padStart(6, '0')}-${'x'.repeat(16)}` } };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const config = loadConfig({
      ESIGN_MODE: 'live',
      PORT: '0',
      PUBLIC_URL: 'https://esign.example.go.id',
      DATA_DIR: '/tmp',
      PORTAL_SECRET: 'p'.repeat(40),
      PORTAL_ORIGINS: 'https://portal.example.go.id',
      PERURI_URL: 'https://peruri.test',
      PERURI_API_KEY: 'peruri-api-key-123456',
      PERURI_SYSTEM_ID: 'SYS',
    });
    const logger = createLogger({ level: 'silent', secrets: config.secrets, destination: { write: () => {} } });
    const peruri = buildProviders(config, { logger, fetch: fetch as never, retries: 0 }).peruri!.client;
    const scrub = secretScrubber(config.secrets);
    for (let i = 0; i < 300; i++) await peruri.getOtp({ orderId: String(1000 + i) });
    assert.equal(otp, 300);
    assert.equal(await peruri.tokens.get(), jwt, 'the JWT was fetched once and is still the current one');
    assert.equal(scrub(`Bearer ${jwt}`), 'Bearer [redacted]');
    assert.equal(scrub('otp-session-token-000300-xxxxxxxxxxxxxxxx'), '[redacted]', 'the newest session token too');
  });

  it('expire by lifetime: an ended one leaves, a kept one stays past the count cap', () => {
    const secrets = ['configured-secret-1'];
    const now = 1_700_000_000_000;
    noteIssuedSecret(secrets, 'kept-token-aaaaaaaaaaaaaaaa', { expiresAt: now + 86_400_000, keep: true, now });
    noteIssuedSecret(secrets, 'short-token-bbbbbbbbbbbbbbbb', { expiresAt: now + 1_000, now });
    for (let i = 0; i < 6000; i++) noteIssuedSecret(secrets, `flood-${String(i).padStart(6, '0')}-cccccccccccc`, { now: now + 2_000 });
    assert.ok(secrets.includes('configured-secret-1'));
    assert.ok(secrets.includes('kept-token-aaaaaaaaaaaaaaaa'), 'kept through 6000 newer tokens');
    assert.ok(!secrets.includes('short-token-bbbbbbbbbbbbbbbb'), 'gone once its lifetime ended');
    assert.ok(!secrets.includes('flood-000000-cccccccccccc'), 'the oldest of the flood made room');
    assert.ok(secrets.includes('flood-005999-cccccccccccc'));
    noteIssuedSecret(secrets, 'later-dddddddddddddddddd', { now: now + 86_400_001 });
    assert.ok(!secrets.includes('kept-token-aaaaaaaaaaaaaaaa'), 'a kept token leaves when its own lifetime ends');
  });
});
