// The provider documents disagree with themselves in ten places that change what goes on the wire. Each is
// a deployment setting ("dialect"): one record per switch, with its variable, the adapter setting it fills,
// its values, the default and the seed evidence for it, and the other reading. config.ts validates the
// variables with these records, providers/index.ts hands the values to the adapters, the sandbox
// simulators accept exactly the dialect selected (server/src/sandbox/README.md), and docs/configuration.md
// lists them (server/test/adapters/dialects.test.ts keeps it in step).
//
// The rule for the defaults: where a field table or request schema and a worked example disagree, the
// table wins (issue #14: BSrE v2 sends `totp`, as its schema, not `otp`, as two hand-written examples).

export type DialectProvider = 'bsre' | 'bsreCloud' | 'peruri' | 'digisign';

export interface BsreDialect {
  /** v2 Sign PDF: the key of the signing TOTP. */
  signOtpField: 'totp' | 'otp';
  /** v2 Request Seal OTP: the JSON type of `data` (the number of files). */
  sealTotpDataType: 'number' | 'string';
  /** v1 user status: the path, `{nik}` where the NIK goes (method GET). */
  v1UserStatusPath: string;
}

export interface BsreCloudDialect {
  /** How the OAuth token is presented on the entity calls. */
  tokenPlacement: 'header' | 'query';
}

export interface PeruriDialect {
  /** Get OTP Bulk `data[].orderId`: a JSON string or a JSON number. */
  bulkOtpOrderIdType: 'string' | 'number';
  /** Set Signature `signer`: an array of one placement or the placement object. */
  setSignatureSigner: 'array' | 'object';
  /** Send Document `orderType: "SYSTEM"`: beside `email`/`payload`, or inside `payload`. */
  orderTypePlacement: 'param' | 'payload';
}

export interface DigisignDialect {
  /** Send Document: the key of the e-meterai boxes. */
  meteraiField: 'meterai_positions' | 'meterai-positions';
  /** Register `jenis_kelamin`: `Laki-laki`/`Perempuan` or `laki-laki`/`perempuan`. */
  genderCase: 'capitalized' | 'lower';
  /** Change e-mail/phone: the full URL; undefined means `<DIGISIGN_URL>/UPDATE-EP.html`. */
  changeContactUrl: string | undefined;
}

export interface Dialects {
  bsre: BsreDialect;
  bsreCloud: BsreCloudDialect;
  peruri: PeruriDialect;
  digisign: DigisignDialect;
}

export const DEFAULT_DIALECTS: Readonly<Dialects> = Object.freeze({
  bsre: Object.freeze({ signOtpField: 'totp', sealTotpDataType: 'number', v1UserStatusPath: '/api/user/status/{nik}' }),
  bsreCloud: Object.freeze({ tokenPlacement: 'header' }),
  peruri: Object.freeze({ bulkOtpOrderIdType: 'string', setSignatureSigner: 'array', orderTypePlacement: 'param' }),
  digisign: Object.freeze({ meteraiField: 'meterai_positions', genderCase: 'capitalized', changeContactUrl: undefined }),
}) as Dialects;

export interface DialectSwitch {
  /** The configuration variable (environment or ESIGN_CONFIG file). */
  variable: string;
  provider: DialectProvider;
  /** The key of the provider's dialect (and of its adapter settings). */
  setting: string;
  /** `enum`: one of `values`; `path`: a URL path holding `{nik}`; `url`: an http(s) URL. */
  kind: 'enum' | 'path' | 'url';
  values?: readonly string[];
  /** The default as the documentation shows it. */
  default: string;
  /** Where the default comes from (document and section of ../shared/seeds/). */
  evidence: string;
  /** The other reading, and where it comes from. */
  alternative: string;
}

export const DIALECT_SWITCHES: readonly DialectSwitch[] = [
  {
    variable: 'BSRE_SIGN_OTP_FIELD',
    provider: 'bsre',
    setting: 'signOtpField',
    kind: 'enum',
    values: ['totp', 'otp'],
    default: 'totp',
    evidence: 'seed 002 §6.2 (API Sign v2): the request schema `"totp": ""` and field 15 "Totp … diperlukan setiap akan melakukan pembubuhan tanda tangan elektronik"',
    alternative: '`otp`: seed 002 §6.2 examples c and d send `"otp": "{{otp}}"` (hand-written, not valid JSON)',
  },
  {
    variable: 'BSRE_SEAL_TOTP_DATA_TYPE',
    provider: 'bsre',
    setting: 'sealTotpDataType',
    kind: 'enum',
    values: ['number', 'string'],
    default: 'number',
    evidence: 'seed 002 §6.5 (Request Seal OTP) field 2 "Data": "data dapat diisi 2 (dengan angka)"; the same field of §6.3 is `"data": 0`',
    alternative: '`string`: the request body printed in seed 002 §6.5 sends `"data": "2"`',
  },
  {
    variable: 'BSRE_V1_USER_STATUS_PATH',
    provider: 'bsre',
    setting: 'v1UserStatusPath',
    kind: 'path',
    default: '/api/user/status/{nik}',
    evidence: 'seed 001 §III.C (API Cek Status): the NIK goes in the URL, whose path is shown only in a screenshot; the default is the path public integrations use',
    alternative: 'the path your Esign Client shows in its Postman collection, `{nik}` where the NIK goes (GET, Basic auth)',
  },
  {
    variable: 'BSRE_CLOUD_TOKEN_PLACEMENT',
    provider: 'bsreCloud',
    setting: 'tokenPlacement',
    kind: 'enum',
    values: ['header', 'query'],
    default: 'header',
    evidence: 'seed 000 GET_ACCESS_TOKEN: the answer is `"token_type": "bearer"` (presented as `Authorization: Bearer`, RFC 6750 §2.1); the slides do not say how',
    alternative: '`query`: `access_token` in the query string (RFC 6750 §2.3), where seed 000 puts every other parameter',
  },
  {
    variable: 'PERURI_BULK_OTP_ORDER_ID_TYPE',
    provider: 'peruri',
    setting: 'bulkOtpOrderIdType',
    kind: 'enum',
    values: ['string', 'number'],
    default: 'string',
    evidence: 'seed 003 Mekanisme Digital Signature (Bulk) §4 API Get OTP Bulk, input table: `orderId string 100 M` (p. 56)',
    alternative: '`number`: the example of the same section sends `{"orderId": 3845}` (digit-only ids only)',
  },
  {
    variable: 'PERURI_SET_SIGNATURE_SIGNER',
    provider: 'peruri',
    setting: 'setSignatureSigner',
    kind: 'enum',
    values: ['array', 'object'],
    default: 'array',
    evidence: 'seed 003 Mekanisme Digital Signature (Bulk) §3 API Set Signature, input table: `signer a-object ~ M Array object penandatangan` (p. 53)',
    alternative: '`object`: the example of the same section sends `"signer": { "isVisualSign": "YES", … }` (p. 54)',
  },
  {
    variable: 'PERURI_ORDER_TYPE_PLACEMENT',
    provider: 'peruri',
    setting: 'orderTypePlacement',
    kind: 'enum',
    values: ['param', 'payload'],
    default: 'param',
    evidence: 'seed 003 Mekanisme Digital Signature (Signing System) §1: Send Document "ditambahkan parameter orderType = "SYSTEM"" — a parameter beside Send Document\'s own `email`, `payload`, `systemId` (Mekanisme Digital Signature §2)',
    alternative: '`payload`: inside `payload`, beside `fileName` and `base64Document`; the document names no position',
  },
  {
    variable: 'DIGISIGN_METERAI_FIELD',
    provider: 'digisign',
    setting: 'meteraiField',
    kind: 'enum',
    values: ['meterai_positions', 'meterai-positions'],
    default: 'meterai_positions',
    evidence: 'seed 004 API Send Document (p. 14), Json Field table: `meterai_positions (optional) Array[json string] List of e-meterai locations`',
    alternative: '`meterai-positions`: both examples and the request log of seed 004 API Send Document with e-Meterai (p. 18)',
  },
  {
    variable: 'DIGISIGN_GENDER_CASE',
    provider: 'digisign',
    setting: 'genderCase',
    kind: 'enum',
    values: ['capitalized', 'lower'],
    default: 'capitalized',
    evidence: 'seed 004 API Register (p. 8), Json Field table: `jenis_kelamin` "You must input : Laki-laki for male Perempuan for female"',
    alternative: '`lower`: the example of the same section sends `"jenis_kelamin": "laki-laki"`',
  },
  {
    variable: 'DIGISIGN_CHANGE_CONTACT_URL',
    provider: 'digisign',
    setting: 'changeContactUrl',
    kind: 'url',
    default: '<DIGISIGN_URL>/UPDATE-EP.html',
    evidence: 'seed 004: every other endpoint (API Register, Activation, Send Document, Sign Document, Download) is on `api.tandatanganku.com`',
    alternative: '`https://api.tandatangan.com/UPDATE-EP.html`, as seed 004 API Change Email or No Handphone (p. 32) prints it (another domain)',
  },
];

/** `{nik}` exactly once, in a path of plain URL characters. */
export const V1_STATUS_PATH = /^\/[A-Za-z0-9._~\-/]*\{nik\}[A-Za-z0-9._~\-/]*$/;
