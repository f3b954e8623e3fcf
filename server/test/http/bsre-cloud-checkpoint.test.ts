// The BSrE cloud checkpoint (issue #17): once the cloud has signed, the signing's Idempotency-Key records the
// cloud's id_signed before the download. A download that fails answers an error, and the retry with the same key
// downloads and stores that document — the cloud is asked to sign once (the stand-in's counts are the record).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { form, json, makePdf, mockProviders, signedPdf, useServer } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const NIK = '3174012345678901';

describe('BSrE cloud: a retry resumes from the signed id_signed', () => {
  const msw = mockProviders();
  const h = useServer({
    BSRE_API: 'v1',
    BSRE_CLOUD_URL: 'https://cloud.bsre.test',
    BSRE_CLOUD_CLIENT_ID: 'cid',
    BSRE_CLOUD_CLIENT_SECRET: 'cloud-secret-UNIQUE-77',
  });

  it('the download fails once after the cloud signed: the same Idempotency-Key downloads and stores it, no second signing', async () => {
    const signed = await signedPdf('cloud-checkpoint');
    const calls = { request: 0, sign: 0, download: 0 };
    msw.use(
      http.post('https://cloud.bsre.test/oauth/token', () => HttpResponse.json({ access_token: 'cloud-access', token_type: 'bearer', expires_in: 3600 })),
      http.post('https://cloud.bsre.test/api/v2/entity/sign/request', () => ((calls.request += 1), HttpResponse.json({ id_signed: `ck${calls.request}` }))),
      http.post(
        'https://cloud.bsre.test/api/v2/entity/sign/:id',
        ({ params }) => ((calls.sign += 1), assert.equal(params.id, 'ck1'), HttpResponse.json({ message: 'ok' })),
      ),
      http.post('https://cloud.bsre.test/api/v2/entity/sign/download/:id', ({ params }) => {
        calls.download += 1;
        assert.equal(params.id, 'ck1');
        // The first download breaks (a gateway's page instead of the PDF); the next ones work.
        return calls.download === 1
          ? new HttpResponse('<html>Bad gateway</html>', { status: 500, headers: { 'content-type': 'text/html' } })
          : new HttpResponse(signed, { headers: { 'content-type': 'application/pdf' } });
      }),
    );
    const pdf = await makePdf();
    const send = (key: string) =>
      fetch(`${h.s.base}/api/bsre/signatures`, {
        method: 'POST',
        headers: { ...h.s.auth(), 'Idempotency-Key': key },
        body: form({ file: pdf, service: 'cloud', nik: NIK, passphrase: 'cloud-pass' }),
      });

    const first = await send('cloud-key-1');
    assert.ok(first.status >= 500 && first.status < 600, `the failed download is an upstream error (got ${first.status})`);
    assert.deepEqual(calls, { request: 1, sign: 1, download: 1 });

    const retry = await send('cloud-key-1');
    const body = await json(retry);
    assert.equal(retry.status, 201, JSON.stringify(body));
    assert.equal(body.document.sha256, sha(signed));
    assert.equal(body.providerDocumentId, 'ck1');
    assert.deepEqual(calls, { request: 1, sign: 1, download: 2 }, 'resumed at the download: the cloud signed once');

    const stored = await fetch(`${h.s.base}${body.document.url}`, { headers: h.s.auth() });
    assert.equal(sha(new Uint8Array(await stored.arrayBuffer())), sha(signed));

    const replay = await send('cloud-key-1');
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal((await json(replay)).document.id, body.document.id);
    assert.deepEqual(calls, { request: 1, sign: 1, download: 2 });
  });

  it('without an Idempotency-Key nothing is recorded: a failed download is not resumed by a later request', async () => {
    const signed = await signedPdf('cloud-no-key');
    const calls = { request: 0, sign: 0, download: 0 };
    msw.use(
      http.post('https://cloud.bsre.test/oauth/token', () => HttpResponse.json({ access_token: 'cloud-access', token_type: 'bearer', expires_in: 3600 })),
      http.post('https://cloud.bsre.test/api/v2/entity/sign/request', () => ((calls.request += 1), HttpResponse.json({ id_signed: `nk${calls.request}` }))),
      http.post('https://cloud.bsre.test/api/v2/entity/sign/:id', () => ((calls.sign += 1), HttpResponse.json({ message: 'ok' }))),
      http.post(
        'https://cloud.bsre.test/api/v2/entity/sign/download/:id',
        () => (
          (calls.download += 1),
          calls.download === 1 ? new HttpResponse('x', { status: 500 }) : new HttpResponse(signed, { headers: { 'content-type': 'application/pdf' } })
        ),
      ),
    );
    const pdf = await makePdf();
    const send = () =>
      fetch(`${h.s.base}/api/bsre/signatures`, {
        method: 'POST',
        headers: h.s.auth(),
        body: form({ file: pdf, service: 'cloud', nik: NIK, passphrase: 'cloud-pass' }),
      });
    assert.ok((await send()).status >= 500);
    assert.equal((await send()).status, 201);
    assert.deepEqual(calls, { request: 2, sign: 2, download: 2 });
  });
});
