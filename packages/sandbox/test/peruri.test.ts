// Contract suite: PeruriClient against the Peruri simulator on loopback — JWT, certificate flow, single,
// tiered, bulk and system signing, with real signatures judged by poppler.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PeruriClient, peruriSession } from '../../../server/src/providers/adapters.js';
import { sandboxContext } from '../src/context.js';
import { GEOMETRY_CASES } from '../../../test/fixtures/geometry-pdf.js';
import {
  GREEN,
  RED,
  boundsOf,
  CREDENTIALS,
  fetchWith,
  geometriesOf,
  geometryCasePdf,
  inbox,
  latestCode,
  pdfsig,
  removeDir,
  samplePdf,
  solidPng,
  startSandbox,
  trustedNss,
  type Sandbox,
  rejects,
} from './harness.js';

const SITI = 'siti@peruri.sandbox.test';
const RINA = 'rina@peruri.sandbox.test';

let sb: Sandbox;
let nss: string;
let client: PeruriClient;
const settings = () => ({
  baseUrl: `${sb.base}/peruri`,
  apiKey: CREDENTIALS.peruriApiKey,
  systemId: CREDENTIALS.peruriSystemId,
  webViewBaseUrl: `${sb.webBase}/peruri`,
});

before(async () => {
  sb = await startSandbox('peruri');
  nss = await trustedNss(sb);
  client = new PeruriClient(settings());
});
after(async () => {
  await sb.close();
  removeDir(sb.dir);
});

async function assertSigned(pdf: Uint8Array, count: number, names: string[]) {
  const { signatures, stdout } = await pdfsig(sb.dir, pdf, nss);
  assert.equal(signatures.length, count, stdout);
  signatures.forEach((s, i) => {
    assert.equal(s.validation, 'Signature is Valid.', stdout);
    assert.equal(s.certificate, 'Certificate is Trusted.', stdout);
    if (names[i]) assert.equal(s.commonName, names[i]);
  });
  assert.equal(signatures[count - 1]?.total, true, stdout);
}

const raw = async (op: string, wrapper: string, fields: Record<string, unknown>) => {
  const jwt = await client.tokens.get();
  const res = await fetch(`${sb.base}/peruri/digitalSignatureFullJwtSandbox/1.0/${op}/v1`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-Gateway-APIKey': CREDENTIALS.peruriApiKey, Authorization: `Bearer ${jwt}` },
    body: JSON.stringify({ [wrapper]: fields }),
  });
  return { status: res.status, body: (await res.json()) as { resultCode: string; resultDesc: string; data?: unknown } };
};

describe('Peruri: JWT and certificate flow (§3, §4)', () => {
  it('issues a one-day JWT for the systemId', async () => {
    const jwt = await client.tokens.get();
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { exp: number; sub: string };
    assert.equal(claims.sub, CREDENTIALS.peruriSystemId);
    assert.ok(Math.abs(claims.exp * 1000 - Date.now() - 86_400_000) < 60_000);
    await rejects(new PeruriClient({ ...settings(), systemId: 'OTHER' }).activation({ email: SITI }), { providerCode: '4002' });
  });

  it('registration → activation → video → specimen → certificate issued', async () => {
    const email = 'yusuf@warga.sandbox.test';
    await client.registration({
      name: 'Yusuf Maulana',
      phone: '081377700011',
      email,
      ktp: '3201000000000077',
      ktpPhoto: solidPng(10, 10, RED),
      address: 'Jl. Merdeka 1',
      city: 'Bogor',
      province: 'Jawa Barat',
      gender: 'M',
      placeOfBirth: 'Bogor',
      dateOfBirth: '1990-04-01',
    });
    assert.match((await inbox(sb, email))[0]?.text ?? '', /index\.php\?email=/);
    await rejects(client.checkCertificate({ email }), { code: 'provider-rejected', providerCode: '3', providerMessage: 'Sertifikat belum terbit' });
    await rejects(client.videoVerification({ email, video: new Uint8Array([1, 2, 3]) }), { providerCode: '4006' });
    assert.match((await client.activation({ email })).resultDesc, /Sukses aktivasi/);
    await rejects(client.videoVerification({ email, video: new TextEncoder().encode('FAIL face') }), { providerCode: '4014' });
    await client.videoVerification({ email, video: new TextEncoder().encode('a face video') });
    await client.sendSpecimen({ email, specimen: solidPng(60, 20, GREEN) });
    assert.equal((await client.checkCertificate({ email })).resultCode, '0');
    await rejects(
      client.registration({
        name: 'Yusuf Maulana',
        phone: '081377700011',
        email,
        ktp: '3201000000000077',
        ktpPhoto: solidPng(10, 10, RED),
        address: 'x',
        city: 'x',
        province: 'x',
        gender: 'M',
        placeOfBirth: 'x',
        dateOfBirth: '1990-04-01',
      }),
      { providerCode: '4003' },
    );
    // An unknown e-mail is a failure with Peruri's code, not "not issued yet" (seed 003: Selain "0" = Gagal).
    await rejects(client.checkCertificate({ email: 'nobody@warga.sandbox.test' }), { code: 'provider-rejected', providerCode: '4005' });
  });
});

describe('Peruri: single document (§5)', () => {
  for (const c of [GEOMETRY_CASES[3]!, GEOMETRY_CASES[6]!]) {
    it(`send → OTP from the inbox → sign → status → download; stamp on the box: ${c.name}`, async () => {
      const { pdf, box, pages } = await geometryCasePdf(c);
      const quarter = pages[0]!.rotate % 180 !== 0;
      await client.sendSpecimen({ email: SITI, specimen: solidPng(quarter ? box.height : box.width, quarter ? box.width : box.height, GREEN) });
      const { orderId } = await client.sendDocument({
        email: SITI,
        fileName: 'kontrak.pdf',
        pdf,
        placement: { boxes: [box], pages, location: 'JAKARTA', reason: 'Setuju' },
      });
      assert.equal((await client.viewDocument({ orderId })).coordinatesSet, true);
      await rejects(client.checkDocumentStatus({ orderId }), { code: 'provider-rejected' });
      const otp = await client.getOtp({ orderId });
      assert.equal(otp.phone, '081300000001');
      const code = await latestCode(sb, SITI);
      assert.equal(code, await latestCode(sb, '081300000001'), 'the same code by e-mail and SMS');
      await rejects(client.signing({ orderId, otpCode: code === '000000' ? '111111' : '000000', token: otp.token }), { providerCode: '4007' });
      await rejects(client.signing({ orderId, otpCode: code, token: 'f'.repeat(32) }), { providerCode: '4008' });
      await client.signing({ orderId, otpCode: code, token: otp.token });
      assert.equal((await client.checkDocumentStatus({ orderId })).resultCode, '0');
      const { pdf: signed } = await client.downloadDocument({ orderId });
      await assertSigned(signed, 1, ['Siti Rahayu']);
      const expected = await boundsOf(sb.dir, pdf, 1, RED);
      const got = await boundsOf(sb.dir, signed, 1, GREEN);
      assert.ok(expected && got);
      for (const k of ['left', 'top', 'right', 'bottom'] as const)
        assert.ok(Math.abs(expected[k] - got[k]) <= 1, `${k}: red ${expected[k]} vs stamp ${got[k]}`);
    });
  }

  it('takes the placement at signing instead, and refuses unknown orders and decimal coordinates (4012)', async () => {
    const pdf = await samplePdf(2);
    const pages = await geometriesOf(pdf);
    const { orderId } = await client.sendDocument({ email: SITI, fileName: 'b.pdf', pdf });
    assert.equal((await client.viewDocument({ orderId })).coordinatesSet, false);
    const otp = await client.getOtp({ orderId });
    await client.signing({
      orderId,
      otpCode: await latestCode(sb, SITI),
      token: otp.token,
      placement: { boxes: [{ page: 2, x: 400, y: 40, width: 120, height: 50 }], pages },
    });
    await assertSigned((await client.downloadDocument({ orderId })).pdf, 1, ['Siti Rahayu']);
    await rejects(client.getOtp({ orderId }), { providerCode: '4009' });
    await rejects(client.downloadDocument({ orderId: '999999' }), { providerCode: '4004' });
    const decimal = await raw('sendDocument', 'param', {
      email: SITI,
      payload: {
        fileName: 'c.pdf',
        base64Document: Buffer.from(pdf).toString('base64'),
        signer: [
          { isVisualSign: 'YES', lowerLeftX: '454.5', lowerLeftY: '45', upperRightX: '529', upperRightY: '116', page: '1', certificateLevel: 'NOT_CERTIFIED' },
        ],
      },
      systemId: CREDENTIALS.peruriSystemId,
    });
    assert.equal(decimal.body.resultCode, '4012');
    const tooLong = await raw('sendDocument', 'param', {
      email: SITI,
      payload: {
        fileName: 'c.pdf',
        base64Document: Buffer.from(pdf).toString('base64'),
        signer: [{ isVisualSign: 'YES', lowerLeftX: '1000', lowerLeftY: '45', upperRightX: '1100', upperRightY: '116', page: '1' }],
      },
      systemId: CREDENTIALS.peruriSystemId,
    });
    assert.equal(tooLong.body.resultCode, '4012');
    const unwrapped = await raw('viewDocument', 'wrong', { orderId });
    assert.equal(unwrapped.body.resultCode, '4001');
    const prefixed = await raw('sendDocument', 'param', {
      email: SITI,
      payload: { fileName: 'd.pdf', base64Document: `data:application/pdf;base64,${Buffer.from(pdf).toString('base64')}` },
      systemId: CREDENTIALS.peruriSystemId,
    });
    assert.equal(prefixed.body.resultCode, '4015');
    await rejects(client.sendDocument({ email: 'andi@peruri.sandbox.test', fileName: 'e.pdf', pdf }), { providerCode: '4006' });
    const plain = join(sb.dir, 'p-plain.pdf');
    writeFileSync(plain, pdf);
    await promisify(execFile)('qpdf', ['--encrypt', 'u', 'o', '256', '--', plain, join(sb.dir, 'p-locked.pdf')]);
    await rejects(client.sendDocument({ email: SITI, fileName: 'locked.pdf', pdf: new Uint8Array(readFileSync(join(sb.dir, 'p-locked.pdf'))) }), {
      providerCode: '4015',
    });
  });
});

describe('Peruri: tiers, bulk and signing system (§6–§8)', () => {
  it('signs a tier in order, e-mailing each signer in turn', async () => {
    const pdf = await samplePdf(1);
    const pages = await geometriesOf(pdf);
    const { orderId } = await client.sendDocumentTier({ uploader: SITI, fileName: 'tier.pdf', pdf, signers: [SITI, RINA] });
    let otp = await client.getOtp({ orderId });
    await client.signingTier({
      orderId,
      otpCode: await latestCode(sb, SITI),
      token: otp.token,
      placement: { boxes: [{ page: 1, x: 60, y: 60, width: 120, height: 50 }], pages, location: 'JAKARTA' },
    });
    await rejects(client.checkDocumentStatus({ orderId }), { code: 'provider-rejected' });
    assert.match((await inbox(sb, RINA))[0]?.text ?? '', /2 dari 2/);
    otp = await client.getOtp({ orderId });
    assert.equal(otp.phone, '081300000002');
    await client.signingTier({
      orderId,
      otpCode: await latestCode(sb, RINA),
      token: otp.token,
      placement: { boxes: [{ page: 1, x: 300, y: 60, width: 120, height: 50 }], pages, location: 'BANDUNG' },
    });
    assert.equal((await client.checkDocumentStatus({ orderId })).resultCode, '0');
    await assertSigned((await client.downloadDocument({ orderId })).pdf, 2, ['Siti Rahayu', 'Rina Marlina']);
  });

  it('bulk: upload, set signature, one OTP, sign all', async () => {
    const pdf = await samplePdf(1);
    const pages = await geometriesOf(pdf);
    const { orderIds } = await client.sendDocumentBulk({
      email: SITI,
      files: [
        { fileName: 'a.pdf', pdf },
        { fileName: 'b.pdf', pdf },
      ],
    });
    assert.equal(orderIds.length, 2);
    await rejects(client.getOtpBulk({ orderIds }), { providerCode: '4001' });
    for (const orderId of orderIds) await client.setSignature({ orderId, placement: { boxes: [{ page: 1, x: 60, y: 60, width: 120, height: 50 }], pages } });
    const otp = await client.getOtpBulk({ orderIds });
    assert.ok(otp.orderIdBulk);
    const done = await client.signingBulk({ orderIdBulk: otp.orderIdBulk, otpCode: await latestCode(sb, SITI), token: otp.token });
    assert.deepEqual(
      done.documents.map((d) => d.orderId),
      orderIds,
    );
    assert.equal(done.documents[0]!.fileName, `${orderIds[0]}_a.pdf`);
    for (const orderId of orderIds) await assertSigned((await client.downloadDocument({ orderId })).pdf, 1, ['Siti Rahayu']);
  });

  it('signing system: Set Key, orderType SYSTEM, HMAC session; a wrong session is refused', async () => {
    const pdf = await samplePdf(1);
    const pages = await geometriesOf(pdf);
    const set = await client.setKey({ key: 'p3rur1', minutes: 30 });
    assert.match(set.expiredDate ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const a = await client.sendDocument({
      email: SITI,
      fileName: 's1.pdf',
      pdf,
      orderType: 'SYSTEM',
      placement: { boxes: [{ page: 1, x: 60, y: 60, width: 120, height: 50 }], pages },
    });
    const b = await client.sendDocument({ email: SITI, fileName: 's2.pdf', pdf, orderType: 'SYSTEM' });
    const normal = await client.sendDocument({ email: SITI, fileName: 's3.pdf', pdf });
    await rejects(client.signingSystem({ orderIds: [a.orderId, b.orderId], key: 'wrong' }), { providerCode: '4010' });
    await rejects(client.signingSystem({ orderIds: [normal.orderId], key: 'p3rur1' }), { providerCode: '4001' });
    await client.signingSystem({ orderIds: [a.orderId, b.orderId], key: 'p3rur1' });
    await assertSigned((await client.downloadDocument({ orderId: a.orderId })).pdf, 1, ['Siti Rahayu']);
    await assertSigned((await client.downloadDocument({ orderId: b.orderId })).pdf, 1, ['Siti Rahayu']);
    const c = await client.sendDocument({ email: SITI, fileName: 's4.pdf', pdf, orderType: 'SYSTEM' });
    sandboxContext(sb.options).state.data.peruri.keys[CREDENTIALS.peruriSystemId]!.expiresAt = Date.now() - 1;
    await rejects(client.signingSystem({ orderIds: [c.orderId], key: 'p3rur1' }), { providerCode: '4011' });
    assert.equal(peruriSession('p3rur1', ['3214', '3215', '3216']), '1fdd4df75c0d0c6548e4c34baeceff2e926a9b5520e6ea393c821b7f3248d824');
  });
});

describe('Peruri: gateway and failure injection', () => {
  it('refuses a wrong API key and a bad JWT with HTTP 401', async () => {
    await rejects(new PeruriClient({ ...settings(), apiKey: '00000000-0000-0000-0000-000000000000' }).checkCertificate({ email: SITI }), {
      code: 'provider-unauthorized',
    });
    const res = await fetch(`${sb.base}/peruri/digitalSignatureFullJwtSandbox/1.0/checkCertificate/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-Gateway-APIKey': CREDENTIALS.peruriApiKey, Authorization: 'Bearer a.b.c' },
      body: JSON.stringify({ param: { email: SITI, systemId: CREDENTIALS.peruriSystemId } }),
    });
    assert.equal(res.status, 401);
    const malformed = await fetch(`${sb.base}/peruri/digitalSignatureFullJwtSandbox/1.0/checkCertificate/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-Gateway-APIKey': CREDENTIALS.peruriApiKey, Authorization: `Bearer ${await client.tokens.get()}` },
      body: '{"param": ',
    });
    assert.deepEqual([malformed.status, ((await malformed.json()) as { resultCode: string }).resultCode], [400, '400']);
  });

  it('answers forced result codes, slow answers and timeouts', async () => {
    await rejects(new PeruriClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Fail': '4012' }) }).checkCertificate({ email: SITI }), {
      code: 'invalid-coordinates',
    });
    await rejects(new PeruriClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Fail': '503' }), retries: 0 }).checkCertificate({ email: SITI }), {
      providerCode: '503',
    });
    await rejects(client.activation({ email: 'fail-5000@peruri.sandbox.test' }), { providerCode: '5000' });
    await rejects(
      new PeruriClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Fail': 'timeout' }), retries: 0, timeoutMs: 300 }).checkCertificate({ email: SITI }),
      { code: 'provider-timeout' },
    );
    let started = Date.now();
    await new PeruriClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Delay-Ms': '300' }) }).checkCertificate({ email: SITI });
    assert.ok(Date.now() - started >= 300);
    started = Date.now();
    await rejects(client.sendDocument({ email: 'slow-300@peruri.sandbox.test', fileName: 'x.pdf', pdf: await samplePdf(1) }), { providerCode: '4005' });
    assert.ok(Date.now() - started >= 300, 'a slow-<ms> e-mail answers late');
  });

  it('a gagal-… file name: Signing answers "0", the signature is never affixed, Check Document Status answers Gagal', async () => {
    const pdf = await samplePdf(1);
    const { orderId } = await client.sendDocument({ email: SITI, fileName: 'gagal-kontrak.pdf', pdf, placement: { visible: false } });
    const otp = await client.getOtp({ orderId });
    await client.signing({ orderId, otpCode: await latestCode(sb, SITI), token: otp.token });
    await rejects(client.checkDocumentStatus({ orderId }), {
      code: 'provider-rejected',
      providerCode: '5001',
      providerMessage: 'Pembubuhan tanda tangan gagal, dokumen tidak dapat ditandatangani',
    });
    await rejects(client.getOtp({ orderId }), { providerCode: '5001' });
    const { pdf: held } = await client.downloadDocument({ orderId });
    assert.deepEqual(held, pdf, 'nothing affixed');
  });
});
