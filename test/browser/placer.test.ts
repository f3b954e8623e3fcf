// <esign-placer> in Chromium: API, events, form association, keyboard and bad input.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { executeServerCommand } from '@web/test-runner-commands';
import '@esign-kit/elements';
import type { EsignPlacer } from '@esign-kit/elements';
import { classifyPdfError } from '../../packages/elements/src/placer/pdf.js';

const WORKER = '/node_modules/pdfjs-dist/build/pdf.worker.min.mjs';

async function pdfWithPages(sizes: [number, number][], text?: { page: number; x: number; y: number; str: string }[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const size of sizes) doc.addPage(size);
  for (const t of text ?? []) doc.getPage(t.page - 1).drawText(t.str, { x: t.x, y: t.y, size: 12, font });
  return doc.save();
}

async function placer(data: Uint8Array, attributes: Partial<EsignPlacer> = {}): Promise<EsignPlacer> {
  const element = await fixture<EsignPlacer>(
    html`<esign-placer worker-src=${WORKER} provider="peruri" style="--esign-placer-height: 500px; width: 700px"></esign-placer>`,
  );
  Object.assign(element, attributes);
  const ready = oneEvent(element, 'esign-ready');
  element.data = data;
  await ready;
  return element;
}

describe('<esign-placer>', () => {
  it('opens a PDF from data and announces its pages', async () => {
    const element = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER}></esign-placer>`);
    const ready = oneEvent(element, 'esign-ready');
    element.data = await pdfWithPages([
      [595, 842],
      [842, 595],
    ]);
    const { detail } = await ready;
    expect(detail.pageCount).to.equal(2);
    expect(detail.pages).to.deep.equal([
      { width: 595, height: 842, rotate: 0, userUnit: 1 },
      { width: 842, height: 595, rotate: 0, userUnit: 1 },
    ]);
    await waitUntil(() => element.liveCanvases > 0, 'no page was drawn');
  });

  it("opens a PDF from src, and keeps the caller's buffer usable", async () => {
    const bytes = await pdfWithPages([[300, 400]]);
    const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/pdf' }));
    const element = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER} src=${url}></esign-placer>`);
    const { detail } = await oneEvent(element, 'esign-ready');
    expect(detail.pageCount).to.equal(1);
    const data = await pdfWithPages([[200, 200]]);
    const again = await placer(data);
    expect(again.pageCount).to.equal(1);
    expect(data.byteLength).to.be.greaterThan(0);
  });

  it('adds, converts and removes boxes, firing esign-change with the provider value', async () => {
    const element = await placer(
      await pdfWithPages([
        [595, 842],
        [595, 842],
      ]),
    );
    const change = oneEvent(element, 'esign-change');
    const id = element.addBox({ page: 2, x: 454, y: 45, width: 75, height: 71 });
    const { detail } = await change;
    expect(detail.boxes).to.have.length(1);
    expect(detail.value).to.deep.equal([{ page: '2', lowerLeftX: '454', lowerLeftY: '45', upperRightX: '529', upperRightY: '116' }]);
    expect(element.value).to.deep.equal(detail.value);
    element.provider = 'bsre-v2';
    await element.updateComplete;
    expect(element.value).to.deep.equal([{ page: 2, originX: 454, originY: 726, width: 75, height: 71 }]);
    element.profile = { origin: 'bottom-left' };
    await element.updateComplete;
    expect(element.value).to.deep.equal([{ page: 2, originX: 454, originY: 45, width: 75, height: 71 }]);
    element.removeBox(id);
    expect(element.boxes).to.deep.equal([]);
  });

  it('takes boxes as a property and gives copies back', async () => {
    const element = await placer(await pdfWithPages([[595, 842]]));
    element.boxes = [{ id: 'a', page: 1, x: 10, y: 20, width: 100, height: 50, label: 'Kepala Dinas', signer: 'x@example.go.id' }];
    await element.updateComplete;
    const boxes = element.boxes;
    boxes[0]!.x = 999;
    expect(element.boxes[0]!.x).to.equal(10);
    expect(element.boxes[0]!.label).to.equal('Kepala Dinas');
    const box = element.shadowRoot!.querySelector<HTMLElement>('.box[data-id="a"]')!;
    expect(box.getAttribute('aria-label')).to.contain('Kepala Dinas');
  });

  it('is a form control: value as JSON, required, min/max boxes, reset', async () => {
    const form = await fixture<HTMLFormElement>(html`<form>
      <esign-placer worker-src=${WORKER} name="signature" provider="digisign" required max-boxes="1"></esign-placer>
    </form>`);
    const element = form.querySelector('esign-placer')!;
    const ready = oneEvent(element, 'esign-ready');
    element.data = await pdfWithPages([[595, 842]]);
    await ready;
    expect(form.checkValidity()).to.be.false;
    expect(element.validity.valueMissing).to.be.true;
    expect(element.validationMessage).to.match(/at least one/);
    const validWhenFired = oneEvent(element, 'esign-change').then(() => element.checkValidity());
    element.addBox({ x: 100, y: 100, width: 100, height: 50 });
    expect(await validWhenFired, 'validity is current when esign-change fires').to.be.true;
    await element.updateComplete;
    expect(form.checkValidity()).to.be.true;
    expect(JSON.parse(new FormData(form).get('signature') as string)).to.deep.equal([{ page: '1', llx: '100', lly: '100', urx: '200', ury: '150' }]);
    element.addBox({ x: 300, y: 300, width: 100, height: 50 });
    await element.updateComplete;
    expect(element.validity.rangeOverflow).to.be.true;
    form.reset();
    await element.updateComplete;
    expect(element.boxes).to.deep.equal([]);
    expect(element.validity.valueMissing).to.be.true;
  });

  it('flags overlapping Digisign boxes as invalid', async () => {
    const element = await placer(await pdfWithPages([[595, 842]]), { provider: 'digisign' });
    element.addBox({ x: 100, y: 100, width: 100, height: 50 });
    element.addBox({ x: 150, y: 120, width: 100, height: 50 });
    await element.updateComplete;
    expect(element.validity.customError).to.be.true;
    expect(element.validationMessage).to.match(/overlap/);
  });

  it('names the box and field of a box the provider refuses, in esign-error and validity', async () => {
    const element = await placer(await pdfWithPages([[595, 842]]));
    const errors: { code: string; field?: string; message: string }[] = [];
    element.addEventListener('esign-error', (e) => errors.push(e.detail));
    element.boxes = [
      { id: 'a', page: 1, x: 100, y: 100, width: 100, height: 50 },
      { id: 'b', page: 1, x: 500, y: 100, width: 150, height: 50 },
    ];
    await element.updateComplete;
    expect(errors.map((e) => [e.code, e.field])).to.deep.equal([['box-outside-page', 'boxes.1.width']]);
    expect(element.validity.customError).to.be.true;
    expect(element.validationMessage).to.equal(errors[0]!.message);
    expect(element.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('does not fit');
    element.boxes = [element.boxes[0]!];
    await element.updateComplete;
    expect(element.validity.valid).to.be.true;
    expect(element.shadowRoot!.querySelector('[part="status"]')).to.equal(null);
    expect(errors).to.have.length(1);
  });

  it('refuses Peruri coordinates of four digits: the element is invalid, not an empty value that submits', async () => {
    const form = await fixture<HTMLFormElement>(html`<form>
      <esign-placer worker-src=${WORKER} name="signature" provider="peruri" style="--esign-placer-height: 500px; width: 700px"></esign-placer>
    </form>`);
    const element = form.querySelector('esign-placer')!;
    const ready = oneEvent(element, 'esign-ready');
    element.data = await pdfWithPages([[1200, 842]]);
    await ready;
    const error = oneEvent(element, 'esign-error');
    element.addBox({ x: 1000, y: 100, width: 100, height: 50 });
    expect((await error).detail).to.deep.include({ code: 'value-too-large', field: 'boxes.0.lowerLeftX' });
    expect(element.value).to.deep.equal([]);
    expect(form.checkValidity()).to.be.false;
    expect(element.validationMessage).to.match(/lowerLeftX "1000" is longer than the 3 characters/);
    element.boxes = [{ ...element.boxes[0]!, x: 899 }];
    await element.updateComplete;
    expect(form.checkValidity()).to.be.true;
    expect(element.value).to.have.length(1);
  });

  it('an invalid profile override: esign-error once, invalid until it is corrected', async () => {
    const element = await placer(await pdfWithPages([[595, 842]]));
    element.addBox({ x: 100, y: 100, width: 100, height: 50 });
    const errors: { code: string; field?: string }[] = [];
    element.addEventListener('esign-error', (e) => errors.push(e.detail));
    element.profile = { rounding: 'up' } as unknown as EsignPlacer['profile'];
    await element.updateComplete;
    element.addBox({ x: 300, y: 300, width: 100, height: 50 });
    await element.updateComplete;
    expect(errors.map((e) => [e.code, e.field])).to.deep.equal([['invalid-profile', 'rounding']]);
    expect(element.value).to.deep.equal([]);
    expect(element.validity.customError).to.be.true;
    expect(element.validationMessage).to.match(/profile is not valid: rounding must be one of nearest, outward, inward/);
    // A valid override for one provider may not be for another: Peruri takes no decimals.
    element.profile = { decimals: 2 };
    await element.updateComplete;
    expect(errors.map((e) => [e.code, e.field])).to.deep.equal([
      ['invalid-profile', 'rounding'],
      ['invalid-profile', 'decimals'],
    ]);
    element.provider = 'digisign';
    await element.updateComplete;
    expect(element.validity.valid).to.be.true;
    expect(element.value).to.have.length(2);
    expect(errors).to.have.length(2);
  });

  it('moves with arrow keys (1 pt, Shift 10 pt), resizes with Alt, removes with Delete, and announces it', async () => {
    const element = await placer(await pdfWithPages([[595, 842]]), { zoom: 1 });
    const id = element.addBox({ x: 100, y: 100, width: 100, height: 50 });
    await element.updateComplete;
    const box = () => element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"]`)!;
    box().focus();
    const key = (k: string, extra: KeyboardEventInit = {}) =>
      box().dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true, ...extra }));
    key('ArrowRight');
    key('ArrowUp', { shiftKey: true });
    await element.updateComplete;
    let b = element.boxes[0]!;
    expect([b.x, b.y, b.width, b.height]).to.deep.equal([101, 110, 100, 50]);
    key('ArrowRight', { altKey: true });
    key('ArrowDown', { altKey: true, shiftKey: true });
    await element.updateComplete;
    b = element.boxes[0]!;
    // growing downwards on screen moves the lower edge down: y decreases by 10, height grows by 10
    expect([b.x, b.y, b.width, b.height]).to.deep.equal([101, 100, 101, 60]);
    expect(element.shadowRoot!.querySelector('.live')!.textContent).to.contain('x 101 pt');
    key('Delete');
    await element.updateComplete;
    expect(element.boxes).to.have.length(0);
  });

  it('keeps boxes inside the page', async () => {
    const element = await placer(await pdfWithPages([[300, 300]]), { zoom: 1 });
    const id = element.addBox({ x: 190, y: 10, width: 100, height: 50 });
    await element.updateComplete;
    const box = element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"]`)!;
    for (let i = 0; i < 3; i++) box.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true }));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', shiftKey: true, bubbles: true }));
    await element.updateComplete;
    expect(element.boxes[0]).to.include({ x: 200, y: 0 });
  });

  it("edits a box through the inspector in the provider's own fields", async () => {
    const element = await placer(await pdfWithPages([[595, 842]]), { provider: 'peruri' });
    element.addBox({ x: 100, y: 100, width: 100, height: 50 });
    await element.updateComplete;
    const input = element.shadowRoot!.querySelector<HTMLInputElement>('.inspector input[name="lowerLeftX"]')!;
    input.value = '150';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await element.updateComplete;
    expect(element.boxes[0]).to.include({ x: 150, width: 50, y: 100, height: 50 });
    expect(element.value[0]).to.include({ lowerLeftX: '150', upperRightX: '200' });
    const bad = element.shadowRoot!.querySelector<HTMLInputElement>('.inspector input[name="upperRightX"]')!;
    bad.value = '250.5';
    bad.dispatchEvent(new Event('change', { bubbles: true }));
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('.inspector-error')!.textContent).to.match(/upperRightX.*4012/);
  });

  it('previews where a BSrE tag marker will place the specimen', async () => {
    const element = await placer(
      await pdfWithPages(
        [
          [595, 842],
          [595, 842],
        ],
        [{ page: 2, x: 300, y: 200, str: '#' }],
      ),
      { tag: '#', boxWidth: 120, boxHeight: 60 },
    );
    await waitUntil(() => element.tagMatches.length > 0, 'the tag was not found');
    const [match] = element.tagMatches;
    expect(match!.page).to.equal(2);
    expect(match!.x).to.be.closeTo(300, 0.5);
    expect(match!.y).to.be.closeTo(200, 0.5);
    expect([match!.width, match!.height]).to.deep.equal([120, 60]);
    await element.updateComplete;
    expect(element.shadowRoot!.querySelectorAll('.page[data-page="2"] .tag-preview')).to.have.length(1);
  });

  it('speaks Indonesian when the page does', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="id"><esign-placer worker-src=${WORKER}></esign-placer></div>`);
    const element = wrapper.querySelector('esign-placer')!;
    const ready = oneEvent(element, 'esign-ready');
    element.data = await pdfWithPages([[595, 842]]);
    await ready;
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('.add')!.textContent).to.equal('Tambah kotak tanda tangan');
  });

  it('shows its progress while a PDF downloads', async () => {
    const element = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER}></esign-placer>`);
    const seen: number[] = [];
    const watch = setInterval(() => {
      const bar = element.shadowRoot!.querySelector<HTMLProgressElement>('progress');
      if (bar && bar.value > 0) seen.push(bar.value);
    }, 20);
    const ready = oneEvent(element, 'esign-ready');
    element.src = '/__esign/slow.pdf';
    await ready;
    clearInterval(watch);
    expect(seen.length, 'no progress was shown').to.be.greaterThan(0);
    expect(Math.min(...seen)).to.be.lessThan(100);
    expect(element.shadowRoot!.querySelector('progress')).to.equal(null);
  });

  it('is themable through parts and custom properties, and leaks no styles', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <style>
        .themed esign-placer::part(box) { border-color: rgb(1, 2, 3); }
        .themed esign-placer { --esign-placer-background: rgb(4, 5, 6); }
      </style>
      <div class="themed"><esign-placer worker-src=${WORKER}></esign-placer></div>
      <div class="box" id="outside">not a box</div>
    </div>`);
    const element = wrapper.querySelector('esign-placer')!;
    const ready = oneEvent(element, 'esign-ready');
    element.data = await pdfWithPages([[595, 842]]);
    await ready;
    element.addBox({ x: 100, y: 100, width: 100, height: 50 });
    await element.updateComplete;
    const box = element.shadowRoot!.querySelector('.box')!;
    expect(getComputedStyle(box).borderTopColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(element.shadowRoot!.querySelector('.scroller')!).backgroundColor).to.equal('rgb(4, 5, 6)');
    expect(getComputedStyle(wrapper.querySelector('#outside')!).position).to.equal('static');
  });

  it('passes an accessibility audit with boxes placed', async () => {
    const element = await placer(await pdfWithPages([[595, 842]]));
    element.addBox({ x: 100, y: 100, width: 100, height: 50, label: 'Kepala Dinas' });
    await element.updateComplete;
    await expect(element).to.be.accessible();
  });

  describe('bad input', () => {
    it('a file that is not a PDF', async () => {
      const element = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER}></esign-placer>`);
      const error = oneEvent(element, 'esign-error');
      element.data = new TextEncoder().encode('<html>not a pdf</html>');
      const { detail } = await error;
      expect(detail.code).to.equal('invalid-pdf');
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('not a readable PDF');
    });

    it('a truncated PDF', async () => {
      const bytes = await pdfWithPages([[595, 842]]);
      const element = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER}></esign-placer>`);
      const outcome = Promise.race([oneEvent(element, 'esign-error').then((e) => e.detail.code), oneEvent(element, 'esign-ready').then(() => 'ready')]);
      element.data = bytes.slice(0, 40);
      expect(await outcome).to.equal('invalid-pdf');
    });

    it('a password-protected PDF: asks, refuses a wrong password, opens with the right one', async () => {
      const plain = await pdfWithPages([
        [595, 842],
        [595, 842],
      ]);
      const base64 = await executeServerCommand<string, { pdf: string; user: string; owner: string }>('esign-encrypt', {
        pdf: btoa(String.fromCharCode(...plain)),
        user: 'rahasia',
        owner: 'pemilik',
      });
      const encrypted = Uint8Array.from(atob(base64!), (c) => c.charCodeAt(0));
      const element = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER}></esign-placer>`);
      let error = oneEvent(element, 'esign-error');
      element.data = encrypted;
      expect((await error).detail.code).to.equal('password-required');
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('protected by a password');
      error = oneEvent(element, 'esign-error');
      element.password = 'salah';
      expect((await error).detail.code).to.equal('password-incorrect');
      // The person types the password into the element's own form.
      await element.updateComplete;
      const input = element.shadowRoot!.querySelector<HTMLInputElement>('input[type="password"]')!;
      input.value = 'rahasia';
      const ready = oneEvent(element, 'esign-ready');
      element.shadowRoot!.querySelector<HTMLFormElement>('form.password')!.requestSubmit();
      expect((await ready).detail.pageCount).to.equal(2);
    });

    it('tells a network failure from a damaged file and from an HTTP error, whatever the URL says', () => {
      // pdf.js passes a failed fetch on under the name it also gives damaged files.
      expect(classifyPdfError({ name: 'UnknownErrorException', message: 'Failed to fetch' }).code).to.equal('network-error');
      expect(classifyPdfError({ name: 'UnknownErrorException', message: 'NetworkError when attempting to fetch resource.' }).code).to.equal('network-error');
      expect(classifyPdfError({ name: 'UnknownErrorException', message: 'Unknown object type' }).code).to.equal('invalid-pdf');
      expect(
        classifyPdfError({
          name: 'ResponseException',
          status: 404,
          message: 'Unexpected server response (404) while retrieving PDF "https://x.test/failed to fetch.pdf".',
        }),
      ).to.deep.include({ code: 'http-error', status: 404 });
    });

    it('a worker-src that does not exist: worker-failed, not a document waiting for ever; a good one still works after', async () => {
      const element = await fixture<EsignPlacer>(html`<esign-placer worker-src="/no-such-worker.mjs"></esign-placer>`);
      const error = oneEvent(element, 'esign-error');
      element.data = await pdfWithPages([[595, 842]]);
      expect((await error).detail.code).to.equal('worker-failed');
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('worker-src');
      expect(element.pageCount).to.equal(0);
      const good = await placer(await pdfWithPages([[300, 300]]));
      expect(good.pageCount).to.equal(1);
    });

    it('an HTTP error for src', async () => {
      const element = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER}></esign-placer>`);
      const error = oneEvent(element, 'esign-error');
      element.src = '/does-not-exist.pdf';
      const { detail } = await error;
      expect(detail.code).to.equal('http-error');
      expect(detail.status).to.equal(404);
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('HTTP 404');
    });
  });
});
