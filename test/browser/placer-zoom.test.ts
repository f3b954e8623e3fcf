// Zoom and navigation as a document view is expected to do them, with real input in Chromium (CDP): Ctrl+wheel
// and a two-finger pinch keep the point under the pointer (the pinch centre) under it, within 1 CSS pixel —
// judged by where pdf.js draws a red target before and after, not by the element's arithmetic; zoomed past
// the width the view scrolls sideways; the toolbar's and keyboard's next box brings each box into view.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PDFDocument, rgb } from 'pdf-lib';
import '@esign-kit/elements';
import type { EsignPlacer } from '@esign-kit/elements';
import { boxOf, frames, mountIn, pageOf, redCentreOnScreen, scrollerOf, unmountAll } from './placer-helpers.js';

/** Three pages; page 2 is rotated and has the red target off its centre. */
async function targetPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  const page = doc.addPage([595, 842]);
  page.drawRectangle({ x: 330, y: 420, width: 24, height: 18, color: rgb(1, 0, 0) });
  doc.addPage([842, 595]);
  return doc.save();
}

async function placer(zoom = 1): Promise<EsignPlacer> {
  const element = mountIn('display:block', { zoom: String(zoom) });
  const ready = oneEvent(element, 'esign-ready');
  element.data = await targetPdf();
  await ready;
  await element.updateComplete;
  return element;
}

/** Scrolls so that the red target sits at (fx, fy) of the view (fractions), and returns where it is on screen. */
async function targetAt(element: EsignPlacer, fx = 0.5, fy = 0.5): Promise<{ x: number; y: number }> {
  const scroller = scrollerOf(element);
  const at = await redCentreOnScreen(element, 2);
  const view = scroller.getBoundingClientRect();
  scroller.scrollLeft += at.x - (view.left + fx * scroller.clientWidth);
  scroller.scrollTop += at.y - (view.top + fy * scroller.clientHeight);
  await frames();
  return redCentreOnScreen(element, 2);
}

/**
 * Where the target must be after zooming by `k` about the pointer `p`: the document point under the pointer
 * stays, everything else moves away from it k times as far.
 */
const expected = (target: { x: number; y: number }, p: { x: number; y: number }, k: number, to = p) => ({
  x: to.x + (target.x - p.x) * k,
  y: to.y + (target.y - p.y) * k,
});

const near = (a: { x: number; y: number }, b: { x: number; y: number }, what: string) => {
  expect(Math.abs(a.x - b.x), `${what}: x ${a.x.toFixed(2)} vs ${b.x.toFixed(2)}`).to.be.at.most(1);
  expect(Math.abs(a.y - b.y), `${what}: y ${a.y.toFixed(2)} vs ${b.y.toFixed(2)}`).to.be.at.most(1);
};

afterEach(unmountAll);

describe('<esign-placer> zoom at the pointer', function () {
  this.timeout(60000);

  it('Ctrl+wheel zooms in and out where the pointer is, not the portal page', async () => {
    const element = await placer(1);
    const target = await targetAt(element, 0.35, 0.6);
    const pointer = { x: Math.round(target.x), y: Math.round(target.y) };
    for (const [deltaY, notches] of [
      [-100, 3],
      [100, 2],
    ] as const) {
      const before = await redCentreOnScreen(element, 2);
      const scale = element.scale;
      for (let i = 0; i < notches; i++) await executeServerCommand('esign-wheel', { x: pointer.x, y: pointer.y, deltaY, modifiers: 2 });
      await element.updateComplete;
      const k = element.scale / scale;
      expect(k, 'no zoom').to.not.be.closeTo(1, 0.05);
      near(await redCentreOnScreen(element, 2), expected(before, pointer, k), `wheel ${deltaY}`);
    }
    // The browser's page zoom stayed out of it, and so did the page's scrolling.
    expect(window.visualViewport!.scale).to.equal(1);
    expect(window.scrollY).to.equal(0);
    // Zoomed past the view's width: the view scrolls sideways.
    expect(scrollerOf(element).scrollWidth).to.be.greaterThan(scrollerOf(element).clientWidth);
    expect(scrollerOf(element).scrollLeft).to.be.greaterThan(0);
  });

  it('a wheel without Ctrl scrolls, as ever', async () => {
    const element = await placer(1);
    const scale = element.scale;
    const view = scrollerOf(element).getBoundingClientRect();
    await executeServerCommand('esign-wheel', { x: Math.round(view.left + 200), y: Math.round(view.top + 200), deltaY: 120 });
    await new Promise((r) => setTimeout(r, 300));
    expect(element.scale).to.equal(scale);
    expect(scrollerOf(element).scrollTop).to.be.greaterThan(0);
  });

  it('a two-finger pinch zooms about the fingers, and the page follows them when they move', async () => {
    const element = await placer(1);
    const start = await targetAt(element, 0.55, 0.45);
    const c = { x: Math.round(start.x), y: Math.round(start.y) };
    // Spread from 60 to 150 pixels apart, about the target.
    let scale = element.scale;
    let before = await redCentreOnScreen(element, 2);
    await executeServerCommand('esign-pinch', {
      from: [
        [c.x - 30, c.y],
        [c.x + 30, c.y],
      ],
      to: [
        [c.x - 75, c.y],
        [c.x + 75, c.y],
      ],
      steps: 8,
    });
    await element.updateComplete;
    let k = element.scale / scale;
    expect(k).to.be.closeTo(2.5, 0.05);
    near(await redCentreOnScreen(element, 2), expected(before, c, k), 'pinch out');
    // Pinch in while the fingers' centre moves 40 px right and 30 px down: the point follows the centre.
    scale = element.scale;
    before = await redCentreOnScreen(element, 2);
    const moved = { x: c.x + 40, y: c.y + 30 };
    await executeServerCommand('esign-pinch', {
      from: [
        [c.x, c.y - 80],
        [c.x, c.y + 80],
      ],
      to: [
        [moved.x, moved.y - 50],
        [moved.x, moved.y + 50],
      ],
      steps: 8,
    });
    await element.updateComplete;
    k = element.scale / scale;
    expect(k).to.be.closeTo(100 / 160, 0.02);
    near(await redCentreOnScreen(element, 2), expected(before, c, k, moved), 'pinch in, moving');
    expect(window.visualViewport!.scale).to.equal(1);
  });

  it('+, − and 0 zoom from the keyboard about the middle of the view; the toolbar buttons too', async () => {
    const element = await placer(1);
    const scroller = scrollerOf(element);
    const target = await targetAt(element, 0.5, 0.5);
    scroller.focus();
    scroller.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true, composed: true }));
    await element.updateComplete;
    expect(element.scale).to.equal(1.25);
    near(await redCentreOnScreen(element, 2), target, 'the middle of the view stays');
    element.shadowRoot!.querySelector<HTMLButtonElement>('.zoom-out')!.click();
    await element.updateComplete;
    expect(element.scale).to.equal(1);
    scroller.dispatchEvent(new KeyboardEvent('keydown', { key: '0', bubbles: true, composed: true }));
    await element.updateComplete;
    expect(element.zoom).to.equal('fit-width');
  });
});

describe('<esign-placer> navigation', function () {
  this.timeout(60000);

  it('the next-box control and N / Shift+N go from box to box in reading order, each brought into view on both axes', async () => {
    const element = await placer(3);
    // Out of order on purpose, and at the far right of wide pages.
    const c = element.addBox({ page: 3, x: 700, y: 80, width: 100, height: 50 });
    const a = element.addBox({ page: 1, x: 480, y: 700, width: 100, height: 50 });
    const b = element.addBox({ page: 2, x: 20, y: 40, width: 100, height: 50 });
    const a2 = element.addBox({ page: 1, x: 40, y: 100, width: 100, height: 50 });
    element.scrollToPage(1);
    await frames();
    const next = element.shadowRoot!.querySelector<HTMLButtonElement>('.next-box')!;
    const inView = (id: string) => {
      const view = scrollerOf(element).getBoundingClientRect();
      const r = boxOf(element, id).getBoundingClientRect();
      return (
        r.left >= view.left &&
        r.right <= view.left + scrollerOf(element).clientWidth &&
        r.top >= view.top &&
        r.bottom <= view.top + scrollerOf(element).clientHeight
      );
    };
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      next.click();
      await new Promise((r) => setTimeout(r, 50));
      await element.updateComplete;
      const focused = element.shadowRoot!.activeElement as HTMLElement;
      seen.push(focused.dataset.id!);
      expect(inView(focused.dataset.id!), `box ${focused.dataset.id} is not in view`).to.be.true;
      expect(element.currentPage).to.equal(element.boxes.find((x) => x.id === focused.dataset.id)!.page);
    }
    // From the selected box (the last one added, a2), in reading order: page 2, page 3, then round to page 1
    // (a is above a2 on the page).
    expect(seen).to.deep.equal([b, c, a, a2]);
    // Shift+N goes back.
    (element.shadowRoot!.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key: 'N', shiftKey: true, bubbles: true, composed: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect((element.shadowRoot!.activeElement as HTMLElement).dataset.id).to.equal(a);
    expect(inView(a)).to.be.true;
    expect(element.shadowRoot!.querySelector('.live')!.textContent).to.match(/^Signature box 2, page 1, .*\(1 of 4\)\.$/);
  });

  it('scrollToBox brings a box at the right edge of a zoomed page into view', async () => {
    const element = await placer(4);
    const id = element.addBox({ page: 3, x: 700, y: 500, width: 100, height: 50 });
    element.scrollToPage(1);
    await frames();
    expect(element.scrollToBox(id)).to.be.true;
    await frames();
    const view = scrollerOf(element).getBoundingClientRect();
    const r = boxOf(element, id).getBoundingClientRect();
    expect(r.left).to.be.at.least(view.left);
    expect(r.right).to.be.at.most(view.left + scrollerOf(element).clientWidth);
    expect(r.top).to.be.at.least(view.top);
    expect(scrollerOf(element).scrollLeft).to.be.greaterThan(0);
    expect(element.scrollToBox('no-such-box')).to.be.false;
    // A new box lands in the part of the page that is in view, even when zoomed in far.
    const added = element.addBox({ page: 3 });
    await element.updateComplete;
    const n = boxOf(element, added).getBoundingClientRect();
    expect(n.left).to.be.at.least(view.left);
    expect(n.right).to.be.at.most(view.left + scrollerOf(element).clientWidth);
    expect(pageOf(element, 3)).to.exist;
  });
});
