// <esign-placer>'s document view (pages, box gestures, zoom, navigation, the inspector: placer/document-parts.ts)
// and its PDF code come in a chunk of their own, loaded with the first document rather than with the page. This
// file runs in a page of its own (a fresh module map), so what it does first is the first use of each lazy part:
// the chunk is not loaded before a placer is connected, every part works from the very first moment a person can
// reach it (the first render that shows a page and enables the toolbar), and no render shows a page, a box or a
// selection without the part that serves it. Input is real Chromium input (CDP) where a person would give it.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { PDFDocument } from 'pdf-lib';
import '@esign-kit/elements';
import type { EsignPlacer } from '@esign-kit/elements';
import { boxOf, frames, pageOf, scrollerOf, WORKER } from './placer-helpers.js';

/** Whether the document's chunk has been fetched (the sources are served one module a file). */
const documentCodeFetched = () => performance.getEntriesByType('resource').some((e) => /\/placer\/document\.[jt]s(\?|$)/.test(e.name));

async function twoPages(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  doc.addPage([595, 842]);
  return doc.save();
}

const drag = (from: number[], to: number[], steps = 8) => executeServerCommand('esign-drag', { from: from.map(Math.round), to: to.map(Math.round), steps });

describe('<esign-placer> lazy document view', function () {
  this.timeout(60000);
  let element: EsignPlacer;

  after(() => element?.remove());

  it('is not loaded with the element, and each part works at the first moment a person can use it', async () => {
    expect(customElements.get('esign-placer'), 'the element is defined').to.exist;
    expect(documentCodeFetched(), 'the document view is not loaded with the page').to.equal(false);

    element = document.createElement('esign-placer');
    element.setAttribute('worker-src', WORKER);
    element.setAttribute('provider', 'peruri');
    element.style.cssText = '--esign-placer-height: 500px; width: 700px';
    element.zoom = 1;
    // The document is given in the same task as the element is connected: the chunk is not there yet.
    element.data = await twoPages();
    const violations: string[] = [];
    let firstUse: { boxes: number; centreY: number | null; inspector: boolean } | null = null;
    const observer = new MutationObserver(() => {
      const root = element.shadowRoot!;
      const add = root.querySelector<HTMLButtonElement>('.add');
      const shown = root.querySelector('.page') !== null;
      if (shown && !documentCodeFetched()) violations.push('a page shown before the document view was fetched');
      if (root.querySelector('.box.selected') && !root.querySelector('.inspector')) violations.push('a selected box without its inspector');
      if (add && !add.disabled && !firstUse) {
        // The first render in which the toolbar takes a click: click "add" at once, as an impatient person would.
        if (!shown) violations.push('the add button enabled before the pages are shown');
        const before = element.boxes.length;
        add.click();
        const box = element.boxes.at(-1);
        firstUse = { boxes: element.boxes.length - before, centreY: box ? box.y + box.height / 2 : null, inspector: false };
      }
    });
    const ready = oneEvent(element, 'esign-ready');
    document.body.append(element);
    observer.observe(element.shadowRoot!, { subtree: true, childList: true, attributes: true });
    await ready;
    await element.updateComplete;
    observer.takeRecords();

    expect(documentCodeFetched(), 'fetched with the first document').to.equal(true);
    expect(firstUse, 'the toolbar was enabled').to.not.equal(null);
    // Navigation's first use: the new box is centred in the part of page 1 that is in view (the top 468 px of
    // its 842 at zoom 1), not in the middle of the page, which is out of view.
    const view = scrollerOf(element).getBoundingClientRect();
    const top = pageOf(element, 1).getBoundingClientRect().top;
    const visibleMiddle = 842 - ((Math.max(top, view.top) + Math.min(view.top + scrollerOf(element).clientHeight, top + 842)) / 2 - top);
    expect(firstUse!.boxes, 'the first click added a box').to.equal(1);
    expect(firstUse!.centreY!).to.be.closeTo(visibleMiddle, 20);
    // The inspector's first use: it shows the box the click selected.
    expect(element.shadowRoot!.querySelector('.inspector input[name="lowerLeftX"]'), 'the inspector of the new box').to.exist;
    const [first] = element.boxes;

    // Navigation by the public API, the first time (inside esign-ready's own listener: the next test).
    element.scrollToPage(2);
    const page2 = pageOf(element, 2).getBoundingClientRect();
    expect(page2.top - scrollerOf(element).getBoundingClientRect().top).to.be.closeTo(16, 1);

    // The keyboard's first use: with a second box (on page 2) selected, N goes on to the next box in reading
    // order, wrapping round to the first one on page 1, scrolls it into view, and the inspector follows.
    const second = element.addBox({ page: 2, x: 100, y: 100, width: 150, height: 75 });
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector<HTMLElement>('.box.selected')!.dataset.id).to.equal(second);
    scrollerOf(element).focus();
    await sendKeys({ press: 'n' });
    await waitUntil(() => element.shadowRoot!.querySelector<HTMLElement>('.box.selected')?.dataset.id === first!.id, 'N selected the first box');
    await frames();
    const selected = boxOf(element, first!.id).getBoundingClientRect();
    const scroller = scrollerOf(element).getBoundingClientRect();
    expect(selected.top >= scroller.top && selected.bottom <= scroller.bottom, 'the first box scrolled into view').to.equal(true);
    expect(element.shadowRoot!.querySelector('.inspector')?.getAttribute('aria-label')).to.match(/box 1\b/i);

    // The zoom's first use: Ctrl+wheel over the pages zooms the document (not the portal); then the toolbar's −.
    const box = boxOf(element, first!.id).getBoundingClientRect();
    const scale = element.scale;
    await executeServerCommand('esign-wheel', { x: Math.round(box.left + 5), y: Math.round(box.top + 5), deltaY: -100, modifiers: 2 });
    await waitUntil(() => element.scale > scale, 'Ctrl+wheel zoomed in');
    const zoomed = element.scale;
    element.shadowRoot!.querySelector<HTMLButtonElement>('.zoom-out')!.click();
    await waitUntil(() => element.scale < zoomed, 'the toolbar zoomed out');
    element.zoom = 1;
    await element.updateComplete;
    await frames();

    // The gestures' first use: a box dragged with the mouse moves by the pointer's movement.
    element.scrollToBox(first!.id);
    await frames();
    const from = boxOf(element, first!.id).getBoundingClientRect();
    const change = oneEvent(element, 'esign-change');
    await drag([from.left + from.width / 2, from.top + from.height / 2], [from.left + from.width / 2 + 40, from.top + from.height / 2 + 20]);
    await change;
    const moved = element.boxes.find((b) => b.id === first!.id)!;
    expect(moved.x - first!.x).to.be.closeTo(40, 0.5);
    expect(first!.y - moved.y).to.be.closeTo(20, 0.5);

    // Drawing a new box with the mouse, the first time: from (60, 40) to (220, 110) CSS pixels of page 1.
    element.scrollToPage(1);
    await frames();
    const p1 = pageOf(element, 1).getBoundingClientRect();
    const drawn = oneEvent(element, 'esign-change');
    await drag([p1.left + 60, p1.top + 40], [p1.left + 220, p1.top + 110]);
    const { box: added } = (await drawn).detail;
    expect(element.boxes).to.have.length(3);
    for (const [k, v] of Object.entries({ page: 1, x: 60, y: 842 - 110, width: 160, height: 70 })) expect(added![k as 'x']).to.be.closeTo(v, 0.5);

    observer.disconnect();
    expect(violations).to.deep.equal([]);
  });

  it('a second document finds the parts there: scrollToPage works inside its esign-ready listener', async () => {
    const ready = new Promise<number>((resolve) =>
      element.addEventListener(
        'esign-ready',
        () => {
          element.scrollToPage(2);
          resolve(pageOf(element, 2).getBoundingClientRect().top - scrollerOf(element).getBoundingClientRect().top);
        },
        { once: true },
      ),
    );
    element.data = await twoPages();
    expect(await ready).to.be.closeTo(16, 1);
  });
});
