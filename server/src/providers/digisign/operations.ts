// Digisign API EXT-AT 3.0.4 (docs/providers/digisign.md, whose § and gap numbers the comments of this folder
// cite). Every call is a multipart POST to an `.html` endpoint with `Authorization: Bearer <token>`; the JSON
// goes in the field `jsonfield` as the string `{"JSONFile":{…}}`, files in `fotoktp`, `fotodiri`, `ttd`,
// `file` (§1.1). Answers come back wrapped in `JSONFile` with a 2-character `result` ("00" = success, §10),
// except Download PDF (raw bytes). This module names the operations, their paths and timeouts, and builds the
// request every builder returns.
import type { ProfileOverrides } from '@esign-kit/core';
import { requireEmail, requireString } from '../shared/check.js';
import type { DigisignDialect } from './dialect.js';
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

export function digisignRequest(
  operation: DigisignOperation,
  jsonFile: Record<string, unknown>,
  settings: DigisignSettings,
  files: MultipartFile[] = [],
): ProviderRequest {
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

export const userid = (settings: DigisignSettings) => requireEmail(settings.userid, 'settings.userid', 80);
export const documentId = (value: unknown) => requireString(value, 'documentId', 20);
