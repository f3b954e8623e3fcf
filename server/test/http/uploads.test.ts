// Streamed uploads (http/uploads.ts): PDF parts past SPOOL_FROM are spooled to DATA_DIR/uploads as they arrive,
// within the size limit while streaming, and nothing stays there after the answer — accepted, refused, over the
// limit, or a client gone mid-upload; an upload signed through BSrE v2 is sent from its file, byte for byte, and
// a small one from memory, byte for byte too.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { PdfIntakePool } from '../../src/pdf/intake-pool.js';
import { SPOOL_FROM } from '../../src/http/uploads.js';
import { pdfWithPayload } from '../../../test/node/support/flows.js';
import { b64, form, json, makePdf, mockProviders, PNG, signedPdf, start, useServer } from './helpers.js';

const LIMIT = 512 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The spooled parts now in DATA_DIR/uploads, with their sizes. */
function spooled(dataDir: string): { name: string; size: number }[] {
  const dir = join(dataDir, 'uploads');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => ({ name, size: statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0 }));
}

/** Waits (at most `ms`) until the uploads folder is empty: cleanup after a torn connection runs on its 'close'. */
async function emptied(dataDir: string, ms = 5000): Promise<{ name: string; size: number }[]> {
  const until = Date.now() + ms;
  while (spooled(dataDir).length && Date.now() < until) await sleep(20);
  return spooled(dataDir);
}

/** A valid PDF of about `bytes` (incompressible content), whose size is not a multiple of 3. */
async function pdfOfSize(bytes: number): Promise<Uint8Array> {
  for (let pad = 0; ; pad++) {
    const out = await pdfWithPayload(bytes - 2048 + pad);
    if (out.byteLength % 3 !== 0) return out;
  }
}

/** A multipart body as a raw stream, sent by hand so that a test controls its pace and can stop half-way. */
function rawUpload(base: string, auth: { authorization: string }, total: number) {
  const boundary = `----esign${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = request(`${base}/api/documents`, {
    method: 'POST',
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.byteLength + total + tail.byteLength) },
  });
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
  });
  req.write(head);
  const write = (chunk: Buffer) => new Promise<void>((resolve) => (req.write(chunk) ? resolve() : req.once('drain', () => resolve())));
  return { req, answer, write, end: () => req.end(tail) };
}

describe('streamed uploads', () => {
  const msw = mockProviders();
  const h = useServer({ MAX_PDF_BYTES: String(LIMIT) });

  it('leaves nothing in DATA_DIR/uploads after an upload is stored, refused as not a PDF, or over the limit', async () => {
    const pdf = await makePdf(2);
    const ok = await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf }) });
    assert.equal(ok.status, 201);
    assert.equal((await json(ok)).document.sha256, sha(pdf));
    assert.deepEqual(spooled(h.s.dataDir), []);

    const notPdf = await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: new TextEncoder().encode('hello') }) });
    assert.equal(notPdf.status, 400);
    assert.deepEqual(spooled(h.s.dataDir), []);

    const big = new Uint8Array(LIMIT + 1);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    const over = await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: big }) });
    assert.equal(over.status, 413);
    assert.deepEqual((await json(over)).error, { code: 'payload-too-large', message: 'file is larger than this server accepts.', field: 'file' });
    assert.deepEqual(spooled(h.s.dataDir), []);

    // Exactly the limit is accepted (as far as the size goes: this one is not a PDF that parses).
    const atLimit = new Uint8Array(LIMIT);
    atLimit.set(new TextEncoder().encode('%PDF-1.7\n'));
    const exact = await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: atLimit }) });
    assert.equal(exact.status, 400);
    assert.equal((await json(exact)).error.code, 'invalid-pdf');
    assert.deepEqual(spooled(h.s.dataDir), []);
  });

  it('stops writing an upload at the limit while it streams: the spooled file never grows past it, 413 names the field', async () => {
    const up = rawUpload(h.s.base, h.s.auth(), 16 * LIMIT);
    const chunk = randomBytes(16 * 1024);
    let largest = 0;
    for (let sent = 0; sent < 16 * LIMIT; sent += chunk.byteLength) {
      await up.write(chunk);
      for (const f of spooled(h.s.dataDir)) largest = Math.max(largest, f.size);
    }
    up.end();
    const { status, body } = await up.answer;
    assert.equal(status, 413);
    assert.deepEqual(body.error, { code: 'payload-too-large', message: 'file is larger than this server accepts.', field: 'file' });
    // busboy is given one byte more than the limit, to tell "at" from "over" (multer).
    assert.ok(largest <= LIMIT + 1, `the spooled file reached ${largest} bytes`);
    assert.deepEqual(await emptied(h.s.dataDir), []);
  });

  it('removes what a client that goes away mid-upload left', async () => {
    const up = rawUpload(h.s.base, h.s.auth(), LIMIT - 1024);
    up.answer.catch(() => undefined);
    // Past SPOOL_FROM (a smaller part stays in memory)…
    for (let sent = 0; sent <= SPOOL_FROM; sent += 64 * 1024) await up.write(randomBytes(64 * 1024));
    // …the part is being spooled…
    const until = Date.now() + 5000;
    while (!spooled(h.s.dataDir).length && Date.now() < until) await sleep(10);
    assert.equal(spooled(h.s.dataDir).length, 1);
    // …and the client is gone.
    up.req.destroy();
    assert.deepEqual(await emptied(h.s.dataDir), []);
    const health = await fetch(`${h.s.base}/api/health`);
    assert.equal(health.status, 200);
  });

  it('refuses an image part past 4 MB as it streams (under MAX_PDF_BYTES), naming it, and keeps nothing', async () => {
    const s = await start({ MAX_PDF_BYTES: String(16 * 1024 * 1024) });
    try {
      const res = await fetch(`${s.base}/api/bsre/signatures`, {
        method: 'POST',
        headers: s.auth(),
        body: form({
          file: await makePdf(),
          image: { data: new Uint8Array([...PNG, ...new Uint8Array(4 * 1024 * 1024)]), type: 'image/png' },
          nik: '3174012345678901',
          passphrase: 'x',
        }),
      });
      assert.equal(res.status, 413);
      assert.deepEqual((await json(res)).error, { code: 'payload-too-large', message: 'image must be at most 4 MB.', field: 'image' });
      assert.deepEqual(await emptied(s.dataDir), []);
    } finally {
      await s.close();
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  });

  it('BSrE v2 sends a large upload from its spooled file: the provider gets exactly its base64 (pieces across 48 KB boundaries)', async () => {
    const pdf = await pdfOfSize(300 * 1024 + 1); // above the transport's streaming threshold (256 KB)
    assert.notEqual(pdf.byteLength % 3, 0);
    const signed = await signedPdf('v2-from-file');
    let sent: any;
    let length: string | null = null;
    msw.use(
      http.post('https://bsre.test/api/v2/sign/pdf', async ({ request }) => {
        length = request.headers.get('content-length');
        const text = await request.text();
        assert.equal(Buffer.byteLength(text), Number(length), 'the announced Content-Length is the body sent');
        sent = JSON.parse(text);
        return HttpResponse.json({ time: 120, file: [b64(signed)] });
      }),
    );
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, nik: '3174012345678901', passphrase: 'pass-phrase-1' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(sent.file.length, 1);
    assert.equal(sent.file[0], b64(pdf));
    assert.equal((await json(res)).document.sha256, sha(signed));
    assert.deepEqual(spooled(h.s.dataDir), []);
  });

  it('keeps an upload up to SPOOL_FROM in memory (nothing spooled while it is signed) and sends exactly its base64', async () => {
    const pdf = await pdfOfSize(SPOOL_FROM - 4096);
    const signed = await signedPdf('v2-from-memory');
    let sent: any;
    let during: { name: string; size: number }[] | undefined;
    msw.use(
      http.post('https://bsre.test/api/v2/sign/pdf', async ({ request }) => {
        during = spooled(h.s.dataDir);
        sent = await request.json();
        return HttpResponse.json({ time: 120, file: [b64(signed)] });
      }),
    );
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, nik: '3174012345678901', passphrase: 'pass-phrase-1' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.deepEqual(during, [], 'nothing spooled while the provider signs');
    assert.equal(sent.file[0], b64(pdf));
    assert.equal((await json(res)).document.sha256, sha(signed));
  });
});

describe('the intake reading a spooled upload', () => {
  it('reads the file in its worker, sends no bytes back, and retires a worker that read a large one (its buffer goes with it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esign-intake-file-'));
    const pool = new PdfIntakePool({ threads: 1, queue: 1, heapMb: 160 });
    try {
      const large = join(dir, 'large.pdf');
      writeFileSync(large, await pdfOfSize(9 * 1024 * 1024));
      const read = await pool.checkFile(large);
      assert.equal(read.ok, true);
      assert.equal(read.ok && read.pages.length, 1);
      assert.equal(pool.stats.workers, 0, 'the worker that held 9 MB is gone');
      const small = join(dir, 'small.pdf');
      writeFileSync(small, await makePdf(3));
      const again = await pool.checkFile(small);
      assert.equal(again.ok && again.pages.length, 3);
      assert.equal(pool.stats.workers, 1, 'a small file keeps its worker');
      const missing = await pool.checkFile(join(dir, 'gone.pdf'));
      assert.equal(missing.ok, false);
      assert.equal(!missing.ok && missing.code, 'unreadable');
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
