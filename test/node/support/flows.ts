// What the journeys, the fault and load suites and the server benchmark share: the kit on loopback (in one
// process as `npm start` runs it, or the sandbox providers here and the companion server elsewhere — in this
// process with its own provider settings, or as a child process that can be killed and restarted on its data
// directory), a small API client, the sign flows of the three providers through the public API (Peruri's OTP
// and Digisign's web-view OTP read from the sandbox inbox), and what checks their outcome: the store on disk,
// pdfsig with the sandbox root trusted.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import type { DigisignOperation, PeruriOperation } from '../../../server/src/providers/adapters.js';
import { createApp } from '../../../server/src/app.js';
import { signPortalToken } from '../../../server/src/auth/jwt.js';
import { loadConfig, type ServerConfig } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/log/logger.js';
import { buildProviders, type Providers } from '../../../server/src/providers/index.js';
import { forgetSandboxContext, sandboxContext, type SandboxContext } from '../../../packages/sandbox/src/context.js';
import { createSandboxRouter, createSandboxWebViewApp, type SandboxOptions } from '../../../packages/sandbox/src/index.js';
import type { StoredDocumentMeta } from '../../../server/src/store/documents.js';
import { sandboxIdentityClaims } from '../../../server/test/identities.js';
import { CREDENTIALS } from '../../../packages/sandbox/test/harness.js';
import { createTrustedNssDb, verifyWithPdfsig, type PdfsigReport } from '../../../packages/sandbox/test/signing/helpers.js';

export { createTrustedNssDb, verifyWithPdfsig, type PdfsigReport };

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The seeded sandbox users the flows sign as (packages/sandbox/README.md). */
export const PASSPHRASE = 'Sandbox#2024';
export const BSRE_SIGNERS = [
  { nik: '3171000000000001', name: 'Budi Santoso' },
  { nik: '3273000000000001', name: 'Siti Rahayu' },
  { nik: '3578000000000001', name: 'Dewi Anggraini' },
] as const;
export const PERURI_SIGNERS = [
  { email: 'siti@peruri.sandbox.test', name: 'Siti Rahayu' },
  { email: 'rina@peruri.sandbox.test', name: 'Rina Marlina' },
] as const;
export const DIGISIGN_SIGNERS = [
  { email: 'dewi@digisign.sandbox.test', name: 'Dewi Anggraini' },
  { email: 'eko@digisign.sandbox.test', name: 'Eko Saputra' },
] as const;

/** Fixed sandbox credentials (the sandbox tests' own), so that a companion in another process can be configured with them. */
export const SANDBOX_CREDENTIALS: SandboxOptions['credentials'] = CREDENTIALS;

export const PORTAL_SECRET = 'hardening-portal-secret-0123456789abcdef';

// ---------------------------------------------------------------------------------------------------
// Small things

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A free TCP port on loopback (for a server that must know its port before it starts). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Runs `fn` over `items` with at most `size` at a time; results in order. */
export async function pool<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}

const locks = new Map<string, Promise<void>>();
/**
 * One at a time per key. The sandbox inbox does not say which order or link a code is for, so "ask for a
 * code, read the newest one" must not interleave for one recipient.
 */
export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  locks.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}

/** A two-page A4 contract (the signature page is page 2). */
export async function contract(title = 'Surat Perjanjian (uji)'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595.28, 841.89]).drawText(title, { x: 60, y: 780, size: 14, font });
  doc.addPage([595.28, 841.89]).drawText('Halaman tanda tangan', { x: 60, y: 780, size: 14, font });
  return doc.save();
}

/**
 * A one-page A4 PDF carrying `payload` random bytes in an image stream (incompressible, as a scan is): about
 * `payload` + 1 KB in all, for tests and benches of large files.
 */
export async function pdfWithPayload(payload: number, title = 'Lampiran (uji)'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  page.drawText(title, { x: 60, y: 780, size: 14 });
  const stream = doc.context.stream(randomBytes(payload), {
    Type: 'XObject',
    Subtype: 'Image',
    Width: 1,
    Height: 1,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 8,
  });
  page.node.setXObject(PDFName.of('Blob'), doc.context.register(stream));
  return doc.save({ useObjectStreams: false });
}

// ---------------------------------------------------------------------------------------------------
// The API client

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Tests read whatever the route answered.
  body: any;
}

export type FormFields = Record<string, string | Uint8Array | Blob>;

export interface Api {
  readonly base: string;
  call(path: string, init?: RequestInit): Promise<ApiResponse>;
  get(path: string): Promise<ApiResponse>;
  postJson(path: string, body?: unknown): Promise<ApiResponse>;
  postForm(path: string, fields: FormFields): Promise<ApiResponse>;
}

export function formOf(fields: FormFields): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else if (value instanceof Blob) form.append(name, value, name === 'file' ? 'contract.pdf' : name);
    else
      form.append(
        name,
        new Blob([new Uint8Array(value)], { type: name === 'file' ? 'application/pdf' : 'application/octet-stream' }),
        name === 'file' ? 'contract.pdf' : name,
      );
  }
  return form;
}

export function apiClient(base: string, token: string): Api {
  const call = async (path: string, init: RequestInit = {}): Promise<ApiResponse> => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
    });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await res.json() : new Uint8Array(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body };
  };
  return {
    base,
    call,
    get: (path) => call(path),
    postJson: (path, body) => call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
    postForm: (path, fields) => call(path, { method: 'POST', body: formOf(fields) }),
  };
}

/** Throws with the route's answer unless it has the expected status. */
export function expectStatus(res: ApiResponse, status: number, what: string): ApiResponse {
  if (res.status !== status)
    throw new Error(
      `${what}: HTTP ${res.status}, expected ${status}: ${JSON.stringify(res.body instanceof Uint8Array ? `${res.body.byteLength} bytes` : res.body)}`,
    );
  return res;
}

/** A portal token naming every seeded sandbox user and the org scope (auth/identity.ts), as the demo's are. */
export const portalToken = (sub = 'portal-user') => signPortalToken({ ...sandboxIdentityClaims(), sub }, PORTAL_SECRET);

// ---------------------------------------------------------------------------------------------------
// The kit in one process, as `npm start` runs it (sandbox mode, simulators mounted under /sandbox)

export interface Kit {
  base: string;
  /** Where the simulators are: `<base>/sandbox`. */
  sandboxUrl: string;
  dataDir: string;
  server: Server;
  webViews: Server;
  close(): void;
}

/** Starts the server as main.ts does, on a free loopback port (the sandbox's URLs need the real port). */
export async function startKit(): Promise<Kit> {
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-journey-'));
  const server = createServer();
  const webViews = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => webViews.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const webViewPort = (webViews.address() as AddressInfo).port;
  const config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SANDBOX_WEBVIEW_URL: `http://127.0.0.1:${webViewPort}`,
    PORTAL_ORIGINS: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'silent',
  });
  const sandbox = config.sandbox!;
  const app = createApp({
    config,
    version: 'test',
    logger: createLogger({ level: 'silent', secrets: config.secrets }),
    mountSandbox: (a) => a.use('/sandbox', createSandboxRouter(sandbox)),
  });
  server.on('request', app);
  webViews.on('request', createSandboxWebViewApp(sandbox));
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    sandboxUrl: `${base}/sandbox`,
    dataDir,
    server,
    webViews,
    close() {
      server.closeAllConnections();
      webViews.closeAllConnections();
      server.close();
      webViews.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The sandbox providers alone (the companion server runs elsewhere and reaches them over HTTP)

export interface SandboxHost {
  /** `http://127.0.0.1:<port>`; the simulators are under `/sandbox`. */
  origin: string;
  /** `<origin>/sandbox`: the inbox is `<url>/inbox.json`. */
  url: string;
  /** The web views' origin (a second port). */
  webUrl: string;
  dataDir: string;
  options: SandboxOptions;
  /** The simulators' live state and signing engine (tests may expire tokens through it). */
  context: SandboxContext;
  /** Where the Digisign pages redirect (the companion's landing), once the companion's address is known. */
  setRedirect(url: string): void;
  close(): Promise<void>;
}

async function listenApp(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function startSandboxHost(options: { portalOrigins?: string[] } = {}): Promise<SandboxHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-provider-'));
  const apiApp = express();
  const webApp = express();
  const api = await listenApp(apiApp);
  const web = await listenApp(webApp);
  const sandboxOptions: SandboxOptions = {
    dataDir,
    publicUrl: api.url,
    webViewUrl: web.url,
    portalOrigins: options.portalOrigins ?? ['http://127.0.0.1:5999'],
    credentials: SANDBOX_CREDENTIALS,
    digisignRedirectUrl: 'http://127.0.0.1:5999/callback/digisign',
  };
  apiApp.use('/sandbox', createSandboxRouter(sandboxOptions));
  webApp.use(createSandboxWebViewApp(sandboxOptions));
  // A client that went away mid-upload (a killed companion, a test's timeout) is not worth a stack trace.
  apiApp.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if ((err as { type?: string } | null)?.type !== 'request.aborted') return next(err);
    res.destroy();
  });
  const context = sandboxContext(sandboxOptions);
  return {
    origin: api.url,
    url: `${api.url}/sandbox`,
    webUrl: web.url,
    dataDir,
    options: sandboxOptions,
    context,
    setRedirect(url) {
      sandboxOptions.digisignRedirectUrl = url;
    },
    async close() {
      for (const s of [api.server, web.server]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      forgetSandboxContext(dataDir);
    },
  };
}

/** The sandbox CA's root, trusted in a fresh NSS database under `dir` (for `pdfsig -nssdir`). */
export async function trustSandboxRoot(context: SandboxContext, dir: string): Promise<string> {
  return createTrustedNssDb(dir, (await context.engine.ca()).rootCertificatePem);
}

/**
 * A live-mode configuration of the companion server (what an agency deploys), every provider pointed at
 * `providers` (the sandbox host's origin, or a fault proxy in front of it).
 */
export function companionEnv(o: {
  port: number;
  dataDir: string;
  providers: string;
  sandbox: Pick<SandboxHost, 'webUrl'>;
  logLevel?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const c = SANDBOX_CREDENTIALS;
  const base = `http://127.0.0.1:${o.port}`;
  return {
    ESIGN_MODE: 'live',
    HOST: '127.0.0.1',
    PORT: String(o.port),
    DATA_DIR: o.dataDir,
    PUBLIC_URL: base,
    PORTAL_ORIGINS: base,
    PORTAL_SECRET,
    LOG_LEVEL: o.logLevel ?? 'silent',
    BSRE_URL: `${o.providers}/sandbox/bsre`,
    BSRE_USERNAME: c.bsreUsername,
    BSRE_PASSWORD: c.bsrePassword,
    BSRE_API: 'v2',
    BSRE_CLOUD_URL: `${o.providers}/sandbox/bsre`,
    BSRE_CLOUD_CLIENT_ID: c.bsreCloudClientId,
    BSRE_CLOUD_CLIENT_SECRET: c.bsreCloudClientSecret,
    PERURI_URL: `${o.providers}/sandbox/peruri`,
    PERURI_API_KEY: c.peruriApiKey,
    PERURI_SYSTEM_ID: c.peruriSystemId,
    PERURI_WEBVIEW_URL: `${o.sandbox.webUrl}/peruri`,
    PERURI_ENVIRONMENT: 'sandbox',
    DIGISIGN_URL: `${o.providers}/sandbox/digisign`,
    DIGISIGN_TOKEN: c.digisignToken,
    DIGISIGN_USERID: c.digisignUserId,
    DIGISIGN_AES_KEY: c.digisignAesKey,
    DIGISIGN_WEBVIEW_ORIGIN: o.sandbox.webUrl,
    ...o.extra,
  };
}

// ---------------------------------------------------------------------------------------------------
// The companion server in this process, with provider clients of the test's choosing (short timeouts…)

/** Provider timeouts a test may change between calls (read at every request). */
export interface ProviderTimeouts {
  bsre: number;
  peruri: Partial<Record<PeruriOperation, number>>;
  digisign: Partial<Record<DigisignOperation, number>>;
}

/** The clients the server builds, with the test's timeouts, retries and Peruri clock. */
export function providersWith(
  config: ServerConfig,
  o: { timeouts: ProviderTimeouts; retries?: number; retryDelayMs?: number; peruriNow?: () => number },
): Providers {
  return buildProviders(config, { logger: createLogger({ level: 'silent' }), ...o });
}

export interface InProcessCompanion {
  base: string;
  dataDir: string;
  config: ServerConfig;
  close(): Promise<void>;
}

export async function startCompanion(
  sandbox: SandboxHost,
  providersBase: string,
  build: (config: ServerConfig) => Providers,
  dataDir = mkdtempSync(join(tmpdir(), 'esign-companion-')),
): Promise<InProcessCompanion> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const config = loadConfig(companionEnv({ port, dataDir, providers: providersBase, sandbox }));
  const app = createApp({ config, version: 'test', logger: createLogger({ level: 'silent', secrets: config.secrets }), providers: build(config) });
  server.on('request', app);
  const base = `http://127.0.0.1:${port}`;
  sandbox.setRedirect(`${base}/callback/digisign`);
  return {
    base,
    dataDir,
    config,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// The companion server as a child process (server/src/main.ts), which can be killed and restarted

/**
 * Loaded into the child before main.ts when it runs with --expose-gc: answers `{ type: 'memory' }` over the
 * IPC channel with process.memoryUsage() after full collections. Every child also exits when its parent goes.
 */
const PROBE = `process.on('disconnect', () => process.exit(0));
process.on('message', async (m) => {
  if (!m || m.type !== 'memory') return;
  for (let i = 0; i < 4; i++) { globalThis.gc?.(); await new Promise((r) => setTimeout(r, 25)); }
  process.send({ type: 'memory', id: m.id, usage: process.memoryUsage() });
});`;
const PROBE_URL = `data:text/javascript;base64,${Buffer.from(PROBE).toString('base64')}`;

export interface ProcStatus {
  /** Resident set size now (bytes). */
  rss: number;
  /** Peak resident set size since start or since resetPeak() (bytes). */
  hwm: number;
}

/** VmRSS and VmHWM of a process (Linux /proc). */
export function procStatus(pid: number): ProcStatus {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export interface ChildCompanion {
  base: string;
  pid: number;
  dataDir: string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** kill -9: no clean-up of any kind. */
  crash(): Promise<void>;
  /** SIGTERM, as an orderly stop. */
  stop(): Promise<void>;
  /** process.memoryUsage() of the child after full collections (needs `gc: true`). */
  memory(): Promise<NodeJS.MemoryUsage>;
  status(): ProcStatus;
  /** Resets the peak (VmHWM) to the current RSS; false where the kernel does not allow it. */
  resetPeak(): boolean;
  output(): string;
}

export async function spawnCompanion(env: Record<string, string>, options: { gc?: boolean; nodeArgs?: string[] } = {}): Promise<ChildCompanion> {
  const args = [
    '--conditions=source',
    '--import',
    'tsx',
    ...(options.gc ? ['--expose-gc'] : []),
    '--import',
    PROBE_URL,
    ...(options.nodeArgs ?? []),
    'server/src/main.ts',
  ];
  const base = `http://127.0.0.1:${env.PORT}`;
  const inherited: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k] !== undefined) inherited[k] = process.env[k]!;
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  const waiting = new Map<number, (u: NodeJS.MemoryUsage) => void>();
  let nextId = 1;
  child.on('message', (m: unknown) => {
    const msg = m as { type?: string; id?: number; usage?: NodeJS.MemoryUsage };
    if (msg?.type === 'memory' && msg.id !== undefined && msg.usage) waiting.get(msg.id)?.(msg.usage);
  });
  const pid = child.pid!;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gone) throw new Error(`the companion server exited at start:\n${output}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the companion server did not start within 30 s:\n${output}`);
    }
    await sleep(50);
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (!gone) child.kill(sig);
    await exited;
  };
  return {
    base,
    pid,
    dataDir: env.DATA_DIR!,
    exited,
    crash: () => signal('SIGKILL'),
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
    memory: () =>
      new Promise<NodeJS.MemoryUsage>((resolve, reject) => {
        const id = nextId++;
        const t = setTimeout(() => reject(new Error('the companion did not report its memory')), 10_000);
        waiting.set(id, (u) => {
          clearTimeout(t);
          waiting.delete(id);
          resolve(u);
        });
        child.send({ type: 'memory', id });
      }),
    status: () => procStatus(pid),
    resetPeak() {
      try {
        // Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM).
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    output: () => output,
  };
}

// ---------------------------------------------------------------------------------------------------
// The sign flows, through the companion's public API

/** The newest code "sent" to `to` by `provider` (the sandbox inbox, newest first). */
export async function latestCode(sandboxUrl: string, provider: 'bsre' | 'peruri' | 'digisign', to: string): Promise<string> {
  const res = await fetch(`${sandboxUrl}/inbox.json?provider=${provider}&to=${encodeURIComponent(to)}`);
  const inbox = (await res.json()) as { messages: { code?: string }[] };
  const code = inbox.messages.find((m) => m.code)?.code;
  if (!code) throw new Error(`no ${provider} code in the inbox of ${to}`);
  return code;
}

/** BSrE v2 through the companion: the PDF as the multipart `file`, the seeded passphrase. */
export function bsreSign(api: Api, o: { pdf: Uint8Array; nik?: string; passphrase?: string; extra?: FormFields }): Promise<ApiResponse> {
  return api.postForm('/api/bsre/signatures', { file: o.pdf, nik: o.nik ?? BSRE_SIGNERS[0].nik, passphrase: o.passphrase ?? PASSPHRASE, ...o.extra });
}

/** Peruri §5.1: the document with one box on page 2 for `email`; 201 carries `orderId`. */
export function peruriSend(
  api: Api,
  o: { pdf: Uint8Array; email: string; box?: { page: number; x: number; y: number; width: number; height: number } },
): Promise<ApiResponse> {
  return api.postForm('/api/peruri/documents', {
    file: o.pdf,
    email: o.email,
    boxes: JSON.stringify([o.box ?? { page: 2, x: 454, y: 45, width: 75, height: 71 }]),
  });
}

/** Peruri §5.3: asks for the OTP (it goes to the signer) and reads it from the sandbox inbox. */
export async function peruriOtp(api: Api, sandboxUrl: string, orderId: string, email: string): Promise<{ res: ApiResponse; code: string | undefined }> {
  return withLock(`peruri:${email}`, async () => {
    const res = await api.postJson(`/api/peruri/documents/${orderId}/otp`);
    return { res, code: res.status === 201 ? await latestCode(sandboxUrl, 'peruri', email) : undefined };
  });
}

export function peruriSign(api: Api, orderId: string, otpCode: string): Promise<ApiResponse> {
  return api.postJson(`/api/peruri/documents/${orderId}/signatures`, { otpCode });
}

/** Send, OTP from the inbox, sign: the answer of the signing route (201 with the stored document). */
export async function peruriFlow(api: Api, sandboxUrl: string, o: { pdf: Uint8Array; email: string }): Promise<{ orderId: string; signed: ApiResponse }> {
  const sent = expectStatus(await peruriSend(api, o), 201, 'peruri send');
  const orderId = sent.body.orderId as string;
  const otp = await peruriOtp(api, sandboxUrl, orderId, o.email);
  expectStatus(otp.res, 201, 'peruri otp');
  return { orderId, signed: await peruriSign(api, orderId, otp.code!) };
}

/** Digisign §5: the document with one box per signer on page 2 (side by side). */
export function digisignSend(
  api: Api,
  o: { pdf: Uint8Array; signers: readonly { name: string; email: string }[]; documentId?: string; meterai?: boolean },
): Promise<ApiResponse> {
  const boxes = o.signers.map((_, i) => ({ page: 2, x: 60 + i * 170, y: 80, width: 150, height: 70 }));
  return api.postForm('/api/digisign/documents', {
    file: o.pdf,
    signers: JSON.stringify(o.signers.map((s, i) => ({ name: s.name, email: s.email, box: i }))),
    boxes: JSON.stringify(boxes),
    ...(o.documentId ? { digisignDocumentId: o.documentId } : {}),
    // An e-meterai box beside the signers' (§5.5: never over a signature box).
    ...(o.meterai ? { meterai: JSON.stringify({ boxes: [{ page: 2, x: 60, y: 200, width: 80, height: 80 }], documentType: '3' }) } : {}),
  });
}

/**
 * One signer signs in Digisign's web view: the companion hands out the page, the signer asks for the OTP
 * (read from the inbox), signs with the password and consent; the page redirects to the companion's
 * landing with the encrypted result.
 */
export async function digisignSignerSigns(
  api: Api,
  sandboxUrl: string,
  documentId: string,
  signer: { email: string },
): Promise<{ done: Response; landing: URL }> {
  const view = expectStatus(
    await api.postJson('/api/webviews', { provider: 'digisign', flow: 'signing', email: signer.email, digisignDocumentId: documentId }),
    201,
    'digisign web view',
  );
  const page = new URL(view.body.url as string);
  const shown = await fetch(page);
  if (shown.status !== 200) throw new Error(`the Digisign signing page answered ${shown.status}`);
  await shown.arrayBuffer();
  const sgn = page.searchParams.get('sgn')!;
  const post = (fields: Record<string, string>) =>
    fetch(new URL('signingpage.html', page), { method: 'POST', body: new URLSearchParams({ sgn, ...fields }), redirect: 'manual' });
  const otp = await withLock(`digisign:${signer.email}`, async () => {
    const asked = await post({ action: 'otp' });
    await asked.arrayBuffer();
    if (asked.status >= 400) throw new Error(`the Digisign page refused the OTP request (${asked.status})`);
    return latestCode(sandboxUrl, 'digisign', signer.email);
  });
  // consent_meterai: the page asks for it on a document with an e-meterai (seed 004), and ignores it otherwise.
  const done = await post({ action: 'sign', otp, password: PASSPHRASE, consent_sign: '1', consent_meterai: '1' });
  if (done.status !== 303) throw new Error(`the Digisign page did not sign (${done.status}): ${await done.text()}`);
  return { done, landing: new URL(done.headers.get('location')!) };
}

export function digisignDownload(api: Api, documentId: string): Promise<ApiResponse> {
  return api.postJson(`/api/digisign/documents/${documentId}/download`, {});
}

/** Send, every signer signs in the web view (the landing is visited), download: the download's answer. */
export async function digisignFlow(
  api: Api,
  sandboxUrl: string,
  o: { pdf: Uint8Array; signers: readonly { name: string; email: string }[] },
): Promise<{ documentId: string; downloaded: ApiResponse }> {
  const sent = expectStatus(await digisignSend(api, o), 201, 'digisign send');
  const documentId = sent.body.digisignDocumentId as string;
  for (const signer of o.signers) {
    const { landing } = await digisignSignerSigns(api, sandboxUrl, documentId, signer);
    const page = await fetch(landing);
    if (page.status !== 200) throw new Error(`the companion's Digisign landing answered ${page.status}`);
    await page.arrayBuffer();
  }
  return { documentId, downloaded: await digisignDownload(api, documentId) };
}

// ---------------------------------------------------------------------------------------------------
// The store on disk

export interface StoredDocument {
  id: string;
  meta: StoredDocumentMeta;
  /** SHA-256 of the PDF on disk (null: missing). */
  fileSha256: string | null;
}

export interface StoreAudit {
  documents: StoredDocument[];
  /** Temporary files of unfinished writes, PDFs without their record, records without their PDF. */
  leftovers: string[];
}

/** Every document record under DATA_DIR/documents, with the checksum of its PDF, and whatever else lies there. */
export function auditStore(dataDir: string): StoreAudit {
  const dir = join(dataDir, 'documents');
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const documents: StoredDocument[] = [];
  const leftovers: string[] = [];
  for (const name of names) {
    const m = /^([0-9a-f]{32})\.(pdf|json)$/.exec(name);
    if (!m) {
      leftovers.push(name);
      continue;
    }
    const [, id, ext] = m as unknown as [string, string, string];
    if (ext === 'pdf') {
      if (!names.includes(`${id}.json`)) leftovers.push(name);
      continue;
    }
    const meta = JSON.parse(readFileSync(join(dir, name), 'utf8')) as StoredDocumentMeta;
    const pdf = join(dir, `${id}.pdf`);
    const fileSha256 = existsSync(pdf) ? sha256(readFileSync(pdf)) : null;
    if (fileSha256 === null) leftovers.push(name);
    documents.push({ id, meta, fileSha256 });
  }
  return { documents, leftovers };
}
