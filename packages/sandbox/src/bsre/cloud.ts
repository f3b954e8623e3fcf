// The BSrE cloud "E-Sign API service" simulator (docs/providers/bsre.md Part A): an OAuth client-credentials
// token, then the entity API behind it (sign request, sign, download, verify).
import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { PageGeometry } from '@esign-kit/core';
import { readBsreBottomLeft } from '../coordinates.js';
import { dialectsOf, profilesOf } from '../context.js';
import { isPdf } from '../engine.js';
import { filePart, str, upload } from '../http.js';
import type { StampContent } from '../signing/index.js';
import type { StoredBox } from '../state.js';
import { BSRE_CODES, fail, same, type BsreKit } from './common.js';
import { legacyVerification } from './verify.js';

/** POST /oauth/token and the entity API under /api/v2/entity. */
export function cloudRoutes(router: Router, kit: BsreKit): void {
  const { ctx, state, engine, signer, checkPassphrase, geometry, readBox, run, specimen } = kit;

  router.post('/oauth/token', (req, res) => {
    const q = req.query;
    if (q.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${String(q.grant_type ?? '')}` });
      return;
    }
    const creds = ctx.options.credentials;
    if (
      typeof q.client_id !== 'string' ||
      typeof q.client_secret !== 'string' ||
      !same(q.client_id, creds.bsreCloudClientId) ||
      !same(q.client_secret, creds.bsreCloudClientSecret)
    ) {
      res.status(401).json({ error: 'invalid_client', error_description: 'Bad client credentials' });
      return;
    }
    const token = randomUUID();
    const now = Date.now();
    for (const [t, exp] of Object.entries(state.data.bsre.cloudTokens)) if (exp < now) delete state.data.bsre.cloudTokens[t];
    state.data.bsre.cloudTokens[token] = now + 3599_000;
    state.save();
    res.json({ access_token: token, token_type: 'bearer', expires_in: 3599, scope: 'read write' });
  });

  const cloud = express.Router();
  // The token is read where the deployment says it goes (BSRE_CLOUD_TOKEN_PLACEMENT; seed 000 does not
  // say): a token in the other place is not looked at, as a server that reads one place would not.
  cloud.use((req, res, next) => {
    const header = req.get('authorization');
    const fromHeader = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const fromQuery = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
    const token = dialectsOf(ctx).bsreCloud.tokenPlacement === 'query' ? fromQuery : fromHeader;
    const exp = token ? state.data.bsre.cloudTokens[token] : undefined;
    if (!token || !exp || exp < Date.now()) {
      res.status(401).json({
        error: 'invalid_token',
        error_description: token ? `Invalid access token: ${token.slice(0, 8)}…` : 'Full authentication is required to access this resource',
      });
      return;
    }
    next();
  });

  cloud.post(
    '/sign/request',
    upload.any(),
    run(async (req, res) => {
      const q = req.query as Record<string, unknown>;
      const who = str(q.penandatangan);
      if (!who) fail(BSRE_CODES.invalid, 'penandatangan wajib diisi');
      const user = signer(/^\d{16}$/.test(who!) ? { nik: who } : { email: who });
      const file = filePart(req, 'file');
      if (!file) fail(BSRE_CODES.invalid, 'File wajib diunggah');
      const pages = await geometry(file!.bytes);
      const tampilan = str(q.tampilan);
      if (tampilan !== 'visible' && tampilan !== 'invisible') fail(BSRE_CODES.invalid, 'tampilan harus visible atau invisible');
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && k !== 'access_token') params[k] = v;
      if (tampilan === 'visible') {
        if (params.image !== 'true' && params.image !== 'false') fail(BSRE_CODES.invalid, 'image harus true atau false');
        if (params.image === 'false' && !params.linkQR) fail(BSRE_CODES.invalid, 'linkQR wajib diisi jika image=false');
        // Checked now, so that a bad box is refused before the signer is asked.
        cloudBox(pages, params);
      }
      const id = state.token(16);
      state.data.bsre.cloudRequests[id] = { signer: user.nik, file: state.putFile(file!.bytes), params, signed: false };
      state.save();
      state.deliver({
        provider: 'bsre',
        channel: 'email',
        to: user.email,
        subject: 'Permintaan tanda tangan elektronik',
        text: `Dokumen ${file!.name} menunggu tanda tangan Anda (id ${id}).`,
      });
      res.json({ message: 'Permintaan tanda tangan telah disampaikan kepada user. Silahkan untuk mengecek status tanda tangan', id_signed: id });
    }),
  );

  function cloudBox(pages: readonly PageGeometry[], p: Record<string, string>): StoredBox {
    const page = p.halaman === 'pertama' ? 1 : p.halaman === 'terakhir' ? pages.length : fail(BSRE_CODES.coordinates, 'halaman harus pertama atau terakhir');
    // The deployment's BSRE_CLOUD_PROFILE is how this provider reads the numbers (halaman is no page number).
    return readBox(() => readBsreBottomLeft(pages, page, p.xAxis, p.yAxis, p.width, p.height, { ...profilesOf(ctx).bsreCloud, pageBase: 1 }));
  }

  cloud.post(
    '/sign/download/:id',
    run(async (req, res) => {
      const r = state.data.bsre.cloudRequests[String(req.params.id)];
      if (!r) fail(BSRE_CODES.notFound, 'Dokumen tidak ditemukan', 404);
      if (!r!.signed) fail(BSRE_CODES.notSigned, 'Dokumen belum ditandatangani');
      res.type('application/pdf').send(Buffer.from(state.getFile(r!.file)));
    }),
  );

  cloud.post(
    '/sign/:id',
    run(async (req, res) => {
      const started = Date.now();
      const r = state.data.bsre.cloudRequests[String(req.params.id)];
      if (!r) fail(BSRE_CODES.notFound, 'Permintaan tanda tangan tidak ditemukan', 404);
      if (r!.signed) fail(BSRE_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
      const user = signer({ nik: r!.signer });
      checkPassphrase(user, str(req.query.passphrase));
      const pdf = state.getFile(r!.file);
      const p = r!.params;
      let stamp: { box: StoredBox; content: StampContent } | undefined;
      if (p.tampilan === 'visible') {
        const box = cloudBox(await geometry(pdf), p);
        stamp = { box, content: p.image === 'true' ? { kind: 'image', image: specimen(user) } : { kind: 'qr', url: p.linkQR ?? '', lines: [user.name] } };
      }
      const signed = await engine.sign(pdf, {
        who: { kind: 'person', user },
        stamp,
        reason: p.perihal ?? 'Dokumen telah ditandatangani secara elektronik',
        location: 'Indonesia',
      });
      r!.file = state.putFile(signed);
      r!.signed = true;
      state.save();
      res.json({ waktu: `${Date.now() - started} ms`, message: 'Proses berhasil' });
    }),
  );

  cloud.post(
    ['/verify', '/verify/'],
    upload.any(),
    run(async (req, res) => {
      const file = filePart(req, 'signed_file');
      if (!file) fail(BSRE_CODES.invalid, 'signed_file wajib diunggah');
      if (!isPdf(file!.bytes)) fail(BSRE_CODES.notPdf, 'File bukan dokumen PDF');
      res.json(legacyVerification(await engine.verify(file!.bytes), file!.name, 'SUMMARY'));
    }),
  );

  router.use('/api/v2/entity', cloud);
}
