import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { encryptDigisignRedirect } from '../../src/providers/adapters.js';
import { ENV, form, JPEG, json, makePdf, mockProviders, PNG, PORTAL, signedPdf, useServer, useOwned } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const KEY = ENV.DIGISIGN_AES_KEY!;
const result = (fields: Record<string, unknown>) => HttpResponse.json({ JSONFile: { result: '00', ...fields } });
const jsonFileOf = async (request: Request) => JSON.parse(String((await request.formData()).get('jsonfield'))).JSONFile;

describe('Digisign', () => {
  const msw = mockProviders();
  const h = useServer();
  useOwned(h, [
    ['digisign', 'DOC-1'],
    ['digisign', 'DOC-2'],
  ]);

  it('registers with KTP photo and selfie (multipart to Digisign, Bearer token)', async () => {
    let sent: any;
    let files: string[] = [];
    let auth = '';
    msw.use(
      http.post('https://digisign.test/REG-MITRA.html', async ({ request }) => {
        auth = request.headers.get('authorization') ?? '';
        const f = await request.clone().formData();
        files = [...f.keys()];
        sent = await jsonFileOf(request);
        return result({ notif: 'Registrasi berhasil', info: 'https://wv.tandatanganku.com/act?x=1', kode_user: 'U1' });
      }),
    );
    const res = await fetch(`${h.s.base}/api/digisign/users`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({
        name: 'Budi Santoso',
        phone: '081234567890',
        birthDate: '1990-02-03',
        nik: '3174012345678901',
        placeOfBirth: 'Jakarta',
        email: 'budi@b.id',
        gender: 'male',
        ktpPhoto: { data: JPEG, type: 'image/jpeg' },
        selfie: { data: JPEG, type: 'image/jpeg' },
      }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.equal(body.status, 'activation-required');
    assert.equal(body.activationUrl, 'https://wv.tandatanganku.com/act?x=1');
    assert.equal(auth, 'Bearer digisign-token-UNIQUE-9d1f');
    assert.deepEqual(files, ['jsonfield', 'fotoktp', 'fotodiri']);
    assert.equal(sent.tgl_lahir, '03-02-1990');
    assert.equal(sent.userid, 'admin@partner.test');
  });

  it('checks images before calling: selfie must be a JPEG of at most 500 KB; NIK 16 digits', async () => {
    let calls = 0;
    msw.use(http.post('https://digisign.test/*', () => ((calls += 1), result({}))));
    const fields = {
      name: 'Budi',
      phone: '081234567890',
      birthDate: '1990-02-03',
      nik: '3174012345678901',
      placeOfBirth: 'Jakarta',
      email: 'budi@b.id',
      gender: 'male',
      ktpPhoto: { data: JPEG, type: 'image/jpeg' },
    };
    const big = new Uint8Array(501 * 1024);
    big.set(JPEG);
    for (const [selfie, message] of [
      [{ data: PNG, type: 'image/png' }, 'selfie must be a JPEG image.'],
      [{ data: big, type: 'image/jpeg' }, 'selfie must be at most 500 KB.'],
    ] as const) {
      const res = await fetch(`${h.s.base}/api/digisign/users`, { method: 'POST', headers: h.s.auth(), body: form({ ...fields, selfie }) });
      assert.equal(res.status, 400);
      assert.deepEqual((await json(res)).error, { code: 'invalid-input', message, field: 'selfie' });
    }
    const noSelfie = await fetch(`${h.s.base}/api/digisign/users`, { method: 'POST', headers: h.s.auth(), body: form(fields) });
    assert.equal((await json(noSelfie)).error.field, 'selfie');
    const badNik = await fetch(`${h.s.base}/api/digisign/users`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ ...fields, nik: '12345', selfie: { data: JPEG, type: 'image/jpeg' } }),
    });
    assert.equal((await json(badNik)).error.field, 'nik');
    assert.equal(calls, 0);
  });

  it('sends a document with signers, boxes and e-meterai (JSON body, stored document)', async () => {
    let sent: any;
    msw.use(
      http.post(
        'https://digisign.test/SendDocMitraAT.html',
        async ({ request }) => ((sent = await jsonFileOf(request)), result({ notif: 'Sukses', refTrx: 'TRX1' })),
      ),
    );
    const up = await json(await fetch(`${h.s.base}/api/documents`, { method: 'POST', headers: h.s.auth(), body: form({ file: await makePdf() }) }));
    const res = await fetch(`${h.s.base}/api/digisign/documents`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        documentId: up.document.id,
        digisignDocumentId: 'DOC-1',
        signers: [{ name: 'Budi', email: 'budi@b.id' }],
        boxes: [{ page: 1, x: 100, y: 100, width: 150, height: 60 }],
        meterai: { boxes: [{ page: 1, x: 300, y: 100, width: 60, height: 60 }], documentType: '4a' },
      }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.deepEqual(await json(res), { digisignDocumentId: 'DOC-1', refTrx: 'TRX1', notif: 'Sukses', provider: 'digisign' });
    assert.equal(sent.document_id, 'DOC-1');
    assert.equal(sent['req-sign'][0].email, 'budi@b.id');
    assert.equal(String(sent['req-sign'][0].page), '1');
    assert.equal(sent.meterai_positions.length, 1, "the table's key (seed 004 API Send Document)");
    assert.equal(sent.document_type, '4a');
  });

  it('overlapping boxes are refused by the core (400) before the call; a Digisign refusal keeps its result code', async () => {
    let calls = 0;
    msw.use(
      http.post(
        'https://digisign.test/SendDocMitraAT.html',
        () => ((calls += 1), HttpResponse.json({ JSONFile: { result: '17', notif: 'Document id sudah digunakan' } })),
      ),
    );
    const pdf = await makePdf();
    const box = { page: 1, x: 100, y: 100, width: 150, height: 60 };
    const overlap = await fetch(`${h.s.base}/api/digisign/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({
        file: pdf,
        signers: JSON.stringify([
          { name: 'A', email: 'a@b.id' },
          { name: 'B', email: 'b@b.id' },
        ]),
        boxes: JSON.stringify([box, { ...box, x: 120 }]),
      }),
    });
    assert.equal(overlap.status, 400);
    assert.equal((await json(overlap)).error.code, 'invalid-coordinates');
    assert.equal(calls, 0);
    const taken = await fetch(`${h.s.base}/api/digisign/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, signers: JSON.stringify([{ name: 'A', email: 'a@b.id' }]), boxes: JSON.stringify([box]) }),
    });
    assert.equal(taken.status, 409);
    assert.deepEqual((await json(taken)).error.provider, { code: '17', message: 'Document id sudah digunakan' });
    const badSigners = await fetch(`${h.s.base}/api/digisign/documents`, {
      method: 'POST',
      headers: h.s.auth(),
      body: form({ file: pdf, signers: '[]', boxes: JSON.stringify([box]) }),
    });
    assert.equal((await json(badSigners)).error.field, 'signers');
  });

  it('downloads the signed PDF into the store', async () => {
    const signed = await signedPdf('digisign');
    msw.use(http.post('https://digisign.test/DWMITRA.html', () => new HttpResponse(signed, { headers: { 'content-type': 'application/pdf' } })));
    const res = await fetch(`${h.s.base}/api/digisign/documents/DOC-1/download`, { method: 'POST', headers: h.s.auth() });
    assert.equal(res.status, 201);
    const body = await json(res);
    assert.equal(body.document.sha256, sha(signed));
    const got = await fetch(`${h.s.base}${body.document.url}`, { headers: h.s.auth() });
    assert.equal(sha(new Uint8Array(await got.arrayBuffer())), sha(signed));
    msw.use(http.post('https://digisign.test/DWMITRA.html', () => new HttpResponse(null, { status: 404 })));
    const missing = await fetch(`${h.s.base}/api/digisign/documents/DOC-2/download`, { method: 'POST', headers: h.s.auth() });
    assert.equal(missing.status, 404);
    assert.equal((await json(missing)).error.code, 'document-not-found');
  });

  it('web views: activation and signing links from Digisign, with their origin', async () => {
    msw.use(
      http.post('https://digisign.test/gen/genACTPage.html', () => result({ link: 'https://wv.tandatanganku.com/activationpage.html?act=x' })),
      http.post('https://digisign.test/gen/genSignPage.html', async ({ request }) =>
        result({ link: `https://wv.tandatanganku.com/signingpage.html?doc=${(await jsonFileOf(request)).document_id}` }),
      ),
      http.get('https://wv.tandatanganku.com/*', () => new HttpResponse('<html>web view</html>', { headers: { 'content-type': 'text/html' } })),
    );
    const post = (body: unknown) =>
      fetch(`${h.s.base}/api/webviews`, { method: 'POST', headers: { ...h.s.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.deepEqual(await json(await post({ provider: 'digisign', flow: 'activation', email: 'a@b.id' })), {
      url: 'https://wv.tandatanganku.com/activationpage.html?act=x',
      origin: 'https://wv.tandatanganku.com',
    });
    const s = await json(await post({ provider: 'digisign', flow: 'signing', email: 'a@b.id', digisignDocumentId: 'DOC-1' }));
    assert.equal(s.url, 'https://wv.tandatanganku.com/signingpage.html?doc=DOC-1');
    const missing = await post({ provider: 'digisign', flow: 'signing', email: 'a@b.id' });
    assert.equal((await json(missing)).error.field, 'digisignDocumentId');
    const bad = await post({ provider: 'bsre', flow: 'signing' });
    assert.equal((await json(bad)).error.field, 'provider');
  });

  it('web views: a link Digisign refuses (seed 004 HTML Response Code 401/403/404/408) is a typed error, not a dead iframe', async () => {
    let status = 200;
    const probes: Request[] = [];
    msw.use(
      http.post('https://digisign.test/gen/genSignPage.html', () => result({ link: 'https://wv.tandatanganku.com/signingpage.html?sgn=abc' })),
      http.get(
        'https://wv.tandatanganku.com/signingpage.html',
        ({ request }) => (
          probes.push(request),
          status === 302 ? new HttpResponse(null, { status, headers: { location: '/login.html' } }) : new HttpResponse('<html></html>', { status })
        ),
      ),
    );
    const post = () =>
      fetch(`${h.s.base}/api/webviews`, {
        method: 'POST',
        headers: { ...h.s.auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'digisign', flow: 'signing', email: 'a@b.id', digisignDocumentId: 'DOC-1' }),
      });
    for (const [code, httpStatus, error] of [
      [401, 404, 'user-not-found'],
      [403, 502, 'provider-auth-failed'],
      [404, 404, 'document-not-found'],
      [408, 410, 'session-expired'],
    ] as const) {
      status = code;
      const res = await post();
      assert.equal(res.status, httpStatus, `web view ${code}`);
      const body = (await json(res)).error;
      assert.equal(body.code, error);
      assert.equal(body.provider.code, String(code));
    }
    for (const fine of [200, 302]) {
      status = fine;
      const res = await post();
      assert.equal(res.status, 201, `web view ${fine}`);
      assert.equal((await json(res)).url, 'https://wv.tandatanganku.com/signingpage.html?sgn=abc');
    }
    assert.equal(probes.at(-1)!.headers.get('authorization'), null, 'the partner token never goes to the web view');
  });

  it('changes the contact of a user not yet activated; "already active" is a 409', async () => {
    let sent: any;
    msw.use(http.post('https://digisign.test/UPDATE-EP.html', async ({ request }) => ((sent = await jsonFileOf(request)), result({ notif: 'Berhasil' }))));
    const body = { oldEmail: 'a@b.id', newEmail: 'c@b.id', oldPhone: '081234567890', newPhone: '081234567890' };
    const post = (b: unknown) =>
      fetch(`${h.s.base}/api/digisign/users/contact`, {
        method: 'POST',
        headers: { ...h.s.auth(), 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
    const res = await post(body);
    assert.deepEqual(await json(res), { changed: true, notif: 'Berhasil' });
    assert.deepEqual([sent.email_lama, sent.email_baru, sent.nohp_baru], ['a@b.id', 'c@b.id', '081234567890']);
    msw.use(http.post('https://digisign.test/UPDATE-EP.html', () => HttpResponse.json({ JSONFile: { result: '14', notif: 'User sudah aktif' } })));
    const active = await post(body);
    assert.equal(active.status, 409);
    assert.equal((await json(active)).error.code, 'user-already-active');
    const badPhone = await post({ ...body, newPhone: '12345' });
    assert.equal((await json(badPhone)).error.field, 'newPhone');
  });

  it('Digisign "91" (internal timeout) is a 504 with Retry-After', async () => {
    msw.use(
      http.post('https://digisign.test/gen/genACTPage.html', () =>
        HttpResponse.json({ JSONFile: { result: '91', notif: 'system timeout, silahkan coba kembali 10 menit kemudian' } }),
      ),
    );
    const res = await fetch(`${h.s.base}/api/webviews`, {
      method: 'POST',
      headers: { ...h.s.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'digisign', flow: 'activation', email: 'a@b.id' }),
    });
    assert.equal(res.status, 504);
    assert.equal(res.headers.get('retry-after'), '600');
    const body = await json(res);
    assert.equal(body.error.code, 'provider-busy');
    assert.equal(body.error.retryable, false);
    assert.equal(body.error.provider.code, '91');
  });
});

describe('Digisign redirect landing /callback/digisign/:flow', () => {
  const h = useServer();
  const msg = (payload: Record<string, unknown>, key = KEY) => encryptDigisignRedirect(payload, key);

  it('posts the decrypted result to the portal origin only (never "*"), under a strict CSP, without a token', async () => {
    const m = msg({ result: '00', document_id: 'DOC-1', email_user: 'budi@b.id', status_document: 'complete', notif: 'Sukses' });
    const res = await fetch(`${h.s.base}/callback/digisign/signing?msg=${m}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce);
    assert.match(csp, /default-src 'none'/);
    // Only the portal frames the landing page (it runs inside the portal's <esign-webview> iframe).
    assert.match(csp, new RegExp(`frame-ancestors ${PORTAL}$`));
    assert.ok(html.includes(`<script nonce="${nonce}">`));
    assert.ok(!html.includes("'*'") && !html.includes('"*"'));
    assert.ok(html.includes(JSON.stringify([PORTAL])));
    assert.ok(html.includes('"type":"esign-kit/callback","version":1,"provider":"digisign","flow":"sign","ok":true,"providerCode":"00"'));
    assert.ok(html.includes('"providerMessage":"Sukses"'));
    assert.ok(html.includes('window.name'), 'the channel comes from the frame name');
    assert.ok(html.includes('"documentId":"DOC-1"'));
    assert.ok(html.includes('"completed":true'));
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  it('answers a typed error page for tampered, truncated, wrong-key, missing and mismatched msg', async () => {
    const good = decodeURIComponent(msg({ result: '00', email_user: 'budi@b.id', nik: '3174012345678901' }));
    const flipped = good.slice(0, 10) + (good[10] === 'A' ? 'B' : 'A') + good.slice(11);
    const cases: [string, string][] = [
      [encodeURIComponent(good.slice(0, -4)), 'redirect-truncated'],
      [encodeURIComponent(flipped), 'redirect-undecryptable'],
      [msg({ result: '00', email_user: 'x@y.id' }, 'another-16-chars'), 'redirect-undecryptable'],
      ['%%%', 'redirect-malformed'],
      [msg({ result: '00', document_id: 'D', email_user: 'x@y.id', status_document: 'complete' }), 'redirect-flow-mismatch'],
    ];
    for (const [value, code] of cases) {
      const res = await fetch(`${h.s.base}/callback/digisign/activation?msg=${value}`);
      assert.equal(res.status, 400, code);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      const html = await res.text();
      assert.ok(html.includes(`"code":"${code}"`), `${code}: ${html.slice(0, 300)}`);
      assert.ok(html.includes('"ok":false'));
    }
    const none = await fetch(`${h.s.base}/callback/digisign/activation`);
    assert.equal(none.status, 400);
    assert.ok((await none.text()).includes('"code":"redirect-malformed"'));
    const flip = await fetch(`${h.s.base}/callback/digisign/nope?msg=x`);
    assert.equal(flip.status, 404);
  });

  it('the flow-less landing takes either result and posts on its channel; its errors go out on both channels', async () => {
    const act = await fetch(`${h.s.base}/callback/digisign?msg=${msg({ result: '00', email_user: 'budi@b.id' })}`);
    assert.equal(act.status, 200);
    assert.ok((await act.text()).includes('"type":"esign-kit/callback","version":1,"provider":"digisign","flow":"activation","ok":true'));
    const bad = await (await fetch(`${h.s.base}/callback/digisign?msg=AAAA`)).text();
    assert.ok(bad.includes('"flow":"activation","ok":false') && bad.includes('"flow":"sign","ok":false'));
    assert.ok(bad.includes('"code":"redirect-truncated"'));
  });

  it('escapes what the payload carries (no script injection through notif)', async () => {
    const m = msg({ result: '00', email_user: 'budi@b.id', notif: '</script><script>alert(1)</script>' });
    const html = await (await fetch(`${h.s.base}/callback/digisign/activation?msg=${m}`)).text();
    assert.ok(!html.includes('</script><script>alert(1)'));
    assert.ok(html.includes('\\u003c/script\\u003e'));
  });
});
