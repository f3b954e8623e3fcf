// Bad input to the elements, in Chromium, as tables driven by one loop each:
// - <esign-placer>: files that are not (readable) PDFs, password-protected PDFs, unreachable sources, an
//   unknown provider, boxes set through the `boxes` property that no provider can take (page 0, past the end,
//   negative size, outside the page…) and values typed into the inspector (Peruri decimals…). Each case
//   asserts the error's code (and field where the element gives one) and that nothing escaped as an
//   uncaught error or rejection.
// - <esign-webview>: forged postMessages the existing suites do not cover — oversized and script-bearing
//   payloads from the element's own frame and origin — are ignored or shown as text, never executed; and the
//   Digisign landing page never posts its result to an origin outside PORTAL_ORIGINS ("*").
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PDFDocument, PDFName, PDFNumber, StandardFonts } from 'pdf-lib';
import { CoordinateError, pageGeometry, resolveProfile, toProviderList, type CoordinateIssue, type PlacedBox, type ProfileId } from '@esign-kit/core';
import '@esign-kit/elements';
import type { EsignPlacer, EsignWebview } from '@esign-kit/elements';
import { digisignDocument, encryptRedirect, frame, frameSteps, kit, next, open, peruriOrder, type Kit } from './webview-helpers.js';

const WORKER = '/node_modules/pdfjs-dist/build/pdf.worker.min.mjs';

async function pdf(sizes: [number, number][] = [[595, 842]], mutate?: (doc: PDFDocument) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const [i, size] of sizes.entries()) doc.addPage(size).drawText(`Halaman ${i + 1}`, { x: 40, y: 40, size: 12, font });
  mutate?.(doc);
  return doc.save({ useObjectStreams: false });
}

async function encrypted(): Promise<Uint8Array> {
  const plain = await pdf();
  const base64 = await executeServerCommand<string, { pdf: string; user: string; owner: string }>('esign-encrypt', {
    pdf: btoa(String.fromCharCode(...plain)),
    user: 'rahasia',
    owner: 'pemilik',
  });
  return Uint8Array.from(atob(base64!), (c) => c.charCodeAt(0));
}

/** Uncaught errors and rejections on the page while a case runs. */
function watchUncaught(): { errors: string[]; stop: () => void } {
  const errors: string[] = [];
  const onError = (e: ErrorEvent) => errors.push(`error: ${e.message}`);
  const onRejection = (e: PromiseRejectionEvent) => errors.push(`unhandled rejection: ${String((e.reason as Error)?.message ?? e.reason)}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return { errors, stop: () => (window.removeEventListener('error', onError), window.removeEventListener('unhandledrejection', onRejection)) };
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

// ── <esign-placer> ──────────────────────────────────────────────────────────────────────────────────

interface PlacerCase {
  name: string;
  provider?: string;
  /** Gives the element its input (after it is attached); `ready` = a plain one-page A4 PDF first. */
  input: (el: EsignPlacer) => Promise<void> | void;
  /** Loaded first (and awaited) for the box and inspector cases. */
  ready?: [number, number][];
  expect:
    /** An `esign-error`; `invalid`: the element is also invalid, with a message matching it. */
    | { event: string; status?: number; field?: string; invalid?: RegExp }
    | { ready: true; pageCount: number }
    /** A box the provider cannot take: the core's code and field, the element invalid, the box left out of `value`. */
    | { box: { code: string; field: string } }
    /** A value typed into the inspector: refused, with the field named and the reason shown. */
    | { inspector: { field: string; message: RegExp } };
}

/** The provider's verdict on a list of boxes: what `value` (toProviderList) refuses, with code and field. */
function issuesOf(boxes: PlacedBox[], sizes: [number, number][], provider: string): CoordinateIssue[] {
  try {
    toProviderList(
      boxes,
      sizes.map(([w, h]) => pageGeometry({ mediaBox: [0, 0, w, h] })),
      resolveProfile(provider as ProfileId),
    );
    return [];
  } catch (e) {
    if (e instanceof CoordinateError) return [...e.issues];
    throw e;
  }
}

const A4: [number, number][] = [[595, 842]];
const box = (b: Partial<PlacedBox>): PlacedBox => ({ id: 'b1', page: 1, x: 100, y: 100, width: 150, height: 60, ...b });

const typeInto = async (el: EsignPlacer, field: string, value: string) => {
  el.addBox({ page: 1, x: 100, y: 100, width: 100, height: 50 });
  await el.updateComplete;
  const input = el.shadowRoot!.querySelector<HTMLInputElement>(`.inspector input[name="${field}"]`)!;
  input.value = value;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
};

const PLACER_CASES: PlacerCase[] = [
  // Files
  { name: 'data: not a PDF', input: (el) => void (el.data = new TextEncoder().encode('<html>bukan PDF</html>')), expect: { event: 'invalid-pdf' } },
  { name: 'data: an empty file', input: (el) => void (el.data = new Uint8Array(0)), expect: { event: 'invalid-pdf' } },
  {
    name: 'data: a JPEG Blob',
    input: (el) => void (el.data = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(200).fill(7)])], { type: 'image/jpeg' })),
    expect: { event: 'invalid-pdf' },
  },
  { name: 'data: a truncated PDF', input: async (el) => void (el.data = (await pdf()).slice(0, 60)), expect: { event: 'invalid-pdf' } },
  {
    name: 'data: the first half of a PDF',
    input: async (el) => {
      const b = await pdf();
      el.data = b.slice(0, Math.floor(b.length / 2));
    },
    expect: { event: 'invalid-pdf' },
  },
  { name: 'data: encrypted, no password', input: async (el) => void (el.data = await encrypted()), expect: { event: 'password-required' } },
  {
    name: 'data: encrypted, a wrong password',
    input: async (el) => {
      el.password = 'salah';
      el.data = await encrypted();
    },
    expect: { event: 'password-incorrect' },
  },
  {
    name: 'data: a page tree announcing 10 000 pages (holds 1): the pages really there',
    input: async (el) => void (el.data = await pdf(A4, (doc) => doc.catalog.Pages().set(PDFName.of('Count'), PDFNumber.of(10000)))),
    expect: { ready: true, pageCount: 1 },
  },
  { name: 'src: an HTML page', input: (el) => void (el.src = '/'), expect: { event: 'invalid-pdf' } },
  { name: 'src: HTTP 404', input: (el) => void (el.src = '/no-such-file.pdf'), expect: { event: 'http-error', status: 404 } },
  { name: 'src: a host that does not answer', input: (el) => void (el.src = 'http://127.0.0.1:9/contract.pdf'), expect: { event: 'network-error' } },
  {
    name: 'provider: unknown',
    provider: 'docusign',
    input: async (el) => void (el.data = await pdf()),
    expect: { event: 'invalid-provider', invalid: /Unknown provider/ },
  },
  {
    name: 'profile: an unknown origin',
    ready: A4,
    input: (el) => {
      el.boxes = [box({})];
      el.profile = { origin: 'middle' } as unknown as EsignPlacer['profile'];
    },
    expect: { event: 'invalid-profile', field: 'origin', invalid: /origin must be one of/ },
  },

  // Boxes set through the property (the element keeps them, marks itself invalid and leaves them out of `value`)
  { name: 'box: page 0', ready: A4, input: (el) => void (el.boxes = [box({ page: 0 })]), expect: { box: { code: 'page-out-of-range', field: 'page' } } },
  {
    name: 'box: page past the end',
    ready: A4,
    input: (el) => void (el.boxes = [box({ page: 2 })]),
    expect: { box: { code: 'page-out-of-range', field: 'page' } },
  },
  {
    name: 'box: a fractional page',
    ready: [
      [595, 842],
      [595, 842],
    ],
    input: (el) => void (el.boxes = [box({ page: 1.5 })]),
    expect: { box: { code: 'page-out-of-range', field: 'page' } },
  },
  {
    name: 'box: negative width',
    ready: A4,
    input: (el) => void (el.boxes = [box({ width: -150 })]),
    expect: { box: { code: 'size-not-positive', field: 'width' } },
  },
  {
    name: 'box: zero height',
    ready: A4,
    input: (el) => void (el.boxes = [box({ height: 0 })]),
    expect: { box: { code: 'size-not-positive', field: 'height' } },
  },
  {
    name: 'box: smaller than 10 pt',
    ready: A4,
    input: (el) => void (el.boxes = [box({ width: 5 })]),
    expect: { box: { code: 'size-too-small', field: 'width' } },
  },
  {
    name: 'box: outside the page (right)',
    ready: A4,
    input: (el) => void (el.boxes = [box({ x: 500 })]),
    expect: { box: { code: 'box-outside-page', field: 'width' } },
  },
  {
    name: 'box: outside the page (below)',
    ready: A4,
    input: (el) => void (el.boxes = [box({ y: -20 })]),
    expect: { box: { code: 'box-outside-page', field: 'y' } },
  },
  { name: 'box: NaN', ready: A4, input: (el) => void (el.boxes = [box({ x: Number.NaN })]), expect: { box: { code: 'not-finite', field: 'x' } } },
  {
    name: 'box: Infinity',
    ready: A4,
    input: (el) => void (el.boxes = [box({ height: Number.POSITIVE_INFINITY })]),
    expect: { box: { code: 'not-finite', field: 'height' } },
  },
  {
    name: 'box: a string where a number goes',
    ready: A4,
    input: (el) => void (el.boxes = [box({ x: '100' as unknown as number })]),
    expect: { box: { code: 'not-finite', field: 'x' } },
  },
  {
    name: 'boxes: overlapping Digisign boxes',
    provider: 'digisign',
    ready: A4,
    input: (el) => void (el.boxes = [box({}), box({ id: 'b2', x: 150 })]),
    expect: { box: { code: 'overlap', field: 'boxes' } },
  },
  {
    name: 'box: BSrE cloud on a middle page',
    provider: 'bsre-cloud',
    ready: [
      [595, 842],
      [595, 842],
      [595, 842],
    ],
    input: (el) => void (el.boxes = [box({ page: 2 })]),
    expect: { box: { code: 'page-not-first-or-last', field: 'page' } },
  },
  {
    name: 'box: Peruri, a coordinate of 4 characters',
    ready: [[2000, 2000]],
    input: (el) => void (el.boxes = [box({ x: 1500 })]),
    expect: { box: { code: 'value-too-large', field: 'lowerLeftX' } },
  },

  // Values typed into the inspector, in the provider's own fields
  {
    name: 'inspector: Peruri decimal coordinates',
    ready: A4,
    input: (el) => typeInto(el, 'upperRightX', '250.5'),
    expect: { inspector: { field: 'upperRightX', message: /whole number.*4012/ } },
  },
  {
    name: 'inspector: Digisign with 3 decimals',
    provider: 'digisign',
    ready: A4,
    input: (el) => typeInto(el, 'llx', '100.125'),
    expect: { inspector: { field: 'llx', message: /3 decimals/ } },
  },
  {
    name: 'inspector: not a number',
    ready: A4,
    input: (el) => typeInto(el, 'lowerLeftY', 'seratus'),
    expect: { inspector: { field: 'lowerLeftY', message: /must be a number/ } },
  },
  {
    name: 'inspector: past the page',
    ready: A4,
    input: (el) => typeInto(el, 'upperRightX', '900'),
    expect: { inspector: { field: 'upperRightX', message: /does not fit/ } },
  },
  {
    name: 'inspector: below the page',
    ready: A4,
    input: (el) => typeInto(el, 'lowerLeftY', '-20'),
    expect: { inspector: { field: 'lowerLeftY', message: /does not fit/ } },
  },
  {
    name: 'inspector: a page that does not exist',
    ready: A4,
    input: (el) => typeInto(el, 'page', '7'),
    expect: { inspector: { field: 'page', message: /page 7 does not exist/i } },
  },
];

describe('<esign-placer> bad input (one table)', function () {
  this.timeout(30000);
  it(`holds the element cases (${PLACER_CASES.length})`, () => {
    expect(PLACER_CASES.length).to.be.at.least(25);
  });

  for (const c of PLACER_CASES) {
    it(c.name, async function () {
      const uncaught = watchUncaught();
      try {
        const el = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER} style="--esign-placer-height: 400px; width: 640px"></esign-placer>`);
        const errors: { code: string; status?: number; field?: string }[] = [];
        el.addEventListener('esign-error', (e) => errors.push(e.detail));
        if (c.provider) el.provider = c.provider as ProfileId;
        if (c.ready) {
          const ready = oneEvent(el, 'esign-ready');
          el.data = await pdf(c.ready);
          await ready;
        }
        const e = c.expect;
        if ('event' in e) {
          const outcome = Promise.race([
            oneEvent(el, 'esign-error').then((ev) => ev.detail),
            oneEvent(el, 'esign-ready').then(() => ({ code: 'ready' })),
            settle(2000).then(() => ({ code: 'nothing within 2 s' })),
          ]);
          await c.input(el);
          const detail = errors[0] ?? (await outcome);
          expect(detail.code).to.equal(e.event);
          if (e.status !== undefined) expect(detail.status).to.equal(e.status);
          if (e.field !== undefined) expect((detail as { field?: string }).field).to.equal(e.field);
          expect((detail as { message?: string }).message ?? '')
            .to.be.a('string')
            .and.not.equal('');
          await el.updateComplete;
          // Shown inside the element too.
          expect(el.shadowRoot!.querySelector('[part="status"]')!.textContent!.trim()).to.not.equal('');
          if (e.invalid) {
            expect(el.validity.customError).to.equal(true);
            expect(el.validationMessage).to.match(e.invalid);
            expect(el.value).to.deep.equal([]);
            // Reported once, not again on every update.
            el.requestUpdate();
            await el.updateComplete;
            expect(errors.map((x) => x.code)).to.deep.equal([e.event]);
          }
        } else if ('ready' in e) {
          const ready = oneEvent(el, 'esign-ready');
          await c.input(el);
          expect((await ready).detail.pageCount).to.equal(e.pageCount);
          await settle(500);
          expect(errors.map((x) => x.code)).to.deep.equal([]);
        } else if ('box' in e) {
          await c.input(el);
          await el.updateComplete;
          await settle(100);
          // The provider's verdict on the boxes the element holds: the code and field expected …
          const issues = issuesOf(el.boxes, c.ready!, c.provider ?? 'peruri');
          expect(issues.map((i) => [i.code, i.field])[0]).to.deep.equal([e.box.code, e.box.field]);
          // … is the element's own: it is invalid with that message (a form will not submit it), and a box the
          // provider cannot take on its own is not in `value`.
          expect(el.validity.valid, 'the element is invalid').to.equal(false);
          expect(el.validity.customError).to.equal(true);
          expect(el.validationMessage).to.contain(issues[0]!.messages.en);
          expect(el.checkValidity()).to.equal(false);
          if (issues[0]!.code !== 'overlap') expect(el.value.length).to.be.below(el.boxes.length);
          // It said so once, with esign-error naming the box (its index in `boxes`) and the field.
          const { index, field } = issues[0]!;
          expect(errors.map((x) => [x.code, x.field])).to.deep.equal([[e.box.code, field === 'boxes' ? `boxes.${index}` : `boxes.${index}.${field}`]]);
        } else {
          await c.input(el);
          const shown = el.shadowRoot!.querySelector('.inspector-error')?.textContent ?? '';
          expect(shown.startsWith(`${e.inspector.field}: `), shown).to.equal(true);
          expect(shown).to.match(e.inspector.message);
          // The refused value changed nothing.
          expect(el.boxes[0]).to.include({ page: 1, x: 100, y: 100, width: 100, height: 50 });
        }
        // Still usable afterwards, and nothing escaped.
        await settle(100);
        expect(uncaught.errors).to.deep.equal([]);
      } finally {
        uncaught.stop();
      }
    });
  }
});

// ── <esign-webview>: forged messages the other suites do not send ──────────────────────────────────

describe('<esign-webview> ignores oversized and script-bearing messages; the landing never posts to "*"', function () {
  this.timeout(90000);
  let k: Kit;
  before(async () => {
    k = await kit();
  });
  afterEach(() => {
    for (const el of document.querySelectorAll('esign-webview, iframe.hardening')) el.remove();
    delete (window as unknown as { __pwned?: unknown }).__pwned;
  });

  const debugOf = (el: EsignWebview) => {
    const reasons: string[] = [];
    el.addEventListener('esign-debug', (e) => reasons.push(`${e.detail.reason}@${e.detail.origin}`));
    return reasons;
  };

  it('Peruri: an oversized message from its own frame and origin is refused before parsing (too-large)', async () => {
    const orderId = await peruriOrder(k, 'siti@peruri.sandbox.test');
    const el = await open({ provider: 'peruri', flow: 'sign', 'order-id': orderId, server: k.base, token: k.token });
    const reasons = debugOf(el);
    let completed = false;
    el.addEventListener('esign-complete', () => (completed = true));
    // A well-formed success, padded past the bridge's 16 KB limit.
    await frame(el, [{ evaluate: `parent.postMessage({ func: 'signDocument', message: { resultCode: '0', resultDesc: 'x'.repeat(20000) } }, '*'); true` }]);
    await frame(el, [
      { evaluate: `parent.postMessage(JSON.stringify({ func: 'signDocument', message: { resultCode: '0' } }) + ' '.repeat(17000), '*'); true` },
    ]);
    for (let i = 0; i < 30 && reasons.filter((r) => r.startsWith('too-large')).length < 2; i++) await settle(100);
    expect(reasons).to.deep.equal([`too-large@${k.webViewBase}`, `too-large@${k.webViewBase}`]);
    expect(completed).to.equal(false);
    expect(el.status).to.equal('open');
  });

  it('Peruri: script-bearing messages are parsed, never executed, and provider text is shown as text', async () => {
    const orderId = await peruriOrder(k, 'rina@peruri.sandbox.test');
    const el = await open({ provider: 'peruri', flow: 'sign', 'order-id': orderId, server: k.base, token: k.token });
    const reasons = debugOf(el);
    const uncaught = watchUncaught();
    const called: string[] = [];
    // What Peruri's sample handler would do: call the global function the message names.
    (window as unknown as Record<string, unknown>).signDocument = () => called.push('signDocument');
    try {
      await frame(el, [
        // Code as the function name, a string of HTML instead of an object, a prototype-polluting key.
        { evaluate: `parent.postMessage({ func: 'alert(document.cookie)', message: { resultCode: '0' } }, '*'); true` },
        { evaluate: `parent.postMessage('<img src=x onerror="window.__pwned=1">', '*'); true` },
        { evaluate: `parent.postMessage({ func: 'signDocument', message: '{"__proto__": {"polluted": true}, "resultCode": {"toString": 1}}' }, '*'); true` },
      ]);
      for (let i = 0; i < 30 && reasons.length < 3; i++) await settle(100);
      expect(reasons.map((r) => r.split('@')[0])).to.deep.equal(['bad-field', 'not-an-object', 'missing-field']);
      expect(el.status).to.equal('open');
      // A refusal whose text carries markup: an error, its text shown as text.
      const error = next(el, 'esign-error');
      await frame(el, [
        {
          evaluate: `parent.postMessage({ func: 'signDocument', message: { resultCode: '5', resultDesc: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>OTP salah' } }, '*'); true`,
        },
      ]);
      const detail = await error;
      expect(detail.code).to.equal('provider-error');
      expect(detail.providerCode).to.equal('5');
      await el.updateComplete;
      await settle(300);
      const status = el.shadowRoot!.querySelector('[part="status"]')!;
      expect(status.textContent).to.contain('<img src=x onerror="window.__pwned=1">');
      expect(el.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
      expect((window as unknown as { __pwned?: unknown }).__pwned).to.equal(undefined);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(called).to.deep.equal([]);
      expect(uncaught.errors).to.deep.equal([]);
    } finally {
      uncaught.stop();
      delete (window as unknown as Record<string, unknown>).signDocument;
    }
  });

  it('Digisign: an oversized landing message from the server origin on the right channel is refused (too-large)', async () => {
    const documentId = await digisignDocument(k, 'eko@digisign.sandbox.test', 'Eko Saputra');
    const el = await open({
      provider: 'digisign',
      flow: 'sign',
      'document-id': documentId,
      email: 'eko@digisign.sandbox.test',
      server: k.base,
      token: k.token,
    });
    const reasons = debugOf(el);
    let completed = false;
    el.addEventListener('esign-complete', () => (completed = true));
    const channel = el.frame!.name.slice('esign-kit:'.length);
    // The element's own frame, moved to the server's origin (a landing page without a channel in the window's
    // name, so it posts nothing itself), then posting a padded message on the element's channel.
    await frame(el, [{ evaluate: `window.name = 'no-channel'; location.href = ${JSON.stringify(`${k.base}/callback/digisign/activation`)}; true` }]);
    await frame(el, [{ waitForText: 'no msg' }]);
    const landing = {
      type: 'esign-kit/callback',
      version: 1,
      channel,
      provider: 'digisign',
      flow: 'sign',
      ok: true,
      providerCode: '00',
      providerMessage: 'x'.repeat(20000),
      result: { documentId },
    };
    await frame(el, [{ evaluate: `parent.postMessage(${JSON.stringify(landing)}, '*'); true` }]);
    for (let i = 0; i < 30 && !reasons.length; i++) await settle(100);
    expect(reasons).to.deep.equal([`too-large@${k.base}`]);
    expect(completed).to.equal(false);
  });

  it('the landing page posts only to PORTAL_ORIGINS: framed from another origin, nothing is delivered', async () => {
    const channel = 'A'.repeat(22);
    const msg = await encryptRedirect({ result: '00', email_user: 'dewi@digisign.sandbox.test' });
    const landingUrl = `${k.base}/callback/digisign/activation?msg=${msg}`;
    // 1. Framed by this page (a portal origin): delivered, once, to this origin.
    const heard: { origin: string; data: unknown }[] = [];
    const listen = (e: MessageEvent) => heard.push({ origin: e.origin, data: e.data });
    window.addEventListener('message', listen);
    try {
      const direct = document.createElement('iframe');
      direct.className = 'hardening';
      direct.name = `esign-kit:${channel}`;
      direct.src = landingUrl;
      document.body.append(direct);
      for (let i = 0; i < 50 && !heard.length; i++) await settle(100);
      expect(heard.length).to.equal(1);
      expect(heard[0]!.origin).to.equal(k.base);
      expect(heard[0]!.data).to.deep.include({ type: 'esign-kit/callback', channel, ok: true });
      // 1b. Opened as a popup by this page: delivered to its opener (the mechanism the next step relies on works).
      heard.length = 0;
      const popup = window.open(landingUrl, `esign-kit:${'B'.repeat(22)}`);
      expect(popup, 'popups are allowed').to.not.equal(null);
      for (let i = 0; i < 50 && !heard.length; i++) await settle(100);
      expect(heard.map((h) => (h.data as { channel?: string }).channel)).to.deep.equal(['B'.repeat(22)]);
      // 2. Opened by a page of another origin (the sandbox web views', not a portal) as a popup carrying the
      //    channel: the landing posts to its opener, which hears nothing, as it would if the page posted to "*".
      //    (A frame would not do: the landing's frame-ancestors already refuse to load under that origin.)
      const outer = document.createElement('iframe');
      outer.className = 'hardening';
      outer.name = 'hardening-outer';
      outer.src = `${k.webViewBase}/no-such-page`;
      document.body.append(outer);
      await new Promise((r) => outer.addEventListener('load', r, { once: true }));
      const [count] = (await frameSteps('hardening-outer', [
        {
          evaluate: `new Promise((resolve) => {
              let n = 0;
              addEventListener('message', () => n++);
              const popup = window.open(${JSON.stringify(landingUrl)}, ${JSON.stringify(`esign-kit:${channel}`)});
              if (!popup) return resolve(-1);
              setTimeout(() => resolve(n), 2500);
            })`,
        },
      ])) as [number];
      expect(count).to.equal(0);
    } finally {
      window.removeEventListener('message', listen);
    }
  });
});
