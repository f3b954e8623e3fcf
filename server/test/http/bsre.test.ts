import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { b64, form, JPEG, json, makePdf, mockProviders, PNG, signedPdf, useServer, useOwned } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const NIK = '3174012345678901';
const BOX = { page: 1, x: 100, y: 100, width: 120, height: 60 };
const pdfHeaders = { 'content-type': 'application/pdf' };

describe('BSrE Esign Client v2', () => {
  const msw = mockProviders();
  const h = useServer();

  it('POST /api/bsre/users/status answers the status, with Basic auth upstream', async () => {
    let auth = '';
    let sent: unknown;
    msw.use(
      http.post('https://bsre.test/api/v2/user/check/status', async ({ request }) => {
        auth = request.headers.get('authorization') ?? '';
        sent = await request.json();
        return HttpResponse.json({ status: 'ISSUE', message: 'Sertifikat aktif' });
      }),
    );
    const res = await fetch(`${h.s.base}/api/bsre/users/status`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.id' }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), { status: 'ISSUE', canSign: true, message: 'The user has an active certificate.' });
    assert.equal(auth, `Basic ${Buffer.from('bsre-api-user:bsre-password-UNIQUE-51c2').toString('base64')}`);
    assert.deepEqual(sent, { email: 'a@b.id' });
  });

  it('refuses bad signer input with the field named', async () => {
    const post = (body: unknown) =>
      fetch(`${h.s.base}/api/bsre/users/status`, {
        method: 'POST',
        headers: { ...h.s.auth(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const both = await post({ nik: NIK, email: 'a@b.id' });
    assert.equal(both.status, 400);
    assert.equal((await json(both)).error.field, 'nik');
    const badNik = await post({ nik: '1234' });
    assert.equal(badNik.status, 400);
    assert.deepEqual((await json(badNik)).error, { code: 'invalid-input', message: 'nik: must be a 16-digit NIK', field: 'nik' });
    const badEmail = await post({ email: 'not-an-email' });
    assert.equal((await json(badEmail)).error.field, 'email');
    const badJson = await fetch(`${h.s.base}/api/bsre/users/status`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.equal(badJson.status, 400);
    assert.equal((await json(badJson)).error.code, 'invalid-json');
  });

  it('signs invisibly (multipart), stores the signed PDF before answering, never echoes the passphrase', async () => {
    const signed = await signedPdf('v2-invisible');
    let sent: any;
    msw.use(
      http.post('https://bsre.test/api/v2/sign/pdf', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ time: 120, file: [b64(signed)] });
      }),
    );
    const pdf = await makePdf();
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, nik: NIK, passphrase: 'pass-UNIQUE-phrase-1', reason: 'Approval' }),
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    assert.ok(!text.includes('pass-UNIQUE-phrase-1'));
    const body = JSON.parse(text);
    assert.equal(body.api, 'v2');
    assert.equal(body.document.sha256, sha(signed));
    assert.equal(sha(readFileSync(join(h.s.dataDir, 'documents', `${body.document.id}.pdf`))), sha(signed));
    assert.equal(sent.nik, NIK);
    assert.equal(sent.passphrase, 'pass-UNIQUE-phrase-1');
    assert.deepEqual(sent.signatureProperties, [{ tampilan: 'INVISIBLE', reason: 'Approval' }]);
    assert.equal(sent.file[0], b64(pdf));
  });

  it('v2: an encrypted PDF is signed with its pdfPassword (seed 002 §6.2 field 16); without one it is refused before any call', async () => {
    const signed = await signedPdf('v2-locked');
    let sent: any;
    let calls = 0;
    msw.use(
      http.post(
        'https://bsre.test/api/v2/sign/pdf',
        async ({ request }) => ((calls += 1), (sent = await request.json()), HttpResponse.json({ time: 1, file: [b64(signed)] })),
      ),
    );
    const dir = mkdtempSync(join(tmpdir(), 'esign-locked-'));
    writeFileSync(join(dir, 'plain.pdf'), await makePdf());
    // Without object streams, so that the page tree stays readable to pdf-lib while the strings are encrypted.
    await promisify(execFile)('qpdf', [
      '--object-streams=disable',
      '--encrypt',
      'rahasia',
      'pemilik',
      '256',
      '--',
      join(dir, 'plain.pdf'),
      join(dir, 'locked.pdf'),
    ]);
    const locked = new Uint8Array(readFileSync(join(dir, 'locked.pdf')));
    rmSync(dir, { recursive: true, force: true });
    const refused = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: locked, nik: NIK, passphrase: 'p' }),
    });
    assert.equal(refused.status, 400);
    const error = (await json(refused)).error;
    assert.equal(error.code, 'invalid-pdf');
    assert.match(error.message, /password/);
    assert.equal(calls, 0);
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: locked, nik: NIK, passphrase: 'p', pdfPassword: 'rahasia-UNIQUE' }),
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    assert.ok(!text.includes('rahasia-UNIQUE'));
    assert.deepEqual(sent.signatureProperties, [{ tampilan: 'INVISIBLE', pdfPassword: 'rahasia-UNIQUE' }]);
    assert.equal(sent.file[0], b64(locked));
  });

  it('signs visibly from a stored document with a specimen image; boxes converted by the adapter', async () => {
    let sent: any;
    msw.use(
      http.post('https://bsre.test/api/v2/sign/pdf', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ file: [b64(await signedPdf('v2-visible'))] });
      }),
    );
    const up = await json(await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: await makePdf() }) }));
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({
        documentId: up.document.id,
        email: 'signer@instansi.go.id',
        totp: '123456',
        box: JSON.stringify(BOX),
        image: { data: PNG, type: 'image/png' },
      }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const p = sent.signatureProperties[0];
    assert.equal(p.tampilan, 'VISIBLE');
    assert.equal(p.page, 1);
    assert.equal(p.imageBase64, b64(PNG));
    assert.equal(sent.totp, '123456', "the schema's key (seed 002 §6.2 field 15)");
    assert.ok(!('otp' in sent));
    assert.equal(sent.email, 'signer@instansi.go.id');
    for (const k of ['originX', 'originY', 'width', 'height']) assert.equal(typeof p[k], 'number', k);
  });

  it('v2: a QR appearance is sent as a PNG of the link; a tag places it at the marker (tag_koordinat), no box', async () => {
    const sent: any[] = [];
    msw.use(
      http.post('https://bsre.test/api/v2/sign/pdf', async ({ request }) => {
        sent.push(await request.json());
        return HttpResponse.json({ file: [b64(await signedPdf('v2-qr'))] });
      }),
    );
    const qr = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), nik: NIK, passphrase: 'p', box: JSON.stringify(BOX), linkQR: 'https://portal.test/doc/1' }),
    });
    assert.equal(qr.status, 201, await qr.clone().text());
    const image = Buffer.from(sent[0].signatureProperties[0].imageBase64, 'base64');
    assert.deepEqual([...image.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
    const tagged = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({
        file: await makePdf(),
        nik: NIK,
        passphrase: 'p',
        tag: '#',
        tagSize: JSON.stringify({ width: 120, height: 60 }),
        image: { data: PNG, type: 'image/png' },
      }),
    });
    assert.equal(tagged.status, 201, await tagged.clone().text());
    const p = sent[1].signatureProperties[0];
    assert.equal(p.tag_koordinat, '#');
    assert.deepEqual([p.width, p.height, p.imageBase64], [120, 60, b64(PNG)]);
    assert.equal(p.originX, undefined);
    for (const [fields, field] of [
      [{ tag: '#', image: { data: PNG, type: 'image/png' } }, 'tagSize'],
      [{ tag: '##', tagSize: '{"width":1,"height":1}' }, 'tag'],
      [{ tag: '#', tagSize: '{"width":1,"height":1}', box: JSON.stringify(BOX) }, 'tag'],
    ] as const) {
      const bad = await fetch(`${h.s.base}/api/bsre/signatures`, {
        method: 'POST',
        headers: h.s.auth(),
        body: form({ file: await makePdf(), nik: NIK, passphrase: 'p', ...fields }),
      });
      assert.equal(bad.status, 400);
      assert.equal((await json(bad)).error.field, field);
    }
    assert.equal(sent.length, 2);
  });

  it('answers 400 with the field for bad boxes and missing credentials, before any upstream call', async () => {
    let calls = 0;
    msw.use(http.post('https://bsre.test/*', () => ((calls += 1), HttpResponse.json({}))));
    const pdf = await makePdf();
    const outside = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, nik: NIK, passphrase: 'x', box: JSON.stringify({ ...BOX, page: 3 }), image: { data: PNG, type: 'image/png' } }),
    });
    assert.equal(outside.status, 400);
    const e1 = (await json(outside)).error;
    assert.equal(e1.code, 'invalid-coordinates');
    assert.equal(e1.field, 'box.page');
    const noCred = await fetch(`${h.s.base}/api/bsre/signatures`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf, nik: NIK }) });
    assert.equal(noCred.status, 400);
    assert.equal((await json(noCred)).error.field, 'passphrase');
    const noImage = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, nik: NIK, passphrase: 'x', appearance: 'image', box: JSON.stringify(BOX) }),
    });
    assert.equal((await json(noImage)).error.field, 'image');
    const jpegNotPdf = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: { data: JPEG, type: 'application/pdf' }, nik: NIK, passphrase: 'x' }),
    });
    assert.equal((await json(jpegNotPdf)).error.code, 'invalid-pdf');
    const noPdf = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ nik: NIK, passphrase: 'x' }),
    });
    assert.equal((await json(noPdf)).error.field, 'file');
    const badProfile = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, nik: NIK, passphrase: 'x', profile: '{"origin":"middle"}' }),
    });
    assert.equal(badProfile.status, 400);
    assert.equal((await json(badProfile)).error.field, 'profile.origin');
    assert.equal(calls, 0);
  });

  it('maps provider failures: wrong passphrase 422 with the provider code, HTTP 500 → 502, unreachable → 502', async () => {
    const pdf = await makePdf();
    const sign = () =>
      fetch(`${h.s.base}/api/bsre/signatures`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf, nik: NIK, passphrase: 'wrong' }) });
    msw.use(http.post('https://bsre.test/api/v2/sign/pdf', () => HttpResponse.json({ error: 'Passphrase anda salah', status_code: 2031 }, { status: 400 })));
    const wrong = await sign();
    assert.equal(wrong.status, 422);
    assert.deepEqual(await json(wrong), {
      error: {
        code: 'wrong-passphrase',
        message: 'The passphrase is wrong.',
        field: 'passphrase',
        provider: { code: '2031', message: 'Passphrase anda salah' },
        retryable: false,
      },
    });
    msw.use(http.post('https://bsre.test/api/v2/sign/pdf', () => new HttpResponse('boom', { status: 500 })));
    const down = await sign();
    assert.equal(down.status, 502);
    assert.equal((await json(down)).error.code, 'provider-http-error');
    msw.use(http.post('https://bsre.test/api/v2/sign/pdf', () => HttpResponse.error()));
    const gone = await sign();
    assert.equal(gone.status, 502);
    const body = await gone.text();
    assert.equal(JSON.parse(body).error.code, 'provider-unreachable');
    assert.ok(!/at .*\.ts:\d+/.test(body), 'no stack trace');
  });

  it('POST /api/bsre/totp sends the code to the signer and never returns it', async () => {
    msw.use(
      http.post('https://bsre.test/api/v2/sign/get/totp', () =>
        HttpResponse.json({ message: 'TOTP terkirim', data: { totp: '654321', expires: '2026-01-01 10:00' } }),
      ),
    );
    const res = await fetch(`${h.s.base}/api/bsre/totp`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.id' }),
    });
    assert.equal(res.status, 201);
    const text = await res.text();
    assert.ok(!text.includes('654321'));
    assert.deepEqual(JSON.parse(text), { sent: true, message: 'TOTP terkirim', expires: '2026-01-01 10:00' });
  });

  it('POST /api/bsre/users registers (v2)', async () => {
    msw.use(
      http.post('https://bsre.test/api/v2/user/registration', async ({ request }) =>
        HttpResponse.json({ message: `ok ${((await request.json()) as any).nama}` }),
      ),
    );
    const res = await fetch(`${h.s.base}/api/bsre/users`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Budi', email: 'budi@b.id' }),
    });
    assert.equal(res.status, 201);
    assert.deepEqual(await json(res), { registered: true, message: 'ok Budi' });
  });

  it('POST /api/verify checks a PDF with BSrE v2 and refuses providers without a verification API', async () => {
    let sent: any;
    msw.use(
      http.post('https://bsre.test/api/v2/verify/pdf', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({
          conclusion: 'VALID',
          description: 'ok',
          signatureCount: 1,
          signatureInformations: [{ signerName: 'Budi', integrityValid: true, certificateTrusted: true }],
        });
      }),
    );
    const pdf = await makePdf();
    const res = await fetch(`${h.s.base}/api/verify`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf, password: 'pdf-open-pw' }) });
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.equal(body.provider.providerConclusion, 'VALID');
    assert.equal(body.provider.raw.conclusion, 'VALID');
    assert.equal(body.provider.signatures[0].signer, 'Budi');
    // The server's own inspection beside it: this PDF holds no signature, which BSrE's answer contradicts.
    assert.equal(body.local.status, 'no-signature');
    assert.deepEqual(body.disagreements, [{ kind: 'conclusion', local: 'no-signature', provider: 'valid' }]);
    assert.equal(sent.password, 'pdf-open-pw');
    assert.equal(sent.file, b64(pdf));
    const peruri = await fetch(`${h.s.base}/api/verify`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf, provider: 'peruri' }) });
    assert.equal(peruri.status, 400);
    assert.equal((await json(peruri)).error.field, 'provider');
    const notPdf = await fetch(`${h.s.base}/api/verify`, { method: 'POST', headers: h.s.auth(), body: form({ file: new TextEncoder().encode('nope') }) });
    assert.equal((await json(notPdf)).error.code, 'invalid-pdf');
  });
});

describe('BSrE Esign Client v1 and the cloud service', () => {
  const msw = mockProviders();
  const h = useServer({
    BSRE_API: 'v1',
    BSRE_CLOUD_URL: 'https://cloud.bsre.test',
    BSRE_CLOUD_CLIENT_ID: 'cid',
    BSRE_CLOUD_CLIENT_SECRET: 'cloud-secret-UNIQUE-77',
  });
  useOwned(h, [
    ['bsre', 'DOC-77'],
    ['bsre', 'DOC-88'],
    ['bsre', 'DOC-99'],
  ]);

  it("v1: signs (signed PDF in the body), stores it under BSrE's id; the download-once is then served from the store", async () => {
    const signed = await signedPdf('v1');
    let fields: FormData | undefined;
    let downloads = 0;
    msw.use(
      http.post('https://bsre.test/api/sign/pdf', async ({ request }) => {
        fields = await request.formData();
        return new HttpResponse(signed, { headers: { ...pdfHeaders, id_dokumen: 'DOC-77' } });
      }),
      http.get('https://bsre.test/api/sign/download/:id', () => ((downloads += 1), new HttpResponse(signed, { headers: pdfHeaders }))),
    );
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), nik: NIK, passphrase: 'p', box: JSON.stringify(BOX), linkQR: 'https://portal.test/doc/1' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.equal(body.api, 'v1');
    assert.equal(body.providerDocumentId, 'DOC-77');
    assert.equal(fields?.get('tampilan'), 'visible');
    assert.equal(fields?.get('image'), 'false');
    assert.equal(fields?.get('page'), '1');
    const again = await fetch(`${h.s.base}/api/bsre/downloads`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: 'DOC-77' }),
    });
    assert.equal(again.status, 200);
    const a = await json(again);
    assert.equal(a.fromStore, true);
    assert.equal(a.document.id, body.document.id);
    assert.equal(downloads, 0);
  });

  it('v1: an unknown id is downloaded once and stored at once; the repeat comes from the store', async () => {
    const signed = await signedPdf('v1-dl');
    let downloads = 0;
    msw.use(
      http.get('https://bsre.test/api/sign/download/:id', () => {
        downloads += 1;
        return downloads === 1 ? new HttpResponse(signed, { headers: pdfHeaders }) : new HttpResponse(null, { status: 404 });
      }),
    );
    const ask = () =>
      fetch(`${h.s.base}/api/bsre/downloads`, {
        method: 'POST',
        headers: { ...h.s.auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ documentId: 'DOC-88' }),
      });
    const first = await ask();
    assert.equal(first.status, 201);
    const f = await json(first);
    assert.equal(f.document.sha256, sha(signed));
    assert.equal(sha(readFileSync(join(h.s.dataDir, 'documents', `${f.document.id}.pdf`))), sha(signed));
    const second = await ask();
    assert.equal(second.status, 200);
    assert.equal((await json(second)).document.id, f.document.id);
    assert.equal(downloads, 1);
  });

  it('v1: two concurrent downloads of one id make one call to BSrE and both get the stored copy', async () => {
    const signed = await signedPdf('v1-race');
    let downloads = 0;
    msw.use(
      http.get('https://bsre.test/api/sign/download/:id', async () => {
        downloads += 1;
        await new Promise((r) => setTimeout(r, 50));
        return downloads === 1 ? new HttpResponse(signed, { headers: pdfHeaders }) : new HttpResponse(null, { status: 404 });
      }),
    );
    const ask = () =>
      fetch(`${h.s.base}/api/bsre/downloads`, {
        method: 'POST',
        headers: { ...h.s.auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ documentId: 'DOC-99' }),
      });
    const [a, b] = await Promise.all([ask(), ask()]);
    assert.deepEqual([a.status, b.status].sort(), [200, 201]);
    assert.equal((await json(a)).document.id, (await json(b)).document.id);
    assert.equal(downloads, 1);
  });

  it('v1: a user lookup by e-mail is refused (v1 knows nik only)', async () => {
    const res = await fetch(`${h.s.base}/api/bsre/users/status`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.id' }),
    });
    assert.equal(res.status, 400);
    assert.equal((await json(res)).error.field, 'nik');
  });

  it('v1: POST /api/verify sends signed_file (multipart) and refuses a PDF password', async () => {
    let part: File | undefined;
    msw.use(
      http.post('https://bsre.test/api/sign/verify', async ({ request }) => {
        part = (await request.formData()).get('signed_file') as File;
        return HttpResponse.json({
          summary: 'VALID',
          nama_dokumen: 'a.pdf',
          jumlah_signature: 1,
          details: [{ info_signer: { signer_name: 'Budi' }, signature_document: { document_integrity: true } }],
        });
      }),
    );
    const pdf = await makePdf();
    const res = await fetch(`${h.s.base}/api/verify`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf }) });
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.equal(body.provider.api, 'v1');
    assert.equal(body.provider.providerConclusion, 'VALID');
    assert.equal(body.provider.signatures[0].signer, 'Budi');
    assert.equal(sha(new Uint8Array(await part!.arrayBuffer())), sha(pdf));
    // v1 cannot open a password-protected PDF: the provider's part is that refusal, the local inspection is answered.
    const pw = await fetch(`${h.s.base}/api/verify`, { method: 'POST', headers: h.s.auth(), body: form({ file: pdf, password: 'x' }) });
    assert.equal(pw.status, 200);
    const refused = await json(pw);
    assert.equal(refused.provider, undefined);
    assert.deepEqual(
      { status: refused.providerError.status, code: refused.providerError.code, field: refused.providerError.field },
      { status: 400, code: 'invalid-input', field: 'password' },
    );
    assert.equal(refused.local.status, 'no-signature');
  });

  it('cloud: token, sign request, sign, download — stored', async () => {
    const signed = await signedPdf('cloud');
    const seen: string[] = [];
    msw.use(
      http.post('https://cloud.bsre.test/oauth/token', () => HttpResponse.json({ access_token: 'cloud-access', token_type: 'bearer', expires_in: 3600 })),
      http.post(
        'https://cloud.bsre.test/api/v2/entity/sign/request',
        ({ request }) => (seen.push(new URL(request.url).searchParams.get('tampilan')!), HttpResponse.json({ id_signed: 'abc123' })),
      ),
      http.post(
        'https://cloud.bsre.test/api/v2/entity/sign/abc123',
        ({ request }) => (seen.push(new URL(request.url).searchParams.get('passphrase')!), HttpResponse.json({ message: 'ok' })),
      ),
      http.post('https://cloud.bsre.test/api/v2/entity/sign/download/abc123', () => new HttpResponse(signed, { headers: pdfHeaders })),
    );
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), service: 'cloud', nik: NIK, passphrase: 'cloud-pass' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.equal(body.api, 'cloud');
    assert.equal(body.document.sha256, sha(signed));
    assert.deepEqual(seen, ['invisible', 'cloud-pass']);
  });

  it("cloud: takes no image it cannot send (seed 000: the sign request body is the file only); image=true draws BSrE's specimen; every documented parameter", async () => {
    const signed = await signedPdf('cloud-image');
    let request: { query: URLSearchParams; parts: string[] } | undefined;
    let sign: URLSearchParams | undefined;
    let calls = 0;
    msw.use(
      http.post('https://cloud.bsre.test/oauth/token', () => HttpResponse.json({ access_token: 'cloud-access', token_type: 'bearer', expires_in: 3600 })),
      http.post(
        'https://cloud.bsre.test/api/v2/entity/sign/request',
        async ({ request: r }) => (
          (calls += 1),
          (request = { query: new URL(r.url).searchParams, parts: [...(await r.formData()).keys()] }),
          HttpResponse.json({ id_signed: 'img123' })
        ),
      ),
      http.post(
        'https://cloud.bsre.test/api/v2/entity/sign/img123',
        ({ request: r }) => ((sign = new URL(r.url).searchParams), HttpResponse.json({ message: 'ok' })),
      ),
      http.post('https://cloud.bsre.test/api/v2/entity/sign/download/img123', () => new HttpResponse(signed, { headers: pdfHeaders })),
    );
    const withImage = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), service: 'cloud', nik: NIK, passphrase: 'p', box: JSON.stringify(BOX), image: { data: PNG, type: 'image/png' } }),
    });
    assert.equal(withImage.status, 400);
    assert.equal((await json(withImage)).error.field, 'image');
    assert.equal(calls, 0, 'refused before any call');
    const extras = {
      addressee: 'Kepala Dinas',
      subject: 'Undangan rapat',
      info: 'Segera',
      documentType: 'Surat Dinas',
      documentNumber: '12/UND/2024',
      approvedInfo: 'Disetujui',
    };
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), service: 'cloud', nik: NIK, passphrase: 'p', box: JSON.stringify(BOX), ...extras }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(request?.query.get('tampilan'), 'visible');
    assert.equal(request?.query.get('image'), 'true', 'appearance "image" by default for a box: the specimen BSrE holds');
    assert.deepEqual(request?.parts, ['file'], 'the file is the only part');
    assert.deepEqual(
      ['tujuan', 'perihal', 'info', 'jenis_dokumen', 'nomor'].map((k) => request?.query.get(k)),
      ['Kepala Dinas', 'Undangan rapat', 'Segera', 'Surat Dinas', '12/UND/2024'],
    );
    assert.equal(sign?.get('approved_info'), 'Disetujui');
    // Another service's field is named, never dropped.
    const v1Field = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), service: 'cloud', nik: NIK, passphrase: 'p', text: 'x' }),
    });
    assert.equal(v1Field.status, 400);
    assert.equal((await json(v1Field)).error.field, 'text');
  });

  it('v1: `text` reaches BSrE (seed 002 §5.2 field 17); cloud fields and pdfPassword are refused on v1', async () => {
    const signed = await signedPdf('v1-text');
    let fields: FormData | undefined;
    msw.use(
      http.post(
        'https://bsre.test/api/sign/pdf',
        async ({ request }) => ((fields = await request.formData()), new HttpResponse(signed, { headers: { ...pdfHeaders, id_dokumen: 'DOC-T1' } })),
      ),
    );
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), nik: NIK, passphrase: 'p', box: JSON.stringify(BOX), linkQR: 'https://portal.test/doc/1', text: 'Nomor 12/2024' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(fields?.get('text'), 'Nomor 12/2024');
    for (const [field, value] of [
      ['pdfPassword', 'x'],
      ['addressee', 'x'],
    ]) {
      const bad = await fetch(`${h.s.base}/api/bsre/signatures`, {
        method: 'POST',
        headers: h.s.auth(),
        body: form({ file: await makePdf(), nik: NIK, passphrase: 'p', [field!]: value! }),
      });
      assert.equal(bad.status, 400, field);
      assert.equal((await json(bad)).error.field, field);
    }
  });

  it('v1: a signing answer that is not the PDF but names its document (id_dokumen) is recovered with the one download', async () => {
    const signed = await signedPdf('v1-recovered');
    let downloads = 0;
    msw.use(
      // A proxy's error page in place of the PDF, the header still there.
      http.post(
        'https://bsre.test/api/sign/pdf',
        () => new HttpResponse('<html>upstream reset</html>', { headers: { 'content-type': 'text/html', id_dokumen: 'DOC-R1' } }),
      ),
      http.get(
        'https://bsre.test/api/sign/download/DOC-R1',
        () => ((downloads += 1), downloads === 1 ? new HttpResponse(signed, { headers: pdfHeaders }) : new HttpResponse(null, { status: 404 })),
      ),
    );
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), nik: NIK, passphrase: 'p' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.equal(body.providerDocumentId, 'DOC-R1');
    assert.equal(body.document.sha256, sha(signed));
    assert.equal(downloads, 1);
    // BSrE serves it once: asking again comes from the store.
    const again = await fetch(`${h.s.base}/api/bsre/downloads`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: 'DOC-R1' }),
    });
    assert.equal(again.status, 200);
    assert.equal((await json(again)).document.id, body.document.id);
    assert.equal(downloads, 1);
  });

  it('v1: when that download fails too, the error names the id, and POST /bsre/downloads fetches it later for this user only', async () => {
    const signed = await signedPdf('v1-later');
    let ready = false;
    msw.use(
      http.post(
        'https://bsre.test/api/sign/pdf',
        () => new HttpResponse('not a pdf', { headers: { 'content-type': 'application/octet-stream', id_dokumen: 'DOC-L1' } }),
      ),
      http.get('https://bsre.test/api/sign/download/DOC-L1', () =>
        ready ? new HttpResponse(signed, { headers: pdfHeaders }) : new HttpResponse(null, { status: 503 }),
      ),
    );
    const res = await fetch(`${h.s.base}/api/bsre/signatures`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: await makePdf(), nik: NIK, passphrase: 'p' }),
    });
    assert.equal(res.status, 502);
    const error = (await json(res)).error;
    assert.equal(error.code, 'provider-bad-response');
    assert.equal(error.retryable, false, 'never sign again: it is signed');
    assert.match(error.message, /DOC-L1/);
    const other = await fetch(`${h.s.base}/api/bsre/downloads`, {
      method: 'POST',
      headers: { ...h.s.auth('user-2'), 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: 'DOC-L1' }),
    });
    assert.equal(other.status, 404);
    ready = true;
    const later = await fetch(`${h.s.base}/api/bsre/downloads`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: 'DOC-L1' }),
    });
    assert.equal(later.status, 201, await later.clone().text());
    assert.equal((await json(later)).document.sha256, sha(signed));
  });
});
