// The zod pieces request bodies and answers are built from, and bodyOf, which validates a body with one (a
// ZodError becomes a 400 naming the field, http/errors.ts). The same schemas describe the routes in
// GET /api/openapi.json (openapi/document.ts); those with an id are its components.
import type { Request } from 'express';
import { z } from 'zod';
import { component, shownAs } from './openapi/document.js';

/** Multipart fields arrive as strings: objects, arrays, numbers and booleans are read as JSON first. */
export const json = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    if (/^[[{]/.test(t) || t === 'true' || t === 'false' || /^-?\d+(\.\d+)?$/.test(t)) {
      try {
        return JSON.parse(t);
      } catch {
        return v;
      }
    }
    return v;
  }, schema);

export const neutralBox = z
  .object({ page: z.number().int().min(1), x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() })
  .meta({
    id: 'Box',
    description:
      'A box in the neutral model: `page` 1-based; x, y, width, height in PDF user units from the lower-left corner of the page as a person sees it (docs/coordinates.md)',
  });
export const nik = z.string().regex(/^\d{16}$/, 'must be a 16-digit NIK');
export const email = z
  .string()
  .max(255)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address')
  .meta({ format: 'email' });

/** What `profile` may override, as @esign-kit/core's parseProfileOverrides reads it (for the document only). */
const profileOverrides = z
  .object({
    origin: z.enum(['bottom-left', 'top-left']),
    encoding: z.enum(['corners', 'size']),
    space: z.enum(['visual', 'user']),
    rounding: z.enum(['nearest', 'outward', 'inward']),
    decimals: z.number().int(),
    units: z.enum(['user', 'points']),
    pageBase: z.union([z.literal(0), z.literal(1)]),
    minSize: z.number(),
  })
  .partial()
  .describe("Per-request overrides of the provider's coordinate profile, on top of the deployment's (docs/coordinates.md, Configuring a convention)");

/** A request's coordinate profile overrides: checked by the core (a CoordinateError names `profile.<field>`). */
export const profile = shownAs(json(z.record(z.string(), z.unknown())), component('ProfileOverrides', profileOverrides));

/** How an answer names a stored document (http/context.ts documentView). */
export const storedDocument = z
  .object({
    id: z.string().regex(/^[0-9a-f]{32}$/),
    sha256: z.string(),
    size: z.number().int(),
    source: z.string(),
    createdAt: z.string().meta({ format: 'date-time' }),
    fileName: z.string(),
    url: z.string().describe('GET it here (the PDF, checked against its SHA-256)'),
  })
  .meta({ id: 'StoredDocument' });

/** Stored documents named in a bulk request (checked by pdfsOf, http/pdf-input.ts: a JSON array, also as a multipart field). */
export const documentIds = shownAs(z.unknown(), {
  type: 'array',
  maxItems: 10,
  items: { type: 'string', pattern: '^[0-9a-f]{32}$' },
  description: 'Stored documents (POST /api/documents), after any uploaded files; at most 10 PDFs in all',
});

/** A multipart PDF part (or documentId of a stored document instead). */
export const pdfPart = { description: 'The PDF (or give documentId of an uploaded document).', media: 'application/pdf' } as const;
/** The PDFs of a bulk request as repeated multipart parts (or documentIds). */
export const pdfsPart = {
  description: 'The PDFs as repeated multipart parts "files" (or give documentIds); at most 10 in all.',
  media: 'application/pdf',
  max: 10,
} as const;
/** A secret the caller sends and never gets back (a passphrase, a one-time code, a PDF password). */
export const secret = <T extends z.ZodType>(schema: T) => schema.meta({ writeOnly: true });

/** Validates `req.body` with a zod schema; the ZodError is mapped to 400 with the field. */
export function bodyOf<T extends z.ZodType>(req: Request, schema: T): z.output<T> {
  return schema.parse(req.body ?? {});
}
