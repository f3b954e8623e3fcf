// Digisign simulator (digisign.md): multipart POSTs to `.html` endpoints with `Authorization: Bearer`, the
// JSON in the field `jsonfield` as `{"JSONFile":{…}}`, answers wrapped the same way with a 2-character
// `result` ("00" = success) and the documented `notif` texts (§10); Download PDF answers raw bytes or an
// HTTP status (§8.1, §11). Sign and activation happen in the web views (webviews.ts), which redirect with
// the AES-encrypted `msg` (§4, §7).
import { randomInt } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { CoordinateFieldError, overlaps, readDigisign } from './coordinates.js';
import { dialectsOf, profilesOf, trimSlash, type SandboxContext } from './context.js';
import { isPdf, pageGeometries } from './engine.js';
import { headerTriggers, hasTrigger, pause, slowTrigger } from './failures.js';
import { PDFDocument } from 'pdf-lib';
import { b64, filePart, isJpeg, isRecord, requestErrors, str, upload } from './http.js';
import { LIFETIME, type DigisignSignerEntry, type StoredBox } from './state.js';

class DigisignAnswer extends Error {
  constructor(
    readonly fields: Record<string, unknown>,
    readonly wrapped = true,
  ) {
    super(String(fields.notif ?? fields.result));
  }
}
const answer = (fields: Record<string, unknown>, wrapped = true): never => {
  throw new DigisignAnswer(fields, wrapped);
};
const result = (code: string, notif: string, extra: Record<string, unknown> = {}): never => answer({ result: code, notif, ...extra });

/** `dd-MM-yyyy HH:mm:ss WIB` (UTC+7). */
function wib(ms: number): string {
  const d = new Date(ms + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${p(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} WIB`;
}

/** A document owned by another partner, seeded so that "partner not allowed" (§10.6 row 2, HTTP 403) can be tried. */
export const FOREIGN_DOCUMENT_ID = 'milik-mitra-lain';

export function createDigisignRouter(ctx: SandboxContext): Router {
  const { state } = ctx;
  const data = state.data.digisign;
  const router = express.Router();
  const seeded = seedForeignDocument(ctx);
  router.use(
    headerTriggers((code, _req, res) => {
      if (/^\d{3}$/.test(code)) res.status(Number(code)).type('text/plain').send(`Sandbox: forced HTTP ${code}`);
      else if (code === '91') res.type('application/json').send(JSON.stringify({ result: '91', notif: 'system timeout, silahkan coba kembali 10 menit kemudian' }));
      else res.type('application/json').send(JSON.stringify({ JSONFile: { result: code, notif: `Sandbox: forced result ${code}` } }));
    }),
  );

  const send = (res: Response, fields: Record<string, unknown>, wrapped = true) => {
    // The endpoints answer a JSON string (§1.1).
    res.type('application/json').send(JSON.stringify(wrapped ? { JSONFile: fields } : fields));
  };

  type Handler = (j: Record<string, unknown>, req: Request, res: Response) => Promise<Record<string, unknown> | undefined>;
  const endpoint = (path: string, handler: Handler) => {
    router.post(path, upload.any(), async (req, res) => {
      try {
        const auth = req.get('authorization') ?? '';
        if (!auth.startsWith('Bearer ') || auth.slice(7).trim() !== ctx.options.credentials.digisignToken) result('55', 'Token tidak valid.');
        const raw = isRecord(req.body) ? req.body.jsonfield : undefined;
        if (typeof raw !== 'string') result('05', 'Data request tidak ditemukan');
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw as string);
        } catch {
          result('28', 'Request API tidak lengkap.');
        }
        const j = isRecord(parsed) && isRecord(parsed.JSONFile) ? parsed.JSONFile : undefined;
        if (!j) result('05', 'Data request tidak ditemukan');
        if (str(j!.userid) !== ctx.options.credentials.digisignUserId) result('55', 'Userid tidak terdaftar sebagai admin mitra.');
        const out = await handler(j!, req, res);
        if (out) send(res, out);
      } catch (err) {
        if (err instanceof DigisignAnswer) {
          send(res, err.fields, err.wrapped);
          return;
        }
        throw err;
      }
    });
  };

  const user = (email: unknown) => (typeof email === 'string' ? state.userByEmail(email) : undefined);
  const linkFor = (kind: 'activation' | 'sign' | 'view', email: string, documentId?: string) => {
    const token = state.token(24);
    data.links[token] = { kind, email, ...(documentId ? { documentId } : {}), expiresAt: Date.now() + LIFETIME.day };
    state.save();
    const page = kind === 'activation' ? 'activationpage.html?act=' : kind === 'sign' ? 'signingpage.html?sgn=' : 'viewpage.html?view=';
    return `${trimSlash(ctx.options.webViewUrl)}/digisign/${page}${encodeURIComponent(token)}`;
  };

  // §2 Register.
  endpoint('/REG-MITRA.html', async (j, req) => {
    const email = str(j.email);
    const nik = str(j.idktp);
    const slow = slowTrigger(email);
    if (slow) await pause(req, slow);
    // Trigger: an e-mail starting with "timeout" gets case 4 of §2.5 (printed without the JSONFile wrapper).
    if (hasTrigger(email, 'timeout')) answer({ result: '91', notif: 'system timeout, silahkan coba kembali 10 menit kemudian' }, false);
    for (const k of ['jenis_kelamin', 'nama', 'tlp', 'tgl_lahir', 'idktp', 'tmp_lahir', 'email']) if (!str(j[k])) result('28', 'Request API tidak lengkap.');
    // "Laki-laki"/"Perempuan" in the table, "laki-laki" in the example (seed 004 API Register): the case the
    // deployment selects (DIGISIGN_GENDER_CASE) is accepted, anything else refused.
    const genders = dialectsOf(ctx).digisign.genderCase === 'capitalized' ? ['Laki-laki', 'Perempuan'] : ['laki-laki', 'perempuan'];
    if (!genders.includes(str(j.jenis_kelamin)!)) result('28', 'Request API tidak lengkap.', { info: `jenis_kelamin harus ${genders.join(' atau ')}` });
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email!)) result('FE', 'Format email salah.');
    if (!/^\d{16}$/.test(nik!)) result('FE', 'Format NIK salah.');
    if (!/^\d{2}-\d{2}-\d{4}$/.test(str(j.tgl_lahir)!)) result('28', 'Request API tidak lengkap.');
    if (!/^(\+62|62|08)\d{6,13}$/.test(str(j.tlp)!)) result('28', 'Request API tidak lengkap.');
    const ktp = filePart(req, 'fotoktp');
    const selfie = filePart(req, 'fotodiri');
    if (!ktp || !selfie) result('28', 'Request API tidak lengkap.');
    const allTrue = { name: true, birthdate: true, selfie: true };
    if (selfie!.bytes.byteLength > 500 * 1024) result('12', 'verifikasi user gagal.', { data: allTrue, info: 'Verifikasi wajah gagal. Size foto selfie maksimal 500KB' });
    if (!isJpeg(selfie!.bytes)) result('12', 'verifikasi user gagal.', { data: allTrue, info: 'Verifikasi wajah gagal. Format foto selfie harus JPEG' });
    // Triggers: NIKs ending in 9912 are unknown to the civil registry; 9913 fail the face match.
    if (nik!.endsWith('9912')) result('12', 'verifikasi user gagal. NIK\\Nama\\tanggal lahir tidak sesuai', { data: { nik: false, name: false, birthdate: false } });
    if (nik!.endsWith('9913')) result('12', 'verifikasi user gagal.', { data: { nik: true, name: true, birthdate: true }, info: 'Verifikasi wajah gagal' });
    const byEmail = state.userByEmail(email!);
    const byNik = state.data.users.find((u) => u.nik === nik && u.digisign);
    if (byEmail?.digisign && byEmail.nik !== nik) result('14', 'Email sudah terdaftar dengan NIK lain, silahkan gunakan email lain.', { data: allTrue });
    if (byNik && byNik.email.toLowerCase() !== email!.toLowerCase()) result('14', 'NIK sudah terdaftar dengan email lain, silahkan login dengan email yang sesuai NIK atau gunakan NIK lain.', { email_registered: byNik.email, data: allTrue });
    if (byNik?.digisign) {
      if (!byNik.digisign.activated) return { result: '00', notif: 'Email sudah terdaftar, namun belum melakukan aktivasi. Silahkan untuk melakukan aktivasi sebelum data dihapus dari daftar aktivasi.', kode_user: byNik.digisign.kodeUser };
      return { result: '00', notif: 'Anda sudah terdaftar sebelumnya, silahkan gunakan layanan Digisign', kode_user: byNik.digisign.kodeUser };
    }
    if (state.data.users.some((u) => u.digisign && u.phone === str(j.tlp))) result('15', 'No Handphone sudah digunakan. Gunakan No Handphone lain.');
    const kodeUser = `2305${String(randomInt(0, 1e11)).padStart(11, '0')}`;
    const ttd = filePart(req, 'ttd');
    const redirect = j.redirect === true;
    if (byEmail) byEmail.digisign = { activated: false, kodeUser, redirect };
    else
      state.data.users.push({
        name: str(j.nama)!,
        email: email!,
        nik: nik!,
        phone: str(j.tlp)!,
        bsreStatus: 'NOT_REGISTERED',
        passphrase: '',
        digisign: { activated: false, kodeUser, redirect },
        ...(ttd ? { specimenPng: b64(ttd.bytes) } : {}),
      });
    state.save();
    const link = linkFor('activation', email!);
    state.deliver({ provider: 'digisign', channel: 'email', to: email!, subject: 'Aktivasi akun Digisign', text: `Silahkan aktivasi akun Anda: ${link}` });
    return { kode_user: kodeUser, expired_aktifasi: wib(Date.now() + 2 * LIFETIME.day), result: '00', notif: 'Berhasil, silahkan check email untuk aktivasi akun anda.', info: link, data: allTrue };
  });

  // §3 Activation link.
  endpoint('/gen/genACTPage.html', async (j) => {
    const u = user(j.email_user);
    if (!u?.digisign) result('06', 'General Error');
    if (u!.digisign!.activated) result('14', 'Email sudah melakukan aktivasi');
    return { result: '00', link: linkFor('activation', u!.email) };
  });

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
        if (overlaps(signers[a]!.box, signers[b]!.box)) result('03', 'Kirim dokumen gagal', { info: 'Lokasi tanda tangan sebaiknya diposisikan tidak tumpang tindih' });
      }
      for (const m of meterai) {
        if (overlaps(signers[a]!.box, m)) result('03', 'Kirim dokumen gagal', { info: 'Lokasi tanda tangan dan e-meterai sebaiknya diposisikan secara berdampingan dan tidak tumpang tindih' });
      }
    }
    const viewers = Array.isArray(j['send-to']) ? (j['send-to'] as unknown[]).filter(isRecord).map((v) => ({ name: str(v.name) ?? '', email: str(v.email) ?? '' })) : [];
    data.documents[documentId!] = { documentId: documentId!, owner: ctx.options.credentials.digisignUserId, file: state.putFile(file!.bytes), signers, sequential: j.sequence_option === true, meterai, viewers };
    state.save();
    for (const s of signers) state.deliver({ provider: 'digisign', channel: 'email', to: s.email, subject: 'Dokumen menunggu tanda tangan', text: `Dokumen ${documentId} menunggu tanda tangan Anda.` });
    return { result: '00', notif: 'Kirim dokumen berhasil.', refTrx: `SNDC${Date.now()}` };
  });

  const documentFor = (documentId: unknown) => {
    const d = typeof documentId === 'string' ? data.documents[documentId] : undefined;
    return d;
  };

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

  // §9 Change e-mail or phone (users not yet activated only), at the URL the deployment selects
  // (DIGISIGN_CHANGE_CONTACT_URL: seed 004 prints another domain): the path of that URL under this
  // simulator, `/UPDATE-EP.html` by default; nothing when it points elsewhere.
  const changeContactPath = (): string | undefined => {
    const selected = dialectsOf(ctx).digisign.changeContactUrl;
    if (selected === undefined) return '/UPDATE-EP.html';
    const own = `${trimSlash(ctx.options.publicUrl)}/sandbox/digisign`;
    return selected.startsWith(`${own}/`) ? selected.slice(own.length) : undefined;
  };
  router.use((req, _res, next) => {
    // Any other path, including the default one when another is selected, is not this endpoint (404).
    if (req.method === 'POST' && (req.path === changeContactPath() || req.path === '/UPDATE-EP.html')) req.url = req.path === changeContactPath() ? '/UPDATE-EP.html' : '/UPDATE-EP.html/not-selected';
    next();
  });
  endpoint('/UPDATE-EP.html', async (j) => {
    const u = user(j.email_lama);
    if (!u?.digisign) result('05', 'Email belum terdaftar');
    if (u!.digisign!.activated) result('14', 'User sudah aktif, silahkan mengubah data pada halaman dashboard');
    if (str(j.nohp_lama) !== u!.phone) result('08', 'Nomor hp lama tidak cocok');
    const newEmail = str(j.email_baru) ?? u!.email;
    const newPhone = str(j.nohp_baru) ?? u!.phone;
    const other = state.userByEmail(newEmail);
    if (other && other !== u) result('14', 'Email pengganti sudah terdaftar, silahkan gunakan email lain.');
    if (state.data.users.some((x) => x !== u && x.digisign && x.phone === newPhone)) result('14', 'Nomor handphone pengganti sudah terdaftar, silahkan gunakan nomor handpone lain.');
    u!.email = newEmail;
    u!.phone = newPhone;
    state.save();
    return { result: '00', notif: 'Sukses update data' };
  });

  router.use(requestErrors((res) => send(res, { result: '28', notif: 'Request API tidak lengkap.' })));
  return router;
}

/** Seeds the document of another partner once (its bytes are a tiny valid PDF). */
export async function seedForeignDocument(ctx: SandboxContext): Promise<void> {
  const docs = ctx.state.data.digisign.documents;
  if (docs[FOREIGN_DOCUMENT_ID]) return;
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Dokumen mitra lain', { x: 50, y: 780, size: 14 });
  docs[FOREIGN_DOCUMENT_ID] = { documentId: FOREIGN_DOCUMENT_ID, owner: 'admin@mitra-lain.sandbox.test', file: ctx.state.putFile(await doc.save()), signers: [], sequential: false, meterai: [], viewers: [] };
  ctx.state.save();
}
