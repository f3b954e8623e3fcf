// <esign-placer> driven like a person: draw, resize by a handle, drag by touch and by pen, zoom to fit.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PDFDocument } from 'pdf-lib';
import '@esign-kit/elements';
import type { EsignPlacer } from '@esign-kit/elements';

const WORKER = '/node_modules/pdfjs-dist/build/pdf.worker.min.mjs';

async function placer(zoom: number | 'fit-page' = 1, pages: [number, number][] = [[595, 842]]): Promise<EsignPlacer> {
  const doc = await PDFDocument.create();
  for (const size of pages) doc.addPage(size);
  const element = await fixture<EsignPlacer>(html`<esign-placer worker-src=${WORKER} style="--esign-placer-height: 560px; width: 760px"></esign-placer>`);
  element.zoom = zoom;
  const ready = oneEvent(element, 'esign-ready');
  element.data = await doc.save();
  await ready;
  await element.updateComplete;
  return element;
}

const page = (element: EsignPlacer, n = 1) => element.shadowRoot!.querySelector<HTMLElement>(`.page[data-page="${n}"]`)!.getBoundingClientRect();
const boxRect = (element: EsignPlacer, id: string) => element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"]`)!.getBoundingClientRect();
const drag = (from: number[], to: number[], pointer = 'mouse', steps = 8) =>
  executeServerCommand('esign-drag', { from: from.map(Math.round), to: to.map(Math.round), pointer, steps });

describe('<esign-placer> interaction', function () {
  this.timeout(30000);

  it('draws a new box with the mouse', async () => {
    const element = await placer(1);
    const p = page(element);
    const change = oneEvent(element, 'esign-change');
    // From (100, 100) to (260, 170) CSS pixels on an unrotated A4 page at zoom 1.
    await drag([p.left + 100, p.top + 100], [p.left + 260, p.top + 170]);
    const { detail } = await change;
    expect(detail.boxes).to.have.length(1);
    const box = detail.boxes[0]!;
    expect(box.page).to.equal(1);
    for (const [k, v] of Object.entries({ x: 100, y: 842 - 170, width: 160, height: 70 })) expect(box[k as 'x']).to.be.closeTo(v, 0.5);
  });

  it('resizes by the lower-right handle, by exactly the pointer movement', async () => {
    const element = await placer(1);
    const id = element.addBox({ x: 100, y: 500, width: 150, height: 60 });
    await element.updateComplete;
    const handle = element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"] .handle.s.e`)!.getBoundingClientRect();
    const from = [handle.left + handle.width / 2, handle.top + handle.height / 2];
    await drag(from, [from[0]! + 40, from[1]! + 30]);
    await element.updateComplete;
    const box = element.boxes[0]!;
    expect(box.x).to.be.closeTo(100, 0.5);
    expect(box.width).to.be.closeTo(190, 0.5);
    // Growing downwards on screen lowers the bottom edge: y falls by 30, the height grows by 30.
    expect(box.y).to.be.closeTo(470, 0.5);
    expect(box.height).to.be.closeTo(90, 0.5);
  });

  for (const pointer of ['touch', 'pen']) {
    it(`moves a box by ${pointer}`, async () => {
      const element = await placer(1);
      const id = element.addBox({ x: 100, y: 500, width: 150, height: 60 });
      await element.updateComplete;
      const r = boxRect(element, id);
      const from = [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
      const change = oneEvent(element, 'esign-change');
      await drag(from, [from[0]! + 50, from[1]! - 40], pointer, 10);
      await change;
      const box = element.boxes[0]!;
      expect(box.x).to.be.closeTo(150, 0.5);
      expect(box.y).to.be.closeTo(540, 0.5);
      expect([box.width, box.height]).to.deep.equal([150, 60]);
    });
  }

  it('a click on the page selects nothing and draws nothing', async () => {
    const element = await placer(1);
    const p = page(element);
    await drag([p.left + 300, p.top + 300], [p.left + 301, p.top + 301], 'mouse', 1);
    expect(element.boxes).to.deep.equal([]);
  });

  it('survives being removed and added again (single-page apps), keeping its boxes', async () => {
    const element = await placer(1);
    element.addBox({ x: 100, y: 100, width: 100, height: 50 });
    const parent = element.parentElement!;
    element.remove();
    expect(element.liveCanvases).to.equal(0);
    const ready = oneEvent(element, 'esign-ready');
    parent.append(element);
    await ready;
    await waitUntil(() => element.liveCanvases > 0, 'not drawn again');
    expect(element.boxes).to.have.length(1);
    expect(element.value).to.deep.equal([{ page: '1', lowerLeftX: '100', lowerLeftY: '100', upperRightX: '200', upperRightY: '150' }]);
  });

  it('readonly shows boxes but lets nobody change them', async () => {
    const element = await placer(1);
    const id = element.addBox({ x: 100, y: 500, width: 150, height: 60 });
    element.readonly = true;
    await element.updateComplete;
    const p = page(element);
    const r = boxRect(element, id);
    await drag([r.left + r.width / 2, r.top + r.height / 2], [r.left + r.width / 2 + 60, r.top + r.height / 2 + 40]);
    await drag([p.left + 50, p.top + 50], [p.left + 200, p.top + 150]);
    const box = element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"]`)!;
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Delete', bubbles: true }));
    await element.updateComplete;
    expect(element.boxes).to.have.length(1);
    expect(element.boxes[0]).to.include({ x: 100, y: 500 });
    expect(box.querySelectorAll('.handle')).to.have.length(0);
    expect(box.tabIndex).to.equal(-1);
    expect(element.shadowRoot!.querySelector<HTMLButtonElement>('.add')!.disabled).to.be.true;
  });

  it('fits the page to the view, and scrolls to a page', async () => {
    const element = await placer('fit-page', [
      [595, 842],
      [842, 595],
      [595, 842],
    ]);
    const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    const p = page(element);
    expect(p.height).to.be.at.most(scroller.clientHeight);
    expect(element.scale).to.be.closeTo((scroller.clientHeight - 32) / 842, 0.01);
    element.scrollToPage(3);
    expect(Math.abs(page(element, 3).top - scroller.getBoundingClientRect().top)).to.be.lessThan(20);
  });
});
