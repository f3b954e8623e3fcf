// <esign-webview> against the sandbox Digisign web views, in real Chromium: Digisign's pages redirect to the
// companion server's landing page (another origin), which decrypts `msg` and posts a bridge landing message
// carrying the element's channel (read from the iframe's name).
import { expect } from '@open-wc/testing';
import '@esign-kit/elements';
import type { EsignWebview } from '@esign-kit/elements';
import {
  api,
  contract,
  digisignDocument,
  digisignSign,
  encryptRedirect,
  expectTrusted,
  frame,
  inbox,
  kit,
  next,
  open,
  pdfsig,
  type Kit,
} from './webview-helpers.js';

/** Navigates the element's own iframe (from inside, so it keeps its browsing context) — optionally renamed first. */
const navigate = (el: EsignWebview, url: string, windowName?: string) =>
  frame(el, [{ evaluate: `${windowName ? `window.name = ${JSON.stringify(windowName)};` : ''} location.href = ${JSON.stringify(url)}; true` }]);

describe('<esign-webview> with Digisign', function () {
  this.timeout(90000);
  let k: Kit;
  before(async () => {
    k = await kit();
  });
  afterEach(() => {
    for (const el of document.querySelectorAll('esign-webview')) el.remove();
  });

  it('signs: the redirect lands, the server downloads the document, esign-complete is confirmed and the document pdfsig-valid', async () => {
    const documentId = await digisignDocument(k, 'dewi@digisign.sandbox.test', 'Dewi Anggraini');
    const el = await open({
      provider: 'digisign',
      flow: 'sign',
      'document-id': documentId,
      email: 'dewi@digisign.sandbox.test',
      server: k.base,
      token: k.token,
    });
    expect(new URL(el.frame!.src).origin).to.equal(k.webViewBase);
    expect(el.frame!.getAttribute('allow')).to.equal("camera 'none'; microphone 'none'");
    const complete = next(el, 'esign-complete', 60000);
    const started = performance.now();
    await digisignSign(el, 'dewi@digisign.sandbox.test');
    const detail = await complete;
    expect(detail.confirmed).to.equal(true);
    expect(detail.provider).to.equal('digisign');
    expect(detail.flow).to.equal('sign');
    expect(detail.result.digisignDocumentId).to.equal(documentId);
    expect(detail.result.completed).to.equal(true);
    expect(el.status).to.equal('done');
    await expectTrusted(detail.result.documentId, 'Dewi Anggraini');
    console.log(`digisign sign: ${Math.round(performance.now() - started)} ms`);
  });

  it('activates (OTP, password, consents), confirmed from the decrypted callback; the new user then signs', async () => {
    const email = 'fitri@digisign.sandbox.test';
    const el = await open({ provider: 'digisign', flow: 'activation', email, server: k.base, token: k.token });
    const complete = next(el, 'esign-complete', 60000);
    await frame(el, [{ waitFor: 'button[name=action][value=otp]' }, { submit: 'button[name=action][value=otp]' }, { waitForText: 'OTP telah dikirim' }]);
    const code = await inbox('digisign', email);
    expect(code).to.match(/^\d{6}$/);
    await frame(el, [
      { type: ['input[name=otp]', code!] },
      { type: ['input[name=password]', 'Sandbox#2024'] },
      { type: ['input[name=password2]', 'Sandbox#2024'] },
      { check: 'input[name=consent_terms]' },
      { check: 'input[name=consent_data]' },
      { click: 'form:last-of-type button:not([name])' },
    ]);
    expect(await complete).to.deep.equal({ provider: 'digisign', flow: 'activation', result: { email, providerCode: '00' }, confirmed: true });
    el.remove();
    const documentId = await digisignDocument(k, email, 'Fitri Handayani');
    const signer = await open({ provider: 'digisign', flow: 'sign', 'document-id': documentId, email, server: k.base, token: k.token });
    const signed = next(signer, 'esign-complete', 60000);
    await digisignSign(signer, email);
    await expectTrusted((await signed).result.documentId, 'Fitri Handayani');
  });

  it('a wrong-key or tampered msg ends in esign-error (typed), shown inside with a retry', async () => {
    const documentId = await digisignDocument(k, 'eko@digisign.sandbox.test', 'Eko Saputra');
    const el = await open({
      provider: 'digisign',
      flow: 'sign',
      'document-id': documentId,
      email: 'eko@digisign.sandbox.test',
      server: k.base,
      token: k.token,
      lang: 'en',
    });
    const payload = {
      document_id: documentId,
      status_document: 'complete',
      result: '00',
      notif: 'Proses tanda tangan berhasil!',
      email_user: 'eko@digisign.sandbox.test',
    };
    const wrongKey = await encryptRedirect(payload, 'another-16-chars');
    let error = next(el, 'esign-error');
    await navigate(el, `${k.base}/callback/digisign/signing?msg=${wrongKey}`);
    expect(await error).to.deep.include({ code: 'redirect-undecryptable' });
    expect(el.status).to.equal('error');
    expect(el.shadowRoot!.querySelector('[part=status]')!.textContent).to.contain('does not decrypt with the configured key');
    // Retry: a new channel; then a tampered (truncated) msg.
    const ready = next(el, 'esign-ready');
    (el.shadowRoot!.querySelector('[part=retry]') as HTMLButtonElement).click();
    await ready;
    const good = decodeURIComponent(await encryptRedirect(payload));
    error = next(el, 'esign-error');
    await navigate(el, `${k.base}/callback/digisign/signing?msg=${encodeURIComponent(good.slice(0, -4))}`);
    expect(await error).to.deep.include({ code: 'redirect-truncated' });
  });

  it('ignores a landing message from another origin, with a foreign channel, or replayed on a renewed channel; an unconfirmable one is not final', async () => {
    const documentId = await digisignDocument(k, 'eko@digisign.sandbox.test', 'Eko Saputra');
    const el = await open({
      provider: 'digisign',
      flow: 'sign',
      'document-id': documentId,
      email: 'eko@digisign.sandbox.test',
      server: k.base,
      token: k.token,
    });
    const debug: string[] = [];
    el.addEventListener('esign-debug', (e) => debug.push(`${e.detail.reason}@${e.detail.origin}`));
    let completed = false;
    el.addEventListener('esign-complete', () => (completed = true));
    const channel = el.frame!.name.slice('esign-kit:'.length);
    const landing = {
      type: 'esign-kit/callback',
      version: 1,
      channel,
      provider: 'digisign',
      flow: 'sign',
      ok: true,
      providerCode: '00',
      result: { documentId, email: 'eko@digisign.sandbox.test', completed: true },
    };
    // 1. A perfect landing message, from the element's own frame, but on Digisign's origin (not our server's).
    await frame(el, [{ evaluate: `parent.postMessage(${JSON.stringify(landing)}, '*'); true` }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(debug).to.include(`foreign-origin@${k.webViewBase}`);
    // 2. The real landing page (our server's origin, a correctly encrypted msg), in the element's frame,
    //    but the frame's name carries another channel: a foreign callback.
    const msg = await encryptRedirect({
      document_id: documentId,
      status_document: 'complete',
      result: '00',
      notif: 'ok',
      email_user: 'eko@digisign.sandbox.test',
    });
    const foreign = `esign-kit:${'A'.repeat(22)}`;
    await navigate(el, `${k.base}/callback/digisign/signing?msg=${msg}`, foreign);
    for (let i = 0; i < 50 && !debug.some((d) => d.startsWith('wrong-channel')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(debug).to.include(`wrong-channel@${k.base}`);
    expect(completed).to.equal(false);
    // 3. Retry renews the channel; the old channel replayed from the new frame is refused.
    el.cancel();
    expect(el.status).to.equal('cancelled');
    let ready = next(el, 'esign-ready');
    await el.retry();
    await ready;
    expect(el.frame!.name).to.not.equal(`esign-kit:${channel}`);
    await navigate(el, `${k.base}/callback/digisign/signing?msg=${msg}`, `esign-kit:${channel}`);
    for (let i = 0; i < 50 && !debug.some((d) => d.startsWith('replayed')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(debug).to.include(`replayed@${k.base}`);
    expect(completed).to.equal(false);
    // 4. A genuine, decrypted callback on the right channel that names another document: never final.
    ready = next(el, 'esign-ready');
    await el.retry();
    await ready;
    const other = await encryptRedirect({
      document_id: 'SOMEONE-ELSES-DOC',
      status_document: 'complete',
      result: '00',
      notif: 'ok',
      email_user: 'eko@digisign.sandbox.test',
    });
    const error = next(el, 'esign-error');
    await navigate(el, `${k.base}/callback/digisign/signing?msg=${other}`);
    expect(await error).to.deep.include({ code: 'not-confirmed' });
    expect(completed).to.equal(false);
  });

  it("two elements on one page: one signer's landing message does not complete the other", async () => {
    const a = await digisignDocument(k, 'dewi@digisign.sandbox.test', 'Dewi Anggraini');
    const b = await digisignDocument(k, 'eko@digisign.sandbox.test', 'Eko Saputra');
    const one = await open({ provider: 'digisign', flow: 'sign', 'document-id': a, email: 'dewi@digisign.sandbox.test', server: k.base, token: k.token });
    const two = await open({ provider: 'digisign', flow: 'sign', 'document-id': b, email: 'eko@digisign.sandbox.test', server: k.base, token: k.token });
    const twoDebug: string[] = [];
    two.addEventListener('esign-debug', (e) => twoDebug.push(`${e.detail.reason}@${e.detail.origin}`));
    let twoDone = false;
    two.addEventListener('esign-complete', () => (twoDone = true));
    const oneDone = next(one, 'esign-complete', 60000);
    await digisignSign(one, 'dewi@digisign.sandbox.test');
    expect((await oneDone).result.digisignDocumentId).to.equal(a);
    expect(twoDebug).to.include(`foreign-source@${k.base}`);
    expect(twoDone).to.equal(false);
    expect(two.status).to.equal('open');
    const twoComplete = next(two, 'esign-complete', 60000);
    await digisignSign(two, 'eko@digisign.sandbox.test');
    expect((await twoComplete).result.digisignDocumentId).to.equal(b);
  });

  it("a replayed landing of the first signer in the second signer's frame is ignored; the server refuses to confirm it", async () => {
    // One document, two signers in turn (the red team's case): Dewi signs first, for real.
    const body = new FormData();
    body.append('file', await contract('Perjanjian dua pihak (uji replay)'), 'contract.pdf');
    body.append(
      'signers',
      JSON.stringify([
        { name: 'Dewi Anggraini', email: 'dewi@digisign.sandbox.test', box: 0 },
        { name: 'Eko Saputra', email: 'eko@digisign.sandbox.test', box: 1 },
      ]),
    );
    body.append(
      'boxes',
      JSON.stringify([
        { page: 1, x: 60, y: 80, width: 150, height: 70 },
        { page: 1, x: 300, y: 80, width: 150, height: 70 },
      ]),
    );
    body.append('sequential', 'true');
    const sent = await api(k, '/api/digisign/documents', { method: 'POST', body });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const documentId = sent.body.digisignDocumentId as string;
    const first = await open({
      provider: 'digisign',
      flow: 'sign',
      'document-id': documentId,
      email: 'dewi@digisign.sandbox.test',
      server: k.base,
      token: k.token,
    });
    const firstDone = next(first, 'esign-complete', 60000);
    await digisignSign(first, 'dewi@digisign.sandbox.test');
    expect((await firstDone).result.completed).to.equal(false);
    first.remove();

    // Eko's element; Dewi's landing URL — the very redirect Digisign sent after her signature (the sandbox's
    // payload, encrypted with the partner key) — is loaded into Eko's frame.
    const second = await open({
      provider: 'digisign',
      flow: 'sign',
      'document-id': documentId,
      email: 'eko@digisign.sandbox.test',
      server: k.base,
      token: k.token,
    });
    const debug: string[] = [];
    second.addEventListener('esign-debug', (e) => debug.push(e.detail.reason));
    let completed = false;
    second.addEventListener('esign-complete', () => (completed = true));
    const dewisLanding = await encryptRedirect({
      document_id: documentId,
      status_document: 'waiting',
      result: '00',
      notif: 'Proses tanda tangan berhasil!',
      email_user: 'dewi@digisign.sandbox.test',
    });
    await navigate(second, `${k.base}/callback/digisign/signing?msg=${dewisLanding}`);
    for (let i = 0; i < 50 && !debug.includes('wrong-signer'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(debug).to.include('wrong-signer');
    await new Promise((r) => setTimeout(r, 500));
    expect(completed).to.equal(false);
    expect(second.status).to.equal('open');
    // An element that asked anyway would be refused: the server knows of no signature by Eko.
    const asked = await api(k, '/api/webviews/confirmations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'digisign', flow: 'signing', digisignDocumentId: documentId, email: 'eko@digisign.sandbox.test' }),
    });
    expect(asked.status).to.equal(409);
    expect(asked.body.error.code).to.equal('not-confirmed');

    // Eko then signs for real: confirmed, and the stored document carries both signatures, valid.
    second.cancel();
    const ready = next(second, 'esign-ready');
    await second.retry();
    await ready;
    const secondDone = next(second, 'esign-complete', 60000);
    await digisignSign(second, 'eko@digisign.sandbox.test');
    const detail = await secondDone;
    expect(detail.result.completed).to.equal(true);
    expect(detail.result.email).to.equal('eko@digisign.sandbox.test');
    await expectTrusted(detail.result.documentId, 'Eko Saputra');
    expect((await pdfsig(detail.result.documentId)).signatures.map((sig) => sig.commonName)).to.deep.equal(['Dewi Anggraini', 'Eko Saputra']);
  });
});
