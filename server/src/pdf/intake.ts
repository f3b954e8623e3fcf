// What the companion server checks in every PDF it receives, with the kit's own reader (@esign-kit/core's
// PdfFile, readPages and pageGeometryFromPageTree: the placer reads pages the same way, so both agree by
// construction) and its limits enforced while reading — and every stream another reader of the file may inflate
// (every-stream.ts). This runs inside an intake worker (intake-pool.ts),
// never on the event loop; `readPdfIntake` is the whole check, a pure function of the bytes and the limits.
import { inflateSync, constants } from 'node:zlib';
import { pageGeometryFromPageTree, type PageGeometry } from '@esign-kit/core';
import { PdfFile, PdfLimitError, isDict, readPages, type PdfLimitCode, type PdfLimits } from '@esign-kit/pdf';
import { inflateEveryStream } from './every-stream.js';

/** Limits the intake adds to the reader's own: a killed worker is answered with one of these. */
export type IntakeLimitCode = PdfLimitCode | 'pdf-memory-budget';

export type IntakeResult =
  | {
      ok: true;
      pages: PageGeometry[];
      /** The page tree root's /Count, when it is a number. */
      announcedCount: number | undefined;
      /** The trailer names an /Encrypt dictionary. */
      encrypted: boolean;
    }
  | { ok: false; code: IntakeLimitCode; message: string; limit: number }
  | { ok: false; code: 'unreadable'; message: string };

/**
 * Node's zlib, told the most the stream may inflate to: it stops there (ERR_BUFFER_TOO_LARGE) instead of
 * inflating a bomb. A truncated stream gives what it holds (Z_SYNC_FLUSH), as PDF readers commonly do.
 */
export async function zlibInflate(data: Uint8Array, maxOutputLength: number): Promise<Uint8Array> {
  const out = inflateSync(data, { maxOutputLength: Math.max(1, maxOutputLength), finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 256 * 1024 });
  if (out.length > maxOutputLength) throw Object.assign(new RangeError('inflated data too large'), { code: 'ERR_BUFFER_TOO_LARGE' });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Reads the file within `limits`: every page's geometry, the announced page count and the encryption flag. */
export async function readPdfIntake(bytes: Uint8Array, limits: Partial<PdfLimits>): Promise<IntakeResult> {
  try {
    const file = await PdfFile.open(bytes, zlibInflate, limits);
    const tree = await readPages(file);
    const pages = tree.map(pageGeometryFromPageTree);
    const catalog = await file.resolve(file.trailer?.dict.get('Root'));
    const root = isDict(catalog) ? await file.resolve(catalog.dict.get('Pages')) : undefined;
    const count = isDict(root) ? await file.resolve(root.dict.get('Count')) : undefined;
    // What the page tree does not reach, other readers still inflate (every-stream.ts).
    await inflateEveryStream(file, zlibInflate);
    return { ok: true, pages, announcedCount: typeof count === 'number' ? count : undefined, encrypted: !!file.trailer?.dict.has('Encrypt') };
  } catch (err) {
    if (err instanceof PdfLimitError) return { ok: false, code: err.code, message: err.message, limit: err.limit };
    return { ok: false, code: 'unreadable', message: (err as Error)?.message ?? String(err) };
  }
}
