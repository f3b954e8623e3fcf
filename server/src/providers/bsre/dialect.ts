// BSrE's documented ambiguities that change what goes on the wire (providers/dialects.ts explains the rule):
// one switch each, with its variable, default and the seed evidence for both readings.
import type { DialectSwitch } from '../shared/dialect.js';

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

export const DEFAULT_BSRE_DIALECT: Readonly<BsreDialect> = Object.freeze({
  signOtpField: 'totp',
  sealTotpDataType: 'string',
  v1UserStatusPath: '/api/user/status/{nik}',
});
export const DEFAULT_BSRE_CLOUD_DIALECT: Readonly<BsreCloudDialect> = Object.freeze({ tokenPlacement: 'header' });

export const BSRE_DIALECT_SWITCHES: readonly DialectSwitch[] = [
  {
    variable: 'BSRE_SIGN_OTP_FIELD',
    provider: 'bsre',
    setting: 'signOtpField',
    kind: 'enum',
    values: ['totp', 'otp'],
    default: 'totp',
    evidence:
      'seed 002 §6.2 (API Sign v2): the request schema `"totp": ""` and field 15 "Totp … diperlukan setiap akan melakukan pembubuhan tanda tangan elektronik"',
    alternative: '`otp`: seed 002 §6.2 examples c and d send `"otp": "{{otp}}"` (hand-written, not valid JSON)',
  },
  {
    variable: 'BSRE_SEAL_TOTP_DATA_TYPE',
    provider: 'bsre',
    setting: 'sealTotpDataType',
    kind: 'enum',
    values: ['string', 'number'],
    default: 'string',
    // The rule (providers/dialects.ts): the request schema wins. §6.5's body stands where §6.2's schema stands
    // ("Request Body — Tipe JSON"; §6.2's worked examples come later, under "Contoh"), §6.5 has no example
    // besides it, and its parameter list explains that body ("Berdasarkan parameter yang terdapat pada tabel di
    // atas") without a type column: "(dengan angka)" says the count is written in digits, "2" not "dua". §6.3's
    // `"data": 0` is another endpoint's schema (Request Sign TOTP).
    evidence:
      'seed 002 §6.5 (Request Seal OTP), the request schema ("Request Body — Tipe JSON", where §6.2 puts its schema; no other body is printed): `"data": "2"`; the parameter list explains that body ("parameter yang terdapat pada tabel di atas") with no type, and "2 (dengan angka)" reads as digits',
    alternative:
      '`number`: §6.5 field 2 "data dapat diisi 2 (dengan angka)" read as a JSON number, as §6.3 (Request Sign TOTP, another endpoint) sends `"data": 0`',
  },
  {
    variable: 'BSRE_V1_USER_STATUS_PATH',
    provider: 'bsre',
    setting: 'v1UserStatusPath',
    kind: 'path',
    default: '/api/user/status/{nik}',
    evidence:
      'seed 001 §III.C (API Cek Status): the NIK goes in the URL, whose path is shown only in a screenshot; the default is the path public integrations use',
    alternative: 'the path your Esign Client shows in its Postman collection, `{nik}` where the NIK goes (GET, Basic auth)',
  },
  {
    variable: 'BSRE_CLOUD_TOKEN_PLACEMENT',
    provider: 'bsreCloud',
    setting: 'tokenPlacement',
    kind: 'enum',
    values: ['header', 'query'],
    default: 'header',
    evidence:
      'seed 000 GET_ACCESS_TOKEN: the answer is `"token_type": "bearer"` (presented as `Authorization: Bearer`, RFC 6750 §2.1); the slides do not say how',
    alternative: '`query`: `access_token` in the query string (RFC 6750 §2.3), where seed 000 puts every other parameter',
  },
];

/** `{nik}` exactly once, in a path of plain URL characters. */
export const V1_STATUS_PATH = /^\/[A-Za-z0-9._~\-/]*\{nik\}[A-Za-z0-9._~\-/]*$/;
