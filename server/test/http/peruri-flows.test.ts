// Peruri beyond the single document: video e-KYC (§4.3), tier (§6), bulk (§7) and signing system (§8).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { b64, form, json, makePdf, mockProviders, signedPdf, useServer, useOwned } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const BASE = 'https://peruri.test/gateway';
const OP = (op: string) => `${BASE}/digitalSignatureFullJwt/1.0/${op}/v1`;
const ok = (data?: unknown) => HttpResponse.json({ resultCode: '0', resultDesc: 'Success', ...(data !== undefined ? { data } : {}) });
const BOX = { page: 1, x: 100, y: 100, width: 150, height: 60 };
const MP4 = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, ...new Array(64).fill(7)]);

function filesForm(pdfs: Uint8Array[], fields: Record<string, string> = {}): FormData {
  const f = form(fields);
  pdfs.forEach((pdf, i) => f.append('files', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), `bulk-${i + 1}.pdf`));
  return f;
}

describe('Peruri tier, bulk, signing system, video e-KYC', () => {
  const msw = mockProviders();
  const h = useServer();
  useOwned(h, [
    ['peruri', '3214'],
    ['peruri', '3215'],
    ['peruri', '3216'],
    ['peruri', '3217'],
    ['peruri', '9001'],
    ['peruri', 'ABC'],
  ]);
  const jwt = () => http.post(`${BASE}/jwt/1.0/getJsonWebToken/v1`, () => ok({ jwt: 'peruri-jwt-value' }));
  const post = (path: string, body: unknown) =>
    fetch(`${h.s.base}/api${path}`, { method: 'POST', headers: { ...h.s.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('video e-KYC: the video goes as plain base64; a non-video or a missing part is refused before any call', async () => {
    let sent: any;
    let calls = 0;
    msw.use(
      jwt(),
      http.post(OP('videoVerification'), async ({ request }) => ((calls += 1), (sent = await request.json()), ok())),
    );
    const res = await fetch(`${h.s.base}/api/peruri/users/video`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ email: 'budi@b.id', video: { data: MP4, type: 'video/mp4' } }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await json(res), { verified: true, resultDesc: 'Success' });
    assert.deepEqual(sent, { param: { email: 'budi@b.id', videoStream: b64(MP4), systemId: 'PORTAL-SYS' } });
    const notVideo = await fetch(`${h.s.base}/api/peruri/users/video`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ email: 'budi@b.id', video: { data: await makePdf(), type: 'video/mp4' } }),
    });
    assert.equal(notVideo.status, 400);
    assert.equal((await json(notVideo)).error.field, 'video');
    const missing = await fetch(`${h.s.base}/api/peruri/users/video`, { method: 'POST', headers: h.s.auth(), body: form({ email: 'budi@b.id' }) });
    assert.equal((await json(missing)).error.field, 'video');
    const badEmail = await fetch(`${h.s.base}/api/peruri/users/video`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ email: 'nope', video: { data: MP4, type: 'video/mp4' } }),
    });
    assert.equal((await json(badEmail)).error.field, 'email');
    assert.equal(calls, 1);
  });

  it('tier: send with ordered signers → orderId; each signer signs with OTP and boxes; the last signature stores the PDF', async () => {
    const pdf = await makePdf();
    const signed = await signedPdf('tier');
    let sendReq: any;
    const tierReqs: any[] = [];
    let done = false;
    msw.use(
      jwt(),
      http.post(OP('sendDocumentTier'), async ({ request }) => ((sendReq = await request.json()), ok({ orderld: 'T-1' }))),
      http.post(OP('getOtp'), () => ok({ token: 'tier-token-UNIQUE', phone: '0812****11' })),
      http.post(OP('viewDocument'), () => ok({ base64Document: b64(pdf), signer: '0' })),
      http.post(OP('signingTier'), async ({ request }) => (tierReqs.push(await request.json()), ok())),
      http.post(OP('checkDocumentStatus'), () => (done ? ok() : HttpResponse.json({ resultCode: '9', resultDesc: 'Menunggu penandatangan berikutnya' }))),
      http.post(OP('downloadDocument'), () => ok({ base64Document: b64(signed) })),
    );
    const sent = await fetch(`${h.s.base}/api/peruri/tiers`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, uploader: 'tu@instansi.go.id', signers: JSON.stringify(['kabag@instansi.go.id', 'kadis@instansi.go.id']) }),
    });
    assert.equal(sent.status, 201, await sent.clone().text());
    assert.deepEqual(await json(sent), { orderId: 'T-1', provider: 'peruri', signers: 2 });
    assert.equal(sendReq.param.uploader, 'tu@instansi.go.id');
    assert.deepEqual(sendReq.param.payload.signer, [{ email: 'kabag@instansi.go.id' }, { email: 'kadis@instansi.go.id' }]);
    assert.equal(sendReq.param.payload.base64Document, b64(pdf));

    const early = await post('/peruri/tiers/T-1/signatures', { otpCode: '123456', boxes: [BOX], location: 'Jakarta' });
    assert.equal((await json(early)).error.field, 'otpCode');
    const noLocation = await post('/peruri/tiers/T-1/signatures', { otpCode: '123456', boxes: [BOX] });
    assert.equal((await json(noLocation)).error.field, 'location');

    const sign = async (code: string) => {
      const otp = await fetch(`${h.s.base}/api/peruri/documents/T-1/otp`, { method: 'POST', headers: h.s.auth() });
      assert.ok(!(await otp.text()).includes('tier-token-UNIQUE'));
      return post('/peruri/tiers/T-1/signatures', {
        otpCode: code,
        boxes: [BOX],
        location: 'Jakarta',
        certificateLevel: code === '222222' ? 'NO_CHANGES_ALLOWED' : undefined,
      });
    };
    const first = await sign('111111');
    assert.equal(first.status, 201, await first.clone().text());
    // Signed by this signer; completion not confirmed, with Peruri's own code and text (no "pending" reading).
    assert.deepEqual(await json(first), {
      signed: true,
      orderId: 'T-1',
      complete: false,
      statusCheck: {
        code: 'provider-rejected',
        message: 'Peruri did not confirm the document is signed: resultCode 9 is a failure ("0" = Sukses, Selain "0" = Gagal).',
        provider: { code: '9', message: 'Menunggu penandatangan berikutnya' },
      },
    });
    assert.deepEqual(tierReqs[0], {
      requestSigning: {
        orderId: 'T-1',
        otpCode: '111111',
        token: 'tier-token-UNIQUE',
        signer: [
          {
            isVisualSign: 'YES',
            lowerLeftX: '100',
            lowerLeftY: '100',
            upperRightX: '250',
            upperRightY: '160',
            page: '1',
            certificateLevel: 'NOT_CERTIFIED',
            varLocation: 'Jakarta',
          },
        ],
      },
    });
    done = true;
    const last = await sign('222222');
    const body = await json(last);
    assert.equal(body.complete, true);
    assert.equal(body.document.sha256, sha(signed));
    assert.equal(sha(readFileSync(join(h.s.dataDir, 'documents', `${body.document.id}.pdf`))), sha(signed));
    assert.equal(tierReqs[1].requestSigning.signer[0].certificateLevel, 'NO_CHANGES_ALLOWED');
  });

  it('bulk: send several PDFs → orderIds; set a placement; one OTP for the batch; signing stores every document', async () => {
    const pdfs = [await makePdf(), await makePdf()];
    const signed = [await signedPdf('bulk-a'), await signedPdf('bulk-b')];
    let bulkReq: any;
    let setReq: any;
    let otpReq: any;
    let signReq: any;
    msw.use(
      jwt(),
      http.post(OP('sendDocumentBulk'), async ({ request }) => ((bulkReq = await request.json()), ok([{ orderId: '3845' }, { orderId: '3846' }]))),
      http.post(OP('viewDocument'), () => ok({ base64Document: b64(pdfs[0]!), signer: '0' })),
      http.post(OP('setSignature'), async ({ request }) => ((setReq = await request.json()), ok())),
      http.post(
        OP('getOtpBulk'),
        async ({ request }) => (
          (otpReq = await request.json()),
          ok({ token: 'bulk-token-UNIQUE', systemId: 'PORTAL-SYS', phone: '0823****98', orderIdBulk: '222' })
        ),
      ),
      http.post(
        OP('signingBulk'),
        async ({ request }) => (
          (signReq = await request.json()),
          ok([
            { orderId: '3845', fileName: '3845_bulk-1.pdf' },
            { orderId: '3846', fileName: '3846_bulk-2.pdf' },
          ])
        ),
      ),
      http.post(OP('checkDocumentStatus'), () => ok()),
      http.post(OP('downloadDocument'), async ({ request }) => {
        const id = ((await request.json()) as any).param.orderId;
        return ok({ base64Document: b64(id === '3845' ? signed[0]! : signed[1]!) });
      }),
    );
    const sent = await fetch(`${h.s.base}/api/peruri/documents/bulk`, {
      method: 'POST',
      headers: h.s.auth(),
      body: filesForm(pdfs, { email: 'signer@instansi.go.id', boxes: JSON.stringify([BOX]), location: 'JAKARTA', reason: 'ya setuju' }),
    });
    assert.equal(sent.status, 201, await sent.clone().text());
    assert.deepEqual(await json(sent), { orderIds: ['3845', '3846'], provider: 'peruri', fileNames: ['bulk-1.pdf', 'bulk-2.pdf'] });
    assert.deepEqual(bulkReq.param.payload.file, [
      { fileName: 'bulk-1.pdf', base64Document: b64(pdfs[0]!) },
      { fileName: 'bulk-2.pdf', base64Document: b64(pdfs[1]!) },
    ]);
    assert.deepEqual(bulkReq.param.payload.signer, [
      {
        isVisualSign: 'YES',
        lowerLeftX: '100',
        lowerLeftY: '100',
        upperRightX: '250',
        upperRightY: '160',
        page: '1',
        certificateLevel: 'NOT_CERTIFIED',
        varLocation: 'JAKARTA',
        varReason: 'ya setuju',
      },
    ]);

    const placed = await post('/peruri/documents/3846/placement', { box: BOX, location: 'JAKARTA' });
    assert.equal(placed.status, 200, await placed.clone().text());
    assert.deepEqual(await json(placed), { placed: true, orderId: '3846', resultDesc: 'Success' });
    // The tables' shapes (seed 003 Bulk §3, §4): signer an array, orderId a string.
    assert.deepEqual(setReq, {
      requestSetSignature: {
        orderId: '3846',
        signer: [
          {
            isVisualSign: 'YES',
            lowerLeftX: '100',
            lowerLeftY: '100',
            upperRightX: '250',
            upperRightY: '160',
            page: '1',
            certificateLevel: 'NOT_CERTIFIED',
            varLocation: 'JAKARTA',
          },
        ],
      },
    });

    const batch = await post('/peruri/batches', { orderIds: ['3845', '3846'] });
    const batchText = await batch.text();
    assert.equal(batch.status, 201, batchText);
    assert.ok(!batchText.includes('bulk-token-UNIQUE'));
    assert.deepEqual(JSON.parse(batchText), { batchId: '222', orderIds: ['3845', '3846'], sent: true, phone: '0823****98' });
    assert.deepEqual(otpReq, { requestGetOtpBulk: { data: [{ orderId: '3845' }, { orderId: '3846' }], systemId: 'PORTAL-SYS' } });

    const otherUser = await fetch(`${h.s.base}/api/peruri/batches/222/signatures`, {
      method: 'POST',
      headers: { ...h.s.auth('user-2'), 'content-type': 'application/json' },
      body: JSON.stringify({ otpCode: '651129' }),
    });
    assert.equal((await json(otherUser)).error.field, 'otpCode');
    const res = await post('/peruri/batches/222/signatures', { otpCode: '651129' });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.deepEqual(signReq, { requestSigning: { orderIdBulk: '222', otpCodeBulk: '651129', tokenBulk: 'bulk-token-UNIQUE' } });
    assert.deepEqual(
      body.documents.map((d: any) => [d.orderId, d.document.sha256]),
      [
        ['3845', sha(signed[0]!)],
        ['3846', sha(signed[1]!)],
      ],
    );
    for (const d of body.documents) assert.equal(sha(readFileSync(join(h.s.dataDir, 'documents', `${d.document.id}.pdf`))), d.document.sha256);
    const again = await post('/peruri/batches/222/signatures', { otpCode: '651129' });
    assert.equal((await json(again)).error.field, 'otpCode', 'the batch token is used once');
  });

  it('bulk: refuses bad input before any call (no files, boxes that cannot fit every file)', async () => {
    let calls = 0;
    msw.use(http.post(`${BASE}/*`, () => ((calls += 1), ok({}))));
    const none = await fetch(`${h.s.base}/api/peruri/documents/bulk`, { method: 'POST', headers: h.s.auth(), body: form({ email: 'a@b.id' }) });
    assert.equal((await json(none)).error.field, 'files');
    const mixed = await fetch(`${h.s.base}/api/peruri/documents/bulk`, {
      method: 'POST',
      headers: h.s.auth(),
      body: filesForm([await makePdf(), await makePdf(2)], { email: 'a@b.id', boxes: JSON.stringify([{ ...BOX, page: 2 }]) }),
    });
    assert.equal(mixed.status, 400);
    assert.equal((await json(mixed)).error.code, 'invalid-coordinates');
    const empty = await post('/peruri/batches', { orderIds: [] });
    assert.equal((await json(empty)).error.field, 'orderIds');
    const noBox = await post('/peruri/documents/3846/placement', {});
    assert.equal((await json(noBox)).error.field, 'box');
    assert.equal(calls, 0);
  });

  it("signing system: the key stays here; the session is the doc's worked example; the signed PDFs are stored", async () => {
    let keyReq: any;
    let systemReq: any;
    let sendReq: any;
    const signed = await signedPdf('system');
    msw.use(
      jwt(),
      http.post(OP('sendDocument'), async ({ request }) => ((sendReq = await request.json()), ok({ orderId: '3214' }))),
      http.post(OP('setKey'), async ({ request }) => ((keyReq = await request.json()), ok({ expiredDate: '2026-11-24 02:00:00' }))),
      http.post(OP('signingSystem'), async ({ request }) => ((systemReq = await request.json()), ok())),
      http.post(OP('checkDocumentStatus'), () => ok()),
      http.post(OP('downloadDocument'), () => ok({ base64Document: b64(signed) })),
    );
    const noKey = await post('/peruri/system/signatures', { orderIds: ['3214'] });
    assert.equal(noKey.status, 400);
    assert.equal((await json(noKey)).error.field, 'key');

    const doc = await fetch(`${h.s.base}/api/peruri/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), email: 'system@instansi.go.id', orderType: 'SYSTEM', visible: 'false' }),
    });
    assert.deepEqual(await json(doc), { orderId: '3214', provider: 'peruri', orderType: 'SYSTEM' });
    assert.equal(sendReq.param.orderType, 'SYSTEM');

    const generated = await post('/peruri/system/key', { minutes: 30 });
    const genBody = await json(generated);
    assert.equal(generated.status, 201);
    assert.equal(genBody.generated, true);
    assert.equal(genBody.expiredDate, '2026-11-24 02:00:00');
    assert.ok(!JSON.stringify(genBody).includes(keyReq.param.key), 'a generated key is never answered');
    assert.ok(keyReq.param.key.length >= 32);
    assert.equal(keyReq.param.minutes, '30');

    const set = await post('/peruri/system/key', { minutes: 30, key: 'p3rur1' });
    const setText = await set.text();
    assert.equal(set.status, 201);
    assert.ok(!setText.includes('p3rur1'));
    assert.deepEqual(keyReq, { param: { key: 'p3rur1', minutes: '30', systemId: 'PORTAL-SYS' } });

    const res = await post('/peruri/system/signatures', { orderIds: ['3214', '3215', '3216'] });
    assert.equal(res.status, 201, await res.clone().text());
    assert.deepEqual(systemReq, {
      param: {
        data: [{ orderId: '3214' }, { orderId: '3215' }, { orderId: '3216' }],
        session: '1fdd4df75c0d0c6548e4c34baeceff2e926a9b5520e6ea393c821b7f3248d824',
        systemId: 'PORTAL-SYS',
      },
    });
    const body = await json(res);
    assert.equal(body.signed, true);
    assert.deepEqual(
      body.documents.map((d: any) => d.orderId),
      ['3214', '3215', '3216'],
    );
    for (const d of body.documents) assert.equal(d.document.sha256, sha(signed));
    assert.ok(!h.s.logs.join('\n').includes('p3rur1'), 'the key is not logged');
    const shortKey = await post('/peruri/system/key', { minutes: 30, key: 'abc' });
    assert.equal((await json(shortKey)).error.field, 'key');
  });

  it('a signed order that cannot be downloaded yet is named with its error, not a document', async () => {
    msw.use(
      jwt(),
      http.post(OP('setKey'), () => ok()),
      http.post(OP('signingSystem'), () => ok()),
      http.post(OP('checkDocumentStatus'), () => ok()),
      http.post(OP('downloadDocument'), () => HttpResponse.json({ resultCode: '5', resultDesc: 'Dokumen belum tersedia' })),
    );
    await post('/peruri/system/key', { minutes: 5 });
    const res = await post('/peruri/system/signatures', { orderIds: ['9001'] });
    assert.equal(res.status, 201);
    const [d] = (await json(res)).documents;
    assert.equal(d.orderId, '9001');
    assert.equal(d.document, null);
    assert.equal(d.error.code, 'provider-rejected');
    assert.deepEqual(d.error.provider, { code: '5', message: 'Dokumen belum tersedia' });
  });

  it('bulk signing stores only the batch this user created, under this user, whatever else Peruri lists', async () => {
    const signed = await signedPdf('mine');
    const fetched: string[] = [];
    const checked: string[] = [];
    msw.use(
      jwt(),
      http.post(OP('getOtpBulk'), () => ok({ token: 'bulk-token', systemId: 'PORTAL-SYS', phone: '0823', orderIdBulk: '777' })),
      // Peruri's answer lists an order of someone else's batch (9999) beside this user's own.
      http.post(OP('signingBulk'), () =>
        ok([
          { orderId: '9999', fileName: '9999_other.pdf' },
          { orderId: '3217', fileName: '3217_mine.pdf' },
        ]),
      ),
      http.post(OP('checkDocumentStatus'), async ({ request }) => (checked.push(((await request.json()) as any).param.orderId), ok())),
      http.post(
        OP('downloadDocument'),
        async ({ request }) => (fetched.push(((await request.json()) as any).param.orderId), ok({ base64Document: b64(signed) })),
      ),
    );
    const batch = await post('/peruri/batches', { orderIds: ['3217'] });
    assert.equal(batch.status, 201, await batch.clone().text());
    const res = await post('/peruri/batches/777/signatures', { otpCode: '651129' });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.deepEqual(
      body.documents.map((d: any) => d.orderId),
      ['3217'],
    );
    assert.deepEqual(fetched, ['3217'], 'the foreign order is never downloaded');
    assert.deepEqual(checked, ['3217']);
    assert.ok(!JSON.stringify(body).includes('9999'), 'nor named to this user');
    const foreign = await fetch(`${h.s.base}/api/peruri/documents/9999/status`, { headers: h.s.auth() });
    assert.equal(foreign.status, 404, 'and no one here owns it');
    assert.ok(h.s.logs.some((l) => l.includes('Signing Bulk listed orders outside the batch')));
  });
});
