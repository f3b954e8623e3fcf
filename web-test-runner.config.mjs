// Browser tests in the system Chromium (never a downloaded browser): see ../shared/STACK.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
 * A module fetched by URL rather than imported (a worker: `new Worker(new URL('./verify-worker.js', import.meta.url))`)
 * is asked for as `.js`, as the built package names it; in the sources it is `.ts`. Serve a module that imports it.
 */
const workerSources = {
  name: 'esign-worker-sources',
  serve(context) {
    if (!/^\/packages\/[a-z]+\/src\/[a-z-]+-worker\.js$/.test(context.path)) return undefined;
    const ts = join(fileURLToPath(new URL('.', import.meta.url)), context.path.slice(1).replace(/\.js$/, '.ts'));
    if (!existsSync(ts)) return undefined;
    return { body: `import ${JSON.stringify(`./${context.path.split('/').pop().replace(/\.js$/, '.ts')}`)};\n`, type: 'js' };
  },
};

/** A CDP session per test page that blocks URLs (`esign-block-urls`): it must stay open for the block to last. */
const blockers = {};

/**
 * Real input for the geometry suite: puppeteer's mouse (trusted pointer events, fractional positions, steps),
 * Ctrl+wheel and two-finger pinches (CDP), a device pixel ratio, which @web/test-runner-commands do not offer;
 * and independent tools (qpdf, poppler's pdftoppm).
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
    if (command === 'esign-block-urls') {
      // Requests whose URL matches one of `patterns` fail as a network failure would (CDP; [] lifts the block).
      blockers[session.id] ??= await page.createCDPSession();
      await blockers[session.id].send('Network.enable');
      await blockers[session.id].send('Network.setBlockedURLs', { urls: payload.patterns });
      return true;
    }
    if (command === 'esign-dpr') {
      const viewport = page.viewport() ?? { width: 1024, height: 768 };
      await page.setViewport({ ...viewport, deviceScaleFactor: payload.dpr });
      return true;
    }
    if (command === 'esign-wheel') {
      // A trusted wheel event at (x, y), with modifiers (CDP: Alt 1, Ctrl 2, Meta 4, Shift 8).
      const cdp = await page.createCDPSession();
      const { x, y, deltaY, modifiers = 0 } = payload;
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y, modifiers });
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x, y, deltaX: 0, deltaY, modifiers });
      await cdp.detach();
      return true;
    }
    if (command === 'esign-pinch') {
      // Two fingers from `from` to `to` ([[x1, y1], [x2, y2]] each), in `steps` trusted touch moves. Touch
      // events exist only on touch screens: emulate one for the gesture.
      const cdp = await page.createCDPSession();
      const { from, to, steps = 10 } = payload;
      const at = (i) => from.map((p, k) => ({ x: p[0] + ((to[k][0] - p[0]) * i) / steps, y: p[1] + ((to[k][1] - p[1]) * i) / steps, id: k }));
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 2 });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
      for (let i = 1; i <= steps; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(i) });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: false });
      await cdp.detach();
      return true;
    }
    if (command === 'esign-pdftoppm') {
      // poppler renders a page (an independent renderer): 8-bit grey, one row after another, at `dpi`, clipped to the CropBox.
      const dir = mkdtempSync(join(tmpdir(), 'esign-ppm-'));
      try {
        writeFileSync(join(dir, 'in.pdf'), Buffer.from(payload.pdf, 'base64'));
        const page = String(payload.page ?? 1);
        execFileSync('pdftoppm', [
          '-gray',
          '-r',
          String(payload.dpi ?? 72),
          '-cropbox',
          '-f',
          page,
          '-l',
          page,
          '-singlefile',
          join(dir, 'in.pdf'),
          join(dir, 'out'),
        ]);
        const file = readFileSync(join(dir, 'out.pgm'));
        const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(file.subarray(0, 64).toString('latin1'));
        if (!header) throw new Error('pdftoppm did not write a P5 image');
        return { width: Number(header[1]), height: Number(header[2]), data: file.subarray(header[0].length).toString('base64') };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
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
  ctx.body = Readable.from(
    (async function* () {
      for (let i = 0; i < bytes.length; i += size) {
        await new Promise((r) => setTimeout(r, 150));
        yield bytes.subarray(i, i + size);
      }
    })(),
  );
  // Koa drops the length of a stream body; set it after the body so that pdf.js can report progress.
  ctx.length = bytes.length;
}

/**
 * The companion server with the sandbox providers, for the <esign-webview> tests: test/node/support/wtr-kit-server.ts
 * (a typed module, checked by the root tsconfig), run in a child Node process (TypeScript sources through tsx,
 * `source` condition) started with the test runner's server (in the background; the commands wait for it). Commands:
 * - `esign-kit-server` → `{ base, webViewBase, token }` (a fresh portal token from loopback `POST /api/tokens`);
 * - `esign-kit-inbox` `{ provider, to }` → the newest OTP code in the sandbox inbox;
 * - `esign-kit-verify` `{ documentId }` → poppler's pdfsig report of a stored document (sandbox root trusted);
 * - `esign-kit-encrypt` `{ payload, key }` → a Digisign redirect `msg` (URL-encoded), for tampering tests;
 * - `esign-frame` `{ name, steps }` → drives the cross-origin iframe whose window.name is `name` (puppeteer):
 *   `{ results, next }`, `next` the step to ask again from when a wait outlasted the command's budget.
 */
const KIT_SERVER = 'test/node/support/wtr-kit-server.ts';
/** How long one `esign-frame` command drives a frame before it answers (the web socket waits 20 s at most). */
const FRAME_COMMAND_BUDGET_MS = 14000;

function esignKitServer() {
  let origins = [];
  let kit = null;
  let child = null;
  const root = fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
  const start = () =>
    (kit ??= new Promise((resolve, reject) => {
      child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', KIT_SERVER], {
        cwd: root,
        env: { ...process.env, ESIGN_KIT_PORTAL_ORIGINS: origins.join(',') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => {
        out += c;
        const line = out.split('\n')[0];
        if (out.includes('\n')) resolve(JSON.parse(line));
      });
      child.stderr.on('data', (c) => (err += c));
      child.on('exit', (code) => reject(new Error(`the esign-kit server exited (${code}): ${err.slice(-2000)}`)));
    }));
  const control = async (path, body) => {
    const { control: url } = await start();
    const res = await fetch(url + path, { method: 'POST', body: JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(json.error);
    return json;
  };
  /** The frame of the iframe element named `name`, in the page or in any shadow root (the element's). */
  const frameByName = async (page, name) => {
    const handle = await page.$(`pierce/iframe[name=${JSON.stringify(name)}]`);
    if (!handle) return null;
    const frame = await handle.contentFrame();
    await handle.dispose();
    return frame;
  };
  return {
    name: 'esign-kit-server',
    serverStart({ config }) {
      origins = [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`];
      if (config.hostname && !['localhost', '127.0.0.1'].includes(config.hostname)) origins.push(`http://${config.hostname}:${config.port}`);
      // Started now, while the browser starts: a browser's command is answered within 20 s or fails (a fixed
      // limit of @web/dev-server-core), and on a loaded machine the first start took longer than that.
      start().catch(() => {}); // the commands report its failure
    },
    serverStop() {
      if (child && child.exitCode === null) child.kill('SIGTERM');
      if (kit)
        kit.then(
          ({ dataDir }) => rmSync(dataDir, { recursive: true, force: true }),
          () => {},
        );
    },
    async executeCommand({ command, payload, session }) {
      if (command === 'esign-kit-server') {
        const info = await start();
        const res = await fetch(`${info.base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        const { token } = await res.json();
        return { base: info.base, webViewBase: info.webViewBase, token };
      }
      if (command === 'esign-kit-inbox') {
        const { base } = await start();
        const inbox = await (
          await fetch(`${base}/sandbox/inbox.json?provider=${encodeURIComponent(payload.provider)}&to=${encodeURIComponent(payload.to)}`)
        ).json();
        return inbox.messages.find((m) => m.code)?.code ?? null;
      }
      if (command === 'esign-kit-verify') return control('/verify', payload);
      if (command === 'esign-kit-encrypt') return control('/encrypt', payload);
      if (command === 'esign-frame') {
        // A server command must answer within 20 s (@web/dev-server-core's web socket; not configurable), and a
        // frame on a busy machine can take longer to load or to show a provider's answer. So the steps run until
        // FRAME_COMMAND_BUDGET_MS has passed; a wait still unmet then (the frame not found yet, waitFor,
        // waitForText) is answered `{ next }`, with what the frame shows, and the browser side asks again from that
        // step (test/browser/webview-helpers.ts frameSteps), up to its own deadline. Only waits are ever repeated.
        const page = session.browser.getPage(session.id);
        const deadline = Date.now() + FRAME_COMMAND_BUDGET_MS;
        const left = () => Math.max(1, deadline - Date.now());
        const results = [];
        for (const [i, step] of payload.steps.entries()) {
          let frame = null;
          for (; !frame && Date.now() < deadline;) {
            frame = await frameByName(page, payload.name);
            if (!frame) await new Promise((r) => setTimeout(r, 100));
          }
          if (!frame) return { results, next: i, url: null, shows: `no frame named ${payload.name} yet` };
          try {
            // Loaded too: a sandbox page's buttons are parsed before the script that gives them their handlers,
            // and a click in between does nothing (a flake on a busy machine).
            if (step.waitFor) {
              await frame.waitForSelector(step.waitFor, { visible: true, timeout: left() });
              await frame.waitForFunction(() => document.readyState === 'complete', { timeout: left() });
            }
            // A DOM click: coordinates inside a scrolled cross-origin frame are not reliable.
            else if (step.click) await frame.$eval(step.click, (el) => el.click());
            else if (step.submit)
              await Promise.all([frame.waitForNavigation({ timeout: left() }).catch(() => null), frame.$eval(step.submit, (el) => el.click())]);
            else if (step.type)
              await frame.$eval(
                step.type[0],
                (el, value) => {
                  el.value = value;
                  el.dispatchEvent(new Event('input', { bubbles: true }));
                },
                step.type[1],
              );
            else if (step.check)
              await frame.$eval(step.check, (el) => {
                el.checked = true;
              });
            else if (step.waitForText)
              await frame.waitForFunction((t) => document.body && document.body.innerText.includes(t), { timeout: left() }, step.waitForText);
            else if (step.evaluate) results.push(await frame.evaluate(step.evaluate));
            else if (step.url) results.push(frame.url());
          } catch (err) {
            if (err?.name !== 'TimeoutError' || !(step.waitFor || step.waitForText)) throw err;
            const shows = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '?');
            return { results, next: i, url: frame.url(), shows };
          }
        }
        return { results, next: null };
      }
    },
  };
}

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source', 'production'] },
  middleware: [slowPdf],
  plugins: [pdfLibEsm, interactUmd, workerSources, inputCommands, esignKitServer(), esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
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
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
          '--disable-renderer-backgrounding',
          '--disable-background-timer-throttling',
        ],
      },
    }),
  ],
};
