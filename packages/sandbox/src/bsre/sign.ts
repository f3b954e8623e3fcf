// The Esign Client API v2's signing (docs/providers/bsre.md D.1, D.2): the signing TOTP, sent to the signer's
// e-mail for a number of files, and Sign PDF with a passphrase or that TOTP, one or several PDFs.
import type { Router } from 'express';
import { dialectsOf } from '../context.js';
import { pause, slowTrigger } from '../failures.js';
import { b64, bodyFields, jsonBody, str } from '../http.js';
import { LIFETIME } from '../state.js';
import { BSRE_CODES, fail, expiresText, jsonWithFiles, type BsreKit } from './common.js';

/** D.2 the signing TOTP, D.1 Sign PDF. */
export function signRoutes(router: Router, kit: BsreKit): void {
  const { state, engine, signer, checkPassphrase, run, v2Stamp, v2Files, ctx } = kit;
  router.post(
    '/api/v2/sign/get/totp',
    jsonBody(),
    run(async (req, res) => {
      const b = bodyFields(req);
      const nik = str(b.nik);
      const email = str(b.email);
      if (!nik && !email) fail(BSRE_CODES.invalid, 'nik atau email wajib diisi');
      const user = signer(nik ? { nik } : { email });
      if (nik && email && user.email.toLowerCase() !== email.toLowerCase()) fail(BSRE_CODES.invalid, 'nik dan email tidak sesuai');
      // §6.3: `data` is a number in the schema and its text ("dengan angka").
      if (typeof b.data !== 'number') fail(BSRE_CODES.invalid, 'data harus berupa angka (jumlah file)');
      const count = Number(b.data);
      if (!Number.isInteger(count) || count < 1) fail(BSRE_CODES.invalid, 'data harus jumlah file yang akan ditandatangani');
      const code = state.issueCode(`bsre-sign:${user.nik}`, 'bsre-sign', LIFETIME.otp, { files: count });
      state.deliver({
        provider: 'bsre',
        channel: 'email',
        to: user.email,
        subject: 'TOTP tanda tangan elektronik',
        text: `Kode TOTP Anda: ${code.code} (untuk ${count} dokumen, berlaku 5 menit).`,
        code: code.code,
      });
      res.json({ success: true, message: 'TOTP berhasil dikirim ke email', data: { expires: expiresText(code.expiresAt) } });
    }),
  );

  router.post(
    '/api/v2/sign/pdf',
    jsonWithFiles(),
    run(async (req, res) => {
      const started = Date.now();
      const b = bodyFields(req);
      const nik = str(b.nik);
      const email = str(b.email);
      if (!nik === !email) fail(BSRE_CODES.invalid, 'Isi tepat satu: nik atau email');
      const slow = slowTrigger(email);
      if (slow) await pause(req, slow);
      const passphrase = str(b.passphrase);
      // The schema says `totp`, the examples c/d send `otp` (seed 002 §6.2): the key the deployment selects
      // (BSRE_SIGN_OTP_FIELD) is read; the other is refused by name, never silently taken.
      const otpKey = dialectsOf(ctx).bsre.signOtpField;
      const otherKey = otpKey === 'totp' ? 'otp' : 'totp';
      if (b[otherKey] !== undefined) fail(BSRE_CODES.invalid, `Parameter ${otherKey} tidak dikenal, gunakan ${otpKey}`);
      const totp = str(b[otpKey]);
      if ((passphrase === undefined) === (totp === undefined)) fail(BSRE_CODES.invalid, 'Isi tepat satu: passphrase atau totp');
      const { pdfs, props } = v2Files(b);
      const user = signer({ nik, email });
      if (passphrase !== undefined) checkPassphrase(user, passphrase);
      else {
        const pending = state.data.codes[`bsre-sign:${user.nik}`];
        if (pending && Number(pending.data?.files) < pdfs.length)
          fail(BSRE_CODES.wrongTotp, `TOTP tidak valid: diminta untuk ${String(pending.data?.files)} dokumen`);
        if (!state.takeCode(`bsre-sign:${user.nik}`, totp!)) fail(BSRE_CODES.wrongTotp, 'TOTP tidak valid atau sudah kadaluarsa');
      }
      const out: string[] = [];
      for (const [i, pdf] of pdfs.entries()) {
        const p = (props.length === 1 ? props[0] : props[i])!;
        const stamp = await v2Stamp(pdf, p, i);
        out.push(
          b64(
            await engine.sign(pdf, {
              who: { kind: 'person', user },
              stamp,
              reason: str(p.reason) ?? 'Dokumen ini telah ditandatangani secara elektronik',
              location: str(p.location) ?? 'Indonesia',
            }),
          ),
        );
      }
      res.json({ time: Date.now() - started, file: out });
    }),
  );
}
