// Shared by the hardening suites: the companion server as `npm start` runs it (sandbox providers mounted,
// web views on a second loopback port), with every log line captured, and small request helpers.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { createApp } from '../../../server/src/app.js';
import { signPortalToken } from '../../../server/src/auth/jwt.js';
import { loadConfig, type SandboxConfig, type ServerConfig } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/log/logger.js';
import { createSandboxRouter, createSandboxWebViewApp } from '../../../packages/sandbox/src/index.js';
import { sandboxIdentityClaims } from '../../../server/test/identities.js';

export const PORTAL = 'https://portal.example.go.id';

export interface Kit {
  base: string;
  webViewBase: string;
  dataDir: string;
  config: ServerConfig;
  /** Every line the server's logger wrote. */
  logs: string[];
  token: (sub?: string, claims?: Record<string, unknown>) => string;
  auth: (sub?: string, claims?: Record<string, unknown>) => { authorization: string };
  close: () => Promise<void>;
}

/**
 * What default tokens name: every seeded sandbox user, the people the suites register or probe, the org scope
 * (auth/identity.ts). Identity tests pass their own claims.
 */
export const KIT_CLAIMS = sandboxIdentityClaims({
  niks: ['3171234567890001', '3174012345678901', '3578000000009912'],
  emails: [
    'a@b.go.id',
    'baru@instansi.go.id',
    'budi@digisign.sandbox.test',
    'budi@example.id',
    'siti@example.id',
    'fail-5000@peruri.sandbox.test',
    'gagal@digisign.sandbox.test',
  ],
});

export interface KitOptions {
  env?: Record<string, string>;
  logLevel?: string;
  /** Sandbox credentials written to DATA_DIR before start (the simulators and the adapters then share them). */
  credentials?: SandboxConfig['credentials'];
  demoDir?: string;
  /** An existing DATA_DIR (a restart). */
  dataDir?: string;
  /** Leave DATA_DIR on close (to start again on it). */
  keepDataDir?: boolean;
  /** The clock of the attempt limits. */
  now?: () => number;
}

const listen = async (s: Server) => {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
};

/** Starts the server and the sandbox web views on free loopback ports (the sandbox's URLs need the real ports). */
export async function startKit(options: KitOptions = {}): Promise<Kit> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'esign-hardening-'));
  if (options.credentials) writeFileSync(join(dataDir, 'sandbox-credentials.json'), JSON.stringify(options.credentials), { mode: 0o600 });
  const server = createServer();
  const webViews = createServer();
  const port = await listen(server);
  const webViewPort = await listen(webViews);
  const base = `http://127.0.0.1:${port}`;
  const webViewBase = `http://127.0.0.1:${webViewPort}`;
  const level = options.logLevel ?? 'info';
  const config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    PUBLIC_URL: base,
    SANDBOX_WEBVIEW_URL: webViewBase,
    PORTAL_ORIGINS: `${base},${PORTAL}`,
    LOG_LEVEL: level,
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level, secrets: config.secrets, destination: { write: (s: string) => void logs.push(s) } });
  const sandbox = config.sandbox!;
  const app = createApp({
    config,
    version: 'test',
    logger,
    demoDir: options.demoDir,
    providerOptions: { retries: 0 },
    ...(options.now ? { now: options.now } : {}),
    mountSandbox: (a) => a.use('/sandbox', createSandboxRouter(sandbox)),
  });
  server.on('request', app);
  webViews.on('request', createSandboxWebViewApp(sandbox));
  const token = (sub = 'hardening-user', claims: Record<string, unknown> = KIT_CLAIMS) => signPortalToken({ ...claims, sub }, config.portalSecret);
  return {
    base,
    webViewBase,
    dataDir,
    config,
    logs,
    token,
    auth: (sub, claims) => ({ authorization: `Bearer ${token(sub, claims)}` }),
    close: async () => {
      server.closeAllConnections();
      webViews.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => webViews.close(r))]);
      if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every file under `dir` (relative paths, sorted), with sizes: to compare the data directory before and after.
 * Not `uploads/`: the spool of uploads in flight, each part removed once its answer has ended — a moment after
 * the client has it (that nothing is left there is server/test/http/uploads.test.ts's business).
 */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory() && d === dir && entry.name === 'uploads') continue;
      if (entry.isDirectory()) walk(path);
      else out.push(`${relative(dir, path)} ${statSync(path).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

export async function makePdf(sizes: [number, number][] = [[595, 842]]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (const [i, size] of sizes.entries()) doc.addPage(size).drawText(`page ${i + 1}`, { x: 50, y: 50 });
  return doc.save({ useObjectStreams: false });
}

export type Part = string | { data: Uint8Array; type: string; name?: string };

export function form(fields: Record<string, Part>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') f.append(k, v);
    else f.append(k, new Blob([new Uint8Array(v.data)], { type: v.type }), v.name ?? `${k}.bin`);
  }
  return f;
}

export const pdfPart = (data: Uint8Array, name = 'document.pdf'): Part => ({ data, type: 'application/pdf', name });

/** Every way a secret value commonly travels: as is, URL-encoded, JSON-escaped, base64 (padded or not), base64url, hex. */
export function formsOf(value: string): string[] {
  const b = Buffer.from(value);
  return [
    value,
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    b.toString('base64'),
    b.toString('base64').replace(/=+$/, ''),
    b.toString('base64url'),
    b.toString('hex'),
    b.toString('hex').toUpperCase(),
  ];
}
