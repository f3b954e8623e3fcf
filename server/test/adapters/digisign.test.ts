import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { http, HttpResponse } from 'msw';
import { CoordinateError } from '@esign-kit/core';
import {
  DigisignClient,
  buildDigisignRegisterRequest,
  buildDigisignSendDocumentRequest,
  decryptDigisignRedirect,
  encryptDigisignRedirect,
  normalizeDigisignLink,
  parseDigisignRegisterResponse,
  parseLenientJson,
  parseDigisignDownloadPdfResponse,
  digisignWebViewError,
  type DigisignRegisterInput,
  type DigisignSettings,
} from '../../src/providers/digisign/index.js';
import { InputError, ProviderError } from '../../src/providers/shared/errors.js';
import { PDF, a4, mockProvider, see, type Seen } from './helpers.js';

const server = mockProvider();
const host = 'https://api.tandatanganku.com';
const settings: DigisignSettings = { token: '1ecbe0a70545432baf7133a89ab4c026', userid: 'admin@ptmitra.com', aesKey: 'RBazsYSDTuShYbUG' };
const fast = { retryDelayMs: 0 };
const jpeg = (size = 64) => {
  const b = new Uint8Array(size);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  return b;
};
const png = () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const text = (s: string) => new TextEncoder().encode(s);
const jsonHeaders = new Headers({ 'content-type': 'application/json' });

function endpoint(path: string, reply: string | (() => Response), contentType = 'text/html; charset=UTF-8') {
  const seen: Seen[] = [];
  server.use(
    http.post(`${host}${path}`, async ({ request }) => {
      seen.push(await see(request));
      return typeof reply === 'function' ? reply() : new HttpResponse(reply, { headers: { 'content-type': contentType } });
    }),
  );
  return seen;
}

function jsonfield(s: Seen | undefined): unknown {
  const v = s?.form?.get('jsonfield');
  assert.equal(typeof v, 'string', 'jsonfield is a string field');
  return JSON.parse(v as string);
}

function assertCommon(s: Seen | undefined, path: string) {
  assert.ok(s);
  assert.equal(s.method, 'POST');
  assert.equal(s.url.pathname, path);
  assert.equal(s.url.search, '');
  assert.equal(s.headers.get('authorization'), 'Bearer 1ecbe0a70545432baf7133a89ab4c026');
  assert.match(s.headers.get('content-type') ?? '', /^multipart\/form-data; boundary=/);
}

const expectError = (code: string, httpStatus: number, providerCode?: string) => (e: unknown) => {
  assert.ok(e instanceof ProviderError, String(e));
  assert.equal(e.code, code);
  assert.equal(e.httpStatus, httpStatus);
  assert.equal(e.provider, 'digisign');
  if (providerCode !== undefined) assert.equal(e.providerCode, providerCode);
  return true;
};

const registration: DigisignRegisterInput = {
  name: 'test registrasi',
  phone: '6281290700111',
  birthDate: '1978-03-10',
  nik: '3199091003880012',
  placeOfBirth: 'pekalongan',
  email: 'test@hotmail.com',
  gender: 'male',
  city: 'pekalongan',
  redirect: true,
  ktpPhoto: jpeg(),
  selfie: jpeg(),
  specimen: png(),
};

describe('Digisign register (§2)', () => {
  it('sends the §2.4 example (with the table\'s "Laki-laki"): jsonfield {"JSONFile":…} and files fotoktp, fotodiri, ttd, 95 s timeout', async () => {
    const seen = endpoint(
      '/REG-MITRA.html',
      '{"JSONFile":{"kode_user":"230500000000273","expired_aktifasi":"17-12-2022 09:00:21 WIB","result":"00","notif":"Berhasil, silahkan check email untuk aktivasi akun anda.","info":"https://app.tandatanganku.com/preregistration.html?preregister=%2BDFJr3zH4oon2qCuOfHU4Q3D%3D"}}',
    );
    const out = await new DigisignClient(settings, fast).register(registration);
    assertCommon(seen[0], '/REG-MITRA.html');
    assert.deepEqual(jsonfield(seen[0]), {
      JSONFile: {
        userid: 'admin@ptmitra.com',
        jenis_kelamin: 'Laki-laki',
        kota: 'pekalongan',
        nama: 'test registrasi',
        tlp: '6281290700111',
        tgl_lahir: '10-03-1978',
        idktp: '3199091003880012',
        tmp_lahir: 'pekalongan',
        email: 'test@hotmail.com',
        redirect: true,
      },
    });
    const form = seen[0]!.form!;
    assert.deepEqual([...form.keys()], ['jsonfield', 'fotoktp', 'fotodiri', 'ttd']);
    assert.equal((form.get('fotodiri') as File).type, 'image/jpeg');
    assert.equal((form.get('ttd') as File).type, 'image/png');
    assert.deepEqual(out, {
      status: 'activation-required',
      userCode: '230500000000273',
      activationUrl: 'https://app.tandatanganku.com/preregistration.html?preregister=%2BDFJr3zH4oon2qCuOfHU4Q3D%3D',
      activationExpires: '17-12-2022 09:00:21 WIB',
      verification: undefined,
      notif: 'Berhasil, silahkan check email untuk aktivasi akun anda.',
    });
    assert.equal(buildDigisignRegisterRequest(registration, settings).timeoutMs, 95_000);
    assert.equal(buildDigisignRegisterRequest(registration, { ...settings, timeouts: { register: 120_000 } }).timeoutMs, 120_000);
  });

  it("capitalised gender by default (seed 004 API Register table), the example's lower case when configured; province; specimen optional", () => {
    const r = buildDigisignRegisterRequest({ ...registration, gender: 'female', province: 'Jawa Tengah', specimen: undefined as never }, settings);
    assert.equal(r.body.kind, 'multipart');
    if (r.body.kind !== 'multipart') return;
    const j = JSON.parse(r.body.fields.jsonfield!) as { JSONFile: Record<string, unknown> };
    assert.equal(j.JSONFile.jenis_kelamin, 'Perempuan');
    const lower = buildDigisignRegisterRequest({ ...registration, gender: 'female', specimen: undefined as never }, { ...settings, genderCase: 'lower' });
    if (lower.body.kind !== 'multipart') return;
    assert.equal((JSON.parse(lower.body.fields.jsonfield!) as { JSONFile: Record<string, unknown> }).JSONFile.jenis_kelamin, 'perempuan');
    assert.equal(j.JSONFile.provinsi, 'Jawa Tengah');
    assert.deepEqual(
      r.body.files.map((f) => f.field),
      ['fotoktp', 'fotodiri'],
    );
  });

  it('refuses a bad selfie, specimen, NIK, e-mail, phone, name or date with the field named', () => {
    const bad = (over: Partial<DigisignRegisterInput>, field: string) =>
      assert.throws(
        () => buildDigisignRegisterRequest({ ...registration, ...over }, settings),
        (e: unknown) => e instanceof InputError && e.field === field,
      );
    bad({ selfie: jpeg(500 * 1024 + 1) }, 'selfie');
    bad({ selfie: png() }, 'selfie');
    bad({ specimen: jpeg() }, 'specimen');
    bad({ ktpPhoto: new Uint8Array([1, 2, 3]) }, 'ktpPhoto');
    bad({ nik: '319909100388001' }, 'nik');
    bad({ email: 'test@' }, 'email');
    bad({ phone: '7281290700111' }, 'phone');
    bad({ name: 'Budi#1' }, 'name');
    bad({ birthDate: '10-03-1978' }, 'birthDate');
    // exactly 500 KB is allowed
    buildDigisignRegisterRequest({ ...registration, selfie: jpeg(500 * 1024) }, settings);
  });

  const ok = (notif: string, extra = '') => `{"JSONFile":{"result":"00","notif":"${notif}","kode_user":"211000000000384"${extra}}}`;
  const successes: [string, string][] = [
    [ok('Berhasil, silahkan check email untuk aktivasi akun anda.', ',"data":{"nik":true,"name":true,"birthdate":true}'), 'activation-required'],
    [
      ok('Email sudah terdaftar, namun belum melakukan aktivasi. Silahkan untuk melakukan aktivasi sebelum data dihapus dari daftar aktivasi.'),
      'not-yet-activated',
    ],
    [ok('Anda sudah terdaftar sebelumnya, silahkan gunakan layanan Digisign'), 'already-registered'],
    [ok('Registrasi berhasil. Anda sudah terdaftar sebelumnya, silahkan gunakan layanan Digisign'), 're-registered'],
  ];
  for (const [body, status] of successes) {
    it(`result 00 → ${status}`, () => {
      assert.equal(parseDigisignRegisterResponse(200, new Headers({ 'content-type': 'text/html' }), text(body)).status, status);
    });
  }

  // §10.1 + §10.2, every row: [body, code, httpStatus]
  const failures: [string, string, number][] = [
    ['{"JSONFile":{"result":"55","notif":"token salah","refTrx":"REGD20211028105609000650"}}', 'provider-auth-failed', 502],
    ['{"JSONFile":{"result":"55","notif":"userid tidak ditemukan","refTrx":"REGD20211028105744000574"}}', 'provider-auth-failed', 502],
    ['{"JSONFile":{"result":"55","notif":"Token dan Mitra tidak sesuai","refTrx":"REGD20211028105812000201"}}', 'provider-auth-failed', 502],
    ['{"JSONFile":{"result":"05","notif":"Request Data tidak ditemukan","refTrx":"REGD20211028110034000035"}}', 'provider-rejected', 502],
    ['{"JSONFile":{"result":"05","notif":"Parameter userid tidak ditemukan","refTrx":"REGD20211028110753000110"}}', 'provider-rejected', 502],
    ['{"JSONFile":{"result":"FE","notif":"Format email salah"}}', 'invalid-email', 422],
    ['{"JSONFile":{"result":"FE","notif":"Format NIK Salah"}}', 'invalid-nik', 422],
    ['{"JSONFile":{"result":"28","notif":"Data upload tidak lengkap","info":"harap upload photo ektp dan wajah selfie anda."}}', 'invalid-input', 422],
    ['{"JSONFile":{"result":"28","notif":"format hp harus 62, 08 atau +62"}}', 'invalid-input', 422],
    ['{"JSONFile":{"result":"28","notif":"teks tlp kurang dari 8 karakter"}}', 'invalid-input', 422],
    ['{"JSONFile":{"result":"28","notif":"teks nama maksimum 128 karakter"}}', 'invalid-input', 422],
    ['{"JSONFile":{"result":"28","notif":"teks kode pos maksimum 10 karakter"}}', 'invalid-input', 422],
    ['{"JSONFile":{"result":"28","notif":"teks email maksimum 80 karakter"}}', 'invalid-input', 422],
    ['{"JSONFile":{"result":"28","notif":"teks jenis kelamin maksimum 10 karakter"}}', 'invalid-input', 422],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal. NIK\\Nama\\tanggal lahir tidak sesuai","data":{"nik":false,"name":false,"birthdate":false}}}',
      'verification-failed',
      422,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal. NIK\\Nama\\tanggal lahir tidak sesuai","data":{"nik":true,"name":false,"birthdate":false},"info":"verifikasi text gagal."}}',
      'verification-failed',
      422,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal. NIK\\Nama\\tanggal lahir tidak sesuai","data":{"nik":true,"name":true,"birthdate":false},"info":"verifikasi text gagal."}}',
      'verification-failed',
      422,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal. NIK\\Nama\\tanggal lahir tidak sesuai","data":{"nik":true,"name":false,"birthdate":true},"info":"verifikasi text gagal."}}',
      'verification-failed',
      422,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal.","data":{"nik":true,"name":true,"birthdate":true},"info":"No face found on Selfie"}}',
      'verification-failed',
      422,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal.","data":{"nik":true,"name":true,"birthdate":true},"info":"No face found on KTP"}}',
      'verification-failed',
      422,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal.","data":{"nik":true,"name":true,"birthdate":true},"info":"Verifikasi gagal. Pastikan cahaya cukup dan foto ktp sesuai dengan foto wajah."}}',
      'verification-failed',
      422,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal.","data":{"nik":true,"name":true,"birthdate":true},"info":"Verifikasi wajah gagal"}}',
      'verification-failed',
      422,
    ],
    [
      '{"JSONFile":{"result":"20","notif":"User tersebut sudah mencoba didaftarkan lebih dari 3x dengan data tidak valid. Silahkan lakukan pengecekan data-data terlebih dahulu.","refTrx":"REGD20211028112731000509"}}',
      'registration-attempts-exceeded',
      429,
    ],
    ['{"JSONFile":{"result":"15","notif":"No Handphone sudah digunakan. Gunakan No Handphone lain."}}', 'phone-taken', 409],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal.","data":"Saldo verifikasi text habis","info":"Registrasi gagal"}}',
      'verification-balance-exhausted',
      502,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal.","data":"Saldo verifikasi selfie habis","info":"Registrasi gagal"}}',
      'verification-balance-exhausted',
      502,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal.","data":{"nik":true,"name":true,"birthdate":true},"info":"Verifikasi wajah gagal. Size foto selfie maksimal 500KB"}}',
      'selfie-rejected',
      422,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal.","data":{"nik":true,"name":true,"birthdate":true},"info":"Verifikasi wajah gagal. Format foto selfie harus JPEG"}}',
      'selfie-rejected',
      422,
    ],
    [
      '{"JSONFile":{"result":"14","notif":"Email sudah terdaftar dengan NIK lain, silahkan gunakan email lain.","data":{"name":true,"birthdate":true,"selfie":true}}}',
      'email-taken',
      409,
    ],
    [
      '{"JSONFile":{"result":"14","notif":"Email sudah terdaftar dengan NIK lain, silahkan gunakan email lain.","data":{"name":true,"birthdate":false,"selfie":false}}}',
      'email-taken',
      409,
    ],
    [
      '{"JSONFile":{"result":"14","notif":"NIK sudah terdaftar dengan email lain, silahkan login dengan email yang sesuai NIK atau gunakan NIK lain.","email_registered":"testdemo3@tandatanganku.com","data":{"name":true,"birthdate":true,"selfie":true}}}',
      'nik-taken',
      409,
    ],
    [
      '{"JSONFile":{"result":"12","notif":"verifikasi user gagal. Nama/Foto Selfie/Tanggal lahir tidak sesuai","kode_user":"210300001042350","data":{"name":false,"birthdate":true,"selfie":false}}}',
      'verification-failed',
      422,
    ],
    ['{"result":"91","notif":"system timeout, silahkan coba kembali 10 menit kemudian"}}', 'provider-busy', 504],
    ['{"JSONFile":{"result":"77","notif":"kode baru"}}', 'provider-rejected', 502],
  ];
  for (const [body, code, status] of failures) {
    it(`${body.slice(0, 90)} → ${code}`, () => {
      assert.throws(
        () => parseDigisignRegisterResponse(200, new Headers({ 'content-type': 'text/html' }), text(body)),
        (e: unknown) => {
          expectError(code, status)(e);
          const err = e as ProviderError;
          assert.equal(err.retryable, false);
          assert.ok(err.providerMessage && err.providerMessage.length > 0, 'keeps notif');
          return true;
        },
      );
    });
  }

  it('keeps the verification details, the bound e-mail and the Indonesian text beside our English', () => {
    try {
      parseDigisignRegisterResponse(
        200,
        jsonHeaders,
        text(
          '{"JSONFile":{"result":"14","notif":"NIK sudah terdaftar dengan email lain, silahkan login dengan email yang sesuai NIK atau gunakan NIK lain.","email_registered":"testdemo3@tandatanganku.com","data":{"name":false,"birthdate":true,"selfie":true},"info":"verifikasi text gagal."}}',
        ),
      );
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof ProviderError);
      assert.equal(e.details?.emailRegistered, 'testdemo3@tandatanganku.com');
      assert.deepEqual(e.details?.verification, { name: false, birthdate: true, selfie: true });
      assert.equal(
        e.providerMessage,
        'NIK sudah terdaftar dengan email lain, silahkan login dengan email yang sesuai NIK atau gunakan NIK lain. — verifikasi text gagal.',
      );
      assert.match(e.message, /already registered with another e-mail/);
    }
  });

  it('91 means later: retryAfter 10 minutes, not retryable now, sent only once', async () => {
    const seen = endpoint('/REG-MITRA.html', '{"result":"91","notif":"system timeout, silahkan coba kembali 10 menit kemudian"}}');
    await assert.rejects(new DigisignClient(settings, fast).register(registration), (e: unknown) => {
      expectError('provider-busy', 504, '91')(e);
      assert.equal((e as ProviderError).retryAfterMs, 600_000);
      assert.equal((e as ProviderError).retryable, false);
      return true;
    });
    assert.equal(seen.length, 1);
  });

  it('checks HTTP status and content type before the body', () => {
    assert.throws(() => parseDigisignRegisterResponse(500, jsonHeaders, text('{}')), { code: 'provider-http-error' });
    assert.throws(() => parseDigisignRegisterResponse(200, new Headers({ 'content-type': 'image/png' }), text('{"result":"00"}')), {
      code: 'provider-bad-response',
    });
    assert.throws(() => parseDigisignRegisterResponse(200, jsonHeaders, text('<html>')), { code: 'provider-bad-response' });
    assert.throws(() => parseDigisignRegisterResponse(200, jsonHeaders, text('{"JSONFile":{"notif":"x"}}')), { code: 'provider-bad-response' });
  });

  it('parses the printed invalid JSON leniently (raw backslashes, extra brace)', () => {
    assert.deepEqual(parseLenientJson('{"a":"NIK\\Nama\\tanggal lahir"}'), { a: 'NIK\\Nama\\tanggal lahir' });
    assert.deepEqual(parseLenientJson('{"a":"tab\\there"}'), { a: 'tab\there' }, 'valid JSON is left alone');
    assert.deepEqual(parseLenientJson('{"result":"91"}}'), { result: '91' });
  });
});

describe('Digisign activation link (§3, §10.3)', () => {
  it('sends userid + email_user and normalises the printed link', async () => {
    const seen = endpoint(
      '/gen/genACTPage.html',
      '{"JSONFile":{"result":"00","link":"https://\\\\wv.tandatanganku.com\\\\activationpage.html?act=4rhq%2BNvIYsg38tsmz4m%2Bo41CZcc%3D%3D"}}',
    );
    const out = await new DigisignClient(settings, fast).activationLink({ email: 'test@hotmail.com' });
    assertCommon(seen[0], '/gen/genACTPage.html');
    assert.deepEqual(jsonfield(seen[0]), { JSONFile: { userid: 'admin@ptmitra.com', email_user: 'test@hotmail.com' } });
    assert.deepEqual([...seen[0]!.form!.keys()], ['jsonfield']);
    assert.deepEqual(out, { link: 'https://wv.tandatanganku.com/activationpage.html?act=4rhq%2BNvIYsg38tsmz4m%2Bo41CZcc%3D%3D' });
  });
  it('06 → user-not-found 404, 14 → already-activated 409', async () => {
    endpoint('/gen/genACTPage.html', '{"JSONFile":{"result":"06","notif":"General Error"}}');
    await assert.rejects(new DigisignClient(settings, fast).activationLink({ email: 'a@b.co' }), expectError('user-not-found', 404, '06'));
    endpoint('/gen/genACTPage.html', '{"JSONFile":{"result":"14","notif":"Email sudah melakukan aktivasi"}}');
    await assert.rejects(new DigisignClient(settings, fast).activationLink({ email: 'a@b.co' }), expectError('already-activated', 409, '14'));
  });
});

describe('Digisign send document (§5, §10.4)', () => {
  const input = {
    documentId: '20230515_ABMet',
    pdf: PDF,
    fileName: 'perjanjian.pdf',
    signers: [
      { name: 'test1', email: 'test@hotmail.com' },
      { name: 'test2', email: 'test2@hotmail.com', user: 'prf1' },
    ],
    placement: {
      boxes: [
        { page: 3, x: 12, y: 15, width: 100.25, height: 50 },
        { page: 4, x: 12, y: 15, width: 100, height: 50 },
      ],
      pages: a4(4),
    },
    viewers: [
      { name: 'eka', email: 'eka@hotmail.com' },
      { name: 'eko', email: 'eko@hotmail.com' },
    ],
    meterai: { boxes: [{ page: 1, x: 110, y: 110, width: 90, height: 90 }], documentType: '2' as const },
  };

  it('sends req-sign, send-to, meterai_positions (the table\'s key) and document_type as in §5.4/§5.5, with the PDF in "file"', async () => {
    const seen = endpoint('/SendDocMitraAT.html', '{"JSONFile":{"notif":"Kirim dokumen berhasil.","result":"00"}}');
    const out = await new DigisignClient(settings, fast).sendDocument(input);
    assertCommon(seen[0], '/SendDocMitraAT.html');
    assert.deepEqual(jsonfield(seen[0]), {
      JSONFile: {
        userid: 'admin@ptmitra.com',
        document_id: '20230515_ABMet',
        payment: '3',
        redirect: true,
        sequence_option: false,
        'send-to': [
          { name: 'eka', email: 'eka@hotmail.com' },
          { name: 'eko', email: 'eko@hotmail.com' },
        ],
        'req-sign': [
          { name: 'test1', email: 'test@hotmail.com', user: 'ttd1', page: '3', llx: '12', lly: '15', urx: '112.25', ury: '65', visible: '1' },
          { name: 'test2', email: 'test2@hotmail.com', user: 'prf1', page: '4', llx: '12', lly: '15', urx: '112', ury: '65', visible: '1' },
        ],
        meterai_positions: [{ llx: '110', lly: '110', urx: '200', ury: '200', page: '1' }],
        document_type: '2',
      },
    });
    const file = seen[0]!.form!.get('file') as File;
    assert.equal(file.name, 'perjanjian.pdf');
    assert.equal(file.type, 'application/pdf');
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), PDF);
    assert.deepEqual(out, { notif: 'Kirim dokumen berhasil.', refTrx: undefined });
  });

  it("sequence, the examples' hyphenated meterai key, payment 2 and hidden signatures are settings/inputs", () => {
    const r = buildDigisignSendDocumentRequest(
      { ...input, sequential: true, payment: '2', signers: [{ ...input.signers[0]!, visible: false }, input.signers[1]!] },
      { ...settings, meteraiField: 'meterai-positions' },
    );
    if (r.body.kind !== 'multipart') return assert.fail('multipart');
    const j = (JSON.parse(r.body.fields.jsonfield!) as { JSONFile: Record<string, unknown> }).JSONFile;
    assert.equal(j.sequence_option, true);
    assert.equal(j.payment, '2');
    assert.ok('meterai-positions' in j && !('meterai_positions' in j));
    const rs = j['req-sign'] as Record<string, unknown>[];
    assert.deepEqual(
      rs.map((x) => [x.visible, x.signing_seq]),
      [
        ['0', 1],
        ['1', 2],
      ],
    );
    assert.equal(r.timeoutMs, 95_000);
    assert.equal(r.idempotent, false);
  });

  it('overlapping signature and meterai boxes are refused before sending (Digisign result 03)', () => {
    assert.throws(
      () => buildDigisignSendDocumentRequest({ ...input, meterai: { boxes: [{ page: 3, x: 50, y: 20, width: 90, height: 90 }], documentType: '2' } }, settings),
      (e: unknown) => e instanceof CoordinateError && e.code === 'overlap',
    );
  });

  it('validates documentId, signers and pdf', () => {
    const bad = (over: object, field: string) =>
      assert.throws(
        () => buildDigisignSendDocumentRequest({ ...input, ...over }, settings),
        (e: unknown) => e instanceof InputError && e.field === field,
      );
    bad({ documentId: 'x'.repeat(21) }, 'documentId');
    bad({ signers: [] }, 'signers');
    bad({ pdf: new Uint8Array([1]) }, 'pdf');
    bad({ signers: [{ name: 'a', email: 'bad' }, input.signers[1]] }, 'signers[0].email');
    bad({ meterai: { boxes: [], documentType: '2' } }, 'meterai.boxes');
    bad({ meterai: { boxes: input.meterai.boxes, documentType: '5' } }, 'meterai.documentType');
  });

  const rows: [string, string, number][] = [
    ['{"JSONFile":{"result":"FE","notif":"Format dokumen harus pdf"}}', 'document-not-pdf', 422],
    ['{"JSONFile":{"result":"28","notif":"Request API tidak lengkap."}}', 'invalid-input', 422],
    ['{"JSONFile":{"result":"17","notif":"Document_id sudah digunakan"}}', 'document-id-taken', 409],
    ['{"JSONFile":{"result":"05","notif":"Data request tidak ditemukan"}}', 'provider-rejected', 502],
    ['{"JSONFile":{"result":"05","notif":"document id kosong"}}', 'provider-rejected', 502],
    ['{"JSONFile":{"result":"61","notif":"Saldo Tandatangan mitra tidak cukup."}}', 'insufficient-balance', 502],
    ['{"JSONFile":{"result":"61","notif":"Saldo Dokumen mitra tidak cukup."}}', 'insufficient-balance', 502],
    ['{"JSONFile":{"result":"91","notif":"Sistem timeout, mohon ulangi proses upload document."}}', 'provider-busy', 504],
    ['{"JSONFile":{"result":"05","notif":"field req-sign tidak ditemukan"}}', 'provider-rejected', 502],
    ['{"JSONFile":{"result":"08","notif":"Anda belum memasukkan link redirect anda."}}', 'redirect-not-configured', 502],
    [
      '{"JSONFile":{"result":"03","notif":"Kirim dokumen gagal","info":"Lokasi tanda tangan sebaiknya diposisikan tidak tumpang tindih"}}',
      'boxes-overlap',
      422,
    ],
    [
      '{"JSONFile":{"result":"03","notif":"Kirim dokumen gagal","info":"Lokasi tanda tangan dan e-meterai sebaiknya diposisikan secara berdampingan dan tidak tumpang tindih"}}',
      'boxes-overlap',
      422,
    ],
  ];
  for (const [body, code, status] of rows) {
    it(`${body.slice(13, 70)} → ${code}`, async () => {
      const seen = endpoint('/SendDocMitraAT.html', body);
      await assert.rejects(new DigisignClient(settings, fast).sendDocument(input), expectError(code, status));
      assert.equal(seen.length, 1, 'a document is never sent twice');
    });
  }
});

describe('Digisign sign page (§6, §10.5)', () => {
  it('sends userid, email_user, document_id, view_only and normalises the broken link', async () => {
    const seen = endpoint(
      '/gen/genSignPage.html',
      '{"JSONFile":{"result":"00","link":"https://\\wv.tandatanganku.com\\/ signingpage.html?sgn=%2B6MM%2Fw%3D%3D"}}',
    );
    const out = await new DigisignClient(settings, fast).signPageLink({ documentId: 'testdoc123', email: 'test@hotmail.com' });
    assertCommon(seen[0], '/gen/genSignPage.html');
    assert.deepEqual(jsonfield(seen[0]), {
      JSONFile: { userid: 'admin@ptmitra.com', email_user: 'test@hotmail.com', document_id: 'testdoc123', view_only: false },
    });
    assert.deepEqual(out, { link: 'https://wv.tandatanganku.com/signingpage.html?sgn=%2B6MM%2Fw%3D%3D' });
  });
  const rows: [string, string, number][] = [
    ['$trxjson', 'provider-rejected', 502],
    ['{"JSONFile":{"result":"05","notif":"dokumen tidak ditemukan"}}', 'document-not-found', 404],
    ['{"JSONFile":{"result":"05","notif":"user tidak ditemukan"}}', 'user-not-found', 404],
    ['{"JSONFile":{"result":"05","notif":"user tidak masuk penandatanganan dokumen ini"}}', 'not-a-signer', 403],
    ['{"JSONFile":{"result":"05","notif":"user telah menandatangani dokumen ini"}}', 'already-signed', 409],
  ];
  for (const [body, code, status] of rows) {
    it(`${body.slice(0, 70)} → ${code}`, async () => {
      endpoint('/gen/genSignPage.html', body);
      await assert.rejects(new DigisignClient(settings, fast).signPageLink({ documentId: 'd', email: 'a@b.co', viewOnly: true }), expectError(code, status));
    });
  }
  it('normalizeDigisignLink keeps good links as they are', () => {
    assert.equal(normalizeDigisignLink('https://wv.tandatanganku.com/viewpage.html?view=a07%2B4u'), 'https://wv.tandatanganku.com/viewpage.html?view=a07%2B4u');
  });
});

describe('Digisign downloads (§8, §10.6, §11)', () => {
  it('PDF: sends userid + document_id to DWMITRA.html and returns the bytes', async () => {
    const seen = endpoint('/DWMITRA.html', () => new HttpResponse(PDF, { headers: { 'content-type': 'application/pdf' } }));
    const out = await new DigisignClient(settings, fast).downloadPdf({ documentId: '20180920_AB' });
    assertCommon(seen[0], '/DWMITRA.html');
    assert.deepEqual(jsonfield(seen[0]), { JSONFile: { userid: 'admin@ptmitra.com', document_id: '20180920_AB' } });
    assert.deepEqual(out.pdf, PDF);
  });
  it('PDF: 403 → access-denied, 404 → document-not-found, a JSON 05 → document-not-found', async () => {
    endpoint('/DWMITRA.html', () => new HttpResponse('Forbidden', { status: 403 }));
    await assert.rejects(new DigisignClient(settings, fast).downloadPdf({ documentId: 'x' }), expectError('access-denied', 403, '403'));
    endpoint('/DWMITRA.html', () => new HttpResponse('Not found', { status: 404 }));
    await assert.rejects(new DigisignClient(settings, fast).downloadPdf({ documentId: 'x' }), expectError('document-not-found', 404, '404'));
    endpoint('/DWMITRA.html', '{"JSONFile":{"result":"05","notif":"file tidak ditemukan"}}');
    await assert.rejects(new DigisignClient(settings, fast).downloadPdf({ documentId: 'x' }), expectError('document-not-found', 404, '05'));
  });
  it('Base64: 00 with file, 05, 12', async () => {
    const seen = endpoint('/DWMITRA64.html', `{"JSONFile":{"result":"00","file":"${Buffer.from(PDF).toString('base64')}"}}`);
    assert.deepEqual((await new DigisignClient(settings, fast).downloadBase64({ documentId: 'doc1' })).pdf, PDF);
    assertCommon(seen[0], '/DWMITRA64.html');
    assert.deepEqual(jsonfield(seen[0]), { JSONFile: { userid: 'admin@ptmitra.com', document_id: 'doc1' } });
    endpoint('/DWMITRA64.html', '{"JSONFile":{"result":"05","notif":"file tidak ditemukan"}}');
    await assert.rejects(new DigisignClient(settings, fast).downloadBase64({ documentId: 'x' }), expectError('document-not-found', 404, '05'));
    endpoint('/DWMITRA64.html', '{"JSONFile":{"result":"12","notif":"Mitra tidak diijinkan untuk akses dokumen."}}');
    await assert.rejects(new DigisignClient(settings, fast).downloadBase64({ documentId: 'x' }), expectError('access-denied', 403, '12'));
  });
  it('an idempotent download is retried after 503 but never after a 91', async () => {
    let n = 0;
    endpoint('/DWMITRA64.html', () =>
      ++n === 1
        ? new HttpResponse(null, { status: 503 })
        : new HttpResponse('{"JSONFile":{"result":"91","notif":"system timeout"}}', { headers: { 'content-type': 'text/html' } }),
    );
    await assert.rejects(new DigisignClient(settings, fast).downloadBase64({ documentId: 'x' }), expectError('provider-busy', 504, '91'));
    assert.equal(n, 2);
  });
});

describe('Digisign HTTP statuses (§11)', () => {
  it('web views: 200 fine, 403 token/admin, 401 user, 404 document, 408 session expired', () => {
    assert.equal(digisignWebViewError(200), undefined);
    expectError('provider-auth-failed', 502, '403')(digisignWebViewError(403));
    expectError('user-not-found', 404, '401')(digisignWebViewError(401));
    expectError('document-not-found', 404, '404')(digisignWebViewError(404));
    expectError('session-expired', 410, '408')(digisignWebViewError(408));
    expectError('provider-http-error', 502, '500')(digisignWebViewError(500));
  });
  it('download PDF: accepts PDF bytes labelled text/html, refuses other bytes and types', () => {
    assert.deepEqual(parseDigisignDownloadPdfResponse(200, new Headers({ 'content-type': 'text/html' }), PDF).pdf, PDF);
    assert.throws(() => parseDigisignDownloadPdfResponse(200, new Headers({ 'content-type': 'image/png' }), PDF), expectError('provider-bad-response', 502));
    assert.throws(
      () => parseDigisignDownloadPdfResponse(200, new Headers({ 'content-type': 'application/pdf' }), text('<html>')),
      expectError('provider-bad-response', 502),
    );
    assert.throws(() => parseDigisignDownloadPdfResponse(500, new Headers(), text('')), expectError('provider-http-error', 502, '500'));
  });
});

describe('Digisign change e-mail / phone (§9, §10.7)', () => {
  const change = { oldEmail: 'digisign1@tandatangan.com', newEmail: 'digisign1@tandatangan.com', oldPhone: '62895430551133', newPhone: '62895430551135' };
  it('sends the §9 example to UPDATE-EP.html', async () => {
    const seen = endpoint('/UPDATE-EP.html', '{"JSONFile": {"result": "00", "notif": "Sukses update data"}}');
    assert.deepEqual(await new DigisignClient(settings, fast).changeContact(change), { notif: 'Sukses update data' });
    assertCommon(seen[0], '/UPDATE-EP.html');
    assert.deepEqual(jsonfield(seen[0]), {
      JSONFile: {
        userid: 'admin@ptmitra.com',
        email_lama: 'digisign1@tandatangan.com',
        email_baru: 'digisign1@tandatangan.com',
        nohp_lama: '62895430551133',
        nohp_baru: '62895430551135',
      },
    });
  });
  it('the URL can be set (the doc prints api.tandatangan.com)', async () => {
    const seen: string[] = [];
    server.use(
      http.post('https://api.tandatangan.com/UPDATE-EP.html', ({ request }) => {
        seen.push(request.url);
        return new HttpResponse('{"JSONFile":{"result":"00"}}');
      }),
    );
    await new DigisignClient({ ...settings, changeContactUrl: 'https://api.tandatangan.com/UPDATE-EP.html' }, fast).changeContact(change);
    assert.equal(seen.length, 1);
  });
  const rows: [string, string, number][] = [
    ['{"JSONFile":{"result":"14","notif":"Email pengganti sudah terdaftar, silahkan gunakan email lain."}}', 'email-taken', 409],
    ['{"JSONFile":{"result":"14","notif":"User sudah aktif, silahkan mengubah data pada halaman dashboard"}}', 'user-already-active', 409],
    ['{"JSONFile":{"result":"14","notif":"Nomor handphone pengganti sudah terdaftar, silahkan gunakan nomor handpone lain."}}', 'phone-taken', 409],
    ['{"JSONFile":{"result":"05","notif":"Email belum terdaftar"}}', 'user-not-found', 404],
    ['{"JSONFile":{"res":"06","notif":"Update email atau no hp gagal"}}', 'update-failed', 502],
    ['{"JSONFile":{"result":"08","notif":"Nomor hp lama tidak cocok"}}', 'old-phone-mismatch', 422],
  ];
  for (const [body, code, status] of rows) {
    it(`${body.slice(13, 80)} → ${code}`, async () => {
      endpoint('/UPDATE-EP.html', body);
      await assert.rejects(new DigisignClient(settings, fast).changeContact(change), expectError(code, status));
    });
  }
});

describe('Digisign encrypted redirects (§4, §7)', () => {
  // §7 signing sample, with the one OCR-damaged character restored ("QQO1COI" → "QQOlCOI", §7.1).
  const signingSample =
    'Cij6Jz9ui76E5Ky%2FqJRqt5jMp1gx%2Bz1onr2%2FO%2Fb%2FQQOlCOI%2FsNbocobyzf4XkeXTCZRJ%2B7r7J3%2FI%0AjMKCjBpOTpZuuhUUeQTD%2BmU43vsKbSKj0oQxhKUvUG%2BNcdYcTSRiM3ikRaMiBB4rrxQXdEwUu18r%0A1naOnZwvJw0ZnEx94Z4%3D';
  const key = 'RBazsYSDTuShYbUG';

  it('decrypts the doc sample with the lower-case-b key (URL-encoded, MIME line breaks)', () => {
    assert.deepEqual(decryptDigisignRedirect(signingSample, key), {
      kind: 'signing',
      result: '00',
      ok: true,
      notif: 'Sukses',
      documentId: 'IdDoc_002',
      emailUser: 'testing5@digisign.id',
      statusDocument: 'complete',
      completed: true,
    });
  });

  it('decrypts the same value already URL-decoded, with + turned into spaces', () => {
    const decoded = decodeURIComponent(signingSample).replace(/\+/g, ' ');
    assert.equal(decryptDigisignRedirect(decoded, key).kind, 'signing');
    assert.equal(decryptDigisignRedirect(new URLSearchParams(`msg=${signingSample}`).get('msg')!, key).kind, 'signing');
  });

  it('the doc sample as printed (one OCR-damaged character) is detected as undecryptable', () => {
    assert.throws(() => decryptDigisignRedirect(signingSample.replace('QQOlCOI', 'QQO1COI'), key), expectError('redirect-undecryptable', 400));
  });

  it('the upper-case-B key printed in §4 does not decrypt', () => {
    assert.throws(() => decryptDigisignRedirect(signingSample, 'RBazsYSDTuShYBUG'), expectError('redirect-undecryptable', 400));
  });

  it('round-trips an activation payload through encryptDigisignRedirect', () => {
    const payload = {
      result: '00',
      notif: 'Proses Aktivasi Berhasil',
      email_user: 'digisigntest@tandatanganku.com',
      nik: '3275094801950033',
      verifikasi: { nama: true, tanggal_lahir: true, selfie: true },
    };
    const msg = encryptDigisignRedirect(payload, key);
    assert.match(msg, /%0A/, 'MIME line breaks as Digisign sends them');
    assert.deepEqual(decryptDigisignRedirect(msg, key), {
      kind: 'activation',
      result: '00',
      ok: true,
      notif: 'Proses Aktivasi Berhasil',
      emailUser: 'digisigntest@tandatanganku.com',
      nik: '3275094801950033',
      verification: { nama: true, tanggal_lahir: true, selfie: true },
    });
    const waiting = decryptDigisignRedirect(
      encryptDigisignRedirect({ document_id: 'd1', status_document: 'waiting', result: '00', email_user: 'a@b.co' }, key),
      key,
    );
    assert.equal(waiting.kind === 'signing' && waiting.completed, false);
  });

  it('typed errors for truncated, tampered, malformed and wrong-key input', () => {
    const msg = decodeURIComponent(encryptDigisignRedirect({ result: '00', email_user: 'a@b.co', notif: 'x'.repeat(40) }, key)).replace(/\n/g, '');
    assert.throws(() => decryptDigisignRedirect(msg.slice(0, msg.length - 4), key), expectError('redirect-truncated', 400));
    assert.throws(() => decryptDigisignRedirect(msg.slice(0, msg.length - 1), key), expectError('redirect-truncated', 400));
    const bytes = Buffer.from(msg, 'base64');
    bytes[bytes.length - 1]! ^= 0x5a; // last block: padding breaks
    assert.throws(() => decryptDigisignRedirect(bytes.toString('base64'), key), expectError('redirect-undecryptable', 400));
    assert.throws(() => decryptDigisignRedirect('not base64 at all!', key), expectError('redirect-malformed', 400));
    assert.throws(() => decryptDigisignRedirect('%E0%A4%A', key), expectError('redirect-malformed', 400));
    assert.throws(() => decryptDigisignRedirect('', key), expectError('redirect-malformed', 400));
    assert.throws(() => decryptDigisignRedirect(msg, 'AAAAAAAAAAAAAAAA'), expectError('redirect-undecryptable', 400));
    assert.throws(() => decryptDigisignRedirect(encryptDigisignRedirect({ hello: 1 }, key), key), expectError('redirect-malformed', 400));
    assert.throws(
      () => decryptDigisignRedirect(msg, 'short'),
      (e: unknown) => e instanceof InputError && e.field === 'aesKey',
    );
  });

  it('the client decrypts with the configured key and never puts the key in an error', () => {
    const client = new DigisignClient(settings);
    assert.equal(client.decryptRedirect(signingSample).kind, 'signing');
    try {
      client.decryptRedirect(signingSample.replace('QQOlCOI', 'QQO1COI'));
    } catch (e) {
      assert.ok(e instanceof ProviderError);
      assert.ok(!JSON.stringify(e.toJSON()).includes(key) && !e.message.includes(key));
    }
  });
});
