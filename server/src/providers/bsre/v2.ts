// BSrE Esign Client Service API v2 (docs/providers/bsre.md Part D): JSON bodies, PDFs as base64, Basic auth.
// Signing (one or several PDFs, passphrase or TOTP), the signing TOTP, the organisation's seal (D.3–D.5),
// user status and registration, and verification. Pure builders and parsers; client.ts sends them.
import type { NeutralBox, PageGeometry, ProfileOverrides } from '@esign-kit/core';
import {
  Base64Text,
  fromBase64,
  isBase64,
  isRecord,
  optionalString,
  optionalStringField,
  requireEmail,
  requireNik,
  requireOtp,
  requirePdf,
  requireString,
  stringField,
  toBase64,
} from '../shared/check.js';
import { convertBoxes } from '../shared/coordinates.js';
import { DEFAULT_BSRE_DIALECT } from './dialect.js';
import { badResponse, invalid } from '../shared/errors.js';
import { FileBytes, SpooledFile, type Base64Encoder, type ProviderRequest } from '../shared/types.js';
import {
  clientRequest,
  jsonSuccess,
  isPdf,
  parseUserStatus,
  signerFields,
  image,
  bool,
  type BsreClientSettings,
  type BsreUserStatusOutcome,
  type BsreSigner,
} from './common.js';

export interface BsreV2Box {
  box: NeutralBox;
  pages: readonly PageGeometry[];
  profile?: ProfileOverrides;
}

export type BsreV2Signature =
  | { visible: false; location?: string; reason?: string; pdfPassword?: string }
  | ({ visible: true; image: Uint8Array; location?: string; reason?: string; pdfPassword?: string } & (
      BsreV2Box | { tag: string; width: number; height: number }
    ));

function v2Properties(sig: BsreV2Signature, settings: BsreClientSettings, i: number): Record<string, unknown> {
  const f = `signatures[${i}]`;
  const location = optionalString(sig.location, `${f}.location`);
  const reason = optionalString(sig.reason, `${f}.reason`);
  const pdfPassword = optionalString(sig.pdfPassword, `${f}.pdfPassword`);
  const tail = {
    ...(location !== undefined ? { location } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(pdfPassword !== undefined ? { pdfPassword } : {}),
  };
  if (!sig.visible) return { tampilan: 'INVISIBLE', ...tail };
  const imageBase64 = toBase64(image(sig.image, `${f}.image`));
  if ('tag' in sig) {
    const tag = requireString(sig.tag, `${f}.tag`);
    if ([...tag].length !== 1) invalid(`${f}.tag`, `${f}.tag must be one marker character such as "$" or "#".`);
    if (!(sig.width > 0) || !(sig.height > 0)) invalid(`${f}.width`, `${f}.width and height must be positive.`);
    // tag_koordinat: in the examples, not in the schema (gap 19).
    return { tampilan: 'VISIBLE', tag_koordinat: tag, imageBase64, width: sig.width, height: sig.height, ...tail };
  }
  const [p] = convertBoxes('bsre-v2', { boxes: [sig.box], pages: sig.pages, ...(sig.profile ? { profile: sig.profile } : {}) }, settings.profileV2, `${f}.box`);
  return { tampilan: 'VISIBLE', imageBase64, page: p!.page, originX: p!.originX, originY: p!.originY, width: p!.width, height: p!.height, ...tail };
}

export type BsreCredential = { passphrase: string; totp?: undefined } | { totp: string; passphrase?: undefined };

export interface BsreV2SignInput {
  signer: BsreSigner;
  credential: BsreCredential;
  /** One or more PDFs (bulk); an upload still in its spooled file is read while sending (FileBytes). */
  files: readonly (Uint8Array | FileBytes)[];
  /** One for all files, or exactly one per file, matched by position (D.1, gap 21). */
  signatures: readonly BsreV2Signature[];
}

export function buildBsreV2SignRequest(input: BsreV2SignInput, settings: BsreClientSettings, encode: Base64Encoder = toBase64): ProviderRequest {
  if (!Array.isArray(input.files) || input.files.length === 0) invalid('files', 'files must hold at least one PDF.');
  // A FileBytes is an upload the PDF intake already read whole (http/pdf-input.ts): it is sent as it is.
  const files = input.files.map((f, i) => (f instanceof FileBytes ? f : encode(requirePdf(f, `files[${i}]`))));
  if (!Array.isArray(input.signatures) || (input.signatures.length !== 1 && input.signatures.length !== files.length)) {
    invalid('signatures', 'signatures must hold one entry for all files or exactly one per file.');
  }
  const c = input.credential;
  if (!c || (c.passphrase === undefined) === (c.totp === undefined)) invalid('credential', 'credential must give exactly one of passphrase or totp.');
  const cred =
    c.passphrase !== undefined
      ? { passphrase: requireString(c.passphrase, 'credential.passphrase') }
      : { [settings.signOtpField ?? DEFAULT_BSRE_DIALECT.signOtpField]: requireOtp(c.totp, 'credential.totp') };
  return clientRequest(
    'v2.signPdf',
    'POST',
    '/api/v2/sign/pdf',
    {
      kind: 'json',
      value: { ...signerFields(input.signer), ...cred, signatureProperties: input.signatures.map((s, i) => v2Properties(s, settings, i)), file: files },
    },
    settings,
  );
}

/**
 * What D.1/D.5 answer: the signed PDFs in input order, each in memory or, when the transport decoded the
 * answer into an AnswerSpool (transport.ts SendOptions.spool), in its file (a SpooledFile, for the store's putFile).
 */
export interface BsreSignedFiles {
  files: (Uint8Array | SpooledFile)[];
  timeMs: number | undefined;
}

/** D.1/D.5 success: `{time, file[]}` (printed under D.2, gap 22), base64 PDFs in input order. */
export function parseBsreV2SignResponse(status: number, headers: Headers, body: Uint8Array): BsreSignedFiles {
  return parseSignedFiles('v2.signPdf', status, headers, body);
}

function parseSignedFiles(operation: string, status: number, headers: Headers, body: Uint8Array): BsreSignedFiles {
  const obj = jsonSuccess(operation, status, headers, body);
  const list = Array.isArray(obj.file) ? obj.file : isRecord(obj.data) && Array.isArray(obj.data.file) ? obj.data.file : undefined;
  if (!list || list.length === 0) throw badResponse('bsre', `bsre.${operation}`, 'file[] is missing');
  const files = list.map((f) => {
    if (!(typeof f === 'string' || f instanceof Base64Text) || !isBase64(f))
      throw badResponse('bsre', `bsre.${operation}`, 'file[] holds something that is not base64');
    // Decoded into a file as it arrived: told a PDF by its first bytes, the file is not read here.
    const pdf = f instanceof Base64Text && f.file ? f.file : fromBase64(f);
    if (!isPdf(pdf instanceof SpooledFile ? pdf.head : pdf)) throw badResponse('bsre', `bsre.${operation}`, 'file[] holds something that is not a PDF');
    return pdf;
  });
  return { files, timeMs: typeof obj.time === 'number' ? obj.time : undefined };
}

/** D.2: the OTP goes to the signer's e-mail; `data` is the number of files of the next Sign PDF. */
export function buildBsreV2SignTotpRequest(input: { nik?: string; email?: string; fileCount: number }, settings: BsreClientSettings): ProviderRequest {
  if (input.nik === undefined && input.email === undefined) invalid('signer', 'give a nik, an email or both (the D.2 example sends both).');
  if (!Number.isInteger(input.fileCount) || input.fileCount < 1) invalid('fileCount', 'fileCount must be a positive whole number.');
  const value = {
    ...(input.nik !== undefined ? { nik: requireNik(input.nik, 'nik') } : {}),
    ...(input.email !== undefined ? { email: requireEmail(input.email, 'email', 255) } : {}),
    data: input.fileCount,
  };
  return clientRequest('v2.signTotp', 'POST', '/api/v2/sign/get/totp', { kind: 'json', value }, settings);
}

export interface BsreAck {
  message: string | undefined;
  totp?: string;
  expires?: string;
}

function ack(operation: string): (status: number, headers: Headers, body: Uint8Array) => BsreAck {
  return (status, headers, body) => {
    const obj = jsonSuccess(operation, status, headers, body);
    const src = isRecord(obj.data) ? { ...obj, ...obj.data } : obj;
    const message = optionalStringField(src, 'message') ?? optionalStringField(obj, 'message');
    const totp = optionalStringField(src, 'totp');
    const expires = optionalStringField(src, 'expires');
    return { message, ...(totp !== undefined ? { totp } : {}), ...(expires !== undefined ? { expires } : {}) };
  };
}

/** The response is undocumented (gap 22); any JSON 2xx without an error is an acknowledgement. */
export const parseBsreV2SignTotpResponse = ack('v2.signTotp');

/** D.3: request (no totp) or refresh (with the activation totp) — one path. */
export function buildBsreSealActivationRequest(input: { idSubscriber: string; totp?: string }, settings: BsreClientSettings): ProviderRequest {
  const value = {
    idSubscriber: requireString(input.idSubscriber, 'idSubscriber'),
    ...(input.totp !== undefined ? { totp: requireString(input.totp, 'totp') } : {}),
  };
  return clientRequest('v2.sealActivation', 'POST', '/api/v2/seal/get/activation', { kind: 'json', value }, settings);
}
export const parseBsreSealActivationResponse = ack('v2.sealActivation');

export function buildBsreSealRevokeRequest(input: { idSubscriber: string; totp: string }, settings: BsreClientSettings): ProviderRequest {
  return clientRequest(
    'v2.sealRevoke',
    'POST',
    '/api/v2/seal/revoke/activation',
    { kind: 'json', value: { idSubscriber: requireString(input.idSubscriber, 'idSubscriber'), totp: requireString(input.totp, 'totp') } },
    settings,
  );
}
export const parseBsreSealRevokeResponse = ack('v2.sealRevoke');

/** D.4: `totp` is the activation TOTP; `data` the number of files of the next Seal PDF. */
export function buildBsreSealTotpRequest(
  input: { idSubscriber: string; activationTotp: string; fileCount: number },
  settings: BsreClientSettings,
): ProviderRequest {
  if (!Number.isInteger(input.fileCount) || input.fileCount < 1) invalid('fileCount', 'fileCount must be a positive whole number.');
  const data = (settings.sealTotpDataType ?? DEFAULT_BSRE_DIALECT.sealTotpDataType) === 'string' ? String(input.fileCount) : input.fileCount;
  return clientRequest(
    'v2.sealTotp',
    'POST',
    '/api/v2/seal/get/totp',
    {
      kind: 'json',
      value: { idSubscriber: requireString(input.idSubscriber, 'idSubscriber'), data, totp: requireString(input.activationTotp, 'activationTotp') },
    },
    settings,
  );
}
export const parseBsreSealTotpResponse = ack('v2.sealTotp');

/** D.5: only the invisible seal is documented (gap 26). `totp` is the D.4 OTP. */
export function buildBsreSealPdfRequest(
  input: { idSubscriber: string; totp: string; files: readonly (Uint8Array | FileBytes)[]; location?: string; reason?: string },
  settings: BsreClientSettings,
  encode: Base64Encoder = toBase64,
): ProviderRequest {
  if (!Array.isArray(input.files) || input.files.length === 0) invalid('files', 'files must hold at least one PDF.');
  const value = {
    idSubscriber: requireString(input.idSubscriber, 'idSubscriber'),
    totp: requireOtp(input.totp, 'totp'),
    signatureProperties: [
      { tampilan: 'INVISIBLE', location: optionalString(input.location, 'location') ?? null, reason: optionalString(input.reason, 'reason') ?? null },
    ],
    // As in Sign PDF: an upload the intake read whole is sent from its spooled file.
    file: input.files.map((f, i) => (f instanceof FileBytes ? f : encode(requirePdf(f, `files[${i}]`)))),
  };
  return clientRequest('v2.sealPdf', 'POST', '/api/v2/seal/pdf', { kind: 'json', value }, settings);
}
export function parseBsreSealPdfResponse(status: number, headers: Headers, body: Uint8Array): BsreSignedFiles {
  return parseSignedFiles('v2.sealPdf', status, headers, body);
}

export function buildBsreV2UserStatusRequest(input: BsreSigner, settings: BsreClientSettings): ProviderRequest {
  return clientRequest('v2.userStatus', 'POST', '/api/v2/user/check/status', { kind: 'json', value: signerFields(input) }, settings, true);
}
export function parseBsreV2UserStatusResponse(status: number, headers: Headers, body: Uint8Array): BsreUserStatusOutcome {
  return parseUserStatus('v2.userStatus', status, headers, body);
}

export function buildBsreV2RegistrationRequest(input: { name: string; email: string }, settings: BsreClientSettings): ProviderRequest {
  return clientRequest(
    'v2.registration',
    'POST',
    '/api/v2/user/registration',
    { kind: 'json', value: { nama: requireString(input.name, 'name'), email: requireEmail(input.email, 'email', 255) } },
    settings,
  );
}
export const parseBsreV2RegistrationResponse = ack('v2.registration');

export function buildBsreV2VerifyRequest(
  input: { pdf: Uint8Array; password?: string },
  settings: BsreClientSettings,
  encode: Base64Encoder = toBase64,
): ProviderRequest {
  const password = optionalString(input.password, 'password');
  const value = { file: encode(requirePdf(input.pdf, 'pdf')), ...(password !== undefined ? { password } : {}) };
  return clientRequest('v2.verify', 'POST', '/api/v2/verify/pdf', { kind: 'json', value }, settings, true);
}

export interface BsreV2Verification {
  /** The answer as BSrE sent it, for callers who need a field we do not read. */
  raw: Record<string, unknown>;
  conclusion: string;
  description: string | undefined;
  signatureCount: number;
  signatures: {
    signerName: string | undefined;
    signatureDate: string | undefined;
    fieldName: string | undefined;
    reason: string | undefined;
    location: string | undefined;
    integrityValid: boolean | undefined;
    certificateTrusted: boolean | undefined;
    timestampDate: string | undefined;
    certificates: {
      commonName: string | undefined;
      issuerName: string | undefined;
      serialNumber: string | undefined;
      notBefore: string | undefined;
      notAfter: string | undefined;
    }[];
  }[];
}

/** D.8; keys as sent, including the typos `timestampInfomation` and `signatureAlgoritm` (gap 28). */
export function parseBsreV2VerifyResponse(status: number, headers: Headers, body: Uint8Array): BsreV2Verification {
  const op = 'v2.verify';
  const obj = jsonSuccess(op, status, headers, body);
  const conclusion = stringField(obj, 'conclusion', 'bsre', `bsre.${op}`);
  const infos = obj.signatureInformations ?? [];
  if (!Array.isArray(infos)) throw badResponse('bsre', `bsre.${op}`, 'signatureInformations is not an array');
  const signatures = infos.filter(isRecord).map((s) => ({
    signerName: optionalStringField(s, 'signerName'),
    signatureDate: optionalStringField(s, 'signatureDate'),
    fieldName: optionalStringField(s, 'fieldName'),
    reason: optionalStringField(s, 'reason'),
    location: optionalStringField(s, 'location'),
    integrityValid: bool(s.integrityValid),
    certificateTrusted: bool(s.certificateTrusted),
    timestampDate: isRecord(s.timestampInfomation) ? optionalStringField(s.timestampInfomation, 'timestampDate') : undefined,
    certificates: (Array.isArray(s.certificateDetails) ? s.certificateDetails : []).filter(isRecord).map((c) => ({
      commonName: optionalStringField(c, 'commonName'),
      issuerName: optionalStringField(c, 'issuerName'),
      serialNumber: optionalStringField(c, 'serialNumber'),
      notBefore: optionalStringField(c, 'notBeforeDate'),
      notAfter: optionalStringField(c, 'notAfterDate'),
    })),
  }));
  const count = typeof obj.signatureCount === 'number' ? obj.signatureCount : signatures.length;
  return { raw: obj, conclusion, description: optionalStringField(obj, 'description'), signatureCount: count, signatures };
}
