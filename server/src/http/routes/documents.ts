// Documents: a portal uploads a PDF once (checked, stored durably) and refers to it by id when signing;
// every signed PDF lands here too, and GET serves the stored bytes after checking their SHA-256.
import { createReadStream } from 'node:fs';
import type { Router } from 'express';
import { z } from 'zod';
import { userOf } from '../auth.js';
import type { AppContext } from '../context.js';
import { documentView } from '../context.js';
import { HttpError, withField } from '../errors.js';
import { checkUpload } from '../pdf-input.js';
import { storedDocument } from '../schemas.js';
import { pdfUploads } from '../uploads.js';

const id = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .describe('The id the upload (or a signing) answered'),
});

export function documentsRouter(ctx: AppContext): Router {
  const r = ctx.api.router('/api');
  r.post(
    {
      path: '/documents',
      tag: 'documents',
      summary: 'Upload a PDF (checked: magic and full parse) and store it',
      body: { schema: z.object({}), media: 'multipart', files: { file: { description: 'The PDF', media: 'application/pdf', required: true } } },
      answers: { 201: { description: 'Stored', schema: z.object({ document: storedDocument.extend({ pages: z.number().int() }) }) } },
      errors: [400, 401, 413],
    },
    async (req, res) => {
      const [upload] = pdfUploads(req, ['file']);
      if (!upload) throw new HttpError('invalid-input', 'Send the PDF as the multipart part "file".', 'file');
      const pdf = await checkUpload(ctx.intake.as(userOf(req)), upload);
      // From the spooled file to the store, a chunk at a time: a large upload is never held in memory.
      const source = upload.path !== undefined ? createReadStream(upload.path) : [upload.bytes!];
      const meta = await ctx.store.putStream(source, { source: 'upload', owner: userOf(req), fileName: pdf.fileName });
      res
        .status(201)
        .location(`/api/documents/${meta.id}`)
        .json({ document: { ...documentView(meta), pages: pdf.pages.length } });
    },
  );

  r.get(
    {
      path: '/documents/:id',
      tag: 'documents',
      summary: 'A stored PDF (checked against its SHA-256)',
      params: id,
      answers: { 200: { description: 'The PDF; X-Checksum-Sha256 holds its SHA-256', media: 'application/pdf' } },
      errors: [400, 401, 404],
    },
    async (req, res) => {
      const { bytes, meta } = await withField('id', ctx.store.get(String(req.params.id), userOf(req)));
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${meta.fileName.replace(/"/g, '')}"`);
      res.setHeader('X-Checksum-Sha256', meta.sha256);
      res.setHeader('ETag', `"${meta.sha256}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );

  r.get(
    {
      path: '/documents/:id/meta',
      tag: 'documents',
      summary: "A stored document's metadata",
      params: id,
      answers: { 200: { description: 'Metadata', schema: z.object({ document: storedDocument }) } },
      errors: [400, 401, 404],
    },
    async (req, res) => {
      res.json({ document: documentView(await withField('id', ctx.store.meta(String(req.params.id), userOf(req)))) });
    },
  );
  return r.router;
}
