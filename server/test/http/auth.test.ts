import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signPortalToken, TokenError, verifyPortalToken } from '../../src/auth/jwt.js';
import { isLoopback } from '../../src/http/routes/system.js';
import { json, PORTAL, SECRET, useServer } from './helpers.js';

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function forge(header: unknown, claims: unknown, secret = SECRET): string {
  const h = b64u(header);
  const c = b64u(claims);
  return `${h}.${c}.${createHmac('sha256', secret).update(`${h}.${c}`).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('portal tokens (HS256)', () => {
  it('round-trips sub and refuses a lifetime above 15 minutes at minting', async () => {
    assert.equal((await verifyPortalToken(signPortalToken({ sub: 'u1' }, SECRET), SECRET)).sub, 'u1');
    assert.throws(() => signPortalToken({ sub: 'u1' }, SECRET, { ttlSeconds: 3600 }), RangeError);
  });

  const cases: [string, string, TokenError['code']][] = [
    ['wrong secret', signPortalToken({ sub: 'u' }, 'another-secret-another-secret-xx'), 'token-signature'],
    ['expired', forge({ alg: 'HS256' }, { sub: 'u', exp: now() - 120 }), 'token-expired'],
    ['exp too far ahead', forge({ alg: 'HS256' }, { sub: 'u', exp: now() + 3600 }), 'token-lifetime'],
    ['alg none', `${b64u({ alg: 'none' })}.${b64u({ sub: 'u', exp: now() + 60 })}.`, 'token-algorithm'],
    ['no sub', forge({ alg: 'HS256' }, { exp: now() + 60 }), 'token-claims'],
    ['no exp', forge({ alg: 'HS256' }, { sub: 'u' }), 'token-claims'],
    ['garbage', 'not.a.jwt!', 'token-malformed'],
  ];
  for (const [name, token, code] of cases) {
    it(`refuses a token: ${name}`, async () => {
      await assert.rejects(verifyPortalToken(token, SECRET), (e: unknown) => e instanceof TokenError && e.code === code);
    });
  }

  it('knows loopback addresses', () => {
    assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('::ffff:127.0.0.1'));
    assert.ok(!isLoopback('10.0.0.2') && !isLoopback(undefined));
  });
});

describe('authentication over HTTP', () => {
  const h = useServer();

  it('health needs no token', async () => {
    const res = await fetch(`${h.s.base}/api/health`);
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.deepEqual(Object.keys(body).sort(), ['mode', 'status', 'store', 'uptimeSeconds', 'version']);
    // The store's state, and nothing that names a path or an address (the route is public).
    assert.deepEqual(body.store, { kind: 'filesystem', ok: true, writable: true });
  });

  for (const [name, header] of [
    ['missing', undefined],
    ['not bearer', 'Basic dTpw'],
    ['expired', `Bearer ${forge({ alg: 'HS256' }, { sub: 'u', exp: now() - 120 })}`],
    ['wrong secret', `Bearer ${signPortalToken({ sub: 'u' }, 'another-secret-another-secret-xx')}`],
  ] as const) {
    it(`answers 401 for a ${name} token`, async () => {
      const res = await fetch(`${h.s.base}/api/providers`, { headers: header ? { authorization: header } : {} });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      const body = await json(res);
      assert.match(body.error.code, /^token-/);
      assert.equal(typeof body.error.message, 'string');
    });
  }

  it('accepts a valid token; unknown API routes then answer a JSON 404', async () => {
    assert.equal((await fetch(`${h.s.base}/api/providers`, { headers: h.s.auth() })).status, 200);
    const res = await fetch(`${h.s.base}/api/nope?x=1`, { headers: h.s.auth() });
    assert.equal(res.status, 404);
    assert.deepEqual(await json(res), { error: { code: 'not-found', message: 'No API route GET /api/nope.' } });
  });

  it('has no token route in live mode', async () => {
    const res = await fetch(`${h.s.base}/api/tokens`, { method: 'POST', headers: h.s.auth() });
    assert.equal(res.status, 404);
  });

  it('CORS: allows PORTAL_ORIGINS only', async () => {
    const ok = await fetch(`${h.s.base}/api/providers`, {
      method: 'OPTIONS',
      headers: { origin: PORTAL, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), PORTAL);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const bad = await fetch(`${h.s.base}/api/providers`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' },
    });
    assert.equal(bad.status, 403);
    assert.equal(bad.headers.get('access-control-allow-origin'), null);
    const simple = await fetch(`${h.s.base}/api/health`, { headers: { origin: 'https://evil.test' } });
    assert.equal(simple.headers.get('access-control-allow-origin'), null);
  });
});

describe('sandbox development tokens', () => {
  const h = useServer({ ESIGN_MODE: 'sandbox', PORTAL_SECRET: '', PORTAL_ORIGINS: '', PUBLIC_URL: '' });

  it('hands a loopback client a token the API accepts', async () => {
    assert.equal(h.s.config.portalSecretGenerated, true);
    const res = await fetch(`${h.s.base}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'demo' }),
    });
    assert.equal(res.status, 201);
    const { token, expiresIn } = await json(res);
    assert.equal(expiresIn, 900);
    assert.equal((await verifyPortalToken(token, h.s.config.portalSecret)).sub, 'demo');
    assert.equal((await fetch(`${h.s.base}/api/providers`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  });

  it('refuses a page of a foreign origin', async () => {
    const res = await fetch(`${h.s.base}/api/tokens`, { method: 'POST', headers: { origin: 'https://evil.test' } });
    assert.equal(res.status, 403);
    assert.equal((await json(res)).error.code, 'forbidden');
  });
});

describe('token lifetime and malformed uploads', () => {
  const h = useServer();
  it('refuses a token issued for longer than 15 minutes even in its last minutes, and one issued in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Minted by hand: signPortalToken itself refuses to make such tokens.
    const raw = (claims: object) => {
      const b = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const unsigned = `${b({ alg: 'HS256', typ: 'JWT' })}.${b(claims)}`;
      return `${unsigned}.${createHmac('sha256', h.s.config.portalSecret).update(unsigned).digest('base64url')}`;
    };
    const long = raw({ sub: 'u', iat: now - 86_000, exp: now + 400 });
    const res = await fetch(`${h.s.base}/api/providers`, { headers: { authorization: `Bearer ${long}` } });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'token-lifetime');
    const future = raw({ sub: 'u', iat: now + 3600, exp: now + 600 });
    assert.equal((await fetch(`${h.s.base}/api/providers`, { headers: { authorization: `Bearer ${future}` } })).status, 401);
  });

  it('answers a truncated multipart body or one without a boundary with 400, not 500', async () => {
    const headers = { ...h.s.auth(), 'content-type': 'multipart/form-data; boundary=XYZ' };
    const truncated = await fetch(`${h.s.base}/api/documents`, {
      method: 'POST',
      headers,
      body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7 cut',
    });
    assert.equal(truncated.status, 400);
    assert.equal((await truncated.json()).error.code, 'invalid-input');
    const noBoundary = await fetch(`${h.s.base}/api/documents`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'multipart/form-data' },
      body: 'x',
    });
    assert.equal(noBoundary.status, 400);
  });
});
