#!/usr/bin/env node
// The README's two commands, `npm start` and `npm test`, land here. A fresh clone has no node_modules,
// so this file uses Node's built-ins only: it installs what is missing, then hands over.
//
//   node scripts/run.mjs start   build the demo, the elements and the examples, start the companion server (sandbox by default)
//   node scripts/run.mjs test    type check, Node tests, browser tests in Chromium
//   node scripts/run.mjs build   build the demo, the self-hosted elements (dist/elements), the examples, the
//                                Custom Elements Manifest and docs/reference, and the publishable packages
//   node scripts/run.mjs bench   benchmarks in headless Chromium; figures to bench/results.json
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options, env: { ...process.env, ...options.env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mustRun(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    console.error(`\n✖ ${[cmd, ...args].map((a) => relative(root, a) || a).join(' ')} exited with ${status}`);
    process.exit(status);
  }
}

/** Runs commands side by side (independent builds: two cores build two things); exits on the first failure. */
async function mustRunTogether(commands) {
  const statuses = await Promise.all(
    commands.map(
      ([cmd, args]) =>
        new Promise((resolve, reject) => {
          const child = spawn(cmd, args, { stdio: 'inherit' });
          child.on('error', reject);
          child.on('exit', (code) => resolve([cmd, args, code ?? 1]));
        }),
    ),
  );
  for (const [cmd, args, status] of statuses) {
    if (status !== 0) {
      console.error(`\n✖ ${[cmd, ...args].map((a) => relative(root, a) || a).join(' ')} exited with ${status}`);
      process.exit(status);
    }
  }
}

/** `npm ci` when node_modules is absent or older than the lockfile (npm stamps node_modules/.package-lock.json). */
function ensureNodeModules() {
  const stamp = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('› Installing dependencies (npm ci)…');
  mustRun('npm', ['ci', '--no-audit', '--no-fund']);
}

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

function findChrome() {
  if (process.env.CHROME_PATH) return existsSync(process.env.CHROME_PATH) ? process.env.CHROME_PATH : null;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = which(name);
    if (found) return found;
  }
  return null;
}

/** Chromium for the browser tests; poppler (pdfsig, pdftoppm), certutil and qpdf to make and check PDFs with independent tools. */
function ensureSystemTools() {
  const missing = () => ({
    chromium: !findChrome(),
    'poppler-utils': !which('pdfsig') || !which('pdftoppm'),
    'libnss3-tools': !which('certutil'),
    // qpdf encrypts test PDFs (password-protected input).
    qpdf: !which('qpdf'),
  });
  let packages = Object.entries(missing()).filter(([, absent]) => absent).map(([name]) => name);
  if (!packages.length) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && which('apt-get')) {
    console.log(`› Installing ${packages.join(', ')} with apt-get…`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    mustRun('apt-get', ['update', '-qq'], { env });
    mustRun('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
    packages = Object.entries(missing()).filter(([, absent]) => absent).map(([name]) => name);
    if (!packages.length) return;
  }
  console.error(
    [
      `✖ The tests need ${packages.join(', ')}.`,
      '  On Debian/Ubuntu: sudo apt-get install -y chromium poppler-utils libnss3-tools qpdf',
      '  To use another Chromium or Chrome, set CHROME_PATH=/path/to/chrome.',
    ].join('\n'),
  );
  process.exit(1);
}

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') findTests(path, out);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const NODE_TEST_DIRS = ['packages/core/test', 'packages/bridge/test', 'server/test', 'packages/sandbox/test', 'test/node'];
const RESULTS = join(root, '.test-results');

function counts(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 1, skipped: 0 };
}

function test() {
  ensureNodeModules();
  ensureSystemTools();
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });

  console.log('\n› Type check (tsc --noEmit, strict)');
  mustRun(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/core/tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/bridge/tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/verify/tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/sandbox/tsconfig.json']);

  console.log('\n› Node tests');
  const files = NODE_TEST_DIRS.flatMap((dir) => findTests(join(root, dir)));
  const nodeStatus = run(process.execPath, [
    '--conditions=source',
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs',
    `--test-reporter-destination=${join(RESULTS, 'node.json')}`,
    ...files,
  ]);

  console.log('\n› Browser tests (headless Chromium)');
  const browserStatus = run(bin('wtr'), ['--config', 'web-test-runner.config.mjs'], {
    env: { CHROME_PATH: findChrome() ?? '', ESIGN_TEST_RESULTS: join(RESULTS, 'browser.json') },
  });

  const node = counts(join(RESULTS, 'node.json'));
  const browser = counts(join(RESULTS, 'browser.json'));
  const passed = node.passed + browser.passed;
  const failed = node.failed + browser.failed + (nodeStatus !== 0 && node.failed === 0 ? 1 : 0) + (browserStatus !== 0 && browser.failed === 0 ? 1 : 0);
  const skipped = node.skipped + browser.skipped;
  console.log(`\nNode: ${node.passed} passed, ${node.failed} failed · Browser: ${browser.passed} passed, ${browser.failed} failed`);
  console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 ? 1 : 0);
}

const DEMO_BUILD = [bin('vite'), ['build', '--logLevel', 'warn']];
const ELEMENTS_BUILD = [process.execPath, ['scripts/build-elements.mjs']];
// After the elements: the examples go into dist/demo/examples, and the plain one takes its SRI hash from dist/elements.
const EXAMPLES_BUILD = [bin('vite'), ['build', '-c', 'vite.examples.config.ts', '--logLevel', 'warn']];

async function start() {
  ensureNodeModules();
  console.log('› Building the demo and the elements…');
  // The demo (dist/demo) and the self-hosted elements (dist/elements) side by side; the framework examples
  // (/examples/) are built while the server starts, so that they cost `npm start` no time.
  await mustRunTogether([DEMO_BUILD, ELEMENTS_BUILD]);
  const examples = spawn(...EXAMPLES_BUILD, { stdio: 'inherit' });
  examples.on('exit', (code) => code !== 0 && console.error(`✖ building the examples failed (${code}): /examples/ is not served`));
  const server = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'server/src/main.ts'], { stdio: 'inherit' });
  // Ctrl-C reaches the server too (same process group): wait for it to close, then leave with its status.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => {
    if (examples.exitCode === null) examples.kill('SIGTERM');
    process.exit(code ?? (signal ? 0 : 1));
  });
}

async function build() {
  ensureNodeModules();
  await mustRunTogether([DEMO_BUILD, ELEMENTS_BUILD]);
  mustRun(...EXAMPLES_BUILD);
  // The Custom Elements Manifest (packages/elements/custom-elements.json), then the reference pages made from it.
  mustRun(bin('cem'), ['analyze', '--config', 'custom-elements-manifest.config.mjs']);
  mustRun(process.execPath, ['scripts/reference-docs.mjs']);
  // The npm packages' dist: ES modules and type declarations.
  for (const pkg of ['core', 'bridge', 'verify', 'elements']) mustRun(bin('tsc'), ['-p', `packages/${pkg}/tsconfig.build.json`]);
}

function bench() {
  ensureNodeModules();
  ensureSystemTools();
  mustRun(process.execPath, ['scripts/bench.mjs'], { env: { CHROME_PATH: findChrome() ?? '' } });
}

const commands = { test, start, build, bench };
const command = commands[process.argv[2]];
if (!command) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
await command();
