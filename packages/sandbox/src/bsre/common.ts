// The BSrE simulator's shared parts (docs/providers/bsre.md, whose part letters and gap numbers these files cite):
// its status codes (README.md), its error answer, and the checks every endpoint group makes.
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { PageGeometry } from '@esign-kit/core';
import { CoordinateFieldError, readBsreV2 } from '../coordinates.js';
import { profilesOf, type SandboxContext } from '../context.js';
import { isEncryptedPdf, isPdf, pageGeometries } from '../engine.js';
import { base64Bytes, isJpeg, isPng, isRecord, MAX_UPLOAD, str } from '../http.js';
import type { StampContent } from '../signing/index.js';
import type { SandboxUser, StoredBox } from '../state.js';
import { findMarker } from '../tag.js';

/** The sandbox's BSrE status codes (README.md). 2011 and 2031 are the ones integrations observe. */
export const BSRE_CODES = {
  invalid: 2001,
  notRegistered: 2011,
  emailTaken: 2012,
  certificateNotActive: 2021,
  wrongPassphrase: 2031,
  wrongTotp: 2032,
  coordinates: 2041,
  tagNotFound: 2042,
  notPdf: 2043,
  notFound: 2044,
  alreadySigned: 2045,
  notSigned: 2046,
  unknownSubscriber: 2061,
  sealNotActivated: 2062,
} as const;

export class BsreFailure extends Error {
  constructor(
    readonly http: number,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const fail = (statusCode: number, message: string, http = 400): never => {
  throw new BsreFailure(http, statusCode, message);
};

export function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `2023-08-07T04:24:40.927+0000`, as the seal responses print `expires` (gap 24). */
export function expiresText(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function forced(code: string, _req: Request, res: Response) {
  const n = Number(code);
  if (/^\d{3}$/.test(code)) {
    res.status(n).json({ error: `Sandbox: forced HTTP ${n}`, status_code: n });
    return;
  }
  const text: Record<string, string> = { '2031': 'Passphrase anda salah', '2011': 'User tidak terdaftar', '2032': 'TOTP tidak valid atau sudah kadaluarsa' };
  res.status(400).json({ error: text[code] ?? `Sandbox: forced status_code ${code}`, status_code: Number.isFinite(n) ? n : code });
}

/**
 * v2 carries PDFs as base64 in JSON (a third larger than the file): the JSON limit of the routes that take
 * files is the file limit in base64, plus room for the specimen image and the other fields.
 */
export const jsonWithFiles = () => express.json({ limit: Math.ceil(MAX_UPLOAD / 3) * 4 + 2 ** 20, type: () => true });

/**
 * What the BSrE simulator's endpoint groups share, bound to one sandbox context: the state and signing engine,
 * the checks every route makes (signer, passphrase, PDF, coordinates, tag, specimen), HTTP Basic of the Esign
 * Client, and `run`, which answers a BsreFailure in BSrE's error shape.
 */
export function bsreKit(ctx: SandboxContext) {
  const { state, engine } = ctx;

  function signer(id: { nik?: string | undefined; email?: string | undefined }): SandboxUser {
    const user = id.nik !== undefined ? state.userByNik(id.nik) : id.email !== undefined ? state.userByEmail(id.email) : undefined;
    if (!user || user.bsreStatus === 'NOT_REGISTERED') fail(BSRE_CODES.notRegistered, 'User tidak terdaftar');
    if (user!.bsreStatus !== 'ISSUE') fail(BSRE_CODES.certificateNotActive, `Sertifikat pengguna tidak dapat digunakan (status ${user!.bsreStatus})`);
    return user!;
  }

  function checkPassphrase(user: SandboxUser, passphrase: string | undefined) {
    if (passphrase === undefined || !same(passphrase, user.passphrase)) fail(BSRE_CODES.wrongPassphrase, 'Passphrase anda salah');
  }

  async function geometry(pdf: Uint8Array): Promise<PageGeometry[]> {
    // `pdfPassword` (D.1) cannot be honoured: the sandbox does not decrypt PDFs.
    if (isEncryptedPdf(pdf)) fail(BSRE_CODES.notPdf, 'Dokumen terproteksi password tidak didukung oleh sandbox');
    const pages = isPdf(pdf) ? await pageGeometries(pdf) : undefined;
    if (!pages) fail(BSRE_CODES.notPdf, 'File bukan dokumen PDF yang valid');
    return pages!;
  }

  function readBox(read: () => StoredBox): StoredBox {
    try {
      return read();
    } catch (err) {
      if (err instanceof CoordinateFieldError) fail(BSRE_CODES.coordinates, `Koordinat tidak valid: ${err.message}`);
      throw err;
    }
  }

  async function tagBox(pdf: Uint8Array, tag: string, width: unknown, height: unknown): Promise<StoredBox> {
    const w = Number(width);
    const h = Number(height);
    if (!(w > 0 && h > 0)) fail(BSRE_CODES.invalid, 'width dan height wajib diisi untuk tag_koordinat');
    const hit = await findMarker(pdf, tag);
    if (!hit) fail(BSRE_CODES.tagNotFound, `Tag ${tag} tidak ditemukan di dokumen`);
    return { page: hit!.page, x: hit!.x, y: hit!.y, width: w, height: h };
  }

  function image(bytes: Uint8Array | undefined, field: string): Uint8Array {
    if (!bytes || !(isPng(bytes) || isJpeg(bytes))) fail(BSRE_CODES.invalid, `${field} harus berupa gambar JPG atau PNG`);
    return bytes!;
  }

  const run = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (err instanceof BsreFailure) {
        res.status(err.http).json({ error: err.message, status_code: err.statusCode });
        return;
      }
      next(err);
    }
  };

  const basicAuth = (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const [user, pass] = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(/:(.*)/s) : [];
    const creds = ctx.options.credentials;
    if (user === undefined || pass === undefined || !same(user, creds.bsreUsername) || !same(pass, creds.bsrePassword)) {
      res.status(401).set('WWW-Authenticate', 'Basic realm="Esign Client Service"').json({ error: 'Unauthorized', status_code: 401 });
      return;
    }
    next();
  };

  function specimen(user: SandboxUser): Uint8Array {
    return new Uint8Array(Buffer.from(user.specimenPng ?? '', 'base64'));
  }

  // C.1 (path unconfirmed, gap 9) and D.6: the status word in `status`.
  const statusAnswer = (user: SandboxUser | undefined) => {
    const status = user?.bsreStatus ?? 'NOT_REGISTERED';
    const messages: Record<string, string> = {
      ISSUE: 'User memiliki sertifikat aktif',
      EXPIRED: 'Sertifikat user sudah kadaluarsa',
      RENEW: 'Sertifikat user sedang diperbarui',
      WAITING_FOR_VERIFICATION: 'Permohonan sertifikat sedang diverifikasi',
      NEW: 'Sertifikat belum diaktivasi oleh user',
      NO_CERTIFICATE: 'User terdaftar tetapi belum memiliki sertifikat',
      NOT_REGISTERED: 'User tidak terdaftar',
      SUSPEND: 'User sedang ditangguhkan',
      REVOKE: 'Sertifikat user sudah dicabut',
    };
    return { status, message: messages[status] };
  };

  interface V2Props {
    tampilan?: unknown;
    imageBase64?: unknown;
    page?: unknown;
    originX?: unknown;
    originY?: unknown;
    width?: unknown;
    height?: unknown;
    tag_koordinat?: unknown;
    location?: unknown;
    reason?: unknown;
  }

  async function v2Stamp(pdf: Uint8Array, p: V2Props, i: number): Promise<{ box: StoredBox; content: StampContent } | undefined> {
    if (p.tampilan === 'INVISIBLE') return undefined;
    if (p.tampilan !== 'VISIBLE') fail(BSRE_CODES.invalid, `signatureProperties[${i}].tampilan harus VISIBLE atau INVISIBLE`);
    const img = image(base64Bytes(p.imageBase64), `signatureProperties[${i}].imageBase64`);
    const pages = await geometry(pdf);
    const tag = str(p.tag_koordinat);
    const box = tag
      ? await tagBox(pdf, tag, p.width, p.height)
      : readBox(() => readBsreV2(pages, p.page, p.originX, p.originY, p.width, p.height, profilesOf(ctx).bsreV2));
    return { box, content: { kind: 'image', image: img } };
  }

  function v2Files(b: Record<string, unknown>): { pdfs: Uint8Array[]; props: V2Props[] } {
    const files = b.file;
    if (!Array.isArray(files) || files.length === 0) fail(BSRE_CODES.invalid, 'file wajib berisi minimal satu dokumen base64');
    const pdfs = (files as unknown[]).map((f, i) => {
      const bytes = base64Bytes(f);
      if (!bytes || !isPdf(bytes)) fail(BSRE_CODES.notPdf, `file[${i}] bukan dokumen PDF base64`);
      if (isEncryptedPdf(bytes!)) fail(BSRE_CODES.notPdf, 'Dokumen terproteksi password tidak didukung oleh sandbox');
      return bytes!;
    });
    const props = b.signatureProperties;
    if (!Array.isArray(props) || (props.length !== 1 && props.length !== pdfs.length) || !props.every(isRecord)) {
      fail(BSRE_CODES.invalid, 'signatureProperties harus berisi 1 elemen atau satu per file');
    }
    return { pdfs, props: props as V2Props[] };
  }

  function subscriber(id: unknown) {
    const s = typeof id === 'string' ? state.data.bsre.seals[id] : undefined;
    if (!s) fail(BSRE_CODES.unknownSubscriber, 'idSubscriber tidak ditemukan');
    return s!;
  }
  function activeSeal(id: unknown, totp: unknown) {
    const s = subscriber(id);
    if (!s.activationTotp || s.revoked || (s.activationExpires ?? 0) < Date.now())
      fail(BSRE_CODES.sealNotActivated, 'TOTP aktivasi belum diminta atau sudah tidak berlaku');
    if (typeof totp !== 'string' || !same(totp, s.activationTotp!)) fail(BSRE_CODES.wrongTotp, 'TOTP aktivasi salah');
    return s;
  }

  return {
    ctx,
    state,
    engine,
    signer,
    checkPassphrase,
    geometry,
    readBox,
    tagBox,
    image,
    run,
    basicAuth,
    specimen,
    statusAnswer,
    v2Stamp,
    v2Files,
    subscriber,
    activeSeal,
  };
}

export type BsreKit = ReturnType<typeof bsreKit>;
