// The framework examples (demo/examples) built with Vite as `npm start` builds them, served the way a portal
// would serve them, and driven in the system Chromium with trusted mouse input: React 19 (properties and
// events through JSX), Vue 3 (isCustomElement, .prop, @esign-change) and plain HTML (the self-hosted build
// from /esign-kit/ with Subresource Integrity). In each: draw a box, receive esign-change with the box in
// Peruri's fields, submit the form and find the same boxes in its FormData. Every page runs under the README's
// Content-Security-Policy recipe, and any violation fails the test.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { build } from 'vite';
import { buildElements } from '../../scripts/build-elements.mjs';
import { elementsBundle } from '../../server/src/http/elements-bundle.js';
import { examplesConfig } from '../../vite.examples.config.js';

const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';

/** The README's recipe. `scripts` and `connect` name the companion server's origin when it is another one. */
export function cspRecipe({ scripts = '', connect = '' } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${scripts}`.trim(),
    // pdf.js's worker; blob: only when the build comes from another origin (pdf.js then starts it through a
    // blob: module that imports it). Without blob: that case fails with a worker-src violation (tested).
    "worker-src 'self' blob:",
    `connect-src 'self' ${connect}`.trim(),
    "style-src 'self'",
    // The elements position boxes and pages with style attributes.
    "style-src-attr 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function listen(app: express.Express, servers: Server[]): Promise<string> {
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('framework examples in Chromium', { timeout: 180000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'esign-examples-'));
  const elementsDir = join(work, 'elements');
  const examplesDir = join(work, 'examples');
  const servers: Server[] = [];
  let companion = '';
  let portal = '';
  let browser: Browser;
  let integrity: Record<string, string>;

  before(async () => {
    integrity = await buildElements({ outDir: elementsDir, logLevel: 'silent' });
    await build({ ...examplesConfig({ elementsDir, outDir: examplesDir }), logLevel: 'silent' });

    const kit = express();
    const site = express();
    companion = await listen(kit, servers);
    portal = await listen(site, servers);

    // The companion server: /esign-kit/ and the examples on one origin, as `npm start` serves them.
    kit.use('/esign-kit', elementsBundle(elementsDir, { origins: [portal] }));
    kit.get('/examples/plain-tampered/', (_req, res) => {
      // Another file's hash: the browser must refuse to run esign-kit.js.
      const html = readFileSync(join(examplesDir, 'plain/index.html'), 'utf8').replace(
        /integrity="sha384-[^"]+"/,
        `integrity="${integrity['esign-webview.js']}"`,
      );
      res.type('html').send(html);
    });
    kit.use(
      '/examples',
      express.static(examplesDir, { setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Content-Security-Policy', cspRecipe()) }),
    );

    // A portal on another origin: the plain page loading the build from the companion server.
    site.get('/examples/plain/', (_req, res) => {
      const html = readFileSync(join(examplesDir, 'plain/index.html'), 'utf8').replace('src="/esign-kit/', `src="${companion}/esign-kit/`);
      res.setHeader('Content-Security-Policy', cspRecipe({ scripts: companion }));
      res.type('html').send(html);
    });
    site.use('/examples', express.static(examplesDir));

    browser = await puppeteer.launch({
      executablePath: CHROME,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        `--user-data-dir=${join(work, 'profile')}`,
      ],
    });
  });

  after(async () => {
    await browser?.close();
    for (const s of servers) s.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Opens an example and records page errors, CSP violations and failed requests. */
  async function open(url: string) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 900 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
    // Failed loads are reported by `response` below (browsers ask every origin for a favicon: not ours).
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const w = window as any;
        (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems };
  }

  const placerState = (page: Page) =>
    page.evaluate(() => {
      const el = document.querySelector('esign-placer') as unknown as {
        pageCount: number;
        boxWidth: number;
        boxHeight: number;
        value: unknown[];
        validity: ValidityState;
        hasAttribute(name: string): boolean;
        shadowRoot: ShadowRoot;
      } | null;
      if (!el) return null;
      const rect = el.shadowRoot.querySelector('.page[data-page="1"]')?.getBoundingClientRect();
      return {
        defined: customElements.get('esign-placer') !== undefined,
        pageCount: el.pageCount,
        boxWidth: el.boxWidth,
        boxHeight: el.boxHeight,
        boxWidthAttribute: el.hasAttribute('box-width'),
        valueMissing: el.validity.valueMissing,
        value: el.value,
        page: rect ? { left: rect.left, top: rect.top, width: rect.width } : null,
      };
    });

  async function placeBoxAndSubmit(url: string, { propertiesFromFramework }: { propertiesFromFramework: boolean }) {
    const { page, problems } = await open(url);
    await page.waitForFunction(() => (document.querySelector('esign-placer') as unknown as { pageCount?: number } | null)?.pageCount === 2, { timeout: 30000 });
    const before = (await placerState(page))!;
    assert.deepEqual([before.boxWidth, before.boxHeight], [160, 80], 'box-width/box-height reached the element');
    // React and Vue set properties (a number, no attribute); the plain page sets attributes.
    assert.equal(before.boxWidthAttribute, !propertiesFromFramework);
    assert.equal(before.valueMissing, true, 'required and empty');

    // An empty required placer blocks the submission.
    await page.click('button[type=submit]');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await page.$eval('#submitted', (e) => e.textContent), '');

    // Draw a box with a trusted mouse drag: 160 × 70 CSS pixels, 100 px into page 1.
    const p = before.page!;
    await page.mouse.move(p.left + 100, p.top + 100);
    await page.mouse.down();
    await page.mouse.move(p.left + 260, p.top + 170, { steps: 10 });
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('#last-change')?.textContent !== '', { timeout: 10000 });
    const change = JSON.parse((await page.$eval('#last-change', (e) => e.textContent))!) as Record<string, string>[];
    assert.equal(change.length, 1);
    assert.deepEqual(Object.keys(change[0]!).sort(), ['lowerLeftX', 'lowerLeftY', 'page', 'upperRightX', 'upperRightY']);
    assert.equal(change[0]!.page, '1');
    for (const v of Object.values(change[0]!)) assert.match(v, /^\d+$/, 'Peruri takes integers as strings');
    // 160 CSS pixels at the fit-width scale, in points.
    const scale = p.width / 595.28;
    assert.ok(Math.abs(Number(change[0]!.upperRightX) - Number(change[0]!.lowerLeftX) - 160 / scale) <= 1);
    assert.deepEqual((await placerState(page))!.value, change);

    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#submitted')?.textContent !== '', { timeout: 10000 });
    const submitted = JSON.parse((await page.$eval('#submitted', (e) => e.textContent))!) as Record<string, string>;
    assert.deepEqual(Object.keys(submitted), ['boxes']);
    assert.deepEqual(JSON.parse(submitted.boxes!), change);

    const csp = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
    assert.deepEqual(csp, [], 'no Content-Security-Policy violation');
    assert.deepEqual(problems, []);
    // pdf.js parsed the PDF in its worker (not in a fake worker on the main thread).
    assert.ok(page.workers().length >= 1, 'the pdf.js worker runs');
    await page.close();
  }

  it('React 19: JSX sets properties and onesign-change receives the event; the form submits the boxes', async () => {
    await placeBoxAndSubmit(`${companion}/examples/react/`, { propertiesFromFramework: true });
  });

  it('Vue 3: isCustomElement, .prop bindings and @esign-change; the form submits the boxes', async () => {
    await placeBoxAndSubmit(`${companion}/examples/vue/`, { propertiesFromFramework: true });
  });

  it('plain HTML: the self-hosted /esign-kit/esign-kit.js with its SRI hash; the form submits the boxes', async () => {
    const html = readFileSync(join(examplesDir, 'plain/index.html'), 'utf8');
    assert.ok(html.includes(`src="/esign-kit/esign-kit.js" integrity="${integrity['esign-kit.js']}" crossorigin="anonymous"`), 'the build wrote the hash in');
    // integrity.json covers every script, and each entry imports nothing at load: its own hash covers all the
    // code that runs before a PDF is shown (pdf.js and other lazy chunks come later, content-hashed).
    const scripts = readdirSync(elementsDir)
      .filter((f) => /\.m?js$/.test(f))
      .sort();
    assert.deepEqual(Object.keys(integrity).sort(), scripts);
    for (const entry of scripts.filter((f) => /^esign-[a-z0-9-]+\.js$/.test(f))) {
      const code = readFileSync(join(elementsDir, entry), 'utf8');
      assert.doesNotMatch(code, /(?:^|[;}\s])(?:import|export)\s*(?:[\w{}*,\s]+from\s*)?["']\.\//, `${entry} imports another file at load`);
      assert.equal(integrity[entry], `sha384-${createHash('sha384').update(code).digest('base64')}`);
    }
    await placeBoxAndSubmit(`${companion}/examples/plain/`, { propertiesFromFramework: false });
  });

  it('plain HTML on a portal of another origin: CORS for PORTAL_ORIGINS, pdf.js worker from the companion server', async () => {
    await placeBoxAndSubmit(`${portal}/examples/plain/`, { propertiesFromFramework: false });
  });

  it('plain HTML: a script whose integrity does not match is not run', async () => {
    const { page, problems } = await open(`${companion}/examples/plain-tampered/`);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await page.evaluate(() => customElements.get('esign-placer') === undefined), true);
    assert.ok(
      problems.some((p) => /integrity/i.test(p)),
      problems.join('\n'),
    );
    await page.close();
  });
});
