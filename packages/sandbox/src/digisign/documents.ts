// Digisign's documents (docs/providers/digisign.md §5, §6, §8): Send Document with its signers, boxes and
// e-meterai, the sign page link, and the downloads (PDF and base64).
import { CoordinateFieldError, overlaps, readDigisign } from '../coordinates.js';
import { dialectsOf, profilesOf } from '../context.js';
import { isPdf, pageGeometries } from '../engine.js';
import { hasTrigger, pause, slowTrigger } from '../failures.js';
import { b64, filePart, isRecord, str } from '../http.js';
import type { DigisignSignerEntry, StoredBox } from '../state.js';
import { result, type DigisignKit } from './common.js';

/** §5 Send Document, §6 the sign page link, §8 the downloads. */
export function documentEndpoints(kit: DigisignKit): void {
  const { ctx, state, data, seeded, endpoint, user, linkFor, documentFor } = kit;
  // §5 Send document.
  endpoint('/SendDocMitraAT.html', async (j, req) => {
    const documentId = str(j.document_id);
    if (!documentId) result('05', 'document id kosong');
    const slow = slowTrigger(documentId);
    if (slow) await pause(req, slow);
    // Triggers on the document id (README.md): timeout… → 91, nobalance… → 61.
    if (hasTrigger(documentId, 'timeout')) result('91', 'Sistem timeout, mohon ulangi proses upload document.');
    if (hasTrigger(documentId, 'nobalance')) result('61', 'Saldo Dokumen mitra tidak cukup.');
    const file = filePart(req, 'file');
    if (!file || !isPdf(file.bytes)) result('FE', 'Format dokumen harus pdf');
    if (j.redirect !== true) result('08', 'Anda belum memasukkan link redirect anda.');
    const reqSign = j['req-sign'];
    if (!Array.isArray(reqSign) || reqSign.length === 0) result('05', 'field req-sign tidak ditemukan');
    if (data.documents[documentId!]) result('17', 'Document_id sudah digunakan');
    const pages = (await pageGeometries(file!.bytes)) ?? result('FE', 'Format dokumen harus pdf');
    const read = (s: unknown): StoredBox => {
      if (!isRecord(s)) result('28', 'Request API tidak lengkap.');
      try {
        return readDigisign(pages as never, s as Record<string, unknown>, profilesOf(ctx).digisign);
      } catch (err) {
        if (err instanceof CoordinateFieldError) result('28', 'Request API tidak lengkap.', { info: err.message });
        throw err;
      }
    };
    const signers: DigisignSignerEntry[] = (reqSign as unknown[]).map((s, i) => {
      const e = isRecord(s) ? s : {};
      const name = str(e.name);
      const email = str(e.email);
      const userField = str(e.user) ?? 'ttd';
      if (!name || !email || !/^(ttd|prf)\d*$/i.test(userField)) result('28', 'Request API tidak lengkap.');
      return { name: name!, email: email!, user: userField, box: read(s), visible: str(e.visible) !== '0', seq: Number(e.signing_seq ?? i + 1), signed: false };
    });
    // `meterai_positions` in the table, `meterai-positions` in the examples (seed 004): the key the deployment
    // selects (DIGISIGN_METERAI_FIELD) is read, the other refused by name.
    const meteraiKey = dialectsOf(ctx).digisign.meteraiField;
    const otherMeterai = meteraiKey === 'meterai_positions' ? 'meterai-positions' : 'meterai_positions';
    if (j[otherMeterai] !== undefined) result('28', 'Request API tidak lengkap.', { info: `${otherMeterai} tidak dikenal, gunakan ${meteraiKey}` });
    const meteraiRaw = j[meteraiKey];
    const meterai = Array.isArray(meteraiRaw) ? meteraiRaw.map(read) : [];
    if (meterai.length && !str(j.document_type)) result('28', 'Request API tidak lengkap.');
    for (let a = 0; a < signers.length; a++) {
      for (let b = a + 1; b < signers.length; b++) {
        if (overlaps(signers[a]!.box, signers[b]!.box))
          result('03', 'Kirim dokumen gagal', { info: 'Lokasi tanda tangan sebaiknya diposisikan tidak tumpang tindih' });
      }
      for (const m of meterai) {
        if (overlaps(signers[a]!.box, m))
          result('03', 'Kirim dokumen gagal', { info: 'Lokasi tanda tangan dan e-meterai sebaiknya diposisikan secara berdampingan dan tidak tumpang tindih' });
      }
    }
    const viewers = Array.isArray(j['send-to'])
      ? (j['send-to'] as unknown[]).filter(isRecord).map((v) => ({ name: str(v.name) ?? '', email: str(v.email) ?? '' }))
      : [];
    data.documents[documentId!] = {
      documentId: documentId!,
      owner: ctx.options.credentials.digisignUserId,
      file: state.putFile(file!.bytes),
      signers,
      sequential: j.sequence_option === true,
      meterai,
      viewers,
    };
    state.save();
    for (const s of signers)
      state.deliver({
        provider: 'digisign',
        channel: 'email',
        to: s.email,
        subject: 'Dokumen menunggu tanda tangan',
        text: `Dokumen ${documentId} menunggu tanda tangan Anda.`,
      });
    return { result: '00', notif: 'Kirim dokumen berhasil.', refTrx: `SNDC${Date.now()}` };
  });

  // §6 Sign page link.
  endpoint('/gen/genSignPage.html', async (j) => {
    const d = documentFor(j.document_id);
    if (!d || d.owner !== ctx.options.credentials.digisignUserId) result('05', 'dokumen tidak ditemukan');
    const u = user(j.email_user);
    if (!u?.digisign) result('05', 'user tidak ditemukan');
    const viewOnly = j.view_only === true;
    const s = d!.signers.find((x) => x.email.toLowerCase() === u!.email.toLowerCase());
    if (viewOnly) {
      if (!s && !d!.viewers.some((v) => v.email.toLowerCase() === u!.email.toLowerCase())) result('05', 'user tidak masuk penandatanganan dokumen ini');
      return { result: '00', link: linkFor('view', u!.email, d!.documentId) };
    }
    if (!s) result('05', 'user tidak masuk penandatanganan dokumen ini');
    if (s!.signed) result('05', 'user telah menandatangani dokumen ini');
    return { result: '00', link: linkFor('sign', u!.email, d!.documentId) };
  });

  // §8 Downloads.
  endpoint('/DWMITRA.html', async (j, _req, res) => {
    await seeded;
    const d = documentFor(j.document_id);
    if (!d) {
      res.status(404).type('text/plain').send('Document not found');
      return undefined;
    }
    if (d.owner !== ctx.options.credentials.digisignUserId) {
      res.status(403).type('text/plain').send('Partners are not allowed to access documents');
      return undefined;
    }
    res.type('application/pdf').send(Buffer.from(state.getFile(d.file)));
    return undefined;
  });
  endpoint('/DWMITRA64.html', async (j) => {
    await seeded;
    const d = documentFor(j.document_id);
    if (!d) result('05', 'file tidak ditemukan');
    if (d!.owner !== ctx.options.credentials.digisignUserId) result('12', 'Mitra tidak diijinkan untuk akses dokumen.');
    return { result: '00', file: b64(state.getFile(d!.file)) };
  });
}
