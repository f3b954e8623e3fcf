// Contract suite: DigisignClient against the Digisign simulator on loopback, with the web views (activation
// and sign pages) driven over HTTP like a browser would, and the encrypted `msg` redirect decrypted with the
// adapter's own decryptDigisignRedirect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DigisignClient, decryptDigisignRedirect } from '../../../server/src/providers/adapters.js';
import { GEOMETRY_CASES } from '../../../test/fixtures/geometry-pdf.js';
import { sandboxContext } from '../src/context.js';
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

const DEWI = 'dewi@digisign.sandbox.test';
const EKO = 'eko@digisign.sandbox.test';
const PASSWORD = 'Sandbox#2024';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(200).fill(7), 0xff, 0xd9]);

let sb: Sandbox;
let nss: string;
let client: DigisignClient;
const settings = () => ({
  baseUrl: `${sb.base}/digisign`,
  token: CREDENTIALS.digisignToken,
  userid: CREDENTIALS.digisignUserId,
  aesKey: CREDENTIALS.digisignAesKey,
});

before(async () => {
  sb = await startSandbox('digisign');
  nss = await trustedNss(sb);
  client = new DigisignClient(settings());
});
after(async () => {
  await sb.close();
  removeDir(sb.dir);
});

/** Submits a web-view form like the browser (urlencoded POST) and returns the response without following redirects. */
async function submit(link: string, fields: Record<string, string>) {
  const url = new URL(link);
  return fetch(`${url.origin}${url.pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** The `msg` value of a redirect, exactly as it stands in the Location header (still URL-encoded). */
function msgOf(res: Response): string {
  assert.equal(res.status, 303);
  const location = res.headers.get('location') ?? '';
  assert.ok(location.startsWith('http://127.0.0.1:5999/digisign/result?msg='), location);
  return location.slice(location.indexOf('msg=') + 4);
}

async function activate(link: string, email: string) {
  const act = new URL(link).searchParams.get('act')!;
  const page = await fetch(link);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'self' http:\/\/127\.0\.0\.1:5999/);
  assert.match(await page.text(), /type="checkbox"/);
  await submit(link, { act, action: 'otp' });
  const otp = await latestCode(sb, email);
  const refused = await submit(link, { act, action: 'activate', otp, password: PASSWORD, password2: PASSWORD });
  assert.equal(refused.status, 400, 'consent boxes are required');
  return submit(link, { act, action: 'activate', otp, password: PASSWORD, password2: PASSWORD, consent_terms: '1', consent_data: '1' });
}

async function sign(email: string, documentId: string) {
  const { link } = await client.signPageLink({ documentId, email });
  assert.match(link, /\/digisign\/signingpage\.html\?sgn=/);
  const sgn = new URL(link).searchParams.get('sgn')!;
  assert.equal((await fetch(link)).status, 200);
  await submit(link, { sgn, action: 'otp' });
  const otp = await latestCode(sb, email);
  assert.equal((await submit(link, { sgn, action: 'sign', otp, password: 'wrong-password', consent_sign: '1' })).status, 400);
  assert.match(await (await submit(link, { sgn, action: 'otp' })).text(), /Tunggu 1 menit/, 'no second OTP within a minute (§6.3)');
  return submit(link, { sgn, action: 'sign', otp, password: PASSWORD, consent_sign: '1' });
}

describe('Digisign: register and activation (§2–§4)', () => {
  it('registers, sends the activation link, activates on the page and redirects with an encrypted msg', async () => {
    const email = 'gilang@warga.sandbox.test';
    const input = {
      name: 'Gilang Ramadhan',
      phone: '081355500001',
      birthDate: '1992-05-17',
      nik: '3374000000000001',
      placeOfBirth: 'Semarang',
      email,
      gender: 'male' as const,
      ktpPhoto: solidPng(20, 12, RED),
      selfie: JPEG,
      specimen: solidPng(60, 120, GREEN),
      redirect: true,
    };
    const reg = await client.register(input);
    assert.equal(reg.status, 'activation-required');
    assert.ok(reg.activationUrl?.startsWith(sb.webBase));
    assert.match(reg.activationExpires ?? '', /WIB$/);
    assert.equal((await client.register(input)).status, 'not-yet-activated');
    const { link } = await client.activationLink({ email });
    const msg = msgOf(await activate(link, email));
    assert.ok(msg.includes('%0A') || msg.length < 100, 'MIME line breaks are kept URL-encoded');
    const r = decryptDigisignRedirect(msg, CREDENTIALS.digisignAesKey);
    assert.equal(r.kind, 'activation');
    assert.equal(r.ok, true);
    assert.equal(r.emailUser, email);
    assert.deepEqual(r.kind === 'activation' ? r.verification : undefined, { nama: true, tanggal_lahir: true, selfie: true });
    await rejects(client.activationLink({ email }), { code: 'already-activated' });
    assert.equal((await client.register(input)).status, 'already-registered');
    await rejects(client.activationLink({ email: 'nobody@warga.sandbox.test' }), { code: 'user-not-found' });
  });

  it('shows a notice instead of redirecting when registered with redirect: false', async () => {
    const email = 'intan@warga.sandbox.test';
    await client.register({
      name: 'Intan',
      phone: '081355500009',
      birthDate: '1991-02-03',
      nik: '3374000000000009',
      placeOfBirth: 'Solo',
      email,
      gender: 'female',
      ktpPhoto: solidPng(20, 12, RED),
      selfie: JPEG,
    });
    const { link } = await client.activationLink({ email });
    const res = await activate(link, email);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Proses Aktivasi Berhasil/);
  });

  it('answers 408 to an expired web-view link (§11)', async () => {
    const { link } = await client.activationLink({ email: 'fitri@digisign.sandbox.test' });
    const act = new URL(link).searchParams.get('act')!;
    sandboxContext(sb.options).state.data.digisign.links[act]!.expiresAt = Date.now() - 1;
    assert.equal((await fetch(link)).status, 408);
  });

  it('rejects what Digisign rejects at registration', async () => {
    const base = {
      name: 'Hana',
      phone: '081355500002',
      birthDate: '1990-01-01',
      nik: '3374000000000002',
      placeOfBirth: 'Solo',
      email: 'hana@warga.sandbox.test',
      gender: 'female' as const,
      ktpPhoto: solidPng(20, 12, RED),
      selfie: JPEG,
    };
    await rejects(client.register({ ...base, nik: '3374000000009912' }), { code: 'verification-failed', providerCode: '12' });
    await rejects(client.register({ ...base, nik: '3374000000009913' }), { code: 'verification-failed' });
    await rejects(client.register({ ...base, email: 'timeout@warga.sandbox.test' }), { code: 'provider-busy', providerCode: '91' });
    await rejects(client.register({ ...base, phone: '081400000001' }), { code: 'phone-taken' });
    await rejects(client.register({ ...base, email: DEWI }), { code: 'email-taken' });
    await rejects(client.register({ ...base, nik: '3578000000000001' }), { code: 'nik-taken' });
    const form = new FormData();
    form.append(
      'jsonfield',
      JSON.stringify({
        JSONFile: {
          userid: CREDENTIALS.digisignUserId,
          jenis_kelamin: 'Laki-laki',
          nama: 'X',
          tlp: '081355500003',
          tgl_lahir: '01-01-1990',
          idktp: '3374000000000003',
          tmp_lahir: 'X',
          email: 'x@warga.sandbox.test',
        },
      }),
    );
    form.append('fotoktp', new Blob([new Uint8Array(JPEG)]), 'ktp.jpg');
    form.append('fotodiri', new Blob([new Uint8Array(solidPng(5, 5, RED))]), 'selfie.png');
    const res = await fetch(`${sb.base}/digisign/REG-MITRA.html`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${CREDENTIALS.digisignToken}` },
      body: form,
    });
    const body = (await res.json()) as { JSONFile: { result: string; info: string } };
    assert.deepEqual([body.JSONFile.result, body.JSONFile.info], ['12', 'Verifikasi wajah gagal. Format foto selfie harus JPEG']);
    form.set('fotodiri', new Blob([new Uint8Array([0xff, 0xd8, 0xff, ...new Array(501 * 1024).fill(1)])]), 'selfie.jpg');
    const big = (await (
      await fetch(`${sb.base}/digisign/REG-MITRA.html`, { method: 'POST', headers: { Authorization: `Bearer ${CREDENTIALS.digisignToken}` }, body: form })
    ).json()) as { JSONFile: { result: string; info: string } };
    assert.deepEqual([big.JSONFile.result, big.JSONFile.info], ['12', 'Verifikasi wajah gagal. Size foto selfie maksimal 500KB']);
  });
});

describe('Digisign: send document, sign pages, downloads (§5–§8)', () => {
  it('two signers sign on the page; the stamp lands on the box; downloads are really signed', async () => {
    const c = GEOMETRY_CASES[1]!; // /Rotate 90
    const { pdf, box, pages } = await geometryCasePdf(c);
    const second = { page: 1, x: 400, y: 600, width: 120, height: 60 };
    await client.sendDocument({
      documentId: 'KONTRAK-001',
      pdf,
      signers: [
        { name: 'Gilang Ramadhan', email: 'gilang@warga.sandbox.test' },
        { name: 'Eko Saputra', email: EKO },
      ],
      placement: { boxes: [box, second], pages },
      viewers: [{ name: 'Dewi', email: DEWI }],
    });
    assert.match((await inbox(sb, EKO))[0]?.text ?? '', /KONTRAK-001/);
    const first = decryptDigisignRedirect(msgOf(await sign('gilang@warga.sandbox.test', 'KONTRAK-001')), CREDENTIALS.digisignAesKey);
    assert.ok(first.kind === 'signing' && first.ok && first.statusDocument === 'waiting' && first.documentId === 'KONTRAK-001');
    await rejects(client.signPageLink({ documentId: 'KONTRAK-001', email: 'gilang@warga.sandbox.test' }), { code: 'already-signed' });
    const last = decryptDigisignRedirect(msgOf(await sign(EKO, 'KONTRAK-001')), CREDENTIALS.digisignAesKey);
    assert.ok(last.kind === 'signing' && last.completed && last.emailUser === EKO);
    const { pdf: signed } = await client.downloadPdf({ documentId: 'KONTRAK-001' });
    const { signatures, stdout } = await pdfsig(sb.dir, signed, nss);
    assert.deepEqual(
      signatures.map((s) => [s.commonName, s.validation, s.certificate]),
      [
        ['Gilang Ramadhan', 'Signature is Valid.', 'Certificate is Trusted.'],
        ['Eko Saputra', 'Signature is Valid.', 'Certificate is Trusted.'],
      ],
      stdout,
    );
    assert.equal(signatures[1]?.total, true);
    assert.deepEqual((await client.downloadBase64({ documentId: 'KONTRAK-001' })).pdf, signed);
    const expected = await boundsOf(sb.dir, pdf, 1, RED);
    const got = await boundsOf(sb.dir, signed, 1, GREEN);
    assert.ok(expected && got);
    for (const k of ['left', 'top', 'right', 'bottom'] as const) assert.ok(Math.abs(expected[k] - got[k]) <= 1, `${k}: red ${expected[k]} vs stamp ${got[k]}`);
    const view = await client.signPageLink({ documentId: 'KONTRAK-001', email: DEWI, viewOnly: true });
    assert.match(view.link, /viewpage\.html\?view=/);
    assert.equal((await fetch(view.link)).status, 200);
  });

  it('rejects overlaps (03), a reused id (17), no redirect (08), no req-sign (05), not a PDF (FE)', async () => {
    const pdf = await samplePdf(1);
    const pages = await geometriesOf(pdf);
    const post = async (json: Record<string, unknown>, file: Uint8Array = pdf) => {
      const form = new FormData();
      form.append(
        'jsonfield',
        JSON.stringify({ JSONFile: { userid: CREDENTIALS.digisignUserId, payment: '3', redirect: true, sequence_option: false, ...json } }),
      );
      form.append('file', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), 'doc.pdf');
      const res = await fetch(`${sb.base}/digisign/SendDocMitraAT.html`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${CREDENTIALS.digisignToken}` },
        body: form,
      });
      return ((await res.json()) as { JSONFile: { result: string; notif: string; info?: string } }).JSONFile;
    };
    const signer = (email: string, llx: string, lly: string, urx: string, ury: string) => ({
      name: 'x',
      email,
      user: 'ttd1',
      page: '1',
      llx,
      lly,
      urx,
      ury,
      visible: '1',
    });
    const overlap = await post({ document_id: 'OV-1', 'req-sign': [signer(DEWI, '100', '100', '200', '150'), signer(EKO, '150.5', '120', '260', '170')] });
    assert.deepEqual([overlap.result, overlap.info], ['03', 'Lokasi tanda tangan sebaiknya diposisikan tidak tumpang tindih']);
    const meterai = await post({
      document_id: 'OV-2',
      'req-sign': [signer(DEWI, '100', '100', '200', '150')],
      meterai_positions: [{ llx: '110', lly: '110', urx: '200', ury: '200', page: '1' }],
      document_type: '2',
    });
    assert.equal(meterai.result, '03');
    assert.match(meterai.info ?? '', /e-meterai/);
    assert.equal((await post({ document_id: 'OV-3', redirect: false, 'req-sign': [signer(DEWI, '1', '1', '50', '50')] })).result, '08');
    assert.equal((await post({ document_id: 'OV-4' })).notif, 'field req-sign tidak ditemukan');
    assert.equal((await post({ document_id: 'OV-5', 'req-sign': [signer(DEWI, '1', '1', '50', '50')] }, new TextEncoder().encode('not a pdf'))).result, 'FE');
    assert.equal((await post({ document_id: 'OV-6', 'req-sign': [signer(DEWI, '1.123', '1', '50', '50')] })).result, '28');
    assert.equal((await post({ 'req-sign': [signer(DEWI, '1', '1', '50', '50')] })).notif, 'document id kosong');
    await client.sendDocument({
      documentId: 'DUP-1',
      pdf,
      signers: [{ name: 'Dewi', email: DEWI }],
      placement: { boxes: [{ page: 1, x: 10, y: 10, width: 100, height: 40 }], pages },
    });
    await rejects(
      client.sendDocument({
        documentId: 'DUP-1',
        pdf,
        signers: [{ name: 'Dewi', email: DEWI }],
        placement: { boxes: [{ page: 1, x: 10, y: 10, width: 100, height: 40 }], pages },
      }),
      { code: 'document-id-taken' },
    );
    await rejects(client.signPageLink({ documentId: 'DUP-1', email: EKO }), { code: 'not-a-signer' });
    await rejects(client.signPageLink({ documentId: 'DUP-1', email: 'nobody@warga.sandbox.test' }), { code: 'user-not-found' });
    await rejects(client.signPageLink({ documentId: 'NOPE-1', email: DEWI }), { code: 'document-not-found' });
  });

  it('signs in sequence when sequence_option is true', async () => {
    const pdf = await samplePdf(1);
    const pages = await geometriesOf(pdf);
    await client.sendDocument({
      documentId: 'SEQ-1',
      pdf,
      sequential: true,
      signers: [
        { name: 'Dewi', email: DEWI },
        { name: 'Eko', email: EKO },
      ],
      placement: {
        boxes: [
          { page: 1, x: 10, y: 10, width: 100, height: 40 },
          { page: 1, x: 200, y: 10, width: 100, height: 40 },
        ],
        pages,
      },
    });
    const early = await sign(EKO, 'SEQ-1');
    assert.equal(early.status, 400, 'Eko cannot sign before Dewi');
    assert.match(await early.text(), /Belum giliran Anda/);
    const done = decryptDigisignRedirect(msgOf(await sign(DEWI, 'SEQ-1')), CREDENTIALS.digisignAesKey);
    assert.ok(done.kind === 'signing' && done.statusDocument === 'waiting');
  });

  it('downloads: unknown (404 / 05) and another partner’s document (403 / 12)', async () => {
    await rejects(client.downloadPdf({ documentId: 'NOPE-2' }), { code: 'document-not-found' });
    await rejects(client.downloadBase64({ documentId: 'NOPE-2' }), { code: 'document-not-found', providerCode: '05' });
    await rejects(client.downloadPdf({ documentId: 'milik-mitra-lain' }), { code: 'access-denied' });
    await rejects(client.downloadBase64({ documentId: 'milik-mitra-lain' }), { code: 'access-denied', providerCode: '12' });
  });

  it('changes contact data of users not yet activated only (§9)', async () => {
    await client.changeContact({
      oldEmail: 'fitri@digisign.sandbox.test',
      newEmail: 'fitri.h@digisign.sandbox.test',
      oldPhone: '081400000003',
      newPhone: '081400000013',
    });
    await rejects(client.changeContact({ oldEmail: DEWI, newEmail: DEWI, oldPhone: '081400000001', newPhone: '081400000011' }), {
      code: 'user-already-active',
    });
    await rejects(
      client.changeContact({
        oldEmail: 'nobody@warga.sandbox.test',
        newEmail: 'nobody@warga.sandbox.test',
        oldPhone: '081400000099',
        newPhone: '081400000098',
      }),
      { code: 'user-not-found' },
    );
    await rejects(
      client.changeContact({
        oldEmail: 'fitri.h@digisign.sandbox.test',
        newEmail: 'fitri.h@digisign.sandbox.test',
        oldPhone: '081499999999',
        newPhone: '081400000014',
      }),
      { code: 'old-phone-mismatch' },
    );
  });
});

describe('Digisign: authentication and failure injection', () => {
  it('answers 55 to a wrong token or userid, and 05 without jsonfield', async () => {
    await rejects(new DigisignClient({ ...settings(), token: 'deadbeef' }).activationLink({ email: DEWI }), {
      code: 'provider-auth-failed',
      providerCode: '55',
    });
    await rejects(new DigisignClient({ ...settings(), userid: 'other@mitra.sandbox.test' }).activationLink({ email: DEWI }), { code: 'provider-auth-failed' });
    const res = await fetch(`${sb.base}/digisign/gen/genACTPage.html`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${CREDENTIALS.digisignToken}` },
      body: new FormData(),
    });
    assert.equal(((await res.json()) as { JSONFile: { result: string } }).JSONFile.result, '05');
  });

  it('91 by header and by document id, 61 by document id, slow answers and timeouts', async () => {
    const pdf = await samplePdf(1);
    const pages = await geometriesOf(pdf);
    const doc = (documentId: string) => ({
      documentId,
      pdf,
      signers: [{ name: 'Dewi', email: DEWI }],
      placement: { boxes: [{ page: 1, x: 10, y: 10, width: 100, height: 40 }], pages },
    });
    await rejects(new DigisignClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Fail': '91' }) }).sendDocument(doc('F-1')), {
      code: 'provider-busy',
      retryAfterMs: 600_000,
    });
    await rejects(new DigisignClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Fail': '03' }) }).sendDocument(doc('F-3')), {
      code: 'boxes-overlap',
      providerCode: '03',
    });
    await rejects(client.sendDocument(doc('timeout-1')), { code: 'provider-busy', providerCode: '91' });
    await rejects(client.sendDocument(doc('nobalance-1')), { code: 'insufficient-balance' });
    await rejects(
      new DigisignClient({ ...settings(), timeouts: { sendDocument: 300 } }, { fetch: fetchWith({ 'X-Sandbox-Fail': 'timeout' }) }).sendDocument(doc('F-2')),
      { code: 'provider-timeout' },
    );
    const started = Date.now();
    await client.sendDocument(doc('slow-400-a'));
    assert.ok(Date.now() - started >= 400);
  });
});
