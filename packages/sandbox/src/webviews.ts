// The web views, served from a second origin (another port) like the real ones:
// - Peruri (peruri.md §4.6, §5.7, §9): `index.php?email&systemId` (activation: e-KYC with the camera or a
//   sandbox "use test video" button, then the specimen pad) and `signing.php?orderId` (review, OTP). They
//   report to the embedding portal with `window.parent.postMessage({ func, message }, <portal origin>)`.
// - Digisign (digisign.md §3, §4, §6, §7): `activationpage.html?act=`, `signingpage.html?sgn=`,
//   `viewpage.html?view=`. They finish by redirecting to the partner's redirect URL with `?msg=` = the result
//   JSON encrypted AES/ECB/PKCS5 with the partner key, base64 with MIME line breaks, URL-encoded (§7.1).
import { createCipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { trimSlash, type SandboxContext } from './context.js';
import { escapeHtml, isRecord, str } from './http.js';
import { PeruriFailure, peruriOperations } from './peruri/index.js';
import type { StampContent } from './signing/index.js';
import { LIFETIME } from './state.js';

/** §7.1 written from the spec (not the adapter's helper): AES-128-ECB/PKCS5 → base64 wrapped at 76 → URL-encoded. */
export function encryptRedirectMessage(payload: Record<string, unknown>, key: string): string {
  const k = Buffer.from(key, 'utf8');
  if (k.length !== 16) throw new TypeError('The Digisign AES key must be 16 bytes.');
  const cipher = createCipheriv('aes-128-ecb', k, null);
  const bytes = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const lines = bytes.toString('base64').match(/.{1,76}/g) ?? [];
  return encodeURIComponent(lines.join('\n'));
}

const TEST_VIDEO_BASE64 = Buffer.from('SANDBOX-TEST-VIDEO: a recorded face, as far as the sandbox is concerned.').toString('base64');

/** A page of the simulated web views; its inline style and script carry the response's CSP nonce. */
function page(res: Response, title: string, body: string, script = ''): string {
  const nonce = String(res.locals.nonce);
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body{font:15px system-ui,sans-serif;margin:0;padding:1.2rem;color:#1b1b1b}h1{font-size:1.2rem}.note{background:#fff7d6;padding:.5rem .8rem;border-radius:6px}
.err{color:#a40000;font-weight:600}button{font:inherit;padding:.45rem 1rem;margin:.2rem .3rem .2rem 0}input{font:inherit;padding:.35rem}
.doc{padding:.8rem;border:1px solid #ccc;border-radius:6px;background:#f6f7f9}canvas{border:1px solid #888;touch-action:none;background:#fff}label{display:block;margin:.4rem 0}</style>
</head><body><p class="note">Sandbox — bukan layanan sebenarnya</p>${body}${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

/**
 * The document to sign, as a link rather than an embedded viewer: the portal frames these pages in a sandboxed
 * iframe, where browsers run no PDF plugin (an embedded PDF shows a broken-plugin icon).
 */
function documentLink(href: string, bytes: number): string {
  return `<p class="doc"><a href="${escapeHtml(href)}" target="_blank" rel="noopener">Buka dokumen (PDF)</a> · <span>${Math.max(1, Math.round(bytes / 1024))} KB</span></p>`;
}

export function createWebViewApp(ctx: SandboxContext): Express {
  const { state, engine } = ctx;
  const app = express();
  app.disable('x-powered-by');
  const peruri = peruriOperations(ctx);
  // Like a provider's pages: framed by the portals only; scripts and styles only the page's own (nonce'd);
  // forms post here, and the Digisign pages' 303 to the redirect URL (this companion's landing) is allowed.
  const frameAncestors = `frame-ancestors 'self' ${ctx.options.portalOrigins.join(' ')}`.trim();
  app.use((_req, res, next) => {
    const redirectOrigin = new URL(ctx.options.digisignRedirectUrl ?? ctx.options.publicUrl).origin;
    const nonce = randomBytes(16).toString('base64');
    res.locals.nonce = nonce;
    res.set(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'; form-action 'self' ${redirectOrigin}; ${frameAncestors}`,
    );
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  app.use(express.json({ limit: '20mb' }));

  const origins = JSON.stringify(ctx.options.portalOrigins);
  /** postMessage to every allowed portal origin: the browser delivers it only to the one that embeds us. */
  const notifyParent = (func: string) => `function notifyParent(message){var origins=${origins};for(var i=0;i<origins.length;i++){try{window.parent.postMessage({func:${JSON.stringify(func)},message:message},origins[i]);}catch(e){}}}`;

  // ------------------------------------------------------------------------------------------------
  // Peruri

  const peruriCall = async (res: Response, name: string, p: Record<string, unknown>, req: Request) => {
    try {
      const out = await peruri.get(name)!(p, req);
      res.json({ resultCode: '0', resultDesc: out.desc, ...(out.data !== undefined ? { data: out.data } : {}) });
    } catch (err) {
      if (err instanceof PeruriFailure) res.json({ resultCode: err.code, resultDesc: err.message });
      else throw err;
    }
  };

  app.get(['/peruri/index.php', '/peruri/activation'], (req, res) => {
    const email = str(req.query.email) ?? '';
    const systemId = str(req.query.systemId) ?? '';
    const u = state.userByEmail(email);
    if (!u?.peruri || systemId !== ctx.options.credentials.peruriSystemId) {
      res.status(404).type('html').send(page(res, 'Aktivasi', '<h1>Aktivasi sertifikat</h1><p class="err">Email atau systemId tidak dikenal.</p>'));
      return;
    }
    const ctxJson = JSON.stringify({ email, systemId }).replace(/</g, '\\u003c');
    res.type('html').send(
      page(
        res,
        'Aktivasi sertifikat',
        `<h1>Aktivasi sertifikat — ${escapeHtml(u.name)}</h1>
<section id="step1"><p>Proses E-KYC: rekam wajah Anda. Tanpa aksesoris seperti kacamata.</p><button id="start">Lanjutkan</button></section>
<section id="step2" hidden><p>Rekam Wajah</p><video id="cam" width="320" height="240" autoplay muted playsinline></video><br>
<button id="record">Rekam Wajah (kamera)</button><button id="testvideo">Gunakan video uji (sandbox)</button><p id="kycmsg"></p></section>
<section id="step3" hidden><p>Selamat! Proses E-KYC berhasil dilakukan.</p><p>Silahkan Tanda Tangan di Bawah</p>
<canvas id="pad" width="400" height="150"></canvas><br><button id="clear">Hapus</button><button id="cancel">Batal</button><button id="save">Simpan</button><p id="padmsg"></p></section>`,
        `var ctx=${ctxJson};${notifyParent('generateCertificate')}
function post(path,body){return fetch(path,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(body)}).then(function(r){return r.json();});}
function show(id){['step1','step2','step3'].forEach(function(s){document.getElementById(s).hidden=(s!==id);});}
document.getElementById('start').onclick=function(){show('step2');if(navigator.mediaDevices&&navigator.mediaDevices.getUserMedia){navigator.mediaDevices.getUserMedia({video:true}).then(function(s){document.getElementById('cam').srcObject=s;window._stream=s;}).catch(function(){document.getElementById('kycmsg').textContent='Kamera tidak tersedia: gunakan video uji.';});}};
function kyc(b64){document.getElementById('kycmsg').textContent='Memverifikasi…';post('kyc',{email:ctx.email,systemId:ctx.systemId,videoStream:b64}).then(function(r){if(r.resultCode==='0'){show('step3');}else{document.getElementById('kycmsg').textContent=r.resultDesc;notifyParent(r);}});}
document.getElementById('testvideo').onclick=function(){kyc(${JSON.stringify(TEST_VIDEO_BASE64)});};
document.getElementById('record').onclick=function(){var s=window._stream;if(!s||!window.MediaRecorder){document.getElementById('kycmsg').textContent='Perekaman tidak tersedia: gunakan video uji.';return;}var rec=new MediaRecorder(s),chunks=[];rec.ondataavailable=function(e){chunks.push(e.data);};rec.onstop=function(){new Blob(chunks).arrayBuffer().then(function(buf){var b='',u=new Uint8Array(buf);for(var i=0;i<u.length;i++)b+=String.fromCharCode(u[i]);kyc(btoa(b));});};rec.start();document.getElementById('kycmsg').textContent='Merekam 3 detik…';setTimeout(function(){rec.stop();},3000);};
var pad=document.getElementById('pad'),g=pad.getContext('2d'),down=false;g.lineWidth=2.5;g.strokeStyle='#12308a';
pad.onpointerdown=function(e){down=true;g.beginPath();g.moveTo(e.offsetX,e.offsetY);};pad.onpointermove=function(e){if(down){g.lineTo(e.offsetX,e.offsetY);g.stroke();}};window.onpointerup=function(){down=false;};
document.getElementById('clear').onclick=function(){g.clearRect(0,0,pad.width,pad.height);};
document.getElementById('cancel').onclick=function(){notifyParent({resultCode:'1',resultDesc:'Dibatalkan oleh pengguna'});};
document.getElementById('save').onclick=function(){var b64=pad.toDataURL('image/png').split(',')[1];post('specimen',{email:ctx.email,systemId:ctx.systemId,speciment:b64}).then(function(r){if(r.resultCode==='0'){document.getElementById('padmsg').textContent='Data sertifikat berhasil di-generate';notifyParent({resultCode:'0',resultDesc:'Data sertifikat berhasil di-generate'});}else{document.getElementById('padmsg').textContent=r.resultDesc;notifyParent(r);}});};`,
      ),
    );
  });
  app.post('/peruri/kyc', async (req, res) => {
    const b = isRecord(req.body) ? req.body : {};
    const u = state.userByEmail(str(b.email) ?? '');
    if (u?.peruri && !u.peruri.activated) {
      u.peruri.activated = true;
      state.save();
    }
    await peruriCall(res, 'videoVerification', b, req);
  });
  app.post('/peruri/specimen', async (req, res) => {
    await peruriCall(res, 'sendSpeciment', isRecord(req.body) ? req.body : {}, req);
  });

  app.get(['/peruri/signing.php', '/peruri/signing'], (req, res) => {
    const orderId = str(req.query.orderId) ?? '';
    const o = state.data.peruri.orders[orderId];
    if (!o) {
      res.status(404).type('html').send(page(res, 'Tanda tangan', '<h1>Tanda tangan dokumen</h1><p class="err">orderId tidak ditemukan.</p>'));
      return;
    }
    res.type('html').send(
      page(
        res,
        'Tanda tangan dokumen',
        `<h1>Tanda tangan dokumen — ${escapeHtml(o.fileName)}</h1>
${documentLink(`document?orderId=${encodeURIComponent(orderId)}`, state.getFile(o.file).byteLength)}
<p>${o.status === 'signed' ? 'Dokumen sudah ditandatangani.' : 'Periksa dokumen, lalu minta kode OTP.'}</p>
<button id="otp">Kirim OTP</button><label>Kode OTP <input id="code" inputmode="numeric" maxlength="6" autocomplete="one-time-code"></label><button id="sign">Tanda tangan</button><p id="msg"></p>`,
        `var orderId=${JSON.stringify(orderId)},token=null;${notifyParent('signDocument')}
function post(path,body){return fetch(path,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(body)}).then(function(r){return r.json();});}
document.getElementById('otp').onclick=function(){post('otp',{orderId:orderId}).then(function(r){if(r.resultCode==='0'){token=r.data.token;document.getElementById('msg').textContent='OTP dikirim ke '+r.data.phone+' dan email Anda.';}else{document.getElementById('msg').textContent=r.resultDesc;}});};
document.getElementById('sign').onclick=function(){post('sign',{orderId:orderId,otpCode:document.getElementById('code').value,token:token}).then(function(r){document.getElementById('msg').textContent=r.resultDesc;notifyParent({resultCode:r.resultCode,resultDesc:r.resultDesc});});};`,
      ),
    );
  });
  app.get('/peruri/document', (req, res) => {
    const o = state.data.peruri.orders[str(req.query.orderId) ?? ''];
    if (!o) {
      res.status(404).end();
      return;
    }
    res.type('application/pdf').send(Buffer.from(state.getFile(o.file)));
  });
  app.post('/peruri/otp', async (req, res) => {
    await peruriCall(res, 'getOtp', { orderId: str(isRecord(req.body) ? req.body.orderId : undefined) ?? '' }, req);
  });
  app.post('/peruri/sign', async (req, res) => {
    const b = isRecord(req.body) ? req.body : {};
    const o = state.data.peruri.orders[str(b.orderId) ?? ''];
    // The real page lets the person position the image; this one signs where the order says, or, when no
    // placement was given (always the case for tiers), with an invisible signature.
    const invisible = { signer: [{ isVisualSign: 'NO', certificateLevel: 'NOT_CERTIFIED', varLocation: 'Indonesia' }] };
    await peruriCall(res, o?.tier ? 'signingTier' : 'signing', { orderId: b.orderId, otpCode: b.otpCode, token: b.token, ...(o && (o.tier || !o.signers) ? invisible : {}) }, req);
  });

  // ------------------------------------------------------------------------------------------------
  // Digisign

  const redirectUrl = () => ctx.options.digisignRedirectUrl ?? `${trimSlash(ctx.options.publicUrl)}/api/digisign/redirect`;
  const redirectWith = (res: Response, payload: Record<string, unknown>) => {
    const url = redirectUrl();
    res.redirect(303, `${url}${url.includes('?') ? '&' : '?'}msg=${encryptRedirectMessage(payload, ctx.options.credentials.digisignAesKey)}`);
  };

  /** §11: 404 unknown link, 408 expired session, 401 unknown user. */
  const link = (res: Response, token: unknown, kind: 'activation' | 'sign' | 'view') => {
    const l = typeof token === 'string' ? state.data.digisign.links[token] : undefined;
    if (!l || l.kind !== kind) {
      res.status(404).type('html').send(page(res, 'Digisign', '<h1>Digisign</h1><p class="err">Halaman tidak ditemukan.</p>'));
      return undefined;
    }
    if (l.expiresAt < Date.now()) {
      res.status(408).type('html').send(page(res, 'Digisign', '<h1>Digisign</h1><p class="err">Session Expired.</p>'));
      return undefined;
    }
    const u = state.userByEmail(l.email);
    if (!u?.digisign) {
      res.status(401).type('html').send(page(res, 'Digisign', '<h1>Digisign</h1><p class="err">User not found.</p>'));
      return undefined;
    }
    const d = l.documentId ? state.data.digisign.documents[l.documentId] : undefined;
    if (kind !== 'activation' && !d) {
      res.status(404).type('html').send(page(res, 'Digisign', '<h1>Digisign</h1><p class="err">Document not found.</p>'));
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
    page(res, 
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
    const again = (msg: string) => res.status(400).type('html').send(activationForm(res, x.token, x.u.email, `<p class="err">${escapeHtml(msg)}</p>`));
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
    redirectWith(res, { result: '00', notif: 'Proses Aktivasi Berhasil', email_user: x.u.email, nik: x.u.nik, verifikasi: { nama: true, tanggal_lahir: true, selfie: true } });
  });

  const signForm = (res: Response, token: string, name: string, documentId: string, meterai: boolean, bytes: number, message = '') =>
    page(res, 
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
    if (x) res.type('html').send(page(res, 'Dokumen Digisign', `<h1>Dokumen ${escapeHtml(x.d!.documentId)}</h1>${documentLink(`document?view=${encodeURIComponent(x.token)}`, state.getFile(x.d!.file).byteLength)}`));
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
    const again = (msg: string) => res.status(400).type('html').send(signForm(res, x.token, x.u.name, d.documentId, d.meterai.length > 0, state.getFile(d.file).byteLength, `<p class="err">${escapeHtml(msg)}</p>`));
    if (b.action === 'otp') {
      res.type('html').send(signForm(res, x.token, x.u.name, d.documentId, d.meterai.length > 0, state.getFile(d.file).byteLength, sendOtp(x.token, x.u.email, x.u.phone)));
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
    if (!known || Buffer.byteLength(password) !== Buffer.byteLength(known) || !timingSafeEqual(Buffer.from(password), Buffer.from(known))) return again('Password salah.');
    if (!state.takeCode(otpKey(x.token), str(b.otp) ?? '')) return again('Kode OTP salah atau sudah kadaluarsa.');
    let pdf = state.getFile(d.file);
    const specimen = x.u.specimenPng ? new Uint8Array(Buffer.from(x.u.specimenPng, 'base64')) : undefined;
    for (const s of mine) {
      const content: StampContent = specimen ? { kind: 'image', image: specimen } : { kind: 'text', lines: [x.u.name] };
      pdf = await engine.sign(pdf, { who: { kind: 'person', user: x.u }, stamp: s.visible ? { box: s.box, content } : undefined, reason: s.user.toLowerCase().startsWith('prf') ? 'Paraf elektronik' : 'Tanda tangan elektronik', location: 'Indonesia' });
      s.signed = true;
    }
    d.file = state.putFile(pdf);
    delete state.data.digisign.links[x.token];
    state.save();
    const complete = d.signers.every((s) => s.signed);
    // The wire value in the examples is `complete` (the table says completed/waiting, gap 11).
    redirectWith(res, { document_id: d.documentId, status_document: complete ? 'complete' : 'waiting', result: '00', notif: 'Proses tanda tangan berhasil!', email_user: x.u.email });
  });

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  return app;
}
