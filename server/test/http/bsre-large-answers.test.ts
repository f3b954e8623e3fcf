// BSrE v2 signings whose answer is large (issue #17): the signed PDF is decoded from the answer's base64 into a
// temporary file while it arrives and the store takes that file over (server/src/providers/shared/answer-spool.ts).
// What the portal sees must not change: the stored document is exactly the signed file, whichever way the JSON
// writes it; an answer that is not a PDF, or that breaks off, stores nothing and leaves no file behind.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { pdfWithPayload } from '../../../test/node/support/flows.js';
import { b64, form, json, makePdf, mockProviders, useServer } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const NIK = '3174012345678901';
const SIGN = 'https://bsre.test/api/v2/sign/pdf';

/** A "signed" PDF of about `bytes`: incompressible content, so that its base64 is as long as a real scan's. */
const largePdf = (bytes: number) => pdfWithPayload(bytes, 'ditandatangani');

/** An answer's text as a stream of 16 KB pieces, breaking off with an error after `failAfter` bytes if given. */
function answerStream(text: string, failAfter?: number): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text, 'latin1');
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && at >= failAfter) return controller.error(new Error('connection reset by the Esign Client'));
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, (at += 16 * 1024))));
    },
  });
}

describe('BSrE v2: large signing answers, decoded to a file as they arrive', () => {
  const msw = mockProviders();
  const h = useServer();
  const documents = () => readdirSync(join(h.s.dataDir, 'documents')).filter((n) => n.endsWith('.json')).length;
  const spooled = () => readdirSync(join(h.s.dataDir, 'uploads'));
  const sign = async () =>
    fetch(`${h.s.base}/api/bsre/signatures`, { method: 'POST', headers: h.s.auth(), body: form({ file: await makePdf(), nik: NIK, passphrase: 'rahasia' }) });

  it('stores exactly the signed PDF, as Java, PHP (\\/) or a MIME encoder (\\r\\n) writes its base64', async () => {
    const signed = await largePdf(2 * 1024 * 1024);
    const base64 = b64(signed);
    const writers: Record<string, string> = {
      java: JSON.stringify({ time: 1520, file: [base64] }),
      php: JSON.stringify({ time: 1520, file: [base64] }).replace(/\//g, '\\/'),
      mime: JSON.stringify({ time: 1520, file: [(base64.match(/.{1,76}/g) ?? []).join('\r\n')] }),
    };
    for (const [writer, text] of Object.entries(writers)) {
      msw.use(http.post(SIGN, () => new HttpResponse(answerStream(text), { headers: { 'content-type': 'application/json' } })));
      const res = await sign();
      const body = await json(res);
      assert.equal(res.status, 201, `${writer}: ${JSON.stringify(body)}`);
      assert.equal(body.document.sha256, sha(signed), writer);
      assert.equal(body.document.size, signed.byteLength);
      assert.equal(sha(readFileSync(join(h.s.dataDir, 'documents', `${body.document.id}.pdf`))), sha(signed), `${writer}: the stored file`);
      assert.deepEqual(spooled(), [], `${writer}: the answer's file became the document`);
    }
  });

  it('an answer whose document is not a PDF, or that breaks off, stores nothing and leaves no file', async () => {
    const before = documents();
    msw.use(http.post(SIGN, () => HttpResponse.json({ time: 1, file: [randomBytes(1024 * 1024).toString('base64')] })));
    const notPdf = await sign();
    const error = (await json(notPdf)).error;
    assert.equal(notPdf.status, 502);
    assert.equal(error.code, 'provider-bad-response');
    assert.match(error.message, /not a PDF/);

    const text = JSON.stringify({ time: 1, file: [b64(await largePdf(1024 * 1024))] });
    msw.use(http.post(SIGN, () => new HttpResponse(answerStream(text, 600 * 1024), { headers: { 'content-type': 'application/json' } })));
    const cut = await sign();
    assert.equal(cut.status, 502, JSON.stringify(await json(cut)));

    assert.equal(documents(), before, 'nothing stored');
    assert.deepEqual(spooled(), [], 'no answer file left in DATA_DIR/uploads');
  });
});
