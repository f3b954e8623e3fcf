// Peruri's users (docs/providers/peruri.md §4.1–§4.5): Registration → Activation → Video Verification → Send
// Speciment → Check Certificate.
import { pause, slowTrigger } from '../failures.js';
import { base64Bytes, b64, str } from '../http.js';
import { PERURI_CODES, fail, type PeruriHandler, type PeruriKit } from './common.js';

/** §4: registration, activation, video e-KYC, specimen, certificate. */
export function userOperations(operations: Map<string, PeruriHandler>, kit: PeruriKit): void {
  const { ctx, state, need, checkSystem, userOf } = kit;
  // §4.1–4.5: Registration → Activation → Video Verification → Send Speciment → Check Certificate.
  operations.set('registration', async (p, req) => {
    checkSystem(p);
    for (const k of ['name', 'phone', 'email', 'type', 'ktp', 'ktpPhoto', 'address', 'city', 'province', 'gender', 'placeOfBirth', 'dateOfBirth']) need(p, k);
    const email = need(p, 'email');
    const slow = slowTrigger(email);
    if (slow && req) await pause(req, slow);
    if (!/^\d{16}$/.test(need(p, 'ktp'))) fail(PERURI_CODES.missingField, 'ktp harus 16 digit');
    if (!/^\d{2}\/\d{2}\/\d{4}$/.test(need(p, 'dateOfBirth'))) fail(PERURI_CODES.missingField, 'dateOfBirth harus dd/mm/yyyy');
    if (!['M', 'F'].includes(need(p, 'gender'))) fail(PERURI_CODES.missingField, 'gender harus M atau F');
    if (!base64Bytes(p.ktpPhoto)) fail(PERURI_CODES.missingField, 'ktpPhoto harus base64 tanpa prefix');
    if (state.userByEmail(email)) fail(PERURI_CODES.emailTaken, 'Email sudah terdaftar');
    state.data.users.push({
      name: need(p, 'name'),
      email,
      nik: need(p, 'ktp'),
      phone: need(p, 'phone'),
      bsreStatus: 'NOT_REGISTERED',
      passphrase: '',
      peruri: { activated: false, kyc: false, specimen: false, certificate: false },
    });
    state.save();
    state.deliver({
      provider: 'peruri',
      channel: 'email',
      to: email,
      subject: 'Aktivasi akun Peruri Digital Signature',
      text: `Akun Anda telah terdaftar. Lanjutkan aktivasi: ${ctx.options.webViewUrl.replace(/\/+$/, '')}/peruri/index.php?email=${encodeURIComponent(email)}&systemId=${encodeURIComponent(ctx.options.credentials.peruriSystemId)}`,
    });
    return { desc: 'Sukses registrasi, silakan cek email untuk aktivasi' };
  });
  operations.set('activation', async (p) => {
    checkSystem(p);
    const u = userOf(need(p, 'email'));
    u.peruri!.activated = true;
    state.save();
    return { desc: 'Sukses aktivasi akun, silakan lanjutkan proses verifikasi' };
  });
  operations.set('videoVerification', async (p) => {
    checkSystem(p);
    const u = userOf(need(p, 'email'));
    if (!u.peruri!.activated) fail(PERURI_CODES.notReady, 'Akun belum diaktivasi');
    const video = str(p.videoStream);
    if (video?.startsWith('data:')) fail(PERURI_CODES.missingField, 'videoStream tidak boleh memakai prefix data:');
    const bytes = base64Bytes(video);
    if (!bytes || bytes.length === 0) fail(PERURI_CODES.missingField, 'videoStream harus base64');
    // Trigger: a video whose bytes start with "FAIL" does not match the civil registry photo.
    if (Buffer.from(bytes!.subarray(0, 4)).toString('latin1') === 'FAIL') fail(PERURI_CODES.kycFailed, 'Verifikasi wajah gagal');
    u.peruri!.kyc = true;
    state.save();
    return { desc: 'Success' };
  });
  operations.set('sendSpeciment', async (p) => {
    checkSystem(p);
    const u = userOf(need(p, 'email'));
    const img = base64Bytes(p.speciment);
    if (!img) fail(PERURI_CODES.missingField, 'speciment harus base64 tanpa prefix');
    u.specimenPng = b64(img!);
    u.peruri!.specimen = true;
    if (u.peruri!.activated && u.peruri!.kyc) u.peruri!.certificate = true;
    state.save();
    return { desc: 'Success' };
  });
  operations.set('checkCertificate', async (p) => {
    checkSystem(p);
    const u = userOf(need(p, 'email'));
    if (!u.peruri!.certificate) fail(PERURI_CODES.certificatePending, 'Sertifikat belum terbit');
    return { desc: 'Sertifikat sudah terbit' };
  });
}
