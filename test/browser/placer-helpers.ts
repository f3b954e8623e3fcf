// Shared by the placer's browser tests: where the worker is, the page and box elements, waiting for a page's
// canvas at the current scale, and reading a red target back from the rendered pixels (the oracle: pdf.js's
// own drawing of the PDF, not the element's arithmetic).
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { EsignPlacer } from '@esign-kit/elements';

export const WORKER = '/node_modules/pdfjs-dist/build/pdf.worker.min.mjs';

export const pageOf = (element: EsignPlacer, page: number): HTMLElement => element.shadowRoot!.querySelector<HTMLElement>(`.page[data-page="${page}"]`)!;
export const boxOf = (element: EsignPlacer, id: string): HTMLElement => element.shadowRoot!.querySelector<HTMLElement>(`.box[data-id="${id}"]`)!;
export const scrollerOf = (element: EsignPlacer): HTMLElement => element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
export const frames = (n = 2) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve());
    step(n);
  });

/** Waits for the page's canvas at the current scale and device pixel ratio. */
export async function canvasOf(element: EsignPlacer, page: number): Promise<HTMLCanvasElement> {
  let canvas: HTMLCanvasElement | null = null;
  await waitUntil(
    () => {
      canvas = pageOf(element, page).querySelector('canvas');
      if (!canvas || canvas.style.transform) return false;
      const cssWidth = parseFloat(canvas.style.width);
      return Math.abs(cssWidth - pageOf(element, page).offsetWidth) <= 1 && Math.abs(canvas.width / devicePixelRatio - cssWidth) < 1e-6;
    },
    `page ${page} was not drawn at zoom ${element.scale}, dpr ${devicePixelRatio}`,
    { timeout: 15000 },
  );
  return canvas!;
}

/** Centre of the red target in page-local CSS pixels, from the canvas (sub-pixel: weighted by coverage). */
export function redCentre(canvas: HTMLCanvasElement): { x: number; y: number } {
  const context = canvas.getContext('2d')!;
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  let sum = 0,
    sx = 0,
    sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      // Red on white: (255, 255·(1−a), 255·(1−a)) where a is the pixel's coverage.
      if (data[i]! < 200) continue;
      const a = 1 - (data[i + 1]! + data[i + 2]!) / 510;
      if (a <= 0.02) continue;
      sum += a;
      sx += a * (x + 0.5);
      sy += a * (y + 0.5);
    }
  }
  expect(sum, 'no red target on the page').to.be.greaterThan(0);
  return { x: (sx / sum) * (parseFloat(canvas.style.width) / canvas.width), y: (sy / sum) * (parseFloat(canvas.style.height) / canvas.height) };
}

/** The red target's centre in client (viewport) coordinates, once the page is drawn at the current scale. */
export async function redCentreOnScreen(element: EsignPlacer, page = 1): Promise<{ x: number; y: number }> {
  const local = redCentre(await canvasOf(element, page));
  const rect = pageOf(element, page).getBoundingClientRect();
  return { x: rect.left + local.x, y: rect.top + local.y };
}

/** An 8-bit grey image rendered by poppler's pdftoppm (web-test-runner.config.mjs `esign-pdftoppm`). */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export async function pdftoppm(pdf: Uint8Array, page = 1, dpi = 72): Promise<GreyImage> {
  let binary = '';
  for (let i = 0; i < pdf.length; i += 0x8000) binary += String.fromCharCode(...pdf.subarray(i, i + 0x8000));
  const out = (await executeServerCommand('esign-pdftoppm', { pdf: btoa(binary), page, dpi })) as { width: number; height: number; data: string };
  return { width: out.width, height: out.height, data: Uint8Array.from(atob(out.data), (c) => c.charCodeAt(0)) };
}

/** Pixels darker than white (ink) inside `[left, top, right, bottom)`, and their bounds. */
export function inkIn(image: GreyImage, region: [number, number, number, number] = [0, 0, image.width, image.height]) {
  const [x0, y0, x1, y1] = region.map(Math.round) as [number, number, number, number];
  let count = 0,
    left = Infinity,
    top = Infinity,
    right = -Infinity,
    bottom = -Infinity;
  for (let y = Math.max(0, y0); y < Math.min(image.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(image.width, x1); x++) {
      if (image.data[y * image.width + x]! > 235) continue;
      count++;
      left = Math.min(left, x);
      top = Math.min(top, y);
      right = Math.max(right, x + 1);
      bottom = Math.max(bottom, y + 1);
    }
  }
  return { count, left, top, right, bottom };
}

/** How a portal may style the element: its `display` is the portal's, and the element must not care. */
export const LAYOUTS = ['scrolled container', 'display:block', 'display:inline-block', 'flex item', 'grid item', 'dialog'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The height each layout gives the element, in CSS pixels. */
export const LAYOUT_HEIGHT = 520;
const mounted: HTMLElement[] = [];

/**
 * Mounts a placer the way a portal would in `layout` (740 × 520 CSS pixels, with content around it and the
 * portal's own stylesheet), and returns it; `unmountAll()` removes what was mounted.
 */
export function mountIn(layout: Layout, attributes: Record<string, string> = {}): EsignPlacer {
  const placer = document.createElement('esign-placer');
  placer.setAttribute('worker-src', WORKER);
  for (const [k, v] of Object.entries(attributes)) placer.setAttribute(k, v);
  const root = document.createElement('div');
  root.className = 'layout-under-test';
  const style = document.createElement('style');
  const h = LAYOUT_HEIGHT;
  switch (layout) {
    case 'scrolled container': {
      // Inside a scrolled box, with content above it (the geometry suite's original set-up).
      root.style.cssText = 'height: 560px; width: 780px; overflow: auto; border: 1px solid #999';
      root.innerHTML = '<div style="height: 180px">content above the placer, scrolled away</div>';
      placer.style.cssText = `--esign-placer-height: ${h}px; width: 740px`;
      root.append(placer, Object.assign(document.createElement('div'), { style: 'height: 900px' }));
      break;
    }
    case 'display:block':
    case 'display:inline-block':
      // A portal's stylesheet, as issue #18 quotes it.
      style.textContent = `.layout-under-test esign-placer { ${layout}; height: ${h}px; width: 740px }`;
      root.append(style, Object.assign(document.createElement('p'), { textContent: 'Before the placer.' }), placer);
      break;
    case 'flex item':
      // Sized by the flex container, its own height auto.
      root.style.cssText = `display: flex; flex-direction: column; height: ${h + 40}px; width: 740px`;
      root.innerHTML = '<div style="flex: none; height: 40px">portal header</div>';
      placer.style.cssText = 'flex: 1 1 auto; height: auto; min-height: 0';
      root.append(placer);
      break;
    case 'grid item':
      // Stretched by its grid row, its own height auto.
      root.style.cssText = `display: grid; grid-template-columns: 740px 160px; grid-template-rows: ${h}px; gap: 8px`;
      placer.style.cssText = 'height: auto';
      root.append(placer, Object.assign(document.createElement('aside'), { textContent: 'portal side panel' }));
      break;
    case 'dialog': {
      const dialog = document.createElement('dialog');
      dialog.style.cssText = 'padding: 8px; max-height: none; max-width: none';
      placer.style.cssText = `--esign-placer-height: ${h}px; width: 740px`;
      dialog.append(placer);
      root.append(dialog);
      document.body.append(root);
      mounted.push(root);
      dialog.showModal();
      return placer;
    }
  }
  document.body.append(root);
  mounted.push(root);
  if (layout === 'scrolled container') root.scrollTop = 150;
  return placer;
}

export function unmountAll(): void {
  for (const root of mounted.splice(0)) {
    root.querySelector('dialog')?.close();
    root.remove();
  }
}
