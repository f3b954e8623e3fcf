// The organisation's electronic seal (docs/providers/bsre.md D.3–D.5): the activation TOTP (request, refresh,
// revoke), the seal OTP and sealing, with the organisation's certificate.
import type { Router } from 'express';
import { dialectsOf } from '../context.js';
import { b64, bodyFields, jsonBody, str } from '../http.js';
import { LIFETIME } from '../state.js';
import { BSRE_CODES, fail, expiresText, jsonWithFiles, type BsreKit } from './common.js';

/** D.3 activation, D.4 the seal OTP, D.5 Seal PDF. */
export function sealRoutes(router: Router, kit: BsreKit): void {
  const { state, engine, run, v2Stamp, v2Files, subscriber, activeSeal, ctx } = kit;
  router.post(
    '/api/v2/seal/get/activation',
    jsonBody(),
    run(async (req, res) => {
      const b = bodyFields(req);
      if (b.totp === undefined) {
        const s = subscriber(b.idSubscriber);
        s.activationTotp = state.token(16);
        s.activationExpires = Date.now() + 30 * LIFETIME.day;
        s.revoked = false;
        state.save();
        state.deliver({
          provider: 'bsre',
          channel: 'email',
          to: s.email,
          subject: 'TOTP aktivasi segel elektronik',
          text: `TOTP aktivasi ${String(b.idSubscriber)}: ${s.activationTotp}`,
          code: s.activationTotp,
        });
        res.json({ success: true, message: 'TOTP Aktivasi berhasil dikirim', data: null });
        return;
      }
      const s = activeSeal(b.idSubscriber, b.totp);
      s.activationExpires = Date.now() + 30 * LIFETIME.day;
      state.save();
      res.json({
        success: true,
        message: null,
        data: { message: 'TOTP Aktivasi masih berlaku', totp: s.activationTotp, expires: expiresText(s.activationExpires), result: true },
      });
    }),
  );

  router.post(
    '/api/v2/seal/revoke/activation',
    jsonBody(),
    run(async (req, res) => {
      const b = bodyFields(req);
      const s = activeSeal(b.idSubscriber, b.totp);
      s.revoked = true;
      delete s.activationTotp;
      state.save();
      res.json({ success: true, message: 'Aktivasi TOTP berhasil dicabut', data: null });
    }),
  );

  // D.4: `data` is the string "2" in the request schema, "2 (dengan angka)" in the parameter list (seed 002
  // §6.5): the JSON type the deployment selects (BSRE_SEAL_TOTP_DATA_TYPE, default string) is accepted, the
  // other refused.
  router.post(
    '/api/v2/seal/get/totp',
    jsonBody(),
    run(async (req, res) => {
      const b = bodyFields(req);
      const s = activeSeal(b.idSubscriber, b.totp);
      const type = dialectsOf(ctx).bsre.sealTotpDataType;
      if (typeof b.data !== type)
        fail(BSRE_CODES.invalid, type === 'number' ? 'data harus berupa angka (jumlah file)' : 'data harus berupa string angka (jumlah file)');
      const count = Number(b.data);
      if (!Number.isInteger(count) || count < 1) fail(BSRE_CODES.invalid, 'data harus jumlah file yang akan disegel');
      const code = state.issueCode(`bsre-seal:${String(b.idSubscriber)}`, 'bsre-seal', LIFETIME.otp, { files: count });
      state.deliver({
        provider: 'bsre',
        channel: 'email',
        to: s.email,
        subject: 'TOTP segel elektronik',
        text: `Kode TOTP segel: ${code.code} (untuk ${count} dokumen).`,
        code: code.code,
      });
      res.json({ message: 'TOTP berhasil dibuat', totp: code.code, expires: expiresText(code.expiresAt), result: true });
    }),
  );

  // D.5: sealed with the organisation's certificate.
  router.post(
    '/api/v2/seal/pdf',
    jsonWithFiles(),
    run(async (req, res) => {
      const started = Date.now();
      const b = bodyFields(req);
      const s = subscriber(b.idSubscriber);
      const { pdfs, props } = v2Files(b);
      const totp = str(b.totp);
      if (!totp || !state.takeCode(`bsre-seal:${String(b.idSubscriber)}`, totp)) fail(BSRE_CODES.wrongTotp, 'TOTP segel tidak valid atau sudah kadaluarsa');
      const out: string[] = [];
      for (const [i, pdf] of pdfs.entries()) {
        const p = (props.length === 1 ? props[0] : props[i])!;
        const stamp = await v2Stamp(pdf, p, i);
        out.push(
          b64(
            await engine.sign(pdf, {
              who: { kind: 'seal', organisation: s.organisation, email: s.email },
              stamp,
              reason: str(p.reason) ?? 'Segel elektronik',
              location: str(p.location) ?? 'Jakarta',
            }),
          ),
        );
      }
      res.json({ time: Date.now() - started, file: out });
    }),
  );
}
