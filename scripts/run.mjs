#!/usr/bin/env node
// The README's two commands, `npm start` and `npm test`, land here. A fresh clone has no node_modules,
// so this file uses Node's built-ins only: it installs what is missing, then hands over.
//
//   node scripts/run.mjs start   build the demo, the elements and the examples, start the companion server (sandbox by default)
//   node scripts/run.mjs test    type check, Node tests, browser tests in Chromium
//   node scripts/run.mjs build   build the demo, the self-hosted elements (dist/elements), the examples, the
//                                Custom Elements Manifest and docs/reference, and the publishable packages
//   node scripts/run.mjs bench   benchmarks in headless Chromium; figures to bench/results.json
//   node scripts/run.mjs postgres  a throwaway PostgreSQL for running store tests by hand: prints its
//                                  ESIGN_TEST_DATABASE_URL, removed on Ctrl-C
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
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

/**
 * PostgreSQL's server programs (initdb, pg_ctl): Debian keeps them in /usr/lib/postgresql/<major>/bin, off the
 * PATH; the newest major there, else the PATH's.
 */
function findPostgresBin() {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((n) => /^\d+$/.test(n))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) {
    const dir = join(base, major, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const initdb = which('initdb');
  return initdb && which('pg_ctl') ? dirname(realpathSync(initdb)) : null;
}

/**
 * Chromium for the browser tests; poppler (pdfsig, pdftoppm), certutil and qpdf to make and check PDFs with
 * independent tools; with `postgres`, PostgreSQL's server for the store tests (a throwaway cluster, below).
 */
function ensureSystemTools({ postgres = false } = {}) {
  const missing = () => ({
    chromium: !findChrome(),
    'poppler-utils': !which('pdfsig') || !which('pdftoppm'),
    'libnss3-tools': !which('certutil'),
    // qpdf encrypts test PDFs (password-protected input).
    qpdf: !which('qpdf'),
    postgresql: postgres && !process.env.ESIGN_TEST_DATABASE_URL && !findPostgresBin(),
  });
  let packages = Object.entries(missing())
    .filter(([, absent]) => absent)
    .map(([name]) => name);
  if (!packages.length) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && which('apt-get')) {
    console.log(`› Installing ${packages.join(', ')} with apt-get…`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    mustRun('apt-get', ['update', '-qq'], { env });
    mustRun('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
    packages = Object.entries(missing())
      .filter(([, absent]) => absent)
      .map(([name]) => name);
    if (!packages.length) return;
  }
  console.error(
    [
      `✖ The tests need ${packages.join(', ')}.`,
      `  On Debian/Ubuntu: sudo apt-get install -y ${packages.join(' ')}`,
      '  To use another Chromium or Chrome, set CHROME_PATH=/path/to/chrome.',
      ...(packages.includes('postgresql')
        ? ['  To use a PostgreSQL of your own, set ESIGN_TEST_DATABASE_URL=postgres://user:password@host:port/database (a role that may create databases).']
        : []),
    ].join('\n'),
  );
  process.exit(1);
}

/** A TCP port free on loopback now (the cluster takes it a moment later; a clash fails pg_ctl, which says so). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway PostgreSQL cluster for the tests: initdb in a temporary directory, pg_ctl start on a free
 * loopback port (no Unix socket outside that directory), one database, and its URL for the test processes in
 * ESIGN_TEST_DATABASE_URL. initdb and pg_ctl refuse to run as root: as root they run as the `postgres` system
 * user Debian's package creates, in a directory it owns. Durability is off (fsync, synchronous_commit): the
 * cluster lives for one run. stop() is idempotent and runs on exit, failure and Ctrl-C too. With
 * ESIGN_TEST_DATABASE_URL already set, that database is used and nothing is started.
 */
async function startPostgres() {
  if (process.env.ESIGN_TEST_DATABASE_URL) {
    console.log('› PostgreSQL: using ESIGN_TEST_DATABASE_URL from the environment');
    return { url: process.env.ESIGN_TEST_DATABASE_URL, stop() {} };
  }
  const binDir = findPostgresBin();
  if (!binDir) {
    console.error('✖ PostgreSQL (initdb, pg_ctl) is not installed: sudo apt-get install -y postgresql');
    process.exit(1);
  }
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'esign-pg-'));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let as = (cmd, args) => [join(binDir, cmd), args];
  const password = randomBytes(18).toString('base64url');
  writeFileSync(join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  if (isRoot) {
    const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    const [uid, gid] = [id('-u'), id('-g')];
    if (uid.status !== 0 || gid.status !== 0 || !which('runuser')) {
      rmSync(dir, { recursive: true, force: true });
      console.error(
        '✖ As root, the test cluster runs as the "postgres" system user (initdb refuses root), with runuser: neither was found. Install Debian\'s postgresql package, or set ESIGN_TEST_DATABASE_URL.',
      );
      process.exit(1);
    }
    for (const path of [dir, join(dir, 'pwfile')]) chownSync(path, Number(uid.stdout), Number(gid.stdout));
    as = (cmd, args) => ['runuser', ['-u', 'postgres', '--', join(binDir, cmd), ...args]];
  }
  const quiet = { stdio: ['ignore', 'ignore', 'inherit'] };
  let stopped = false;
  let running = false;
  // Ctrl-C or a kill while the cluster lives: leave through 'exit', which stops it (pg_ctl detaches it from
  // this process group, so the signal does not reach it).
  const signals = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ].map(([signal, code]) => [signal, () => process.exit(code)]);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (running) spawnSync(...as('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']), quiet);
    rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', stop);
    for (const [signal, handler] of signals) process.removeListener(signal, handler);
  };
  process.on('exit', stop);
  for (const [signal, handler] of signals) process.on(signal, handler);
  const fail = (what) => {
    const log = join(dir, 'postgres.log');
    if (existsSync(log)) process.stderr.write(readFileSync(log, 'utf8').split('\n').slice(-20).join('\n'));
    console.error(`\n✖ The test PostgreSQL: ${what} failed`);
    process.exit(1);
  };
  const initdb = [
    '-D',
    join(dir, 'data'),
    '-U',
    'esign',
    `--pwfile=${join(dir, 'pwfile')}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ];
  if (run(...as('initdb', initdb), quiet) !== 0) fail('initdb');
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  running = true;
  if (run(...as('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o', settings, 'start']), quiet) !== 0)
    fail('pg_ctl start');
  const env = { PGPASSWORD: password };
  if (run(join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'esign', 'esign_test'], { ...quiet, env }) !== 0) fail('createdb');
  const url = `postgres://esign:${password}@127.0.0.1:${port}/esign_test`;
  console.log(
    `› PostgreSQL ${relative('/usr/lib/postgresql', binDir).split('/')[0] || ''} on 127.0.0.1:${port} (throwaway cluster, ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return { url, stop };
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

async function test() {
  ensureNodeModules();
  ensureSystemTools({ postgres: true });
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });

  console.log('\n› Type check (tsc --noEmit, strict)');
  mustRun(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/core/tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/bridge/tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/pdf/tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/verify/tsconfig.json']);
  mustRun(bin('tsc'), ['--noEmit', '-p', 'packages/sandbox/tsconfig.json']);

  await lint();

  console.log('\n› Node tests');
  const files = NODE_TEST_DIRS.flatMap((dir) => findTests(join(root, dir)));
  // The store tests run against a real PostgreSQL (server/test/store): started here, removed after the Node tests.
  const postgres = await startPostgres();
  const nodeStatus = run(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/count-reporter.mjs',
      `--test-reporter-destination=${join(RESULTS, 'node.json')}`,
      ...files,
    ],
    { env: { ESIGN_TEST_DATABASE_URL: postgres.url } },
  );
  postgres.stop();

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
  for (const pkg of ['core', 'pdf', 'bridge', 'verify', 'elements']) mustRun(bin('tsc'), ['-p', `packages/${pkg}/tsconfig.build.json`]);
}

async function bench() {
  ensureNodeModules();
  ensureSystemTools({ postgres: true });
  // The companion's figures with the PostgreSQL store too (bench/server.node-bench.ts): a throwaway cluster.
  const postgres = await startPostgres();
  const status = run(process.execPath, ['scripts/bench.mjs'], { env: { CHROME_PATH: findChrome() ?? '', ESIGN_BENCH_DATABASE_URL: postgres.url } });
  postgres.stop();
  if (status !== 0) process.exit(status);
}

/** A throwaway PostgreSQL until Ctrl-C, for running one store test by hand (see the skip message of those tests). */
async function postgres() {
  const { url } = await startPostgres();
  console.log(
    `\nESIGN_TEST_DATABASE_URL=${url}\n\nRun a test with it, e.g.\n  ESIGN_TEST_DATABASE_URL='${url}' node --conditions=source --import tsx --test server/test/store/postgres.test.ts\nCtrl-C stops and removes the cluster.`,
  );
  // Nothing else keeps the process alive: wait for Ctrl-C (SIGINT → exit → stop).
  setInterval(() => {}, 1 << 30);
}

/**
 * `npm run lint` and npm test's lint step: ESLint (eslint.config.js) and Prettier's check (.prettierrc.json), side
 * by side (ESLint's type-aware rules keep one core busy building the program; Prettier uses the other). Prettier
 * keeps a cache keyed on each file's content and the config (under node_modules/.cache): formatting depends on
 * nothing but the file, so a cached "formatted" is never stale. ESLint keeps none: its type-aware rules judge a
 * file by the others too.
 */
async function lint() {
  console.log('\n› Lint (eslint, prettier --check)');
  await mustRunTogether([
    [bin('eslint'), ['.']],
    [bin('prettier'), ['--check', '.', '--log-level', 'warn', '--cache', '--cache-strategy', 'content']],
  ]);
}

const commands = { test, start, build, bench, postgres, lint };
const command = commands[process.argv[2]];
if (!command) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
await command();
