// The Esign Client API v1's signing (docs/providers/bsre.md C.2, C.3): multipart, the signed PDF as the answer
// with `id_dokumen`, and its download, once.
import type { Router } from 'express';
import { readBsreBottomLeft } from '../coordinates.js';
import { profilesOf } from '../context.js';
import { bodyFields, filePart, str, upload } from '../http.js';
import type { StampContent } from '../signing/index.js';
import type { StoredBox } from '../state.js';
import { BSRE_CODES, fail, type BsreKit } from './common.js';

/** C.2 Sign PDF and C.3 the download-once. */
export function v1Routes(router: Router, kit: BsreKit): void {
  const { state, engine, signer, checkPassphrase, geometry, readBox, tagBox, image, run, ctx } = kit;
  router.post(
    '/api/sign/pdf',
    upload.any(),
    run(async (req, res) => {
      const f = bodyFields(req);
      const file = filePart(req, 'file');
      if (!file) fail(BSRE_CODES.invalid, 'File wajib diunggah');
      const nik = str(f.nik);
      if (!nik) fail(BSRE_CODES.invalid, 'nik wajib diisi');
      const pages = await geometry(file!.bytes);
      const tampilan = str(f.tampilan);
      if (tampilan !== 'visible' && tampilan !== 'invisible') fail(BSRE_CODES.invalid, 'tampilan harus visible atau invisible');
      const user = signer({ nik });
      checkPassphrase(user, str(f.passphrase));
      let stamp: { box: StoredBox; content: StampContent } | undefined;
      if (tampilan === 'visible') {
        const isImage = f.image === 'true' ? true : f.image === 'false' ? false : fail(BSRE_CODES.invalid, 'image harus true atau false');
        const linkQR = str(f.linkQR);
        if (!isImage && !linkQR) fail(BSRE_CODES.invalid, 'linkQR wajib diisi jika image=false');
        const text = str(f.text);
        const content: StampContent = isImage
          ? { kind: 'image', image: image(filePart(req, 'imageTTD')?.bytes, 'imageTTD') }
          : { kind: 'qr', url: linkQR!, lines: text ? [user.name, text] : [user.name] };
        const tag = str(f.tag_koordinat);
        let box: StoredBox;
        if (tag) box = await tagBox(file!.bytes, tag, f.width, f.height);
        else {
          // `page` or `halaman` (first/last): one of them (gap 11); `page` wins when both are sent.
          const v1 = profilesOf(ctx).bsreV1;
          const byPage = f.page !== undefined;
          const page = byPage
            ? Number(f.page)
            : f.halaman === 'pertama'
              ? 1
              : f.halaman === 'terakhir'
                ? pages.length
                : fail(BSRE_CODES.coordinates, 'page atau halaman wajib diisi');
          box = readBox(() => readBsreBottomLeft(pages, page, f.xAxis, f.yAxis, f.width, f.height, byPage ? v1 : { ...v1, pageBase: 1 }));
        }
        stamp = { box, content };
      }
      const signed = await engine.sign(file!.bytes, {
        who: { kind: 'person', user },
        stamp,
        reason: str(f.reason) ?? 'Dokumen telah ditandatangani secara elektronik',
        location: str(f.location) ?? 'Indonesia',
      });
      const id = state.token(16);
      state.data.bsre.v1Documents[id] = { file: state.putFile(signed), downloaded: false };
      state.save();
      res.set('id_dokumen', id).type('application/pdf').send(Buffer.from(signed));
    }),
  );

  // C.3: each document can be downloaded only once.
  router.get(
    '/api/sign/download/:id',
    run(async (req, res) => {
      const d = state.data.bsre.v1Documents[String(req.params.id)];
      if (!d || d.downloaded) fail(BSRE_CODES.notFound, 'Dokumen tidak ditemukan atau sudah pernah diunduh', 404);
      d!.downloaded = true;
      state.save();
      res.type('application/pdf').send(Buffer.from(state.getFile(d!.file)));
    }),
  );
}
