// The self-hosted build of the elements (dist/elements, made by scripts/build-elements.mjs), served at
// /esign-kit/ so that a portal needs neither a bundler nor a CDN:
//   <script type="module" src="https://esign.example/esign-kit/esign-kit.js" integrity="sha384-…" crossorigin="anonymous">
// Module scripts are always fetched with CORS, so the portal's origin must be allowed: PORTAL_ORIGINS only.
// Caching: content-hashed chunks (`pdf.D-VV5J2W.js`) never change and are immutable for a year; the files
// with stable names (the entries, the worker, integrity.json) are revalidated on each use (ETag → 304), so
// that a new version reaches every page at once and never mixes with the chunks of an older one.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

/** Where `npm run build` and `npm start` put the build: <repo>/dist/elements. */
export const ELEMENTS_DIR = fileURLToPath(new URL('../../../dist/elements', import.meta.url));

export interface ElementsBundleOptions {
  /** Origins allowed to load the scripts cross-origin (PORTAL_ORIGINS); same-origin pages need none. */
  origins?: readonly string[];
}

/** `name.<hash>.js`, as scripts/build-elements.mjs names its chunks (entries are `esign-*.js`, without a dot). */
const HASHED = /\.[A-Za-z0-9_-]{8,}\.m?js$/;
const ONE_YEAR = 365 * 24 * 60 * 60;
const WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' data: blob:; frame-ancestors 'none'";

export function elementsBundle(dir: string, options: ElementsBundleOptions = {}): Router {
  const allowed = new Set(options.origins ?? []);
  const router = express.Router();

  router.use((req, res, next) => {
    const origin = req.headers.origin;
    res.append('Vary', 'Origin');
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      res.status(405).type('text/plain').send('Method not allowed.');
      return;
    }
    next();
  });

  router.use(
    express.static(dir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      cacheControl: false,
      setHeaders(res, path) {
        if (/\.m?js$/.test(path)) res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
        res.setHeader('Cache-Control', HASHED.test(path) ? `public, max-age=${ONE_YEAR}, immutable` : 'no-cache');
        res.setHeader('X-Content-Type-Options', 'nosniff');
        // A worker runs under its own script's policy (not the page's): pdf.js's may compile its WebAssembly
        // decoders and fetch font data; everything else keeps the server's default-src 'none'.
        if (/pdf\.worker[^/]*\.m?js$/.test(path)) res.setHeader('Content-Security-Policy', WORKER_CSP);
      },
    }),
  );

  router.use((_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(404)
      .type('text/plain')
      .send(existsSync(dir) ? 'No such file in the esign-kit build.' : 'The elements are not built: run `npm run build` (or `npm start`).');
  });
  return router;
}
