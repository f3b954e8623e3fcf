// BSrE Esign Client v2: the electronic seal (D.3–D.5) and bulk signing (D.1 with several files).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { b64, form, json, makePdf, mockProviders, PNG, signedPdf, useServer } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const SUB = 'SUBSCRIBER-0042';
/** The activation TOTP has no documented format; the sandbox's is 32 hex characters. */
const ACT = '9f1c2e3d4b5a69788796a5b4c3d2e1f0';
const BOX = { page: 1, x: 100, y: 100, width: 120, height: 60 };

/** Several PDFs as repeated multipart "files" parts, plus plain fields. */
function filesForm(pdfs: Uint8Array[], fields: Record<string, string | { data: Uint8Array; type: string }> = {}): FormData {
  const f = form(fields);
  pdfs.forEach((pdf, i) => f.append('files', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), `doc-${i + 1}.pdf`));
  return f;
}

const storedCount = (dataDir: string) => readdirSync(join(dataDir, 'documents')).filter((n) => n.endsWith('.pdf')).length;

describe('BSrE v2 seals', () => {
  const msw = mockProviders();
  const h = useServer();
  const post = (path: string, body: unknown, sub?: string) =>
    fetch(`${h.s.base}/api/bsre/seals${path}`, {
      method: 'POST',
      headers: { ...h.s.auth(sub), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('requests, refreshes and revokes the activation TOTP without ever echoing a TOTP', async () => {
    const sent: Record<string, unknown> = {};
    msw.use(
      http.post('https://bsre.test/api/v2/seal/get/activation', async ({ request }) => {
        const body = (await request.json()) as { totp?: string };
        sent[body.totp ? 'refresh' : 'request'] = body;
        return body.totp
          ? HttpResponse.json({
              success: true,
              message: null,
              data: { message: 'TOTP Aktivasi masih berlaku', totp: ACT, expires: '2026-08-07T04:24:40.927+0000', result: true },
            })
          : HttpResponse.json({ success: true, message: 'TOTP Aktivasi berhasil dikirim', data: null });
      }),
      http.post(
        'https://bsre.test/api/v2/seal/revoke/activation',
        async ({ request }) => ((sent.revoke = await request.json()), HttpResponse.json({ success: true, message: 'Revoked' })),
      ),
    );
    const requested = await post('/activation', { idSubscriber: SUB });
    assert.equal(requested.status, 201);
    assert.deepEqual(await json(requested), { requested: true, message: 'TOTP Aktivasi berhasil dikirim' });
    assert.deepEqual(sent.request, { idSubscriber: SUB });

    const refreshed = await post('/activation/refresh', { idSubscriber: SUB, totp: ACT });
    const text = await refreshed.text();
    assert.equal(refreshed.status, 200, text);
    assert.ok(!text.includes(ACT), 'the activation TOTP is not echoed');
    assert.deepEqual(JSON.parse(text), { refreshed: true, message: 'TOTP Aktivasi masih berlaku', expires: '2026-08-07T04:24:40.927+0000' });
    assert.deepEqual(sent.refresh, { idSubscriber: SUB, totp: ACT });

    const revoked = await post('/activation/revoke', { idSubscriber: SUB, totp: ACT });
    assert.equal(revoked.status, 200);
    assert.deepEqual(await json(revoked), { revoked: true, message: 'Revoked' });
    assert.deepEqual(sent.revoke, { idSubscriber: SUB, totp: ACT });
  });

  it('refuses bad seal input with the field named, before any upstream call', async () => {
    let calls = 0;
    msw.use(http.post('https://bsre.test/*', () => ((calls += 1), HttpResponse.json({}))));
    const noSub = await post('/activation', {});
    assert.equal(noSub.status, 400);
    assert.equal((await json(noSub)).error.field, 'idSubscriber');
    const spaced = await post('/activation', { idSubscriber: 'has space' });
    assert.equal((await json(spaced)).error.field, 'idSubscriber');
    const noTotp = await post('/activation/refresh', { idSubscriber: SUB });
    assert.equal((await json(noTotp)).error.field, 'totp');
    const spacedTotp = await post('/activation/revoke', { idSubscriber: SUB, totp: 'a b' });
    assert.equal((await json(spacedTotp)).error.field, 'totp');
    const badCount = await post('/totp', { idSubscriber: SUB, activationTotp: '123456', fileCount: 0 });
    assert.equal((await json(badCount)).error.field, 'fileCount');
    const noFiles = await fetch(`${h.s.base}/api/bsre/seals`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ idSubscriber: SUB, totp: '123456' }),
    });
    assert.equal(noFiles.status, 400);
    assert.equal((await json(noFiles)).error.field, 'files');
    const badIds = await fetch(`${h.s.base}/api/bsre/seals`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ idSubscriber: SUB, totp: '123456', documentIds: ['../x'] }),
    });
    assert.equal((await json(badIds)).error.field, 'documentIds.0');
    const noOtp = await fetch(`${h.s.base}/api/bsre/seals`, { method: 'POST', headers: h.s.auth(), body: filesForm([await makePdf()], { idSubscriber: SUB }) });
    assert.equal(noOtp.status, 400);
    assert.equal((await json(noOtp)).error.field, 'totp');
    const notPdf = await fetch(`${h.s.base}/api/bsre/seals`, {
      method: 'POST',
      headers: h.s.auth(),
      body: filesForm([await makePdf(), new TextEncoder().encode('nope')], { idSubscriber: SUB, totp: '123456' }),
    });
    assert.equal(notPdf.status, 400);
    assert.deepEqual([(await json(notPdf)).error.code], ['invalid-pdf']);
    assert.equal(calls, 0);
  });

  it("seal OTP returned in BSrE's body is held on the server (never answered), used once for the next seal of that many files", async () => {
    const sealedA = await signedPdf('sealed-a');
    const sealedB = await signedPdf('sealed-b');
    let totpReq: any;
    let sealReq: any;
    let seals = 0;
    msw.use(
      http.post(
        'https://bsre.test/api/v2/seal/get/totp',
        async ({ request }) => (
          (totpReq = await request.json()),
          HttpResponse.json({ message: 'TOTP berhasil dibuat', totp: '629109', expires: '2099-08-07T04:24:40.927+0000', result: true })
        ),
      ),
      http.post('https://bsre.test/api/v2/seal/pdf', async ({ request }) => {
        seals += 1;
        sealReq = await request.json();
        return HttpResponse.json({ time: 900, file: [b64(sealedA), b64(sealedB)] });
      }),
    );
    const otp = await post('/totp', { idSubscriber: SUB, activationTotp: '445566', fileCount: 2 });
    const otpText = await otp.text();
    assert.equal(otp.status, 201, otpText);
    assert.ok(!otpText.includes('629109'), 'the seal OTP is not answered');
    assert.deepEqual(JSON.parse(otpText), { sent: true, message: 'TOTP berhasil dibuat', expires: '2099-08-07T04:24:40.927+0000', held: true, fileCount: 2 });
    assert.deepEqual(totpReq, { idSubscriber: SUB, data: '2', totp: '445566' });

    const [a, b] = [await makePdf(), await makePdf(2)];
    // Another portal user cannot use the held OTP; a different number of files is refused.
    const other = await fetch(`${h.s.base}/api/bsre/seals`, { method: 'POST', headers: h.s.auth('user-2'), body: filesForm([a, b], { idSubscriber: SUB }) });
    assert.equal((await json(other)).error.field, 'totp');
    const one = await fetch(`${h.s.base}/api/bsre/seals`, { method: 'POST', headers: h.s.auth(), body: filesForm([a], { idSubscriber: SUB }) });
    assert.equal((await json(one)).error.field, 'files');
    assert.equal(seals, 0);

    const before = storedCount(h.s.dataDir);
    const res = await fetch(`${h.s.base}/api/bsre/seals`, {
      method: 'POST',
      headers: h.s.auth(),
      body: filesForm([a, b], { idSubscriber: SUB, reason: 'Segel instansi' }),
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    assert.ok(!text.includes('629109'));
    const body = JSON.parse(text);
    assert.equal(body.sealed, 2);
    assert.deepEqual(
      body.documents.map((d: any) => d.sha256),
      [sha(sealedA), sha(sealedB)],
    );
    assert.deepEqual(
      body.documents.map((d: any) => d.fileName),
      ['doc-1-sealed.pdf', 'doc-2-sealed.pdf'],
    );
    for (const d of body.documents) assert.equal(sha(readFileSync(join(h.s.dataDir, 'documents', `${d.id}.pdf`))), d.sha256);
    assert.equal(storedCount(h.s.dataDir), before + 2);
    assert.equal(sealReq.idSubscriber, SUB);
    assert.equal(sealReq.totp, '629109');
    assert.deepEqual(sealReq.signatureProperties, [{ tampilan: 'INVISIBLE', location: null, reason: 'Segel instansi' }]);
    assert.deepEqual(sealReq.file, [b64(a), b64(b)]);
    const again = await fetch(`${h.s.base}/api/bsre/seals`, { method: 'POST', headers: h.s.auth(), body: filesForm([a, b], { idSubscriber: SUB }) });
    assert.equal((await json(again)).error.field, 'totp', 'the held OTP is used once');
    assert.equal(seals, 1);
  });

  it("seals a stored document with an explicit OTP; a wrong OTP is the provider's error, nothing stored", async () => {
    const up = await json(await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: await makePdf() }) }));
    const sealed = await signedPdf('sealed-stored');
    let wrong = true;
    msw.use(
      http.post('https://bsre.test/api/v2/seal/pdf', () =>
        wrong ? HttpResponse.json({ error: 'TOTP tidak valid', status_code: 2031 }, { status: 400 }) : HttpResponse.json({ file: [b64(sealed)] }),
      ),
    );
    const before = storedCount(h.s.dataDir);
    const bad = await post('', { idSubscriber: SUB, totp: '000000', documentIds: [up.document.id] });
    assert.ok(bad.status >= 400 && bad.status < 600 && bad.status !== 500, `status ${bad.status}`);
    assert.equal(storedCount(h.s.dataDir), before);
    wrong = false;
    const res = await post('', { idSubscriber: SUB, totp: '111111', documentId: up.document.id });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.equal(body.documents.length, 1);
    assert.equal(body.documents[0].sha256, sha(sealed));
    assert.equal(body.documents[0].source, 'bsre');
  });
});

describe('BSrE v2 bulk signing', () => {
  const msw = mockProviders();
  const h = useServer();

  it('signs several files with one TOTP, one appearance per file; each signed PDF stored in order', async () => {
    const out = [await signedPdf('bulk-1'), await signedPdf('bulk-2')];
    let sent: any;
    msw.use(
      http.post('https://bsre.test/api/v2/sign/pdf', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ time: 300, file: out.map(b64) });
      }),
    );
    const pdfs = [await makePdf(), await makePdf(3)];
    const signatures = [
      { box: BOX, reason: 'Setuju' },
      { appearance: 'invisible', location: 'Jakarta' },
    ];
    const res = await fetch(`${h.s.base}/api/bsre/signatures/bulk`, {
      method: 'POST',
      headers: h.s.auth(),
      body: filesForm(pdfs, {
        email: 'signer@instansi.go.id',
        totp: '123456',
        signatures: JSON.stringify(signatures),
        image: { data: PNG, type: 'image/png' },
      }),
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    assert.ok(!text.includes('123456'));
    const body = JSON.parse(text);
    assert.equal(body.api, 'v2');
    assert.deepEqual(
      body.documents.map((d: any) => d.sha256),
      out.map(sha),
    );
    for (const d of body.documents) assert.equal(sha(readFileSync(join(h.s.dataDir, 'documents', `${d.id}.pdf`))), d.sha256);
    assert.equal(sent.email, 'signer@instansi.go.id');
    assert.equal(sent.totp, '123456');
    assert.deepEqual(sent.file, pdfs.map(b64));
    assert.equal(sent.signatureProperties.length, 2);
    const [v, inv] = sent.signatureProperties;
    assert.equal(v.tampilan, 'VISIBLE');
    assert.equal(v.page, 1);
    assert.equal(v.imageBase64, b64(PNG));
    assert.equal(v.reason, 'Setuju');
    for (const k of ['originX', 'originY', 'width', 'height']) assert.equal(typeof v[k], 'number', k);
    assert.deepEqual(inv, { tampilan: 'INVISIBLE', location: 'Jakarta' });
  });

  it("one appearance for all files is applied to each (checked against each file's own pages)", async () => {
    let sent: any;
    msw.use(
      http.post(
        'https://bsre.test/api/v2/sign/pdf',
        async ({ request }) => ((sent = await request.json()), HttpResponse.json({ file: [b64(await signedPdf('x')), b64(await signedPdf('y'))] })),
      ),
    );
    const res = await fetch(`${h.s.base}/api/bsre/signatures/bulk`, {
      method: 'POST',
      headers: h.s.auth(),
      body: filesForm([await makePdf(), await makePdf()], {
        nik: '3174012345678901',
        passphrase: 'pass-UNIQUE-bulk',
        signatures: JSON.stringify([{ box: { ...BOX, page: 1 } }]),
        image: { data: PNG, type: 'image/png' },
      }),
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    assert.ok(!text.includes('pass-UNIQUE-bulk'));
    assert.equal(sent.signatureProperties.length, 2);
    assert.deepEqual(sent.signatureProperties[0], sent.signatureProperties[1]);
    assert.equal(sent.passphrase, 'pass-UNIQUE-bulk');
  });

  it('refuses mismatched appearances, missing credentials and boxes off a page, before any call; a short answer stores nothing', async () => {
    let calls = 0;
    msw.use(http.post('https://bsre.test/api/v2/sign/pdf', () => ((calls += 1), HttpResponse.json({ file: [b64(PNG)] }))));
    const pdfs = [await makePdf(), await makePdf(), await makePdf()];
    const send = (fields: Record<string, string | { data: Uint8Array; type: string }>) =>
      fetch(`${h.s.base}/api/bsre/signatures/bulk`, { method: 'POST', headers: h.s.auth(), body: filesForm(pdfs, fields) });
    const two = await send({ email: 'a@b.id', totp: '123456', signatures: JSON.stringify([{}, {}]) });
    assert.equal(two.status, 400);
    assert.equal((await json(two)).error.field, 'signatures');
    const noCred = await send({ email: 'a@b.id' });
    assert.equal((await json(noCred)).error.field, 'passphrase');
    const noSigner = await send({ totp: '123456' });
    assert.equal((await json(noSigner)).error.field, 'nik');
    const noImage = await send({ email: 'a@b.id', totp: '123456', signatures: JSON.stringify([{ box: BOX }]) });
    assert.equal((await json(noImage)).error.field, 'image');
    const offPage = await send({
      email: 'a@b.id',
      totp: '123456',
      signatures: JSON.stringify([{ box: { ...BOX, page: 2 } }]),
      image: { data: PNG, type: 'image/png' },
    });
    assert.equal(offPage.status, 400);
    assert.equal((await json(offPage)).error.code, 'invalid-coordinates');
    const eleven = form({ email: 'a@b.id', totp: '123456' });
    for (let i = 0; i < 11; i++) eleven.append('files', new Blob([new Uint8Array(pdfs[0]!)], { type: 'application/pdf' }), `f${i}.pdf`);
    const tooMany = await fetch(`${h.s.base}/api/bsre/signatures/bulk`, { method: 'POST', headers: h.s.auth(), body: eleven });
    assert.equal(tooMany.status, 400);
    assert.equal(calls, 0);

    msw.use(http.post('https://bsre.test/api/v2/sign/pdf', async () => ((calls += 1), HttpResponse.json({ file: [b64(await signedPdf('only-one'))] }))));
    const before = storedCount(h.s.dataDir);
    const short = await send({ email: 'a@b.id', totp: '123456' });
    assert.equal(short.status, 502);
    assert.equal((await json(short)).error.code, 'provider-bad-response');
    assert.equal(storedCount(h.s.dataDir), before);
    assert.equal(calls, 1);
  });
});

describe('BSrE v1 has no seals or bulk', () => {
  mockProviders();
  const h = useServer({ BSRE_API: 'v1' });
  it('answers 400 on api', async () => {
    const res = await fetch(`${h.s.base}/api/bsre/seals/activation`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ idSubscriber: SUB }),
    });
    assert.equal(res.status, 400);
    assert.equal((await json(res)).error.field, 'api');
  });
});
