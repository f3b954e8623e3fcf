// The Peruri web views (activation with e-KYC and specimen, signing with OTP) served from the second origin,
// at the URLs the adapter builds; the inbox page; and the Digisign pages' error statuses (§11).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PeruriClient, peruriActivationWebViewUrl, peruriSigningWebViewUrl } from '../../../server/src/providers/adapters.js';
import { CREDENTIALS, GREEN, geometriesOf, latestCode, pdfsig, rejects, removeDir, samplePdf, solidPng, startSandbox, type Sandbox } from './harness.js';

let sb: Sandbox;
let client: PeruriClient;
const settings = () => ({
  baseUrl: `${sb.base}/peruri`,
  apiKey: CREDENTIALS.peruriApiKey,
  systemId: CREDENTIALS.peruriSystemId,
  webViewBaseUrl: `${sb.webBase}/peruri`,
});

before(async () => {
  sb = await startSandbox('webviews');
  client = new PeruriClient(settings());
});
after(async () => {
  await sb.close();
  removeDir(sb.dir);
});

const postJson = async (url: string, body: unknown) =>
  (await (await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()) as {
    resultCode: string;
    resultDesc: string;
    data?: { token: string; phone: string };
  };

describe('Peruri web views', () => {
  it('serves the activation page (frame-ancestors, postMessage to the portal) and completes e-KYC and specimen', async () => {
    const email = 'andi@peruri.sandbox.test';
    const url = peruriActivationWebViewUrl({ email }, settings());
    assert.ok(url.startsWith(sb.webBase), 'a different origin from the API');
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'self' http:\/\/127\.0\.0\.1:5999$/);
    const html = await res.text();
    assert.match(html, /window\.parent\.postMessage\(\{func:"generateCertificate",message:message\},origins\[i\]\)/);
    assert.match(html, /\["http:\/\/127\.0\.0\.1:5999"\]/);
    assert.match(html, /Gunakan video uji/);
    assert.match(html, /getUserMedia/);
    assert.match(html, /Simpan/);
    await rejects(client.checkCertificate({ email }), { code: 'provider-rejected' });
    const base = new URL('.', url).toString();
    const kyc = await postJson(`${base}kyc`, { email, systemId: CREDENTIALS.peruriSystemId, videoStream: Buffer.from('test video').toString('base64') });
    assert.equal(kyc.resultCode, '0', kyc.resultDesc);
    const specimen = await postJson(`${base}specimen`, {
      email,
      systemId: CREDENTIALS.peruriSystemId,
      speciment: Buffer.from(solidPng(60, 20, GREEN)).toString('base64'),
    });
    assert.equal(specimen.resultCode, '0');
    assert.equal((await client.checkCertificate({ email })).resultCode, '0');
    assert.equal((await fetch(peruriActivationWebViewUrl({ email: 'nobody@peruri.sandbox.test' }, settings()))).status, 404);
  });

  it('serves the signing page: review, OTP from the inbox, sign, and the parent is told', async () => {
    const pdf = await samplePdf(1);
    const { orderId } = await client.sendDocument({
      email: 'siti@peruri.sandbox.test',
      fileName: 'wv.pdf',
      pdf,
      placement: { boxes: [{ page: 1, x: 60, y: 60, width: 120, height: 50 }], pages: await geometriesOf(pdf) },
    });
    const url = peruriSigningWebViewUrl({ orderId }, settings());
    const html = await (await fetch(url)).text();
    assert.match(html, /window\.parent\.postMessage\(\{func:"signDocument"/);
    assert.match(html, /Kirim OTP/);
    const base = new URL('.', url).toString();
    const doc = await fetch(`${base}document?orderId=${orderId}`);
    assert.equal(doc.headers.get('content-type'), 'application/pdf');
    const otp = await postJson(`${base}otp`, { orderId });
    assert.equal(otp.resultCode, '0');
    const signed = await postJson(`${base}sign`, { orderId, otpCode: await latestCode(sb, 'siti@peruri.sandbox.test'), token: otp.data!.token });
    assert.equal(signed.resultCode, '0', signed.resultDesc);
    assert.equal((await client.checkDocumentStatus({ orderId })).resultCode, '0');
    const { signatures } = await pdfsig(sb.dir, (await client.downloadDocument({ orderId })).pdf);
    assert.equal(signatures[0]?.validation, 'Signature is Valid.');
    assert.equal((await fetch(`${base}signing.php?orderId=424242`)).status, 404);
  });

  it('signs a tier on the signing page, each signer in turn (invisibly: no placement is given)', async () => {
    const { orderId } = await client.sendDocumentTier({
      uploader: 'siti@peruri.sandbox.test',
      fileName: 'tier-wv.pdf',
      pdf: await samplePdf(1),
      signers: ['siti@peruri.sandbox.test', 'rina@peruri.sandbox.test'],
    });
    const base = new URL('.', peruriSigningWebViewUrl({ orderId }, settings())).toString();
    for (const email of ['siti@peruri.sandbox.test', 'rina@peruri.sandbox.test']) {
      const otp = await postJson(`${base}otp`, { orderId });
      const signed = await postJson(`${base}sign`, { orderId, otpCode: await latestCode(sb, email), token: otp.data!.token });
      assert.equal(signed.resultCode, '0', signed.resultDesc);
    }
    assert.equal((await client.checkDocumentStatus({ orderId })).resultCode, '0');
    const { signatures } = await pdfsig(sb.dir, (await client.downloadDocument({ orderId })).pdf);
    assert.deepEqual(
      signatures.map((s) => [s.commonName, s.validation]),
      [
        ['Siti Rahayu', 'Signature is Valid.'],
        ['Rina Marlina', 'Signature is Valid.'],
      ],
    );
  });
});

describe('Digisign web views and the inbox page', () => {
  it('answers 404 to unknown links and a plain 404 elsewhere', async () => {
    for (const path of ['/digisign/activationpage.html?act=nope', '/digisign/signingpage.html?sgn=nope', '/digisign/viewpage.html?view=nope', '/elsewhere']) {
      const res = await fetch(`${sb.webBase}${path}`);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors/);
    }
  });

  it('shows the codes sent, as a page and as JSON', async () => {
    const page = await (await fetch(`${sb.base}/inbox`)).text();
    const code = await latestCode(sb, 'siti@peruri.sandbox.test');
    assert.match(page, new RegExp(`<td class="code">${code}</td>`));
    const json = (await (await fetch(`${sb.base}/inbox.json?provider=peruri&limit=2`)).json()) as { messages: { provider: string }[] };
    assert.equal(json.messages.length, 2);
    assert.ok(json.messages.every((m) => m.provider === 'peruri'));
  });
});
