// BSrE Esign Client Service API v1 (docs/providers/bsre.md Part C): multipart requests, the signed PDF as the
// raw answer, downloadable once by its id; user status and verification. Pure builders and parsers.
import type { NeutralBox, PageGeometry, ProfileOverrides } from '@esign-kit/core';
import { isPng, optionalString, requireNik, requirePdf, requireString } from '../shared/check.js';
import { convertBoxes } from '../shared/coordinates.js';
import { DEFAULT_BSRE_DIALECT } from './dialect.js';
import { invalid, ProviderError } from '../shared/errors.js';
import type { MultipartFile, ProviderRequest } from '../shared/types.js';
import {
  clientRequest,
  pdfSuccess,
  parseUserStatus,
  image,
  linkQr,
  num,
  parseLegacyVerification,
  type BsreClientSettings,
  type BsreUserStatusOutcome,
  type BsreLegacyVerification,
} from './common.js';

export type BsreV1Mode =
  | { mode: 'invisible' }
  /** Visible with a custom specimen image (`image=true`, `imageTTD`). */
  | { mode: 'image'; image: Uint8Array; box: NeutralBox; pages: readonly PageGeometry[]; profile?: ProfileOverrides }
  /** Visible with a generated QR code (`image=false`, `linkQR`). */
  | { mode: 'qr'; linkQR: string; box: NeutralBox; pages: readonly PageGeometry[]; profile?: ProfileOverrides }
  /** Visible at a marker character in the text (`tag_koordinat`), with an image or a QR code. */
  | ({ mode: 'tag'; tag: string; width: number; height: number } & ({ image: Uint8Array } | { linkQR: string }));

export type BsreV1SignInput = BsreV1Mode & {
  pdf: Uint8Array;
  fileName?: string;
  nik: string;
  passphrase: string;
  reason?: string;
  location?: string;
  text?: string;
};

export function buildBsreV1SignRequest(input: BsreV1SignInput, settings: BsreClientSettings): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  const fields: Record<string, string> = {
    nik: requireNik(input.nik, 'nik'),
    passphrase: requireString(input.passphrase, 'passphrase'),
    tampilan: input.mode === 'invisible' ? 'invisible' : 'visible',
  };
  const files: MultipartFile[] = [
    { field: 'file', filename: optionalString(input.fileName, 'fileName') ?? 'document.pdf', contentType: 'application/pdf', data: pdf },
  ];
  const addImage = (img: Uint8Array) => {
    const b = image(img, 'image');
    fields.image = 'true';
    files.push({ field: 'imageTTD', filename: isPng(b) ? 'specimen.png' : 'specimen.jpg', contentType: isPng(b) ? 'image/png' : 'image/jpeg', data: b });
  };
  const addBox = (box: NeutralBox, pages: readonly PageGeometry[], profile?: ProfileOverrides) => {
    const [p] = convertBoxes('bsre-v1', { boxes: [box], pages, ...(profile ? { profile } : {}) }, settings.profileV1, 'box');
    // `page` (a number) rather than `halaman` (first/last only): any page can be addressed (C.2, gap 11).
    Object.assign(fields, { page: num(p!.page), xAxis: num(p!.xAxis), yAxis: num(p!.yAxis), width: num(p!.width), height: num(p!.height) });
  };
  switch (input.mode) {
    case 'invisible':
      break;
    case 'image':
      addImage(input.image);
      addBox(input.box, input.pages, input.profile);
      break;
    case 'qr':
      fields.image = 'false';
      fields.linkQR = linkQr(input.linkQR);
      addBox(input.box, input.pages, input.profile);
      break;
    case 'tag': {
      const tag = requireString(input.tag, 'tag');
      if ([...tag].length !== 1) invalid('tag', 'tag must be one marker character such as "#" or "$".');
      if (!(input.width > 0) || !(input.height > 0)) invalid('width', 'width and height must be positive.');
      if ('image' in input) addImage(input.image);
      else {
        fields.image = 'false';
        fields.linkQR = linkQr(input.linkQR);
      }
      // No page/xAxis/yAxis in tag mode (C.2 mode matrix, inferred).
      Object.assign(fields, { tag_koordinat: tag, width: num(input.width), height: num(input.height) });
      break;
    }
    default:
      invalid('mode', 'mode must be invisible, image, qr or tag.');
  }
  for (const key of ['reason', 'location', 'text'] as const) {
    const v = optionalString(input[key], key);
    if (v !== undefined) fields[key] = v;
  }
  return clientRequest('v1.signPdf', 'POST', '/api/sign/pdf', { kind: 'multipart', fields, files }, settings);
}

/** C.2: the signed PDF is the body; `id_dokumen` (header, may be stripped by proxies, gap 16) names it for C.3. */
export function parseBsreV1SignResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array; documentId: string | undefined } {
  const documentId = headers.get('id_dokumen') ?? headers.get('id-dokumen') ?? undefined;
  try {
    return { pdf: pdfSuccess('v1.signPdf', status, headers, body), documentId };
  } catch (err) {
    // A 2xx whose body is not the PDF but whose header names the document: BSrE signed it, and the one
    // download of C.3 can still fetch it. The id travels with the error (details.documentId).
    if (err instanceof ProviderError && err.code === 'provider-bad-response' && documentId !== undefined && status >= 200 && status < 300) {
      throw new ProviderError({
        code: err.code,
        provider: 'bsre',
        operation: err.operation,
        message: err.message,
        httpStatus: err.httpStatus,
        retryable: false,
        details: { documentId },
        cause: err,
      });
    }
    throw err;
  }
}

/** C.3: each document can be downloaded only once, so this is not idempotent and never retried. */
export function buildBsreV1DownloadRequest(input: { documentId: string }, settings: BsreClientSettings): ProviderRequest {
  return clientRequest(
    'v1.download',
    'GET',
    `/api/sign/download/${encodeURIComponent(requireString(input.documentId, 'documentId'))}`,
    { kind: 'none' },
    settings,
  );
}
export function parseBsreV1DownloadResponse(status: number, headers: Headers, body: Uint8Array): { pdf: Uint8Array } {
  if (status === 404) {
    throw new ProviderError({
      code: 'document-not-found',
      provider: 'bsre',
      operation: 'bsre.v1.download',
      providerCode: '404',
      message: 'BSrE has no such document (each can be downloaded only once).',
      httpStatus: 404,
      retryable: false,
    });
  }
  return { pdf: pdfSuccess('v1.download', status, headers, body) };
}

export function buildBsreV1VerifyRequest(input: { pdf: Uint8Array; fileName?: string }, settings: BsreClientSettings): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  return clientRequest(
    'v1.verify',
    'POST',
    '/api/sign/verify',
    {
      kind: 'multipart',
      fields: {},
      files: [{ field: 'signed_file', filename: optionalString(input.fileName, 'fileName') ?? 'document.pdf', contentType: 'application/pdf', data: pdf }],
    },
    settings,
    true,
  );
}

export function parseBsreV1VerifyResponse(status: number, headers: Headers, body: Uint8Array): BsreLegacyVerification {
  return parseLegacyVerification('v1.verify', status, headers, body);
}

export function buildBsreV1UserStatusRequest(input: { nik: string }, settings: BsreClientSettings): ProviderRequest {
  const path = (settings.v1UserStatusPath ?? DEFAULT_BSRE_DIALECT.v1UserStatusPath).replace('{nik}', encodeURIComponent(requireNik(input.nik, 'nik')));
  return clientRequest('v1.userStatus', 'GET', path, { kind: 'none' }, settings, true);
}
export function parseBsreV1UserStatusResponse(status: number, headers: Headers, body: Uint8Array): BsreUserStatusOutcome {
  return parseUserStatus('v1.userStatus', status, headers, body);
}
