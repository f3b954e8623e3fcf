// The Esign Client's users (docs/providers/bsre.md C.1, D.6, D.7): status by NIK (v1, at the path the deployment
// selects) or NIK/e-mail (v2), and registration (v2).
import type { Router } from 'express';
import { dialectsOf } from '../context.js';
import { pause, slowTrigger } from '../failures.js';
import { bodyFields, jsonBody, str } from '../http.js';
import { BSRE_CODES, fail, type BsreKit } from './common.js';

/** D.6 status and D.7 registration (v2), behind HTTP Basic. */
export function userRoutes(router: Router, kit: BsreKit): void {
  const { state, run, statusAnswer } = kit;
  router.post(
    '/api/v2/user/check/status',
    jsonBody(),
    run(async (req, res) => {
      const b = bodyFields(req);
      const nik = str(b.nik);
      const email = str(b.email);
      if (!nik === !email) fail(BSRE_CODES.invalid, 'Isi salah satu: nik atau email');
      res.json(statusAnswer(nik ? state.userByNik(nik) : state.userByEmail(email!)));
    }),
  );

  router.post(
    '/api/v2/user/registration',
    jsonBody(),
    run(async (req, res) => {
      const b = bodyFields(req);
      const nama = str(b.nama)?.trim();
      const email = str(b.email)?.trim();
      if (!nama || !email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(BSRE_CODES.invalid, 'nama dan email wajib diisi dengan benar');
      const slow = slowTrigger(email);
      if (slow) await pause(req, slow);
      if (state.userByEmail(email!)) fail(BSRE_CODES.emailTaken, 'Email sudah terdaftar');
      state.data.users.push({ name: nama!, email: email!, nik: '', phone: '', bsreStatus: 'NO_CERTIFICATE', passphrase: '' });
      state.save();
      state.deliver({
        provider: 'bsre',
        channel: 'email',
        to: email!,
        subject: 'Pendaftaran akun BSrE',
        text: `Halo ${nama}, akun Anda telah terdaftar. Petugas RA akan memverifikasi permohonan sertifikat Anda.`,
      });
      res.json({ success: true, message: 'Registrasi berhasil, silahkan cek email untuk melanjutkan proses', data: null });
    }),
  );
}

/**
 * C.1: the user status of API v1 answers at the one path the deployment selects (BSRE_V1_USER_STATUS_PATH;
 * seed 001 §III.C shows it only in a screenshot); any other path is not this route (404). Mounted before HTTP
 * Basic guards /api, since the path may be anywhere.
 */
export function v1StatusRoute(router: Router, kit: BsreKit): void {
  const { ctx, state, basicAuth, statusAnswer } = kit;
  router.use((req, res, next) => {
    if (req.method !== 'GET') return next();
    const nik = v1StatusNik(dialectsOf(ctx).bsre.v1UserStatusPath, req.path);
    if (nik === undefined) return next();
    basicAuth(req, res, () => res.json(statusAnswer(state.userByNik(nik))));
  });
}

/** The NIK of a GET path that matches the v1 status template (`{nik}` once), or undefined. */
export function v1StatusNik(template: string, path: string): string | undefined {
  const [before, after] = template.split('{nik}');
  if (after === undefined || !path.startsWith(before!) || !path.endsWith(after) || path.length <= before!.length + after.length) return undefined;
  const nik = path.slice(before!.length, path.length - after.length);
  if (nik.includes('/')) return undefined;
  try {
    return decodeURIComponent(nik);
  } catch {
    return undefined;
  }
}
