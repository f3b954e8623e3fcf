import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { b64, form, JPEG, json, makePdf, mockProviders, PNG, signedPdf, useServer, useOwned } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const BASE = 'https://peruri.test/gateway';
const ok = (data?: unknown) => HttpResponse.json({ resultCode: '0', resultDesc: 'Success', ...(data !== undefined ? { data } : {}) });
const jsonReq = (h: { s: { auth: () => Record<string, string> } }, body: unknown) => ({
  method: 'POST',
  headers: { ...h.s.auth(), 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('Peruri', () => {
  const msw = mockProviders();
  const h = useServer({ PERURI_PATH_SEND_DOCUMENT: '/custom/sendDocument' });
  useOwned(h, [
    ['peruri', 'ORD-2'],
    ['peruri', 'ORD-3'],
    ['peruri', 'ORD-4'],
    ['peruri', 'ORD-5'],
    ['peruri', 'ORD-9'],
  ]);
  const jwt = () => http.post(`${BASE}/jwt/1.0/getJsonWebToken/v1`, () => ok({ jwt: 'peruri-jwt-value' }));

  it('sends a document with neutral boxes converted to Peruri corners (custom path) → orderId', async () => {
    let sent: any;
    let headers: Headers | undefined;
    msw.use(
      jwt(),
      http.post(`${BASE}/custom/sendDocument`, async ({ request }) => {
        sent = await request.json();
        headers = request.headers;
        return ok({ orderId: 'ORD-1' });
      }),
    );
    const pdf = await makePdf();
    const res = await fetch(`${h.s.base}/api/peruri/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, email: 'signer@instansi.go.id', boxes: JSON.stringify([{ page: 1, x: 100, y: 100, width: 150, height: 60 }]), reason: 'Setuju' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.deepEqual(await json(res), { orderId: 'ORD-1', provider: 'peruri' });
    assert.equal(headers?.get('x-gateway-apikey'), 'peruri-apikey-UNIQUE-a83e');
    assert.equal(headers?.get('authorization'), 'Bearer peruri-jwt-value');
    const p = sent.param;
    assert.equal(p.email, 'signer@instansi.go.id');
    assert.equal(p.systemId, 'PORTAL-SYS');
    assert.equal(p.payload.base64Document, b64(pdf));
    assert.deepEqual(p.payload.signer, [
      {
        isVisualSign: 'YES',
        lowerLeftX: '100',
        lowerLeftY: '100',
        upperRightX: '250',
        upperRightY: '160',
        page: '1',
        certificateLevel: 'NOT_CERTIFIED',
        varReason: 'Setuju',
      },
    ]);
  });

  it('refuses bad input before any call: e-mail, boxes, box outside the page', async () => {
    let calls = 0;
    msw.use(http.post(`${BASE}/*`, () => ((calls += 1), ok({}))));
    const pdf = await makePdf();
    const badEmail = await fetch(`${h.s.base}/api/peruri/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf, email: 'nope' }) });
    assert.equal(badEmail.status, 400);
    assert.equal((await json(badEmail)).error.field, 'email');
    const badBox = await fetch(`${h.s.base}/api/peruri/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, email: 'a@b.id', boxes: '[{"page":1,"x":1}]' }),
    });
    assert.equal(badBox.status, 400);
    assert.match((await json(badBox)).error.field, /^boxes\.0\./);
    const outside = await fetch(`${h.s.base}/api/peruri/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, email: 'a@b.id', boxes: JSON.stringify([{ page: 1, x: 550, y: 100, width: 150, height: 60 }]) }),
    });
    assert.equal(outside.status, 400);
    assert.equal((await json(outside)).error.code, 'invalid-coordinates');
    assert.equal(calls, 0);
  });

  it('OTP then signing: the OTP session token stays on the server; Check Document Status, then the download, stored before the answer', async () => {
    const signed = await signedPdf('peruri');
    let signing: any;
    const order: string[] = [];
    msw.use(
      jwt(),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/getOtp/v1`, () => ok({ token: 'otp-session-UNIQUE', phone: '0812****99' })),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/signing/v1`, async ({ request }) => (order.push('signing'), (signing = await request.json()), ok())),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/checkDocumentStatus/v1`, () => (order.push('checkDocumentStatus'), ok())),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/downloadDocument/v1`, () => (order.push('downloadDocument'), ok({ base64Document: b64(signed) }))),
    );
    const early = await fetch(`${h.s.base}/api/peruri/documents/ORD-2/signatures`, jsonReq(h, { otpCode: '123456' }));
    assert.equal(early.status, 400);
    assert.equal((await json(early)).error.field, 'otpCode');
    const otp = await fetch(`${h.s.base}/api/peruri/documents/ORD-2/otp`, { method: 'POST', headers: h.s.auth() });
    const otpText = await otp.text();
    assert.equal(otp.status, 201);
    assert.ok(!otpText.includes('otp-session-UNIQUE'));
    assert.deepEqual(JSON.parse(otpText), { sent: true, phone: '0812****99' });
    const badCode = await fetch(`${h.s.base}/api/peruri/documents/ORD-2/signatures`, jsonReq(h, { otpCode: '12' }));
    assert.equal((await json(badCode)).error.field, 'otpCode');
    const res = await fetch(`${h.s.base}/api/peruri/documents/ORD-2/signatures`, jsonReq(h, { otpCode: '123456' }));
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.deepEqual(signing, { requestSigning: { orderId: 'ORD-2', otpCode: '123456', token: 'otp-session-UNIQUE' } });
    // The seed's flow (003 Mekanisme Digital Signature §1): Signing → Check Document Status → Download Document.
    assert.deepEqual(order, ['signing', 'checkDocumentStatus', 'downloadDocument']);
    assert.equal(body.document.sha256, sha(signed));
    assert.ok(existsSync(join(h.s.dataDir, 'documents', `${body.document.id}.pdf`)));
    // The status of a stored order comes from the store.
    const status = await fetch(`${h.s.base}/api/peruri/documents/ORD-2/status`, { headers: h.s.auth() });
    assert.deepEqual(await json(status), { orderId: 'ORD-2', signed: true, document: body.document });
  });

  it('signing with the placement Send Document did not carry (§5.4 signer[]): boxes against the PDF Peruri holds, no varReason', async () => {
    const pdf = await makePdf(2);
    const signed = await signedPdf('placed-at-signing');
    let signing: any;
    msw.use(
      jwt(),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/getOtp/v1`, () => ok({ token: 't5', phone: '0812' })),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/viewDocument/v1`, () => ok({ base64Document: b64(pdf), signer: '0' })),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/signing/v1`, async ({ request }) => ((signing = await request.json()), ok())),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/checkDocumentStatus/v1`, () => ok()),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/downloadDocument/v1`, () => ok({ base64Document: b64(signed) })),
    );
    await fetch(`${h.s.base}/api/peruri/documents/ORD-5/otp`, { method: 'POST', headers: h.s.auth() });
    const reasonless = await fetch(
      `${h.s.base}/api/peruri/documents/ORD-5/signatures`,
      jsonReq(h, { otpCode: '123456', boxes: [{ page: 2, x: 100, y: 100, width: 150, height: 60 }], reason: 'x' }),
    );
    assert.equal(reasonless.status, 400, 'Signing takes no reason (§5.4 lists no varReason)');
    assert.equal((await json(reasonless)).error.field, 'reason');
    const res = await fetch(
      `${h.s.base}/api/peruri/documents/ORD-5/signatures`,
      jsonReq(h, {
        otpCode: '123456',
        boxes: [{ page: 2, x: 100, y: 100, width: 150, height: 60 }],
        location: 'JAKARTA',
        certificateLevel: 'NO_CHANGES_ALLOWED',
      }),
    );
    assert.equal(res.status, 201, await res.clone().text());
    assert.deepEqual(signing.requestSigning.signer, [
      {
        isVisualSign: 'YES',
        lowerLeftX: '100',
        lowerLeftY: '100',
        upperRightX: '250',
        upperRightY: '160',
        page: '2',
        certificateLevel: 'NO_CHANGES_ALLOWED',
        varLocation: 'JAKARTA',
      },
    ]);
    assert.equal((await json(res)).document.sha256, sha(signed));
  });

  it('signed but not downloadable yet: the answer says signed, with no document and the reason, never a failure', async () => {
    const signed = await signedPdf('later');
    let downloadFails = true;
    msw.use(
      jwt(),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/getOtp/v1`, () => ok({ token: 't', phone: '0812' })),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/signing/v1`, () => ok()),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/downloadDocument/v1`, () =>
        downloadFails ? new HttpResponse('busy', { status: 503 }) : ok({ base64Document: b64(signed) }),
      ),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/checkDocumentStatus/v1`, () => ok()),
    );
    await fetch(`${h.s.base}/api/peruri/documents/ORD-4/otp`, { method: 'POST', headers: h.s.auth() });
    const res = await fetch(`${h.s.base}/api/peruri/documents/ORD-4/signatures`, jsonReq(h, { otpCode: '123456' }));
    assert.equal(res.status, 201);
    const body = await json(res);
    assert.equal(body.signed, true);
    assert.equal(body.document, null);
    assert.match(body.error.message, /status/);
    // Later, the status route downloads and stores it.
    downloadFails = false;
    const status = await json(await fetch(`${h.s.base}/api/peruri/documents/ORD-4/status`, { headers: h.s.auth() }));
    assert.equal(status.signed, true);
    assert.equal(status.document.sha256, sha(signed));
  });

  it('status: a non-"0" code is a failure with Peruri\'s code and text (never "pending"), nothing downloaded; "0" → downloaded and stored', async () => {
    let done = false;
    let downloads = 0;
    const signed = await signedPdf('peruri-status');
    msw.use(
      jwt(),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/checkDocumentStatus/v1`, () =>
        done ? ok() : HttpResponse.json({ resultCode: '4004', resultDesc: 'orderId tidak ditemukan' }),
      ),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/downloadDocument/v1`, () => ((downloads += 1), ok({ base64Document: b64(signed) }))),
    );
    const failed = await fetch(`${h.s.base}/api/peruri/documents/ORD-3/status`, { headers: h.s.auth() });
    assert.equal(failed.status, 422);
    const error = (await json(failed)).error;
    assert.equal(error.code, 'provider-rejected');
    assert.deepEqual(error.provider, { code: '4004', message: 'orderId tidak ditemukan' });
    assert.match(error.message, /did not confirm the document is signed: resultCode 4004/);
    assert.equal(downloads, 0);
    done = true;
    const ready = await json(await fetch(`${h.s.base}/api/peruri/documents/ORD-3/status`, { headers: h.s.auth() }));
    assert.equal(ready.signed, true);
    assert.equal(ready.document.sha256, sha(signed));
    const bad = await fetch(`${h.s.base}/api/peruri/documents/..%2F..%2Fx/status`, { headers: h.s.auth() });
    assert.equal(bad.status, 400);
  });

  it('certificate status and activation; a Peruri refusal is 422 with its code', async () => {
    msw.use(
      jwt(),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/checkCertificate/v1`, () => ok()),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/activation/v1`, () => HttpResponse.json({ resultCode: '77', resultDesc: 'Email tidak terdaftar' })),
    );
    const cert = await fetch(`${h.s.base}/api/peruri/users/certificate`, jsonReq(h, { email: 'a@b.id' }));
    assert.deepEqual(await json(cert), { issued: true, resultCode: '0', resultDesc: 'Success' });
    // Any other code (an unknown e-mail here) is a failure with Peruri's code and text, not "not issued yet".
    msw.use(
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/checkCertificate/v1`, () =>
        HttpResponse.json({ resultCode: '4005', resultDesc: 'Email tidak terdaftar' }),
      ),
    );
    const unknown = await fetch(`${h.s.base}/api/peruri/users/certificate`, jsonReq(h, { email: 'nobody@b.id' }));
    assert.equal(unknown.status, 422);
    assert.deepEqual((await json(unknown)).error.provider, { code: '4005', message: 'Email tidak terdaftar' });
    const act = await fetch(`${h.s.base}/api/peruri/users/activation`, jsonReq(h, { email: 'a@b.id' }));
    assert.equal(act.status, 422);
    assert.deepEqual((await json(act)).error.provider, { code: '77', message: 'Email tidak terdaftar' });
  });

  it('web views: activation and signing URLs on the configured web-view origin', async () => {
    const a = await json(await fetch(`${h.s.base}/api/webviews`, jsonReq(h, { provider: 'peruri', flow: 'activation', email: 'a@b.id' })));
    assert.equal(a.origin, 'https://wv.peruri.test');
    assert.equal(a.url, 'https://wv.peruri.test/index.php?email=a%40b.id&systemId=PORTAL-SYS');
    assert.equal('channel' in a, false, 'each <esign-webview> makes its own channel');
    const s = await json(await fetch(`${h.s.base}/api/webviews`, jsonReq(h, { provider: 'peruri', flow: 'signing', orderId: 'ORD-9' })));
    assert.equal(s.url, 'https://wv.peruri.test/signing.php?orderId=ORD-9');
    const bad = await fetch(`${h.s.base}/api/webviews`, jsonReq(h, { provider: 'peruri', flow: 'signing' }));
    assert.equal(bad.status, 400);
    assert.equal((await json(bad)).error.field, 'orderId');
  });

  it('registers a user with the KTP photo (base64 upstream) and checks images by their bytes', async () => {
    let sent: any;
    msw.use(
      jwt(),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/registration/v1`, async ({ request }) => ((sent = await request.json()), ok())),
    );
    const fields = {
      name: 'Budi',
      phone: '081234567890',
      email: 'budi@b.id',
      nik: '3174012345678901',
      address: 'Jl. Merdeka 1',
      city: 'Jakarta',
      province: 'DKI Jakarta',
      gender: 'M',
      placeOfBirth: 'Bandung',
      dateOfBirth: '1990-02-03',
    };
    const res = await fetch(`${h.s.base}/api/peruri/users`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ ...fields, ktpPhoto: { data: JPEG, type: 'image/jpeg' } }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(sent.param.ktp, '3174012345678901');
    assert.equal(sent.param.ktpPhoto, b64(JPEG));
    assert.equal(sent.param.dateOfBirth, '03/02/1990');
    const notImage = await fetch(`${h.s.base}/api/peruri/users`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ ...fields, ktpPhoto: { data: await makePdf(), type: 'image/jpeg' } }),
    });
    assert.equal(notImage.status, 400);
    assert.deepEqual((await json(notImage)).error, { code: 'invalid-input', message: 'ktpPhoto must be a JPEG or PNG image.', field: 'ktpPhoto' });
    const huge = new Uint8Array(4 * 1024 * 1024 + 1);
    huge.set(PNG);
    const tooBig = await fetch(`${h.s.base}/api/peruri/users`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ ...fields, ktpPhoto: { data: huge, type: 'image/png' } }),
    });
    assert.equal(tooBig.status, 413);
    assert.equal((await json(tooBig)).error.field, 'ktpPhoto');
    const badDate = await fetch(`${h.s.base}/api/peruri/users`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ ...fields, dateOfBirth: '03-02-1990', ktpPhoto: { data: JPEG, type: 'image/jpeg' } }),
    });
    assert.equal((await json(badDate)).error.field, 'dateOfBirth');
  });

  it('stores a specimen', async () => {
    let sent: any;
    msw.use(
      jwt(),
      http.post(`${BASE}/digitalSignatureFullJwt/1.0/sendSpeciment/v1`, async ({ request }) => ((sent = await request.json()), ok())),
    );
    const res = await fetch(`${h.s.base}/api/peruri/users/specimen`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ email: 'budi@b.id', specimen: { data: PNG, type: 'image/png' } }),
    });
    assert.equal(res.status, 201);
    assert.equal(sent.param.speciment, b64(PNG));
  });
});
