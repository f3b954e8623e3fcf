// The demo as `npm start` serves it, for tests that drive it in the system Chromium: the demo built with
// Vite into a temporary folder, the companion server in sandbox mode on loopback with the sandbox mounted,
// the sandbox web views on their own origin, and a browser.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { build } from 'vite';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/log/logger.js';
import { createSandboxRouter, createSandboxWebViewApp } from '../../../packages/sandbox/src/index.js';

export interface DemoServer {
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startDemo(name: string): Promise<DemoServer> {
  const work = mkdtempSync(join(tmpdir(), `esign-${name}-`));
  const servers: Server[] = [];
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
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    DATA_DIR: join(work, 'data'),
    PUBLIC_URL: base,
    SANDBOX_WEBVIEW_URL: `http://127.0.0.1:${webViewPort}`,
    PORTAL_ORIGINS: base,
    LOG_LEVEL: 'silent',
  });
  const sandbox = config.sandbox!;
  server.on(
    'request',
    createApp({
      config,
      version: 'test',
      demoDir,
      logger: createLogger({ level: 'silent', secrets: config.secrets }),
      mountSandbox: (a) => a.use('/sandbox', createSandboxRouter(sandbox)),
    }),
  );
  webViews.on('request', createSandboxWebViewApp(sandbox));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
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
  return {
    base,
    browser,
    async close() {
      await browser.close();
      for (const s of servers) s.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The newest code the sandbox "sent" to `to` (its inbox), waiting up to 5 s. */
export async function inboxCode(base: string, provider: string, to: string): Promise<string> {
  // Up to 20 s: on two busy cores the OTP request crosses the companion and the simulator before it lands.
  for (let i = 0; i < 80; i++) {
    const inbox = (await (await fetch(`${base}/sandbox/inbox.json?provider=${provider}&to=${encodeURIComponent(to)}`)).json()) as {
      messages: { code?: string }[];
    };
    const code = inbox.messages.find((m) => m.code)?.code;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no code for ${to} in the sandbox inbox`);
}
