// BSrE's request contracts, written from the seeds (../shared/seeds/):
//   000 — "E-SIGN API SERVICE" slides (cloud: token, sign request, sign, download, verify)
//   001 — "Petunjuk Teknis Penggunaan API Esign Client Service" (§III.B Basic auth, §III.C status)
//   002 — Esign Client Service user guide: §5 API v1 (5.1 auth, 5.2 sign, 5.3 download, 5.4 verify),
//         §6 API v2 (6.1 auth, 6.2 sign, 6.3 sign TOTP, 6.4 seal activation, 6.5 seal OTP, 6.6 seal,
//         6.7 user status, 6.8 registration, 6.9 verify)
// Each field carries its citation; ambiguities keep both readings under the setting that selects one.
import type { Field, Header, Operation, Reading } from './schema.js';

const BASIC: Header = { name: 'Authorization', value: /^Basic [A-Za-z0-9+/]+=*$/, source: '002 §5.1/§6.1 "Basic Auth base64(username:password)"; 001 §III.B' };
const JSON_TYPE: Header = { name: 'Content-Type', value: /^application\/json/, source: '002 §6.2–§6.9 "Tipe JSON"' };
const NIK = /^\d{16}$/;

// ---------------------------------------------------------------------------------------------------
// Esign Client v1 (002 §5): multipart form fields ("Type POST")

const visible = { sibling: 'tampilan', equals: 'visible' } as const;
const v1Sign: Operation = {
  id: 'bsre.v1.signPdf',
  source: '002 §5.2 Sign PDF (POST /api/sign/pdf), its three parameter tables and fields 1–17',
  method: 'POST',
  path: '/api/sign/pdf',
  body: 'multipart',
  headers: [BASIC],
  fields: [
    { path: 'nik', type: 'string', required: true, pattern: NIK, source: '002 §5.2 field 2 "NIK … 16 digit … wajib diisi"' },
    { path: 'passphrase', type: 'string', required: true, source: '002 §5.2 field 3 "Passphrase … wajib diisi"' },
    { path: 'tampilan', type: 'string', required: true, values: ['visible', 'invisible'], source: '002 §5.2 field 4 "visible dan invisible"' },
    { path: 'image', type: 'boolean', required: visible, source: '002 §5.2 field 5 "true dan false" (tables: "boolean (true)" / "(false)")' },
    {
      path: 'linkQR',
      type: 'string',
      required: { sibling: 'image', equals: 'false' },
      source: '002 §5.2 field 7; field 5 "Jika diisi false, maka parameter linkQR wajib diisi"',
    },
    {
      path: 'halaman',
      type: 'string',
      required: false,
      values: ['pertama', 'terakhir'],
      source: '002 §5.2 field 8 (values from 000 SEND_SIGN_REQUEST "{pertama, terakhir}")',
    },
    { path: 'page', type: 'integer', required: false, source: '002 §5.2 field 9 "nomor halaman", tables "number"' },
    {
      path: 'xAxis',
      type: 'number',
      required: { all: [visible, { sibling: 'tag_koordinat', present: false }] },
      source: '002 §5.2 field 10 "wajib diisi jika … page atau halaman dan … visible"',
    },
    { path: 'yAxis', type: 'number', required: { all: [visible, { sibling: 'tag_koordinat', present: false }] }, source: '002 §5.2 field 11' },
    { path: 'width', type: 'number', required: visible, source: '002 §5.2 field 12 "wajib diisi untuk tipe visualisasi visible"' },
    { path: 'height', type: 'number', required: visible, source: '002 §5.2 field 13' },
    { path: 'tag_koordinat', type: 'string', required: false, pattern: /^\S$/u, source: '002 §5.2 field 14 "sebuah karakter khusus (misal: # atau $)"' },
    { path: 'reason', type: 'string', required: false, source: '002 §5.2 field 15 (Opsional)' },
    { path: 'location', type: 'string', required: false, source: '002 §5.2 field 16 (Opsional)' },
    { path: 'text', type: 'string', required: false, source: '002 §5.2 field 17 (Opsional)' },
  ],
  files: [
    { path: 'file', type: 'file', required: true, contentTypes: ['application/pdf'], source: '002 §5.2 field 1 "file (.pdf) … wajib diisi"' },
    {
      path: 'imageTTD',
      type: 'file',
      required: { sibling: 'image', equals: 'true' },
      contentTypes: ['image/jpeg', 'image/png'],
      source: '002 §5.2 field 6 "Jika parameter Image diisi dengan true, maka spesimen … harus diunggah … JPG, JPEG, atau PNG"',
    },
  ],
  oneOf: [
    {
      paths: ['page', 'halaman'],
      exactly: false,
      when: { all: [visible, { sibling: 'tag_koordinat', present: false }] },
      source: '002 §5.2 fields 8/9: page or halaman for a visible signature placed by coordinates',
    },
  ],
};

const v1Download: Operation = {
  id: 'bsre.v1.download',
  source: '002 §5.3 Download (Signed) Document; 001 §III.E',
  method: 'GET',
  path: /^\/(?:.*\/)?api\/sign\/download\/[^/]+$/,
  body: 'none',
  headers: [BASIC],
  fields: [],
};

const v1Verify: Operation = {
  id: 'bsre.v1.verify',
  source: '002 §5.4 Verify PDF (POST /api/sign/verify)',
  method: 'POST',
  path: '/api/sign/verify',
  body: 'multipart',
  headers: [BASIC],
  fields: [],
  files: [{ path: 'signed_file', type: 'file', required: true, contentTypes: ['application/pdf'], source: '002 §5.4 "signed_file file (.pdf)"' }],
};

const v1Status: Operation = {
  id: 'bsre.v1.userStatus',
  source: '001 §III.C API Cek Status: "Masukkan IP atau domain server … beserta NIK pada URL" (the path is in a screenshot only)',
  method: 'GET',
  body: 'none',
  headers: [BASIC],
  fields: [],
  readings: {
    BSRE_V1_USER_STATUS_PATH: {
      '/api/user/status/{nik}': { path: /\/api\/user\/status\/\d{16}$/, source: 'the path public integrations use (not in the seeds)' },
      '/esign/v1/status/{nik}/check': { path: /\/esign\/v1\/status\/\d{16}\/check$/, source: 'any other path a deployment selects, the NIK in place of {nik}' },
    },
  },
};

// ---------------------------------------------------------------------------------------------------
// Esign Client v2 (002 §6): JSON bodies

const VISIBLE = { sibling: 'tampilan', equals: 'VISIBLE' } as const;
const v2Properties = (prefix: string, section: string): Field[] => [
  { path: prefix, type: 'array', required: true, source: `002 ${section} "satu atau sebanyak dokumen"` },
  {
    path: `${prefix}[].tampilan`,
    type: 'string',
    required: true,
    values: ['VISIBLE', 'INVISIBLE'],
    source: `002 ${section} field "Tampilan": VISIBLE dan INVISIBLE`,
  },
];

const v2Sign: Operation = {
  id: 'bsre.v2.signPdf',
  source: '002 §6.2 API Sign (POST /api/v2/sign/pdf): the request schema and fields 1–16',
  method: 'POST',
  path: '/api/v2/sign/pdf',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'nik', type: 'string', required: false, pattern: NIK, source: '002 §6.2 schema "nik"; field 1 "cukup memilih salah satu dari NIK atau Email"' },
    { path: 'email', type: 'string', required: false, source: '002 §6.2 schema "email"; field 1' },
    { path: 'passphrase', type: 'string', required: false, source: '002 §6.2 schema "passphrase"; field 2 "memilih salah satu dari passphrase atau TOTP"' },
    ...v2Properties('signatureProperties', '§6.2'),
    {
      path: 'signatureProperties[].imageBase64',
      type: 'base64',
      required: VISIBLE,
      source: '002 §6.2 field 5 "String Base64 dari file tipe gambar (.jpg, .jpeg, dan .png)"; field 4 lists it for VISIBLE',
    },
    {
      path: 'signatureProperties[].page',
      type: 'integer',
      required: { all: [VISIBLE, { sibling: 'tag_koordinat', present: false }] },
      source: '002 §6.2 schema `"page": 0`; field 6 "nomor halaman"',
    },
    {
      path: 'signatureProperties[].originX',
      type: 'number',
      required: { all: [VISIBLE, { sibling: 'tag_koordinat', present: false }] },
      source: '002 §6.2 schema `"originX": 0.0`; field 7',
    },
    {
      path: 'signatureProperties[].originY',
      type: 'number',
      required: { all: [VISIBLE, { sibling: 'tag_koordinat', present: false }] },
      source: '002 §6.2 schema `"originY": 0.0`; field 8 "Pada versi 1 … yAxis"',
    },
    {
      path: 'signatureProperties[].width',
      type: 'number',
      required: VISIBLE,
      source: '002 §6.2 schema `"width": 0.0`; field 9 "wajib diisi untuk tipe visualisasi visible"',
    },
    { path: 'signatureProperties[].height', type: 'number', required: VISIBLE, source: '002 §6.2 schema `"height": 0.0`; field 10' },
    { path: 'signatureProperties[].location', type: ['string', 'null'], required: false, source: '002 §6.2 field 11 (opsional); example d sends null' },
    { path: 'signatureProperties[].reason', type: ['string', 'null'], required: false, source: '002 §6.2 field 12 (opsional); example d sends null' },
    {
      path: 'signatureProperties[].pdfPassword',
      type: 'string',
      required: false,
      source: '002 §6.2 schema "pdfPassword"; field 16 "Password … dokumen yang dikunci dengan password"',
    },
    {
      path: 'signatureProperties[].tag_koordinat',
      type: 'string',
      required: false,
      pattern: /^\S$/u,
      source: '002 §6.2 examples c, d `"tag_koordinat": "$"`; field 4 names "tag"',
      note: 'absent from the schema, present in two examples; the contract allows it',
    },
    { path: 'file', type: 'array', required: true, source: '002 §6.2 schema `"file": [""]`; field 13 "tipe base64 string"' },
    { path: 'file[]', type: 'base64', required: true, source: '002 §6.2 field 13' },
  ],
  oneOf: [{ paths: ['nik', 'email'], exactly: true, source: '002 §6.2 field 1 "cukup memilih salah satu"' }],
  readings: {
    BSRE_SIGN_OTP_FIELD: {
      totp: {
        fields: [
          {
            path: 'totp',
            type: 'string',
            required: false,
            source: '002 §6.2 schema `"totp": ""`; field 15 "Totp diperlukan setiap akan melakukan pembubuhan tanda tangan elektronik"',
          },
        ],
        oneOf: [{ paths: ['passphrase', 'totp'], exactly: true, source: '002 §6.2 field 2 "memilih salah satu dari passphrase atau TOTP"' }],
        source: 'the schema and field list',
      },
      otp: {
        fields: [{ path: 'otp', type: 'string', required: false, source: '002 §6.2 examples c and d `"otp": "{{otp}}"`' }],
        oneOf: [{ paths: ['passphrase', 'otp'], exactly: true, source: '002 §6.2 field 2' }],
        source: 'the hand-written examples c and d',
      },
    },
  },
};

const v2SignTotp: Operation = {
  id: 'bsre.v2.signTotp',
  source: '002 §6.3 Request Sign TOTP (POST /api/v2/sign/get/totp)',
  method: 'POST',
  path: '/api/v2/sign/get/totp',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'nik', type: 'string', required: false, pattern: NIK, source: '002 §6.3 request body; field 1 "NIK & Email"' },
    { path: 'email', type: 'string', required: false, source: '002 §6.3 request body; field 1' },
    { path: 'data', type: 'integer', required: true, source: '002 §6.3 `"data": 0`; field 2 "Jumlah … file … dapat diisi 2 (dengan angka)"' },
  ],
  oneOf: [{ paths: ['nik', 'email'], exactly: false, source: '002 §6.3 field 1 (the example sends both)' }],
};

const sealActivation: Operation = {
  id: 'bsre.v2.sealActivation',
  source: '002 §6.4 Request (and Refresh) Seal Activation TOTP (POST /api/v2/seal/get/activation)',
  method: 'POST',
  path: '/api/v2/seal/get/activation',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'idSubscriber', type: 'string', required: true, source: '002 §6.4 request body; field 1 "IdSubscriber"' },
    { path: 'totp', type: 'string', required: false, source: '002 §6.4 Refresh Seal Activation OTP body; field 2 "perpanjangan masa berlaku token"' },
  ],
};

const sealRevoke: Operation = {
  id: 'bsre.v2.sealRevoke',
  source: '002 §6.4 Revoke Seal Activation (POST /api/v2/seal/revoke/activation)',
  method: 'POST',
  path: '/api/v2/seal/revoke/activation',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'idSubscriber', type: 'string', required: true, source: '002 §6.4 revoke body; field 1' },
    { path: 'totp', type: 'string', required: true, source: '002 §6.4 revoke body; field 2 "pencabutan token (Revoke Seal Activation)"' },
  ],
};

const sealTotp: Operation = {
  id: 'bsre.v2.sealTotp',
  source: '002 §6.5 Request Seal OTP (POST /api/v2/seal/get/totp)',
  method: 'POST',
  path: '/api/v2/seal/get/totp',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'idSubscriber', type: 'string', required: true, source: '002 §6.5 request body; field 1' },
    { path: 'totp', type: 'string', required: true, source: '002 §6.5 field 3 "TOTP yang didapatkan … dari endpoint Request Seal Activation"' },
  ],
  readings: {
    BSRE_SEAL_TOTP_DATA_TYPE: {
      string: {
        fields: [
          { path: 'data', type: 'string', required: true, pattern: /^\d+$/, source: '002 §6.5 request schema (Request Body — Tipe JSON) `"data": "2"`' },
        ],
        source: 'the request schema',
      },
      number: {
        fields: [{ path: 'data', type: 'integer', required: true, source: '002 §6.5 field 2 "data dapat diisi 2 (dengan angka)" read as a JSON number' }],
        source: 'the parameter text',
      },
    },
  },
};

const sealPdf: Operation = {
  id: 'bsre.v2.sealPdf',
  source: '002 §6.6 Seal PDF (POST /api/v2/seal/pdf)',
  method: 'POST',
  path: '/api/v2/seal/pdf',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'idSubscriber', type: 'string', required: true, source: '002 §6.6 request body; field 1' },
    { path: 'totp', type: 'string', required: true, source: '002 §6.6 `"totp": "629109"`; field 2' },
    ...v2Properties('signatureProperties', '§6.6'),
    { path: 'signatureProperties[].location', type: ['string', 'null'], required: false, source: '002 §6.6 `"location": null`; field 5 (Opsional)' },
    { path: 'signatureProperties[].reason', type: ['string', 'null'], required: false, source: '002 §6.6 `"reason": null`; field 6 (Opsional)' },
    { path: 'file', type: 'array', required: true, source: '002 §6.6 `"file": ["{{file in base64}}"]`; field 7 "tipe base64 string"' },
    { path: 'file[]', type: 'base64', required: true, source: '002 §6.6 field 7' },
  ],
};

const v2Status: Operation = {
  id: 'bsre.v2.userStatus',
  source: '002 §6.7 Check Status User (POST /api/v2/user/check/status)',
  method: 'POST',
  path: '/api/v2/user/check/status',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'nik', type: 'string', required: false, pattern: NIK, source: '002 §6.7 "Request Body (NIK)"' },
    { path: 'email', type: 'string', required: false, source: '002 §6.7 "Request Body (Email)"' },
  ],
  oneOf: [{ paths: ['nik', 'email'], exactly: true, source: '002 §6.7 field 1 "cukup memilih salah satu dari NIK atau Email"' }],
};

const v2Registration: Operation = {
  id: 'bsre.v2.registration',
  source: '002 §6.8 Registrasi User (POST /api/v2/user/registration)',
  method: 'POST',
  path: '/api/v2/user/registration',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'nama', type: 'string', required: true, source: '002 §6.8 request body; field 1 "Nama"' },
    { path: 'email', type: 'string', required: true, source: '002 §6.8 request body; field 2 "Email"' },
  ],
};

const v2Verify: Operation = {
  id: 'bsre.v2.verify',
  source: '002 §6.9 Verify PDF (POST /api/v2/verify/pdf)',
  method: 'POST',
  path: '/api/v2/verify/pdf',
  body: 'json',
  headers: [BASIC, JSON_TYPE],
  fields: [
    { path: 'file', type: 'base64', required: true, source: '002 §6.9 `"file": "{{file in base64}}"` (one string, not an array); field 1' },
    { path: 'password', type: 'string', required: false, source: '002 §6.9 "Request Body (Dokumen dengan Password)"; field 2' },
  ],
};

// ---------------------------------------------------------------------------------------------------
// Cloud "E-Sign API service" (000): every parameter in the query string; the token per BSRE_CLOUD_TOKEN_PLACEMENT

const tokenReadings: Record<string, Record<string, Reading>> = {
  BSRE_CLOUD_TOKEN_PLACEMENT: {
    header: {
      headers: [{ name: 'Authorization', value: /^Bearer \S+$/, source: '000 GET_ACCESS_TOKEN `"token_type": "bearer"` (RFC 6750 §2.1)' }],
      source: 'the token type',
    },
    query: {
      fields: [{ path: 'access_token', type: 'string', required: true, source: '000 puts every other parameter in the query (access_token: RFC 6750 §2.3)' }],
      source: "the query, as the slides' other parameters",
    },
  },
};
const cloud = (op: Omit<Operation, 'readings'>): Operation => ({ ...op, readings: tokenReadings });

const cloudToken: Operation = {
  id: 'bsre.cloud.token',
  source: '000 GET_ACCESS_TOKEN (POST {{url}}/oauth/token?client_id=…&client_secret=…&grant type=client credentials)',
  method: 'POST',
  path: '/oauth/token',
  body: 'query',
  headers: [],
  absentHeaders: [{ name: 'Authorization', source: '000 GET_ACCESS_TOKEN: the credentials are the query parameters' }],
  fields: [
    { path: 'client_id', type: 'string', required: true, source: '000 GET_ACCESS_TOKEN "client_id → $client_id"' },
    { path: 'client_secret', type: 'string', required: true, source: '000 GET_ACCESS_TOKEN "client_secret → $client_secret"' },
    {
      path: 'grant_type',
      type: 'string',
      required: true,
      values: ['client_credentials'],
      source: '000 GET_ACCESS_TOKEN URL "grant type=client credentials" (underscores lost in extraction)',
    },
  ],
};

const cloudVisible = { root: 'tampilan', equals: 'visible' } as const;
const cloudSignRequest = cloud({
  id: 'bsre.cloud.signRequest',
  source: '000 SEND SIGN REQUEST (POST {{url}}/api/v2/entity/sign/request?penandatangan=…) and its PARAMETER table',
  method: 'POST',
  path: '/api/v2/entity/sign/request',
  body: 'query',
  headers: [],
  fields: [
    { path: 'penandatangan', type: 'string', required: true, source: '000 SEND_SIGN_REQUEST "penandatangan → $nik NOT_NULL"' },
    { path: 'tujuan', type: 'string', required: false, source: '000 SEND_SIGN_REQUEST "tujuan → $tujuan OPTIONAL"' },
    { path: 'perihal', type: 'string', required: false, source: '000 SEND_SIGN_REQUEST "perihal → $perihal" (unmarked)' },
    { path: 'info', type: 'string', required: false, source: '000 SEND_SIGN_REQUEST "info → $info" (unmarked)' },
    { path: 'jenis_dokumen', type: 'string', required: false, source: '000 SEND_SIGN_REQUEST "jenis_dokumen → $jenis_dokumen" (unmarked)' },
    { path: 'nomor', type: 'string', required: false, source: '000 SEND_SIGN_REQUEST "nomor → $nomor" (unmarked)' },
    {
      path: 'tampilan',
      type: 'string',
      required: true,
      values: ['visible', 'invisible'],
      source: '000 SEND_SIGN_REQUEST "tampilan {visible; invisible} NOT_NULL"',
    },
    {
      path: 'image',
      type: 'boolean',
      required: cloudVisible,
      source: '000 SEND_SIGN_REQUEST "image {true; false}"',
      note: 'unmarked; needed to choose a specimen or a QR when visible',
    },
    { path: 'linkQR', type: 'string', required: { root: 'image', equals: 'false' }, source: '000 SEND SIGN REQUEST URL "linkQR=$linkQR" (table: linkqr)' },
    { path: 'halaman', type: 'string', required: cloudVisible, values: ['pertama', 'terakhir'], source: '000 SEND_SIGN_REQUEST "halaman {pertama, terakhir}"' },
    { path: 'yAxis', type: 'number', required: cloudVisible, source: '000 SEND SIGN REQUEST URL "yAxis=$yAxis" (table: yaxis)' },
    { path: 'xAxis', type: 'number', required: cloudVisible, source: '000 SEND SIGN REQUEST URL "xAxis=$xAxis" (table: xaxis)' },
    { path: 'width', type: 'number', required: cloudVisible, source: '000 SEND_SIGN_REQUEST "width → $width"' },
    { path: 'height', type: 'number', required: cloudVisible, source: '000 SEND_SIGN_REQUEST "height → $height"' },
  ],
  files: [
    {
      path: 'file',
      type: 'file',
      required: true,
      contentTypes: ['application/pdf'],
      source: '000 SEND SIGN REQUEST "BODY • FILE → $path_file" (the only body part: no image)',
      note: 'the part name is not printed; "FILE"',
    },
  ],
});

const cloudSign = cloud({
  id: 'bsre.cloud.sign',
  source: '000 SIGN DOKUMEN (POST {{url}}/api/v2/entity/sign/$id_signed?passphrase=…&approved info=…)',
  method: 'POST',
  path: /\/api\/v2\/entity\/sign\/[A-Za-z0-9_-]+$/,
  body: 'query',
  headers: [],
  fields: [
    { path: 'passphrase', type: 'string', required: true, source: '000 SIGN DOKUMEN "passphrase → $passphrase"' },
    { path: 'approved_info', type: 'string', required: false, source: '000 SIGN DOKUMEN "approved_info → $approved_info"', note: 'meaning not explained' },
  ],
});

const cloudDownload = cloud({
  id: 'bsre.cloud.download',
  source: '000 DOWNLOAD_DOKUMEN (POST {{url}}/api/v2/entity/sign/download/$dokumen id; URL id_signed)',
  method: 'POST',
  path: /\/api\/v2\/entity\/sign\/download\/[A-Za-z0-9_-]+$/,
  body: 'query',
  headers: [],
  fields: [],
});

const cloudVerify = cloud({
  id: 'bsre.cloud.verify',
  source: '000 VERIFY_DOKUMEN (POST {{url}}/api/v2/entity/verify/; BODY • signed_file)',
  method: 'POST',
  path: '/api/v2/entity/verify/',
  body: 'query',
  headers: [],
  fields: [],
  files: [{ path: 'signed_file', type: 'file', required: true, contentTypes: ['application/pdf'], source: '000 VERIFY_DOKUMEN "signed_file → $path_file"' }],
});

export const BSRE_CONTRACTS: readonly Operation[] = [
  v1Sign,
  v1Download,
  v1Verify,
  v1Status,
  v2Sign,
  v2SignTotp,
  sealActivation,
  sealRevoke,
  sealTotp,
  sealPdf,
  v2Status,
  v2Registration,
  v2Verify,
  cloudToken,
  cloudSignRequest,
  cloudSign,
  cloudDownload,
  cloudVerify,
];
