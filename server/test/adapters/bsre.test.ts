import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { http, HttpResponse } from 'msw';
import { CoordinateError } from '@esign-kit/core';
import {
  BSRE_USER_STATUSES,
  BsreCloudClient,
  BsreEsignClient,
  assertBsreCanSign,
  buildBsreV1SignRequest,
  buildBsreV2SignRequest,
  buildBsreCloudSignRequestRequest,
  parseBsreError,
  parseBsreV2SignResponse,
  parseBsreV2UserStatusResponse,
  type BsreClientSettings,
  type BsreCloudSettings,
  type BsreUserStatus,
} from '../../src/providers/bsre/index.js';
import { InputError, ProviderError } from '../../src/providers/shared/errors.js';
import { fromBsreLegacy } from '../../src/providers/bsre/verification.js';
import { PDF, a4, mockProvider, see, type Seen } from './helpers.js';

const server = mockProvider();
const base = 'http://10.1.2.3';
const settings: BsreClientSettings = { baseUrl: base, username: 'portal', password: 's3cret' };
const basicAuth = `Basic ${Buffer.from('portal:s3cret').toString('base64')}`;
const fast = { retryDelayMs: 0 };
const pdf64 = Buffer.from(PDF).toString('base64');
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]);
const jpeg64 = Buffer.from(jpeg).toString('base64');
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const jsonHeaders = new Headers({ 'content-type': 'application/json' });
const NIK = '3216785087543986';

function route(method: 'get' | 'post', url: string, reply: () => Response) {
  const seen: Seen[] = [];
  server.use(
    http[method](url, async ({ request }) => {
      seen.push(await see(request));
      return reply();
    }),
  );
  return seen;
}
const json =
  (v: unknown, status = 200) =>
  () =>
    HttpResponse.json(v as never, { status });
const pdfReply =
  (headers: Record<string, string> = {}) =>
  () =>
    new HttpResponse(PDF, { headers: { 'content-type': 'application/pdf', ...headers } });

const isErr = (code: string, httpStatus: number, providerCode?: string) => (e: unknown) => {
  assert.ok(e instanceof ProviderError, String(e));
  assert.equal(e.code, code);
  assert.equal(e.httpStatus, httpStatus);
  assert.equal(e.provider, 'bsre');
  if (providerCode !== undefined) assert.equal(e.providerCode, providerCode);
  return true;
};

describe('BSrE Esign Client v2 (Part D)', () => {
  it('D.1 a: invisible, e-mail + passphrase, Basic auth, JSON body', async () => {
    const seen = route('post', `${base}/api/v2/sign/pdf`, json({ time: 1000, file: [pdf64] }));
    const out = await new BsreEsignClient(settings, fast).signPdf({
      signer: { email: 'user@instansi.go.id' },
      credential: { passphrase: 'rahasia' },
      files: [PDF],
      signatures: [{ visible: false }],
    });
    const s = seen[0]!;
    assert.equal(s.method, 'POST');
    assert.equal(s.url.pathname, '/api/v2/sign/pdf');
    assert.equal(s.headers.get('authorization'), basicAuth);
    assert.match(s.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(s.json, { email: 'user@instansi.go.id', passphrase: 'rahasia', signatureProperties: [{ tampilan: 'INVISIBLE' }], file: [pdf64] });
    assert.deepEqual(out, { files: [PDF], timeMs: 1000 });
  });

  it('D.1 b: visible with a neutral box → originX/originY from the top-left, numbers not strings', () => {
    // Example b: page 1, originX 10, originY 10, 200 × 100 — i.e. a box whose top edge is 10 pt below the page top.
    const r = buildBsreV2SignRequest(
      {
        signer: { nik: NIK },
        credential: { passphrase: 'p' },
        files: [PDF],
        signatures: [{ visible: true, image: jpeg, box: { page: 1, x: 10, y: 842 - 10 - 100, width: 200, height: 100 }, pages: a4() }],
      },
      settings,
    );
    assert.deepEqual(r.body, {
      kind: 'json',
      value: {
        nik: NIK,
        passphrase: 'p',
        signatureProperties: [{ tampilan: 'VISIBLE', imageBase64: jpeg64, page: 1, originX: 10, originY: 10, width: 200, height: 100 }],
        file: [pdf64],
      },
    });
    const bottom = buildBsreV2SignRequest(
      {
        signer: { nik: NIK },
        credential: { passphrase: 'p' },
        files: [PDF],
        signatures: [{ visible: true, image: jpeg, box: { page: 1, x: 10, y: 20, width: 200, height: 100 }, pages: a4(), profile: { origin: 'bottom-left' } }],
      },
      settings,
    );
    assert.equal((bottom.body as { value: { signatureProperties: { originY: number }[] } }).value.signatureProperties[0]!.originY, 20);
  });

  it('D.1 c: tag mode with a TOTP sends the schema\'s key "totp" by default (seed 002 §6.2 field 15), the examples\' "otp" when configured', () => {
    const input = {
      signer: { nik: NIK },
      credential: { totp: '629109' },
      files: [PDF],
      signatures: [{ visible: true as const, tag: '$', image: png, width: 200, height: 100 }],
    };
    const r = buildBsreV2SignRequest(input, settings);
    assert.deepEqual(r.body, {
      kind: 'json',
      value: {
        nik: NIK,
        totp: '629109',
        signatureProperties: [{ tampilan: 'VISIBLE', tag_koordinat: '$', imageBase64: Buffer.from(png).toString('base64'), width: 200, height: 100 }],
        file: [pdf64],
      },
    });
    const o = buildBsreV2SignRequest(input, { ...settings, signOtpField: 'otp' });
    const value = (o.body as { value: Record<string, unknown> }).value;
    assert.equal(value.otp, '629109');
    assert.ok(!('totp' in value));
  });

  it('D.1 d: bulk, one property per file, location/reason/pdfPassword kept', async () => {
    const seen = route('post', `${base}/api/v2/sign/pdf`, json({ time: 12, file: [pdf64, pdf64, pdf64] }));
    const out = await new BsreEsignClient(settings, fast).signPdf({
      signer: { email: 'user@instansi.go.id' },
      credential: { totp: '123456' },
      files: [PDF, PDF, PDF],
      signatures: [
        {
          visible: true,
          image: jpeg,
          box: { page: 1, x: 10, y: 732, width: 200, height: 100 },
          pages: a4(),
          location: 'Jakarta',
          reason: 'Tanda tangan elektronik',
        },
        { visible: false, reason: 'Tanda tangan elektronik', pdfPassword: 'kunci' },
        { visible: true, tag: '$', image: jpeg, width: 120, height: 40, location: 'Jakarta' },
      ],
    });
    assert.equal(out.files.length, 3);
    const body = seen[0]!.json as { signatureProperties: unknown[]; file: string[]; totp: string };
    assert.equal(body.totp, '123456');
    assert.equal(body.file.length, 3);
    assert.deepEqual(body.signatureProperties, [
      {
        tampilan: 'VISIBLE',
        imageBase64: jpeg64,
        page: 1,
        originX: 10,
        originY: 10,
        width: 200,
        height: 100,
        location: 'Jakarta',
        reason: 'Tanda tangan elektronik',
      },
      { tampilan: 'INVISIBLE', reason: 'Tanda tangan elektronik', pdfPassword: 'kunci' },
      { tampilan: 'VISIBLE', tag_koordinat: '$', imageBase64: jpeg64, width: 120, height: 40, location: 'Jakarta' },
    ]);
  });

  it('refuses ambiguous identity/credential, mismatched property counts, bad images and boxes', () => {
    const ok = { signer: { nik: NIK }, credential: { passphrase: 'p' }, files: [PDF], signatures: [{ visible: false as const }] };
    const bad = (over: object, field: string) =>
      assert.throws(
        () => buildBsreV2SignRequest({ ...ok, ...over } as never, settings),
        (e: unknown) => e instanceof InputError && e.field === field,
      );
    bad({ signer: { nik: NIK, email: 'a@b.co' } }, 'signer');
    bad({ signer: { nik: '123' } }, 'signer.nik');
    bad({ credential: { passphrase: 'p', totp: '123456' } }, 'credential');
    bad({ credential: {} }, 'credential');
    bad({ files: [PDF, PDF], signatures: [{ visible: false }, { visible: false }, { visible: false }] }, 'signatures');
    bad({ files: [] }, 'files');
    bad({ signatures: [{ visible: true, image: new Uint8Array([1, 2, 3]), tag: '$', width: 1, height: 1 }] }, 'signatures[0].image');
    bad({ signatures: [{ visible: true, image: jpeg, tag: '$$', width: 1, height: 1 }] }, 'signatures[0].tag');
    assert.throws(
      () =>
        buildBsreV2SignRequest(
          { ...ok, signatures: [{ visible: true, image: jpeg, box: { page: 2, x: 1, y: 1, width: 50, height: 50 }, pages: a4() }] },
          settings,
        ),
      CoordinateError,
    );
  });

  it('maps errors: 2031 wrong passphrase, 2011 not registered, OTP wrong, 401, 5xx, wrong content type', async () => {
    const client = new BsreEsignClient(settings, fast);
    const sign = () => client.signPdf({ signer: { nik: NIK }, credential: { passphrase: 'x' }, files: [PDF], signatures: [{ visible: false }] });
    route('post', `${base}/api/v2/sign/pdf`, json({ error: 'Passphrase anda salah', status_code: 2031 }, 400));
    await assert.rejects(sign(), (e: unknown) => isErr('wrong-passphrase', 422, '2031')(e) && (e as ProviderError).providerMessage === 'Passphrase anda salah');
    route('post', `${base}/api/v2/sign/pdf`, json({ error: 'User tidak terdaftar', status_code: 2011 }, 400));
    await assert.rejects(sign(), isErr('user-not-registered', 404, '2011'));
    route('post', `${base}/api/v2/sign/pdf`, json({ status: false, message: 'TOTP tidak valid' }, 400));
    await assert.rejects(sign(), isErr('otp-invalid', 422));
    // An undocumented BSrE code on a 4xx is still BSrE refusing the request: 422, with its code and text.
    route('post', `${base}/api/v2/sign/pdf`, json({ error: 'Unknown', status_code: 9999 }, 400));
    await assert.rejects(sign(), (e: unknown) => isErr('provider-rejected', 422, '9999')(e) && (e as ProviderError).providerMessage === 'Unknown');
    route('post', `${base}/api/v2/sign/pdf`, () => new HttpResponse('Unauthorized', { status: 401 }));
    await assert.rejects(sign(), isErr('provider-unauthorized', 502));
    route('post', `${base}/api/v2/sign/pdf`, () => new HttpResponse('<h1>oops</h1>', { status: 500, headers: { 'content-type': 'text/html' } }));
    await assert.rejects(sign(), (e: unknown) => isErr('provider-http-error', 502, '500')(e) && (e as ProviderError).retryable);
    route('post', `${base}/api/v2/sign/pdf`, () => new HttpResponse('<h1>ok</h1>', { headers: { 'content-type': 'text/html' } }));
    await assert.rejects(sign(), isErr('provider-bad-response', 502));
    route('post', `${base}/api/v2/sign/pdf`, json({ time: 1 }));
    await assert.rejects(sign(), isErr('provider-bad-response', 502));
    route('post', `${base}/api/v2/sign/pdf`, json({ status: false, message: 'Dokumen gagal diproses' }, 200));
    await assert.rejects(sign(), (e: unknown) => isErr('provider-rejected', 422)(e) && (e as ProviderError).providerMessage === 'Dokumen gagal diproses');
    route('post', `${base}/api/v2/sign/pdf`, json({ error: 'Passphrase anda salah', status_code: 2031 }, 200));
    await assert.rejects(sign(), isErr('wrong-passphrase', 422, '2031'));
  });

  it('a passphrase never appears in an error', () => {
    const e = parseBsreError('bsre.v2.signPdf', 400, jsonHeaders, enc({ error: 'Passphrase anda salah', status_code: 2031 }));
    assert.ok(!JSON.stringify(e.toJSON()).includes('s3cret'));
  });

  it('D.2 sign TOTP: nik, email and data (a number)', async () => {
    const seen = route('post', `${base}/api/v2/sign/get/totp`, json({ message: 'TOTP berhasil dikirim' }));
    assert.deepEqual(await new BsreEsignClient(settings, fast).requestSignTotp({ nik: NIK, email: 'email_pengguna@instansi.go.id', fileCount: 2 }), {
      message: 'TOTP berhasil dikirim',
    });
    assert.deepEqual(seen[0]?.json, { nik: NIK, email: 'email_pengguna@instansi.go.id', data: 2 });
    assert.equal(seen[0]?.headers.get('authorization'), basicAuth);
  });

  it('D.3 seal activation: request, refresh, revoke', async () => {
    const client = new BsreEsignClient(settings, fast);
    let seen = route('post', `${base}/api/v2/seal/get/activation`, json({ success: true, message: 'TOTP Aktivasi berhasil dikirim', data: null }));
    assert.deepEqual(await client.sealActivation({ idSubscriber: 'SUB-1' }), { message: 'TOTP Aktivasi berhasil dikirim' });
    assert.deepEqual(seen[0]?.json, { idSubscriber: 'SUB-1' });
    seen = route(
      'post',
      `${base}/api/v2/seal/get/activation`,
      json({
        success: true,
        message: null,
        data: { message: 'TOTP Aktivasi masih berlaku', totp: 'ACT-TOTP', expires: '2023-08-07T04:24:40.927+0000', result: true },
      }),
    );
    assert.deepEqual(await client.sealActivation({ idSubscriber: 'SUB-1', totp: 'ACT-TOTP' }), {
      message: 'TOTP Aktivasi masih berlaku',
      totp: 'ACT-TOTP',
      expires: '2023-08-07T04:24:40.927+0000',
    });
    assert.deepEqual(seen[0]?.json, { idSubscriber: 'SUB-1', totp: 'ACT-TOTP' });
    seen = route('post', `${base}/api/v2/seal/revoke/activation`, json({ success: true, message: 'Revoke berhasil' }));
    assert.deepEqual(await client.sealRevoke({ idSubscriber: 'SUB-1', totp: 'ACT-TOTP' }), { message: 'Revoke berhasil' });
    assert.deepEqual(seen[0]?.json, { idSubscriber: 'SUB-1', totp: 'ACT-TOTP' });
    route('post', `${base}/api/v2/seal/get/activation`, json({ success: false, message: 'idSubscriber tidak ditemukan', data: null }));
    await assert.rejects(
      client.sealActivation({ idSubscriber: 'nope' }),
      (e: unknown) => isErr('provider-rejected', 422)(e) && (e as ProviderError).providerMessage === 'idSubscriber tidak ditemukan',
    );
  });

  it('D.4 seal TOTP: data the string "2" as its request schema sends (seed 002 §6.5), a number when configured; the activation totp', async () => {
    const seen = route(
      'post',
      `${base}/api/v2/seal/get/totp`,
      json({ message: 'TOTP berhasil dibuat', totp: '629109', expires: '2023-08-07T04:24:40.927+0000', result: true }),
    );
    assert.deepEqual(await new BsreEsignClient(settings, fast).requestSealTotp({ idSubscriber: 'SUB-1', activationTotp: 'ACT', fileCount: 2 }), {
      message: 'TOTP berhasil dibuat',
      totp: '629109',
      expires: '2023-08-07T04:24:40.927+0000',
    });
    assert.deepEqual(seen[0]?.json, { idSubscriber: 'SUB-1', data: '2', totp: 'ACT' });
    const s2 = route('post', `${base}/api/v2/seal/get/totp`, json({ totp: '1', result: true }));
    await new BsreEsignClient({ ...settings, sealTotpDataType: 'number' }, fast).requestSealTotp({
      idSubscriber: 'SUB-1',
      activationTotp: 'ACT',
      fileCount: 2,
    });
    assert.equal((s2[0]?.json as { data: unknown }).data, 2);
  });

  it('D.5 seal PDF: the documented invisible seal', async () => {
    const seen = route('post', `${base}/api/v2/seal/pdf`, json({ time: 5, file: [pdf64] }));
    assert.deepEqual((await new BsreEsignClient(settings, fast).sealPdf({ idSubscriber: 'SUB-1', totp: '629109', files: [PDF] })).files, [PDF]);
    assert.deepEqual(seen[0]?.json, {
      idSubscriber: 'SUB-1',
      totp: '629109',
      signatureProperties: [{ tampilan: 'INVISIBLE', location: null, reason: null }],
      file: [pdf64],
    });
  });

  it('D.6 user status by NIK or e-mail; all nine statuses typed, only ISSUE can sign', async () => {
    const seen = route('post', `${base}/api/v2/user/check/status`, json({ status: 'ISSUE', message: 'Sertifikat aktif' }));
    assert.deepEqual(await new BsreEsignClient(settings, fast).userStatus({ nik: NIK }), {
      status: 'ISSUE',
      canSign: true,
      message: 'The user has an active certificate.',
      providerMessage: 'Sertifikat aktif',
    });
    assert.deepEqual(seen[0]?.json, { nik: NIK });
    const s2 = route('post', `${base}/api/v2/user/check/status`, json({ success: true, data: { status: 'EXPIRED' } }));
    assert.equal((await new BsreEsignClient(settings, fast).userStatus({ email: 'email_pengguna@instansi.go.id' })).status, 'EXPIRED');
    assert.deepEqual(s2[0]?.json, { email: 'email_pengguna@instansi.go.id' });
    const statuses = Object.keys(BSRE_USER_STATUSES) as BsreUserStatus[];
    assert.equal(statuses.length, 9);
    for (const status of statuses) {
      const out = parseBsreV2UserStatusResponse(200, jsonHeaders, enc({ status }));
      assert.equal(out.status, status);
      assert.equal(out.canSign, status === 'ISSUE');
      if (status === 'ISSUE') assertBsreCanSign(out);
      else if (status === 'NOT_REGISTERED') assert.throws(() => assertBsreCanSign(out), isErr('user-not-registered', 404, status));
      else assert.throws(() => assertBsreCanSign(out), isErr('certificate-not-usable', 409, status));
    }
    assert.throws(() => parseBsreV2UserStatusResponse(200, jsonHeaders, enc({ status: 'SOMETHING' })), isErr('provider-bad-response', 502));
  });

  it('D.7 registration: nama + email', async () => {
    const seen = route('post', `${base}/api/v2/user/registration`, json({ success: true, message: 'Registrasi berhasil' }));
    assert.deepEqual(await new BsreEsignClient(settings, fast).register({ name: 'nama user', email: 'nama@email.go.id' }), { message: 'Registrasi berhasil' });
    assert.deepEqual(seen[0]?.json, { nama: 'nama user', email: 'nama@email.go.id' });
  });

  it('D.8 verify with a PDF password; reads the documented answer (typos included)', async () => {
    const answer = {
      conclusion: 'NO_SIGNATURE',
      description: 'Dokumen tidak memiliki tandatangan elektronik',
      signatureInformations: [
        {
          id: 'S-95',
          signatureFormat: 'PKCS7-T',
          signerName: 'User Development',
          signatureDate: '2023-07-11T02:41:23.000+00:00',
          fieldName: 'sig_1689043283248',
          reason: 'Dokumen ini telah ditandatangani',
          location: 'Indonesia',
          certLevelCode: 0,
          timestampInfomation: { id: 'T-7', signerName: 'Timestamp Authority', timestampDate: '2023-07-11T02:46:28.000+00:00' },
          certificateDetails: [
            {
              id: 'C-8',
              commonName: 'User Development',
              issuerName: 'C=ID,O=Badan Siber dan Sandi Negara',
              serialNumber: '4614630145441590286786176',
              notAfterDate: '2023-12-22T07:47:10.000+00:00',
              notBeforeDate: '2022-12-22T07:47:11.000+00:00',
              signatureAlgoritm: 'RSA with SHA256',
              keyUsages: ['digitalSignature'],
            },
          ],
          integrityValid: true,
          certificateTrusted: false,
          lastSignature: false,
        },
      ],
      signatureCount: 0,
    };
    const seen = route('post', `${base}/api/v2/verify/pdf`, json(answer));
    const out = await new BsreEsignClient(settings, fast).verify({ pdf: PDF, password: 'kunci' });
    assert.deepEqual(seen[0]?.json, { file: pdf64, password: 'kunci' });
    assert.equal(out.conclusion, 'NO_SIGNATURE');
    assert.equal(out.signatureCount, 0);
    assert.deepEqual(out.signatures[0], {
      signerName: 'User Development',
      signatureDate: '2023-07-11T02:41:23.000+00:00',
      fieldName: 'sig_1689043283248',
      reason: 'Dokumen ini telah ditandatangani',
      location: 'Indonesia',
      integrityValid: true,
      certificateTrusted: false,
      timestampDate: '2023-07-11T02:46:28.000+00:00',
      certificates: [
        {
          commonName: 'User Development',
          issuerName: 'C=ID,O=Badan Siber dan Sandi Negara',
          serialNumber: '4614630145441590286786176',
          notBefore: '2022-12-22T07:47:11.000+00:00',
          notAfter: '2023-12-22T07:47:10.000+00:00',
        },
      ],
    });
    const s2 = route('post', `${base}/api/v2/verify/pdf`, json(answer));
    await new BsreEsignClient(settings, fast).verify({ pdf: PDF });
    assert.deepEqual(s2[0]?.json, { file: pdf64 });
  });
});

describe('BSrE Esign Client v1 (Part C)', () => {
  const common = { pdf: PDF, fileName: 'surat.pdf', nik: NIK, passphrase: 'rahasia' };
  const fieldsOf = (s: Seen) => Object.fromEntries([...s.form!.entries()].filter(([, v]) => typeof v === 'string'));
  const filesOf = (s: Seen) => [...s.form!.entries()].filter(([, v]) => typeof v !== 'string').map(([k, v]) => [k, (v as File).name, (v as File).type]);

  it('C.2 invisible: multipart file, nik, passphrase, tampilan; the PDF and id_dokumen come back', async () => {
    const seen = route('post', `${base}/api/sign/pdf`, pdfReply({ id_dokumen: 'a1b2c3' }));
    const out = await new BsreEsignClient(settings, fast).v1SignPdf({ ...common, mode: 'invisible', reason: 'Persetujuan', location: 'Jakarta' });
    const s = seen[0]!;
    assert.equal(s.headers.get('authorization'), basicAuth);
    assert.match(s.headers.get('content-type') ?? '', /^multipart\/form-data; boundary=/);
    assert.deepEqual(fieldsOf(s), { nik: NIK, passphrase: 'rahasia', tampilan: 'invisible', reason: 'Persetujuan', location: 'Jakarta' });
    assert.deepEqual(filesOf(s), [['file', 'surat.pdf', 'application/pdf']]);
    assert.deepEqual(out, { pdf: PDF, documentId: 'a1b2c3' });
  });

  it('C.2 visible with specimen image: image=true, imageTTD, page/xAxis/yAxis/width/height from the bottom-left', async () => {
    const seen = route('post', `${base}/api/sign/pdf`, pdfReply());
    await new BsreEsignClient(settings, fast).v1SignPdf({
      ...common,
      mode: 'image',
      image: png,
      box: { page: 2, x: 400.5, y: 60, width: 150, height: 75 },
      pages: a4(2),
    });
    assert.deepEqual(fieldsOf(seen[0]!), {
      nik: NIK,
      passphrase: 'rahasia',
      tampilan: 'visible',
      image: 'true',
      page: '2',
      xAxis: '400.5',
      yAxis: '60',
      width: '150',
      height: '75',
    });
    assert.deepEqual(filesOf(seen[0]!), [
      ['file', 'surat.pdf', 'application/pdf'],
      ['imageTTD', 'specimen.png', 'image/png'],
    ]);
  });

  it('C.2 visible with QR: image=false and linkQR, no imageTTD', async () => {
    const seen = route('post', `${base}/api/sign/pdf`, pdfReply());
    await new BsreEsignClient(settings, fast).v1SignPdf({
      ...common,
      mode: 'qr',
      linkQR: 'https://portal.example.go.id/verify/123',
      box: { page: 1, x: 50, y: 50, width: 80, height: 80 },
      pages: a4(),
    });
    assert.deepEqual(fieldsOf(seen[0]!), {
      nik: NIK,
      passphrase: 'rahasia',
      tampilan: 'visible',
      image: 'false',
      linkQR: 'https://portal.example.go.id/verify/123',
      page: '1',
      xAxis: '50',
      yAxis: '50',
      width: '80',
      height: '80',
    });
    assert.deepEqual(filesOf(seen[0]!), [['file', 'surat.pdf', 'application/pdf']]);
  });

  it('C.2 tag: tag_koordinat with width/height and an image or a QR, no coordinates', () => {
    const r = buildBsreV1SignRequest({ ...common, mode: 'tag', tag: '#', width: 100, height: 50, image: jpeg }, settings);
    assert.equal(r.body.kind, 'multipart');
    if (r.body.kind !== 'multipart') return;
    assert.deepEqual(r.body.fields, { nik: NIK, passphrase: 'rahasia', tampilan: 'visible', image: 'true', tag_koordinat: '#', width: '100', height: '50' });
    assert.deepEqual(
      r.body.files.map((f) => f.field),
      ['file', 'imageTTD'],
    );
    const q = buildBsreV1SignRequest({ ...common, mode: 'tag', tag: '$', width: 100, height: 50, linkQR: 'https://x.go.id/q' }, settings);
    if (q.body.kind !== 'multipart') return;
    assert.deepEqual(q.body.fields, {
      nik: NIK,
      passphrase: 'rahasia',
      tampilan: 'visible',
      image: 'false',
      linkQR: 'https://x.go.id/q',
      tag_koordinat: '$',
      width: '100',
      height: '50',
    });
  });

  it('C.2 validation and the corners variant of the profile', () => {
    const bad = (over: object, field: string) =>
      assert.throws(
        () => buildBsreV1SignRequest({ ...common, mode: 'invisible', ...over } as never, settings),
        (e: unknown) => e instanceof InputError && e.field === field,
      );
    bad({ nik: '12' }, 'nik');
    bad({ passphrase: '' }, 'passphrase');
    bad({ mode: 'qr', linkQR: 'javascript:alert(1)', box: { page: 1, x: 1, y: 1, width: 50, height: 50 }, pages: a4() }, 'linkQR');
    bad({ mode: 'tag', tag: '##', width: 1, height: 1, image: jpeg }, 'tag');
    bad({ mode: 'other' }, 'mode');
    const r = buildBsreV1SignRequest(
      { ...common, mode: 'qr', linkQR: 'https://a.go.id', box: { page: 1, x: 50, y: 50, width: 80, height: 80 }, pages: a4() },
      { ...settings, profileV1: { encoding: 'corners' } },
    );
    if (r.body.kind !== 'multipart') return;
    assert.deepEqual([r.body.fields.width, r.body.fields.height], ['130', '130']);
  });

  it('C.2 wrong passphrase → wrong-passphrase (HTTP 400 JSON), sent once', async () => {
    const seen = route('post', `${base}/api/sign/pdf`, json({ error: 'Passphrase anda salah', status_code: 2031 }, 400));
    await assert.rejects(new BsreEsignClient(settings, fast).v1SignPdf({ ...common, mode: 'invisible' }), isErr('wrong-passphrase', 422, '2031'));
    assert.equal(seen.length, 1);
  });

  it('C.3 download once: GET /api/sign/download/{id}; 404 → document-not-found; never retried', async () => {
    const seen = route('get', `${base}/api/sign/download/a1b2c3`, pdfReply());
    assert.deepEqual(await new BsreEsignClient(settings, fast).v1Download({ documentId: 'a1b2c3' }), { pdf: PDF });
    assert.equal(seen[0]?.method, 'GET');
    assert.equal(seen[0]?.headers.get('authorization'), basicAuth);
    route('get', `${base}/api/sign/download/a1b2c3`, () => new HttpResponse(null, { status: 404 }));
    await assert.rejects(new BsreEsignClient(settings, fast).v1Download({ documentId: 'a1b2c3' }), isErr('document-not-found', 404));
    const s503 = route('get', `${base}/api/sign/download/x`, () => new HttpResponse(null, { status: 503 }));
    await assert.rejects(new BsreEsignClient(settings, fast).v1Download({ documentId: 'x' }), isErr('provider-http-error', 502, '503'));
    assert.equal(s503.length, 1);
  });

  it('C.4 verify: multipart signed_file; reads the v1 answer with its nulls', async () => {
    const seen = route(
      'post',
      `${base}/api/sign/verify`,
      json({
        nama_dokumen: 'surat.pdf',
        jumlah_signature: 2,
        notes: 'Dokumen valid',
        summary: 'VALID',
        details: [
          {
            info_tsa: { name: 'Timestamp Authority', tsa_cert_validity: null },
            signature_field: 'sig_1697437714025',
            info_signer: {
              issuer_dn: 'C=ID,O=Lembaga Sandi Negara',
              signer_name: 'Hantek BSrE',
              signer_cert_validity: '2023-10-06 12:56:15.00 to',
              signer_dn: 'Hantek BSrE',
              cert_user_certified: true,
            },
            signature_document: {
              signed_using_tsa: true,
              reason: 'Dokumen telah disetujui',
              document_integrity: true,
              signature_value: null,
              signed_in: '2023-10-16 13:28:34.00',
              location: null,
              hash_value: null,
            },
          },
        ],
      }),
    );
    const out = await new BsreEsignClient(settings, fast).v1Verify({ pdf: PDF, fileName: 'surat.pdf' });
    assert.deepEqual(filesOf(seen[0]!), [['signed_file', 'surat.pdf', 'application/pdf']]);
    const { raw, ...parsed } = out;
    assert.equal(raw.summary, 'VALID');
    assert.deepEqual(parsed, {
      summary: 'VALID',
      documentName: 'surat.pdf',
      signatureCount: 2,
      notes: 'Dokumen valid',
      signatures: [
        {
          signerName: 'Hantek BSrE',
          signerDn: 'Hantek BSrE',
          issuerDn: 'C=ID,O=Lembaga Sandi Negara',
          certificateTrusted: true,
          field: 'sig_1697437714025',
          signedAt: '2023-10-16 13:28:34.00',
          reason: 'Dokumen telah disetujui',
          location: undefined,
          integrity: true,
          usedTsa: true,
        },
      ],
    });
    // One model for the three BSrE answers; the count BSrE declares (2) and the signatures it describes (1)
    // disagree, as in its own example (bsre.md gap 18): said, not hidden.
    const report = fromBsreLegacy(out, 'v1');
    assert.equal(report.conclusion, 'valid');
    assert.equal(report.providerConclusion, 'VALID');
    assert.deepEqual(report.signatures, [
      {
        field: 'sig_1697437714025',
        signer: 'Hantek BSrE',
        signerDn: 'Hantek BSrE',
        issuer: 'C=ID,O=Lembaga Sandi Negara',
        signedAt: '2023-10-16 13:28:34.00',
        reason: 'Dokumen telah disetujui',
        integrity: true,
        trusted: true,
        timestamp: true,
      },
    ]);
    assert.deepEqual(report.notes, ['Dokumen valid', 'BSrE counted 2 signature(s) but described 1.']);
  });

  it('C.1 user status: GET with the NIK in the path (configurable)', async () => {
    const seen = route('get', `${base}/api/user/status/${NIK}`, json({ status_code: 1111, message: 'NEW' }));
    assert.equal((await new BsreEsignClient(settings, fast).v1UserStatus({ nik: NIK })).status, 'NEW');
    assert.equal(seen[0]?.method, 'GET');
    const s2 = route('get', `${base}/esign/v1/status/${NIK}`, json({ data: { status: 'SUSPEND' } }));
    assert.equal((await new BsreEsignClient({ ...settings, v1UserStatusPath: '/esign/v1/status/{nik}' }, fast).v1UserStatus({ nik: NIK })).status, 'SUSPEND');
    assert.equal(s2.length, 1);
  });
});

describe('BSrE cloud API (Part A)', () => {
  const cloudBase = 'https://esign.bsre.test';
  const cloud: BsreCloudSettings = { baseUrl: cloudBase, clientId: 'client-1', clientSecret: 'secret-1' };

  function tokenRoute(tokens: string[], expiresIn = 3599) {
    const seen: Seen[] = [];
    let i = 0;
    server.use(
      http.post(`${cloudBase}/oauth/token`, async ({ request }) => {
        seen.push(await see(request));
        return HttpResponse.json({ access_token: tokens[Math.min(i++, tokens.length - 1)], token_type: 'bearer', expires_in: expiresIn, scope: 'read write' });
      }),
    );
    return seen;
  }

  it('A.1 token: POST with the credentials in the query, no Authorization', async () => {
    const tokens = tokenRoute(['cf4e693c-21f8-4d00-9632-ab6360fc9658']);
    const seen = route('post', `${cloudBase}/api/v2/entity/sign/download/b7818f4aa0fb482d99a2f3c3214ba44c`, pdfReply());
    await new BsreCloudClient(cloud, fast).download({ idSigned: 'b7818f4aa0fb482d99a2f3c3214ba44c' });
    const t = tokens[0]!;
    assert.equal(t.method, 'POST');
    assert.deepEqual(Object.fromEntries(t.url.searchParams), { client_id: 'client-1', client_secret: 'secret-1', grant_type: 'client_credentials' });
    assert.equal(t.headers.get('authorization'), null);
    assert.equal(seen[0]?.headers.get('authorization'), 'Bearer cf4e693c-21f8-4d00-9632-ab6360fc9658');
    assert.equal(seen[0]?.method, 'POST');
  });

  it('A.2 sign request: every field in the query, the PDF as multipart "file"; last page → halaman=terakhir', async () => {
    tokenRoute(['tok']);
    const seen = route(
      'post',
      `${cloudBase}/api/v2/entity/sign/request`,
      json({
        message: 'Permintaan tanda tangan telah disampaikan kepada user. Silahkan untuk mengecek status tanda tangan',
        id_signed: 'b7818f4aa0fb482d99a2f3c3214ba44c',
      }),
    );
    const out = await new BsreCloudClient(cloud, fast).signRequest({
      signer: NIK,
      pdf: PDF,
      fileName: 'nota.pdf',
      tujuan: 'Kepala Dinas',
      perihal: 'Nota dinas',
      info: 'x',
      jenisDokumen: 'Surat',
      nomor: '001/ND/2024',
      appearance: { visible: true, linkQR: 'https://portal.go.id/v/1', box: { page: 3, x: 100, y: 80, width: 120, height: 60 }, pages: a4(3) },
    });
    assert.deepEqual(out, {
      idSigned: 'b7818f4aa0fb482d99a2f3c3214ba44c',
      message: 'Permintaan tanda tangan telah disampaikan kepada user. Silahkan untuk mengecek status tanda tangan',
    });
    const s = seen[0]!;
    assert.deepEqual(Object.fromEntries(s.url.searchParams), {
      penandatangan: NIK,
      tujuan: 'Kepala Dinas',
      perihal: 'Nota dinas',
      info: 'x',
      jenis_dokumen: 'Surat',
      nomor: '001/ND/2024',
      tampilan: 'visible',
      image: 'false',
      linkQR: 'https://portal.go.id/v/1',
      halaman: 'terakhir',
      yAxis: '80',
      xAxis: '100',
      width: '120',
      height: '60',
    });
    assert.equal(s.headers.get('authorization'), 'Bearer tok');
    const file = s.form?.get('file') as File;
    assert.equal(file.name, 'nota.pdf');
  });

  it('A.2 a box on a middle page cannot be addressed (halaman is first or last only)', () => {
    assert.throws(
      () =>
        buildBsreCloudSignRequestRequest(
          { signer: NIK, pdf: PDF, appearance: { visible: true, image: true, box: { page: 2, x: 1, y: 1, width: 50, height: 50 }, pages: a4(3) } },
          cloud,
          't',
        ),
      CoordinateError,
    );
    const inv = buildBsreCloudSignRequestRequest({ signer: NIK, pdf: PDF, appearance: { visible: false } }, { ...cloud, tokenPlacement: 'query' }, 'tok');
    assert.deepEqual(Object.fromEntries(new URL(inv.url).searchParams), { penandatangan: NIK, tampilan: 'invisible', access_token: 'tok' });
    assert.equal(inv.headers.Authorization, undefined);
  });

  it('A.3 sign with passphrase, A.4 download, A.5 verify', async () => {
    tokenRoute(['tok']);
    const signSeen = route('post', `${cloudBase}/api/v2/entity/sign/b7818f4aa0fb482d99a2f3c3214ba44c`, json({ waktu: '51 ms', message: 'Proses berhasil' }));
    const verifySeen = route(
      'post',
      `${cloudBase}/api/v2/entity/verify/`,
      json({
        SUMMARY: 'DOCUMENT VALID !!!',
        nama_dokumen: 'Contoh Dokumen_sign.pdf',
        jumlah_signature: 3,
        notes: 'Dokumen asli dan valid, tetapi sertifikat penandatangan tidak dapat diverifikasi',
        details: [
          {
            info_signer: {
              signer_dn: 'CN=Andreyanto Pratama',
              cert_user_certified: false,
              issuer_dn: 'CN=OSD LU Kelas 2,O=Lembaga Sandi Negara,C=ID',
              signer_name: 'Andreyanto Pratama',
              signer_cert_validity: '2018-03-06 10:34:50.00 to 2020-03-05 10:34:50.00',
            },
            info_tsa: { name: 'TSA', tsa_cert_validity: 'x' },
            signature_field: 'sig-2107235502',
            signature_document: {
              signed_using_tsa: true,
              signed_in: '2018-06-05 08:16:57.00',
              location: 'Jakarta',
              reason: 'Dokumen telah ditandatangani secara elektronik',
              hash_value: 'e0',
              document_integrity: true,
              signature_value: '31',
            },
          },
        ],
      }),
    );
    const client = new BsreCloudClient(cloud, fast);
    assert.deepEqual(await client.sign({ idSigned: 'b7818f4aa0fb482d99a2f3c3214ba44c', passphrase: 'rahasia', approvedInfo: 'setuju' }), {
      message: 'Proses berhasil',
      elapsed: '51 ms',
    });
    assert.deepEqual(Object.fromEntries(signSeen[0]!.url.searchParams), { passphrase: 'rahasia', approved_info: 'setuju' });
    const v = await client.verify({ pdf: PDF });
    assert.equal((verifySeen[0]?.form?.get('signed_file') as File).type, 'application/pdf');
    assert.equal(v.summary, 'DOCUMENT VALID !!!');
    assert.equal(v.signatureCount, 3);
    assert.equal(v.signatures[0]?.certificateTrusted, false);
    assert.throws(
      () => buildBsreCloudSignRequestRequest({ signer: '', pdf: PDF, appearance: { visible: false } }, cloud, 't'),
      (e: unknown) => e instanceof InputError && e.field === 'signer',
    );
    await assert.rejects(client.sign({ idSigned: '../admin', passphrase: 'p' }), (e: unknown) => e instanceof InputError && e.field === 'idSigned');
  });

  it('caches the OAuth token for expires_in, refreshes shortly before, single-flight under concurrency', async () => {
    let now = 0;
    const tokens = tokenRoute(['t1', 't2'], 3599);
    const seen = route('post', `${cloudBase}/api/v2/entity/sign/download/abc`, pdfReply());
    const client = new BsreCloudClient(cloud, { ...fast, now: () => now });
    await Promise.all(Array.from({ length: 8 }, () => client.download({ idSigned: 'abc' })));
    assert.equal(tokens.length, 1);
    now = 3_500_000;
    await client.download({ idSigned: 'abc' });
    assert.equal(tokens.length, 1);
    now = 3_540_000; // 59 s before expiry: inside the 60 s margin
    await Promise.all([client.download({ idSigned: 'abc' }), client.download({ idSigned: 'abc' })]);
    assert.equal(tokens.length, 2);
    assert.deepEqual(
      seen.slice(-2).map((s) => s.headers.get('authorization')),
      ['Bearer t2', 'Bearer t2'],
    );
  });

  it('refreshes once on 401 and repeats the call; a bad token answer is a typed error', async () => {
    const tokens = tokenRoute(['old', 'new']);
    const auth: string[] = [];
    server.use(
      http.post(`${cloudBase}/api/v2/entity/sign/download/abc`, ({ request }) => {
        auth.push(request.headers.get('authorization') ?? '');
        return request.headers.get('authorization') === 'Bearer new'
          ? new HttpResponse(PDF, { headers: { 'content-type': 'application/pdf' } })
          : HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
      }),
    );
    assert.deepEqual(await new BsreCloudClient(cloud, fast).download({ idSigned: 'abc' }), { pdf: PDF });
    assert.deepEqual(auth, ['Bearer old', 'Bearer new']);
    assert.equal(tokens.length, 2);
    server.use(http.post(`${cloudBase}/oauth/token`, () => HttpResponse.json({ access_token: 'x', token_type: 'bearer' })));
    await assert.rejects(new BsreCloudClient(cloud, fast).download({ idSigned: 'abc' }), isErr('provider-bad-response', 502));
    server.use(http.post(`${cloudBase}/oauth/token`, () => HttpResponse.json({ error: 'invalid_client' }, { status: 401 })));
    await assert.rejects(
      new BsreCloudClient(cloud, fast).download({ idSigned: 'abc' }),
      (e: unknown) => isErr('provider-unauthorized', 502)(e) && !JSON.stringify((e as ProviderError).toJSON()).includes('secret-1'),
    );
  });

  it('parses the documented success bodies directly', () => {
    assert.deepEqual(parseBsreV2SignResponse(200, jsonHeaders, enc({ time: 1, file: [pdf64] })).files, [PDF]);
    assert.throws(() => parseBsreV2SignResponse(200, jsonHeaders, enc({ time: 1, file: ['bm90IGEgcGRm'] })), isErr('provider-bad-response', 502));
  });
});
