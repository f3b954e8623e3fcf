// The Peruri simulator's shared parts (docs/providers/peruri.md, whose § and gap numbers these files cite): its
// result codes (README.md), its failure, and the checks every operation makes.
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { CoordinateFieldError, readPeruri } from '../coordinates.js';
import { profilesOf, type SandboxContext } from '../context.js';
import { isEncryptedPdf, isPdf, pageGeometries, plainDate } from '../engine.js';
import { base64Bytes, isRecord, str } from '../http.js';
import type { StampContent } from '../signing/index.js';
import { LIFETIME, type PeruriOrder, type PeruriSignerEntry, type SandboxUser } from '../state.js';

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
  signingFailed: '5001',
} as const;

/** What Peruri says of an order whose signature was never affixed (the `gagal-` file-name trigger, README.md). */
export const AFFIX_FAILED = 'Pembubuhan tanda tangan gagal, dokumen tidak dapat ditandatangani';

export class PeruriFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
export const fail = (code: string, message: string): never => {
  throw new PeruriFailure(code, message);
};

export const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** §1 body wrappers; every other API uses `param`. */
export const WRAPPERS: Record<string, string> = {
  signing: 'requestSigning',
  signingTier: 'requestSigning',
  signingBulk: 'requestSigning',
  setSignature: 'requestSetSignature',
  getOtpBulk: 'requestGetOtpBulk',
};

export type PeruriHandler = (p: Record<string, unknown>, req?: Request) => Promise<{ desc: string; data?: unknown }>;

/**
 * What the operation groups share, bound to one sandbox context: the state (Peruri's part of it), the signing
 * engine, and the checks every operation makes — mandatory fields, systemId, users, orders, PDFs, placements,
 * and the OTP with its session token.
 */
export function peruriKit(ctx: SandboxContext) {
  const { state, engine } = ctx;
  const data = state.data.peruri;
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
      pdf = await engine.sign(pdf, {
        who: { kind: 'person', user },
        stamp: e.visible && e.box ? { box: e.box, content } : undefined,
        reason: e.reason ?? 'Tanda tangan elektronik',
        location: e.location ?? 'Indonesia',
      });
      if (e.certificateLevel === 'NO_CHANGES_ALLOWED') o.locked = true;
    }
    o.file = state.putFile(pdf);
    state.save();
  };
  const sendOtp = (user: SandboxUser, key: string, purpose: string, extra: Record<string, unknown>) => {
    const token = state.token(16);
    const code = state.issueCode(key, purpose, LIFETIME.otp, { ...extra, token });
    state.deliver({
      provider: 'peruri',
      channel: 'email',
      to: user.email,
      subject: 'Kode OTP Peruri Digital Signature',
      text: `Kode OTP Anda: ${code.code}. Jangan berikan kode ini kepada siapa pun.`,
      code: code.code,
    });
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

  return { ctx, state, engine, data, need, checkSystem, userOf, signerUser, order, pdfOf, readSigners, newOrder, signOrder, sendOtp, checkOtp };
}

export type PeruriKit = ReturnType<typeof peruriKit>;
