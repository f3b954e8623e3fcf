#!/usr/bin/env node
// The self-hostable build of @esign-kit/elements: ES modules with lit, interact.js, pdf.js and the kit's own
// packages bundled in, for a plain <script type="module"> that the companion server serves at /esign-kit/
// (no CDN, no bundler on the portal's side).
//
//   dist/elements/esign-kit.js          every element (packages/elements/src/index.ts)
//   dist/elements/esign-<tag>.js        one element (packages/elements/src/esign-*.ts, found automatically)
//   dist/elements/pdfjs.<hash>.js       pdf.js, imported only when a PDF is shown (likewise verify.<hash>.js…)
//   dist/elements/pdf.worker.min.mjs    pdf.js's worker, where <esign-placer> looks by default (beside its module)
//   dist/elements/verify-worker.<hash>.js  <esign-verify>'s inspection worker (found beside the verify chunk)
//   dist/elements/integrity.json        { "<file>": "sha384-…" } for every script: Subresource Integrity
//
// Each entry is built on its own, so that it holds all of its element code in one file: the `integrity` of the
// <script> tag then covers everything that runs at load; only what is loaded later (pdf.js, its worker) is in
// other files (pin those with an import map's "integrity" if you wish: integrity.json has their hashes).
//
//   node scripts/build-elements.mjs [outDir]     (npm run build and npm start run it)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'packages/elements/src');
export const ELEMENTS_OUT_DIR = join(ROOT, 'dist/elements');

/** `esign-kit` (every element), then one entry per define module: esign-placer.ts, esign-webview.ts, … */
export function elementEntries() {
  const entries = { 'esign-kit': join(SRC, 'index.ts') };
  for (const file of readdirSync(SRC).sort()) {
    const m = /^(esign-[a-z][a-z0-9-]*)\.ts$/.exec(file);
    if (m) entries[m[1]] = join(SRC, file);
  }
  return entries;
}

export const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** Writes integrity.json for every .js/.mjs file of `dir` and returns it. */
export function writeIntegrity(dir) {
  const hashes = {};
  for (const file of readdirSync(dir).sort()) if (/\.m?js$/.test(file)) hashes[file] = sri(readFileSync(join(dir, file)));
  writeFileSync(join(dir, 'integrity.json'), `${JSON.stringify(hashes, null, 2)}\n`);
  return hashes;
}

/**
 * pdf.js's worker, copied as is: <esign-placer> resolves `./pdf.worker.min.mjs` against its own module URL when
 * neither `worker-src` nor `EsignPlacer.defaultWorkerSrc` is set, so the self-hosted build needs no setup.
 */
function pdfWorker() {
  return {
    name: 'esign-pdf-worker',
    generateBundle() {
      const file = fileURLToPath(import.meta.resolve('pdfjs-dist/build/pdf.worker.min.mjs'));
      this.emitFile({ type: 'asset', fileName: 'pdf.worker.min.mjs', source: readFileSync(file) });
    },
  };
}

/** Chunks named for what they hold (by default a chunk is named after its first module, e.g. `src`). */
function chunkName(chunk) {
  const has = (part) => chunk.moduleIds.some((id) => id.replaceAll('\\', '/').includes(part));
  if (has('/node_modules/pdfjs-dist/')) return 'pdfjs';
  if (has('/packages/verify/src/')) return 'verify';
  return chunk.name;
}

export async function buildElements({ outDir = ELEMENTS_OUT_DIR, logLevel = 'warn' } = {}) {
  const { build, defaultClientConditions } = await import('vite');
  rmSync(outDir, { recursive: true, force: true });
  // Independent builds into one folder: run together (shared chunks such as pdf.js come out byte for byte the same).
  await Promise.all(
    Object.entries(elementEntries()).map(([name, entry], index) =>
      build({
        configFile: false,
        root: ROOT,
        logLevel,
        publicDir: false,
        envDir: false,
        // Workspace packages resolve to their TypeScript sources, as in the demo.
        resolve: { conditions: ['source', ...defaultClientConditions] },
        // Relative URLs for what a module finds beside itself (@esign-kit/verify's worker), wherever the folder is served.
        base: './',
        // <esign-verify>'s inspection worker: one self-contained file beside the entries, content-hashed like a chunk.
        worker: { rolldownOptions: { output: { entryFileNames: '[name].[hash].js' } } },
        plugins: index === 0 ? [pdfWorker()] : [],
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          reportCompressedSize: false,
          lib: { entry: { [name]: entry }, formats: ['es'] },
          rollupOptions: {
            // Code shared by the entry and a lazy chunk stays in the entry (which then exports it to the chunk),
            // so that the entry imports nothing at load and its `integrity` covers all code that runs at load.
            preserveEntrySignatures: 'allow-extension',
            output: {
              // Flat, beside pdf.worker.min.mjs. Chunks are content-hashed, `name.<hash>.js`, so that the server
              // can tell them from the entries (never a dot in their names) and let them be cached for ever.
              entryFileNames: '[name].js',
              chunkFileNames: (chunk) => `${chunkName(chunk)}.[hash].js`,
              // Library mode keeps whitespace in ES output (for bundlers); this is for browsers: minify fully.
              minify: true,
            },
          },
        },
      }),
    ),
  );
  return writeIntegrity(outDir);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ? resolve(process.argv[2]) : ELEMENTS_OUT_DIR;
  const started = Date.now();
  const hashes = await buildElements({ outDir });
  console.log(`› @esign-kit/elements → ${outDir} (${Object.keys(hashes).length} scripts, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
