// Issue #18, as a new user meets it: the portal's CSS decides the element's display (`display: block;
// height: 600px` is the common case), and the element must keep working — its own scroller limited to the
// height it was given, scrollToPage(), lazy rendering of a 300-page PDF — whatever that display is. And
// selecting a box must not move the pages by even one pixel.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import '@esign-kit/elements';
import type { EsignPlacer } from '@esign-kit/elements';
import { LAYOUTS, LAYOUT_HEIGHT, boxOf, frames, mountIn, pageOf, scrollerOf, unmountAll } from './placer-helpers.js';

let long: Uint8Array | undefined;
/** 300 A4 pages, each numbered. */
async function longPdf(): Promise<Uint8Array> {
  if (long) return long;
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= 300; n++) doc.addPage([595, 842]).drawText(`Halaman ${n}`, { x: 60, y: 760, size: 24, font });
  long = await doc.save();
  return long;
}

async function open(element: EsignPlacer, data: Uint8Array): Promise<EsignPlacer> {
  const ready = oneEvent(element, 'esign-ready');
  element.data = data;
  await ready;
  await element.updateComplete;
  return element;
}

const pageRects = (element: EsignPlacer) =>
  [...element.shadowRoot!.querySelectorAll<HTMLElement>('.page')].map((p) => {
    const r = p.getBoundingClientRect();
    return [r.left, r.top, r.width, r.height];
  });

afterEach(unmountAll);

for (const layout of LAYOUTS) {
  describe(`<esign-placer> as ${layout}`, function () {
    this.timeout(120000);

    it('keeps its height, scrolls inside it, goes to a page, and draws at most 8 pages while 300 go by', async () => {
      const element = await open(mountIn(layout, { zoom: '0.5' }), await longPdf());
      const host = element.getBoundingClientRect();
      const scroller = scrollerOf(element);
      const view = scroller.getBoundingClientRect();
      expect(Math.abs(host.height - LAYOUT_HEIGHT), `the element is ${host.height} px high`).to.be.at.most(1);
      // The scroller is limited to the element: its content scrolls inside it instead of overflowing.
      expect(view.bottom).to.be.at.most(host.bottom + 0.5);
      expect(scroller.clientHeight).to.be.greaterThan(200);
      expect(scroller.scrollHeight).to.be.greaterThan(100 * scroller.clientHeight);

      element.scrollToPage(150);
      await frames();
      const top = pageOf(element, 150).getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      expect(top, 'page 150 is not at the top of the view').to.be.within(0, 20);
      await waitUntil(() => element.currentPage === 150, `the page in view is ${element.currentPage}`);
      const input = element.shadowRoot!.querySelector<HTMLInputElement>('.page-input')!;
      await element.updateComplete;
      expect(input.value).to.equal('150');
      expect(element.shadowRoot!.querySelector('.page-count')!.textContent).to.equal('/ 300');

      // A typed page.
      input.value = '42';
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await frames();
      expect(pageOf(element, 42).getBoundingClientRect().top - scroller.getBoundingClientRect().top).to.be.within(0, 20);
      // Nonsense is refused and the page in view shown again.
      input.value = '999';
      input.dispatchEvent(new Event('change', { bubbles: true }));
      expect(input.value).to.not.equal('999');

      // Every page passes through the view (two screens a step: pages a screen above and below are "near").
      scroller.scrollTop = 0;
      let most = 0;
      for (let y = 0; y <= scroller.scrollHeight; y += 2 * scroller.clientHeight) {
        scroller.scrollTop = y;
        await frames();
        most = Math.max(most, element.liveCanvases);
      }
      await waitUntil(() => pageOf(element, 300).querySelector('canvas') !== null, 'the last page was never drawn');
      await new Promise((r) => setTimeout(r, 300));
      most = Math.max(most, element.liveCanvases);
      expect(most, 'live canvases').to.be.at.most(8);
      expect(element.liveCanvases).to.be.at.most(8);
      expect(element.renderCount).to.be.greaterThan(100);
    });
  });
}

describe('<esign-placer> never moves the pages under the pointer', function () {
  this.timeout(60000);

  async function threePages(provider = 'peruri'): Promise<EsignPlacer> {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 3; i++) doc.addPage([595, 842]);
    return open(mountIn('display:block', { zoom: '1', provider }), await doc.save());
  }

  it('selecting a box (mouse, keyboard) opens the inspector over the pages, which stay put to the pixel', async () => {
    const element = await threePages();
    const id = element.addBox({ page: 1, x: 100, y: 600, width: 150, height: 60 });
    // Both in view, in the window too (focus would otherwise scroll the window, as for any focused element).
    const other = element.addBox({ page: 1, x: 300, y: 700, width: 150, height: 60 });
    await element.updateComplete;
    // Nothing selected to begin with: a click on the page, away from the boxes.
    const p = pageOf(element, 1).getBoundingClientRect();
    await executeServerCommand('esign-drag', {
      from: [Math.round(p.left + 40), Math.round(p.top + 40)],
      to: [Math.round(p.left + 40), Math.round(p.top + 40)],
      steps: 1,
    });
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('.inspector')).to.equal(null);
    const scroller = scrollerOf(element);
    const before = { pages: pageRects(element), scroll: [scroller.scrollLeft, scroller.scrollTop] };

    // A click on the box: real mouse input.
    const r = boxOf(element, id).getBoundingClientRect();
    const at = [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
    await executeServerCommand('esign-drag', { from: at, to: at, steps: 1 });
    await element.updateComplete;
    await frames();
    const inspector = element.shadowRoot!.querySelector<HTMLElement>('.inspector');
    expect(inspector, 'no inspector').to.exist;
    expect(inspector!.getBoundingClientRect().height).to.be.greaterThan(0);
    expect(pageRects(element)).to.deep.equal(before.pages);
    expect([scroller.scrollLeft, scroller.scrollTop]).to.deep.equal(before.scroll);
    // The inspector floats clear of the selected box.
    const i = inspector!.getBoundingClientRect();
    const b = boxOf(element, id).getBoundingClientRect();
    expect(i.bottom <= b.top || i.top >= b.bottom || i.right <= b.left || i.left >= b.right, 'the inspector covers the selected box').to.be.true;

    // The keyboard: Tab to the other box.
    boxOf(element, other).focus();
    await element.updateComplete;
    await frames();
    expect(pageRects(element)).to.deep.equal(before.pages);
    expect([scroller.scrollLeft, scroller.scrollTop]).to.deep.equal(before.scroll);
  });

  it('a problem shown while boxes are placed (overlapping Digisign boxes) floats too', async () => {
    const element = await threePages('digisign');
    element.addBox({ page: 1, x: 100, y: 600, width: 150, height: 60 });
    await element.updateComplete;
    await frames();
    const before = pageRects(element);
    element.addBox({ page: 1, x: 120, y: 620, width: 150, height: 60 });
    await element.updateComplete;
    await frames();
    expect(element.shadowRoot!.querySelector('[part="status"]')!.textContent).to.match(/overlap/);
    expect(pageRects(element)).to.deep.equal(before);
  });
});
