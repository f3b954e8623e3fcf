// A fresh page that shows a PDF's first page with pdf.js alone, the way a portal would: pdf.js in its module
// graph, its worker started by getDocument. Reports the time since this page's navigation began.
import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';

const params = new URLSearchParams(location.search);
GlobalWorkerOptions.workerSrc = params.get('worker')!;
const pdf = await getDocument({ url: params.get('pdf')!, isEvalSupported: false, useSystemFonts: true }).promise;
const page = await pdf.getPage(1);
const viewport = page.getViewport({ scale: 1 });
const canvas = document.createElement('canvas');
canvas.width = Math.floor(viewport.width * devicePixelRatio);
canvas.height = Math.floor(viewport.height * devicePixelRatio);
document.body.append(canvas);
await page.render({ canvas, canvasContext: canvas.getContext('2d', { alpha: false })!, viewport }).promise;
parent.postMessage({ bench: 'cold', mode: 'bare', ms: performance.now() }, location.origin);
