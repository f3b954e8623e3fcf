// A portal user reaches only what they created: stored documents, and the provider references (Peruri
// orders, Digisign documents) created through this server. Another user gets "not found", never the data:
// Peruri's orderIds count up and document ids appear in logs, so neither may work as a key by itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { form, json, makePdf, mockProviders, useServer } from './helpers.js';

const PERURI = 'https://peruri.test/gateway';
const ok = (data?: unknown) => HttpResponse.json({ resultCode: '0', resultDesc: 'Success', ...(data !== undefined ? { data } : {}) });

describe('ownership of documents and provider references', () => {
  const msw = mockProviders();
  const h = useServer();
  const as = (sub: string, init: RequestInit = {}) => ({ ...init, headers: { ...h.s.auth(sub), ...(init.headers ?? {}) } });
  const jsonAs = (sub: string, body: unknown) => as(sub, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('a stored document is readable, and usable as signing input, by its owner only', async () => {
    const up = await fetch(`${h.s.base}/api/documents`, as('alice', { method: 'POST', body: form({ file: await makePdf() }) }));
    assert.equal(up.status, 201);
    const id = (await json(up)).document.id as string;
    assert.equal((await fetch(`${h.s.base}/api/documents/${id}`, as('alice'))).status, 200);
    for (const path of [`/api/documents/${id}`, `/api/documents/${id}/meta`]) {
      const res = await fetch(`${h.s.base}${path}`, as('bob'));
      assert.equal(res.status, 404, path);
      assert.equal((await json(res)).error.code, 'document-not-found');
    }
    const sign = await fetch(
      `${h.s.base}/api/bsre/signatures`,
      as('bob', { method: 'POST', body: form({ documentId: id, nik: '3174012345678901', passphrase: 'x' }) }),
    );
    assert.equal(sign.status, 404);
  });

  it('another user cannot use a Peruri order: not its status, OTP, signing, placement or web view', async () => {
    let otpCalls = 0;
    msw.use(
      http.post(`${PERURI}/jwt/1.0/getJsonWebToken/v1`, () => ok({ jwt: 'j' })),
      http.post(`${PERURI}/digitalSignatureFullJwt/1.0/sendDocument/v1`, () => ok({ orderId: '1001' })),
      http.post(`${PERURI}/digitalSignatureFullJwt/1.0/getOtp/v1`, () => ((otpCalls += 1), ok({ token: 't' }))),
      http.post(`${PERURI}/digitalSignatureFullJwt/1.0/checkDocumentStatus/v1`, () => HttpResponse.json({ resultCode: '2', resultDesc: 'Belum' })),
    );
    const sent = await fetch(
      `${h.s.base}/api/peruri/documents`,
      as('alice', { method: 'POST', body: form({ file: await makePdf(), email: 'a@b.id', visible: 'false' }) }),
    );
    assert.equal(sent.status, 201);
    assert.equal((await json(sent)).orderId, '1001');

    const attempts: [string, RequestInit][] = [
      ['/api/peruri/documents/1001/status', as('bob')],
      ['/api/peruri/documents/1001/otp', as('bob', { method: 'POST' })],
      ['/api/peruri/documents/1001/signatures', jsonAs('bob', { otpCode: '123456' })],
      ['/api/peruri/documents/1001/placement', jsonAs('bob', { visible: false })],
      ['/api/peruri/batches', jsonAs('bob', { orderIds: ['1001'] })],
      ['/api/webviews', jsonAs('bob', { provider: 'peruri', flow: 'signing', orderId: '1001' })],
    ];
    for (const [path, init] of attempts) {
      const res = await fetch(`${h.s.base}${path}`, init);
      assert.equal(res.status, 404, path);
      assert.equal((await json(res)).error.code, 'reference-not-found', path);
    }
    assert.equal(otpCalls, 0, 'no OTP was sent to the signer for another user');
    // The owner reaches Peruri, whose non-"0" answer is a failure with its code (seed 003), not "pending".
    const own = await fetch(`${h.s.base}/api/peruri/documents/1001/status`, as('alice'));
    assert.equal(own.status, 422);
    assert.deepEqual((await json(own)).error.provider, { code: '2', message: 'Belum' });
  });

  it('another user cannot download a Digisign document or open its sign page', async () => {
    msw.use(http.post('https://digisign.test/SendDocMitraAT.html', () => HttpResponse.json({ JSONFile: { result: '00', notif: 'Kirim dokumen berhasil.' } })));
    const sent = await fetch(
      `${h.s.base}/api/digisign/documents`,
      as('alice', {
        method: 'POST',
        body: form({
          file: await makePdf(),
          digisignDocumentId: 'ALICE-1',
          signers: JSON.stringify([{ name: 'A', email: 'a@b.id' }]),
          boxes: JSON.stringify([{ page: 1, x: 50, y: 50, width: 100, height: 50 }]),
        }),
      }),
    );
    assert.equal(sent.status, 201, await sent.clone().text());
    for (const [path, init] of [
      ['/api/digisign/documents/ALICE-1/download', as('bob', { method: 'POST' })],
      ['/api/webviews', jsonAs('bob', { provider: 'digisign', flow: 'signing', email: 'b@b.id', digisignDocumentId: 'ALICE-1' })],
    ] as [string, RequestInit][]) {
      const res = await fetch(`${h.s.base}${path}`, init);
      assert.equal(res.status, 404, path);
      assert.equal((await json(res)).error.code, 'reference-not-found');
    }
  });
});
