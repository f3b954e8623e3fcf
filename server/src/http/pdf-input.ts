// The PDFs of a request (an upload or a stored document, one or several), each checked by the PDF intake
// (server/src/pdf/intake-pool.ts) before any provider call and before anything is stored.
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Request } from 'express';
import { z } from 'zod';
import type { PageGeometry } from '@esign-kit/core';
import { IntakeBusyError, type PdfIntake } from '../pdf/intake-pool.js';
import type { IntakeResult } from '../pdf/intake.js';
import { FileBytes } from '../providers/shared/types.js';
import { HttpError, withField } from './errors.js';
import { userOf } from './auth.js';
import { BULK_MAX_FILES, pdfUploads, type PdfUpload } from './uploads.js';
import { json } from './schemas.js';
import type { AppContext } from './context.js';

/** What reading a request's PDFs needs: the store (for `documentId`) and the server's intake. */
type PdfSources = Pick<AppContext, 'store' | 'intake'>;

export interface CheckedPdf {
  bytes: Uint8Array;
  pages: PageGeometry[];
  fileName: string;
  /** The request field it came from (`file`, `documentId`, `files.0`…), for errors about it. */
  field: string;
  /** Password-protected (an /Encrypt dictionary): only a route that takes the password can use it. */
  encrypted: boolean;
  /**
   * An upload still in its spooled file (http/uploads.ts): a client that can send from a file (BSrE v2) does,
   * and the upload is never held in memory; `bytes` reads the file on first use (and keeps what it read).
   */
  file?: FileBytes;
}

const MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d];

/**
 * The %PDF- magic, then a full read with the kit's own reader in an intake worker (server/src/pdf/intake-pool.ts),
 * within the reader's limits and a deadline, and every page's geometry; refused before any provider call and
 * before anything is stored. `intake` is the server's (AppContext.intake), as the portal user whose file it is.
 * A file past a limit is answered with the limit's code (`pdf-too-many-pages`, `pdf-inflate-budget`…:
 * ERROR_STATUS), a busy server with 503 and Retry-After.
 */
export async function checkPdf(intake: PdfIntake, bytes: Uint8Array, field: string, fileName = 'document.pdf'): Promise<CheckedPdf> {
  if (bytes.byteLength === 0) throw new HttpError('invalid-pdf', `${field} is empty (0 bytes).`, field);
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new HttpError('invalid-pdf', `${field} is not a PDF (it does not start with %PDF-).`, field);
  return { bytes, ...(await intakeAnswer(intake.check(bytes), field)), fileName, field };
}

/**
 * An uploaded PDF, checked as checkPdf does. A small one held in memory (http/uploads.ts SPOOL_FROM) is checked
 * from its bytes; a spooled one is read from its file by the intake worker itself: the upload is not loaded
 * here. Its `bytes` read the file only when a caller asks for them (synchronously, once: the file was just
 * written and sits in the page cache, and this keeps every provider's code as it was); BSrE v2 sends from the
 * file instead (`file`).
 */
export async function checkUpload(intake: PdfIntake, upload: PdfUpload): Promise<CheckedPdf> {
  const { field, path, size } = upload;
  if (size === 0) throw new HttpError('invalid-pdf', `${field} is empty (0 bytes).`, field);
  if (path === undefined) return checkPdf(intake, upload.bytes!, field, upload.fileName || 'document.pdf');
  const head = new Uint8Array(MAGIC.length);
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, head.byteLength, 0);
  } finally {
    await handle.close();
  }
  if (!MAGIC.every((b, i) => head[i] === b)) throw new HttpError('invalid-pdf', `${field} is not a PDF (it does not start with %PDF-).`, field);
  const checked = await intakeAnswer(intake.checkFile(path), field);
  let bytes: Uint8Array | undefined;
  return {
    get bytes() {
      return (bytes ??= new Uint8Array(readFileSync(path)));
    },
    ...checked,
    fileName: upload.fileName || 'document.pdf',
    field,
    file: new FileBytes(path, size),
  };
}

/** The intake's answer for one file, or the refusal naming `field`. */
async function intakeAnswer(reading: Promise<IntakeResult>, field: string): Promise<{ pages: PageGeometry[]; encrypted: boolean }> {
  let result;
  try {
    result = await reading;
  } catch (err) {
    if (err instanceof IntakeBusyError) throw Object.assign(new HttpError('busy', err.message, field), { retryAfterSeconds: err.retryAfterSeconds });
    throw err;
  }
  if (!result.ok) {
    if (result.code === 'unreadable') throw new HttpError('invalid-pdf', `${field} could not be read as a PDF.`, field);
    throw new HttpError(result.code, `${field} is refused: ${result.message}`, field);
  }
  const { pages, announcedCount: count, encrypted } = result;
  if (!pages.length) throw new HttpError('invalid-pdf', `${field} has no pages.`, field);
  // A page tree that announces other than the pages it holds (say 10 000 for one) is damaged or crafted: viewers
  // and providers would count pages differently from the boxes checked here.
  if (count !== pages.length) {
    throw new HttpError('invalid-pdf', `${field} has a damaged page tree: it announces ${count ?? 'no'} pages but holds ${pages.length}.`, field);
  }
  return { pages, encrypted };
}

/** Signing routes without a PDF password: an encrypted PDF is refused here, not after an upload the provider refuses. */
export function refuseEncrypted<T extends CheckedPdf>(pdf: T, who: string): T {
  if (pdf.encrypted)
    throw new HttpError('invalid-pdf', `${pdf.field} is protected by a password; ${who} cannot sign an encrypted PDF: remove the password first.`, pdf.field);
  return pdf;
}

/** The PDF of a request: a multipart `file` part, or `documentId` of a stored document. */
export async function pdfOf(req: Request, { store, intake: serverIntake }: PdfSources): Promise<CheckedPdf & { storedId?: string }> {
  const intake = serverIntake.as(userOf(req));
  const [upload] = pdfUploads(req, ['file']);
  if (upload) return checkUpload(intake, upload);
  const id = (req.body as Record<string, unknown> | undefined)?.documentId;
  if (typeof id === 'string' && id) {
    const { bytes, meta } = await withField('documentId', store.get(id, userOf(req)));
    return { ...(await checkPdf(intake, bytes, 'documentId', meta.fileName)), storedId: id };
  }
  throw new HttpError('invalid-input', 'Send the PDF as the multipart part "file", or give documentId of an uploaded document.', 'file');
}

const DOCUMENT_IDS = z
  .array(z.string().regex(/^[0-9a-f]{32}$/, 'must be the id of a stored document'))
  .min(1)
  .max(BULK_MAX_FILES);

/**
 * The PDFs of a bulk request, in order: the multipart `file` part, then the `files` parts, then the stored
 * documents named by `documentIds` (a JSON array, also as a multipart field) or `documentId`. Each one is
 * checked like a single upload (magic, full parse, page geometry) before any provider call; at most
 * BULK_MAX_FILES in all.
 */
export async function pdfsOf(req: Request, { store, intake: serverIntake }: PdfSources): Promise<CheckedPdf[]> {
  const intake = serverIntake.as(userOf(req));
  const uploaded = pdfUploads(req, ['file', 'files']);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const ids: [field: string, id: string][] = [];
  if (body.documentIds !== undefined) {
    for (const [i, id] of z
      .object({ documentIds: json(DOCUMENT_IDS) })
      .parse({ documentIds: body.documentIds })
      .documentIds.entries())
      ids.push([`documentIds.${i}`, id]);
  }
  if (typeof body.documentId === 'string' && body.documentId) ids.push(['documentId', body.documentId]);
  const total = uploaded.length + ids.length;
  if (total === 0) throw new HttpError('invalid-input', 'Send the PDFs as multipart parts "files", or give documentIds of uploaded documents.', 'files');
  if (total > BULK_MAX_FILES) throw new HttpError('invalid-input', `At most ${BULK_MAX_FILES} PDFs in one request.`, 'files');
  const out: CheckedPdf[] = [];
  for (const [i, f] of uploaded.entries()) out.push(await checkUpload(intake, { ...f, field: `files.${i}`, fileName: f.fileName || `document-${i + 1}.pdf` }));
  for (const [field, id] of ids) {
    const { bytes, meta } = await withField(field, store.get(id, userOf(req)));
    out.push(await checkPdf(intake, bytes, field, meta.fileName));
  }
  return out;
}
