// The zod pieces request bodies are built from, and bodyOf, which validates a body with one (a ZodError becomes
// a 400 naming the field, http/errors.ts).
import type { Request } from 'express';
import { z } from 'zod';

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

export const neutralBox = z.object({ page: z.number().int().min(1), x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() });
export const nik = z.string().regex(/^\d{16}$/, 'must be a 16-digit NIK');
export const email = z.string().max(255).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address');

/** Validates `req.body` with a zod schema; the ZodError is mapped to 400 with the field. */
export function bodyOf<T extends z.ZodType>(req: Request, schema: T): z.output<T> {
  return schema.parse(req.body ?? {});
}
