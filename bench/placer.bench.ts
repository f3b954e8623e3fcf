// Placer benchmark, in headless Chromium (npm run bench). Prints figures; asserts nothing about time.
import { executeServerCommand } from '@web/test-runner-commands';
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import '@esign-kit/elements';
import type { EsignPlacer } from '@esign-kit/elements';

const WORKER = '/node_modules/pdfjs-dist/build/pdf.worker.min.mjs';
GlobalWorkerOptions.workerSrc = WORKER;
const RUNS = 5;
const COLD_RUNS = 9;

async function bigPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Halaman ${n}`, { x: 60, y: 780, size: 18, font });
    for (let l = 0; l < 30; l++)
      page.drawText('Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.', { x: 60, y: 740 - l * 20, size: 10, font });
    page.drawRectangle({ x: 60, y: 80, width: 200, height: 60, borderColor: rgb(0, 0, 0.6), borderWidth: 1 });
  }
  return doc.save();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

async function barePdfJs(data: Uint8Array, scale: number): Promise<number> {
  const t0 = performance.now();
  const pdf = await getDocument({ data: data.slice(), isEvalSupported: false }).promise;
  const page = await pdf.getPage(1);
  const viewport = page.getViewport({ scale });
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * devicePixelRatio);
  canvas.height = Math.floor(viewport.height * devicePixelRatio);
  document.body.append(canvas);
  await page.render({ canvas, canvasContext: canvas.getContext('2d', { alpha: false })!, viewport }).promise;
  const t = performance.now() - t0;
  canvas.remove();
  await pdf.destroy();
  return t;
}

async function mountPlacer(): Promise<EsignPlacer> {
  const element = document.createElement('esign-placer');
  element.workerSrc = WORKER;
  element.zoom = 1;
  element.style.cssText = '--esign-placer-height: 700px; width: 800px; display: flex';
  document.body.append(element);
  await element.updateComplete;
  return element;
}

async function placerFirstPage(data: Uint8Array): Promise<{ ms: number; element: EsignPlacer }> {
  const element = await mountPlacer();
  const t0 = performance.now();
  element.data = data;
  await new Promise<void>((resolve) => {
    const poll = () => (element.renderCount > 0 ? resolve() : requestAnimationFrame(poll));
    poll();
  });
  return { ms: performance.now() - t0, element };
}

/**
 * The first page as a portal meets it: a fresh page (an iframe of its own: a new document, module map and
 * pdf.js worker) that loads either bare pdf.js or the element and shows the PDF's first page from a URL. The
 * time is the frame's own, from its navigation start to the first page's pixels, so pdf.js's module and worker
 * are loaded inside it, for both alike. Both read the same files from the browser's cache after the first run.
 */
async function coldFirstPage(mode: 'bare' | 'placer', pdfUrl: string): Promise<number> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 820px; height: 760px; border: 0';
  const query = new URLSearchParams({ pdf: pdfUrl, worker: new URL(WORKER, location.href).href });
  const ms = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no first page (${mode}) within 60 s`)), 60000);
    const listen = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow || event.data?.bench !== 'cold') return;
      clearTimeout(timer);
      window.removeEventListener('message', listen);
      resolve(event.data.ms as number);
    };
    window.addEventListener('message', listen);
  });
  frame.src = `/bench/cold/${mode}.html?${query}`;
  document.body.append(frame);
  try {
    return await ms;
  } finally {
    frame.remove();
  }
}

describe('placer benchmark', function () {
  this.timeout(600000);
  it('measures', async () => {
    const results: Record<string, number | string> = {};
    const pageCount = 300;
    const data = await bigPdf(pageCount);
    results.pdfBytes = data.byteLength;

    // 1. Time to the first painted page as a portal meets it (cold: a fresh page each time, pdf.js's module and
    //    worker loaded inside the timing), against bare pdf.js in the same run (alternating, medians), after one
    //    run of each that fills the browser's cache.
    const url = URL.createObjectURL(new Blob([data as BlobPart], { type: 'application/pdf' }));
    await coldFirstPage('bare', url);
    await coldFirstPage('placer', url);
    const coldBare: number[] = [];
    const coldOurs: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      coldBare.push(await coldFirstPage('bare', url));
      coldOurs.push(await coldFirstPage('placer', url));
    }
    URL.revokeObjectURL(url);
    results.firstPageBareMs = Math.round(median(coldBare));
    results.firstPagePlacerMs = Math.round(median(coldOurs));
    results.firstPageRatio = +(median(coldOurs) / median(coldBare)).toFixed(2);
    results.firstPageMeasure = 'cold';

    // 1b. The same with pdf.js and its worker already warm in this page (the measure of earlier runs).
    const bare: number[] = [];
    const ours: number[] = [];
    await barePdfJs(data, 1); // warm the worker and the caches for both
    for (let i = 0; i < RUNS; i++) {
      bare.push(await barePdfJs(data, 1));
      const { ms, element } = await placerFirstPage(data);
      ours.push(ms);
      element.remove();
    }
    results.firstPageWarmBareMs = Math.round(median(bare));
    results.firstPageWarmPlacerMs = Math.round(median(ours));
    results.firstPageWarmRatio = +(median(ours) / median(bare)).toFixed(2);

    // 2. Canvases and heap after scrolling through all pages.
    const { element } = await placerFirstPage(data);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const memory = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    const heapBefore = memory();
    const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    let maxCanvases = 0;
    for (let top = 0; top < scroller.scrollHeight; top += scroller.clientHeight / 2) {
      scroller.scrollTop = top;
      await frame();
      await new Promise((r) => setTimeout(r, 30));
      maxCanvases = Math.max(maxCanvases, element.liveCanvases);
    }
    await new Promise((r) => setTimeout(r, 500));
    gc?.();
    results.pagesScrolled = pageCount;
    results.rendersWhileScrolling = element.renderCount;
    results.liveCanvasesAfterScroll = element.liveCanvases;
    results.maxLiveCanvases = maxCanvases;
    results.heapBeforeScrollMB = +(heapBefore / 2 ** 20).toFixed(1);
    results.heapAfterScrollMB = +(memory() / 2 ** 20).toFixed(1);

    // 3. Renders during a 100-step drag of a box.
    scroller.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 300));
    const id = element.addBox({ page: 1, x: 100, y: 600, width: 150, height: 60 });
    await element.updateComplete;
    const box = element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"]`)!.getBoundingClientRect();
    const before = element.renderCount;
    const from = [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)];
    await executeServerCommand('esign-drag', { from, to: [from[0]! + 150, from[1]! + 200], steps: 100 });
    results.rendersDuringDrag = element.renderCount - before;
    element.remove();

    await executeServerCommand('esign-bench-result', { name: 'placer', results });
    console.log(JSON.stringify(results, null, 2));
  });
});
