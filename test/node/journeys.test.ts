// The whole kit on loopback, as `npm start` runs it: the companion server with the sandbox providers
// mounted, driven through its public API only. Each journey ends in a stored document that poppler's
// pdfsig reports valid, total and trusted (with the sandbox root in an NSS database).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import QRCode from 'qrcode';
import { openSandboxCa } from '../../packages/sandbox/src/signing/index.js';
import { createTrustedNssDb, verifyWithPdfsig } from '../../packages/sandbox/test/signing/helpers.js';
import {
  apiClient,
  contract,
  DIGISIGN_SIGNERS,
  digisignDownload,
  digisignSend,
  digisignSignerSigns,
  peruriOtp,
  peruriSend,
  peruriSign,
  startKit,
  type Api,
  type Kit,
} from './support/flows.js';

describe('journeys through the companion server and the sandbox providers', { timeout: 120000 }, () => {
  let kit: Kit;
  let client: Api;
  let nssDir: string;
  const work = mkdtempSync(join(tmpdir(), 'esign-journey-work-'));

  const api = (path: string, init: RequestInit = {}) => client.call(path, init);

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
    client = apiClient(kit.base, ((await res.json()) as { token: string }).token);
    // The sandbox CA exists once the server has started; trust its root like an integrator would.
    const ca = await openSandboxCa(join(kit.dataDir, 'sandbox', 'ca'));
    nssDir = await createTrustedNssDb(join(work, 'nss'), ca.rootCertificatePem);
  });
  after(() => {
    kit?.close();
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
    assert.equal(verified.body.provider.conclusion, 'valid');
    assert.equal(verified.body.provider.signatures[0].signer, 'Budi Santoso');
    assert.equal(verified.body.local.signatures[0].verdict, 'valid');
    const bytes = (await api(`/api/documents/${signed.body.document.id}`)).body as Uint8Array;
    const tampered = bytes.slice();
    // A byte inside the first stream's data: within the signed range, and the file's structure stays intact.
    const at = Buffer.from(tampered).indexOf('stream\n') + 'stream\n'.length + 8;
    assert.ok(at > 20, 'nothing to tamper with');
    tampered[at] = tampered[at]! ^ 0xff;
    const bad = await api('/api/verify', { method: 'POST', body: verifyForm({ file: new Blob([tampered], { type: 'application/pdf' }) }) });
    assert.equal(bad.status, 200, JSON.stringify(bad.body));
    assert.equal(bad.body.provider.conclusion, 'invalid');
    assert.equal(bad.body.local.signatures[0].verdict, 'invalid');

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
    const { status, body } = await api('/api/bsre/users/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nik: '3171000000000008' }),
    });
    assert.equal(status, 200);
    assert.equal(body.status, 'SUSPEND');
    assert.equal(body.canSign, false);
  });

  it('Peruri: send a document with a box, request the OTP, read it from the sandbox inbox, sign, fetch', async () => {
    const email = 'siti@peruri.sandbox.test';
    const sent = await peruriSend(client, { pdf: await contract(), email });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const orderId = sent.body.orderId as string;
    // Newest first: the OTP just sent by e-mail (the same code goes by SMS).
    const otp = await peruriOtp(client, kit.sandboxUrl, orderId, email);
    assert.equal(otp.res.status, 201, JSON.stringify(otp.res.body));
    assert.equal(JSON.stringify(otp.res.body).includes('otpCode'), false, 'the OTP itself never reaches the portal');
    const code = otp.code!;
    const wrong = await peruriSign(client, orderId, code === '000000' ? '111111' : '000000');
    assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
    assert.equal(wrong.body.error.provider.code, '4007');
    const signed = await peruriSign(client, orderId, code);
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    await expectStoredAndTrusted(signed.body.document.id, 'Siti Rahayu');
    const status = await api(`/api/peruri/documents/${orderId}/status`);
    assert.equal(status.body.signed, true);
  });

  it('Digisign: send with two signers, each signs in the web view (OTP from the inbox), the redirect lands, the download is trusted', async () => {
    const signers = DIGISIGN_SIGNERS;
    const sent = await digisignSend(client, { pdf: await contract(), signers });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const documentId = sent.body.digisignDocumentId as string;

    for (const signer of signers) {
      // The sign page redirects to our landing with ?msg= (AES-ECB, MIME base64, URL-encoded).
      const { landing } = await digisignSignerSigns(client, kit.sandboxUrl, documentId, signer);
      assert.equal(landing.origin, kit.base);
      const html = await (await fetch(landing)).text();
      assert.match(html, /postMessage/);
      assert.doesNotMatch(html, /postMessage\([^)]*['"]\*['"]/, 'the landing page never posts to *');
      assert.match(html, new RegExp(documentId));
    }

    const downloaded = await digisignDownload(client, documentId);
    assert.equal(downloaded.status, 201, JSON.stringify(downloaded.body));
    const file = join(work, 'digisign.pdf');
    writeFileSync(file, (await api(`/api/documents/${downloaded.body.document.id}`)).body as Uint8Array);
    const report = await verifyWithPdfsig(file, nssDir);
    assert.equal(report.signatures.length, 2);
    for (const s of report.signatures) {
      assert.match(s.validation, /Signature is Valid/);
      assert.match(s.certificate, /Certificate is Trusted/);
    }
    assert.deepEqual(
      report.signatures.map((s) => s.commonName),
      ['Dewi Anggraini', 'Eko Saputra'],
    );
    assert.equal(report.signatures[1]!.total, true);
  });
});
