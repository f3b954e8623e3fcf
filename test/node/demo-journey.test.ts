// The demo as `npm start` serves it, driven like a person in the system Chromium: place a box on the sample
// contract, Sign with Peruri, read the OTP from the sandbox inbox, sign in the web view on its own origin, and
// get the confirmed, stored PDF offered for download. The BSrE path (no web view) is driven too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { build } from 'vite';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log/logger.js';
import { createSandboxRouter, createSandboxWebViewApp } from '../../server/src/sandbox/index.js';

const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';

describe('the demo journey in Chromium', { timeout: 180000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'esign-demo-journey-'));
  const servers: Server[] = [];
  let base = '';
  let browser: Browser;

  before(async () => {
    const demoDir = join(work, 'demo');
    await build({ configFile: join(process.cwd(), 'vite.config.ts'), logLevel: 'silent', build: { outDir: demoDir, emptyOutDir: true } });
    const server = createServer();
    const webViews = createServer();
    for (const s of [server, webViews]) {
      servers.push(s);
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    }
    const port = (server.address() as AddressInfo).port;
    const webViewPort = (webViews.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    const config = loadConfig({ PORT: String(port), DATA_DIR: join(work, 'data'), PUBLIC_URL: base, SANDBOX_WEBVIEW_URL: `http://127.0.0.1:${webViewPort}`, PORTAL_ORIGINS: base, LOG_LEVEL: 'silent' });
    const sandbox = config.sandbox!;
    server.on('request', createApp({ config, version: 'test', demoDir, logger: createLogger({ level: 'silent', secrets: config.secrets }), mountSandbox: (a) => a.use('/sandbox', createSandboxRouter(sandbox)) }));
    webViews.on('request', createSandboxWebViewApp(sandbox));
    browser = await puppeteer.launch({
      executablePath: CHROME,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', `--user-data-dir=${join(work, 'profile')}`],
    });
  });
  after(async () => {
    await browser?.close();
    for (const s of servers) s.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function openWithBox(provider: string) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(() => (document.querySelector('esign-placer') as unknown as { pageCount: number })?.pageCount === 2, { timeout: 20000 });
    await page.evaluate(async (provider) => {
      const placer = document.querySelector('esign-placer') as unknown as { addBox(b: object): string };
      placer.addBox({ page: 2, x: 70, y: 120, width: 150, height: 70 });
      const select = document.querySelector<HTMLSelectElement>('#placer-controls [name=provider]')!;
      select.value = provider;
      select.dispatchEvent(new Event('change'));
      await new Promise((r) => setTimeout(r, 100));
      document.querySelector<HTMLButtonElement>('#sign-button')!.click();
    }, provider);
    return { page, errors };
  }

  const downloadOffered = (page: import('puppeteer-core').Page) =>
    page.waitForFunction(() => document.querySelector('#sign-result a[download]') !== null, { timeout: 30000 });

  it('Peruri: Sign opens the signing page in <esign-webview>; with the OTP from the inbox the signed PDF is offered', async () => {
    const { page, errors } = await openWithBox('peruri');
    await page.waitForFunction(() => (document.querySelector('esign-webview') as unknown as { status: string })?.status === 'open', { timeout: 20000 });
    const frame = await page.waitForFrame((f) => f.url().includes('/peruri/signing.php'), { timeout: 20000 });
    assert.notEqual(new URL(frame.url()).origin, base, 'the web view runs on its own origin');
    await frame.evaluate(() => [...document.querySelectorAll('button')].find((b) => /OTP/.test(b.textContent ?? ''))!.click());
    let code: string | undefined;
    for (let i = 0; i < 20 && !code; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const inbox = (await (await fetch(`${base}/sandbox/inbox.json?provider=peruri&to=siti@peruri.sandbox.test`)).json()) as { messages: { code?: string }[] };
      code = inbox.messages.find((m) => m.code)?.code;
    }
    assert.ok(code, 'no OTP in the sandbox inbox');
    await frame.evaluate((otp) => {
      document.querySelector<HTMLInputElement>('input[name=otp], input[inputmode=numeric]')!.value = otp;
      [...document.querySelectorAll('button')].find((b) => /Tanda tangan/.test(b.textContent ?? ''))!.click();
    }, code);
    await downloadOffered(page);
    assert.equal(await page.$eval('#sign-status', (e) => e.textContent), 'The provider confirmed the signature.');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('BSrE: Sign signs with the demo NIK and passphrase and offers the signed PDF', async () => {
    const { page, errors } = await openWithBox('bsre-v2');
    await downloadOffered(page);
    assert.match((await page.$eval('#sign-status', (e) => e.textContent)) ?? '', /BSrE \(v2\) signed/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
