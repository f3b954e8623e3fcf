// Bad input across the companion server's HTTP API, as one table driven by one loop: every case names the
// status, the error code and the field it expects (null: the error is about no field), and checks that the
// answer is a JSON error with an English message and never a stack trace. After the table: the server still
// answers, nothing answered 5xx or logged an unhandled error, and no partial or temporary file was left in
// DATA_DIR. The server runs as `npm start` runs it (sandbox providers mounted), so the cases that reach a
// provider meet a real (simulated) one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { signPortalToken } from '../../../server/src/auth/jwt.js';
import { form, listFiles, makePdf, pdfPart, startKit, type Kit, type Part } from './kit.js';

const FOREIGN = 'https://evil.example.com';
const BOX = { page: 1, x: 100, y: 100, width: 150, height: 60 };
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, ...new Array(64).fill(0)]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);
const GIF = new Uint8Array([...new TextEncoder().encode('GIF89a'), ...new Array(64).fill(0)]);

/** Inputs built once, before the table runs. */
interface Fixtures {
  pdf: Uint8Array;
  threePages: Uint8Array;
  large: Uint8Array;
  encrypted: Uint8Array | null;
  tenThousandPages: Uint8Array;
  bigPage: Uint8Array;
  orderId: string;
}

type Auth = 'valid' | 'none' | 'expired' | 'wrong-secret' | 'alg-none' | 'garbage';

interface Request {
  method?: 'GET' | 'POST' | 'OPTIONS';
  path: string;
  auth?: Auth;
  headers?: Record<string, string>;
  /** A JSON body (sent with application/json). */
  json?: unknown;
  /** A raw body, sent as is with the given headers. */
  raw?: string;
  /** A multipart body. */
  form?: (f: Fixtures) => Record<string, Part>;
}

interface Case {
  name: string;
  request: Request | ((f: Fixtures) => Request);
  expect: { status: number; code: string; field: string | null; message?: RegExp; provider?: { code: string; message: RegExp } };
  /** Skipped (with this reason) when a tool the case needs is missing. */
  needs?: (f: Fixtures) => string | undefined;
}

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

const signer = { nik: '3171000000000001', passphrase: 'Sandbox#2024' };
const peruriUser = {
  name: 'Siti Rahayu',
  phone: '081300000001',
  email: 'siti@peruri.sandbox.test',
  nik: '3273000000000001',
  address: 'Jl. Uji 1',
  city: 'Bandung',
  province: 'Jawa Barat',
  gender: 'F',
  placeOfBirth: 'Bandung',
  dateOfBirth: '1990-01-01',
};
const digisignUser = {
  name: 'Budi',
  phone: '081234567890',
  birthDate: '1990-02-03',
  nik: '3174012345678901',
  placeOfBirth: 'Jakarta',
  email: 'budi@digisign.sandbox.test',
  gender: 'male',
};
const jpeg = (data: Uint8Array = JPEG): Part => ({ data, type: 'image/jpeg', name: 'photo.jpg' });
const bigSelfie = () => {
  const b = new Uint8Array(501 * 1024);
  b.set(JPEG);
  return b;
};

const CASES: Case[] = [
  // ── Files ──────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'upload: not a PDF',
    request: { method: 'POST', path: '/api/documents', form: () => ({ file: pdfPart(new TextEncoder().encode('<html>hello</html>')) }) },
    expect: { status: 400, code: 'invalid-pdf', field: 'file', message: /not a PDF/ },
  },
  {
    name: 'upload: an empty file',
    request: { method: 'POST', path: '/api/documents', form: () => ({ file: pdfPart(new Uint8Array()) }) },
    expect: { status: 400, code: 'invalid-pdf', field: 'file', message: /empty/ },
  },
  {
    name: 'upload: a truncated PDF',
    request: { method: 'POST', path: '/api/documents', form: (f) => ({ file: pdfPart(f.pdf.slice(0, Math.floor(f.pdf.length / 2))) }) },
    expect: { status: 400, code: 'invalid-pdf', field: 'file', message: /could not be read/ },
  },
  {
    name: 'upload: a 21 MB PDF (limit 20 MiB)',
    request: { method: 'POST', path: '/api/documents', form: (f) => ({ file: pdfPart(f.large) }) },
    expect: { status: 413, code: 'payload-too-large', field: 'file' },
  },
  {
    name: 'upload: a page tree announcing 10 000 pages',
    request: { method: 'POST', path: '/api/documents', form: (f) => ({ file: pdfPart(f.tenThousandPages) }) },
    expect: { status: 400, code: 'invalid-pdf', field: 'file', message: /10000 pages but holds 1/ },
  },
  {
    name: 'upload: no file part',
    request: { method: 'POST', path: '/api/documents', form: () => ({ note: 'x' }) },
    expect: { status: 400, code: 'invalid-input', field: 'file' },
  },
  {
    name: 'upload: a file part this route does not take',
    request: { method: 'POST', path: '/api/documents', form: (f) => ({ file: pdfPart(f.pdf), attachment: pdfPart(f.pdf) }) },
    expect: { status: 400, code: 'invalid-input', field: 'attachment', message: /not a file part/ },
  },
  {
    name: 'upload: a urlencoded form (nothing this API reads)',
    request: { method: 'POST', path: '/api/documents', headers: { 'content-type': 'application/x-www-form-urlencoded' }, raw: 'file=%25PDF-1.7' },
    expect: { status: 415, code: 'unsupported-media-type', field: 'content-type' },
  },
  {
    name: 'download: a path-traversal document id',
    request: { path: '/api/documents/..%2F..%2Fsandbox-credentials.json' },
    expect: { status: 400, code: 'invalid-document-id', field: 'id' },
  },
  {
    name: 'download: an id nobody stored',
    request: { path: `/api/documents/${'0'.repeat(32)}` },
    expect: { status: 404, code: 'document-not-found', field: 'id' },
  },
  {
    name: 'Peruri: an encrypted PDF (no password can be given)',
    needs: (f) => (f.encrypted ? undefined : 'qpdf is not installed'),
    request: {
      method: 'POST',
      path: '/api/peruri/documents',
      form: (f) => ({ file: pdfPart(f.encrypted!), email: 'siti@peruri.sandbox.test', boxes: JSON.stringify([BOX]) }),
    },
    expect: { status: 400, code: 'invalid-pdf', field: 'file', message: /password/ },
  },
  {
    name: 'BSrE: an encrypted PDF without password',
    needs: (f) => (f.encrypted ? undefined : 'qpdf is not installed'),
    request: { method: 'POST', path: '/api/bsre/signatures', form: (f) => ({ file: pdfPart(f.encrypted!), ...signer }) },
    expect: { status: 400, code: 'invalid-pdf', field: 'file', message: /password/ },
  },
  {
    name: 'BSrE bulk: an encrypted PDF without pdfPassword',
    needs: (f) => (f.encrypted ? undefined : 'qpdf is not installed'),
    request: { method: 'POST', path: '/api/bsre/signatures/bulk', form: (f) => ({ files: pdfPart(f.encrypted!), ...signer }) },
    expect: { status: 400, code: 'invalid-pdf', field: 'files.0', message: /signatures\.0\.pdfPassword/ },
  },
  {
    name: 'Digisign: an encrypted PDF',
    needs: (f) => (f.encrypted ? undefined : 'qpdf is not installed'),
    request: {
      method: 'POST',
      path: '/api/digisign/documents',
      form: (f) => ({
        file: pdfPart(f.encrypted!),
        signers: JSON.stringify([{ name: 'Dewi', email: 'dewi@digisign.sandbox.test' }]),
        boxes: JSON.stringify([BOX]),
      }),
    },
    expect: { status: 400, code: 'invalid-pdf', field: 'file', message: /password/ },
  },

  // ── Portal tokens and origins ──────────────────────────────────────────────────────────────────
  { name: 'token: missing', request: { path: '/api/providers', auth: 'none' }, expect: { status: 401, code: 'token-missing', field: 'authorization' } },
  { name: 'token: expired', request: { path: '/api/providers', auth: 'expired' }, expect: { status: 401, code: 'token-expired', field: 'authorization' } },
  {
    name: 'token: signed with the wrong secret',
    request: { path: '/api/providers', auth: 'wrong-secret' },
    expect: { status: 401, code: 'token-signature', field: 'authorization' },
  },
  {
    name: 'token: alg "none"',
    request: { path: '/api/providers', auth: 'alg-none' },
    expect: { status: 401, code: 'token-algorithm', field: 'authorization' },
  },
  { name: 'token: not a JWT', request: { path: '/api/providers', auth: 'garbage' }, expect: { status: 401, code: 'token-malformed', field: 'authorization' } },
  {
    name: 'origin outside PORTAL_ORIGINS: a request',
    request: { path: '/api/providers', headers: { origin: FOREIGN } },
    expect: { status: 403, code: 'forbidden', field: 'origin' },
  },
  {
    name: 'origin outside PORTAL_ORIGINS: a preflight',
    request: { method: 'OPTIONS', path: '/api/bsre/signatures', auth: 'none', headers: { origin: FOREIGN, 'access-control-request-method': 'POST' } },
    expect: { status: 403, code: 'forbidden', field: 'origin' },
  },
  {
    name: 'origin outside PORTAL_ORIGINS: a development token',
    request: { method: 'POST', path: '/api/tokens', auth: 'none', headers: { origin: FOREIGN }, json: {} },
    expect: { status: 403, code: 'forbidden', field: 'origin' },
  },

  // ── JSON bodies ────────────────────────────────────────────────────────────────────────────────
  {
    name: 'JSON: not valid JSON',
    request: { method: 'POST', path: '/api/bsre/users/status', headers: { 'content-type': 'application/json' }, raw: '{"nik":' },
    expect: { status: 400, code: 'invalid-json', field: 'body' },
  },
  {
    name: 'JSON: a huge body (2 MB)',
    request: { method: 'POST', path: '/api/bsre/users/status', json: { nik: '3'.repeat(2 * 1024 * 1024) } },
    expect: { status: 413, code: 'payload-too-large', field: 'body' },
  },
  {
    name: 'JSON: an array instead of an object',
    request: { method: 'POST', path: '/api/bsre/users/status', json: [signer] },
    expect: { status: 400, code: 'invalid-input', field: 'body' },
  },
  {
    name: 'JSON: an extra field',
    request: { method: 'POST', path: '/api/bsre/users/status', json: { nik: signer.nik, passphrase: 'Sandbox#2024' } },
    expect: { status: 400, code: 'invalid-input', field: 'passphrase', message: /unknown field/ },
  },
  {
    name: 'JSON: a misspelt optional field',
    request: { method: 'POST', path: '/api/bsre/totp', json: { nik: signer.nik, fileCoutn: 2 } },
    expect: { status: 400, code: 'invalid-input', field: 'fileCoutn' },
  },
  {
    name: 'JSON: a missing field',
    request: { method: 'POST', path: '/api/bsre/users', json: { email: 'baru@instansi.go.id' } },
    expect: { status: 400, code: 'invalid-input', field: 'name' },
  },
  {
    name: 'JSON: a field of the wrong type',
    request: { method: 'POST', path: '/api/bsre/totp', json: { nik: signer.nik, fileCount: '3' } },
    expect: { status: 400, code: 'invalid-input', field: 'fileCount' },
  },
  {
    name: 'JSON: a "__proto__" key',
    request: {
      method: 'POST',
      path: '/api/bsre/users/status',
      headers: { 'content-type': 'application/json' },
      raw: `{"nik":"${signer.nik}","__proto__":{"isAdmin":true}}`,
    },
    expect: { status: 400, code: 'invalid-input', field: '__proto__' },
  },
  {
    name: 'multipart: a text field over 256 KB',
    request: {
      method: 'POST',
      path: '/api/peruri/documents',
      form: (f) => ({ file: pdfPart(f.pdf), email: 'siti@peruri.sandbox.test', reason: 'x'.repeat(300 * 1024) }),
    },
    expect: { status: 413, code: 'payload-too-large', field: 'reason' },
  },
  {
    name: 'JSON: sent as text/plain',
    request: { method: 'POST', path: '/api/bsre/users/status', headers: { 'content-type': 'text/plain' }, raw: JSON.stringify({ nik: signer.nik }) },
    expect: { status: 415, code: 'unsupported-media-type', field: 'content-type' },
  },
  { name: 'an unknown API route', request: { path: '/api/bsre/certificates' }, expect: { status: 404, code: 'not-found', field: null } },

  // ── Identity fields ────────────────────────────────────────────────────────────────────────────
  {
    name: 'BSrE: NIK with letters',
    request: { method: 'POST', path: '/api/bsre/users/status', json: { nik: '31710000000000AB' } },
    expect: { status: 400, code: 'invalid-input', field: 'nik', message: /16-digit NIK/ },
  },
  {
    name: 'BSrE: NIK of 15 digits',
    request: { method: 'POST', path: '/api/bsre/users/status', json: { nik: '317100000000001' } },
    expect: { status: 400, code: 'invalid-input', field: 'nik', message: /16-digit NIK/ },
  },
  {
    name: 'BSrE: e-mail without @',
    request: { method: 'POST', path: '/api/bsre/users/status', json: { email: 'budi.bsre.sandbox.test' } },
    expect: { status: 400, code: 'invalid-input', field: 'email', message: /e-mail/ },
  },
  {
    name: 'BSrE: neither NIK nor e-mail',
    request: { method: 'POST', path: '/api/bsre/users/status', json: {} },
    expect: { status: 400, code: 'invalid-input', field: 'nik' },
  },
  {
    name: 'Peruri: registration with a NIK with letters',
    request: { method: 'POST', path: '/api/peruri/users', form: () => ({ ...peruriUser, nik: 'NIK3273000000001', ktpPhoto: jpeg() }) },
    expect: { status: 400, code: 'invalid-input', field: 'nik' },
  },
  {
    name: 'Peruri: e-mail without @',
    request: { method: 'POST', path: '/api/peruri/users/certificate', json: { email: 'siti.peruri.sandbox.test' } },
    expect: { status: 400, code: 'invalid-input', field: 'email' },
  },
  {
    name: 'Digisign: registration with a NIK of 15 digits',
    request: { method: 'POST', path: '/api/digisign/users', form: () => ({ ...digisignUser, nik: '317401234567890', ktpPhoto: jpeg(), selfie: jpeg() }) },
    expect: { status: 400, code: 'invalid-input', field: 'nik' },
  },

  // ── Images and videos ──────────────────────────────────────────────────────────────────────────
  {
    name: 'BSrE: a GIF specimen',
    request: {
      method: 'POST',
      path: '/api/bsre/signatures',
      form: (f) => ({ file: pdfPart(f.pdf), ...signer, box: JSON.stringify(BOX), image: { data: GIF, type: 'image/png', name: 'specimen.png' } }),
    },
    expect: { status: 400, code: 'invalid-input', field: 'image', message: /PNG or JPEG/ },
  },
  {
    name: 'Peruri: a GIF KTP photo',
    request: { method: 'POST', path: '/api/peruri/users', form: () => ({ ...peruriUser, ktpPhoto: { data: GIF, type: 'image/jpeg' } }) },
    expect: { status: 400, code: 'invalid-input', field: 'ktpPhoto' },
  },
  {
    name: 'Peruri: a PDF as the e-KYC video',
    request: {
      method: 'POST',
      path: '/api/peruri/users/video',
      form: (f) => ({ email: 'siti@peruri.sandbox.test', video: { data: f.pdf, type: 'video/mp4' } }),
    },
    expect: { status: 400, code: 'invalid-input', field: 'video' },
  },
  {
    name: 'Digisign: a selfie over 500 KB',
    request: { method: 'POST', path: '/api/digisign/users', form: () => ({ ...digisignUser, ktpPhoto: jpeg(), selfie: jpeg(bigSelfie()) }) },
    expect: { status: 400, code: 'invalid-input', field: 'selfie', message: /500 KB/ },
  },
  {
    name: 'Digisign: a PNG selfie',
    request: { method: 'POST', path: '/api/digisign/users', form: () => ({ ...digisignUser, ktpPhoto: jpeg(), selfie: { data: PNG, type: 'image/jpeg' } }) },
    expect: { status: 400, code: 'invalid-input', field: 'selfie', message: /JPEG/ },
  },
  {
    name: 'image part over 4 MB',
    request: {
      method: 'POST',
      path: '/api/peruri/users/specimen',
      form: () => ({ email: 'siti@peruri.sandbox.test', specimen: { data: new Uint8Array(4 * 1024 * 1024 + 1), type: 'image/png' } }),
    },
    expect: { status: 413, code: 'payload-too-large', field: 'specimen' },
  },

  // ── Signature boxes ────────────────────────────────────────────────────────────────────────────
  {
    name: 'box: page 0',
    request: {
      method: 'POST',
      path: '/api/bsre/signatures',
      form: (f) => ({
        file: pdfPart(f.pdf),
        ...signer,
        appearance: 'image',
        image: { data: PNG, type: 'image/png' },
        box: JSON.stringify({ ...BOX, page: 0 }),
      }),
    },
    expect: { status: 400, code: 'invalid-input', field: 'box.page' },
  },
  {
    name: 'box: negative size',
    request: {
      method: 'POST',
      path: '/api/bsre/signatures',
      form: (f) => ({
        file: pdfPart(f.pdf),
        ...signer,
        appearance: 'image',
        image: { data: PNG, type: 'image/png' },
        box: JSON.stringify({ ...BOX, width: -150 }),
      }),
    },
    expect: { status: 400, code: 'invalid-input', field: 'box.width' },
  },
  {
    name: 'box: page past the end',
    request: {
      method: 'POST',
      path: '/api/bsre/signatures',
      form: (f) => ({
        file: pdfPart(f.pdf),
        ...signer,
        appearance: 'image',
        image: { data: PNG, type: 'image/png' },
        box: JSON.stringify({ ...BOX, page: 3 }),
      }),
    },
    expect: { status: 400, code: 'invalid-coordinates', field: 'box.page', message: /Page 3 does not exist/ },
  },
  {
    name: 'box: outside the page',
    request: {
      method: 'POST',
      path: '/api/bsre/signatures',
      form: (f) => ({ file: pdfPart(f.pdf), ...signer, appearance: 'image', image: { data: PNG, type: 'image/png' }, box: JSON.stringify({ ...BOX, x: 500 }) }),
    },
    expect: { status: 400, code: 'invalid-coordinates', field: 'box.width', message: /does not fit/ },
  },
  {
    name: 'box: BSrE cloud on a middle page',
    request: {
      method: 'POST',
      path: '/api/bsre/signatures',
      form: (f) => ({
        file: pdfPart(f.threePages),
        service: 'cloud',
        ...signer,
        appearance: 'qr',
        linkQR: 'https://portal.example.go.id/doc/1',
        box: JSON.stringify({ ...BOX, page: 2 }),
      }),
    },
    expect: { status: 400, code: 'invalid-coordinates', field: 'box.page', message: /first or the last page/ },
  },
  {
    name: 'boxes: Peruri, the second one outside the page',
    request: {
      method: 'POST',
      path: '/api/peruri/documents',
      form: (f) => ({ file: pdfPart(f.pdf), email: 'siti@peruri.sandbox.test', boxes: JSON.stringify([BOX, { ...BOX, x: 550 }]) }),
    },
    expect: { status: 400, code: 'invalid-coordinates', field: 'boxes.1.width' },
  },
  {
    name: 'boxes: Peruri, page past the end',
    request: {
      method: 'POST',
      path: '/api/peruri/documents',
      form: (f) => ({ file: pdfPart(f.pdf), email: 'siti@peruri.sandbox.test', boxes: JSON.stringify([{ ...BOX, page: 2 }]) }),
    },
    expect: { status: 400, code: 'invalid-coordinates', field: 'boxes.0.page' },
  },
  {
    name: 'boxes: Peruri decimal coordinates (profile decimals 2)',
    request: {
      method: 'POST',
      path: '/api/peruri/documents',
      form: (f) => ({ file: pdfPart(f.pdf), email: 'siti@peruri.sandbox.test', profile: '{"decimals":2}', boxes: JSON.stringify([{ ...BOX, x: 100.25 }]) }),
    },
    expect: { status: 400, code: 'invalid-coordinates', field: 'profile.decimals', message: /at most 0 decimals/ },
  },
  {
    name: 'boxes: Peruri, a coordinate longer than 3 characters',
    request: {
      method: 'POST',
      path: '/api/peruri/documents',
      form: (f) => ({ file: pdfPart(f.bigPage), email: 'siti@peruri.sandbox.test', boxes: JSON.stringify([{ ...BOX, x: 1500 }]) }),
    },
    expect: { status: 400, code: 'invalid-coordinates', field: 'boxes.0.lowerLeftX', message: /3 characters/ },
  },
  {
    name: 'boxes: Peruri, not a list',
    request: { method: 'POST', path: '/api/peruri/documents', form: (f) => ({ file: pdfPart(f.pdf), email: 'siti@peruri.sandbox.test', boxes: '{"page":1}' }) },
    expect: { status: 400, code: 'invalid-input', field: 'boxes' },
  },
  {
    name: 'boxes: overlapping Digisign boxes',
    request: {
      method: 'POST',
      path: '/api/digisign/documents',
      form: (f) => ({
        file: pdfPart(f.pdf),
        signers: JSON.stringify([
          { name: 'Dewi', email: 'dewi@digisign.sandbox.test' },
          { name: 'Eko', email: 'eko@digisign.sandbox.test' },
        ]),
        boxes: JSON.stringify([BOX, { ...BOX, x: 120 }]),
      }),
    },
    expect: { status: 400, code: 'invalid-coordinates', field: 'boxes.1', message: /overlap/ },
  },

  // ── Ids in paths and bodies ────────────────────────────────────────────────────────────────────
  {
    name: 'Peruri: a path-traversal documentId',
    request: { method: 'POST', path: '/api/peruri/documents', json: { documentId: '../../sandbox-credentials.json', email: 'siti@peruri.sandbox.test' } },
    expect: { status: 400, code: 'invalid-document-id', field: 'documentId' },
  },
  {
    name: 'Peruri: a path-traversal orderId',
    request: { method: 'POST', path: '/api/peruri/documents/..%2F..%2Fstate/otp' },
    expect: { status: 400, code: 'invalid-input', field: 'orderId' },
  },
  {
    name: 'Peruri: an order this user did not create',
    request: { method: 'POST', path: '/api/peruri/documents/999999/otp' },
    expect: { status: 404, code: 'reference-not-found', field: 'orderId' },
  },
  {
    name: 'Peruri: an OTP of 5 digits',
    request: (f) => ({ method: 'POST', path: `/api/peruri/documents/${f.orderId}/signatures`, json: { otpCode: '12345' } }),
    expect: { status: 400, code: 'invalid-input', field: 'otpCode' },
  },
  {
    name: "Peruri: a batch naming another user's order",
    request: { method: 'POST', path: '/api/peruri/batches', json: { orderIds: ['999999'] } },
    expect: { status: 404, code: 'reference-not-found', field: 'orderIds.0' },
  },
  {
    name: 'Digisign: a document id with "/"',
    request: {
      method: 'POST',
      path: '/api/digisign/documents',
      form: (f) => ({
        file: pdfPart(f.pdf),
        digisignDocumentId: '../x',
        signers: JSON.stringify([{ name: 'Dewi', email: 'dewi@digisign.sandbox.test' }]),
        boxes: JSON.stringify([BOX]),
      }),
    },
    expect: { status: 400, code: 'invalid-input', field: 'digisignDocumentId' },
  },
  {
    name: 'Digisign: a path-traversal download id',
    request: { method: 'POST', path: '/api/digisign/documents/..%2F..%2Fetc/download', json: {} },
    expect: { status: 400, code: 'invalid-input', field: 'digisignDocumentId' },
  },
  {
    name: 'Digisign: no signers',
    request: { method: 'POST', path: '/api/digisign/documents', form: (f) => ({ file: pdfPart(f.pdf), boxes: JSON.stringify([BOX]) }) },
    expect: { status: 400, code: 'invalid-input', field: 'signers' },
  },
  {
    name: 'BSrE: a bulk request naming a document id that is not one',
    request: { method: 'POST', path: '/api/bsre/signatures/bulk', json: { ...signer, documentIds: ['../../x'] } },
    expect: { status: 400, code: 'invalid-input', field: 'documentIds.0' },
  },

  // ── Providers ──────────────────────────────────────────────────────────────────────────────────
  {
    name: 'web view: an unknown provider',
    request: { method: 'POST', path: '/api/webviews', json: { provider: 'docusign', flow: 'signing', email: 'a@b.go.id' } },
    expect: { status: 400, code: 'invalid-input', field: 'provider' },
  },
  {
    name: 'web view: an unknown flow',
    request: { method: 'POST', path: '/api/webviews', json: { provider: 'peruri', flow: 'enrol', email: 'siti@peruri.sandbox.test' } },
    expect: { status: 400, code: 'invalid-input', field: 'flow' },
  },
  {
    name: 'web view: an extra field',
    request: { method: 'POST', path: '/api/webviews', json: { provider: 'peruri', flow: 'activation', email: 'siti@peruri.sandbox.test', systemId: 'OTHER' } },
    expect: { status: 400, code: 'invalid-input', field: 'systemId' },
  },
  {
    name: "web view: another user's Peruri order",
    request: { method: 'POST', path: '/api/webviews', json: { provider: 'peruri', flow: 'signing', orderId: '999999' } },
    expect: { status: 404, code: 'reference-not-found', field: 'orderId' },
  },
  {
    name: 'verify: a provider without a verification API',
    request: { method: 'POST', path: '/api/verify', form: (f) => ({ file: pdfPart(f.pdf), provider: 'peruri' }) },
    expect: { status: 400, code: 'invalid-input', field: 'provider' },
  },
  {
    name: 'BSrE: an unknown service',
    request: { method: 'POST', path: '/api/bsre/signatures', form: (f) => ({ file: pdfPart(f.pdf), ...signer, service: 'tte-cloud' }) },
    expect: { status: 400, code: 'invalid-input', field: 'service' },
  },
  {
    name: "BSrE: a wrong passphrase (the provider's own code and text kept)",
    request: { method: 'POST', path: '/api/bsre/signatures', form: (f) => ({ file: pdfPart(f.pdf), nik: signer.nik, passphrase: 'salah-sekali' }) },
    expect: { status: 422, code: 'wrong-passphrase', field: 'passphrase', provider: { code: '2031', message: /Passphrase anda salah/ } },
  },
];

describe('bad input over HTTP (one table)', { timeout: 120000 }, () => {
  let kit: Kit;
  let fixtures: Fixtures;
  let storeBefore: string[];
  const statuses: { name: string; status: number }[] = [];
  const work = mkdtempSync(join(tmpdir(), 'esign-bad-input-'));

  before(async () => {
    kit = await startKit();
    const pdf = await makePdf();
    const large = new Uint8Array(21 * 1024 * 1024);
    large.set(pdf);
    let encrypted: Uint8Array | null;
    try {
      writeFileSync(join(work, 'plain.pdf'), pdf);
      execFileSync('qpdf', ['--encrypt', 'rahasia', 'pemilik', '256', '--', join(work, 'plain.pdf'), join(work, 'encrypted.pdf')], { stdio: 'ignore' });
      encrypted = new Uint8Array(readFileSync(join(work, 'encrypted.pdf')));
    } catch {
      encrypted = null;
    }
    const lying = await PDFDocument.load(pdf);
    lying.catalog.Pages().set(PDFName.of('Count'), PDFNumber.of(10000));
    // A real order of this user, for the cases about its OTP.
    const sent = await fetch(`${kit.base}/api/peruri/documents`, {
      method: 'POST',
      headers: kit.auth(),
      body: form({ file: pdfPart(pdf), email: 'siti@peruri.sandbox.test', boxes: JSON.stringify([BOX]) }),
    });
    assert.equal(sent.status, 201, await sent.clone().text());
    fixtures = {
      pdf,
      threePages: await makePdf([
        [595, 842],
        [595, 842],
        [595, 842],
      ]),
      large,
      encrypted,
      tenThousandPages: await lying.save({ useObjectStreams: false }),
      bigPage: await makePdf([[2000, 2000]]),
      orderId: ((await sent.json()) as { orderId: string }).orderId,
    };
    storeBefore = listFiles(kit.dataDir).filter((f) => /^(documents|refs)\//.test(f));
  });
  after(async () => {
    await kit?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const authorization = (auth: Auth): string | undefined => {
    const secret = kit.config.portalSecret;
    const sign = (header: unknown, claims: unknown) => {
      const h = b64u(header);
      const c = b64u(claims);
      return `${h}.${c}.${createHmac('sha256', secret).update(`${h}.${c}`).digest('base64url')}`;
    };
    if (auth === 'none') return undefined;
    if (auth === 'valid') return `Bearer ${kit.token()}`;
    if (auth === 'expired') return `Bearer ${sign({ alg: 'HS256', typ: 'JWT' }, { sub: 'u', iat: now() - 1000, exp: now() - 100 })}`;
    if (auth === 'wrong-secret') return `Bearer ${signPortalToken({ sub: 'u' }, 'another-secret-of-at-least-32-bytes!!')}`;
    if (auth === 'alg-none') return `Bearer ${b64u({ alg: 'none' })}.${b64u({ sub: 'u', exp: now() + 60 })}.`;
    return 'Bearer not.a.jwt!';
  };

  it(`holds at least 40 cases (${CASES.length})`, () => {
    assert.ok(CASES.length >= 40);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'case names are unique');
  });

  for (const c of CASES) {
    it(c.name, async (t) => {
      const skip = c.needs?.(fixtures);
      if (skip) return t.skip(skip);
      const r = typeof c.request === 'function' ? c.request(fixtures) : c.request;
      const headers: Record<string, string> = { ...r.headers };
      const auth = authorization(r.auth ?? 'valid');
      if (auth) headers.authorization = auth;
      let body: BodyInit | undefined;
      if (r.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(r.json);
      } else if (r.raw !== undefined) body = r.raw;
      else if (r.form) body = form(r.form(fixtures));
      const res = await fetch(`${kit.base}${r.path}`, { method: r.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      statuses.push({ name: c.name, status: res.status });
      assert.equal(res.status, c.expect.status, text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const { error } = JSON.parse(text) as { error: { code: string; message: string; field?: string; provider?: { code: string; message: string } } };
      assert.equal(error.code, c.expect.code, text);
      assert.equal(error.field ?? null, c.expect.field, text);
      // An English sentence for a person (naming the field where there is one), never a stack trace.
      assert.ok(typeof error.message === 'string' && error.message.length > 10, text);
      assert.doesNotMatch(text, /\bat .+\.(ts|js):\d+|node_modules|Error:/);
      if (c.expect.message) assert.match(error.message, c.expect.message);
      if (c.expect.provider) {
        assert.equal(error.provider?.code, c.expect.provider.code);
        assert.match(error.provider?.message ?? '', c.expect.provider.message);
      } else if (res.status === 400 || res.status === 401 || res.status === 413 || res.status === 415) {
        // Refused here, before any provider saw it.
        assert.equal(error.provider, undefined);
      }
    });
  }

  it('after the table: no answer was a 5xx and no unhandled error was logged', () => {
    assert.ok(statuses.length > 0);
    assert.deepEqual(
      statuses.filter((s) => s.status >= 500),
      [],
    );
    const errors = kit.logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
    assert.deepEqual(errors, []);
  });

  it('after the table: the server still answers', async () => {
    const res = await fetch(`${kit.base}/api/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
  });

  it('after the table: nothing was stored, and no partial or temporary file is left in DATA_DIR', () => {
    const all = listFiles(kit.dataDir);
    assert.deepEqual(
      all.filter((f) => /^(documents|refs)\//.test(f)),
      storeBefore,
    );
    assert.deepEqual(
      all.filter((f) => /\.tmp\b|\/\.[^/]+$/.test(f)),
      [],
    );
  });
});
