// A person's eye on the demo: its main screens — the placer with boxes on a rotated page, Peruri's signing
// page open in <esign-webview>, a verify result — at desktop and phone widths, in English and Indonesian.
// Each screen is checked for what a person would notice first: nothing wider than the screen, no empty or
// untranslated labels, no "undefined". Screenshots land in .test-results/screenshots; with
// UPDATE_SCREENSHOTS=1 they also replace docs/screenshots, which the README shows.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { startDemo, type DemoServer } from './support/demo-server.js';

const OUT = join(process.cwd(), '.test-results', 'screenshots');
const DOCS = join(process.cwd(), 'docs', 'screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
const LANGS = ['en', 'id'] as const;

/**
 * What a person would notice: content wider than the screen, empty labels, raw placeholders. Browser-side
 * code as text: the test's TypeScript build would wrap named functions in helpers the page does not have.
 */
const FIND_PROBLEMS = `(selector) => {
  const found = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) found.push('the page scrolls sideways (' + document.documentElement.scrollWidth + ' > ' + width + ')');
  const root = document.querySelector(selector);
  const visit = (e) => {
    const box = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    if (box.width === 0 || style.visibility === 'hidden' || style.display === 'none') return;
    // Inside something that scrolls on purpose (a PDF, a code block), wide content is expected.
    const scroller = e.closest('pre, .pages, [part~="viewport"], iframe');
    if (!scroller && box.right > width + 1) found.push('<' + e.localName + (e.id ? '#' + e.id : '') + '> ends at ' + Math.round(box.right) + ' px, past the ' + width + ' px screen');
    if (['BUTTON', 'LABEL', 'H2', 'H3', 'LEGEND', 'SUMMARY'].includes(e.tagName) && !(e.textContent || '').trim() && !e.getAttribute('aria-label')) found.push('an empty <' + e.localName + '>');
  };
  // Into open shadow roots too: the elements' own labels count.
  const walk = (node) => {
    for (const child of node.children) {
      visit(child);
      if (child.shadowRoot) walk(child.shadowRoot);
      walk(child);
    }
  };
  walk(root);
  const text = root.innerText;
  for (const raw of ['undefined', 'NaN', '[object Object]']) if (text.includes(raw)) found.push('"' + raw + '" shown');
  return found;
}`;

async function problems(page: Page, section: string): Promise<string[]> {
  return page.evaluate(`(${FIND_PROBLEMS})(${JSON.stringify(section)})`) as Promise<string[]>;
}

async function untranslated(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-i18n]')].filter((e) => e.dataset.i18nShown !== 'id').map((e) => e.dataset.i18n!),
  );
}

describe('demo screenshots (desktop and phone, English and Indonesian)', { timeout: 240000 }, () => {
  let demo: DemoServer;
  before(async () => {
    demo = await startDemo('demo-screenshots');
    mkdirSync(OUT, { recursive: true });
  });
  after(() => demo?.close());

  async function open(lang: string, viewport: { width: number; height: number }) {
    const page = await demo.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewport(viewport);
    await page.goto(`${demo.base}/?lang=${lang}`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(() => (document.querySelector('esign-placer') as unknown as { pageCount: number })?.pageCount > 0, { timeout: 20000 });
    return { page, errors };
  }

  async function shoot(page: Page, name: string, selector: string) {
    const element = (await page.$(selector))!;
    await element.scrollIntoView();
    const file = join(OUT, `${name}.png`);
    await element.screenshot({ path: file as `${string}.png` });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(file, join(DOCS, `${name}.png`));
    }
  }

  for (const lang of LANGS) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      it(`${lang}, ${device}: placer on a rotated page, Peruri's signing page, a verify result`, async () => {
        const { page, errors } = await open(lang, viewport);
        if (lang === 'id') assert.deepEqual(await untranslated(page), [], 'labels left in English');

        // 1. Boxes on the rotated sample.
        await page.select('#placer-controls [name=sample]', 'rotated.pdf');
        await page.waitForFunction(
          () =>
            (document.querySelector('esign-placer') as unknown as { src: string; pageCount: number }).src.endsWith('rotated.pdf') &&
            (document.querySelector('esign-placer') as unknown as { pageCount: number }).pageCount === 2,
          { timeout: 20000 },
        );
        await page.evaluate(() => {
          const placer = document.querySelector('esign-placer') as unknown as { addBox(b: object): string };
          placer.addBox({ page: 1, x: 300, y: 500, width: 60, height: 150 });
          placer.addBox({ page: 1, x: 300, y: 200, width: 60, height: 150 });
        });
        await page.waitForFunction(() => document.querySelector('#placer-value')!.textContent!.includes('lowerLeftX'));
        assert.deepEqual(await problems(page, '#step-place'), []);
        await shoot(page, `placer-${device}-${lang}`, '#step-place');

        // 2. Peruri's signing page open in <esign-webview>.
        await page.click('#sign-button');
        await page.waitForFunction(() => (document.querySelector('esign-webview') as unknown as { status: string } | null)?.status === 'open', {
          timeout: 20000,
        });
        await page.waitForFrame((f) => f.url().includes('/peruri/signing.php'), { timeout: 20000 });
        assert.deepEqual(await problems(page, '#step-sign'), []);
        await shoot(page, `webview-${device}-${lang}`, '#step-sign');

        // 3. A verify result: BSrE signs (no web view), the signed PDF lands in <esign-verify>.
        await page.select('#placer-controls [name=provider]', 'bsre-v2');
        await page.click('#sign-button');
        await page.waitForFunction(() => document.querySelector('#sign-result a[download]') !== null, { timeout: 30000 });
        await page.waitForFunction(() => (document.querySelector('esign-verify') as unknown as { report?: unknown } | null)?.report !== undefined, {
          timeout: 30000,
        });
        assert.deepEqual(await problems(page, '#step-verify'), []);
        await shoot(page, `verify-${device}-${lang}`, '#step-verify');
        assert.deepEqual(errors, []);
        await page.close();
      });
    }
  }
});
