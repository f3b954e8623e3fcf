// Browser tests in the system Chromium (never a downloaded browser): see ../shared/STACK.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';

/** Writes {passed, failed, skipped} so that `npm test` prints one closing line for Node and browser tests. */
function countReporter(file) {
  const count = (suite, acc) => {
    for (const test of suite.tests ?? []) {
      if (test.skipped) acc.skipped++;
      else if (test.passed) acc.passed++;
      else acc.failed++;
    }
    for (const child of suite.suites ?? []) count(child, acc);
    return acc;
  };
  return {
    onTestRunFinished({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, acc);
        // A file that failed to load or threw outside a test has no test to count.
        if (!session.passed && (session.errors?.length ?? 0) > 0) acc.failed++;
      }
      if (file) writeFileSync(file, JSON.stringify(acc));
    },
  };
}

/** pdf-lib's package entry is CommonJS-flavoured; its bundled ES build runs in the browser as is. */
const pdfLibEsm = {
  name: 'pdf-lib-esm',
  resolveImport({ source }) {
    if (source === 'pdf-lib') return '/node_modules/pdf-lib/dist/pdf-lib.esm.js';
  },
};

/** interactjs publishes a UMD build only; run it as a module and hand out the global it defines. */
const interactUmd = {
  name: 'interactjs-umd',
  resolveImport({ source }) {
    if (source === 'interactjs') return '/__esign/interact.js';
  },
  serve(context) {
    if (context.path === '/__esign/interact.js') {
      return { body: "import '/node_modules/interactjs/dist/interact.min.js';\nexport default globalThis.interact;", type: 'js' };
    }
  },
};

/**
 * Real input for the geometry suite: puppeteer's mouse (trusted pointer events, fractional positions, steps)
 * and a device pixel ratio, which @web/test-runner-commands do not offer.
 */
const inputCommands = {
  name: 'esign-input',
  async executeCommand({ command, payload, session }) {
    if (!command.startsWith('esign-')) return undefined;
    const page = session.browser.getPage(session.id);
    if (command === 'esign-drag') {
      const { from, to, steps = 10, pointer = 'mouse' } = payload;
      const along = (i) => [from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps];
      if (pointer === 'touch') {
        await page.touchscreen.touchStart(from[0], from[1]);
        for (let i = 1; i <= steps; i++) await page.touchscreen.touchMove(...along(i));
        await page.touchscreen.touchEnd();
      } else if (pointer === 'pen') {
        // puppeteer has no pen: send CDP mouse events with pointerType "pen".
        const cdp = await page.createCDPSession();
        const send = (type, [x, y], extra = {}) => cdp.send('Input.dispatchMouseEvent', { type, x, y, pointerType: 'pen', ...extra });
        await send('mouseMoved', from);
        await send('mousePressed', from, { button: 'left', buttons: 1, clickCount: 1 });
        for (let i = 1; i <= steps; i++) await send('mouseMoved', along(i), { button: 'left', buttons: 1 });
        await send('mouseReleased', to, { button: 'left', buttons: 0, clickCount: 1 });
        await cdp.detach();
      } else {
        await page.mouse.move(from[0], from[1]);
        await page.mouse.down();
        await page.mouse.move(to[0], to[1], { steps });
        await page.mouse.up();
      }
      return true;
    }
    if (command === 'esign-encrypt') {
      // qpdf (an independent tool) makes the password-protected PDFs.
      const dir = mkdtempSync(join(tmpdir(), 'esign-qpdf-'));
      try {
        writeFileSync(join(dir, 'in.pdf'), Buffer.from(payload.pdf, 'base64'));
        execFileSync('qpdf', ['--encrypt', payload.user, payload.owner, '256', '--', join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
        return readFileSync(join(dir, 'out.pdf')).toString('base64');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (command === 'esign-dpr') {
      const viewport = page.viewport() ?? { width: 1024, height: 768 };
      await page.setViewport({ ...viewport, deviceScaleFactor: payload.dpr });
      return true;
    }
    return undefined;
  },
};

/** A PDF that arrives slowly and in pieces (with its length), so that tests can see the loading progress. */
async function slowPdf(ctx, next) {
  if (ctx.path !== '/__esign/slow.pdf') return next();
  const { PDFDocument } = await import('pdf-lib');
  const { Readable } = await import('node:stream');
  const doc = await PDFDocument.create();
  for (let i = 0; i < 40; i++) doc.addPage([595, 842]).drawText(`page ${i + 1} `.repeat(200), { x: 10, y: 400, size: 6 });
  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  const size = Math.ceil(bytes.length / 10);
  ctx.type = 'application/pdf';
  ctx.body = Readable.from((async function* () {
    for (let i = 0; i < bytes.length; i += size) {
      await new Promise((r) => setTimeout(r, 150));
      yield bytes.subarray(i, i + size);
    }
  })());
  // Koa drops the length of a stream body; set it after the body so that pdf.js can report progress.
  ctx.length = bytes.length;
}

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source', 'production'] },
  middleware: [slowPdf],
  plugins: [pdfLibEsm, interactUmd, inputCommands, esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  testFramework: { config: { timeout: 20000 } },
  // One page at a time: pdf.js paints on requestAnimationFrame, which Chromium does not fire for a page
  // that is not in front, so parallel test pages starve each other's renders (seen: 20 s timeouts).
  concurrency: 1,
  browserStartTimeout: 60000,
  testsFinishTimeout: 300000,
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter(process.env.ESIGN_TEST_RESULTS)],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
               '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
      },
    }),
  ],
};
