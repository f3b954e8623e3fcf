// The older BSrE cloud "E-Sign API service" (docs/providers/bsre.md Part A): an OAuth client-credentials
// token, every field a query parameter, the PDF a multipart part. Pure builders and parsers.
import type { NeutralBox, PageGeometry, ProfileOverrides } from '@esign-kit/core';
import { optionalString, optionalStringField, requirePdf, requireString, stringField } from '../shared/check.js';
import { convertBoxes } from '../shared/coordinates.js';
import { DEFAULT_BSRE_CLOUD_DIALECT, type BsreCloudDialect } from './dialect.js';
import { badResponse, invalid } from '../shared/errors.js';
import type { ProviderRequest, RequestBody } from '../shared/types.js';
import { jsonSuccess, pdfSuccess, linkQr, num, parseLegacyVerification, type BsreLegacyVerification } from './common.js';

export interface BsreCloudSettings {
  /** `{{url}}` of the slides; no host is given (A.0). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Deployment overrides of the `bsre-cloud` coordinate profile. */
  profile?: ProfileOverrides;
  /** How the token is presented: not stated (seed 000). Default `header` (`Authorization: Bearer`). */
  tokenPlacement?: BsreCloudDialect['tokenPlacement'];
  timeoutMs?: number;
}

function cloudRequest(
  operation: string,
  path: string,
  query: Record<string, string>,
  body: RequestBody,
  settings: BsreCloudSettings,
  token: string | null,
): ProviderRequest {
  const q = new URLSearchParams(query);
  const headers: Record<string, string> = { Accept: 'application/json, application/pdf' };
  if (token !== null) {
    if ((settings.tokenPlacement ?? DEFAULT_BSRE_CLOUD_DIALECT.tokenPlacement) === 'query') q.set('access_token', token);
    else headers.Authorization = `Bearer ${requireString(token, 'token')}`;
  }
  const qs = q.toString();
  return {
    provider: 'bsre',
    operation: `bsre.cloud.${operation}`,
    method: 'POST',
    url: requireString(settings.baseUrl, 'settings.baseUrl').replace(/\/+$/, '') + path + (qs ? `?${qs}` : ''),
    headers,
    body,
    idempotent: operation === 'token' || operation === 'verify',
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
  };
}

/** A.1: the credentials travel in the query string, as the slides show. The URL must never be logged. */
export function buildBsreCloudTokenRequest(settings: BsreCloudSettings): ProviderRequest {
  return cloudRequest(
    'token',
    '/oauth/token',
    {
      client_id: requireString(settings.clientId, 'settings.clientId'),
      client_secret: requireString(settings.clientSecret, 'settings.clientSecret'),
      grant_type: 'client_credentials',
    },
    { kind: 'none' },
    settings,
    null,
  );
}

export function parseBsreCloudTokenResponse(status: number, headers: Headers, body: Uint8Array): { accessToken: string; expiresInSeconds: number } {
  const op = 'cloud.token';
  const obj = jsonSuccess(op, status, headers, body);
  const accessToken = stringField(obj, 'access_token', 'bsre', `bsre.${op}`);
  const type = optionalStringField(obj, 'token_type');
  if (type !== undefined && type.toLowerCase() !== 'bearer') throw badResponse('bsre', `bsre.${op}`, `token_type is "${type}", expected bearer`);
  const exp = obj.expires_in;
  if (typeof exp !== 'number' || !(exp > 0)) throw badResponse('bsre', `bsre.${op}`, 'expires_in is missing or not a positive number');
  return { accessToken, expiresInSeconds: exp };
}

export interface BsreCloudSignRequestInput {
  /** `penandatangan`: `$nik` in the table, `{{username}}` in the URL template (gap 2); sent as given. */
  signer: string;
  pdf: Uint8Array;
  fileName?: string;
  tujuan?: string;
  perihal?: string;
  info?: string;
  jenisDokumen?: string;
  nomor?: string;
  appearance:
    | { visible: false }
    /** `halaman` is only first (`pertama`) or last (`terakhir`): a box on another page is a CoordinateError. */
    | ({ visible: true; box: NeutralBox; pages: readonly PageGeometry[]; profile?: ProfileOverrides } & ({ image: true } | { linkQR: string }));
}

/** A.2: every field is a query parameter; the PDF is the multipart part `file` (name not given, "probably file"). */
export function buildBsreCloudSignRequestRequest(input: BsreCloudSignRequestInput, settings: BsreCloudSettings, token: string): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  const q: Record<string, string> = { penandatangan: requireString(input.signer, 'signer') };
  const optional: [keyof BsreCloudSignRequestInput, string][] = [
    ['tujuan', 'tujuan'],
    ['perihal', 'perihal'],
    ['info', 'info'],
    ['jenisDokumen', 'jenis_dokumen'],
    ['nomor', 'nomor'],
  ];
  for (const [key, name] of optional) {
    const v = optionalString(input[key], key);
    if (v !== undefined) q[name] = v;
  }
  const a = input.appearance;
  if (!a) invalid('appearance', 'appearance is required.');
  q.tampilan = a.visible ? 'visible' : 'invisible';
  if (a.visible) {
    if ('linkQR' in a) {
      q.image = 'false';
      q.linkQR = linkQr(a.linkQR);
    } else q.image = 'true';
    const [p] = convertBoxes(
      'bsre-cloud',
      { boxes: [a.box], pages: a.pages, ...(a.profile ? { profile: a.profile } : {}) },
      settings.profile,
      'appearance.box',
    );
    Object.assign(q, { halaman: p!.halaman, yAxis: num(p!.yAxis), xAxis: num(p!.xAxis), width: num(p!.width), height: num(p!.height) });
  }
  return cloudRequest(
    'signRequest',
    '/api/v2/entity/sign/request',
    q,
    {
      kind: 'multipart',
      fields: {},
      files: [{ field: 'file', filename: optionalString(input.fileName, 'fileName') ?? 'document.pdf', contentType: 'application/pdf', data: pdf }],
    },
    settings,
    token,
  );
}

export function parseBsreCloudSignRequestResponse(status: number, headers: Headers, body: Uint8Array): { idSigned: string; message: string | undefined } {
  const obj = jsonSuccess('cloud.signRequest', status, headers, body);
  const idSigned = stringField(obj, 'id_signed', 'bsre', 'bsre.cloud.signRequest');
  if (!/^[A-Za-z0-9_-]+$/.test(idSigned)) throw badResponse('bsre', 'bsre.cloud.signRequest', 'id_signed is not an id');
  return { idSigned, message: optionalStringField(obj, 'message') };
}

/** A.3: the passphrase is a query parameter in the slides; the URL must never be logged. */
export function buildBsreCloudSignRequest(
  input: { idSigned: string; passphrase: string; approvedInfo?: string },
  settings: BsreCloudSettings,
  token: string,
): ProviderRequest {
  const id = requireString(input.idSigned, 'idSigned');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) invalid('idSigned', 'idSigned must be the id returned by the sign request.');
  const q: Record<string, string> = { passphrase: requireString(input.passphrase, 'passphrase') };
  q.approved_info = optionalString(input.approvedInfo, 'approvedInfo') ?? '';
  return cloudRequest('sign', `/api/v2/entity/sign/${id}`, q, { kind: 'none' }, settings, token);
}

export function parseBsreCloudSignResponse(status: number, headers: Headers, body: Uint8Array): { message: string | undefined; elapsed: string | undefined } {
  const obj = jsonSuccess('cloud.sign', status, headers, body);
  return { message: optionalStringField(obj, 'message'), elapsed: optionalStringField(obj, 'waktu') };
}

export function buildBsreCloudDownloadRequest(input: { idSigned: string }, settings: BsreCloudSettings, token: string): ProviderRequest {
  const id = requireString(input.idSigned, 'idSigned');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) invalid('idSigned', 'idSigned must be the id returned by the sign request.');
  return cloudRequest('download', `/api/v2/entity/sign/download/${id}`, {}, { kind: 'none' }, settings, token);
}

/** A.4: the format is not shown; presumably the PDF. */
export function parseBsreCloudDownloadResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  return { pdf: pdfSuccess('cloud.download', status, headers, body) };
}

export function buildBsreCloudVerifyRequest(input: { pdf: Uint8Array; fileName?: string }, settings: BsreCloudSettings, token: string): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  return cloudRequest(
    'verify',
    '/api/v2/entity/verify/',
    {},
    {
      kind: 'multipart',
      fields: {},
      files: [{ field: 'signed_file', filename: optionalString(input.fileName, 'fileName') ?? 'document.pdf', contentType: 'application/pdf', data: pdf }],
    },
    settings,
    token,
  );
}

export function parseBsreCloudVerifyResponse(status: number, headers: Headers, body: Uint8Array): BsreLegacyVerification {
  return parseLegacyVerification('cloud.verify', status, headers, body);
}
