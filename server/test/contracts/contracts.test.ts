// The adapters against the seeds: every operation's request, as the adapter builds it, is held against the
// contract written from the provider documents (bsre.ts, peruri.ts, digisign.ts here) — method, path,
// headers, wrapper, every field's name, presence, JSON type (string vs number), length and values, files —
// under every value of every deployment setting the operation depends on. A key the contract does not list
// fails (closed world): a drift like `otp` for `totp` is caught here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DIALECT_SWITCHES,
  DIGISIGN_OPERATIONS,
  PERURI_OPERATIONS,
  buildBsreCloudDownloadRequest,
  buildBsreCloudSignRequest,
  buildBsreCloudSignRequestRequest,
  buildBsreCloudTokenRequest,
  buildBsreCloudVerifyRequest,
  buildBsreSealActivationRequest,
  buildBsreSealPdfRequest,
  buildBsreSealRevokeRequest,
  buildBsreSealTotpRequest,
  buildBsreV1DownloadRequest,
  buildBsreV1SignRequest,
  buildBsreV1UserStatusRequest,
  buildBsreV1VerifyRequest,
  buildBsreV2RegistrationRequest,
  buildBsreV2SignRequest,
  buildBsreV2SignTotpRequest,
  buildBsreV2UserStatusRequest,
  buildBsreV2VerifyRequest,
  buildDigisignActivationRequest,
  buildDigisignChangeContactRequest,
  buildDigisignDownloadBase64Request,
  buildDigisignDownloadPdfRequest,
  buildDigisignRegisterRequest,
  buildDigisignSendDocumentRequest,
  buildDigisignSignPageRequest,
  buildPeruriActivationRequest,
  buildPeruriCheckCertificateRequest,
  buildPeruriCheckDocumentStatusRequest,
  buildPeruriDownloadDocumentRequest,
  buildPeruriGetJwtRequest,
  buildPeruriGetOtpBulkRequest,
  buildPeruriGetOtpRequest,
  buildPeruriRegistrationRequest,
  buildPeruriSendDocumentBulkRequest,
  buildPeruriSendDocumentRequest,
  buildPeruriSendDocumentTierRequest,
  buildPeruriSendSpecimenRequest,
  buildPeruriSetKeyRequest,
  buildPeruriSetSignatureRequest,
  buildPeruriSigningBulkRequest,
  buildPeruriSigningRequest,
  buildPeruriSigningSystemRequest,
  buildPeruriSigningTierRequest,
  buildPeruriVideoVerificationRequest,
  buildPeruriViewDocumentRequest,
  DEFAULT_DIALECTS,
  type BsreClientSettings,
  type BsreCloudSettings,
  type DigisignSettings,
  type PeruriSettings,
  type ProviderRequest,
} from '../../src/providers/adapters.js';
import { PDF, a4 } from '../adapters/helpers.js';
import { BSRE_CONTRACTS } from './bsre.js';
import { DIGISIGN_CONTRACTS } from './digisign.js';
import { PERURI_CONTRACTS } from './peruri.js';
import { check, type Operation, type Selection } from './schema.js';

const CONTRACTS = new Map<string, Operation>([...BSRE_CONTRACTS, ...PERURI_CONTRACTS, ...DIGISIGN_CONTRACTS].map((c) => [c.id, c]));
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const NIK = '3216785087543986';
const box = { page: 1, x: 10, y: 700, width: 200, height: 100 };

/** Which setting values each checked request was built under, per operation (for the coverage test). */
const exercised = new Map<string, Set<string>>();

function expectKept(request: ProviderRequest, selection: Selection) {
  const contract = CONTRACTS.get(request.operation);
  assert.ok(contract, `a contract for ${request.operation}`);
  const problems = check(contract, request, selection);
  assert.deepEqual(problems, [], `${request.operation} under ${JSON.stringify(selection)}:\n  ${problems.join('\n  ')}`);
  const seen = exercised.get(request.operation) ?? new Set<string>();
  for (const variable of Object.keys(contract.readings ?? {})) seen.add(`${variable}=${selection[variable]}`);
  seen.add('*');
  exercised.set(request.operation, seen);
}

// ---------------------------------------------------------------------------------------------------
// Settings under each value of each switch

const values = (variable: string) => {
  const s = DIALECT_SWITCHES.find((x) => x.variable === variable)!;
  return s.kind === 'enum' ? [...s.values!] : [];
};

const bsreSettings = (d: Partial<BsreClientSettings> = {}): BsreClientSettings => ({
  baseUrl: 'https://esign-client.instansi.go.id',
  username: 'app',
  password: 'secret',
  ...d,
});
const cloudSettings = (placement: 'header' | 'query'): BsreCloudSettings => ({
  baseUrl: 'https://cloud.bsre.test',
  clientId: 'id',
  clientSecret: 'secret',
  tokenPlacement: placement,
});
const peruriSettings = (d: Partial<PeruriSettings> = {}): PeruriSettings => ({
  baseUrl: 'https://apgdev.peruri.co.id:9044/gateway',
  apiKey: '3f1c5e1a-6b0d-4c2e-9a53-6f7f0a1b2c3d',
  systemId: 'PERURI',
  environment: 'production',
  ...d,
});
const digisignSettings = (d: Partial<DigisignSettings> = {}): DigisignSettings => ({
  baseUrl: 'https://api.tandatanganku.com',
  token: '1ecbe0a70545432baf7133a89ab4c026',
  userid: 'admin@gmail.com',
  ...d,
});

describe('contracts from the seeds: BSrE (000, 001, 002)', () => {
  it('v1 Sign PDF in every mode (002 §5.2): invisible, specimen, QR, tag with image or QR; reason/location/text', () => {
    const s = bsreSettings();
    const common = { pdf: PDF, nik: NIK, passphrase: 'rahasia' };
    const tail = { reason: 'Setuju', location: 'Jakarta', text: 'Nomor 12/2024' };
    for (const input of [
      { mode: 'invisible' as const, ...common },
      { mode: 'invisible' as const, ...common, ...tail },
      { mode: 'image' as const, image: jpeg, box, pages: a4(), ...common, ...tail },
      { mode: 'qr' as const, linkQR: 'https://instansi.go.id/dok/1', box, pages: a4(), ...common },
      { mode: 'tag' as const, tag: '#', width: 120, height: 40, image: png, ...common },
      { mode: 'tag' as const, tag: '$', width: 120, height: 40, linkQR: 'https://instansi.go.id/dok/1', ...common },
    ])
      expectKept(buildBsreV1SignRequest(input, s), {});
  });

  it('v1 download (002 §5.3), verify (002 §5.4), user status under each BSRE_V1_USER_STATUS_PATH reading (001 §III.C)', () => {
    expectKept(buildBsreV1DownloadRequest({ documentId: 'a1b2c3' }, bsreSettings()), {});
    expectKept(buildBsreV1VerifyRequest({ pdf: PDF }, bsreSettings()), {});
    expectKept(buildBsreV1UserStatusRequest({ nik: NIK }, bsreSettings()), { BSRE_V1_USER_STATUS_PATH: '/api/user/status/{nik}' });
    expectKept(buildBsreV1UserStatusRequest({ nik: NIK }, bsreSettings({ v1UserStatusPath: '/esign/v1/status/{nik}/check' })), {
      BSRE_V1_USER_STATUS_PATH: '/esign/v1/status/{nik}/check',
    });
  });

  for (const otpField of values('BSRE_SIGN_OTP_FIELD') as ('totp' | 'otp')[]) {
    it(`v2 Sign PDF (002 §6.2) with BSRE_SIGN_OTP_FIELD=${otpField}: passphrase or TOTP, NIK or e-mail, invisible, box, tag, bulk with pdfPassword`, () => {
      const s = bsreSettings({ signOtpField: otpField });
      const sel = { BSRE_SIGN_OTP_FIELD: otpField };
      expectKept(
        buildBsreV2SignRequest(
          { signer: { email: 'user@instansi.go.id' }, credential: { passphrase: 'rahasia' }, files: [PDF], signatures: [{ visible: false }] },
          s,
        ),
        sel,
      );
      expectKept(
        buildBsreV2SignRequest(
          {
            signer: { nik: NIK },
            credential: { totp: '629109' },
            files: [PDF],
            signatures: [{ visible: true, image: jpeg, box, pages: a4(), location: 'Jakarta', reason: 'Setuju' }],
          },
          s,
        ),
        sel,
      );
      expectKept(
        buildBsreV2SignRequest(
          {
            signer: { nik: NIK },
            credential: { totp: '629109' },
            files: [PDF],
            signatures: [{ visible: true, image: png, tag: '$', width: 200, height: 100 }],
          },
          s,
        ),
        sel,
      );
      expectKept(
        buildBsreV2SignRequest(
          {
            signer: { email: 'user@instansi.go.id' },
            credential: { totp: '629109' },
            files: [PDF, PDF, PDF],
            signatures: [
              { visible: true, image: jpeg, box, pages: a4() },
              { visible: false, pdfPassword: 'kunci' },
              { visible: true, image: png, tag: '$', width: 120, height: 40, location: 'Jakarta' },
            ],
          },
          s,
        ),
        sel,
      );
    });
  }

  it('v2 Request Sign TOTP (002 §6.3): data a number; NIK, e-mail or both', () => {
    for (const who of [{ nik: NIK }, { email: 'user@instansi.go.id' }, { nik: NIK, email: 'user@instansi.go.id' }])
      expectKept(buildBsreV2SignTotpRequest({ ...who, fileCount: 2 }, bsreSettings()), {});
  });

  for (const dataType of values('BSRE_SEAL_TOTP_DATA_TYPE') as ('number' | 'string')[]) {
    it(`v2 seal (002 §6.4–§6.6) with BSRE_SEAL_TOTP_DATA_TYPE=${dataType}`, () => {
      const s = bsreSettings({ sealTotpDataType: dataType });
      expectKept(buildBsreSealActivationRequest({ idSubscriber: 'SUB-1' }, s), {});
      expectKept(buildBsreSealActivationRequest({ idSubscriber: 'SUB-1', totp: 'act-totp' }, s), {});
      expectKept(buildBsreSealRevokeRequest({ idSubscriber: 'SUB-1', totp: 'act-totp' }, s), {});
      expectKept(buildBsreSealTotpRequest({ idSubscriber: 'SUB-1', activationTotp: 'act-totp', fileCount: 2 }, s), { BSRE_SEAL_TOTP_DATA_TYPE: dataType });
      expectKept(buildBsreSealPdfRequest({ idSubscriber: 'SUB-1', totp: '629109', files: [PDF, PDF] }, s), {});
      expectKept(buildBsreSealPdfRequest({ idSubscriber: 'SUB-1', totp: '629109', files: [PDF], location: 'Jakarta', reason: 'Segel' }, s), {});
    });
  }

  it('v2 user status (002 §6.7), registration (002 §6.8), verify with and without a password (002 §6.9)', () => {
    expectKept(buildBsreV2UserStatusRequest({ nik: NIK }, bsreSettings()), {});
    expectKept(buildBsreV2UserStatusRequest({ email: 'user@instansi.go.id' }, bsreSettings()), {});
    expectKept(buildBsreV2RegistrationRequest({ name: 'Nama User', email: 'nama@email.go.id' }, bsreSettings()), {});
    expectKept(buildBsreV2VerifyRequest({ pdf: PDF }, bsreSettings()), {});
    expectKept(buildBsreV2VerifyRequest({ pdf: PDF, password: 'kunci' }, bsreSettings()), {});
  });

  for (const placement of values('BSRE_CLOUD_TOKEN_PLACEMENT') as ('header' | 'query')[]) {
    it(`cloud (000) with BSRE_CLOUD_TOKEN_PLACEMENT=${placement}: token, sign request (every appearance, every optional field), sign, download, verify`, () => {
      const s = cloudSettings(placement);
      const sel = { BSRE_CLOUD_TOKEN_PLACEMENT: placement };
      expectKept(buildBsreCloudTokenRequest(s), {});
      const optional = { tujuan: 'Kepala Dinas', perihal: 'Undangan', info: 'Rapat', jenisDokumen: 'Surat', nomor: '12/2024' };
      for (const appearance of [
        { visible: false as const },
        { visible: true as const, box, pages: a4(), image: true as const },
        { visible: true as const, box, pages: a4(), linkQR: 'https://instansi.go.id/dok/1' },
      ]) {
        expectKept(buildBsreCloudSignRequestRequest({ signer: NIK, pdf: PDF, appearance }, s, 'tok'), sel);
        expectKept(buildBsreCloudSignRequestRequest({ signer: NIK, pdf: PDF, appearance, ...optional }, s, 'tok'), sel);
      }
      expectKept(buildBsreCloudSignRequest({ idSigned: 'b7818f4aa0fb482d99a2f3c3214ba44c', passphrase: 'rahasia' }, s, 'tok'), sel);
      expectKept(buildBsreCloudSignRequest({ idSigned: 'b7818f4aa0fb482d99a2f3c3214ba44c', passphrase: 'rahasia', approvedInfo: 'Disetujui' }, s, 'tok'), sel);
      expectKept(buildBsreCloudDownloadRequest({ idSigned: 'b7818f4aa0fb482d99a2f3c3214ba44c' }, s, 'tok'), sel);
      expectKept(buildBsreCloudVerifyRequest({ pdf: PDF }, s, 'tok'), sel);
    });
  }
});

describe('contracts from the seeds: Peruri (003)', () => {
  const placement = { boxes: [{ page: 2, x: 454, y: 45, width: 75, height: 71 }], pages: a4(2), location: 'JAKARTA', reason: 'Biodata' };
  for (const environment of ['production', 'sandbox'] as const) {
    for (const [i, [orderIdType, signerShape, orderTypeAt]] of (
      [
        ['string', 'array', 'param'],
        ['number', 'object', 'payload'],
      ] as const
    ).entries()) {
      it(`every API (${environment} paths; switches set ${i === 0 ? 'to the defaults' : 'to the alternatives'})`, () => {
        const s = peruriSettings({ environment, bulkOtpOrderIdType: orderIdType, setSignatureSigner: signerShape, orderTypePlacement: orderTypeAt });
        const sel = {
          PERURI_ENVIRONMENT: environment,
          PERURI_BULK_OTP_ORDER_ID_TYPE: orderIdType,
          PERURI_SET_SIGNATURE_SIGNER: signerShape,
          PERURI_ORDER_TYPE_PLACEMENT: orderTypeAt,
        };
        const j = 'jwt';
        expectKept(buildPeruriGetJwtRequest(s), sel);
        const person = {
          name: 'Fitri Febriana',
          phone: '081234567890',
          email: 'fitrifebriana22@yopmail.com',
          ktp: NIK,
          ktpPhoto: jpeg,
          address: 'Jl. Harsono',
          city: 'Jakarta',
          province: 'DKI Jakarta',
          gender: 'F' as const,
          placeOfBirth: 'Bandung',
          dateOfBirth: '1990-02-03',
        };
        expectKept(buildPeruriRegistrationRequest(person, s, j), sel);
        expectKept(
          buildPeruriRegistrationRequest(
            { ...person, password: 'x', npwp: '123456789012345', npwpPhoto: png, orgUnit: 'Biro', workUnit: 'TI', position: 'Analis' },
            s,
            j,
          ),
          sel,
        );
        expectKept(buildPeruriActivationRequest({ email: person.email }, s, j), sel);
        expectKept(buildPeruriVideoVerificationRequest({ email: person.email, video: new Uint8Array([1, 2, 3]) }, s, j), sel);
        expectKept(buildPeruriSendSpecimenRequest({ email: person.email, specimen: png }, s, j), sel);
        expectKept(buildPeruriCheckCertificateRequest({ email: person.email }, s, j), sel);
        expectKept(buildPeruriSendDocumentRequest({ email: person.email, fileName: 'sample-dok.pdf', pdf: PDF }, s, j), sel);
        expectKept(buildPeruriSendDocumentRequest({ email: person.email, fileName: 'sample-dok.pdf', pdf: PDF, placement }, s, j), sel);
        expectKept(
          buildPeruriSendDocumentRequest(
            { email: person.email, fileName: 'sample-dok.pdf', pdf: PDF, placement: { visible: false }, orderType: 'SYSTEM' },
            s,
            j,
          ),
          sel,
        );
        expectKept(buildPeruriViewDocumentRequest({ orderId: '2965' }, s, j), sel);
        expectKept(buildPeruriGetOtpRequest({ orderId: '2965' }, s, j), sel);
        expectKept(buildPeruriSigningRequest({ orderId: '2965', otpCode: '651129', token: 'f8719714c24244afbcca03f496b95c55' }, s, j), sel);
        expectKept(buildPeruriSigningRequest({ orderId: '2965', otpCode: '651129', token: 'f8719714c24244afbcca03f496b95c55', placement }, s, j), sel);
        expectKept(buildPeruriCheckDocumentStatusRequest({ orderId: '2965' }, s, j), sel);
        expectKept(buildPeruriDownloadDocumentRequest({ orderId: '2965' }, s, j), sel);
        expectKept(
          buildPeruriSendDocumentTierRequest(
            { uploader: 'ekamui04@yopmail.com', fileName: '1.pdf', pdf: PDF, signers: ['ekamui04@yopmail.com', 'ekamui1@yopmail.com'] },
            s,
            j,
          ),
          sel,
        );
        expectKept(
          buildPeruriSigningTierRequest(
            {
              orderId: '2965',
              otpCode: '651129',
              token: 'f8719714c24244afbcca03f496b95c55',
              placement: { ...placement, certificateLevel: 'NO_CHANGES_ALLOWED' },
            },
            s,
            j,
          ),
          sel,
        );
        expectKept(
          buildPeruriSendDocumentBulkRequest(
            {
              email: 'ekamui04@yopmail.com',
              files: [
                { fileName: 'demo1.pdf', pdf: PDF },
                { fileName: 'demo2.pdf', pdf: PDF },
              ],
              placement,
            },
            s,
            j,
          ),
          sel,
        );
        expectKept(
          buildPeruriSetSignatureRequest({ orderId: '7492', placement: { ...placement, boxes: [{ page: 1, x: 454, y: 45, width: 75, height: 71 }] } }, s, j),
          sel,
        );
        expectKept(buildPeruriGetOtpBulkRequest({ orderIds: ['3845', '3846'] }, s, j), sel);
        expectKept(buildPeruriSigningBulkRequest({ orderIdBulk: '225', otpCode: '651129', token: 'f8719714c24244afbcca03f496b95c55' }, s, j), sel);
        expectKept(buildPeruriSetKeyRequest({ key: 'p3rur1', minutes: 30 }, s, j), sel);
        expectKept(buildPeruriSigningSystemRequest({ orderIds: ['3214', '3215', '3216'], key: 'p3rur1' }, s, j), sel);
      });
    }
  }

  it('Signing System: the session of the worked example (003 Signing System §3: 1fdd4df7…f3248d824)', () => {
    const r = buildPeruriSigningSystemRequest({ orderIds: ['3214', '3215', '3216'], key: 'p3rur1' }, peruriSettings(), 'jwt');
    assert.equal((r.body as { value: { param: { session: string } } }).value.param.session, '1fdd4df75c0d0c6548e4c34baeceff2e926a9b5520e6ea393c821b7f3248d824');
  });
});

describe('contracts from the seeds: Digisign (004)', () => {
  const person = {
    name: 'test registrasi',
    phone: '6281290700111',
    birthDate: '1978-03-10',
    nik: '3199091003880012',
    placeOfBirth: 'pekalongan',
    email: 'test@hotmail.com',
    gender: 'male' as const,
    ktpPhoto: jpeg,
    selfie: jpeg,
  };
  const send = {
    documentId: '20230515_ABMet',
    pdf: PDF,
    signers: [
      { name: 'test1', email: 'test@hotmail.com' },
      { name: 'test2', email: 'test2@hotmail.com', user: 'prf1' },
    ],
    placement: {
      boxes: [
        { page: 1, x: 12, y: 15, width: 100, height: 50 },
        { page: 2, x: 12, y: 15, width: 100, height: 50 },
      ],
      pages: a4(2),
    },
  };
  for (const [gender, meterai, url] of [
    ['capitalized', 'meterai_positions', '<DIGISIGN_URL>/UPDATE-EP.html'],
    ['lower', 'meterai-positions', 'https://api.tandatangan.com/UPDATE-EP.html'],
  ] as const) {
    it(`every API (DIGISIGN_GENDER_CASE=${gender}, DIGISIGN_METERAI_FIELD=${meterai}, DIGISIGN_CHANGE_CONTACT_URL=${url})`, () => {
      const s = digisignSettings({ genderCase: gender, meteraiField: meterai, ...(url.startsWith('https') ? { changeContactUrl: url } : {}) });
      const sel = { DIGISIGN_GENDER_CASE: gender, DIGISIGN_METERAI_FIELD: meterai, DIGISIGN_CHANGE_CONTACT_URL: url };
      expectKept(buildDigisignRegisterRequest(person, s), sel);
      expectKept(
        buildDigisignRegisterRequest({ ...person, gender: 'female', province: 'Jawa Tengah', city: 'pekalongan', redirect: true, specimen: png }, s),
        sel,
      );
      expectKept(buildDigisignActivationRequest({ email: 'test@hotmail.com' }, s), sel);
      expectKept(buildDigisignSendDocumentRequest(send, s), sel);
      expectKept(
        buildDigisignSendDocumentRequest(
          {
            ...send,
            viewers: [{ name: 'eka', email: 'eka@hotmail.com' }],
            sequential: true,
            payment: '2',
            branch: 'Cabang Pekalongan',
            meterai: { boxes: [{ page: 1, x: 300, y: 110, width: 90, height: 90 }], documentType: '4a' },
          },
          s,
        ),
        sel,
      );
      expectKept(buildDigisignSignPageRequest({ documentId: 'testdoc123', email: 'test@hotmail.com' }, s), sel);
      expectKept(buildDigisignSignPageRequest({ documentId: 'testdoc123', email: 'test@hotmail.com', viewOnly: true }, s), sel);
      expectKept(buildDigisignDownloadPdfRequest({ documentId: '20180920_AB' }, s), sel);
      expectKept(buildDigisignDownloadBase64Request({ documentId: '20180920_AB' }, s), sel);
      expectKept(
        buildDigisignChangeContactRequest(
          { oldEmail: 'digisign1@tandatangan.com', newEmail: 'digisign1@tandatangan.com', oldPhone: '62895430551133', newPhone: '62895430551135' },
          s,
        ),
        sel,
      );
    });
  }
});

describe('the contracts discriminate, and cover every operation', () => {
  it('a request built under one reading breaks the contract of the other (each switch)', () => {
    const under = (variable: string, value: string, request: ProviderRequest, base: Selection = {}) =>
      check(CONTRACTS.get(request.operation)!, request, { ...base, [variable]: value });
    const cases: [string, ProviderRequest, string, string, Selection?][] = [
      [
        'BSRE_SIGN_OTP_FIELD',
        buildBsreV2SignRequest(
          { signer: { nik: NIK }, credential: { totp: '629109' }, files: [PDF], signatures: [{ visible: false }] },
          bsreSettings({ signOtpField: 'otp' }),
        ),
        'totp',
        'otp is not in the contract',
      ],
      [
        'BSRE_SEAL_TOTP_DATA_TYPE',
        buildBsreSealTotpRequest({ idSubscriber: 'S', activationTotp: 'A', fileCount: 2 }, bsreSettings({ sealTotpDataType: 'string' })),
        'number',
        'data is "2", expected integer',
      ],
      [
        'BSRE_V1_USER_STATUS_PATH',
        buildBsreV1UserStatusRequest({ nik: NIK }, bsreSettings({ v1UserStatusPath: '/esign/v1/status/{nik}/check' })),
        '/api/user/status/{nik}',
        'path /esign/v1/status/',
      ],
      ['BSRE_CLOUD_TOKEN_PLACEMENT', buildBsreCloudVerifyRequest({ pdf: PDF }, cloudSettings('query'), 'tok'), 'header', 'header Authorization is missing'],
      [
        'PERURI_BULK_OTP_ORDER_ID_TYPE',
        buildPeruriGetOtpBulkRequest({ orderIds: ['3845'] }, peruriSettings({ bulkOtpOrderIdType: 'number' }), 'j'),
        'string',
        'data[0].orderId is 3845, expected string',
        { PERURI_ENVIRONMENT: 'production' },
      ],
      [
        'PERURI_SET_SIGNATURE_SIGNER',
        buildPeruriSetSignatureRequest({ orderId: '1', placement: { visible: false } }, peruriSettings({ setSignatureSigner: 'object' }), 'j'),
        'array',
        'signer is',
        { PERURI_ENVIRONMENT: 'production' },
      ],
      [
        'PERURI_ORDER_TYPE_PLACEMENT',
        buildPeruriSendDocumentRequest(
          { email: 'a@b.id', fileName: 'x.pdf', pdf: PDF, orderType: 'SYSTEM' },
          peruriSettings({ orderTypePlacement: 'payload' }),
          'j',
        ),
        'param',
        'payload.orderType is not in the contract',
        { PERURI_ENVIRONMENT: 'production' },
      ],
      [
        'DIGISIGN_METERAI_FIELD',
        buildDigisignSendDocumentRequest(
          {
            documentId: 'D',
            pdf: PDF,
            signers: [{ name: 'a', email: 'a@b.id' }],
            placement: { boxes: [box], pages: a4() },
            meterai: { boxes: [{ page: 1, x: 300, y: 110, width: 90, height: 90 }], documentType: '2' },
          },
          digisignSettings({ meteraiField: 'meterai-positions' }),
        ),
        'meterai_positions',
        'meterai-positions is not in the contract',
      ],
      [
        'DIGISIGN_GENDER_CASE',
        buildDigisignRegisterRequest(
          {
            ...{
              name: 'A',
              phone: '081234567890',
              birthDate: '1990-01-01',
              nik: NIK,
              placeOfBirth: 'X',
              email: 'a@b.id',
              gender: 'male',
              ktpPhoto: jpeg,
              selfie: jpeg,
            },
          },
          digisignSettings({ genderCase: 'lower' }),
        ),
        'capitalized',
        'jenis_kelamin is "laki-laki"',
      ],
      [
        'DIGISIGN_CHANGE_CONTACT_URL',
        buildDigisignChangeContactRequest({ oldEmail: 'a@b.id', newEmail: 'a@b.id', oldPhone: '081234567890', newPhone: '081234567891' }, digisignSettings()),
        'https://api.tandatangan.com/UPDATE-EP.html',
        'origin https://api.tandatanganku.com',
      ],
    ];
    assert.deepEqual(cases.map((c) => c[0]).sort(), DIALECT_SWITCHES.map((s) => s.variable).sort());
    for (const [variable, request, other, expected, base] of cases) {
      const problems = under(variable, other, request, base);
      assert.ok(
        problems.some((p) => p.includes(expected)),
        `${variable}=${other} catches the other reading: ${problems.join(' | ')}`,
      );
    }
  });

  it("the examples' mistakes fail their contract: v2 `otp` under the default; Peruri decimals; Digisign redirect false", () => {
    const v2 = buildBsreV2SignRequest(
      { signer: { nik: NIK }, credential: { totp: '629109' }, files: [PDF], signatures: [{ visible: false }] },
      bsreSettings({ signOtpField: 'otp' }),
    );
    assert.ok(
      check(CONTRACTS.get('bsre.v2.signPdf')!, v2, { BSRE_SIGN_OTP_FIELD: DEFAULT_DIALECTS.bsre.signOtpField }).some((p) =>
        p.startsWith('exactly one of passphrase, totp'),
      ),
    );
    const peruri = buildPeruriSendDocumentRequest(
      { email: 'a@b.id', fileName: 'x.pdf', pdf: PDF, placement: { boxes: [box], pages: a4() } },
      peruriSettings(),
      'j',
    );
    const value = (peruri.body as { value: { param: { payload: { signer: Record<string, string>[] } } } }).value;
    value.param.payload.signer[0]!.lowerLeftX = '454.5';
    assert.ok(
      check(CONTRACTS.get('peruri.sendDocument')!, peruri, { PERURI_ENVIRONMENT: 'production', PERURI_ORDER_TYPE_PLACEMENT: 'param' }).some((p) =>
        p.includes('lowerLeftX'),
      ),
    );
    const d = buildDigisignSignPageRequest({ documentId: 'x', email: 'a@b.id' }, digisignSettings());
    if (d.body.kind === 'multipart')
      d.body.fields.jsonfield = JSON.stringify({ JSONFile: { userid: 'admin@gmail.com', document_id: 'x', email_user: 'a@b.id', viewOnly: true } });
    assert.ok(check(CONTRACTS.get('digisign.signPage')!, d).some((p) => p.startsWith('viewOnly is not in the contract')));
  });

  it('the checker sees string-vs-number, missing fields, missing files, wrong wrappers and foreign headers', () => {
    const sel = { BSRE_SIGN_OTP_FIELD: 'totp' };
    const v2 = () =>
      buildBsreV2SignRequest(
        { signer: { nik: NIK }, credential: { passphrase: 'p' }, files: [PDF], signatures: [{ visible: true, image: jpeg, box, pages: a4() }] },
        bsreSettings(),
      );
    const contract = CONTRACTS.get('bsre.v2.signPdf')!;
    const asText = v2();
    (asText.body as { value: { signatureProperties: Record<string, unknown>[] } }).value.signatureProperties[0]!.page = '1';
    assert.ok(check(contract, asText, sel).some((p) => p.startsWith('signatureProperties[0].page is "1", expected integer')));
    const noFile = v2();
    delete (noFile.body as { value: Record<string, unknown> }).value.file;
    assert.ok(check(contract, noFile, sel).some((p) => p.startsWith('file is required')));
    const v1 = buildBsreV1SignRequest({ mode: 'image', image: jpeg, box, pages: a4(), pdf: PDF, nik: NIK, passphrase: 'p' }, bsreSettings());
    if (v1.body.kind === 'multipart') v1.body.files = v1.body.files.filter((f) => f.field !== 'imageTTD');
    assert.ok(check(CONTRACTS.get('bsre.v1.signPdf')!, v1).some((p) => p.startsWith('file part imageTTD is required')));
    const peruri = buildPeruriCheckDocumentStatusRequest({ orderId: '1' }, peruriSettings(), 'j');
    peruri.body = { kind: 'json', value: { requestSigning: { orderId: '1' } } };
    assert.ok(
      check(CONTRACTS.get('peruri.checkDocumentStatus')!, peruri, { PERURI_ENVIRONMENT: 'production' }).some((p) =>
        p.startsWith('the body must be wrapped in one "param" key'),
      ),
    );
    const jwt = buildPeruriGetJwtRequest(peruriSettings());
    jwt.headers.Authorization = 'Bearer x';
    assert.ok(
      check(CONTRACTS.get('peruri.getJsonWebToken')!, jwt, { PERURI_ENVIRONMENT: 'production' }).some((p) =>
        p.startsWith('header Authorization must not be sent'),
      ),
    );
  });

  it('every adapter operation has a contract, and every contract was checked under every reading it records', () => {
    const ids = [...CONTRACTS.keys()];
    for (const op of PERURI_OPERATIONS) assert.ok(ids.includes(`peruri.${op}`), `contract for peruri.${op}`);
    for (const op of DIGISIGN_OPERATIONS) assert.ok(ids.includes(`digisign.${op}`), `contract for digisign.${op}`);
    for (const c of CONTRACTS.values()) {
      const seen = exercised.get(c.id);
      assert.ok(seen?.has('*'), `${c.id} was checked`);
      for (const [variable, byValue] of Object.entries(c.readings ?? {}))
        for (const value of Object.keys(byValue)) assert.ok(seen?.has(`${variable}=${value}`), `${c.id} under ${variable}=${value}`);
    }
    for (const c of CONTRACTS.values()) {
      for (const f of [...c.fields, ...(c.files ?? []), ...Object.values(c.readings ?? {}).flatMap((r) => Object.values(r).flatMap((x) => x.fields ?? []))]) {
        assert.match(f.source, /^00[0-4] /, `${c.id} ${f.path}: cites its seed`);
      }
    }
  });
});
