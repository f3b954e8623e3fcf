// Peruri's web views (docs/providers/peruri.md §4.6, §5.7, §9): `index.php?email&systemId` (activation: e-KYC
// with the camera or a sandbox "use test video" button, then the specimen pad) and `signing.php?orderId`
// (review, OTP). They call the simulator's own operations, as the real pages call Peruri's, and report to the
// embedding portal with `window.parent.postMessage({ func, message }, <portal origin>)`.
import type { Express, Request, Response } from 'express';
import type { SandboxContext } from '../context.js';
import { escapeHtml, isRecord, str } from '../http.js';
import { PeruriFailure, peruriOperations } from '../peruri/index.js';
import { page, documentLink, TEST_VIDEO_BASE64, notifyParentScript } from './pages.js';

/** The activation and signing pages, and the calls their scripts make. */
export function peruriPages(app: Express, ctx: SandboxContext): void {
  const { state } = ctx;
  const peruri = peruriOperations(ctx);
  const origins = ctx.options.portalOrigins;
  const notifyParent = (func: string) => notifyParentScript(origins, func);
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
      res
        .status(404)
        .type('html')
        .send(page(res, 'Aktivasi', '<h1>Aktivasi sertifikat</h1><p class="err">Email atau systemId tidak dikenal.</p>'));
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
      res
        .status(404)
        .type('html')
        .send(page(res, 'Tanda tangan', '<h1>Tanda tangan dokumen</h1><p class="err">orderId tidak ditemukan.</p>'));
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
    await peruriCall(
      res,
      o?.tier ? 'signingTier' : 'signing',
      { orderId: b.orderId, otpCode: b.otpCode, token: b.token, ...(o && (o.tier || !o.signers) ? invisible : {}) },
      req,
    );
  });
}
