// Acting on other people's provider accounts, as the red team did with a valid portal token: Mallory's token
// names only her own identities (Eko's NIK and e-mail) and no scope. Every route that acts on a person's
// account refuses another person's NIK or e-mail (403 identity-not-allowed, naming the body field), every
// organisation-level route refuses a token without `scope: "esign:org"` (403 scope-required), and the Digisign
// contact-change takeover leaves the victim's account where it was. The same requests with a token that names
// the people pass the check. The sandbox's development tokens name the demo's identities and the scope, and
// are refused to a request relayed by a proxy; IDENTITY_CLAIMS=off lets any token act as anyone, with a warning.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sandboxIdentityClaims } from '../../../server/test/identities.js';
import { form, makePdf, pdfPart, startKit, type Kit, type Part } from './kit.js';

const MALLORY = { 'esign:nik': ['3578000000000002'], 'esign:email': ['eko@digisign.sandbox.test'] };
const SITI = 'siti@peruri.sandbox.test';
const FITRI = 'fitri@digisign.sandbox.test';
const BUDI_NIK = '3171000000000001';
const SEAL = 'SANDBOX-SEAL-0001';
const JPEG: Part = { data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(64).fill(0)]), type: 'image/jpeg' };
const PNG: Part = { data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]), type: 'image/png' };
const MP4: Part = { data: new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, ...new Array(64).fill(0)]), type: 'video/mp4' };

type Body = Record<string, unknown> | (() => Promise<Record<string, Part>>);
interface Case {
  name: string;
  path: string;
  body: Body;
  /** The field named by the refusal, or `scope` for an organisation-level route. */
  refused: string;
}

describe('portal tokens name whose identities their user may act as', { timeout: 120_000 }, () => {
  let kit: Kit;
  let pdf: Uint8Array;
  before(async () => {
    kit = await startKit();
    pdf = await makePdf();
  });
  after(() => kit?.close());

  async function call(path: string, body: Body, claims: Record<string, unknown>, sub = 'mallory') {
    const headers = kit.auth(sub, claims);
    const fields = typeof body === 'function' ? await body() : undefined;
    const res = await fetch(
      `${kit.base}${path}`,
      fields
        ? { method: 'POST', headers, body: form(fields) }
        : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return { status: res.status, body: (await res.json()) as any };
  }
  const file = () => pdfPart(pdf);

  const cases: Case[] = [
    { name: 'BSrE certificate status of another NIK', path: '/api/bsre/users/status', body: { nik: BUDI_NIK }, refused: 'nik' },
    { name: 'BSrE registration of another e-mail', path: '/api/bsre/users', body: { name: 'Korban', email: 'korban@instansi.sandbox.test' }, refused: 'email' },
    { name: 'a BSrE signing TOTP for another NIK', path: '/api/bsre/totp', body: { nik: BUDI_NIK }, refused: 'nik' },
    {
      name: 'BSrE signing as another NIK',
      path: '/api/bsre/signatures',
      body: async () => ({ file: file(), nik: BUDI_NIK, passphrase: 'Sandbox#2024' }),
      refused: 'nik',
    },
    {
      name: 'BSrE bulk signing',
      path: '/api/bsre/signatures/bulk',
      body: async () => ({ files: file(), nik: '3578000000000002', passphrase: 'Sandbox#2024' }),
      refused: 'scope',
    },
    { name: 'BSrE seal activation', path: '/api/bsre/seals/activation', body: { idSubscriber: SEAL }, refused: 'scope' },
    { name: 'BSrE seal activation refresh', path: '/api/bsre/seals/activation/refresh', body: { idSubscriber: SEAL, totp: 'abc' }, refused: 'scope' },
    { name: 'BSrE seal activation revoke', path: '/api/bsre/seals/activation/revoke', body: { idSubscriber: SEAL, totp: 'abc' }, refused: 'scope' },
    { name: 'a BSrE seal OTP', path: '/api/bsre/seals/totp', body: { idSubscriber: SEAL, activationTotp: 'abc' }, refused: 'scope' },
    { name: 'a BSrE seal', path: '/api/bsre/seals', body: async () => ({ files: file(), idSubscriber: SEAL, totp: '123456' }), refused: 'scope' },
    {
      name: 'Peruri registration of another person',
      path: '/api/peruri/users',
      body: async () => ({
        name: 'Korban',
        phone: '081399990000',
        email: 'korban@peruri.sandbox.test',
        nik: '3273999900000001',
        address: 'Jl. 1',
        city: 'Jakarta',
        province: 'DKI',
        gender: 'F',
        placeOfBirth: 'Bandung',
        dateOfBirth: '1990-01-01',
        ktpPhoto: PNG,
      }),
      refused: 'nik',
    },
    {
      name: "replacing another person's Peruri specimen",
      path: '/api/peruri/users/specimen',
      body: async () => ({ email: SITI, specimen: PNG }),
      refused: 'email',
    },
    { name: "another person's Peruri certificate status", path: '/api/peruri/users/certificate', body: { email: SITI }, refused: 'email' },
    { name: 'Peruri activation of another person', path: '/api/peruri/users/activation', body: { email: 'andi@peruri.sandbox.test' }, refused: 'email' },
    {
      name: 'Peruri video e-KYC of another person',
      path: '/api/peruri/users/video',
      body: async () => ({ email: 'andi@peruri.sandbox.test', video: MP4 }),
      refused: 'email',
    },
    { name: 'a Peruri order for another signer', path: '/api/peruri/documents', body: async () => ({ file: file(), email: SITI }), refused: 'email' },
    {
      name: 'a Peruri Signing System order (no OTP)',
      path: '/api/peruri/documents',
      body: async () => ({ file: file(), email: 'eko@digisign.sandbox.test', orderType: 'SYSTEM' }),
      refused: 'scope',
    },
    {
      name: 'a Peruri tier with another signer',
      path: '/api/peruri/tiers',
      body: async () => ({ file: file(), uploader: 'eko@digisign.sandbox.test', signers: JSON.stringify(['eko@digisign.sandbox.test', SITI]) }),
      refused: 'signers.1',
    },
    {
      name: 'a Peruri bulk upload',
      path: '/api/peruri/documents/bulk',
      body: async () => ({ files: file(), email: 'eko@digisign.sandbox.test' }),
      refused: 'scope',
    },
    { name: 'a Peruri bulk OTP', path: '/api/peruri/batches', body: { orderIds: ['3001'] }, refused: 'scope' },
    { name: 'Peruri bulk signing', path: '/api/peruri/batches/201/signatures', body: { otpCode: '123456' }, refused: 'scope' },
    { name: 'the Peruri Signing System key', path: '/api/peruri/system/key', body: { minutes: 5 }, refused: 'scope' },
    { name: 'Peruri Signing System signing', path: '/api/peruri/system/signatures', body: { orderIds: ['3001'] }, refused: 'scope' },
    {
      name: 'Digisign registration of another person',
      path: '/api/digisign/users',
      body: async () => ({
        name: 'Korban',
        phone: '081499990000',
        birthDate: '1990-01-01',
        nik: '3578999900000001',
        placeOfBirth: 'Surabaya',
        email: 'korban@digisign.sandbox.test',
        gender: 'female',
        ktpPhoto: JPEG,
        selfie: JPEG,
      }),
      refused: 'nik',
    },
    {
      name: "the Digisign contact-change takeover (another person's account to Mallory's e-mail and phone)",
      path: '/api/digisign/users/contact',
      body: { oldEmail: FITRI, newEmail: 'eko@digisign.sandbox.test', oldPhone: '081400000003', newPhone: '081400000002' },
      refused: 'oldEmail',
    },
    {
      name: "another person's Peruri activation web view",
      path: '/api/webviews',
      body: { provider: 'peruri', flow: 'activation', email: 'andi@peruri.sandbox.test' },
      refused: 'email',
    },
    {
      name: "another person's Digisign activation web view",
      path: '/api/webviews',
      body: { provider: 'digisign', flow: 'activation', email: FITRI },
      refused: 'email',
    },
    {
      name: "another signer's Digisign signing web view",
      path: '/api/webviews',
      body: { provider: 'digisign', flow: 'signing', email: 'dewi@digisign.sandbox.test', digisignDocumentId: 'ek0001' },
      refused: 'email',
    },
    {
      name: "confirming another person's Peruri activation",
      path: '/api/webviews/confirmations',
      body: { provider: 'peruri', flow: 'activation', email: SITI },
      refused: 'email',
    },
    {
      name: "confirming another person's Digisign activation",
      path: '/api/webviews/confirmations',
      body: { provider: 'digisign', flow: 'activation', email: FITRI },
      refused: 'email',
    },
    {
      name: "confirming another signer's Digisign signing",
      path: '/api/webviews/confirmations',
      body: { provider: 'digisign', flow: 'signing', email: 'dewi@digisign.sandbox.test', digisignDocumentId: 'ek0001' },
      refused: 'email',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const res = await call(c.path, c.body, MALLORY);
      assert.equal(res.status, 403, JSON.stringify(res.body));
      if (c.refused === 'scope') assert.deepEqual([res.body.error.code, res.body.error.field], ['scope-required', 'authorization']);
      else assert.deepEqual([res.body.error.code, res.body.error.field], ['identity-not-allowed', c.refused]);
      assert.match(res.body.error.message, c.refused === 'scope' ? /esign:org/ : /esign:(nik|email)/);
    });
  }

  it("the takeover changed nothing: the victim's account still answers to her own e-mail", async () => {
    const link = await call('/api/webviews', { provider: 'digisign', flow: 'activation', email: FITRI }, sandboxIdentityClaims(), 'fitri');
    // Had the account moved, Digisign would not know this e-mail any more (result 06, "General Error").
    assert.equal(link.status, 201, JSON.stringify(link.body));
  });

  it('a token naming the people passes each check (the provider answers, for better or worse)', async () => {
    const all = sandboxIdentityClaims({
      niks: ['3273999900000001', '3578999900000001'],
      emails: ['korban@instansi.sandbox.test', 'korban@peruri.sandbox.test', 'korban@digisign.sandbox.test'],
    });
    for (const c of cases) {
      const res = await call(c.path, c.body, all, 'operator');
      assert.ok(!['identity-not-allowed', 'scope-required'].includes(res.body.error?.code), `${c.name}: ${JSON.stringify(res.body)}`);
    }
  });

  it("an order's signer must stay named: the same portal user without it in the token cannot go on with the order", async () => {
    const operator = sandboxIdentityClaims();
    const sent = await call('/api/peruri/documents', async () => ({ file: pdfPart(pdf), email: SITI }), operator, 'operator');
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const orderId = sent.body.orderId as string;
    const withoutSiti = { ...operator, 'esign:email': (operator['esign:email'] as string[]).filter((e) => e !== SITI) };
    for (const [path, body] of [
      [`/api/peruri/documents/${orderId}/otp`, {}],
      [`/api/peruri/documents/${orderId}/signatures`, { otpCode: '123456' }],
      ['/api/webviews', { provider: 'peruri', flow: 'signing', orderId }],
      ['/api/webviews/confirmations', { provider: 'peruri', flow: 'signing', orderId }],
      ['/api/peruri/batches', { orderIds: [orderId] }],
    ] as const) {
      const res = await call(path, body, withoutSiti, 'operator');
      assert.equal(res.status, 403, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'identity-not-allowed');
      assert.match(res.body.error.field, /^orderIds?(\.0)?$/);
    }
    const status = await fetch(`${kit.base}/api/peruri/documents/${orderId}/status`, { headers: kit.auth('operator', withoutSiti) });
    assert.equal(status.status, 403);
    assert.equal((await call(`/api/peruri/documents/${orderId}/otp`, {}, operator, 'operator')).status, 201);
  });

  it('a malformed identity claim is a refused token (401 token-claims)', async () => {
    for (const claims of [{ 'esign:nik': '123' }, { 'esign:email': ['not-an-email'] }, { 'esign:nik': [3171000000000001] }, { scope: 42 }]) {
      const res = await fetch(`${kit.base}/api/providers`, { headers: kit.auth('u', claims) });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as any).error.code, 'token-claims');
    }
  });

  it('the sandbox token route names the demo identities and the org scope, plus the people asked for; never through a proxy', async () => {
    const res = await fetch(`${kit.base}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'demo', nik: '3171999900000001', email: ['baru@instansi.sandbox.test'] }),
    });
    assert.equal(res.status, 201);
    const { token } = (await res.json()) as { token: string };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, string[] | string>;
    assert.equal(claims.scope, 'esign:org');
    for (const nik of [BUDI_NIK, '3273000000000001', '3578000000000003', '3171999900000001']) assert.ok(claims['esign:nik']!.includes(nik), nik);
    for (const email of [SITI, FITRI, 'issue@bsre.sandbox.test', 'baru@instansi.sandbox.test']) assert.ok(claims['esign:email']!.includes(email), email);
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via']) {
      const relayed = await fetch(`${kit.base}/api/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [header]: header === 'forwarded' ? 'for=203.0.113.9' : '203.0.113.9' },
        body: '{}',
      });
      assert.equal(relayed.status, 403, header);
    }
  });
});

describe('IDENTITY_CLAIMS=off', { timeout: 60_000 }, () => {
  let kit: Kit;
  before(async () => {
    kit = await startKit({ env: { IDENTITY_CLAIMS: 'off' } });
  });
  after(() => kit?.close());

  it('lets a token without claims act as anyone, and says so loudly at start', async () => {
    const res = await fetch(`${kit.base}/api/bsre/users/status`, {
      method: 'POST',
      headers: { ...kit.auth('u', {}), 'content-type': 'application/json' },
      body: JSON.stringify({ nik: BUDI_NIK }),
    });
    assert.equal(res.status, 200);
    const warnings = kit.logs.map((l) => JSON.parse(l) as { level: number; warning?: string }).filter((l) => l.level === 40 && l.warning);
    assert.ok(
      warnings.some((w) => /IDENTITY_CLAIMS=off/.test(w.warning!)),
      JSON.stringify(warnings),
    );
  });
});
