// Digisign's users (docs/providers/digisign.md §2, §3, §9): registration, the activation link, and changing a
// not yet activated user's e-mail or phone.
import { randomInt } from 'node:crypto';
import { dialectsOf, trimSlash } from '../context.js';
import { hasTrigger, pause, slowTrigger } from '../failures.js';
import { b64, filePart, isJpeg, str } from '../http.js';
import { LIFETIME } from '../state.js';
import { answer, result, wib, type DigisignKit } from './common.js';

/** §2 Register and §3 the activation link. */
export function registrationEndpoints(kit: DigisignKit): void {
  const { ctx, state, endpoint, user, linkFor } = kit;
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
    if (selfie!.bytes.byteLength > 500 * 1024)
      result('12', 'verifikasi user gagal.', { data: allTrue, info: 'Verifikasi wajah gagal. Size foto selfie maksimal 500KB' });
    if (!isJpeg(selfie!.bytes)) result('12', 'verifikasi user gagal.', { data: allTrue, info: 'Verifikasi wajah gagal. Format foto selfie harus JPEG' });
    // Triggers: NIKs ending in 9912 are unknown to the civil registry; 9913 fail the face match.
    if (nik!.endsWith('9912'))
      result('12', 'verifikasi user gagal. NIK\\Nama\\tanggal lahir tidak sesuai', { data: { nik: false, name: false, birthdate: false } });
    if (nik!.endsWith('9913')) result('12', 'verifikasi user gagal.', { data: { nik: true, name: true, birthdate: true }, info: 'Verifikasi wajah gagal' });
    const byEmail = state.userByEmail(email!);
    const byNik = state.data.users.find((u) => u.nik === nik && u.digisign);
    if (byEmail?.digisign && byEmail.nik !== nik) result('14', 'Email sudah terdaftar dengan NIK lain, silahkan gunakan email lain.', { data: allTrue });
    if (byNik && byNik.email.toLowerCase() !== email!.toLowerCase())
      result('14', 'NIK sudah terdaftar dengan email lain, silahkan login dengan email yang sesuai NIK atau gunakan NIK lain.', {
        email_registered: byNik.email,
        data: allTrue,
      });
    if (byNik?.digisign) {
      if (!byNik.digisign.activated)
        return {
          result: '00',
          notif: 'Email sudah terdaftar, namun belum melakukan aktivasi. Silahkan untuk melakukan aktivasi sebelum data dihapus dari daftar aktivasi.',
          kode_user: byNik.digisign.kodeUser,
        };
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
    return {
      kode_user: kodeUser,
      expired_aktifasi: wib(Date.now() + 2 * LIFETIME.day),
      result: '00',
      notif: 'Berhasil, silahkan check email untuk aktivasi akun anda.',
      info: link,
      data: allTrue,
    };
  });

  // §3 Activation link.
  endpoint('/gen/genACTPage.html', async (j) => {
    const u = user(j.email_user);
    if (!u?.digisign) result('06', 'General Error');
    if (u!.digisign!.activated) result('14', 'Email sudah melakukan aktivasi');
    return { result: '00', link: linkFor('activation', u!.email) };
  });
}

/** §9 Change e-mail or phone, at the path the deployment selects. */
export function contactEndpoint(kit: DigisignKit): void {
  const { ctx, state, router, endpoint, user } = kit;
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
    if (req.method === 'POST' && (req.path === changeContactPath() || req.path === '/UPDATE-EP.html'))
      req.url = req.path === changeContactPath() ? '/UPDATE-EP.html' : '/UPDATE-EP.html/not-selected';
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
    if (state.data.users.some((x) => x !== u && x.digisign && x.phone === newPhone))
      result('14', 'Nomor handphone pengganti sudah terdaftar, silahkan gunakan nomor handpone lain.');
    u!.email = newEmail;
    u!.phone = newPhone;
    state.save();
    return { result: '00', notif: 'Sukses update data' };
  });
}
