// Peruri Digital Signature simulator (peruri.md): JSON POSTs under the gateway paths of §2.1, with
// `x-Gateway-APIKey` on every call and `Authorization: Bearer <JWT>` on all but Get JWT; bodies wrapped in
// `param`, `requestSigning`, `requestSetSignature` or `requestGetOtpBulk`; answers `{resultCode,
// resultDesc, data}` with "0" = success. Peruri documents no error catalogue (gap 3): the sandbox's codes
// are listed in README.md; 4012 (decimal coordinates) is the one integrators report.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { CoordinateFieldError, readPeruri } from './coordinates.js';
import { dialectsOf, profilesOf, type SandboxContext } from './context.js';
import { isEncryptedPdf, isPdf, pageGeometries, plainDate } from './engine.js';
import { headerTriggers, hasTrigger, pause, slowTrigger } from './failures.js';
import { base64Bytes, b64, isRecord, MAX_UPLOAD, requestErrors, str } from './http.js';
import type { StampContent } from './signing/index.js';
import { LIFETIME, type PeruriOrder, type PeruriSignerEntry, type SandboxUser } from './state.js';

export const PERURI_CODES = {
  success: '0',
  documentPending: '2',
  certificatePending: '3',
  missingField: '4001',
  systemId: '4002',
  emailTaken: '4003',
  orderNotFound: '4004',
  userNotFound: '4005',
  notReady: '4006',
  wrongOtp: '4007',
  wrongToken: '4008',
  alreadySigned: '4009',
  badSession: '4010',
  keyExpired: '4011',
  coordinates: '4012',
  notYourTurn: '4013',
  kycFailed: '4014',
  notPdf: '4015',
  forced: '5000',
} as const;

export class PeruriFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
const fail = (code: string, message: string): never => {
  throw new PeruriFailure(code, message);
};

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** §1 body wrappers; every other API uses `param`. */
const WRAPPERS: Record<string, string> = { signing: 'requestSigning', signingTier: 'requestSigning', signingBulk: 'requestSigning', setSignature: 'requestSetSignature', getOtpBulk: 'requestGetOtpBulk' };

export function createPeruriRouter(ctx: SandboxContext): Router {
  const { state } = ctx;
  const router = express.Router();
  const operations = peruriOperations(ctx);

  // The gateway checks the API key before anything else.
  router.use((req, res, next) => {
    const key = req.get('x-gateway-apikey');
    if (!key || !same(key, ctx.options.credentials.peruriApiKey)) {
      res.status(401).json({ resultCode: '401', resultDesc: 'Unauthorized: invalid x-Gateway-APIKey' });
      return;
    }
    next();
  });
  router.use(
    headerTriggers((code, _req, res) => {
      if (/^\d{3}$/.test(code) && Number(code) >= 400) res.status(Number(code)).json({ resultCode: code, resultDesc: `Sandbox: forced HTTP ${code}` });
      else res.json({ resultCode: code, resultDesc: `Sandbox: forced resultCode ${code}` });
    }),
  );
  // PDFs travel as base64 in JSON (a third larger than the file): the JSON limit is the file limit in
  // base64, plus room for the other fields.
  router.use(express.json({ limit: Math.ceil(MAX_UPLOAD / 3) * 4 + 2 ** 20, type: () => true }));

  const jwtFor = (systemId: string) => {
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ sub: systemId, iss: 'esign-kit-sandbox-peruri', iat: now, exp: now + 24 * 3600 }));
    const sig = createHmac('sha256', state.data.secret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  };
  const jwtValid = (token: string) => {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return false;
    const expected = createHmac('sha256', state.data.secret).update(`${head}.${body}`).digest('base64url');
    if (!same(sig, expected)) return false;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp?: number; sub?: string };
      return typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() && claims.sub === ctx.options.credentials.peruriSystemId;
    } catch {
      return false;
    }
  };


  const handle = async (name: string, req: Request, res: Response) => {
    const handler = operations.get(name);
    if (!handler) {
      res.status(404).json({ resultCode: '404', resultDesc: `Unknown API ${name}` });
      return;
    }
    if (name !== 'getJsonWebToken') {
      const auth = req.get('authorization') ?? '';
      if (!auth.startsWith('Bearer ') || !jwtValid(auth.slice(7).trim())) {
        res.status(401).json({ resultCode: '401', resultDesc: 'Invalid or expired JWT' });
        return;
      }
    }
    try {
      const wrapper = WRAPPERS[name] ?? 'param';
      const body = req.body as Record<string, unknown> | undefined;
      const p = isRecord(body) ? body[wrapper] : undefined;
      if (!isRecord(p)) fail(PERURI_CODES.missingField, `Request body must be wrapped in "${wrapper}"`);
      const out = await handler(p as Record<string, unknown>, req);
      res.json({ resultCode: '0', resultDesc: out.desc, ...(out.data !== undefined ? { data: out.data } : {}) });
    } catch (err) {
      if (err instanceof PeruriFailure) {
        res.json({ resultCode: err.code, resultDesc: err.message });
        return;
      }
      throw err;
    }
  };
  // §2.1: sandbox paths, and the production names too.
  router.post(['/jwtSandbox/1.0/getJsonWebToken/v1', '/jwt/1.0/getJsonWebToken/v1'], (req, res) => handle('getJsonWebToken', req, res));
  router.post(['/digitalSignatureFullJwtSandbox/1.0/:op/v1', '/digitalSignatureFullJwt/1.0/:op/v1'], (req, res) => handle(String(req.params.op), req, res));

  router.use(requestErrors((res, status, message) => res.status(status).json({ resultCode: String(status), resultDesc: message })));
  operations.set('getJsonWebToken', async (p) => {
    if (str(p.systemId) !== ctx.options.credentials.peruriSystemId) fail(PERURI_CODES.systemId, 'systemId tidak terdaftar');
    return { desc: 'Success', data: { jwt: jwtFor(ctx.options.credentials.peruriSystemId) } };
  });
  return router;
}

export type PeruriHandler = (p: Record<string, unknown>, req?: Request) => Promise<{ desc: string; data?: unknown }>;

/** The operations of §3–§8, shared by the API routes and the web views (which call them like the real pages). */
export function peruriOperations(ctx: SandboxContext): Map<string, PeruriHandler> {
  const { state, engine } = ctx;
  const data = state.data.peruri;
  const operations = new Map<string, PeruriHandler>();
  // ------------------------------------------------------------------------------------------------
  const need = (p: Record<string, unknown>, key: string): string => {
    const v = str(p[key]);
    if (v === undefined || v.trim() === '') fail(PERURI_CODES.missingField, `${key} is mandatory`);
    return v!;
  };
  const checkSystem = (p: Record<string, unknown>) => {
    if (need(p, 'systemId') !== ctx.options.credentials.peruriSystemId) fail(PERURI_CODES.systemId, 'systemId tidak terdaftar');
  };
  const userOf = (email: string): SandboxUser => {
    const u = state.userByEmail(email);
    if (!u?.peruri) fail(PERURI_CODES.userNotFound, 'Email tidak terdaftar');
    return u!;
  };
  const signerUser = (email: string): SandboxUser => {
    const u = userOf(email);
    if (!u.peruri!.certificate) fail(PERURI_CODES.notReady, 'Sertifikat pengguna belum terbit');
    return u;
  };
  const order = (id: unknown): PeruriOrder => {
    const o = typeof id === 'string' || typeof id === 'number' ? data.orders[String(id)] : undefined;
    if (!o) fail(PERURI_CODES.orderNotFound, 'orderId tidak ditemukan');
    return o!;
  };
  const pdfOf = (v: unknown): Uint8Array => {
    if (typeof v === 'string' && v.startsWith('data:')) fail(PERURI_CODES.notPdf, 'base64Document tidak boleh memakai prefix data:');
    const bytes = base64Bytes(v);
    if (!bytes || !isPdf(bytes) || isEncryptedPdf(bytes)) fail(PERURI_CODES.notPdf, 'base64Document bukan PDF (atau terproteksi password)');
    return bytes!;
  };
  const readSigners = async (pdf: Uint8Array, value: unknown): Promise<PeruriSignerEntry[]> => {
    const list = Array.isArray(value) ? value : isRecord(value) ? [value] : fail(PERURI_CODES.missingField, 'signer harus berisi penempatan tanda tangan');
    const pages = (await pageGeometries(pdf)) ?? fail(PERURI_CODES.notPdf, 'Dokumen tidak dapat dibaca');
    return (list as unknown[]).map((s) => {
      if (!isRecord(s)) fail(PERURI_CODES.missingField, 'signer harus berupa objek');
      const e = s as Record<string, unknown>;
      const level = str(e.certificateLevel) ?? 'NOT_CERTIFIED';
      if (level !== 'NOT_CERTIFIED' && level !== 'NO_CHANGES_ALLOWED') fail(PERURI_CODES.missingField, 'certificateLevel tidak valid');
      const visible = (str(e.isVisualSign) ?? 'YES') === 'YES';
      const entry: PeruriSignerEntry = { visible, certificateLevel: level };
      const loc = str(e.varLocation);
      const reason = str(e.varReason);
      if (loc !== undefined) entry.location = loc;
      if (reason !== undefined) entry.reason = reason;
      if (visible) {
        try {
          entry.box = readPeruri(pages!, e, profilesOf(ctx).peruri);
        } catch (err) {
          if (err instanceof CoordinateFieldError) fail(PERURI_CODES.coordinates, `Koordinat tidak valid: ${err.message}`);
          throw err;
        }
      }
      return entry;
    });
  };
  const newOrder = (o: Omit<PeruriOrder, 'orderId' | 'status'>): PeruriOrder => {
    const orderId = String(data.nextOrderId++);
    const created: PeruriOrder = { ...o, orderId, status: 'waiting' };
    data.orders[orderId] = created;
    state.save();
    return created;
  };
  const signOrder = async (o: PeruriOrder, user: SandboxUser, entries: PeruriSignerEntry[]) => {
    if (o.locked) fail(PERURI_CODES.alreadySigned, 'Dokumen sudah dikunci (NO_CHANGES_ALLOWED)');
    let pdf = state.getFile(o.file);
    const specimen = user.specimenPng ? new Uint8Array(Buffer.from(user.specimenPng, 'base64')) : undefined;
    for (const e of entries.length ? entries : [{ visible: false, certificateLevel: 'NOT_CERTIFIED' }]) {
      const content: StampContent = specimen ? { kind: 'image', image: specimen } : { kind: 'text', lines: [user.name, plainDate(new Date())] };
      pdf = await engine.sign(pdf, { who: { kind: 'person', user }, stamp: e.visible && e.box ? { box: e.box, content } : undefined, reason: e.reason ?? 'Tanda tangan elektronik', location: e.location ?? 'Indonesia' });
      if (e.certificateLevel === 'NO_CHANGES_ALLOWED') o.locked = true;
    }
    o.file = state.putFile(pdf);
    state.save();
  };
  const sendOtp = (user: SandboxUser, key: string, purpose: string, extra: Record<string, unknown>) => {
    const token = state.token(16);
    const code = state.issueCode(key, purpose, LIFETIME.otp, { ...extra, token });
    state.deliver({ provider: 'peruri', channel: 'email', to: user.email, subject: 'Kode OTP Peruri Digital Signature', text: `Kode OTP Anda: ${code.code}. Jangan berikan kode ini kepada siapa pun.`, code: code.code });
    state.deliver({ provider: 'peruri', channel: 'sms', to: user.phone, subject: 'OTP', text: `PERURI: kode OTP ${code.code}`, code: code.code });
    return { token, systemId: ctx.options.credentials.peruriSystemId, phone: user.phone };
  };
  const checkOtp = (key: string, otp: unknown, token: unknown) => {
    const pending = state.data.codes[key];
    if (!pending) fail(PERURI_CODES.wrongOtp, 'OTP belum diminta atau sudah kadaluarsa');
    if (typeof token !== 'string' || pending!.data?.token !== token) fail(PERURI_CODES.wrongToken, 'Token tidak valid');
    if (typeof otp !== 'string' || !state.takeCode(key, otp)) fail(PERURI_CODES.wrongOtp, 'Kode OTP salah atau sudah kadaluarsa');
    return pending!;
  };


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
    state.data.users.push({ name: need(p, 'name'), email, nik: need(p, 'ktp'), phone: need(p, 'phone'), bsreStatus: 'NOT_REGISTERED', passphrase: '', peruri: { activated: false, kyc: false, specimen: false, certificate: false } });
    state.save();
    state.deliver({ provider: 'peruri', channel: 'email', to: email, subject: 'Aktivasi akun Peruri Digital Signature', text: `Akun Anda telah terdaftar. Lanjutkan aktivasi: ${ctx.options.webViewUrl.replace(/\/+$/, '')}/peruri/index.php?email=${encodeURIComponent(email)}&systemId=${encodeURIComponent(ctx.options.credentials.peruriSystemId)}` });
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

  // §5: single document.
  operations.set('sendDocument', async (p, req) => {
    checkSystem(p);
    const email = need(p, 'email');
    const slow = slowTrigger(email);
    if (slow && req) await pause(req, slow);
    signerUser(email);
    const payload = isRecord(p.payload) ? p.payload : fail(PERURI_CODES.missingField, 'payload is mandatory');
    const fileName = need(payload!, 'fileName');
    const pdf = pdfOf(payload!.base64Document);
    const signers = payload!.signer !== undefined ? await readSigners(pdf, payload!.signer) : undefined;
    // orderType "SYSTEM": seed 003 names no position; it is read where the deployment puts it
    // (PERURI_ORDER_TYPE_PLACEMENT) and refused anywhere else.
    const inPayload = dialectsOf(ctx).peruri.orderTypePlacement === 'payload';
    if ((inPayload ? p : payload!).orderType !== undefined) fail(PERURI_CODES.missingField, `orderType tidak dikenal di ${inPayload ? 'param' : 'payload'}`);
    const system = (inPayload ? payload!.orderType : p.orderType) === 'SYSTEM';
    const o = newOrder({ email, fileName, file: state.putFile(pdf), ...(signers ? { signers } : {}), ...(system ? { orderType: 'SYSTEM' as const } : {}) });
    state.deliver({ provider: 'peruri', channel: 'email', to: email, subject: 'Dokumen menunggu tanda tangan', text: `Dokumen ${fileName} (order ${o.orderId}) menunggu tanda tangan Anda.` });
    return { desc: 'Success Upload Document', data: { orderId: o.orderId } };
  });
  operations.set('viewDocument', async (p) => {
    const o = order(p.orderId);
    return { desc: 'Success', data: { base64Document: b64(state.getFile(o.file)), signer: o.signers ? '1' : '0' } };
  });
  operations.set('getOtp', async (p) => {
    const o = order(p.orderId);
    if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
    const email = o.tier ? o.tier.emails[o.tier.next]! : o.email;
    return { desc: 'Success', data: sendOtp(signerUser(email), `peruri-order:${o.orderId}`, 'peruri-sign', { email }) };
  });
  operations.set('signing', async (p) => {
    const o = order(p.orderId);
    if (o.tier) fail(PERURI_CODES.missingField, 'Dokumen berjenjang ditandatangani dengan signingTier');
    if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
    const pdf = state.getFile(o.file);
    const entries = p.signer !== undefined ? await readSigners(pdf, p.signer) : o.signers;
    if (!entries) fail(PERURI_CODES.missingField, 'signer wajib diisi (tidak diberikan saat sendDocument)');
    checkOtp(`peruri-order:${o.orderId}`, p.otpCode, p.token);
    await signOrder(o, signerUser(o.email), entries!);
    o.status = 'signed';
    state.save();
    return { desc: 'Success' };
  });
  operations.set('checkDocumentStatus', async (p) => {
    const o = order(p.orderId);
    if (o.status !== 'signed') fail(PERURI_CODES.documentPending, o.tier ? `Menunggu tanda tangan ${o.tier.emails[o.tier.next] ?? ''}` : 'Dokumen belum ditandatangani');
    return { desc: 'Dokumen sudah ditandatangani' };
  });
  operations.set('downloadDocument', async (p) => {
    const o = order(p.orderId);
    return { desc: 'Success', data: { base64Document: b64(state.getFile(o.file)) } };
  });

  // §6: tiers.
  operations.set('sendDocumentTier', async (p) => {
    checkSystem(p);
    const uploader = need(p, 'uploader');
    const payload = isRecord(p.payload) ? p.payload : fail(PERURI_CODES.missingField, 'payload is mandatory');
    const fileName = need(payload!, 'fileName');
    const pdf = pdfOf(payload!.base64Document);
    const list = Array.isArray(payload!.signer) ? payload!.signer : fail(PERURI_CODES.missingField, 'payload.signer is mandatory');
    const emails = (list as unknown[]).map((s) => (isRecord(s) ? need(s, 'email') : fail(PERURI_CODES.missingField, 'signer[].email is mandatory')));
    if (emails.length === 0) fail(PERURI_CODES.missingField, 'payload.signer is mandatory');
    emails.forEach(signerUser);
    const o = newOrder({ email: uploader, fileName, file: state.putFile(pdf), tier: { emails, next: 0, uploader } });
    state.deliver({ provider: 'peruri', channel: 'email', to: emails[0]!, subject: 'Dokumen berjenjang menunggu tanda tangan', text: `Dokumen ${fileName} (order ${o.orderId}) menunggu tanda tangan Anda (1 dari ${emails.length}).` });
    return { desc: 'Success', data: { orderId: o.orderId } };
  });
  operations.set('signingTier', async (p) => {
    const o = order(p.orderId);
    if (!o.tier) fail(PERURI_CODES.missingField, 'Dokumen ini bukan dokumen berjenjang');
    if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
    for (const k of ['otpCode', 'token']) need(p, k);
    const entries = await readSigners(state.getFile(o.file), p.signer ?? fail(PERURI_CODES.missingField, 'signer is mandatory'));
    const pending = checkOtp(`peruri-order:${o.orderId}`, p.otpCode, p.token);
    const email = o.tier!.emails[o.tier!.next]!;
    if (pending.data?.email !== email) fail(PERURI_CODES.notYourTurn, 'Bukan giliran penandatangan ini');
    await signOrder(o, signerUser(email), entries);
    o.tier!.next++;
    if (o.tier!.next >= o.tier!.emails.length) o.status = 'signed';
    else state.deliver({ provider: 'peruri', channel: 'email', to: o.tier!.emails[o.tier!.next]!, subject: 'Dokumen berjenjang menunggu tanda tangan', text: `Dokumen ${o.fileName} (order ${o.orderId}) menunggu tanda tangan Anda (${o.tier!.next + 1} dari ${o.tier!.emails.length}).` });
    state.save();
    return { desc: 'Success' };
  });

  // §7: bulk.
  operations.set('sendDocumentBulk', async (p) => {
    checkSystem(p);
    const email = need(p, 'email');
    signerUser(email);
    const payload = isRecord(p.payload) ? p.payload : fail(PERURI_CODES.missingField, 'payload is mandatory');
    const files = Array.isArray(payload!.file) && payload!.file.length ? payload!.file : fail(PERURI_CODES.missingField, 'payload.file is mandatory');
    const out: { orderId: string }[] = [];
    const prepared: { fileName: string; pdf: Uint8Array; signers?: PeruriSignerEntry[] }[] = [];
    for (const f of files as unknown[]) {
      if (!isRecord(f)) fail(PERURI_CODES.missingField, 'payload.file[] harus berupa objek');
      const pdf = pdfOf((f as Record<string, unknown>).base64Document);
      const signers = payload!.signer !== undefined ? await readSigners(pdf, payload!.signer) : undefined;
      prepared.push({ fileName: need(f as Record<string, unknown>, 'fileName'), pdf, ...(signers ? { signers } : {}) });
    }
    for (const f of prepared) out.push({ orderId: newOrder({ email, fileName: f.fileName, file: state.putFile(f.pdf), ...(f.signers ? { signers: f.signers } : {}) }).orderId });
    return { desc: 'Success', data: out };
  });
  operations.set('setSignature', async (p) => {
    const o = order(p.orderId);
    if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
    // `signer` is an array in the table, an object in the example (seed 003 Bulk §3): the shape the
    // deployment selects (PERURI_SET_SIGNATURE_SIGNER) is accepted, the other refused.
    const asArray = dialectsOf(ctx).peruri.setSignatureSigner === 'array';
    if (asArray ? !Array.isArray(p.signer) : !isRecord(p.signer)) fail(PERURI_CODES.missingField, asArray ? 'signer harus berupa array' : 'signer harus berupa objek');
    o.signers = await readSigners(state.getFile(o.file), p.signer);
    state.save();
    return { desc: 'Success' };
  });
  operations.set('getOtpBulk', async (p) => {
    checkSystem(p);
    const list = Array.isArray(p.data) && p.data.length ? p.data : fail(PERURI_CODES.missingField, 'data is mandatory');
    // `orderId` is a string in the table, a number in the example (seed 003 Bulk §4): the JSON type the
    // deployment selects (PERURI_BULK_OTP_ORDER_ID_TYPE) is accepted, the other refused.
    const idType = dialectsOf(ctx).peruri.bulkOtpOrderIdType;
    (list as unknown[]).forEach((d, i) => {
      if (!isRecord(d) || typeof d.orderId !== idType) fail(PERURI_CODES.missingField, `data[${i}].orderId harus berupa ${idType === 'number' ? 'angka' : 'string'}`);
    });
    const orders = (list as unknown[]).map((d) => order(isRecord(d) ? d.orderId : undefined));
    const email = orders[0]!.email;
    for (const o of orders) {
      if (o.email !== email) fail(PERURI_CODES.missingField, 'Semua dokumen bulk harus milik penandatangan yang sama');
      if (!o.signers) fail(PERURI_CODES.missingField, `Order ${o.orderId} belum memiliki posisi tanda tangan (setSignature)`);
      if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, `Order ${o.orderId} sudah ditandatangani`);
    }
    const orderIdBulk = String(data.nextBulkId++);
    data.bulks[orderIdBulk] = { orderIds: orders.map((o) => o.orderId), email, signed: false };
    state.save();
    return { desc: 'Success', data: { ...sendOtp(signerUser(email), `peruri-bulk:${orderIdBulk}`, 'peruri-bulk', { email }), orderIdBulk } };
  });
  operations.set('signingBulk', async (p) => {
    const id = need(p, 'orderIdBulk');
    const bulk = data.bulks[id] ?? fail(PERURI_CODES.orderNotFound, 'orderIdBulk tidak ditemukan');
    if (bulk!.signed) fail(PERURI_CODES.alreadySigned, 'Bulk sudah ditandatangani');
    checkOtp(`peruri-bulk:${id}`, p.otpCodeBulk, p.tokenBulk);
    const user = signerUser(bulk!.email);
    const out: { orderId: string; fileName: string }[] = [];
    for (const orderId of bulk!.orderIds) {
      const o = order(orderId);
      await signOrder(o, user, o.signers ?? []);
      o.status = 'signed';
      out.push({ orderId, fileName: `${orderId}_${o.fileName}` });
    }
    bulk!.signed = true;
    state.save();
    return { desc: 'Success', data: out };
  });

  // §8: signing system (no OTP; session = HMAC-SHA256(key, orderIds joined)).
  operations.set('setKey', async (p) => {
    checkSystem(p);
    const key = need(p, 'key');
    const minutes = Number(need(p, 'minutes'));
    if (!Number.isInteger(minutes) || minutes <= 0) fail(PERURI_CODES.missingField, 'minutes harus bilangan bulat positif');
    const expiresAt = Date.now() + minutes * 60_000;
    data.keys[ctx.options.credentials.peruriSystemId] = { key, expiresAt };
    state.save();
    return { desc: 'Success', data: { expiredDate: plainDate(new Date(expiresAt)) } };
  });
  operations.set('signingSystem', async (p) => {
    checkSystem(p);
    const list = Array.isArray(p.data) && p.data.length ? p.data : fail(PERURI_CODES.missingField, 'data is mandatory');
    const ids = (list as unknown[]).map((d) => (isRecord(d) ? need(d, 'orderId') : fail(PERURI_CODES.missingField, 'data[].orderId is mandatory')));
    const session = need(p, 'session');
    const k = data.keys[ctx.options.credentials.peruriSystemId];
    if (!k) fail(PERURI_CODES.badSession, 'Key belum diset (setKey)');
    if (k!.expiresAt < Date.now()) fail(PERURI_CODES.keyExpired, 'Key sudah kadaluarsa');
    const expected = createHmac('sha256', k!.key).update(ids.join(''), 'utf8').digest('hex');
    if (!same(session.toLowerCase(), expected)) fail(PERURI_CODES.badSession, 'Session tidak valid');
    const orders = ids.map((id) => order(id));
    for (const o of orders) if (o.orderType !== 'SYSTEM') fail(PERURI_CODES.missingField, `Order ${o.orderId} bukan orderType SYSTEM`);
    for (const o of orders) {
      if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, `Order ${o.orderId} sudah ditandatangani`);
    }
    for (const o of orders) {
      await signOrder(o, signerUser(o.email), o.signers ?? []);
      o.status = 'signed';
    }
    state.save();
    return { desc: 'Success' };
  });

  // Data trigger: an e-mail whose local part starts with "fail-<code>" answers that resultCode on any call.
  const original = new Map(operations);
  for (const [name, handler] of original) {
    operations.set(name, async (p, req) => {
      const email = str(p.email) ?? str(p.uploader);
      const m = email ? /^fail-(\d{1,5})@/i.exec(email) : null;
      if (m && hasTrigger(email, 'fail-')) fail(m[1]!, `Sandbox: resultCode ${m[1]} dipicu oleh ${email}`);
      return handler(p, req);
    });
  }
  return operations;
}
