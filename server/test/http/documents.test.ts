import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { form, json, makePdf, start, useServer } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('documents', () => {
  const h = useServer({ MAX_PDF_BYTES: String(64 * 1024) });

  it('stores an upload durably (bytes and checksum on disk before the answer) and serves it back', async () => {
    const pdf = await makePdf(2);
    const res = await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf }) });
    assert.equal(res.status, 201);
    const { document } = await json(res);
    assert.match(document.id, /^[0-9a-f]{32}$/);
    assert.equal(document.sha256, sha(pdf));
    assert.equal(document.pages, 2);
    assert.equal(res.headers.get('location'), `/api/documents/${document.id}`);
    // On disk, with a matching sidecar, by the time the response arrived.
    const dir = join(h.s.dataDir, 'documents');
    assert.equal(sha(readFileSync(join(dir, `${document.id}.pdf`))), document.sha256);
    assert.equal(JSON.parse(readFileSync(join(dir, `${document.id}.json`), 'utf8')).sha256, document.sha256);
    assert.ok(
      readdirSync(dir).every((f) => !f.endsWith('.tmp')),
      'no temp files left',
    );

    const got = await fetch(`${h.s.base}${document.url}`, { headers: h.s.auth() });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/pdf');
    assert.equal(got.headers.get('x-checksum-sha256'), document.sha256);
    assert.equal(sha(new Uint8Array(await got.arrayBuffer())), document.sha256);
  });

  it('refuses what is not a PDF, or a PDF that does not parse, before storing anything', async () => {
    const before = readdirSync(join(h.s.dataDir, 'documents')).length;
    const notPdf = await fetch(`${h.s.base}/api/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: new TextEncoder().encode('hello, world') }),
    });
    assert.equal(notPdf.status, 400);
    assert.deepEqual((await json(notPdf)).error, { code: 'invalid-pdf', message: 'file is not a PDF (it does not start with %PDF-).', field: 'file' });
    const broken = await fetch(`${h.s.base}/api/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: new TextEncoder().encode('%PDF-1.7\ngarbage') }),
    });
    assert.equal(broken.status, 400);
    assert.equal((await json(broken)).error.field, 'file');
    const missing = await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ other: 'x' }) });
    assert.equal(missing.status, 400);
    assert.equal((await json(missing)).error.field, 'file');
    assert.equal(readdirSync(join(h.s.dataDir, 'documents')).length, before);
  });

  it('answers 413 above the configured size', async () => {
    const big = new Uint8Array(100 * 1024);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    const res = await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: big }) });
    assert.equal(res.status, 413);
    assert.deepEqual((await json(res)).error, { code: 'payload-too-large', message: 'file is larger than this server accepts.', field: 'file' });
  });

  it('refuses ids that are not ours (no path traversal) and unknown ids', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..%2Fsandbox-credentials.json', 'ABCDEF0123456789ABCDEF0123456789', 'x'.repeat(32)]) {
      const res = await fetch(`${h.s.base}/api/documents/${id}`, { headers: h.s.auth() });
      assert.equal(res.status, 400, id);
      assert.equal((await json(res)).error.code, 'invalid-document-id');
    }
    const res = await fetch(`${h.s.base}/api/documents/${'0'.repeat(32)}`, { headers: h.s.auth() });
    assert.equal(res.status, 404);
    assert.equal((await json(res)).error.code, 'document-not-found');
  });

  it('refuses to serve bytes that no longer match their checksum', async () => {
    const { document } = await json(await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: await makePdf() }) }));
    writeFileSync(join(h.s.dataDir, 'documents', `${document.id}.pdf`), await makePdf(3));
    const res = await fetch(`${h.s.base}/api/documents/${document.id}`, { headers: h.s.auth() });
    assert.equal(res.status, 500);
    assert.deepEqual(await json(res), { error: { code: 'document-corrupt', message: 'The stored document does not match its checksum.' } });
  });
});

describe('durability across a restart', () => {
  let dataDir = '';
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a new app over the same DATA_DIR serves what the old one acknowledged', async () => {
    const first = await start();
    dataDir = first.dataDir;
    const pdf = await makePdf();
    const { document } = await json(await fetch(`${first.base}/api/documents`, { method: 'POST', headers: first.auth(), body: form({ file: pdf }) }));
    await first.close();
    const second = await start({}, { dataDir });
    try {
      const res = await fetch(`${second.base}/api/documents/${document.id}`, { headers: second.auth() });
      assert.equal(res.status, 200);
      assert.equal(sha(new Uint8Array(await res.arrayBuffer())), sha(pdf));
      const meta = await json(await fetch(`${second.base}/api/documents/${document.id}/meta`, { headers: second.auth() }));
      assert.equal(meta.document.sha256, sha(pdf));
    } finally {
      await second.close();
    }
  });
});
