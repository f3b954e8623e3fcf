// Digisign's web views (docs/providers/digisign.md §3, §4, §6, §7): `activationpage.html?act=`,
// `signingpage.html?sgn=`, `viewpage.html?view=`. They finish by redirecting to the partner's redirect URL with
// `?msg=` = the result JSON encrypted AES/ECB/PKCS5 with the partner key, base64 with MIME line breaks,
// URL-encoded (§7.1).
import { createCipheriv, timingSafeEqual } from 'node:crypto';
import type { Express, Response } from 'express';
import { trimSlash, type SandboxContext } from '../context.js';
import { escapeHtml, isRecord, str } from '../http.js';
import type { StampContent } from '../signing/index.js';
import { LIFETIME } from '../state.js';
import { page, documentLink } from './pages.js';

/** §7.1 written from the spec (not the adapter's helper): AES-128-ECB/PKCS5 → base64 wrapped at 76 → URL-encoded. */
export function encryptRedirectMessage(payload: Record<string, unknown>, key: string): string {
  const k = Buffer.from(key, 'utf8');
  if (k.length !== 16) throw new TypeError('The Digisign AES key must be 16 bytes.');
  const cipher = createCipheriv('aes-128-ecb', k, null);
  const bytes = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const lines = bytes.toString('base64').match(/.{1,76}/g) ?? [];
  return encodeURIComponent(lines.join('\n'));
}

/** Who stamps an e-meterai in the sandbox (a seal certificate of the sandbox CA). */
export const METERAI_ISSUER = 'Meterai Elektronik Sandbox';

/** The activation, signing and view pages, their OTPs, and the redirect that ends each. */
export function digisignPages(app: Express, ctx: SandboxContext): void {
  const { state, engine } = ctx;
  const redirectUrl = () => ctx.options.digisignRedirectUrl ?? `${trimSlash(ctx.options.publicUrl)}/api/digisign/redirect`;
  const redirectWith = (res: Response, payload: Record<string, unknown>) => {
    const url = redirectUrl();
    res.redirect(303, `${url}${url.includes('?') ? '&' : '?'}msg=${encryptRedirectMessage(payload, ctx.options.credentials.digisignAesKey)}`);
  };

  /** §11: 404 unknown link, 408 expired session, 401 unknown user. */
  const link = (res: Response, token: unknown, kind: 'activation' | 'sign' | 'view') => {
    const l = typeof token === 'string' ? state.data.digisign.links[token] : undefined;
    if (!l || l.kind !== kind) {
      res
        .status(404)
        .type('html')
        .send(page(res, 'Digisign', '<h1>Digisign</h1><p class="err">Halaman tidak ditemukan.</p>'));
      return undefined;
    }
    if (l.expiresAt < Date.now()) {
      res
        .status(408)
        .type('html')
        .send(page(res, 'Digisign', '<h1>Digisign</h1><p class="err">Session Expired.</p>'));
      return undefined;
    }
    const u = state.userByEmail(l.email);
    if (!u?.digisign) {
      res
        .status(401)
        .type('html')
        .send(page(res, 'Digisign', '<h1>Digisign</h1><p class="err">User not found.</p>'));
      return undefined;
    }
    const d = l.documentId ? state.data.digisign.documents[l.documentId] : undefined;
    if (kind !== 'activation' && !d) {
      res
        .status(404)
        .type('html')
        .send(page(res, 'Digisign', '<h1>Digisign</h1><p class="err">Document not found.</p>'));
      return undefined;
    }
    return { l, u, d, token: token as string };
  };

  const otpKey = (token: string) => `digisign-webview:${token}`;
  /** §6.3: the user must wait one minute before asking for another OTP. Returns the message to show. */
  const sendOtp = (token: string, email: string, phone: string): string => {
    const pending = state.data.codes[otpKey(token)];
    if (pending && pending.expiresAt - LIFETIME.otp > Date.now() - 60_000) return '<p class="err">Tunggu 1 menit sebelum meminta OTP lagi.</p>';
    const c = state.issueCode(otpKey(token), 'digisign-webview', LIFETIME.otp);
    state.deliver({ provider: 'digisign', channel: 'sms', to: phone, subject: 'OTP', text: `Digisign: kode OTP ${c.code}`, code: c.code });
    state.deliver({ provider: 'digisign', channel: 'email', to: email, subject: 'Kode OTP Digisign', text: `Kode OTP Anda: ${c.code}`, code: c.code });
    return '<p>OTP telah dikirim.</p>';
  };

  const activationForm = (res: Response, token: string, email: string, message = '') =>
    page(
      res,
      'Aktivasi Digisign',
      `<h1>Aktivasi akun Digisign</h1><p>Email: ${escapeHtml(email)}</p>${message}
  <form method="post" action="activationpage.html"><input type="hidden" name="act" value="${escapeHtml(token)}">
  <button name="action" value="otp">Kirim OTP</button></form>
  <form method="post" action="activationpage.html"><input type="hidden" name="act" value="${escapeHtml(token)}"><input type="hidden" name="action" value="activate">
  <label>Kode OTP <input name="otp" inputmode="numeric" maxlength="6" autocomplete="one-time-code" required></label>
  <label>Password <input type="password" name="password" minlength="8" required></label>
  <label>Ulangi password <input type="password" name="password2" minlength="8" required></label>
  <label><input type="checkbox" name="consent_terms" value="1" required> Saya telah membaca dan menyetujui syarat dan ketentuan Digisign.</label>
  <label><input type="checkbox" name="consent_data" value="1" required> Saya menyetujui pemrosesan data pribadi saya untuk penerbitan sertifikat elektronik.</label>
  <button>Aktivasi</button></form>`,
    );

  app.get('/digisign/activationpage.html', (req, res) => {
    const x = link(res, req.query.act, 'activation');
    if (x) res.type('html').send(activationForm(res, x.token, x.u.email));
  });
  app.post('/digisign/activationpage.html', (req, res) => {
    const b = isRecord(req.body) ? req.body : {};
    const x = link(res, b.act, 'activation');
    if (!x) return;
    const again = (msg: string) =>
      res
        .status(400)
        .type('html')
        .send(activationForm(res, x.token, x.u.email, `<p class="err">${escapeHtml(msg)}</p>`));
    if (b.action === 'otp') {
      res.type('html').send(activationForm(res, x.token, x.u.email, sendOtp(x.token, x.u.email, x.u.phone)));
      return;
    }
    if (x.u.digisign!.activated) {
      redirectWith(res, { result: '14', notif: 'Email sudah melakukan aktivasi', email_user: x.u.email, nik: x.u.nik });
      return;
    }
    if (b.consent_terms !== '1' || b.consent_data !== '1') return again('Anda harus menyetujui syarat dan ketentuan.');
    const password = str(b.password) ?? '';
    if (password.length < 8 || password !== str(b.password2)) return again('Password minimal 8 karakter dan harus sama.');
    if (!state.takeCode(otpKey(x.token), str(b.otp) ?? '')) return again('Kode OTP salah atau sudah kadaluarsa.');
    x.u.digisign!.activated = true;
    x.u.digisign!.password = password;
    delete state.data.digisign.links[x.token];
    state.save();
    // Register `redirect: false` (§2.2): only a success notice is shown.
    if (x.u.digisign!.redirect === false) {
      res.type('html').send(page(res, 'Aktivasi Digisign', '<h1>Aktivasi akun Digisign</h1><p>Proses Aktivasi Berhasil</p>'));
      return;
    }
    redirectWith(res, {
      result: '00',
      notif: 'Proses Aktivasi Berhasil',
      email_user: x.u.email,
      nik: x.u.nik,
      verifikasi: { nama: true, tanggal_lahir: true, selfie: true },
    });
  });

  const signForm = (res: Response, token: string, name: string, documentId: string, meterai: boolean, bytes: number, message = '') =>
    page(
      res,
      'Tanda tangan Digisign',
      `<h1>Tanda tangan dokumen ${escapeHtml(documentId)}</h1><p>Penandatangan: ${escapeHtml(name)}</p>${message}
  ${documentLink(`document?sgn=${encodeURIComponent(token)}`, bytes)}
  ${meterai ? '<p><strong>Dokumen ini dibubuhi Meterai Elektronik</strong></p>' : ''}
  <form method="post" action="signingpage.html"><input type="hidden" name="sgn" value="${escapeHtml(token)}"><button name="action" value="otp">Kirim OTP</button></form>
  <form method="post" action="signingpage.html"><input type="hidden" name="sgn" value="${escapeHtml(token)}"><input type="hidden" name="action" value="sign">
  <label>Kode OTP <input name="otp" inputmode="numeric" maxlength="6" autocomplete="one-time-code" required></label>
  <label>Password <input type="password" name="password" required></label>
  <label><input type="checkbox" name="consent_sign" value="1" required> Saya menyetujui penerbitan sertifikat dan penandatanganan dokumen ini secara elektronik.</label>
  ${meterai ? '<label><input type="checkbox" name="consent_meterai" value="1" required> Saya menyetujui pembubuhan Meterai Elektronik pada dokumen ini.</label>' : ''}
  <button>Tanda tangan</button></form>`,
    );

  app.get('/digisign/signingpage.html', (req, res) => {
    const x = link(res, req.query.sgn, 'sign');
    if (x) res.type('html').send(signForm(res, x.token, x.u.name, x.d!.documentId, x.d!.meterai.length > 0, state.getFile(x.d!.file).byteLength));
  });
  app.get('/digisign/viewpage.html', (req, res) => {
    const x = link(res, req.query.view, 'view');
    if (x)
      res
        .type('html')
        .send(
          page(
            res,
            'Dokumen Digisign',
            `<h1>Dokumen ${escapeHtml(x.d!.documentId)}</h1>${documentLink(`document?view=${encodeURIComponent(x.token)}`, state.getFile(x.d!.file).byteLength)}`,
          ),
        );
  });
  app.get('/digisign/document', (req, res) => {
    const token = str(req.query.sgn) ?? str(req.query.view);
    const l = token ? state.data.digisign.links[token] : undefined;
    const d = l?.documentId ? state.data.digisign.documents[l.documentId] : undefined;
    if (!d || l!.expiresAt < Date.now()) {
      res.status(404).end();
      return;
    }
    res.type('application/pdf').send(Buffer.from(state.getFile(d.file)));
  });
  app.post('/digisign/signingpage.html', async (req, res) => {
    const b = isRecord(req.body) ? req.body : {};
    const x = link(res, b.sgn, 'sign');
    if (!x) return;
    const d = x.d!;
    const again = (msg: string) =>
      res
        .status(400)
        .type('html')
        .send(signForm(res, x.token, x.u.name, d.documentId, d.meterai.length > 0, state.getFile(d.file).byteLength, `<p class="err">${escapeHtml(msg)}</p>`));
    if (b.action === 'otp') {
      res
        .type('html')
        .send(signForm(res, x.token, x.u.name, d.documentId, d.meterai.length > 0, state.getFile(d.file).byteLength, sendOtp(x.token, x.u.email, x.u.phone)));
      return;
    }
    const mine = d.signers.filter((s) => s.email.toLowerCase() === x.u.email.toLowerCase() && !s.signed);
    if (!mine.length) return again('Anda sudah menandatangani dokumen ini.');
    if (d.sequential) {
      const first = [...d.signers].filter((s) => !s.signed).sort((a, c) => a.seq - c.seq)[0];
      if (first && first.email.toLowerCase() !== x.u.email.toLowerCase()) return again('Belum giliran Anda menandatangani dokumen ini.');
    }
    if (!x.u.digisign!.activated) return again('Akun Anda belum diaktivasi.');
    if (b.consent_sign !== '1' || (d.meterai.length > 0 && b.consent_meterai !== '1')) return again('Anda harus memberikan persetujuan.');
    const password = str(b.password) ?? '';
    const known = x.u.digisign!.password ?? '';
    if (!known || Buffer.byteLength(password) !== Buffer.byteLength(known) || !timingSafeEqual(Buffer.from(password), Buffer.from(known)))
      return again('Password salah.');
    if (!state.takeCode(otpKey(x.token), str(b.otp) ?? '')) return again('Kode OTP salah atau sudah kadaluarsa.');
    let pdf = state.getFile(d.file);
    // The e-meterai (seed 004, Sign Document with e-Meterai: the signer signs "dokumen yang dibubuhi Meterai
    // Elektronik", with a consent of its own): stamped in each ordered box with the first signing, under the
    // signer's signature; by the stamp issuer, not by any signer (the seed names no certificate for it).
    if (d.meterai.length && !d.meteraiStamped) {
      for (const [i, box] of d.meterai.entries()) {
        pdf = await engine.sign(pdf, {
          who: { kind: 'seal', organisation: METERAI_ISSUER },
          stamp: { box, content: { kind: 'text', lines: ['METERAI', 'ELEKTRONIK', `${d.documentId}-${i + 1}`] } },
          reason: 'Meterai Elektronik',
          location: 'Indonesia',
        });
      }
      d.meteraiStamped = true;
    }
    const specimen = x.u.specimenPng ? new Uint8Array(Buffer.from(x.u.specimenPng, 'base64')) : undefined;
    for (const s of mine) {
      const content: StampContent = specimen ? { kind: 'image', image: specimen } : { kind: 'text', lines: [x.u.name] };
      pdf = await engine.sign(pdf, {
        who: { kind: 'person', user: x.u },
        stamp: s.visible ? { box: s.box, content } : undefined,
        reason: s.user.toLowerCase().startsWith('prf') ? 'Paraf elektronik' : 'Tanda tangan elektronik',
        location: 'Indonesia',
      });
      s.signed = true;
    }
    d.file = state.putFile(pdf);
    delete state.data.digisign.links[x.token];
    state.save();
    const complete = d.signers.every((s) => s.signed);
    // The wire value in the examples is `complete` (the table says completed/waiting, gap 11).
    redirectWith(res, {
      document_id: d.documentId,
      status_document: complete ? 'complete' : 'waiting',
      result: '00',
      notif: 'Proses tanda tangan berhasil!',
      email_user: x.u.email,
    });
  });
}
