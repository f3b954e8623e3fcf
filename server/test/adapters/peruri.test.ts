import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { http, HttpResponse } from 'msw';
import { CoordinateError } from '@esign-kit/core';
import {
  PeruriClient,
  buildPeruriGetJwtRequest,
  buildPeruriSendDocumentRequest,
  buildPeruriSigningSystemRequest,
  buildPeruriRegistrationRequest,
  parsePeruriEnvelope,
  parsePeruriSendDocumentBulkResponse,
  parsePeruriGetOtpBulkResponse,
  parsePeruriCheckCertificateResponse,
  parsePeruriCheckDocumentStatusResponse,
  peruriActivationWebViewUrl,
  peruriSigningWebViewUrl,
  peruriPath,
  peruriSession,
  peruriJwtExpiry,
  toPeruriSigners,
  type PeruriSettings,
} from '../../src/providers/peruri/index.js';
import { InputError, ProviderError } from '../../src/providers/shared/errors.js';
import { PDF, a4, mockProvider, see, type Seen } from './helpers.js';

const server = mockProvider();
const base = 'https://gateway.peruri.test/gateway';
const settings: PeruriSettings = { baseUrl: base, apiKey: '0b9a2a63-8f56-4c2b-9a1b-1d2e3f4a5b6c', systemId: 'PERURI' };
const pdf64 = Buffer.from(PDF).toString('base64');
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const jsonHeaders = new Headers({ 'content-type': 'application/json' });
const fast = { retryDelayMs: 0 };

/** The doc's example box: (454,45)-(529,116) on page 2 (§5.1). */
const exampleBox = { boxes: [{ page: 2, x: 454, y: 45, width: 75, height: 71 }], pages: a4(2) };
const exampleSigner = {
  isVisualSign: 'YES',
  lowerLeftX: '454',
  lowerLeftY: '45',
  upperRightX: '529',
  upperRightY: '116',
  page: '2',
  certificateLevel: 'NOT_CERTIFIED',
  varLocation: 'JAKARTA',
  varReason: 'Biodata',
};

function withJwt(jwts: string[] = ['jwt-1']) {
  const seenJwt: Seen[] = [];
  let i = 0;
  server.use(
    http.post(`${base}/jwtSandbox/1.0/getJsonWebToken/v1`, async ({ request }) => {
      seenJwt.push(await see(request));
      return HttpResponse.json({ resultCode: '0', resultDesc: 'Success', data: { jwt: jwts[Math.min(i++, jwts.length - 1)] } });
    }),
  );
  return seenJwt;
}

function operation(name: string, reply: unknown, status = 200) {
  const seen: Seen[] = [];
  server.use(
    http.post(`${base}/digitalSignatureFullJwtSandbox/1.0/${name}/v1`, async ({ request }) => {
      seen.push(await see(request));
      return HttpResponse.json(reply as never, { status });
    }),
  );
  return seen;
}

describe('Peruri builders', () => {
  it('Get JWT: POST with x-Gateway-APIKey, no Authorization, {"param":{"systemId"}} (§3.0)', () => {
    const r = buildPeruriGetJwtRequest(settings);
    assert.equal(r.method, 'POST');
    assert.equal(r.url, `${base}/jwtSandbox/1.0/getJsonWebToken/v1`);
    assert.deepEqual(r.headers, { 'Content-Type': 'application/json', 'x-Gateway-APIKey': settings.apiKey });
    assert.deepEqual(r.body, { kind: 'json', value: { param: { systemId: 'PERURI' } } });
  });

  it('paths follow §2.1 per environment and can be overridden per operation', () => {
    assert.equal(peruriPath('getJsonWebToken', { ...settings, environment: 'production' }), '/jwt/1.0/getJsonWebToken/v1');
    assert.equal(peruriPath('signing', { ...settings, environment: 'production' }), '/digitalSignatureFullJwt/1.0/signing/v1');
    assert.equal(
      peruriPath('signing', { ...settings, paths: { signing: '/digitalSignatureFullJwt/1.0/signing/v2' } }),
      '/digitalSignatureFullJwt/1.0/signing/v2',
    );
  });

  it('Send Document reproduces the §5.1 example from a neutral box, coordinates as integer strings', () => {
    const r = buildPeruriSendDocumentRequest(
      { email: 'patriadevelopment@yopmail.com', fileName: 'sample-dok.pdf', pdf: PDF, placement: { ...exampleBox, location: 'JAKARTA', reason: 'Biodata' } },
      settings,
      'jwt',
    );
    assert.equal(r.headers.Authorization, 'Bearer jwt');
    assert.deepEqual(r.body, {
      kind: 'json',
      value: {
        param: {
          email: 'patriadevelopment@yopmail.com',
          payload: { fileName: 'sample-dok.pdf', base64Document: pdf64, signer: [exampleSigner] },
          systemId: 'PERURI',
        },
      },
    });
  });

  it('rounds decimal boxes to integers (4012 otherwise) and honours profile overrides', () => {
    const [s] = toPeruriSigners({ boxes: [{ page: 1, x: 100.4, y: 50.6, width: 80.2, height: 40 }], pages: a4() }, settings);
    assert.deepEqual([s?.lowerLeftX, s?.lowerLeftY, s?.upperRightX, s?.upperRightY], ['100', '51', '181', '91']);
    const [t] = toPeruriSigners({ boxes: [{ page: 1, x: 100, y: 50, width: 80, height: 40 }], pages: a4(), profile: { origin: 'top-left' } }, settings);
    assert.deepEqual([t?.lowerLeftY, t?.upperRightY], [String(842 - 90), String(842 - 50)]);
  });

  it('an invisible placement sends isVisualSign NO without coordinates', () => {
    assert.deepEqual(toPeruriSigners({ visible: false, certificateLevel: 'NO_CHANGES_ALLOWED' }, settings), [
      { isVisualSign: 'NO', certificateLevel: 'NO_CHANGES_ALLOWED' },
    ]);
  });

  it('a box off the page is a CoordinateError from the core, before any request', () => {
    assert.throws(() => toPeruriSigners({ boxes: [{ page: 3, x: 1, y: 1, width: 50, height: 50 }], pages: a4(2) }, settings), CoordinateError);
  });

  it('validates the caller input with errors naming the field', () => {
    const bad = (fn: () => unknown, field: string) => assert.throws(fn, (e: unknown) => e instanceof InputError && e.field === field);
    bad(() => buildPeruriSendDocumentRequest({ email: 'nope', fileName: 'a.pdf', pdf: PDF }, settings, 'j'), 'email');
    bad(() => buildPeruriSendDocumentRequest({ email: 'a@b.co', fileName: 'a.pdf', pdf: new Uint8Array([1, 2]) }, settings, 'j'), 'pdf');
    bad(() => buildPeruriSendDocumentRequest({ email: 'a@b.co', fileName: '', pdf: PDF }, settings, 'j'), 'fileName');
    const reg = {
      name: 'Budi',
      phone: '081234567890',
      email: 'budi@example.co.id',
      ktp: '3175091201900003',
      ktpPhoto: new Uint8Array([1]),
      address: 'Jl. A',
      city: 'Jakarta',
      province: 'DKI',
      gender: 'M' as const,
      placeOfBirth: 'Jakarta',
      dateOfBirth: '1990-01-12',
    };
    bad(() => buildPeruriRegistrationRequest({ ...reg, ktp: '12345' }, settings, 'j'), 'ktp');
    bad(() => buildPeruriRegistrationRequest({ ...reg, dateOfBirth: '12/01/1990' }, settings, 'j'), 'dateOfBirth');
    bad(() => buildPeruriRegistrationRequest({ ...reg, dateOfBirth: '1990-02-30' }, settings, 'j'), 'dateOfBirth');
    bad(() => buildPeruriRegistrationRequest({ ...reg, gender: 'X' as 'M' }, settings, 'j'), 'gender');
  });

  it('§8.2 session: the doc worked example, HMAC-SHA256 of 321432153216 keyed p3rur1', () => {
    assert.equal(peruriSession('p3rur1', ['3214', '3215', '3216']), '1fdd4df75c0d0c6548e4c34baeceff2e926a9b5520e6ea393c821b7f3248d824');
    const r = buildPeruriSigningSystemRequest({ orderIds: ['3214', '3215', '3216'], key: 'p3rur1' }, settings, 'jwt');
    assert.deepEqual(r.body, {
      kind: 'json',
      value: {
        param: {
          data: [{ orderId: '3214' }, { orderId: '3215' }, { orderId: '3216' }],
          session: '1fdd4df75c0d0c6548e4c34baeceff2e926a9b5520e6ea393c821b7f3248d824',
          systemId: 'PERURI',
        },
      },
    });
  });

  it('web-view URLs (§4.6, §5.7)', () => {
    const s = { ...settings, webViewBaseUrl: 'https://webview.peruri.test/' };
    assert.equal(peruriActivationWebViewUrl({ email: 'mail@mail.com' }, s), 'https://webview.peruri.test/index.php?email=mail%40mail.com&systemId=PERURI');
    assert.equal(peruriSigningWebViewUrl({ orderId: '2956' }, s), 'https://webview.peruri.test/signing.php?orderId=2956');
  });
});

describe('Peruri parsers', () => {
  it('checks status, content type, body shape and resultCode in that order', () => {
    assert.throws(() => parsePeruriEnvelope('activation', 401, jsonHeaders, enc({})), { code: 'provider-unauthorized' });
    assert.throws(
      () => parsePeruriEnvelope('activation', 500, jsonHeaders, enc({ resultCode: '99', resultDesc: 'Gagal' })),
      (e: unknown) => e instanceof ProviderError && e.code === 'provider-http-error' && e.providerMessage === 'Gagal' && e.retryable,
    );
    assert.throws(() => parsePeruriEnvelope('activation', 200, new Headers({ 'content-type': 'text/html' }), enc({ resultCode: '0' })), {
      code: 'provider-bad-response',
    });
    assert.throws(() => parsePeruriEnvelope('activation', 200, jsonHeaders, new TextEncoder().encode('{oops')), { code: 'provider-bad-response' });
    assert.throws(() => parsePeruriEnvelope('activation', 200, jsonHeaders, enc([1])), { code: 'provider-bad-response' });
    assert.throws(() => parsePeruriEnvelope('activation', 200, jsonHeaders, enc({ resultDesc: 'x' })), { code: 'provider-bad-response' });
    assert.deepEqual(parsePeruriEnvelope('activation', 200, jsonHeaders, enc({ resultCode: '0', resultDesc: 'ok' })), { resultDesc: 'ok', data: undefined });
  });

  it('maps resultCode 4012 to invalid-coordinates (422) and any other failure to provider-rejected (422), keeping resultDesc', () => {
    assert.throws(
      () => parsePeruriEnvelope('signing', 200, jsonHeaders, enc({ resultCode: '4012', resultDesc: 'Koordinat tidak valid' })),
      (e: unknown) =>
        e instanceof ProviderError &&
        e.code === 'invalid-coordinates' &&
        e.httpStatus === 422 &&
        e.providerCode === '4012' &&
        e.providerMessage === 'Koordinat tidak valid',
    );
    assert.throws(
      () => parsePeruriEnvelope('signing', 200, jsonHeaders, enc({ resultCode: '1004', resultDesc: 'OTP salah' })),
      (e: unknown) =>
        e instanceof ProviderError &&
        e.code === 'provider-rejected' &&
        e.httpStatus === 422 &&
        !e.retryable &&
        e.provider === 'peruri' &&
        e.providerMessage === 'OTP salah',
    );
  });

  it('the check APIs answer "not yet" for a non-zero resultCode, and still throw on HTTP or shape failures', () => {
    // Seed 003: "0" = Sukses, Selain "0" = Gagal — a non-"0" check is a failure with Peruri's code and text, never "pending".
    assert.throws(
      () => parsePeruriCheckCertificateResponse(200, jsonHeaders, enc({ resultCode: '1', resultDesc: 'Email tidak terdaftar' })),
      (e: unknown) =>
        e instanceof ProviderError &&
        e.code === 'provider-rejected' &&
        e.httpStatus === 422 &&
        e.providerCode === '1' &&
        e.providerMessage === 'Email tidak terdaftar' &&
        /did not confirm the certificate/.test(e.message),
    );
    assert.throws(
      () => parsePeruriCheckDocumentStatusResponse(200, jsonHeaders, enc({ resultCode: '2', resultDesc: 'Order tidak ditemukan' })),
      (e: unknown) =>
        e instanceof ProviderError &&
        e.providerCode === '2' &&
        e.providerMessage === 'Order tidak ditemukan' &&
        /did not confirm the document is signed/.test(e.message),
    );
    assert.throws(() => parsePeruriCheckDocumentStatusResponse(502, jsonHeaders, enc({})), { code: 'provider-http-error' });
    assert.throws(() => parsePeruriCheckCertificateResponse(200, jsonHeaders, enc({})), { code: 'provider-bad-response' });
  });

  it('reads the misprinted orderld/orderldBulk and the array form of Send Document Bulk', () => {
    assert.deepEqual(parsePeruriSendDocumentBulkResponse(200, jsonHeaders, enc({ resultCode: '0', data: [{ orderId: '3845' }, { orderId: 3846 }] })), {
      orderIds: ['3845', '3846'],
    });
    assert.deepEqual(parsePeruriGetOtpBulkResponse(200, jsonHeaders, enc({ resultCode: '0', data: { token: 't', phone: '08', orderldBulk: '222' } })), {
      token: 't',
      phone: '08',
      orderIdBulk: '222',
    });
  });
});

describe('Peruri over the wire (msw)', () => {
  const reg = {
    name: 'Budi Santoso',
    phone: '081234567890',
    email: 'budi@example.co.id',
    ktp: '3175091201900003',
    ktpPhoto: new Uint8Array([0xff, 0xd8, 0xff, 1]),
    address: 'Jl. Merdeka 1',
    city: 'Jakarta',
    province: 'DKI Jakarta',
    gender: 'M' as const,
    placeOfBirth: 'Bandung',
    dateOfBirth: '1990-01-12',
  };

  const cases: { op: string; call: (c: PeruriClient) => Promise<unknown>; body: unknown; reply: unknown; result: unknown }[] = [
    {
      op: 'registration',
      call: (c) => c.registration(reg),
      body: {
        param: {
          name: 'Budi Santoso',
          phone: '081234567890',
          email: 'budi@example.co.id',
          type: 'INDIVIDUAL',
          ktp: '3175091201900003',
          ktpPhoto: '/9j/AQ==',
          address: 'Jl. Merdeka 1',
          city: 'Jakarta',
          province: 'DKI Jakarta',
          gender: 'M',
          placeOfBirth: 'Bandung',
          dateOfBirth: '12/01/1990',
          orgUnit: '',
          workUnit: '',
          position: '',
          systemId: 'PERURI',
        },
      },
      reply: { resultCode: '0', resultDesc: 'Sukses registrasi' },
      result: { resultDesc: 'Sukses registrasi' },
    },
    {
      op: 'activation',
      call: (c) => c.activation({ email: 'fitrifebriana22@yopmail.com' }),
      body: { param: { email: 'fitrifebriana22@yopmail.com', systemId: 'PERURI' } },
      reply: { resultCode: '0', resultDesc: 'Sukses aktivasi akun, silakan lanjutkan proses verifikasi' },
      result: { resultDesc: 'Sukses aktivasi akun, silakan lanjutkan proses verifikasi' },
    },
    {
      op: 'videoVerification',
      call: (c) => c.videoVerification({ email: 'fitrifebriana22@yopmail.com', video: new Uint8Array([1, 2, 3]) }),
      body: { param: { email: 'fitrifebriana22@yopmail.com', videoStream: 'AQID', systemId: 'PERURI' } },
      reply: { resultCode: '0', resultDesc: 'Success' },
      result: { resultDesc: 'Success' },
    },
    {
      op: 'sendSpeciment',
      call: (c) => c.sendSpecimen({ email: 'a@b.co', specimen: new Uint8Array([4, 5]) }),
      body: { param: { email: 'a@b.co', speciment: 'BAU=', systemId: 'PERURI' } },
      reply: { resultCode: '0', resultDesc: 'Success' },
      result: { resultDesc: 'Success' },
    },
    {
      op: 'checkCertificate',
      call: (c) => c.checkCertificate({ email: 'a@b.co' }),
      body: { param: { email: 'a@b.co', systemId: 'PERURI' } },
      reply: { resultCode: '0', resultDesc: 'Sertifikat aktif' },
      result: { resultCode: '0', resultDesc: 'Sertifikat aktif' },
    },
    {
      op: 'sendDocument',
      call: (c) =>
        c.sendDocument({
          email: 'patriadevelopment@yopmail.com',
          fileName: 'sample-dok.pdf',
          pdf: PDF,
          placement: { ...exampleBox, location: 'JAKARTA', reason: 'Biodata' },
        }),
      body: {
        param: {
          email: 'patriadevelopment@yopmail.com',
          payload: { fileName: 'sample-dok.pdf', base64Document: pdf64, signer: [exampleSigner] },
          systemId: 'PERURI',
        },
      },
      reply: { resultCode: '0', resultDesc: 'Success Upload Document', data: { orderId: '2965' } },
      result: { orderId: '2965' },
    },
    {
      op: 'sendDocument',
      call: (c) => c.sendDocument({ email: 'a@b.co', fileName: 'x.pdf', pdf: PDF, orderType: 'SYSTEM' }),
      body: { param: { email: 'a@b.co', payload: { fileName: 'x.pdf', base64Document: pdf64 }, systemId: 'PERURI', orderType: 'SYSTEM' } },
      reply: { resultCode: '0', resultDesc: 'Success Upload Document', data: { orderId: '3214' } },
      result: { orderId: '3214' },
    },
    {
      op: 'viewDocument',
      call: (c) => c.viewDocument({ orderId: '2965' }),
      body: { param: { orderId: '2965' } },
      reply: { resultCode: '0', resultDesc: 'Success', data: { base64Document: pdf64, signer: '1' } },
      result: { pdf: PDF, coordinatesSet: true },
    },
    {
      op: 'getOtp',
      call: (c) => c.getOtp({ orderId: '2965' }),
      body: { param: { orderId: '2965' } },
      reply: { resultCode: '0', resultDesc: 'Success', data: { token: 'd76a911c945c4039a290555504bf55ce', systemId: 'PERURI', phone: '082326068898' } },
      result: { token: 'd76a911c945c4039a290555504bf55ce', phone: '082326068898' },
    },
    {
      op: 'signing',
      call: (c) => c.signing({ orderId: '2965', otpCode: '123456', token: 'd76a911c945c4039a290555504bf55ce' }),
      body: { requestSigning: { orderId: '2965', otpCode: '123456', token: 'd76a911c945c4039a290555504bf55ce' } },
      reply: { resultCode: '0', resultDesc: 'Success' },
      result: { resultDesc: 'Success' },
    },
    {
      op: 'signing',
      call: (c) =>
        c.signing({
          orderId: '2965',
          otpCode: '123456',
          token: 't',
          placement: { ...exampleBox, location: 'JAKARTA', reason: 'ignored: §5.4 has no varReason' },
        }),
      body: {
        requestSigning: {
          orderId: '2965',
          otpCode: '123456',
          token: 't',
          signer: [{ ...exampleSigner, varReason: undefined }].map(({ varReason: _r, ...s }) => s),
        },
      },
      reply: { resultCode: '0', resultDesc: 'Success' },
      result: { resultDesc: 'Success' },
    },
    {
      op: 'checkDocumentStatus',
      call: (c) => c.checkDocumentStatus({ orderId: '2965' }),
      body: { param: { orderId: '2965' } },
      reply: { resultCode: '0', resultDesc: 'Dokumen sudah ditandatangani' },
      result: { resultCode: '0', resultDesc: 'Dokumen sudah ditandatangani' },
    },
    {
      op: 'downloadDocument',
      call: (c) => c.downloadDocument({ orderId: '2965' }),
      body: { param: { orderId: '2965' } },
      reply: { resultCode: '0', resultDesc: 'Success', data: { base64Document: pdf64 } },
      result: { pdf: PDF },
    },
    {
      op: 'sendDocumentTier',
      call: (c) =>
        c.sendDocumentTier({ uploader: 'ekamui04@yopmail.com', fileName: '1.pdf', pdf: PDF, signers: ['ekamui04@yopmail.com', 'ekamui1@yopmail.com'] }),
      body: {
        param: {
          uploader: 'ekamui04@yopmail.com',
          payload: { fileName: '1.pdf', base64Document: pdf64, signer: [{ email: 'ekamui04@yopmail.com' }, { email: 'ekamui1@yopmail.com' }] },
          systemId: 'PERURI',
        },
      },
      reply: { resultCode: '0', resultDesc: 'Success', data: { orderld: '4001' } },
      result: { orderId: '4001' },
    },
    {
      op: 'signingTier',
      call: (c) => c.signingTier({ orderId: '4001', otpCode: '654321', token: 'tok', placement: { ...exampleBox, location: 'JAKARTA' } }),
      body: {
        requestSigning: {
          orderId: '4001',
          otpCode: '654321',
          token: 'tok',
          signer: [
            {
              isVisualSign: 'YES',
              lowerLeftX: '454',
              lowerLeftY: '45',
              upperRightX: '529',
              upperRightY: '116',
              page: '2',
              certificateLevel: 'NOT_CERTIFIED',
              varLocation: 'JAKARTA',
            },
          ],
        },
      },
      reply: { resultCode: '0', resultDesc: 'Success' },
      result: { resultDesc: 'Success' },
    },
    {
      op: 'sendDocumentBulk',
      call: (c) =>
        c.sendDocumentBulk({
          email: 'ekamui04@yopmail.com',
          files: [{ fileName: 'demo1.pdf', pdf: PDF }],
          placement: { boxes: [{ page: 1, x: 454, y: 45, width: 75, height: 71 }], pages: a4(), location: 'JAKARTA', reason: 'ya setuju' },
        }),
      body: {
        param: {
          email: 'ekamui04@yopmail.com',
          payload: { file: [{ fileName: 'demo1.pdf', base64Document: pdf64 }], signer: [{ ...exampleSigner, page: '1', varReason: 'ya setuju' }] },
          systemId: 'PERURI',
        },
      },
      reply: { resultCode: '0', resultDesc: 'Success', data: [{ orderId: '3845' }] },
      result: { orderIds: ['3845'] },
    },
    {
      op: 'setSignature',
      call: (c) =>
        c.setSignature({
          orderId: '7492',
          placement: { boxes: [{ page: 1, x: 454, y: 45, width: 75, height: 71 }], pages: a4(), location: 'JAKARTA', reason: 'ya setuju' },
        }),
      // The table's array (seed 003 Bulk §3); the example's object is PERURI_SET_SIGNATURE_SIGNER=object.
      body: { requestSetSignature: { orderId: '7492', signer: [{ ...exampleSigner, page: '1', varReason: 'ya setuju' }] } },
      reply: { resultCode: '0', resultDesc: 'Success' },
      result: { resultDesc: 'Success' },
    },
    {
      op: 'getOtpBulk',
      call: (c) => c.getOtpBulk({ orderIds: ['3845'] }),
      // The table's string (seed 003 Bulk §4); the example's number is PERURI_BULK_OTP_ORDER_ID_TYPE=number.
      body: { requestGetOtpBulk: { data: [{ orderId: '3845' }], systemId: 'PERURI' } },
      reply: {
        resultCode: '0',
        resultDesc: 'Success',
        data: { token: 'd76a911c945c4039a290555504bf55ce', systemId: 'PERURI', phone: '082326068898', orderIdBulk: '222' },
      },
      result: { token: 'd76a911c945c4039a290555504bf55ce', phone: '082326068898', orderIdBulk: '222' },
    },
    {
      op: 'signingBulk',
      call: (c) => c.signingBulk({ orderIdBulk: '225', otpCode: '651129', token: 'f8719714c24244afbcca03f496b95c55' }),
      body: { requestSigning: { orderIdBulk: '225', otpCodeBulk: '651129', tokenBulk: 'f8719714c24244afbcca03f496b95c55' } },
      reply: { resultCode: '0', resultDesc: 'Success', data: [{ orderId: '3851', fileName: '3851_demo1.pdf' }] },
      result: { resultDesc: 'Success', documents: [{ orderId: '3851', fileName: '3851_demo1.pdf' }] },
    },
    {
      op: 'setKey',
      call: (c) => c.setKey({ key: 'p3rur1', minutes: 30 }),
      body: { param: { key: 'p3rur1', minutes: '30', systemId: 'PERURI' } },
      reply: { resultCode: '0', resultDesc: 'Success', data: { expiredDate: '2019-10-08 10:30:00' } },
      result: { resultDesc: 'Success', expiredDate: '2019-10-08 10:30:00' },
    },
    {
      op: 'signingSystem',
      call: (c) => c.signingSystem({ orderIds: ['3214', '3215', '3216'], key: 'p3rur1' }),
      body: {
        param: {
          data: [{ orderId: '3214' }, { orderId: '3215' }, { orderId: '3216' }],
          session: '1fdd4df75c0d0c6548e4c34baeceff2e926a9b5520e6ea393c821b7f3248d824',
          systemId: 'PERURI',
        },
      },
      reply: { resultCode: '0', resultDesc: 'Success' },
      result: { resultDesc: 'Success' },
    },
  ];

  for (const c of cases) {
    it(`${c.op}: exact request and parsed answer`, async () => {
      const jwtSeen = withJwt();
      const seen = operation(c.op, c.reply);
      const client = new PeruriClient(settings, fast);
      assert.deepEqual(await c.call(client), c.result);
      assert.equal(jwtSeen.length, 1);
      assert.deepEqual(jwtSeen[0]?.json, { param: { systemId: 'PERURI' } });
      assert.equal(jwtSeen[0]?.headers.get('authorization'), null);
      assert.equal(seen.length, 1);
      const s = seen[0]!;
      assert.equal(s.method, 'POST');
      assert.equal(s.url.pathname, `/gateway/digitalSignatureFullJwtSandbox/1.0/${c.op}/v1`);
      assert.equal(s.url.search, '');
      assert.equal(s.headers.get('authorization'), 'Bearer jwt-1');
      assert.equal(s.headers.get('x-gateway-apikey'), settings.apiKey);
      assert.match(s.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(s.json, c.body);
    });
  }

  it("settings switch Set Signature to the example's object, bulk OTP ids to numbers and orderType into payload", async () => {
    const s: PeruriSettings = { ...settings, setSignatureSigner: 'object', bulkOtpOrderIdType: 'number', orderTypePlacement: 'payload' };
    withJwt();
    const set = operation('setSignature', { resultCode: '0', resultDesc: 'Success' });
    const otp = operation('getOtpBulk', { resultCode: '0', data: { token: 't', orderIdBulk: '1' } });
    const doc = operation('sendDocument', { resultCode: '0', data: { orderId: '1' } });
    const client = new PeruriClient(s, fast);
    await client.setSignature({ orderId: '1', placement: { visible: false } });
    await assert.rejects(client.getOtpBulk({ orderIds: ['A-1'] }), (e: unknown) => (e as { field?: string }).field === 'orderIds[0]');
    await client.getOtpBulk({ orderIds: ['3845'] });
    await client.sendDocument({ email: 'a@b.co', fileName: 'x.pdf', pdf: PDF, orderType: 'SYSTEM' });
    assert.deepEqual(set[0]?.json, { requestSetSignature: { orderId: '1', signer: { isVisualSign: 'NO', certificateLevel: 'NOT_CERTIFIED' } } });
    assert.deepEqual(otp[0]?.json, { requestGetOtpBulk: { data: [{ orderId: 3845 }], systemId: 'PERURI' } });
    assert.deepEqual(doc[0]?.json, {
      param: { email: 'a@b.co', payload: { fileName: 'x.pdf', base64Document: pdf64, orderType: 'SYSTEM' }, systemId: 'PERURI' },
    });
  });

  it('reuses one JWT for a day, refreshes it shortly before, single-flight under concurrency', async () => {
    let now = 1_000_000;
    const jwtSeen = withJwt(['jwt-1', 'jwt-2']);
    const seen = operation('checkDocumentStatus', { resultCode: '0', resultDesc: 'ok' });
    const client = new PeruriClient(settings, { ...fast, now: () => now });
    await Promise.all(Array.from({ length: 5 }, () => client.checkDocumentStatus({ orderId: '1' })));
    assert.equal(jwtSeen.length, 1);
    now += 23 * 60 * 60 * 1000;
    await client.checkDocumentStatus({ orderId: '1' });
    assert.equal(jwtSeen.length, 1);
    now += 55 * 60 * 1000; // 10 minutes before the day is over
    await Promise.all([client.checkDocumentStatus({ orderId: '1' }), client.checkDocumentStatus({ orderId: '1' })]);
    assert.equal(jwtSeen.length, 2);
    assert.deepEqual(
      seen.map((s) => s.headers.get('authorization')),
      [...Array(6).fill('Bearer jwt-1'), 'Bearer jwt-2', 'Bearer jwt-2'],
    );
  });

  it('the JWT lasts a day, or less when its exp claim says so', () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    assert.equal(peruriJwtExpiry('opaque-token', 1000), 1000 + 86_400_000);
    assert.equal(peruriJwtExpiry(jwt({ exp: 3600 }), 0), 3_600_000);
    assert.equal(peruriJwtExpiry(jwt({ exp: 10 ** 12 }), 0), 86_400_000);
    assert.equal(peruriJwtExpiry('a.!!!.c', 0), 86_400_000);
  });

  it('on a 401 the JWT is refreshed once and the call repeated; a second 401 is reported', async () => {
    const jwtSeen = withJwt(['old', 'new']);
    const seen: string[] = [];
    server.use(
      http.post(`${base}/digitalSignatureFullJwtSandbox/1.0/getOtp/v1`, ({ request }) => {
        const auth = request.headers.get('authorization') ?? '';
        seen.push(auth);
        return auth === 'Bearer new'
          ? HttpResponse.json({ resultCode: '0', data: { token: 'tok' } })
          : HttpResponse.json({ resultCode: '401', resultDesc: 'Unauthorized' }, { status: 401 });
      }),
    );
    const client = new PeruriClient(settings, fast);
    assert.deepEqual(await client.getOtp({ orderId: '1' }), { token: 'tok', phone: undefined });
    assert.deepEqual(seen, ['Bearer old', 'Bearer new']);
    assert.equal(jwtSeen.length, 2);

    server.use(http.post(`${base}/digitalSignatureFullJwtSandbox/1.0/getOtp/v1`, () => new HttpResponse(null, { status: 401 })));
    await assert.rejects(client.getOtp({ orderId: '1' }), { code: 'provider-unauthorized', httpStatus: 502 });
  });

  it('a failed JWT request is a ProviderError and no operation is sent', async () => {
    server.use(http.post(`${base}/jwtSandbox/1.0/getJsonWebToken/v1`, () => HttpResponse.json({ resultCode: '1', resultDesc: 'systemId tidak dikenal' })));
    const seen = operation('activation', { resultCode: '0' });
    await assert.rejects(
      new PeruriClient(settings, fast).activation({ email: 'a@b.co' }),
      (e: unknown) => e instanceof ProviderError && e.code === 'provider-rejected' && e.providerMessage === 'systemId tidak dikenal',
    );
    assert.equal(seen.length, 0);
  });

  it('a caller mistake is reported before any network call', async () => {
    const jwtSeen = withJwt();
    await assert.rejects(new PeruriClient(settings, fast).activation({ email: 'not-an-email' }), InputError);
    assert.equal(jwtSeen.length, 0);
  });

  it('maps a documented failure answer on the wire (4012) and does not retry a signing', async () => {
    withJwt();
    const seen = operation('signing', { resultCode: '4012', resultDesc: 'Invalid coordinate' });
    await assert.rejects(new PeruriClient(settings, fast).signing({ orderId: '1', otpCode: '123456', token: 't' }), {
      code: 'invalid-coordinates',
      httpStatus: 422,
    });
    assert.equal(seen.length, 1);
  });

  it('retries an idempotent download after a 503 but never the non-idempotent send', async () => {
    withJwt();
    let downloads = 0;
    let sends = 0;
    server.use(
      http.post(`${base}/digitalSignatureFullJwtSandbox/1.0/downloadDocument/v1`, () =>
        ++downloads === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ resultCode: '0', data: { base64Document: pdf64 } }),
      ),
      http.post(`${base}/digitalSignatureFullJwtSandbox/1.0/sendDocument/v1`, () => {
        sends++;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    const client = new PeruriClient(settings, fast);
    assert.deepEqual(await client.downloadDocument({ orderId: '1' }), { pdf: PDF });
    assert.equal(downloads, 2);
    await assert.rejects(client.sendDocument({ email: 'a@b.co', fileName: 'a.pdf', pdf: PDF }), { code: 'provider-http-error', httpStatus: 502 });
    assert.equal(sends, 1);
  });
});
