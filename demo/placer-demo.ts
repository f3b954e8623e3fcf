// The demo's placer: pick or drop a PDF, place boxes, switch provider, watch the provider's fields.
import '@esign-kit/elements';
import { EsignPlacer } from '@esign-kit/elements';
import type { ProfileId } from '@esign-kit/core';
// The pdf.js worker is served beside the demo (never from a CDN) and loaded only when a PDF is shown.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url&no-inline';

EsignPlacer.defaultWorkerSrc = workerUrl;

const placer = document.querySelector<EsignPlacer>('#placer')!;
const controls = document.querySelector<HTMLFormElement>('#placer-controls')!;
const valueOut = document.querySelector<HTMLPreElement>('#placer-value')!;
const boxesOut = document.querySelector<HTMLPreElement>('#placer-boxes')!;
const message = document.querySelector<HTMLElement>('#placer-message')!;
const control = (name: string) => controls.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;

function show() {
  valueOut.textContent = JSON.stringify(placer.value, null, 2);
  boxesOut.textContent = JSON.stringify(
    placer.boxes.map(({ id, page, x, y, width, height }) => ({
      id,
      page,
      x: +x.toFixed(2),
      y: +y.toFixed(2),
      width: +width.toFixed(2),
      height: +height.toFixed(2),
    })),
    null,
    2,
  );
  message.textContent = placer.validationMessage;
}

function openSample(name: string) {
  placer.data = null;
  placer.src = `./samples/${name}`;
}

placer.addEventListener('esign-change', show);
// The sign step gives the placer a signing order (Peruri tier, Digisign): show its per-signer value.
document.addEventListener('demo-placer-changed', () => void placer.updateComplete.then(show));
placer.addEventListener('esign-ready', (e) => {
  // esign-ready is shared with <esign-webview>; only the placer's detail has pageCount.
  if (!('pageCount' in e.detail)) return;
  message.textContent = `${e.detail.pageCount} page(s) ready.`;
  show();
});
placer.addEventListener('esign-error', (e) => (message.textContent = `${e.detail.code}: ${e.detail.message}`));

control('file').addEventListener('change', () => {
  const file = (control('file') as HTMLInputElement).files?.[0];
  if (!file) return;
  placer.src = '';
  placer.boxes = [];
  placer.data = file;
});
control('sample').addEventListener('change', () => {
  placer.boxes = [];
  openSample(control('sample').value);
});
control('provider').addEventListener('change', async () => {
  placer.provider = control('provider').value as ProfileId;
  await placer.updateComplete;
  show();
});
control('tag').addEventListener('change', () => (placer.tag = control('tag').value));
control('lang').addEventListener('change', () => {
  placer.lang = control('lang').value;
  placer.requestUpdate();
});

// Drop a PDF anywhere on the placer.
placer.addEventListener('dragover', (e) => e.preventDefault());
placer.addEventListener('drop', (e) => {
  e.preventDefault();
  const file = e.dataTransfer?.files[0];
  if (file) {
    placer.src = '';
    placer.boxes = [];
    placer.data = file;
  }
});

openSample('contract.pdf');
