// Verify benchmark (npm run bench; runs in Node, hence not *.bench.ts, which the browser runner takes): local inspection of a 50 MB signed PDF against a bare WebCrypto SHA-256
// of the same bytes in the same run, and the memory peak as a multiple of the file size; then the inspection time
// per signature on the real files of test/corpus/verify-peer (each file's first inspection, after a warm-up on
// another file: parsed certificates are kept between inspections, so a repeat would flatter). Prints JSON.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, PDFName } from 'pdf-lib';
import { inspectPdf } from '@esign-kit/verify';
import { openSandboxCa, signPdf } from '../packages/sandbox/src/signing/index.js';
import { signedWithLargeUpdate } from '../test/node/hardening/hostile-pdfs.js';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bigSignedPdf(megabytes: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('Lampiran besar (50 MB)', { x: 60, y: 780, size: 14 });
  // Incompressible bytes in an image-like stream attached to the page: a realistic scanned-document size.
  const payload = doc.context.stream(randomBytes(megabytes * 2 ** 20), {
    Type: 'XObject',
    Subtype: 'Image',
    Width: 1,
    Height: 1,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 8,
  });
  page.node.setXObject(PDFName.of('Big'), doc.context.register(payload));
  const unsigned = await doc.save({ useObjectStreams: false });
  const dir = mkdtempSync(join(tmpdir(), 'esign-bench-ca-'));
  try {
    const ca = await openSandboxCa(dir);
    return await signPdf(unsigned, { credentials: await ca.signer({ name: 'Budi Santoso' }) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; peakBytes: number; result: T }> {
  const base = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed - base.heapUsed + (m.arrayBuffers - base.arrayBuffers));
  };
  const timer = setInterval(sample, 2);
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  return { ms, peakBytes: peak, result };
}

const pdf = await bigSignedPdf(50);
const subtle = globalThis.crypto.subtle;
await subtle.digest('SHA-256', pdf);
await inspectPdf(pdf);
const bare: number[] = [];
const ours: number[] = [];
let peak = 0;
let verdict = '';
for (let i = 0; i < RUNS; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  bare.push((await measure(() => subtle.digest('SHA-256', pdf))).ms);
  (globalThis as { gc?: () => void }).gc?.();
  const run = await measure(() => inspectPdf(pdf));
  ours.push(run.ms);
  peak = Math.max(peak, run.peakBytes);
  verdict = run.result.signatures[0]?.verdict ?? run.result.status;
}
/** Per signature, over the corpus: each file's first inspection divided by its signature count. */
async function corpusFigures() {
  const dir = fileURLToPath(new URL('../test/corpus/verify-peer/', import.meta.url));
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { files: { file: string; origin: string; signatures: unknown[] }[] };
  const root = readFileSync(join(dir, 'roots/pyhanko.pem'), 'utf8');
  const files = truth.files.filter((f) => f.signatures.length > 0);
  // Warm-up on a file that is then measured last (its own caches are then warm: it is left out).
  const warm = files.at(-1)!;
  await inspectPdf(new Uint8Array(readFileSync(join(dir, 'files', warm.file))));
  const perSignature: number[] = [];
  // The same inspections in CPU time (the process's, WebCrypto's worker threads included): on a machine shared
  // with other jobs the elapsed time also counts the waits for a core, which CPU time leaves out.
  const cpuPerSignature: number[] = [];
  let maxFileMs = 0;
  for (const f of files.slice(0, -1)) {
    const bytes = new Uint8Array(readFileSync(join(dir, 'files', f.file)));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await inspectPdf(bytes, { trustedRoots: f.origin === 'pyhanko' ? [root] : [] });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    maxFileMs = Math.max(maxFileMs, ms);
    const signatures = Math.max(1, report.signatures.length);
    perSignature.push(ms / signatures);
    cpuPerSignature.push((cpu.user + cpu.system) / 1000 / signatures);
  }
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  return {
    corpusFiles: perSignature.length,
    corpusP50MsPerSignature: +quantile(perSignature, 0.5).toFixed(1),
    corpusP95MsPerSignature: +quantile(perSignature, 0.95).toFixed(1),
    corpusCpuP50MsPerSignature: +quantile(cpuPerSignature, 0.5).toFixed(1),
    corpusCpuP95MsPerSignature: +quantile(cpuPerSignature, 0.95).toFixed(1),
    corpusMaxFileMs: Math.round(maxFileMs),
  };
}
const corpus = await corpusFigures();

/**
 * A signed file (pdf.js's signed_verified.pdf) with one update of 150 000 new objects, nothing referring to them
 * (the change analysis judges them from the entries alone) or all reached from the trailer (every one read and
 * judged, within the default work budget): medians of 3.
 */
async function hugeUpdateFigures() {
  const dir = fileURLToPath(new URL('../test/corpus/verify-peer/files/pdfjs/', import.meta.url));
  const signed = new Uint8Array(readFileSync(join(dir, 'test__pdfs__signed_verified.pdf')));
  const out: Record<string, { ms: number; verdict: string }> = {};
  for (const referenced of [false, true]) {
    const bytes = signedWithLargeUpdate(signed, 150_000, { referenced });
    const times: number[] = [];
    let verdict = '';
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const report = await inspectPdf(bytes);
      times.push(performance.now() - t0);
      verdict = report.error?.code ?? report.signatures[0]?.verdict ?? report.status;
    }
    out[referenced ? 'referenced' : 'unreferenced'] = { ms: Math.round(median(times)), verdict };
  }
  return out;
}
const hugeUpdate = await hugeUpdateFigures();

console.log(
  JSON.stringify({
    ...corpus,
    hugeUpdate,
    fileBytes: pdf.byteLength,
    verdict,
    sha256Ms: Math.round(median(bare)),
    inspectMs: Math.round(median(ours)),
    ratio: +(median(ours) / median(bare)).toFixed(2),
    peakExtraMemoryXFile: +(peak / pdf.byteLength).toFixed(2),
  }),
);
