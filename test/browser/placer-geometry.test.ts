// The placer's correctness suite, in real Chromium with real (trusted) pointer input: for every geometry of
// COORDINATES.md, at zoom 0.5, 1, 1.5, 2 and 3 and devicePixelRatio 1 and 2, inside a scrolled container, a
// box dragged over a red target (found in the page's rendered pixels) must read back as the target's
// coordinates within 0.5 pt ÷ zoom, in every provider profile; zoomed past the view's width, the element
// scrolls the box into view sideways. The same holds whatever display the portal gives the element.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PDFDocument, rgb } from 'pdf-lib';
import {
  PROFILE_IDS,
  pageGeometry,
  resolveProfile,
  toProviderFields,
  userBoxToViewport,
  viewportRectToUser,
  viewportSize,
  type Box,
  type PageGeometry,
} from '@esign-kit/core';
import '@esign-kit/elements';
import type { EsignPlacer } from '@esign-kit/elements';
import { buildGeometryPdf, GEOMETRY_CASES, type GeometryCase } from '../fixtures/geometry-pdf.js';
import { LAYOUTS, canvasOf, frames, mountIn, pageOf, redCentre, scrollerOf, unmountAll, type Layout } from './placer-helpers.js';

async function mount(data: Uint8Array, zoom: number, layout: Layout = 'scrolled container'): Promise<{ element: EsignPlacer }> {
  const element = mountIn(layout, { zoom: String(zoom) });
  const ready = oneEvent(element, 'esign-ready');
  element.data = data;
  await ready;
  return { element };
}

/** Scrolls the placer so that a page-local point is in the middle of its view. */
async function bringIntoView(element: EsignPlacer, page: number, local: { x: number; y: number }) {
  const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
  const p = pageOf(element, page);
  scroller.scrollTop = p.offsetTop + local.y - scroller.clientHeight / 2;
  scroller.scrollLeft = p.offsetLeft + local.x - scroller.clientWidth / 2;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}

/**
 * Drags the box with real mouse input so that its centre lands on `target` (page-local CSS pixels). Chrome
 * delivers mouse positions in whole CSS pixels and snaps boxes to pixels on screen, so the delta is computed
 * in the page's own layout coordinates (the box's style, the target's pixels) and rounded to whole pixels;
 * tests start boxes a whole number of pixels away from their targets, which makes that delta exact.
 */
async function dragBoxCentreTo(element: EsignPlacer, id: string, fromPage: number, toPage: number, target: { x: number; y: number }) {
  const box = element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"]`)!;
  const rect = box.getBoundingClientRect();
  const from = { x: Math.round(rect.left + rect.width / 2), y: Math.round(rect.top + rect.height / 2) };
  const centre = { x: parseFloat(box.style.left) + parseFloat(box.style.width) / 2, y: parseFloat(box.style.top) + parseFloat(box.style.height) / 2 };
  // Page-local → the source page's local coordinates, through the pages' own layout offsets.
  const a = pageOf(element, fromPage).getBoundingClientRect();
  const b = pageOf(element, toPage).getBoundingClientRect();
  const end = { x: from.x + Math.round(b.left - a.left + target.x - centre.x), y: from.y + Math.round(b.top - a.top + target.y - centre.y) };
  expect(element.shadowRoot!.elementFromPoint(from.x, from.y)?.closest('.box'), 'the box is not under the pointer').to.exist;
  await executeServerCommand('esign-drag', { from: [from.x, from.y], to: [end.x, end.y], steps: 8 });
  await element.updateComplete;
}

async function expectProfiles(element: EsignPlacer, pages: PageGeometry[], box: Box & { page: number }, tolerance: number) {
  for (const id of PROFILE_IDS) {
    element.provider = id;
    await element.updateComplete;
    const profile = resolveProfile(id);
    if (profile.pageFormat === 'first-last' && box.page !== 1 && box.page !== pages.length) {
      // The BSrE cloud API cannot place a box on a middle page: the element leaves it out and says why.
      expect(element.value, `${id} on page ${box.page}`).to.deep.equal([]);
      expect(element.validity.customError).to.be.true;
      expect(element.validationMessage).to.match(/first or the last page/);
      continue;
    }
    const expected = toProviderFields(box, pages, profile) as unknown as Record<string, string | number>;
    const got = element.value[0] as Record<string, string | number>;
    expect(got, `${id}: no value`).to.exist;
    const step = 10 ** -profile.decimals;
    for (const [key, want] of Object.entries(expected)) {
      if (key === profile.fields.page) {
        expect(got[key], `${id}.${key}`).to.equal(want);
        continue;
      }
      // The box is within `tolerance` of the target; the provider's rounding may then differ by one step.
      expect(Math.abs(Number(got[key]) - Number(want)), `${id}.${key}: ${got[key]} vs ${want}`).to.be.at.most(2 * tolerance + step + 1e-9);
    }
  }
}

/**
 * One zoom of a case: a box started a whole number of pixels from the red target is dragged onto it with the
 * mouse and must read back as the target. Zoomed past the view's width, the element itself brings the box
 * into view (`scrollToBox`), sideways too, and the target must then be on screen.
 */
async function placeOnTarget(element: EsignPlacer, c: GeometryCase, zoom: number) {
  const geometry = pageGeometry(c);
  element.zoom = zoom;
  element.provider = 'peruri';
  element.boxes = [];
  await element.updateComplete;
  const target = redCentre(await canvasOf(element, 1));
  // Start the box a little away from the target, inside the page…
  const size = viewportSize(geometry, zoom);
  const r = userBoxToViewport(geometry, zoom, c.box);
  // …on the side of the target that faces the middle of the page, so that both stay in view.
  const dx = r.left + r.width / 2 < size.width / 2 ? 32 : -32;
  const dy = r.top + r.height / 2 < size.height / 2 ? 23 : -23;
  const start = viewportRectToUser(geometry, zoom, { ...r, left: r.left + dx, top: r.top + dy });
  const id = element.addBox({ page: 1, ...start });
  await element.updateComplete;
  if (zoom > 1) {
    expect(element.scrollToBox(id)).to.be.true;
    await frames();
    const view = scrollerOf(element).getBoundingClientRect();
    const page = pageOf(element, 1).getBoundingClientRect();
    const onScreen = { x: page.left + target.x, y: page.top + target.y };
    expect(onScreen.x, 'the target is not in view horizontally').to.be.within(view.left, view.left + scrollerOf(element).clientWidth);
    expect(onScreen.y, 'the target is not in view vertically').to.be.within(view.top, view.top + scrollerOf(element).clientHeight);
  } else await bringIntoView(element, 1, target);
  const rendersBefore = element.renderCount;
  await dragBoxCentreTo(element, id, 1, 1, target);
  expect(element.renderCount, 'dragging re-rendered a page').to.equal(rendersBefore);
  const placed = element.boxes[0]!;
  const tolerance = 0.5 / zoom;
  expect(placed.page).to.equal(1);
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    expect(Math.abs(placed[k] - c.box[k]), `zoom ${zoom}: ${k} ${placed[k]} vs ${c.box[k]}`).to.be.at.most(tolerance);
  }
  await expectProfiles(element, [geometry], placed, 0);
  await expectProfiles(element, [geometry], { page: 1, ...c.box }, tolerance);
}

afterEach(unmountAll);

for (const dpr of [1, 2]) {
  describe(`placing boxes at devicePixelRatio ${dpr}`, function () {
    this.timeout(90000);
    before(async () => {
      await executeServerCommand('esign-dpr', { dpr });
      expect(window.devicePixelRatio).to.equal(dpr);
    });
    after(() => executeServerCommand('esign-dpr', { dpr: 1 }));

    for (const c of GEOMETRY_CASES) {
      it(c.name, async () => {
        const { element } = await mount(await buildGeometryPdf([c]), 1);
        // 1.5 and 3: wider than the view, scrolled sideways to the box.
        for (const zoom of [0.5, 1, 1.5, 2, 3]) await placeOnTarget(element, c, zoom);
      });
    }
  });
}

// Issue #18: a portal's CSS decides the host's display; the geometry must not depend on it.
for (const layout of LAYOUTS.filter((l) => l !== 'scrolled container')) {
  describe(`placing boxes with the element as ${layout}`, function () {
    this.timeout(90000);
    for (const c of GEOMETRY_CASES) {
      it(c.name, async () => {
        const { element } = await mount(await buildGeometryPdf([c]), 1, layout);
        for (const zoom of [1, 3]) await placeOnTarget(element, c, zoom);
      });
    }
  });
}

describe('across pages of mixed sizes', function () {
  this.timeout(60000);
  it('moves a box from an A4 page onto a target on a landscape Letter page', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    const letter = doc.addPage([792, 612]);
    doc.addPage([612, 1008]);
    const target = { x: 420, y: 300, width: 160, height: 70 };
    letter.drawRectangle({ ...target, color: rgb(1, 0, 0) });
    const { element } = await mount(await doc.save(), 0.75);
    expect(element.pageCount).to.equal(3);
    // The box starts a whole number of pixels (at zoom 0.75) from where it must land: see dragBoxCentreTo.
    const id = element.addBox({ page: 1, x: target.x - 40 / 0.75, y: 120, width: target.width, height: target.height });
    await element.updateComplete;
    const canvas = await canvasOf(element, 2).catch(async () => {
      await bringIntoView(element, 2, { x: 100, y: 100 });
      return canvasOf(element, 2);
    });
    const centre = redCentre(canvas);
    // Scroll so that both the box (bottom of page 1) and the target are on screen.
    const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    scroller.scrollTop = pageOf(element, 2).offsetTop - 260;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // Pages of other widths sit at fractional offsets: nudge the box by the fraction so that the pointer
    // travels a whole number of pixels (see dragBoxCentreTo).
    const a = pageOf(element, 1).getBoundingClientRect();
    const b = pageOf(element, 2).getBoundingClientRect();
    const style = element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"]`)!.style;
    const need = {
      x: b.left - a.left + centre.x - parseFloat(style.left) - parseFloat(style.width) / 2,
      y: b.top - a.top + centre.y - parseFloat(style.top) - parseFloat(style.height) / 2,
    };
    const page1 = pageGeometry({ mediaBox: [0, 0, 595, 842] });
    const rect = userBoxToViewport(page1, 0.75, element.boxes[0]!);
    const nudged = viewportRectToUser(page1, 0.75, { ...rect, left: rect.left + need.x - Math.round(need.x), top: rect.top + need.y - Math.round(need.y) });
    element.boxes = [{ ...element.boxes[0]!, ...nudged }];
    await element.updateComplete;
    await dragBoxCentreTo(element, id, 1, 2, centre);
    const placed = element.boxes[0]!;
    expect(placed.page).to.equal(2);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(placed[k] - target[k]), k).to.be.at.most(0.5 / 0.75);
    const pages = [
      [595, 842],
      [792, 612],
      [612, 1008],
    ].map(([w, h]) => pageGeometry({ mediaBox: [0, 0, w!, h!] }));
    await expectProfiles(element, pages, { page: 2, ...target }, 0.5 / 0.75);
  });
});
