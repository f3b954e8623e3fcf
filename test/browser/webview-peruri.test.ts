// <esign-webview> against the sandbox Peruri web views, in real Chromium, across three origins: this page,
// the companion server and the web views.
import { expect } from '@open-wc/testing';
import '@esign-kit/elements';
import { api, expectTrusted, frame, frameSteps, inbox, kit, next, open, peruriOrder, peruriSign, type Kit } from './webview-helpers.js';

describe('<esign-webview> with Peruri', function () {
  this.timeout(90000);
  let k: Kit;
  before(async () => {
    k = await kit();
  });
  afterEach(() => {
    for (const el of document.querySelectorAll('esign-webview, iframe.forger')) el.remove();
  });

  it("signs: the page's success is confirmed by the server (document status) before esign-complete, and the stored document is pdfsig-valid", async () => {
    const orderId = await peruriOrder(k, 'siti@peruri.sandbox.test');
    const el = await open({ provider: 'peruri', flow: 'sign', 'order-id': orderId, server: k.base, token: k.token });
    const iframe = el.frame!;
    expect(new URL(iframe.src).origin).to.equal(k.webViewBase);
    expect(iframe.name).to.match(/^esign-kit:[A-Za-z0-9_-]{22}$/);
    expect(iframe.getAttribute('allow')).to.equal("camera 'none'; microphone 'none'");
    expect(iframe.getAttribute('sandbox')).to.equal('allow-scripts allow-forms allow-same-origin');
    const events: string[] = [];
    el.addEventListener('esign-complete', () => events.push(`complete:${el.status}`));
    const complete = next(el, 'esign-complete', 60000);
    const started = performance.now();
    await peruriSign(el, 'siti@peruri.sandbox.test');
    const detail = await complete;
    expect(detail.confirmed).to.equal(true);
    expect(detail.provider).to.equal('peruri');
    expect(detail.flow).to.equal('sign');
    expect(detail.result.orderId).to.equal(orderId);
    expect(events).to.deep.equal(['complete:done']);
    expect(el.frame).to.equal(null);
    // The server holds the document the event names, and it is the signed one.
    const status = await api(k, `/api/peruri/documents/${orderId}/status`);
    expect(status.body.signed).to.equal(true);
    expect(status.body.document.id).to.equal(detail.result.documentId);
    await expectTrusted(detail.result.documentId, 'Siti Rahayu');
    console.log(`peruri sign: ${Math.round(performance.now() - started)} ms`);
  });

  it('ignores a forged success from the page itself, from another frame and from another origin; counts them in esign-debug', async () => {
    const orderId = await peruriOrder(k, 'rina@peruri.sandbox.test');
    const el = await open({ provider: 'peruri', flow: 'sign', 'order-id': orderId, server: k.base, token: k.token });
    const debug: { reason: string; origin: string }[] = [];
    el.addEventListener('esign-debug', (e) => debug.push(e.detail));
    let completed = false;
    el.addEventListener('esign-complete', () => (completed = true));
    const forged = { func: 'signDocument', message: { resultCode: '0', resultDesc: 'Sukses' } };
    // 1. The portal page itself (event.source = window).
    window.postMessage(forged, '*');
    // 2. Another frame on this page's origin.
    const other = document.createElement('iframe');
    other.className = 'forger';
    document.body.append(other);
    (other.contentWindow as unknown as { eval(code: string): void }).eval(`parent.postMessage(${JSON.stringify(forged)}, '*')`);
    // 3. A cross-origin frame on Peruri's own web-view origin (not the element's iframe), driven with puppeteer.
    const peruriForger = document.createElement('iframe');
    peruriForger.className = 'forger';
    peruriForger.name = 'forger-peruri';
    peruriForger.src = `${k.webViewBase}/peruri/signing.php?orderId=${orderId}`;
    document.body.append(peruriForger);
    await new Promise((r) => peruriForger.addEventListener('load', r, { once: true }));
    await frameSteps('forger-peruri', [{ evaluate: `parent.postMessage(${JSON.stringify(forged)}, '*'); true` }]);
    // 4. A frame of an opaque origin (a data: URL) that posts the forged success itself.
    const opaque = document.createElement('iframe');
    opaque.className = 'forger';
    opaque.src = `data:text/html,<script>parent.postMessage(${encodeURIComponent(JSON.stringify(forged))}, '*')</script>`;
    const opaqueHeard = new Promise((r) => window.addEventListener('message', (e) => e.source === opaque.contentWindow && r(e.origin)));
    document.body.append(opaque);
    expect(await opaqueHeard).to.equal('null');
    // 5. The element's own frame, but a message in another shape (Peruri never sends it): unreadable.
    await frame(el, [
      { evaluate: `parent.postMessage({ hello: 'world' }, '*')` },
      { evaluate: `parent.postMessage({ func: 'x;alert(1)', message: {} }, '*')` },
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(completed).to.equal(false);
    expect(el.status).to.equal('open');
    const reasons = debug.map((d) => d.reason);
    expect(debug.filter((d) => d.reason === 'foreign-source').map((d) => d.origin)).to.include.members([location.origin, k.webViewBase, 'null']);
    expect(reasons).to.include('missing-field');
    expect(reasons).to.include('bad-field');
    expect(el.ignoredMessages).to.equal(debug.length);
    // The real page still completes the flow.
    const complete = next(el, 'esign-complete', 60000);
    await peruriSign(el, 'rina@peruri.sandbox.test');
    expect((await complete).confirmed).to.equal(true);
    // A replay of the success afterwards (same frame is gone; from the page) changes nothing.
    window.postMessage(forged, '*');
    await new Promise((r) => setTimeout(r, 100));
    expect(el.status).to.equal('done');
  });

  it('a message from the Peruri origin but not from its own iframe is ignored (two elements do not cross-talk)', async () => {
    const a = await peruriOrder(k, 'siti@peruri.sandbox.test');
    const b = await peruriOrder(k, 'rina@peruri.sandbox.test');
    const one = await open({ provider: 'peruri', flow: 'sign', 'order-id': a, server: k.base, token: k.token });
    const two = await open({ provider: 'peruri', flow: 'sign', 'order-id': b, server: k.base, token: k.token });
    expect(one.frame!.name).to.not.equal(two.frame!.name);
    const twoDebug: string[] = [];
    two.addEventListener('esign-debug', (e) => twoDebug.push(`${e.detail.reason}@${e.detail.origin}`));
    let twoDone = false;
    two.addEventListener('esign-complete', () => (twoDone = true));
    const oneDone = next(one, 'esign-complete', 60000);
    await peruriSign(one, 'siti@peruri.sandbox.test');
    const detail = await oneDone;
    expect(detail.result.orderId).to.equal(a);
    // Two saw one's success (same origin, Peruri's) and ignored it: not its iframe.
    expect(twoDebug).to.include(`foreign-source@${k.webViewBase}`);
    expect(twoDone).to.equal(false);
    expect(two.status).to.equal('open');
    const twoComplete = next(two, 'esign-complete', 60000);
    await peruriSign(two, 'rina@peruri.sandbox.test');
    expect((await twoComplete).result.orderId).to.equal(b);
    expect(one.status).to.equal('done');
  });

  it('activates a certificate (e-KYC with the test video, specimen): confirmed by the server, then the user can sign', async () => {
    const email = 'andi@peruri.sandbox.test';
    const before = await api(k, '/api/peruri/users/certificate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    // Not issued yet: Peruri's non-"0" answer is a failure with its code (seed 003: "Selain "0" = Gagal"), never issued: false.
    expect(before.status).to.equal(422);
    expect(before.body.error.provider.code).to.equal('3');
    const el = await open({ provider: 'peruri', flow: 'activation', email, server: k.base, token: k.token });
    expect(el.frame!.getAttribute('allow')).to.equal(`camera ${k.webViewBase}`);
    const complete = next(el, 'esign-complete', 60000);
    await frame(el, [{ waitFor: '#start' }, { click: '#start' }, { waitFor: '#testvideo' }, { click: '#testvideo' }, { waitFor: '#save' }, { click: '#save' }]);
    const detail = await complete;
    expect(detail).to.deep.equal({ provider: 'peruri', flow: 'activation', result: { email, issued: true }, confirmed: true });
    el.remove();
    // The activated certificate signs.
    const orderId = await peruriOrder(k, email);
    const signer = await open({ provider: 'peruri', flow: 'sign', 'order-id': orderId, server: k.base, token: k.token });
    const signed = next(signer, 'esign-complete', 60000);
    await peruriSign(signer, email);
    await expectTrusted((await signed).result.documentId, 'Andi Wijaya');
  });

  it('times out (esign-timeout), shows it inside with a retry that opens a new channel', async () => {
    const orderId = await peruriOrder(k, 'siti@peruri.sandbox.test');
    const el = await open({ provider: 'peruri', flow: 'sign', 'order-id': orderId, server: k.base, token: k.token, timeout: '1200', lang: 'en' });
    const first = el.frame!.name;
    const timedOut = await next(el, 'esign-timeout', 5000);
    expect(timedOut.timeout).to.equal(1200);
    expect(el.status).to.equal('timeout');
    expect(el.frame).to.equal(null);
    const status = el.shadowRoot!.querySelector('[part=status]')!;
    expect(status.textContent).to.contain('open too long');
    const ready = next(el, 'esign-ready');
    el.timeout = 0;
    (el.shadowRoot!.querySelector('[part=retry]') as HTMLButtonElement).click();
    await ready;
    expect(el.frame!.name).to.not.equal(first);
    const complete = next(el, 'esign-complete', 60000);
    await peruriSign(el, 'siti@peruri.sandbox.test');
    expect((await complete).confirmed).to.equal(true);
  });

  it("a wrong OTP is the provider's error, shown inside in Indonesian, never esign-complete", async () => {
    const orderId = await peruriOrder(k, 'rina@peruri.sandbox.test');
    const el = await open({ provider: 'peruri', flow: 'sign', 'order-id': orderId, server: k.base, token: k.token, lang: 'id' });
    await frame(el, [{ waitFor: '#otp' }, { click: '#otp' }, { waitForText: 'OTP dikirim' }]);
    const code = await inbox('peruri', 'rina@peruri.sandbox.test');
    const error = next(el, 'esign-error', 30000);
    await frame(el, [{ type: ['#code', code === '000000' ? '111111' : '000000'] }, { click: '#sign' }]);
    const detail = await error;
    expect(detail.code).to.equal('provider-error');
    expect(detail.providerCode).to.not.equal('0');
    expect(el.status).to.equal('error');
    expect(el.shadowRoot!.querySelector('[part=status]')!.textContent).to.contain('Penyedia melaporkan masalah');
    expect(el.shadowRoot!.querySelector('[part=retry]')!.textContent).to.equal('Coba lagi');
  });

  it('removal mid-flow leaves no message listener behind; re-added, it opens a new flow and completes', async () => {
    const orderId = await peruriOrder(k, 'siti@peruri.sandbox.test');
    const added: EventListenerOrEventListenerObject[] = [];
    const removed: EventListenerOrEventListenerObject[] = [];
    const add = window.addEventListener;
    const remove = window.removeEventListener;
    window.addEventListener = function (this: Window, type: string, l: any, o?: any) {
      if (type === 'message') added.push(l);
      return add.call(this, type, l, o);
    } as typeof window.addEventListener;
    window.removeEventListener = function (this: Window, type: string, l: any, o?: any) {
      if (type === 'message') removed.push(l);
      return remove.call(this, type, l, o);
    } as typeof window.removeEventListener;
    try {
      const el = await open({ provider: 'peruri', flow: 'sign', 'order-id': orderId, server: k.base, token: k.token });
      const firstChannel = el.frame!.name;
      expect(added.length).to.equal(1);
      el.remove();
      expect(removed).to.deep.equal(added);
      let debug = 0;
      el.addEventListener('esign-debug', () => debug++);
      window.postMessage({ func: 'signDocument', message: { resultCode: '0' } }, '*');
      await new Promise((r) => setTimeout(r, 100));
      expect(debug, 'a removed element hears nothing').to.equal(0);
      expect(el.status).to.equal('idle');
      // Re-added: a new flow, a new channel, one listener again.
      const ready = next(el, 'esign-ready');
      document.body.append(el);
      await ready;
      expect(added.length).to.equal(2);
      expect(el.frame!.name).to.not.equal(firstChannel);
      const complete = next(el, 'esign-complete', 60000);
      await peruriSign(el, 'siti@peruri.sandbox.test');
      expect((await complete).confirmed).to.equal(true);
      el.remove();
      expect(removed.length).to.equal(2);
    } finally {
      window.addEventListener = add;
      window.removeEventListener = remove;
    }
  });
});
