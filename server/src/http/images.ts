// Image parts (specimens, KTP and NPWP photos, selfies) told by their magic bytes, never by the declared type.
import type { Request } from 'express';
import { HttpError } from './errors.js';
import { type FILE_FIELDS, fileOf } from './uploads.js';

const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
const isPng = (b: Uint8Array) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v);

/** An image part checked by its magic bytes (never by the declared content type). */
export function imageOf(req: Request, field: (typeof FILE_FIELDS)[number], kinds: readonly ('jpeg' | 'png')[]): Uint8Array | undefined {
  const bytes = fileOf(req, field);
  if (!bytes) return undefined;
  if (!kinds.some((k) => (k === 'jpeg' ? isJpeg(bytes) : isPng(bytes)))) {
    throw new HttpError('invalid-input', `${field} must be a ${kinds.map((k) => k.toUpperCase()).join(' or ')} image.`, field);
  }
  return bytes;
}
