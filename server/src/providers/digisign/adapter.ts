// Digisign API EXT-AT 3.0.4 (digisign.md). Every call is a multipart POST to an `.html` endpoint with
// `Authorization: Bearer <token>`; the JSON goes in the field `jsonfield` as the string
// `{"JSONFile":{…}}`, files in `fotoktp`, `fotodiri`, `ttd`, `file` (§1.1). Answers come back wrapped in
// `JSONFile` with a 2-character `result` ("00" = success, §10), except Download PDF (raw bytes).
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { ProfileOverrides } from '@esign-kit/core';
import {
  decodeText,
  fromBase64,
  isBase64,
  isJpeg,
  isPng,
  isRecord,
  mediaType,
  optionalString,
  optionalStringField,
  requireBytes,
  requireIsoDate,
  requireEmail,
  requireNik,
  requirePdf,
  requireString,
} from '../shared/check.js';
import { convertBoxes, type Placement } from '../shared/coordinates.js';
import { DEFAULT_DIALECTS, type DigisignDialect } from '../dialects.js';
import { badResponse, httpError, invalid, ProviderError, type ProviderErrorCode } from '../shared/errors.js';
import { call, type SendOptions } from '../shared/transport.js';
import type { MultipartFile, ProviderRequest } from '../shared/types.js';

export const DIGISIGN_OPERATIONS = ['register', 'activation', 'sendDocument', 'signPage', 'downloadPdf', 'downloadBase64', 'changeContact'] as const;
export type DigisignOperation = (typeof DIGISIGN_OPERATIONS)[number];

export interface DigisignSettings {
  /** Default `https://api.tandatanganku.com` (§1.4; no UAT URL is documented, gap 18). */
  baseUrl?: string;
  /**
   * Change e-mail/phone. Seed 004 prints `https://api.tandatangan.com/UPDATE-EP.html`, another domain than
   * every other endpoint: default `<baseUrl>/UPDATE-EP.html`, a deployment may set it (DIGISIGN_CHANGE_CONTACT_URL).
   */
  changeContactUrl?: string | undefined;
  /** The Bearer token Digisign issues to the partner (how is not documented, gap 1). */
  token: string;
  /** The partner admin e-mail registered at Digisign: `userid` in every request. */
  userid: string;
  /** The 16-character AES key of the redirects (§7). */
  aesKey?: string;
  /** The e-meterai key: `meterai_positions` in the table, `meterai-positions` in the examples (seed 004). Default the table's. */
  meteraiField?: DigisignDialect['meteraiField'];
  /** `jenis_kelamin`: the table writes `Laki-laki`, the example `laki-laki` (seed 004 API Register). Default `capitalized`. */
  genderCase?: DigisignDialect['genderCase'];
  /** Deployment overrides of the `digisign` coordinate profile. */
  profile?: ProfileOverrides;
  /** Client timeouts (§1.2): register and send document ≥ 95 s, every other call 30 s. */
  timeouts?: Partial<Record<DigisignOperation, number>>;
}

export const DIGISIGN_TIMEOUTS: Record<DigisignOperation, number> = {
  register: 95_000,
  activation: 30_000,
  sendDocument: 95_000,
  signPage: 30_000,
  downloadPdf: 30_000,
  downloadBase64: 30_000,
  changeContact: 30_000,
};

const PATHS: Record<DigisignOperation, string> = {
  register: '/REG-MITRA.html',
  activation: '/gen/genACTPage.html',
  sendDocument: '/SendDocMitraAT.html',
  signPage: '/gen/genSignPage.html',
  downloadPdf: '/DWMITRA.html',
  downloadBase64: '/DWMITRA64.html',
  changeContact: '/UPDATE-EP.html',
};

const IDEMPOTENT = new Set<DigisignOperation>(['activation', 'signPage', 'downloadPdf', 'downloadBase64']);

function digisignUrl(operation: DigisignOperation, settings: DigisignSettings): string {
  if (operation === 'changeContact' && settings.changeContactUrl) return settings.changeContactUrl;
  return (settings.baseUrl ?? 'https://api.tandatanganku.com').replace(/\/+$/, '') + PATHS[operation];
}

function digisignRequest(operation: DigisignOperation, jsonFile: Record<string, unknown>, settings: DigisignSettings, files: MultipartFile[] = []): ProviderRequest {
  const token = requireString(settings.token, 'settings.token');
  return {
    provider: 'digisign',
    operation: `digisign.${operation}`,
    method: 'POST',
    url: digisignUrl(operation, settings),
    // Content-Type multipart/form-data is written by the transport together with its boundary.
    headers: { Authorization: `Bearer ${token}` },
    body: { kind: 'multipart', fields: { jsonfield: JSON.stringify({ JSONFile: jsonFile }) }, files },
    idempotent: IDEMPOTENT.has(operation),
    timeoutMs: settings.timeouts?.[operation] ?? DIGISIGN_TIMEOUTS[operation],
  };
}

const userid = (settings: DigisignSettings) => requireEmail(settings.userid, 'settings.userid', 80);
const documentId = (value: unknown) => requireString(value, 'documentId', 20);

// ---------------------------------------------------------------------------------------------------
// §2 Register

export interface DigisignRegisterInput {
  name: string;
  /** `0812…`, `+62812…` or `62812…` (§2.2, result 28 otherwise). */
  phone: string;
  /** ISO `yyyy-mm-dd`; sent as `dd-MM-yyyy`. */
  birthDate: string;
  nik: string;
  placeOfBirth: string;
  email: string;
  gender: 'male' | 'female';
  province?: string;
  /** `kota`: in the example, not in the table (gap 7). */
  city?: string;
  /** Redirect to the partner page after activation (§2.2). */
  redirect?: boolean;
  /** KTP photo, JPEG or PNG, ≤ 4 MB. */
  ktpPhoto: Uint8Array;
  /** Live selfie, JPEG, ≤ 500 KB (§2.1; results 12 "Size foto selfie maksimal 500KB" / "harus JPEG"). */
  selfie: Uint8Array;
  /** Handwritten signature, PNG with white or transparent background, ≤ 4 MB. */
  specimen?: Uint8Array;
}

const MB4 = 4 * 1024 * 1024;
export const DIGISIGN_SELFIE_MAX_BYTES = 500 * 1024;

export function buildDigisignRegisterRequest(input: DigisignRegisterInput, settings: DigisignSettings): ProviderRequest {
  const name = requireString(input.name, 'name', 80);
  if (!/^[\p{L}\p{M} .,]+$/u.test(name)) invalid('name', 'name may only contain letters, spaces, "." and ",".');
  const phone = requireString(input.phone, 'phone', 15);
  if (!/^(\+62|62|08)\d+$/.test(phone) || phone.length < 8) invalid('phone', 'phone must start with 08, 62 or +62 and have at least 8 characters.');
  const [y, m, d] = requireIsoDate(input.birthDate, 'birthDate');
  if (input.gender !== 'male' && input.gender !== 'female') invalid('gender', 'gender must be "male" or "female".');
  const capital = (settings.genderCase ?? DEFAULT_DIALECTS.digisign.genderCase) === 'capitalized';
  const gender = input.gender === 'male' ? (capital ? 'Laki-laki' : 'laki-laki') : capital ? 'Perempuan' : 'perempuan';
  const ktp = requireBytes(input.ktpPhoto, 'ktpPhoto');
  if (ktp.byteLength > MB4) invalid('ktpPhoto', 'ktpPhoto must be at most 4 MB.');
  if (!isJpeg(ktp) && !isPng(ktp)) invalid('ktpPhoto', 'ktpPhoto must be a JPEG or PNG image.');
  const selfie = requireBytes(input.selfie, 'selfie');
  if (!isJpeg(selfie)) invalid('selfie', 'selfie must be a JPEG image.');
  if (selfie.byteLength > DIGISIGN_SELFIE_MAX_BYTES) invalid('selfie', 'selfie must be at most 500 KB.');
  const province = optionalString(input.province, 'province');
  const city = optionalString(input.city, 'city');
  const json: Record<string, unknown> = {
    userid: userid(settings),
    jenis_kelamin: gender,
    ...(province !== undefined ? { provinsi: province } : {}),
    ...(city !== undefined ? { kota: city } : {}),
    nama: name,
    tlp: phone,
    tgl_lahir: `${d}-${m}-${y}`,
    idktp: requireNik(input.nik, 'nik'),
    tmp_lahir: requireString(input.placeOfBirth, 'placeOfBirth', 30),
    email: requireEmail(input.email, 'email', 80),
    redirect: input.redirect ?? false,
  };
  const files: MultipartFile[] = [
    { field: 'fotoktp', filename: isPng(ktp) ? 'ktp.png' : 'ktp.jpg', contentType: isPng(ktp) ? 'image/png' : 'image/jpeg', data: ktp },
    { field: 'fotodiri', filename: 'selfie.jpg', contentType: 'image/jpeg', data: selfie },
  ];
  if (input.specimen !== undefined) {
    const ttd = requireBytes(input.specimen, 'specimen');
    if (!isPng(ttd)) invalid('specimen', 'specimen must be a PNG image.');
    if (ttd.byteLength > MB4) invalid('specimen', 'specimen must be at most 4 MB.');
    files.push({ field: 'ttd', filename: 'ttd.png', contentType: 'image/png', data: ttd });
  }
  return digisignRequest('register', json, settings, files);
}

// §3 Activation link
export function buildDigisignActivationRequest(input: { email: string }, settings: DigisignSettings): ProviderRequest {
  return digisignRequest('activation', { userid: userid(settings), email_user: requireEmail(input.email, 'email', 80) }, settings);
}

// ---------------------------------------------------------------------------------------------------
// §5 Send document

export interface DigisignSigner {
  name: string;
  email: string;
  /** `ttd1`, `ttd2`… (signature) or `prf1`… (initials). Default `ttd<n>` by position. */
  user?: string;
  /** Default true. */
  visible?: boolean;
  /** Index into `placement.boxes` of this signer's box. Default: the signer's own position. */
  box?: number;
}

export interface DigisignSendDocumentInput {
  documentId: string;
  pdf: Uint8Array;
  fileName?: string;
  signers: readonly DigisignSigner[];
  /** One box per signer (see `DigisignSigner.box`), in the neutral model. */
  placement: Placement;
  /** Users who may only view (`send-to`). */
  viewers?: readonly { name: string; email: string }[];
  /** `true`: signers sign in list order; each `req-sign` item then gets `signing_seq` 1, 2… */
  sequential?: boolean;
  /** `"2"` pay per signature; `"3"` (default) paid by the owner per document. */
  payment?: '2' | '3';
  branch?: string;
  /** e-meterai boxes and the stamp-duty document class (§5.5). */
  meterai?: { boxes: Placement['boxes']; documentType: '2' | '3' | '4a' | '4b' };
}

export function buildDigisignSendDocumentRequest(input: DigisignSendDocumentInput, settings: DigisignSettings): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  if (!Array.isArray(input.signers) || input.signers.length === 0) invalid('signers', 'signers must list at least one signer (req-sign).');
  if (input.payment !== undefined && input.payment !== '2' && input.payment !== '3') invalid('payment', 'payment must be "2" or "3".');
  const placement = input.placement;
  if (!placement || !Array.isArray(placement.boxes)) invalid('placement', 'placement is required.');
  const meterai = input.meterai;
  if (meterai !== undefined) {
    if (!['2', '3', '4a', '4b'].includes(meterai.documentType)) invalid('meterai.documentType', 'meterai.documentType must be "2", "3", "4a" or "4b".');
    if (!Array.isArray(meterai.boxes) || meterai.boxes.length === 0) invalid('meterai.boxes', 'meterai.boxes must hold at least one box.');
  }
  // Signature and meterai boxes go through the core together: Digisign rejects any overlap (result 03),
  // and the `digisign` profile checks exactly that before we spend a call.
  const allBoxes = [...placement.boxes, ...(meterai?.boxes ?? [])];
  const converted = convertBoxes('digisign', { ...placement, boxes: allBoxes }, settings.profile, 'placement');
  const signatureFields = converted.slice(0, placement.boxes.length);
  const meteraiFields = converted.slice(placement.boxes.length);
  const used = new Set<number>();
  const reqSign = input.signers.map((s, i) => {
    const field = `signers[${i}]`;
    const user = s.user ?? `ttd${i + 1}`;
    if (!/^(ttd|prf)\d*$/i.test(user)) invalid(`${field}.user`, `${field}.user must be ttd<n> or prf<n>.`);
    const boxIndex = s.box ?? i;
    const f = signatureFields[boxIndex];
    if (!f) invalid(`${field}.box`, `${field} has no box in placement.boxes (index ${boxIndex}).`);
    used.add(boxIndex);
    return {
      name: requireString(s.name, `${field}.name`, 80),
      email: requireEmail(s.email, `${field}.email`, 80),
      user,
      page: f.page,
      llx: f.llx,
      lly: f.lly,
      urx: f.urx,
      ury: f.ury,
      visible: s.visible === false ? '0' : '1',
      // §5.2 lists `signing_seq` (int) under req-sign; sent only when the order matters (gap 4).
      ...(input.sequential ? { signing_seq: i + 1 } : {}),
    };
  });
  if (used.size !== signatureFields.length) invalid('placement.boxes', 'every signature box must belong to a signer.');
  const branch = optionalString(input.branch, 'branch');
  const json: Record<string, unknown> = {
    userid: userid(settings),
    document_id: documentId(input.documentId),
    payment: input.payment ?? '3',
    redirect: true, // must be true (§5.2); missing gives result 08
    ...(branch !== undefined ? { branch } : {}),
    sequence_option: input.sequential ?? false,
    ...(input.viewers && input.viewers.length
      ? { 'send-to': input.viewers.map((v, i) => ({ name: requireString(v.name, `viewers[${i}].name`, 80), email: requireEmail(v.email, `viewers[${i}].email`, 80) })) }
      : {}),
    'req-sign': reqSign,
  };
  if (meterai) {
    json[settings.meteraiField ?? DEFAULT_DIALECTS.digisign.meteraiField] = meteraiFields.map((f) => ({ llx: f.llx, lly: f.lly, urx: f.urx, ury: f.ury, page: f.page }));
    json.document_type = meterai.documentType;
  }
  const name = optionalString(input.fileName, 'fileName') ?? `${input.documentId}.pdf`;
  return digisignRequest('sendDocument', json, settings, [{ field: 'file', filename: name, contentType: 'application/pdf', data: pdf }]);
}

// §6 Sign page link
export function buildDigisignSignPageRequest(input: { documentId: string; email: string; viewOnly?: boolean }, settings: DigisignSettings): ProviderRequest {
  return digisignRequest(
    'signPage',
    { userid: userid(settings), email_user: requireEmail(input.email, 'email', 80), document_id: documentId(input.documentId), view_only: input.viewOnly ?? false },
    settings,
  );
}

// §8 Downloads
export function buildDigisignDownloadPdfRequest(input: { documentId: string }, settings: DigisignSettings): ProviderRequest {
  return digisignRequest('downloadPdf', { userid: userid(settings), document_id: documentId(input.documentId) }, settings);
}

export function buildDigisignDownloadBase64Request(input: { documentId: string }, settings: DigisignSettings): ProviderRequest {
  return digisignRequest('downloadBase64', { userid: userid(settings), document_id: documentId(input.documentId) }, settings);
}

// §9 Change e-mail or phone (users not yet activated only). Unchanged values are repeated, as in the example.
export interface DigisignChangeContactInput {
  oldEmail: string;
  newEmail: string;
  oldPhone: string;
  newPhone: string;
}

export function buildDigisignChangeContactRequest(input: DigisignChangeContactInput, settings: DigisignSettings): ProviderRequest {
  const phone = (v: unknown, f: string) => {
    const p = requireString(v, f, 15);
    if (!/^(\+62|62|08)\d+$/.test(p) || p.length < 8) invalid(f, `${f} must start with 08, 62 or +62 and have at least 8 characters.`);
    return p;
  };
  return digisignRequest(
    'changeContact',
    {
      userid: userid(settings),
      email_lama: requireEmail(input.oldEmail, 'oldEmail', 80),
      email_baru: requireEmail(input.newEmail, 'newEmail', 80),
      nohp_lama: phone(input.oldPhone, 'oldPhone'),
      nohp_baru: phone(input.newPhone, 'newPhone'),
    },
    settings,
  );
}

// ---------------------------------------------------------------------------------------------------
// Parsing

/** A Digisign answer after unwrapping: `result` (also read from `res`, §10.7 row 6) and the other fields. */
export interface DigisignResult {
  result: string;
  notif: string | undefined;
  info: string | undefined;
  fields: Record<string, unknown>;
}

/**
 * Digisign's JSON is not always JSON (gap 9): raw backslashes in `notif` (`NIK\Nama`), an extra `}`, a
 * missing `JSONFile` wrapper (the `91` example). Repairs only those, in that order.
 */
export function parseLenientJson(text: string): unknown {
  const attempts = [
    text,
    // A serializer that left `NIK\Nama\tanggal` unescaped escaped no backslash at all: keep them literal.
    text.replace(/\\(?!["/])/g, '\\\\'),
  ];
  for (const t of attempts) {
    for (let trimmed = t.trim(), n = 0; n < 3; n++) {
      try {
        return JSON.parse(trimmed);
      } catch {
        if (!trimmed.endsWith('}}')) break;
        trimmed = trimmed.slice(0, -1);
      }
    }
  }
  throw new SyntaxError('not JSON');
}

const TEXTUAL = new Set(['application/json', 'text/plain', 'text/html', 'text/json', '']);

export function readDigisignResult(operation: DigisignOperation, status: number, headers: Headers, body: Uint8Array): DigisignResult {
  const op = `digisign.${operation}`;
  if (status !== 200) throw httpError('digisign', op, status);
  // The `.html` endpoints answer a JSON string; some gateways label it text/html.
  const type = mediaType(headers);
  if (!TEXTUAL.has(type)) throw badResponse('digisign', op, `content type is "${type}", expected JSON text`);
  const text = decodeText(body).trim();
  if (text === '$trxjson') {
    // §10.5 row 1: the unexpanded placeholder means "incomplete parameters" — our request, not the caller's.
    throw new ProviderError({ code: 'provider-rejected', provider: 'digisign', operation: op, providerMessage: text, message: `Digisign found the ${operation} request incomplete.`, httpStatus: 502, retryable: false });
  }
  let value: unknown;
  try {
    value = parseLenientJson(text);
  } catch (cause) {
    throw badResponse('digisign', op, 'the body is not JSON', cause);
  }
  const obj = isRecord(value) && isRecord(value.JSONFile) ? value.JSONFile : value;
  if (!isRecord(obj)) throw badResponse('digisign', op, 'the body is not a JSON object');
  const raw = obj.result ?? obj.res;
  const result = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw).padStart(2, '0') : undefined;
  if (!result) throw badResponse('digisign', op, 'the result code is missing');
  return { result, notif: optionalStringField(obj, 'notif'), info: optionalStringField(obj, 'info'), fields: obj };
}

interface Mapping {
  code: ProviderErrorCode;
  httpStatus: number;
  message: string;
  retryAfterMs?: number | undefined;
  details?: Record<string, unknown> | undefined;
}

const m = (code: ProviderErrorCode, httpStatus: number, message: string, extra: Partial<Mapping> = {}): Mapping => ({ code, httpStatus, message, ...extra });
const has = (text: string | undefined, needle: string) => (text ?? '').toLowerCase().includes(needle.toLowerCase());

function verificationDetails(r: DigisignResult): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (r.fields.data !== undefined) d.verification = r.fields.data;
  if (r.info !== undefined) d.info = r.info;
  const ref = optionalStringField(r.fields, 'refTrx');
  if (ref !== undefined) d.refTrx = ref;
  return d;
}

/** The documented meaning of a non-"00" result for one operation (§10), or undefined if undocumented. */
function mapFailure(operation: DigisignOperation, r: DigisignResult): Mapping | undefined {
  const { result, notif, info } = r;
  // §10.1, §10.8: codes with one meaning on every API.
  switch (result) {
    case '55':
      return m('provider-auth-failed', 502, 'Digisign refused the partner token or userid (check the server configuration).');
    case '91':
      // "system timeout, silahkan coba kembali 10 menit kemudian": retry later, not now.
      return m('provider-busy', 504, 'Digisign timed out internally; try again in about 10 minutes.', { retryAfterMs: 10 * 60_000 });
    case '61':
      return m('insufficient-balance', 502, 'The partner balance at Digisign is insufficient.');
  }
  switch (operation) {
    case 'register':
      switch (result) {
        case 'FE':
          if (has(notif, 'email')) return m('invalid-email', 422, 'Digisign rejected the e-mail format.');
          if (has(notif, 'nik')) return m('invalid-nik', 422, 'Digisign rejected the NIK format.');
          return m('invalid-input', 422, 'Digisign rejected the format of the registration data.');
        case '28':
          return m('invalid-input', 422, 'Digisign found the registration data incomplete or invalid.', { details: verificationDetails(r) });
        case '12':
          if (typeof r.fields.data === 'string' && has(r.fields.data, 'saldo')) {
            return m('verification-balance-exhausted', 502, 'The partner verification balance at Digisign is exhausted.', { details: verificationDetails(r) });
          }
          if (has(info, 'selfie maksimal') || has(info, 'format foto selfie')) return m('selfie-rejected', 422, 'Digisign rejected the selfie (JPEG of at most 500 KB required).', { details: verificationDetails(r) });
          return m('verification-failed', 422, 'The identity could not be verified (civil registry data or face match).', { details: verificationDetails(r) });
        case '14': {
          const registered = optionalStringField(r.fields, 'email_registered');
          if (has(notif, 'NIK sudah terdaftar')) {
            return m('nik-taken', 409, 'This NIK is already registered with another e-mail.', { details: { ...verificationDetails(r), ...(registered !== undefined ? { emailRegistered: registered } : {}) } });
          }
          return m('email-taken', 409, 'This e-mail is already registered with another NIK.', { details: verificationDetails(r) });
        }
        case '15':
          return m('phone-taken', 409, 'This phone number is already used by another user.');
        case '20':
          return m('registration-attempts-exceeded', 429, 'This user was registered with invalid data more than 3 times; check the data first.', { details: verificationDetails(r) });
        case '05':
          return m('provider-rejected', 502, 'Digisign did not find the request data.');
      }
      return undefined;
    case 'activation':
      if (result === '06') return m('user-not-found', 404, 'Digisign does not know this e-mail.');
      if (result === '14') return m('already-activated', 409, 'This account is already activated.');
      if (result === '05') return m('provider-rejected', 502, 'Digisign did not find the request data.');
      return undefined;
    case 'sendDocument':
      switch (result) {
        case 'FE':
          return m('document-not-pdf', 422, 'Digisign only accepts PDF documents.');
        case '28':
          return m('invalid-input', 422, 'Digisign found the document request incomplete.');
        case '17':
          return m('document-id-taken', 409, 'This document id was already used.');
        case '05':
          return m('provider-rejected', 502, 'Digisign found a required field missing in the document request.');
        case '08':
          return m('redirect-not-configured', 502, 'Digisign has no redirect link for this partner.');
        case '03':
          return m('boxes-overlap', 422, 'Signature (and e-meterai) boxes must not overlap.', { details: info !== undefined ? { info } : undefined });
      }
      return undefined;
    case 'signPage':
      if (result === '05') {
        if (has(notif, 'dokumen tidak ditemukan')) return m('document-not-found', 404, 'Digisign does not know this document.');
        if (has(notif, 'user tidak ditemukan')) return m('user-not-found', 404, 'Digisign does not know this user.');
        if (has(notif, 'tidak masuk')) return m('not-a-signer', 403, 'This user is not a signer of this document.');
        if (has(notif, 'telah menandatangani')) return m('already-signed', 409, 'This user has already signed this document.');
        return m('provider-rejected', 502, 'Digisign did not find the request data.');
      }
      return undefined;
    case 'downloadPdf':
    case 'downloadBase64':
      if (result === '05') return m('document-not-found', 404, 'Digisign does not have this file.');
      if (result === '12') return m('access-denied', 403, 'This partner may not access this document.');
      return undefined;
    case 'changeContact':
      switch (result) {
        case '14':
          if (has(notif, 'User sudah aktif')) return m('user-already-active', 409, 'The user is already active; changes go through the Digisign dashboard.');
          if (has(notif, 'Nomor handphone')) return m('phone-taken', 409, 'The new phone number is already registered.');
          return m('email-taken', 409, 'The new e-mail is already registered.');
        case '05':
          return m('user-not-found', 404, 'This e-mail is not registered at Digisign.');
        case '06':
          return m('update-failed', 502, 'Digisign could not update the e-mail or phone number.');
        case '08':
          return m('old-phone-mismatch', 422, 'The old phone number does not match.');
      }
      return undefined;
  }
}

/** Throws the typed error of a non-"00" result; returns the result when it is "00". */
export function checkDigisignResult(operation: DigisignOperation, r: DigisignResult): DigisignResult {
  if (r.result === '00') return r;
  const mapped = mapFailure(operation, r) ?? m('provider-rejected', 502, `Digisign refused ${operation} with an undocumented result.`);
  throw new ProviderError({
    code: mapped.code,
    provider: 'digisign',
    operation: `digisign.${operation}`,
    providerCode: r.result,
    providerMessage: [r.notif, r.info].filter((t) => t !== undefined && t !== '').join(' — ') || undefined,
    message: mapped.message,
    httpStatus: mapped.httpStatus,
    retryable: false,
    retryAfterMs: mapped.retryAfterMs,
    details: mapped.details,
  });
}

/**
 * Links are printed with broken escaping (`https://\\wv.tandatanganku.com\\activationpage.html`,
 * `\/ signingpage.html`, gap 9): backslashes become slashes, spaces go, and duplicate slashes collapse.
 */
export function normalizeDigisignLink(raw: string): string {
  const cleaned = raw.replace(/\\/g, '/').replace(/\s+/g, '');
  const m = /^(https?):\/*(.*)$/i.exec(cleaned);
  if (!m) throw new TypeError('not an http(s) link');
  const url = new URL(`${m[1]!.toLowerCase()}://${m[2]!.replace(/\/{2,}/g, '/')}`);
  return url.toString();
}

function linkOf(operation: DigisignOperation, r: DigisignResult): string {
  const raw = optionalStringField(r.fields, 'link');
  if (!raw) throw badResponse('digisign', `digisign.${operation}`, 'the link is missing');
  try {
    return normalizeDigisignLink(raw);
  } catch (cause) {
    throw badResponse('digisign', `digisign.${operation}`, 'the link is not a URL', cause);
  }
}

export type DigisignRegisterStatus = 'activation-required' | 'not-yet-activated' | 'already-registered' | 're-registered';

export interface DigisignRegisterOutcome {
  status: DigisignRegisterStatus;
  /** `kode_user`, Digisign's reference. */
  userCode: string | undefined;
  /** The pre-registration/activation URL (`info` on success). */
  activationUrl: string | undefined;
  /** `expired_aktifasi`, `dd-MM-yyyy HH:mm:ss WIB`, as sent. */
  activationExpires: string | undefined;
  verification: unknown;
  notif: string | undefined;
}

/** §2.5, §10.2: "00" has four meanings told apart only by `notif`. */
export function parseDigisignRegisterResponse(status: number, headers: Headers, body: Uint8Array): DigisignRegisterOutcome {
  const r = checkDigisignResult('register', readDigisignResult('register', status, headers, body));
  const n = r.notif ?? '';
  const kind: DigisignRegisterStatus = has(n, 'belum melakukan aktivasi')
    ? 'not-yet-activated'
    : has(n, 'Registrasi berhasil. Anda sudah terdaftar')
      ? 're-registered'
      : has(n, 'sudah terdaftar sebelumnya')
        ? 'already-registered'
        : 'activation-required';
  const info = r.info;
  return {
    status: kind,
    userCode: optionalStringField(r.fields, 'kode_user'),
    activationUrl: info !== undefined && /^https?:/i.test(info) ? info : undefined,
    activationExpires: optionalStringField(r.fields, 'expired_aktifasi'),
    verification: r.fields.data,
    notif: r.notif,
  };
}

export function parseDigisignActivationResponse(status: number, headers: Headers, body: Uint8Array): { link: string } {
  return { link: linkOf('activation', checkDigisignResult('activation', readDigisignResult('activation', status, headers, body))) };
}

export function parseDigisignSendDocumentResponse(status: number, headers: Headers, body: Uint8Array): { notif: string | undefined; refTrx: string | undefined } {
  const r = checkDigisignResult('sendDocument', readDigisignResult('sendDocument', status, headers, body));
  return { notif: r.notif, refTrx: optionalStringField(r.fields, 'refTrx') };
}

export function parseDigisignSignPageResponse(status: number, headers: Headers, body: Uint8Array): { link: string } {
  return { link: linkOf('signPage', checkDigisignResult('signPage', readDigisignResult('signPage', status, headers, body))) };
}

const isPdfBytes = (b: Uint8Array) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46;

/** §8.1: raw PDF bytes; errors are HTTP 403/404 (§11), or a JSON result if Digisign sends one. */
export function parseDigisignDownloadPdfResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  const op = 'digisign.downloadPdf';
  if (status === 403) throw new ProviderError({ code: 'access-denied', provider: 'digisign', operation: op, providerCode: '403', message: 'This partner may not access this document.', httpStatus: 403, retryable: false });
  if (status === 404) throw new ProviderError({ code: 'document-not-found', provider: 'digisign', operation: op, providerCode: '404', message: 'Digisign does not have this document.', httpStatus: 404, retryable: false });
  if (status !== 200) throw httpError('digisign', op, status);
  const type = mediaType(headers);
  // The `.html` endpoint may label the PDF text/html; the %PDF header is conclusive.
  if (isPdfBytes(body) && (type === 'application/pdf' || type === 'application/octet-stream' || TEXTUAL.has(type))) return { pdf: body };
  if (TEXTUAL.has(type)) {
    checkDigisignResult('downloadPdf', readDigisignResult('downloadPdf', status, headers, body));
    throw badResponse('digisign', op, 'a JSON answer came instead of the PDF');
  }
  throw badResponse('digisign', op, `content type is "${type}", expected application/pdf`);
}

export function parseDigisignDownloadBase64Response(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  const r = checkDigisignResult('downloadBase64', readDigisignResult('downloadBase64', status, headers, body));
  const file = optionalStringField(r.fields, 'file');
  if (!file || !isBase64(file)) throw badResponse('digisign', 'digisign.downloadBase64', 'file is missing or not base64');
  const pdf = fromBase64(file);
  if (!isPdfBytes(pdf)) throw badResponse('digisign', 'digisign.downloadBase64', 'file is not a PDF');
  return { pdf };
}

export function parseDigisignChangeContactResponse(status: number, headers: Headers, body: Uint8Array): { notif: string | undefined } {
  return { notif: checkDigisignResult('changeContact', readDigisignResult('changeContact', status, headers, body)).notif };
}

/**
 * §11: the HTTP statuses of the web views (activation and sign pages), for a server that checks a link
 * before handing it to the browser. 200 is fine (undefined); anything else is a typed error.
 */
export function digisignWebViewError(status: number): ProviderError | undefined {
  if (status === 200) return undefined;
  const op = 'digisign.webView';
  const table: Record<number, [ProviderErrorCode, number, string]> = {
    403: ['provider-auth-failed', 502, 'Digisign refused the partner token or admin user for the web view.'],
    401: ['user-not-found', 404, 'Digisign does not know the user of this web view.'],
    404: ['document-not-found', 404, 'Digisign does not know the document of this web view.'],
    408: ['session-expired', 410, 'The Digisign web-view session has expired; request a new link.'],
  };
  const row = table[status];
  if (!row) return httpError('digisign', op, status);
  return new ProviderError({ code: row[0], provider: 'digisign', operation: op, providerCode: String(status), message: row[2], httpStatus: row[1], retryable: false });
}

/**
 * §11 WebView Response: the statuses a web-view link answers (401 user not found, 403 token/admin invalid,
 * 404 document not found, 408 session expired). A browser's iframe hides them from the portal, so the
 * server GETs a fresh link once before handing it out (no credential, no redirect followed: the page itself,
 * as the browser would load it) and maps a refusal to its typed error.
 */
export function buildDigisignWebViewProbe(link: string, settings: DigisignSettings): ProviderRequest {
  let url: string;
  try {
    url = normalizeDigisignLink(link);
  } catch {
    invalid('link', 'link must be the http(s) web-view link Digisign returned.');
  }
  return { provider: 'digisign', operation: 'digisign.webView', method: 'GET', url: url!, headers: { Accept: 'text/html' }, body: { kind: 'none' }, idempotent: true, timeoutMs: settings.timeouts?.signPage ?? DIGISIGN_TIMEOUTS.signPage };
}

/** 2xx (the page) and 3xx (its own redirect) are fine; a §11 status is its typed error. */
export function parseDigisignWebViewProbe(status: number): { status: number } {
  if (status >= 200 && status < 400) return { status };
  throw digisignWebViewError(status)!;
}

// ---------------------------------------------------------------------------------------------------
// §4, §7 Encrypted redirects: `msg` = URL-encode(MIME-base64(AES-128-ECB/PKCS5(JSON))).

export type DigisignRedirect =
  | {
      kind: 'activation';
      result: string;
      ok: boolean;
      notif: string | undefined;
      emailUser: string;
      nik: string | undefined;
      /** `{nama, tanggal_lahir, selfie}` in the example, a boolean in the table (gap 11). */
      verification: unknown;
    }
  | {
      kind: 'signing';
      result: string;
      ok: boolean;
      notif: string | undefined;
      documentId: string;
      emailUser: string;
      /** As sent: `complete` in the examples, `completed`/`waiting` in the table. */
      statusDocument: string;
      /** All signers are done. */
      completed: boolean;
    };

function aesKey(key: unknown): Buffer {
  if (typeof key !== 'string' || Buffer.byteLength(key, 'utf8') !== 16) invalid('aesKey', 'aesKey must be the 16-character key shared by Digisign.');
  return Buffer.from(key, 'utf8');
}

function redirectError(code: 'redirect-malformed' | 'redirect-truncated' | 'redirect-undecryptable', message: string, cause?: unknown): ProviderError {
  // 400: the redirect arrived from the user's browser; it is the caller's input, not a provider failure.
  return new ProviderError({ code, provider: 'digisign', operation: 'digisign.redirect', message, httpStatus: 400, retryable: false, cause });
}

/** Encrypts like Digisign does (base64 with MIME line breaks every 76 characters, then URL-encoded). */
export function encryptDigisignRedirect(payload: Record<string, unknown>, key: string): string {
  const cipher = createCipheriv('aes-128-ecb', aesKey(key), null);
  const bytes = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const b64 = bytes.toString('base64').replace(/.{76}(?=.)/g, '$&\n');
  return encodeURIComponent(b64);
}

/**
 * Decrypts a `msg` redirect value (§7.1), whether it is still URL-encoded (from the raw query string) or
 * already decoded (from URLSearchParams, where a `+` arrives as a space). AES-ECB has no integrity check
 * (gap 11): a wrong key or a tampered value is caught only by the padding, UTF-8 and JSON checks, so the
 * outcome must be confirmed with a download before it is trusted.
 */
export function decryptDigisignRedirect(msg: string, key: string): DigisignRedirect {
  const k = aesKey(key);
  if (typeof msg !== 'string' || msg.trim() === '') throw redirectError('redirect-malformed', 'The redirect has no msg value.');
  let text = msg.trim();
  if (/%[0-9a-f]{2}/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch (cause) {
      throw redirectError('redirect-malformed', 'The redirect msg is not valid URL encoding.', cause);
    }
  }
  const b64 = text.replace(/ /g, '+').replace(/[\r\n\t]/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw redirectError('redirect-malformed', 'The redirect msg is not base64.');
  if (b64.length % 4 !== 0) throw redirectError('redirect-truncated', 'The redirect msg is truncated (base64 length).');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0 || bytes.length % 16 !== 0) throw redirectError('redirect-truncated', 'The redirect msg is truncated (not whole AES blocks).');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-128-ecb', k, null);
    const out = Buffer.concat([decipher.update(bytes), decipher.final()]);
    plain = new TextDecoder('utf-8', { fatal: true }).decode(out);
  } catch (cause) {
    throw redirectError('redirect-undecryptable', 'The redirect msg does not decrypt with the configured key (wrong key or altered value).', cause);
  }
  let value: unknown;
  try {
    value = JSON.parse(plain);
  } catch (cause) {
    throw redirectError('redirect-undecryptable', 'The redirect msg decrypts to something that is not JSON (wrong key or altered value).', cause);
  }
  const obj = isRecord(value) && isRecord(value.JSONFile) ? value.JSONFile : value;
  if (!isRecord(obj)) throw redirectError('redirect-malformed', 'The redirect payload is not a JSON object.');
  const result = optionalStringField(obj, 'result');
  const emailUser = optionalStringField(obj, 'email_user');
  if (!result || !emailUser) throw redirectError('redirect-malformed', 'The redirect payload lacks result or email_user.');
  const notif = optionalStringField(obj, 'notif');
  const docId = optionalStringField(obj, 'document_id');
  if (docId !== undefined) {
    const statusDocument = optionalStringField(obj, 'status_document') ?? '';
    return { kind: 'signing', result, ok: result === '00', notif, documentId: docId, emailUser, statusDocument, completed: statusDocument === 'complete' || statusDocument === 'completed' };
  }
  return { kind: 'activation', result, ok: result === '00', notif, emailUser, nik: optionalStringField(obj, 'nik'), verification: obj.verifikasi };
}

// ---------------------------------------------------------------------------------------------------
// Client

export class DigisignClient {
  readonly #settings: DigisignSettings;
  readonly #options: Omit<SendOptions, 'signal'>;

  constructor(settings: DigisignSettings, options: Omit<SendOptions, 'signal'> = {}) {
    this.#settings = settings;
    this.#options = options;
  }

  async #run<I, T>(build: (input: I, s: DigisignSettings) => ProviderRequest, parse: (s: number, h: Headers, b: Uint8Array) => T, input: I, signal?: AbortSignal): Promise<T> {
    return call(build(input, this.#settings), parse, signal ? { ...this.#options, signal } : this.#options);
  }

  register = (input: DigisignRegisterInput, signal?: AbortSignal) => this.#run(buildDigisignRegisterRequest, parseDigisignRegisterResponse, input, signal);
  activationLink = (input: { email: string }, signal?: AbortSignal) => this.#run(buildDigisignActivationRequest, parseDigisignActivationResponse, input, signal);
  sendDocument = (input: DigisignSendDocumentInput, signal?: AbortSignal) => this.#run(buildDigisignSendDocumentRequest, parseDigisignSendDocumentResponse, input, signal);
  signPageLink = (input: { documentId: string; email: string; viewOnly?: boolean }, signal?: AbortSignal) =>
    this.#run(buildDigisignSignPageRequest, parseDigisignSignPageResponse, input, signal);
  downloadPdf = (input: { documentId: string }, signal?: AbortSignal) => this.#run(buildDigisignDownloadPdfRequest, parseDigisignDownloadPdfResponse, input, signal);
  downloadBase64 = (input: { documentId: string }, signal?: AbortSignal) => this.#run(buildDigisignDownloadBase64Request, parseDigisignDownloadBase64Response, input, signal);
  changeContact = (input: DigisignChangeContactInput, signal?: AbortSignal) => this.#run(buildDigisignChangeContactRequest, parseDigisignChangeContactResponse, input, signal);
  /** §11: a web-view link answers 200 (or redirects); 401/403/404/408 become typed errors. */
  checkWebView = (link: string, signal?: AbortSignal) => this.#run(buildDigisignWebViewProbe, (status) => parseDigisignWebViewProbe(status), link, signal);

  decryptRedirect(msg: string): DigisignRedirect {
    return decryptDigisignRedirect(msg, requireString(this.#settings.aesKey, 'settings.aesKey'));
  }
}
