// Documents: a portal uploads a PDF once (checked, stored durably) and refers to it by id when signing;
// every signed PDF lands here too, and GET serves the stored bytes after checking their SHA-256.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { documentView } from '../context.js';
import { HttpError, withField } from '../errors.js';
import { checkPdf } from '../pdf-input.js';
import { fileNameOf, fileOf } from '../uploads.js';
import { userOf } from '../auth.js';

export function documentsRouter(ctx: AppContext): Router {
  const r = Router();
  r.post('/documents', async (req, res) => {
    const bytes = fileOf(req, 'file');
    if (!bytes) throw new HttpError('invalid-input', 'Send the PDF as the multipart part "file".', 'file');
    const pdf = await checkPdf(bytes, 'file', fileNameOf(req, 'file'));
    const meta = await ctx.store.put(pdf.bytes, { source: 'upload', owner: userOf(req), fileName: pdf.fileName });
    res.status(201).location(`/api/documents/${meta.id}`).json({ document: { ...documentView(meta), pages: pdf.pages.length } });
  });

  r.get('/documents/:id', async (req, res) => {
    const { bytes, meta } = await withField('id', ctx.store.get(req.params.id, userOf(req)));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${meta.fileName.replace(/"/g, '')}"`);
    res.setHeader('X-Checksum-Sha256', meta.sha256);
    res.setHeader('ETag', `"${meta.sha256}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  r.get('/documents/:id/meta', async (req, res) => {
    res.json({ document: documentView(await withField('id', ctx.store.meta(req.params.id, userOf(req)))) });
  });
  return r;
}
