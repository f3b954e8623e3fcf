// Portal tokens signed with the portal's own asymmetric key — RS256, PS256, ES256, ES384, EdDSA from a PEM, or
// any of them from a JWKS the portal serves (here on loopback) — minted with jose as a portal backend would,
// and refused for every way a token can be wrong: another key, an HS256 token where only the public key is
// configured (and the public key abused as an HMAC secret), an unknown kid, the wrong issuer or audience, a
// lifetime beyond 15 minutes. The JWKS is fetched with a timeout and cached; when it cannot be fetched the
// answer is 503, not a 401 that would blame the token.
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, SignJWT } from 'jose';
import { ConfigError, loadConfig } from '../../src/config.js';
import { signPortalToken } from '../../src/auth/jwt.js';
import { ENV, json, start, TEST_CLAIMS, type Running } from './helpers.js';

const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
const KEYS = {
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  PS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  EdDSA: generateKeyPairSync('ed25519'),
};
const OTHER = generateKeyPairSync('ec', { namedCurve: 'P-256' });
/** A fresh key of the same kind: a token it signs must be refused. */
const ANOTHER: Record<keyof typeof KEYS, () => { privateKey: KeyObject }> = {
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  PS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  EdDSA: () => generateKeyPairSync('ed25519'),
};

/** A token as a portal backend mints it with jose. */
function mint(alg: string, key: KeyObject, claims: Record<string, unknown> = {}, options: { kid?: string; ttl?: number; iss?: string; aud?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ ...TEST_CLAIMS, ...claims })
    .setProtectedHeader({ alg, typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) })
    .setSubject('portal-user')
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttl ?? 600));
  if (options.iss) jwt = jwt.setIssuer(options.iss);
  if (options.aud) jwt = jwt.setAudience(options.aud);
  return jwt.sign(key);
}

const providers = (s: Running, token: string) => fetch(`${s.base}/api/providers`, { headers: { authorization: `Bearer ${token}` } });
async function expectRefused(s: Running, token: string, code: string, status = 401) {
  const res = await providers(s, token);
  const body = await json(res);
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
}
const live = { PORTAL_SECRET: '' };

for (const [alg, pair] of Object.entries(KEYS)) {
  describe(`PORTAL_PUBLIC_KEY with an ${alg} key`, () => {
    let s: Running;
    before(async () => {
      s = await start({ ...live, PORTAL_PUBLIC_KEY: pem(pair.publicKey) });
    });
    after(async () => {
      await s.close();
      rmSync(s.dataDir, { recursive: true, force: true });
    });

    it('accepts a token the portal signed with its private key', async () => {
      assert.equal((await providers(s, await mint(alg, pair.privateKey))).status, 200);
    });
    it('refuses a token signed with another key, an HS256 token, and the public key used as an HMAC secret', async () => {
      const other = ANOTHER[alg as keyof typeof KEYS]();
      await expectRefused(s, await mint(alg, other.privateKey), 'token-signature');
      await expectRefused(s, signPortalToken({ sub: 'u' }, 'any-secret-of-at-least-32-bytes-long!'), 'token-algorithm');
      // The classic confusion: an HS256 token whose HMAC key is the server's own public key PEM.
      const b = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const unsigned = `${b({ alg: 'HS256', typ: 'JWT' })}.${b({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 300 })}`;
      await expectRefused(s, `${unsigned}.${createHmac('sha256', pem(pair.publicKey)).update(unsigned).digest('base64url')}`, 'token-algorithm');
    });
    it('keeps the lifetime rules: exp at most 15 minutes ahead', async () => {
      await expectRefused(s, await mint(alg, pair.privateKey, {}, { ttl: 3600 }), 'token-lifetime');
    });
  });
}

describe('PORTAL_JWKS_URL served on loopback, with issuer and audience', () => {
  const jwksKeys = { a: generateKeyPairSync('rsa', { modulusLength: 2048 }), b: generateKeyPairSync('ed25519') };
  let jwksServer: Server;
  let fetches = 0;
  let s: Running;
  before(async () => {
    const keys = [
      { ...(await exportJWK(jwksKeys.a.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(jwksKeys.b.publicKey)), kid: 'ed-1', alg: 'EdDSA', use: 'sig' },
    ];
    jwksServer = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
    s = await start({
      ...live,
      PORTAL_JWKS_URL: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`,
      PORTAL_TOKEN_ISSUER: 'https://portal.test',
      PORTAL_TOKEN_AUDIENCE: 'esign-kit',
    });
  });
  after(async () => {
    await s.close();
    jwksServer.close();
    rmSync(s.dataDir, { recursive: true, force: true });
  });
  const claims = { iss: 'https://portal.test', aud: 'esign-kit' };

  it('accepts tokens of each key by kid, and fetches the JWKS once for several requests (cached)', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await providers(s, await mint('RS256', jwksKeys.a.privateKey, {}, { kid: 'rsa-1', ...claims }))).status, 200);
      assert.equal((await providers(s, await mint('EdDSA', jwksKeys.b.privateKey, {}, { kid: 'ed-1', ...claims }))).status, 200);
    }
    assert.equal(fetches, 1);
  });

  it('refuses an unknown kid, a key outside the JWKS, another issuer or audience, and HS256', async () => {
    await expectRefused(s, await mint('RS256', jwksKeys.a.privateKey, {}, { kid: 'not-there', ...claims }), 'token-signature');
    await expectRefused(s, await mint('ES256', OTHER.privateKey, {}, { kid: 'rsa-1', ...claims }), 'token-signature');
    await expectRefused(s, await mint('RS256', jwksKeys.a.privateKey, {}, { kid: 'rsa-1', iss: 'https://elsewhere.test', aud: 'esign-kit' }), 'token-claims');
    await expectRefused(
      s,
      await mint('RS256', jwksKeys.a.privateKey, {}, { kid: 'rsa-1', iss: 'https://portal.test', aud: 'another-service' }),
      'token-claims',
    );
    await expectRefused(s, signPortalToken({ sub: 'u' }, 'any-secret-of-at-least-32-bytes-long!'), 'token-algorithm');
  });
});

describe('PORTAL_JWKS_URL that cannot be fetched', () => {
  const running: Running[] = [];
  let failing: Server;
  let refusedPort = 0;
  before(async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    refusedPort = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    failing = createServer((_req, res) => void res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>maintenance</h1>'));
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    for (const s of running) {
      await s.close();
      rmSync(s.dataDir, { recursive: true, force: true });
    }
    failing.close();
  });
  it('is a 503 naming the keys, not a 401 blaming the token: connection refused, or an error page instead of a JWKS', async () => {
    for (const url of [`http://127.0.0.1:${refusedPort}/jwks.json`, `http://127.0.0.1:${(failing.address() as AddressInfo).port}/jwks.json`]) {
      const s = await start({ ...live, PORTAL_JWKS_URL: url, PORTAL_TOKEN_AUDIENCE: 'esign-kit' });
      running.push(s);
      await expectRefused(s, await mint('RS256', KEYS.RS256.privateKey, {}, { kid: 'k', aud: 'esign-kit' }), 'token-keys-unavailable', 503);
    }
  });
});

describe('portal key settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esign-keys-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...ENV, DATA_DIR: dir, ...env });
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
  };

  it('live mode needs PORTAL_SECRET unless a public key or JWKS is set; a key file path works; PEM with \\n escapes works', () => {
    assert.match(problems({ PORTAL_SECRET: '' }).join(), /PORTAL_SECRET is required/);
    const file = join(dir, 'portal.pem');
    writeFileSync(file, pem(KEYS.ES256.publicKey));
    assert.deepEqual(problems({ PORTAL_SECRET: '', PORTAL_PUBLIC_KEY: file }), []);
    assert.deepEqual(problems({ PORTAL_SECRET: '', PORTAL_PUBLIC_KEY: pem(KEYS.EdDSA.publicKey).replace(/\n/g, '\\n') }), []);
  });

  it('refuses a private key, a key of an unsupported kind, both sources at once, and a plain-http JWKS in live mode', () => {
    assert.match(problems({ PORTAL_PUBLIC_KEY: KEYS.RS256.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }).join(), /private key/);
    assert.match(problems({ PORTAL_PUBLIC_KEY: pem(generateKeyPairSync('x25519').publicKey) }).join(), /PORTAL_PUBLIC_KEY is not a usable public key/);
    assert.match(problems({ PORTAL_PUBLIC_KEY: pem(KEYS.ES256.publicKey), PORTAL_JWKS_URL: 'https://portal.test/jwks.json' }).join(), /not both/);
    assert.match(problems({ PORTAL_JWKS_URL: 'http://portal.test/jwks.json' }).join(), /PORTAL_JWKS_URL must be an https URL/);
    assert.match(problems({ PORTAL_PUBLIC_KEY: join(dir, 'missing.pem') }).join(), /neither a PEM key nor a readable file/);
  });
});
