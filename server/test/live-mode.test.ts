// The sandbox (@esign-kit/sandbox) is a package of its own that the server loads by dynamic import in sandbox
// mode only (server/src/sandbox-loader.ts). These tests start real server processes with a module-loader
// hook that records every module they resolve (support/load-recorder.mjs), let them answer requests, and read
// the record: a live server never loads a sandbox module, and building the live providers loads no HTTP code
// (the request inspector's recorder is Express-free). The sandbox-mode server is the control: the same
// record shows the sandbox there, so the live assertion is not vacuous.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { signPortalToken } from '../src/auth/jwt.js';
import { ENV, SECRET } from './http/helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const recorder = fileURLToPath(new URL('./support/load-recorder.mjs', import.meta.url));
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `args` (after tsx and the recorder) until `ready` says so, then `use`s it and stops it; the modules it resolved. */
async function recorded(args: string[], env: Record<string, string>, use: (stdout: string) => Promise<void>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'esign-loads-'));
  dirs.push(dir);
  const log = join(dir, 'loads.txt');
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--import', recorder, ...args], {
    cwd: root,
    env: { ...process.env, ...env, DATA_DIR: join(dir, 'data'), ESIGN_LOAD_LOG: log, LOG_LEVEL: 'silent', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        stdout += c;
        if (/ready|companion server \(\w+\) on http/.test(stdout)) resolve();
      });
      void exited.then((code) => reject(new Error(`exited with ${code} before it was ready: ${stderr}`)));
    });
    await use(stdout);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const inSandboxPackage = (url: string) => url.includes('/packages/sandbox/') || url.includes('@esign-kit/sandbox');

/** The server (main.ts) in `mode`, asked what a portal and a browser would ask; the modules it loaded. */
function server(env: Record<string, string>) {
  return recorded(['server/src/main.ts'], { HOST: '127.0.0.1', PORT: '0', ...env }, async (stdout) => {
    const base = /on (http:\/\/localhost:\d+)/.exec(stdout)![1]!.replace('localhost', '127.0.0.1');
    const auth = { authorization: `Bearer ${signPortalToken({ sub: 'u' }, env.PORTAL_SECRET ?? SECRET)}` };
    assert.equal((await fetch(`${base}/api/health`)).status, 200);
    assert.equal((await fetch(`${base}/api/trust/roots`)).status, 200);
    assert.equal((await fetch(`${base}/api/providers`, { headers: auth })).status, env.ESIGN_MODE === 'live' ? 200 : 401);
    assert.equal((await fetch(`${base}/api/openapi.json`, { headers: auth })).status, env.ESIGN_MODE === 'live' ? 200 : 401);
    // The sandbox's development tokens: in live mode the route does not exist.
    assert.equal(
      (await fetch(`${base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
      env.ESIGN_MODE === 'live' ? 404 : 201,
    );
  });
}

describe('the sandbox is its own package', () => {
  it('a live-mode server process never loads a sandbox module, answering requests', async () => {
    const loads = await server({ ...ENV, PORTAL_SECRET: SECRET });
    assert.ok(
      loads.some((u) => u.endsWith('/server/src/app.ts')),
      'the record holds the server modules',
    );
    assert.ok(
      loads.some((u) => u.endsWith('/server/src/providers/bsre/client.ts')),
      'the live providers were built',
    );
    assert.ok(
      loads.some((u) => u.includes('/node_modules/express/')),
      'packages imported by name are recorded too',
    );
    assert.deepEqual(loads.filter(inSandboxPackage), []);
  });

  it('the sandbox-mode server loads it (the control: the record would show it)', async () => {
    const loads = await server({ ESIGN_MODE: 'sandbox' });
    assert.ok(
      loads.some((u) => u.endsWith('/packages/sandbox/src/index.ts')),
      'sandbox mode loads @esign-kit/sandbox',
    );
  });

  it('building the live providers loads no HTTP code: no Express, no route, no sandbox', async () => {
    const script = [
      "const { loadConfig } = await import('./server/src/config.ts');",
      "const { buildProviders } = await import('./server/src/providers/index.ts');",
      "const { createLogger } = await import('./server/src/log/logger.ts');",
      'const config = loadConfig(process.env);',
      "const built = buildProviders(config, { logger: createLogger({ level: 'silent' }) });",
      "console.log('ready', Object.keys(built).join(','));",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const loads = await recorded(['--input-type=module', '-e', script], { ...ENV }, async (stdout) => {
      assert.match(stdout, /ready bsre,peruri,digisign/);
    });
    assert.ok(
      loads.some((u) => u.endsWith('/server/src/inspector/recorder.ts')),
      'the providers record their calls for the inspector',
    );
    assert.deepEqual(
      loads.filter((u) => u.includes('/server/src/http/') || u.includes('/node_modules/express/') || inSandboxPackage(u)),
      [],
    );
  });
});
