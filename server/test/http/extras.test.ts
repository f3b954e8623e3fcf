// Adapter operations that had no route: Digisign's base64 download (§8.2) and view-only sign page (§6.1
// view_only), and Peruri's View Document (§5.2).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { b64, json, makePdf, mockProviders, signedPdf, useServer, useOwned } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const result = (fields: Record<string, unknown>) => HttpResponse.json({ JSONFile: { ...fields } });
const jsonFileOf = async (request: Request) => JSON.parse(String((await request.formData()).get('jsonfield'))).JSONFile;
const PERURI = 'https://peruri.test/gateway';

describe('Digisign base64 download and view-only sign page; Peruri View Document', () => {
  const msw = mockProviders();
  const h = useServer();
  useOwned(h, [
    ['digisign', 'DOC-1'],
    ['digisign', 'DOC-64'],
    ['digisign', 'DOC-65'],
    ['peruri', '7492'],
    ['peruri', '7493'],
  ]);
  const post = (path: string, body: unknown) =>
    fetch(`${h.s.base}/api${path}`, { method: 'POST', headers: { ...h.s.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('format "base64" downloads through DWMITRA64 and stores the PDF; its result code maps like any Digisign error', async () => {
    const signed = await signedPdf('digisign-b64');
    let asked: any;
    let pdfCalls = 0;
    msw.use(
      http.post(
        'https://digisign.test/DWMITRA64.html',
        async ({ request }) => ((asked = await jsonFileOf(request)), result({ result: '00', file: b64(signed) })),
      ),
      http.post('https://digisign.test/DWMITRA.html', () => ((pdfCalls += 1), new HttpResponse(null, { status: 500 }))),
    );
    const res = await post('/digisign/documents/DOC-64/download', { format: 'base64' });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await json(res);
    assert.equal(body.digisignDocumentId, 'DOC-64');
    assert.equal(body.document.sha256, sha(signed));
    assert.equal(sha(readFileSync(join(h.s.dataDir, 'documents', `${body.document.id}.pdf`))), sha(signed));
    assert.deepEqual(asked, { userid: 'admin@partner.test', document_id: 'DOC-64' });
    assert.equal(pdfCalls, 0);

    msw.use(http.post('https://digisign.test/DWMITRA64.html', () => result({ result: '12', notif: 'Mitra tidak diizinkan' })));
    const refused = await post('/digisign/documents/DOC-65/download', { format: 'base64' });
    assert.ok(refused.status >= 400 && refused.status !== 500, `status ${refused.status}`);
    assert.equal((await json(refused)).error.provider.code, '12');
    const badFormat = await post('/digisign/documents/DOC-64/download', { format: 'zip' });
    assert.equal(badFormat.status, 400);
    assert.equal((await json(badFormat)).error.field, 'format');
  });

  it('web view: viewOnly asks Digisign for a view-only page (view_only true); default stays false', async () => {
    const sent: any[] = [];
    msw.use(
      http.post(
        'https://digisign.test/gen/genSignPage.html',
        async ({ request }) => (sent.push(await jsonFileOf(request)), result({ result: '00', link: 'https://wv.tandatanganku.com/viewpage.html?view=1' })),
      ),
      http.get('https://wv.tandatanganku.com/viewpage.html', () => new HttpResponse('<html></html>', { headers: { 'content-type': 'text/html' } })),
    );
    const view = await post('/webviews', { provider: 'digisign', flow: 'signing', email: 'a@b.id', digisignDocumentId: 'DOC-1', viewOnly: true });
    assert.equal(view.status, 201, await view.clone().text());
    assert.equal((await json(view)).origin, 'https://wv.tandatanganku.com');
    await post('/webviews', { provider: 'digisign', flow: 'signing', email: 'a@b.id', digisignDocumentId: 'DOC-1' });
    assert.deepEqual(
      sent.map((s) => s.view_only),
      [true, false],
    );
    const bad = await post('/webviews', { provider: 'digisign', flow: 'signing', email: 'a@b.id', digisignDocumentId: 'DOC-1', viewOnly: 'yes' });
    assert.equal((await json(bad)).error.field, 'viewOnly');
  });

  it('web view: a Digisign link on another origin than the configured web-view origin is refused (502)', async () => {
    msw.use(http.post('https://digisign.test/gen/genSignPage.html', () => result({ result: '00', link: 'https://evil.example/signingpage.html?sgn=1' })));
    const res = await post('/webviews', { provider: 'digisign', flow: 'signing', email: 'a@b.id', digisignDocumentId: 'DOC-1' });
    assert.equal(res.status, 502);
    assert.equal((await json(res)).error.code, 'provider-bad-response');
  });

  it('Peruri View Document: placement flag, page count and checksum; the PDF is neither stored nor returned', async () => {
    const pdf = await makePdf(3);
    let asked: any;
    msw.use(
      http.post(`${PERURI}/jwt/1.0/getJsonWebToken/v1`, () => HttpResponse.json({ resultCode: '0', data: { jwt: 'j' } })),
      http.post(
        `${PERURI}/digitalSignatureFullJwt/1.0/viewDocument/v1`,
        async ({ request }) => (
          (asked = await request.json()),
          HttpResponse.json({ resultCode: '0', resultDesc: 'Success', data: { base64Document: b64(pdf), signer: '1' } })
        ),
      ),
    );
    const res = await fetch(`${h.s.base}/api/peruri/documents/7492`, { headers: h.s.auth() });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.deepEqual(JSON.parse(text), { orderId: '7492', coordinatesSet: true, pages: 3, size: pdf.byteLength, sha256: sha(pdf) });
    assert.ok(!text.includes(b64(pdf).slice(0, 40)));
    assert.deepEqual(asked, { param: { orderId: '7492' } });

    msw.use(
      http.post(`${PERURI}/digitalSignatureFullJwt/1.0/viewDocument/v1`, () =>
        HttpResponse.json({ resultCode: '0', data: { base64Document: b64(new TextEncoder().encode('not a pdf')), signer: '0' } }),
      ),
    );
    const broken = await fetch(`${h.s.base}/api/peruri/documents/7493`, { headers: h.s.auth() });
    assert.equal(broken.status, 502);
    assert.equal((await json(broken)).error.code, 'provider-bad-response');
    const badId = await fetch(`${h.s.base}/api/peruri/documents/a.b`, { headers: h.s.auth() });
    assert.equal(badId.status, 400);
  });
});
