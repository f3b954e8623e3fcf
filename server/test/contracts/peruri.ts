// Peruri's request contracts, written from seed 003 ("Dokumen Web Service (Paket Komprehensif) Peruri
// Digital Signature", 014/SBUDS/SOP/WebService/X/2019). The document numbers its APIs per chapter
// ("Mekanisme …"), so citations name the chapter, the section and the page. Every API is a JSON POST with
// `Content-Type`, `x-Gateway-APIKey` and (all but Get JWT) `Authorization: Bearer <JWT>` (each API's Header
// Parameter table). The document gives no URLs: the paths are the public integrations' (recorded per
// PERURI_ENVIRONMENT, the setting that selects them).
import type { Field, Header, Operation } from './schema.js';

const CT: Header = { name: 'Content-Type', value: /^application\/json/, source: '003 Header Parameter tables: Content-Type string 16 "application/json"' };
const KEY: Header = {
  name: 'x-Gateway-APIKey',
  value: /\S/,
  source: '003 Header Parameter tables: x-Gateway-APIKey string 36 "Access key yang berasal dari API Portal Peruri"',
};
const JWT: Header = { name: 'Authorization', value: /^Bearer \S+$/, source: '003 Header Parameter tables: Authorization string 600 "Bearer (Token JWT)"' };

const DS = 'Mekanisme Digital Signature';
const CERT = 'Mekanisme Generate Certificate';
const TIER = 'Mekanisme Digital Signature (Berjenjang)';
const BULK = 'Mekanisme Digital Signature (Bulk)';
const SYSTEM = 'Mekanisme Digital Signature (Signing System)';

const systemId = (where: string, length = 255): Field => ({
  path: 'systemId',
  type: 'string',
  required: true,
  maxLength: length,
  source: `003 ${where}: systemId string ${length} M "ID sistem partner"`,
});
const email = (where: string, path = 'email'): Field => ({ path, type: 'string', required: true, maxLength: 75, source: `003 ${where}: ${path} string 75 M` });
const orderId = (where: string, path = 'orderId'): Field => ({
  path,
  type: 'string',
  required: true,
  maxLength: 100,
  source: `003 ${where}: orderId string 100 M`,
});

/** A signer placement (`isVisualSign` … `varReason`) under `prefix`, as one of the document's tables lists it. */
function signer(prefix: string, where: string, mandatory: boolean, withReason: boolean): Field[] {
  const m = mandatory ? 'M' : 'O';
  const coordinate = (name: string): Field => ({
    path: `${prefix}.${name}`,
    type: 'string',
    required: mandatory,
    maxLength: 3,
    pattern: /^\d{1,3}$/,
    source: `003 ${where}: ${name} string 3 ${m} "Koordinat tanda tangan"`,
  });
  return [
    {
      path: `${prefix}.isVisualSign`,
      type: 'string',
      required: mandatory,
      maxLength: 3,
      values: ['YES', 'NO'],
      source: `003 ${where}: isVisualSign string 3 ${m} "YES" = Visible Sign, "NO" = Invisible`,
    },
    coordinate('lowerLeftX'),
    coordinate('lowerLeftY'),
    coordinate('upperRightX'),
    coordinate('upperRightY'),
    {
      path: `${prefix}.page`,
      type: 'string',
      required: mandatory,
      maxLength: 3,
      pattern: /^\d{1,3}$/,
      source: `003 ${where}: page string 3 ${m} "Nomor halaman lokasi tanda tangan"`,
    },
    {
      path: `${prefix}.certificateLevel`,
      type: 'string',
      required: mandatory,
      maxLength: 50,
      values: ['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED'],
      source: `003 ${where}: certificateLevel string 50 ${m}`,
    },
    {
      path: `${prefix}.varLocation`,
      type: 'string',
      required: mandatory,
      maxLength: 100,
      source: `003 ${where}: varLocation string 100 ${m} "Lokasi penandatangan"`,
    },
    ...(withReason
      ? [
          {
            path: `${prefix}.varReason`,
            type: 'string',
            required: false,
            maxLength: 100,
            source: `003 ${where}: varReason string 100 O "Alasan penandatanganan"`,
          } as Field,
        ]
      : []),
  ];
}

/** Coordinates are sent only for a visible signature ("NO" = invisible, no box). */
function placement(prefix: string, where: string, withReason: boolean): Field[] {
  return signer(prefix, where, false, withReason);
}

const paths = (name: string) => ({
  PERURI_ENVIRONMENT: {
    production: { path: `/digitalSignatureFullJwt/1.0/${name}/v1`, source: 'public integrations (003 gives no URL)' },
    sandbox: { path: `/digitalSignatureFullJwtSandbox/1.0/${name}/v1`, source: 'public integrations (003 gives no URL)' },
  },
});

function api(name: string, where: string, wrapper: string, fields: Field[], extra: Partial<Operation> = {}): Operation {
  return {
    id: `peruri.${name}`,
    source: `003 ${where}`,
    method: 'POST',
    body: 'json',
    wrapper,
    headers: [CT, KEY, JWT],
    fields,
    readings: paths(name),
    ...extra,
  };
}

const getJwt: Operation = {
  id: 'peruri.getJsonWebToken',
  source: '003 Mekanisme Generate JSON Web Token, API Get JSON Web Token (p. 7)',
  method: 'POST',
  body: 'json',
  wrapper: 'param',
  headers: [CT, KEY],
  absentHeaders: [{ name: 'Authorization', source: '003 API Get JSON Web Token: its Header Parameter table lists Content-Type and x-Gateway-APIKey only' }],
  fields: [systemId('API Get JSON Web Token (p. 7)', 100)],
  readings: {
    PERURI_ENVIRONMENT: {
      production: { path: '/jwt/1.0/getJsonWebToken/v1', source: 'public integrations (003 gives no URL)' },
      sandbox: { path: '/jwtSandbox/1.0/getJsonWebToken/v1', source: 'public integrations (003 gives no URL)' },
    },
  },
};

const reg = `${CERT} §2 API Registration (p. 10)`;
const registration = api('registration', reg, 'param', [
  { path: 'name', type: 'string', required: true, maxLength: 100, source: `003 ${reg}: name string 100 M` },
  { path: 'phone', type: 'string', required: true, maxLength: 50, source: `003 ${reg}: phone string 50 M` },
  email(reg),
  { path: 'password', type: 'string', required: false, maxLength: 255, source: `003 ${reg}: password string 255 O` },
  { path: 'type', type: 'string', required: true, maxLength: 50, values: ['INDIVIDUAL'], source: `003 ${reg}: type string 50 M "INDIVIDUAL"` },
  { path: 'ktp', type: 'string', required: true, maxLength: 16, pattern: /^\d{16}$/, source: `003 ${reg}: ktp string 16 M "Nomor KTP customer"` },
  { path: 'ktpPhoto', type: 'base64', required: true, source: `003 ${reg}: ktpPhoto string Base64 M` },
  { path: 'npwp', type: 'string', required: false, maxLength: 15, source: `003 ${reg}: npwp string 15 O` },
  { path: 'npwpPhoto', type: 'base64', required: false, source: `003 ${reg}: npwpPhoto string Base64 O` },
  { path: 'address', type: 'string', required: true, maxLength: 255, source: `003 ${reg}: address string 255 M` },
  { path: 'city', type: 'string', required: true, maxLength: 255, source: `003 ${reg}: city string 255 M` },
  { path: 'province', type: 'string', required: true, maxLength: 255, source: `003 ${reg}: province string 255 M` },
  {
    path: 'gender',
    type: 'string',
    required: true,
    maxLength: 1,
    values: ['M', 'F'],
    source: `003 ${reg}: gender string 1 M "M" = Laki-laki, "F" = Perempuan`,
  },
  { path: 'placeOfBirth', type: 'string', required: true, maxLength: 255, source: `003 ${reg}: placeOfBirth string 255 M` },
  {
    path: 'dateOfBirth',
    type: 'string',
    required: true,
    maxLength: 10,
    pattern: /^\d{2}\/\d{2}\/\d{4}$/,
    source: `003 ${reg}: dateOfBirth string 10 M (dd/mm/yyyy)`,
  },
  { path: 'orgUnit', type: 'string', required: false, maxLength: 255, source: `003 ${reg}: orgUnit string 255 O "kosongkan jika User merupakan Customer"` },
  { path: 'workUnit', type: 'string', required: false, maxLength: 255, source: `003 ${reg}: workUnit string 255 O` },
  { path: 'position', type: 'string', required: false, maxLength: 255, source: `003 ${reg}: position string 255 O` },
  systemId(reg),
]);

const act = `${CERT} §3 API Activation (p. 13)`;
const activation = api('activation', act, 'param', [email(act), systemId(act)]);
const video = `${CERT} §4 API Video Verification (p. 15)`;
const videoVerification = api('videoVerification', video, 'param', [
  email(video),
  { path: 'videoStream', type: 'base64', required: true, source: `003 ${video}: videoStream string Base64 M (tanpa MIME data)` },
  systemId(video),
]);
const spec = `${CERT} §5 API Send Speciment (p. 17)`;
const sendSpeciment = api('sendSpeciment', spec, 'param', [
  email(spec),
  { path: 'speciment', type: 'base64', required: true, source: `003 ${spec}: speciment string Base64 M (tanpa MIME data)` },
  systemId(spec),
]);
const cert = `${CERT} §6 API Check Certificate (p. 19)`;
const checkCertificate = api('checkCertificate', cert, 'param', [email(cert), systemId(cert)]);

const send = `${DS} §2 API Send Document (p. 26)`;
const sendDocument = api(
  'sendDocument',
  send,
  'param',
  [
    email(send),
    { path: 'payload', type: 'object', required: true, source: `003 ${send}: payload object M` },
    { path: 'payload.fileName', type: 'string', required: true, maxLength: 100, source: `003 ${send}: fileName string 100 M` },
    { path: 'payload.base64Document', type: 'base64', required: true, source: `003 ${send}: base64Document string Base64 M (tanpa MIME data)` },
    { path: 'payload.signer', type: 'array', required: false, source: `003 ${send}: signer a-object O "Array object penandatangan"` },
    ...placement('payload.signer[]', send, true),
    systemId(send),
  ],
  {
    readings: {
      ...paths('sendDocument'),
      PERURI_ORDER_TYPE_PLACEMENT: {
        param: {
          fields: [
            {
              path: 'orderType',
              type: 'string',
              required: false,
              values: ['SYSTEM'],
              source: `003 ${SYSTEM} §1 "ditambahkan parameter orderType = \\"SYSTEM\\""`,
            },
          ],
          source: 'beside email, payload, systemId',
        },
        payload: {
          fields: [{ path: 'payload.orderType', type: 'string', required: false, values: ['SYSTEM'], source: `003 ${SYSTEM} §1` }],
          source: 'inside payload',
        },
      },
    },
  },
);

const view = `${DS} §3 API View Document (p. 29)`;
const viewDocument = api('viewDocument', view, 'param', [orderId(view)]);
const otp = `${DS} §4 API Get OTP (p. 31)`;
const getOtp = api('getOtp', otp, 'param', [orderId(otp)]);
const sign = `${DS} §5 API Signing (p. 33)`;
const signing = api('signing', sign, 'requestSigning', [
  orderId(sign),
  { path: 'otpCode', type: 'string', required: true, maxLength: 6, source: `003 ${sign}: otpCode string 6 M "Kode OTP yang diterima customer"` },
  { path: 'token', type: 'string', required: true, maxLength: 32, source: `003 ${sign}: token string 32 M "Token yang berasal dari getOtp"` },
  { path: 'signer', type: 'array', required: false, source: `003 ${sign}: signer a-object O "(jika saat sendDocument tidak mengirim parameter signer)"` },
  // The Signing table lists no varReason (p. 34).
  ...placement('signer[]', sign, false),
]);
const status = `${DS} §6 API Check Document Status (p. 36)`;
const checkDocumentStatus = api('checkDocumentStatus', status, 'param', [orderId(status)]);
const download = `${DS} §7 API Download Document (p. 38)`;
const downloadDocument = api('downloadDocument', download, 'param', [orderId(download)]);

const tierSend = `${TIER} §2 API Send Document Tier (p. 42)`;
const sendDocumentTier = api('sendDocumentTier', tierSend, 'param', [
  { path: 'uploader', type: 'string', required: true, maxLength: 75, source: `003 ${tierSend}: uploader string 75 M "Email uploader dokumen"` },
  { path: 'payload', type: 'object', required: true, source: `003 ${tierSend}: payload object M` },
  { path: 'payload.fileName', type: 'string', required: true, maxLength: 100, source: `003 ${tierSend}: fileName string 100 M` },
  { path: 'payload.base64Document', type: 'base64', required: true, source: `003 ${tierSend}: base64Document string Base64 M` },
  { path: 'payload.signer', type: 'array', required: true, source: `003 ${tierSend}: signer a-object M "Array object penandatangan"` },
  { path: 'payload.signer[].email', type: 'string', required: true, maxLength: 75, source: `003 ${tierSend}: email string 75 M "Email penandatangan"` },
  systemId(tierSend),
]);
const tierSign = `${TIER} §3 API Signing Tier (p. 45)`;
const signingTier = api('signingTier', tierSign, 'requestSigning', [
  orderId(tierSign),
  { path: 'otpCode', type: 'string', required: true, maxLength: 6, source: `003 ${tierSign}: otpCode string 6 M` },
  { path: 'token', type: 'string', required: true, maxLength: 32, source: `003 ${tierSign}: token string 32 M` },
  { path: 'signer', type: 'array', required: true, source: `003 ${tierSign}: signer a-object M` },
  // Every placement field is M here, certificateLevel and varLocation included; no varReason.
  ...signer('signer[]', tierSign, true, false),
]);

const bulkSend = `${BULK} §2 API Send Document Bulk (p. 50)`;
const sendDocumentBulk = api('sendDocumentBulk', bulkSend, 'param', [
  email(bulkSend),
  { path: 'payload', type: 'object', required: true, source: `003 ${bulkSend}: payload object M` },
  { path: 'payload.file', type: 'array', required: true, source: `003 ${bulkSend}: File a-object M "Array object file pdf" (the example: "file")` },
  { path: 'payload.file[].fileName', type: 'string', required: true, maxLength: 100, source: `003 ${bulkSend}: fileName string 100 M` },
  { path: 'payload.file[].base64Document', type: 'base64', required: true, source: `003 ${bulkSend}: base64Document string Base64 M` },
  { path: 'payload.signer', type: 'array', required: false, source: `003 ${bulkSend}: signer a-object O` },
  ...placement('payload.signer[]', bulkSend, true),
  systemId(bulkSend),
]);

const setSig = `${BULK} §3 API Set Signature (p. 53)`;
const setSignature = api('setSignature', setSig, 'requestSetSignature', [orderId(setSig)], {
  readings: {
    ...paths('setSignature'),
    PERURI_SET_SIGNATURE_SIGNER: {
      array: {
        fields: [
          { path: 'signer', type: 'array', required: true, source: `003 ${setSig}: signer a-object M "Array object penandatangan"` },
          ...placement('signer[]', setSig, true),
        ],
        source: 'the input table',
      },
      object: {
        fields: [
          { path: 'signer', type: 'object', required: true, source: `003 ${setSig}: the example's "signer": { … } (p. 54)` },
          ...placement('signer', setSig, true),
        ],
        source: 'the example',
      },
    },
  },
});

const otpBulk = `${BULK} §4 API Get OTP Bulk (p. 56)`;
const getOtpBulk = api(
  'getOtpBulk',
  otpBulk,
  'requestGetOtpBulk',
  [
    {
      path: 'orderId',
      type: 'string',
      required: false,
      maxLength: 100,
      source: `003 ${otpBulk}: orderId string 100 M at the top of the table`,
      note: 'the example omits it and data[] carries every order: read as not required',
    },
    { path: 'data', type: 'array', required: true, source: `003 ${otpBulk}: data a-object M "Array object dari orderld masing-masing dokumen"` },
    systemId(otpBulk),
  ],
  {
    readings: {
      ...paths('getOtpBulk'),
      PERURI_BULK_OTP_ORDER_ID_TYPE: {
        string: {
          fields: [{ path: 'data[].orderId', type: 'string', required: true, maxLength: 100, source: `003 ${otpBulk}: orderId string 100 M` }],
          source: 'the input table',
        },
        number: {
          fields: [{ path: 'data[].orderId', type: 'integer', required: true, source: `003 ${otpBulk}: the example { "orderId": 3845 }` }],
          source: 'the example',
        },
      },
    },
  },
);

const signBulk = `${BULK} §5 API Signing Bulk (p. 58)`;
const signingBulk = api('signingBulk', signBulk, 'requestSigning', [
  { path: 'orderIdBulk', type: 'string', required: true, maxLength: 100, source: `003 ${signBulk}: orderldBulk string 100 M (the example: orderIdBulk)` },
  { path: 'otpCodeBulk', type: 'string', required: true, maxLength: 6, source: `003 ${signBulk}: otpCodeBulk string 6 M` },
  { path: 'tokenBulk', type: 'string', required: true, maxLength: 32, source: `003 ${signBulk}: tokenBulk string 32 M` },
]);

const key = `${SYSTEM} §2 API Set Key (p. 61)`;
const setKey = api('setKey', key, 'param', [
  { path: 'key', type: 'string', required: true, maxLength: 100, source: `003 ${key}: key string 100 M "Hashing key yang diinginkan"` },
  {
    path: 'minutes',
    type: 'string',
    required: true,
    maxLength: 100,
    pattern: /^\d+$/,
    source: `003 ${key}: minutes string 100 M; the example "minutes": "30"`,
  },
  systemId(key),
]);

const sys = `${SYSTEM} §4 API Signing System (p. 65)`;
const signingSystem = api('signingSystem', sys, 'param', [
  { path: 'data', type: 'array', required: true, source: `003 ${sys}: data a-object M` },
  {
    path: 'data[].orderId',
    type: 'string',
    required: true,
    maxLength: 100,
    source: `003 ${sys}: orderld string 100 M (the example's first entry: "orderId"; entries 2–3 print "orderid")`,
  },
  {
    path: 'session',
    type: 'string',
    required: true,
    maxLength: 64,
    pattern: /^[0-9a-f]{64}$/,
    source: `003 ${SYSTEM} §3 Generate Parameter Session (HMAC-SHA256, lowercase hex, p. 64) and ${sys}: session string 64 M (the example prints "Session")`,
  },
  systemId(sys),
]);

export const PERURI_CONTRACTS: readonly Operation[] = [
  getJwt,
  registration,
  activation,
  videoVerification,
  sendSpeciment,
  checkCertificate,
  sendDocument,
  viewDocument,
  getOtp,
  signing,
  checkDocumentStatus,
  downloadDocument,
  sendDocumentTier,
  signingTier,
  sendDocumentBulk,
  setSignature,
  getOtpBulk,
  signingBulk,
  setKey,
  signingSystem,
];
