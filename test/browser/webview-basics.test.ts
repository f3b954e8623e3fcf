// <esign-webview> without a provider page: bad attributes, an unreachable server, properties set after
// appending, theming and language. (The flows themselves: webview-peruri / webview-digisign.)
import { expect } from '@open-wc/testing';
import '@esign-kit/elements';
import { EsignWebview } from '@esign-kit/elements';
import { digisignDocument, kit, next, peruriOrder, type Kit } from './webview-helpers.js';

describe('<esign-webview> basics', function () {
  this.timeout(30000);
  let k: Kit;
  before(async () => {
    k = await kit();
  });
  afterEach(() => {
    for (const el of document.querySelectorAll('esign-webview, div.host')) el.remove();
  });

  it('is defined and typed in HTMLElementTagNameMap', () => {
    expect(document.createElement('esign-webview')).to.be.instanceOf(EsignWebview);
  });

  it('a missing order-id is a typed error shown inside (no alert); setting it afterwards opens the flow', async () => {
    const el = document.createElement('esign-webview');
    el.setAttribute('provider', 'peruri');
    el.setAttribute('flow', 'sign');
    el.setAttribute('lang', 'en');
    el.server = k.base;
    el.token = k.token;
    const error = next(el, 'esign-error');
    document.body.append(el);
    expect(await error).to.deep.equal({ code: 'invalid-attributes', message: 'order-id is required for peruri sign.' });
    expect(el.status).to.equal('error');
    expect(el.shadowRoot!.querySelector('[part=status]')!.textContent).to.contain('missing a required attribute');
    expect(el.frame).to.equal(null);
    // A framework sets the property after appending: the flow opens.
    const orderId = await peruriOrder(k, 'siti@peruri.sandbox.test');
    const ready = next(el, 'esign-ready');
    el.orderId = orderId;
    const detail = await ready;
    expect(detail).to.deep.equal({ provider: 'peruri', flow: 'sign', origin: k.webViewBase });
    expect(el.status).to.equal('open');
    expect(new URL(el.frame!.src).searchParams.get('orderId')).to.equal(orderId);
  });

  it('an order this user did not create is refused by the server (http-error 404), not shown', async () => {
    const el = document.createElement('esign-webview');
    Object.assign(el, { provider: 'peruri', flow: 'sign', orderId: '999999', server: k.base, token: k.token });
    const error = next(el, 'esign-error');
    document.body.append(el);
    expect(await error).to.deep.include({ code: 'http-error', status: 404 });
    expect(el.frame).to.equal(null);
  });

  it('an unreachable server is esign-error network-error; a refused token is http-error with its status', async () => {
    const el = document.createElement('esign-webview');
    Object.assign(el, { provider: 'digisign', flow: 'activation', email: 'fitri@digisign.sandbox.test', server: 'http://127.0.0.1:9/', token: 'x' });
    const error = next(el, 'esign-error');
    document.body.append(el);
    expect((await error).code).to.equal('network-error');
    const refused = next(el, 'esign-error');
    el.server = k.base;
    el.token = 'not-a-token';
    await el.retry();
    const detail = await refused;
    expect(detail.code).to.equal('http-error');
    expect(detail.status).to.equal(401);
  });

  it("is themable (parts, custom properties) and speaks Indonesian from an ancestor's lang", async () => {
    const host = document.createElement('div');
    host.className = 'host';
    host.lang = 'id';
    host.innerHTML = `<style>esign-webview{--esign-webview-accent: rgb(200, 0, 100); --esign-webview-height: 321px} esign-webview::part(status){background: rgb(1, 2, 3)}</style>`;
    const el = document.createElement('esign-webview');
    Object.assign(el, { provider: 'peruri', flow: 'activation', server: k.base, token: k.token });
    host.append(el);
    const error = next(el, 'esign-error');
    document.body.append(host);
    await error;
    await el.updateComplete;
    expect(el.getBoundingClientRect().height).to.equal(321);
    const status = el.shadowRoot!.querySelector('[part=status]')!;
    expect(getComputedStyle(status).backgroundColor).to.equal('rgb(1, 2, 3)');
    const retry = el.shadowRoot!.querySelector('[part=retry]') as HTMLButtonElement;
    expect(getComputedStyle(retry).color).to.equal('rgb(200, 0, 100)');
    expect(retry.textContent).to.equal('Coba lagi');
    expect(status.textContent).to.contain('Atribut yang diperlukan');
  });

  it('cancel() closes the page and fires esign-cancel (bubbling, composed)', async () => {
    const el = document.createElement('esign-webview');
    Object.assign(el, { provider: 'peruri', flow: 'activation', email: 'siti@peruri.sandbox.test', server: k.base, token: k.token });
    const ready = next(el, 'esign-ready');
    document.body.append(el);
    await ready;
    const seen = new Promise<CustomEvent>((r) => document.addEventListener('esign-cancel', (e) => r(e as CustomEvent), { once: true }));
    (el.shadowRoot!.querySelector('[part=cancel]') as HTMLButtonElement).click();
    const event = await seen;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail).to.deep.equal({ provider: 'peruri', flow: 'activation', by: 'user' });
    expect(el.status).to.equal('cancelled');
    expect(el.frame).to.equal(null);
  });

  it('Digisign view-only shows the document page, not the signing form', async () => {
    const documentId = await digisignDocument(k, 'eko@digisign.sandbox.test', 'Eko Saputra');
    const el = document.createElement('esign-webview');
    Object.assign(el, { provider: 'digisign', flow: 'sign', documentId, email: 'eko@digisign.sandbox.test', viewOnly: true, server: k.base, token: k.token });
    const ready = next(el, 'esign-ready');
    document.body.append(el);
    await ready;
    expect(new URL(el.frame!.src).pathname).to.match(/viewpage\.html$/);
  });
});
