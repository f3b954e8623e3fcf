// The companion server with the sandbox providers, for the <esign-webview> browser tests: web-test-runner.config.mjs
// (its esign-kit-server plugin) starts this module in a child Node process on the first command that needs it,
//   node --conditions=source --import tsx test/node/support/wtr-kit-server.ts
// so that other test files pay nothing. The test page (the runner's origin), this server and the sandbox web views
// are three real origins, each on a loopback port of its own.
//
// Environment: ESIGN_KIT_PORTAL_ORIGINS, the runner's origins (comma-separated), which the server lets in (CORS).
// Its first line on stdout is a KitServerInfo (JSON); then it serves until SIGTERM. The control server answers
// the runner's commands that need Node: POST /verify {documentId} → poppler's pdfsig report of a stored document
// (the sandbox root trusted), POST /encrypt {payload, key?} → a Digisign redirect `msg`, for tampering tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrustedNssDb, verifyWithPdfsig } from '../../../packages/sandbox/test/signing/helpers.js';
import { createSandboxRouter, createSandboxWebViewApp } from '../../../packages/sandbox/src/index.js';
import { openSandboxCa } from '../../../packages/sandbox/src/signing/index.js';
import { encryptRedirectMessage } from '../../../packages/sandbox/src/webviews/index.js';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/log/logger.js';

/** What the first line of stdout says (web-test-runner.config.mjs reads it). */
export interface KitServerInfo {
  /** The companion server (sandbox mode). */
  base: string;
  /** The sandbox providers' web views. */
  webViewBase: string;
  /** The control server (POST /verify, /encrypt). */
  control: string;
  /** The server's DATA_DIR, a temporary directory that the runner removes when it stops. */
  dataDir: string;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return JSON.parse(body || '{}') as Record<string, unknown>;
}

const dataDir = mkdtempSync(join(tmpdir(), 'esign-wtr-kit-'));
const server = createServer();
const webViews = createServer();
const control = createServer();
const port = await listen(server);
const webViewPort = await listen(webViews);
const controlPort = await listen(control);
const base = `http://127.0.0.1:${port}`;
const webViewBase = `http://127.0.0.1:${webViewPort}`;

const config = loadConfig({
  PORT: String(port),
  DATA_DIR: dataDir,
  PUBLIC_URL: base,
  SANDBOX_WEBVIEW_URL: webViewBase,
  PORTAL_ORIGINS: process.env.ESIGN_KIT_PORTAL_ORIGINS,
  LOG_LEVEL: 'silent',
});
const sandbox = config.sandbox;
if (!sandbox) throw new Error('The browser tests need the server in sandbox mode (no provider credentials in the environment).');
const app = createApp({
  config,
  version: 'test',
  logger: createLogger({ level: 'silent', secrets: config.secrets }),
  mountSandbox: (a) => a.use('/sandbox', createSandboxRouter(sandbox)),
});
server.on('request', app);
webViews.on('request', createSandboxWebViewApp(sandbox));

const ca = await openSandboxCa(join(dataDir, 'sandbox', 'ca'));
const nssDir = await createTrustedNssDb(join(dataDir, 'nss'), ca.rootCertificatePem);

/** The pdfsig report of a stored document, fetched as a portal would (a fresh token from loopback). */
async function verifyStored(documentId: string): Promise<unknown> {
  const tokens = await fetch(`${base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const { token } = (await tokens.json()) as { token: string };
  const res = await fetch(`${base}/api/documents/${encodeURIComponent(documentId)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /api/documents: HTTP ${res.status}`);
  const file = join(dataDir, `verify-${Date.now()}.pdf`);
  writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
  return verifyWithPdfsig(file, nssDir);
}

control.on('request', (req, res) => {
  void (async () => {
    try {
      const body = await readJson(req);
      let out: unknown;
      if (req.url === '/verify') out = await verifyStored(String(body.documentId));
      else if (req.url === '/encrypt')
        out = encryptRedirectMessage(body.payload as Record<string, unknown>, (body.key as string | undefined) || sandbox.credentials.digisignAesKey);
      else throw new Error(`unknown control ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(out));
    } catch (err) {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: String((err as Error)?.stack ?? err) }));
    }
  })();
});

const info: KitServerInfo = { base, webViewBase, control: `http://127.0.0.1:${controlPort}`, dataDir };
process.stdout.write(`${JSON.stringify(info)}\n`);
process.on('SIGTERM', () => process.exit(0));
