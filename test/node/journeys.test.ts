// The whole kit on loopback, as `npm start` runs it: the companion server with the sandbox providers
// mounted, driven through its public API only. Each journey ends in a stored document that poppler's
// pdfsig reports valid, total and trusted (with the sandbox root in an NSS database).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import QRCode from 'qrcode';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log/logger.js';
import { createSandboxRouter, createSandboxWebViewApp } from '../../server/src/sandbox/index.js';
import { openSandboxCa } from '../../server/src/sandbox/signing/index.js';
import { createTrustedNssDb, verifyWithPdfsig } from '../../server/test/sandbox/signing/helpers.js';

interface Running {
  base: string;
  dataDir: string;
  server: Server;
  webViews: Server;
}

/** Starts the server as main.ts does, on a free loopback port (the sandbox's URLs need the real port). */
async function startKit(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-journey-'));
  const server = createServer();
  const webViews = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => webViews.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const webViewPort = (webViews.address() as AddressInfo).port;
  const config = loadConfig({ PORT: String(port), DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}`, SANDBOX_WEBVIEW_URL: `http://127.0.0.1:${webViewPort}`, PORTAL_ORIGINS: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent' });
  const sandbox = config.sandbox!;
  const app = createApp({ config, version: 'test', logger: createLogger({ level: 'silent', secrets: config.secrets }), mountSandbox: (a) => a.use('/sandbox', createSandboxRouter(sandbox)) });
  server.on('request', app);
  webViews.on('request', createSandboxWebViewApp(sandbox));
  return { base: `http://127.0.0.1:${port}`, dataDir, server, webViews };
}

async function contract(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595.28, 841.89]).drawText('Surat Perjanjian (uji)', { x: 60, y: 780, size: 14, font });
  doc.addPage([595.28, 841.89]).drawText('Halaman tanda tangan', { x: 60, y: 780, size: 14, font });
  return doc.save();
}

describe('journeys through the companion server and the sandbox providers', { timeout: 120000 }, () => {
  let kit: Running;
  let token: string;
  let nssDir: string;
  const work = mkdtempSync(join(tmpdir(), 'esign-journey-work-'));

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${kit.base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : new Uint8Array(await res.arrayBuffer());
    return { status: res.status, body: body as any };
  };

  async function expectStoredAndTrusted(documentId: string, signer: string) {
    const { status, body } = await api(`/api/documents/${documentId}`);
    assert.equal(status, 200);
    const file = join(work, `${documentId}.pdf`);
    writeFileSync(file, body as Uint8Array);
    const report = await verifyWithPdfsig(file, nssDir);
    const last = report.signatures.at(-1)!;
    assert.match(last.validation, /Signature is Valid/);
    assert.match(last.certificate, /Certificate is Trusted/);
    assert.equal(last.total, true);
    assert.equal(last.commonName, signer);
  }

  before(async () => {
    kit = await startKit();
    const res = await fetch(`${kit.base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 201);
    token = ((await res.json()) as { token: string }).token;
    // The sandbox CA exists once the server has started; trust its root like an integrator would.
    const ca = await openSandboxCa(join(kit.dataDir, 'sandbox', 'ca'));
    nssDir = await createTrustedNssDb(join(work, 'nss'), ca.rootCertificatePem);
  });
  after(() => {
    kit?.server.close();
    kit?.webViews.close();
    rmSync(work, { recursive: true, force: true });
    if (kit) rmSync(kit.dataDir, { recursive: true, force: true });
  });

  it('BSrE v2: a visible signature with a specimen, stored and trusted; a wrong passphrase is BSrE 2031', async () => {
    const form = new FormData();
    form.append('file', new Blob([(await contract()) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'contract.pdf');
    form.append('nik', '3171000000000001');
    form.append('passphrase', 'Sandbox#2024');
    form.append('appearance', 'image');
    form.append('image', new Blob([new Uint8Array(await QRCode.toBuffer('Budi Santoso', { width: 160 }))], { type: 'image/png' }), 'specimen.png');
    form.append('box', JSON.stringify({ page: 2, x: 380, y: 80, width: 140, height: 70 }));
    const signed = await api('/api/bsre/signatures', { method: 'POST', body: form });
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    await expectStoredAndTrusted(signed.body.document.id, 'Budi Santoso');

    // BSrE's verification (the sandbox really verifies) in the kit's one model; a tampered copy is invalid.
    const verifyForm = (fields: Record<string, string | Blob>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.append(k, v);
      return f;
    };
    const verified = await api('/api/verify', { method: 'POST', body: verifyForm({ documentId: signed.body.document.id }) });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.conclusion, 'valid');
    assert.equal(verified.body.signatures[0].signer, 'Budi Santoso');
    const bytes = (await api(`/api/documents/${signed.body.document.id}`)).body as Uint8Array;
    const tampered = bytes.slice();
    // A byte inside the first stream's data: within the signed range, and the file's structure stays intact.
    const at = Buffer.from(tampered).indexOf('stream\n') + 'stream\n'.length + 8;
    assert.ok(at > 20, 'nothing to tamper with');
    tampered[at] = tampered[at]! ^ 0xff;
    const bad = await api('/api/verify', { method: 'POST', body: verifyForm({ file: new Blob([tampered], { type: 'application/pdf' }) }) });
    assert.equal(bad.status, 200, JSON.stringify(bad.body));
    assert.equal(bad.body.conclusion, 'invalid');

    const wrong = new FormData();
    wrong.append('file', new Blob([(await contract()) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'contract.pdf');
    wrong.append('nik', '3171000000000001');
    wrong.append('passphrase', 'salah');
    const refused = await api('/api/bsre/signatures', { method: 'POST', body: wrong });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'wrong-passphrase');
    assert.deepEqual(refused.body.error.provider, { code: '2031', message: 'Passphrase anda salah' });
  });

  it('BSrE: a user whose certificate is not usable is told so, before any file is sent', async () => {
    const { status, body } = await api('/api/bsre/users/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nik: '3171000000000008' }) });
    assert.equal(status, 200);
    assert.equal(body.status, 'SUSPEND');
    assert.equal(body.canSign, false);
  });

  it('Peruri: send a document with a box, request the OTP, read it from the sandbox inbox, sign, fetch', async () => {
    const form = new FormData();
    form.append('file', new Blob([(await contract()) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'contract.pdf');
    form.append('email', 'siti@peruri.sandbox.test');
    form.append('boxes', JSON.stringify([{ page: 2, x: 454, y: 45, width: 75, height: 71 }]));
    const sent = await api('/api/peruri/documents', { method: 'POST', body: form });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const orderId = sent.body.orderId as string;
    const otp = await api(`/api/peruri/documents/${orderId}/otp`, { method: 'POST' });
    assert.equal(otp.status, 201, JSON.stringify(otp.body));
    assert.equal(JSON.stringify(otp.body).includes('otpCode'), false, 'the OTP itself never reaches the portal');
    const inbox = (await (await fetch(`${kit.base}/sandbox/inbox.json?provider=peruri&to=siti@peruri.sandbox.test`)).json()) as { messages: { code?: string }[] };
    // Newest first: the OTP just sent by e-mail (the same code goes by SMS).
    const code = inbox.messages.find((m) => m.code)?.code;
    assert.ok(code, `no OTP in the inbox: ${JSON.stringify(inbox)}`);
    const wrong = await api(`/api/peruri/documents/${orderId}/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ otpCode: code === '000000' ? '111111' : '000000' }) });
    assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
    assert.equal(wrong.body.error.provider.code, '4007');
    const signed = await api(`/api/peruri/documents/${orderId}/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ otpCode: code }) });
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    await expectStoredAndTrusted(signed.body.document.id, 'Siti Rahayu');
    const status = await api(`/api/peruri/documents/${orderId}/status`);
    assert.equal(status.body.signed, true);
  });

  it('Digisign: send with two signers, each signs in the web view (OTP from the inbox), the redirect lands, the download is trusted', async () => {
    const form = new FormData();
    form.append('file', new Blob([(await contract()) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'contract.pdf');
    const signers = [
      { name: 'Dewi Anggraini', email: 'dewi@digisign.sandbox.test', box: 0 },
      { name: 'Eko Saputra', email: 'eko@digisign.sandbox.test', box: 1 },
    ];
    form.append('signers', JSON.stringify(signers));
    form.append('boxes', JSON.stringify([{ page: 2, x: 60, y: 80, width: 150, height: 70 }, { page: 2, x: 360, y: 80, width: 150, height: 70 }]));
    const sent = await api('/api/digisign/documents', { method: 'POST', body: form });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const documentId = sent.body.digisignDocumentId as string;

    for (const signer of signers) {
      const view = await api('/api/webviews', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'digisign', flow: 'signing', email: signer.email, digisignDocumentId: documentId }) });
      assert.equal(view.status, 201, JSON.stringify(view.body));
      const page = new URL(view.body.url as string);
      assert.equal((await fetch(page)).status, 200);
      const sgn = page.searchParams.get('sgn')!;
      const post = (fields: Record<string, string>) => fetch(new URL('signingpage.html', page), { method: 'POST', body: new URLSearchParams({ sgn, ...fields }), redirect: 'manual' });
      assert.ok((await post({ action: 'otp' })).status < 400);
      const inbox = (await (await fetch(`${kit.base}/sandbox/inbox.json?provider=digisign&to=${encodeURIComponent(signer.email)}`)).json()) as { messages: { code?: string }[] };
      const otp = inbox.messages.find((m) => m.code)?.code;
      assert.ok(otp, 'no OTP in the inbox');
      const done = await post({ action: 'sign', otp, password: 'Sandbox#2024', consent_sign: '1' });
      assert.equal(done.status, 303);
      // The sign page redirects to our landing with ?msg= (AES-ECB, MIME base64, URL-encoded).
      const landing = new URL(done.headers.get('location')!);
      assert.equal(landing.origin, kit.base);
      const html = await (await fetch(landing)).text();
      assert.match(html, /postMessage/);
      assert.doesNotMatch(html, /postMessage\([^)]*['"]\*['"]/, 'the landing page never posts to *');
      assert.match(html, new RegExp(documentId));
    }

    const downloaded = await api(`/api/digisign/documents/${documentId}/download`, { method: 'POST' });
    assert.equal(downloaded.status, 201, JSON.stringify(downloaded.body));
    const file = join(work, 'digisign.pdf');
    writeFileSync(file, (await api(`/api/documents/${downloaded.body.document.id}`)).body as Uint8Array);
    const report = await verifyWithPdfsig(file, nssDir);
    assert.equal(report.signatures.length, 2);
    for (const s of report.signatures) {
      assert.match(s.validation, /Signature is Valid/);
      assert.match(s.certificate, /Certificate is Trusted/);
    }
    assert.deepEqual(report.signatures.map((s) => s.commonName), ['Dewi Anggraini', 'Eko Saputra']);
    assert.equal(report.signatures[1]!.total, true);
  });
});
