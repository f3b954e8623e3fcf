// What the flow, webhook and reconciliation tests share: a webhook receiver on loopback (a portal's backend:
// it records every delivery, can be taken down and brought back on the same port, or made to answer an error),
// and a companion server in this process against the sandbox providers over HTTP (live mode, as an agency
// deploys it) with WEBHOOK_URL pointing at the receiver, on files or on PostgreSQL, its background workers
// started or driven by the test.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { backgroundOf, createApp, type Background } from '../../src/app.js';
import { loadConfig, type ServerConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { openStores, type Stores } from '../../src/store/index.js';
import { verifyWebhook } from '../../src/webhooks/signature.js';
import {
  apiClient,
  companionEnv,
  contract,
  expectStatus,
  portalToken,
  sleep,
  startSandboxHost,
  type Api,
  type SandboxHost,
} from '../../../test/node/support/flows.js';
import { startFaultProxy, type FaultProxy } from '../../../test/node/support/fault-proxy.js';

export const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
  /** The documented verification, at arrival (test/… docs/webhooks.md). */
  verified: boolean;
  event: { type: string; timestamp: string; data: Record<string, unknown> };
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Answers with this status while set (e.g. 503: up but failing); 204 otherwise. */
  failWith: number | undefined;
  /** Stops listening: connections are refused until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
  /** Waits until `predicate` holds over the deliveries (polling), or throws after `ms`. */
  until(predicate: (d: Delivery[]) => boolean, ms?: number): Promise<void>;
}

export async function startReceiver(secret = WEBHOOK_SECRET): Promise<Receiver> {
  let server: Server | undefined;
  let port = 0;
  const receiver: Receiver = {
    url: '',
    deliveries: [],
    failWith: undefined,
    async up() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const h = req.headers as Record<string, string | undefined>;
          const verified = verifyWebhook(
            secret,
            { 'webhook-id': h['webhook-id'], 'webhook-timestamp': h['webhook-timestamp'], 'webhook-signature': h['webhook-signature'] },
            body,
          ).ok;
          const status = receiver.failWith ?? 204;
          receiver.deliveries.push({ headers: req.headers, body, status, verified, event: JSON.parse(body) as Delivery['event'] });
          res.statusCode = status;
          res.end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/hooks/esign`;
    },
    async down() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    close() {
      return receiver.down();
    },
    async until(predicate, ms = 20_000) {
      const end = Date.now() + ms;
      while (!predicate(receiver.deliveries)) {
        if (Date.now() > end)
          throw new Error(
            `the receiver did not get what was expected within ${ms} ms: ${JSON.stringify(receiver.deliveries.map((d) => [d.headers['webhook-id'], d.event.type, d.status]))}`,
          );
        await sleep(50);
      }
    },
  };
  await receiver.up();
  return receiver;
}

export interface FlowCompanion {
  base: string;
  stores: Stores;
  background: Background;
  as(user: string): Api;
  stop(): Promise<void>;
}

/**
 * A companion on `dataDir` (or `databaseUrl`), its webhooks to `webhookUrl`, reconciliation every second.
 * `background`: its workers run by themselves; else the test calls background.reconciler.round() etc.
 */
export async function startFlowCompanion(
  sandbox: SandboxHost,
  o: {
    dataDir: string;
    databaseUrl?: string | undefined;
    webhookUrl: string;
    background?: boolean;
    env?: Record<string, string>;
    providers?: string;
    configure?: (config: ServerConfig) => void;
  },
): Promise<FlowCompanion> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const extra: Record<string, string> = {
    WEBHOOK_URL: o.webhookUrl,
    WEBHOOK_SECRET,
    WEBHOOK_RETRY_SECONDS: '0.2,0.4,0.8,1.6,3.2',
    WEBHOOK_POLL_MS: '100',
    WEBHOOK_TIMEOUT_MS: '2000',
    RECONCILE_INTERVAL_SECONDS: '1',
    RECONCILE_MAX_BACKOFF_SECONDS: '2',
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
    ...o.env,
  };
  const config = loadConfig(companionEnv({ port, dataDir: o.dataDir, providers: o.providers ?? sandbox.origin, sandbox, extra }));
  // What no variable allows (a flow expiring at once): set on the checked configuration.
  o.configure?.(config);
  const stores = await openStores({ dataDir: o.dataDir, databaseUrl: config.databaseUrl, sweepEveryMs: 0 });
  const app = createApp({
    config,
    version: 'test',
    logger: createLogger({ level: 'silent' }),
    store: stores.documents,
    state: stores.state,
    idempotency: stores.idempotency,
    attemptStore: stores.attempts,
    providerOptions: { retries: 0 },
    background: o.background ?? true,
  });
  server.on('request', app);
  const base = `http://127.0.0.1:${port}`;
  // Digisign's pages redirect to this companion's landing (the last one started, when there are several).
  sandbox.setRedirect(`${base}/callback/digisign`);
  const background = backgroundOf(app);
  return {
    base,
    stores,
    background,
    as: (user: string) => apiClient(base, portalToken(user)),
    async stop() {
      await background.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stores.close();
    },
  };
}

/** The Peruri web view's own calls (packages/sandbox/src/webviews/peruri.ts): OTP, then sign — what the signer's clicks send. */
export async function signInPeruriWebView(sandbox: SandboxHost, orderId: string, email: string): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${sandbox.webUrl}/peruri/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { resultCode: string; resultDesc: string; data?: { token?: string } };
  };
  const otp = await post('otp', { orderId });
  if (otp.resultCode !== '0') throw new Error(`Peruri's page refused the OTP: ${otp.resultDesc}`);
  const { latestCode } = await import('../../../test/node/support/flows.js');
  const code = await latestCode(sandbox.url, 'peruri', email);
  const signed = await post('sign', { orderId, otpCode: code, token: otp.data?.token });
  if (signed.resultCode !== '0') throw new Error(`Peruri's page did not sign: ${signed.resultDesc}`);
}

/** A flow as `GET /api/flows` shows it (the fields these tests read). */
export interface FlowView {
  id: string;
  kind: string;
  provider: string;
  reference: string;
  state: string;
  documentId?: string;
  error?: { code: string; message: string };
  history: { state: string }[];
  events: { id: string; type: string }[];
  reconciliation: { attempts: number; lastError?: { code: string; message: string } };
}

/** The flows `api`'s user sees. */
export async function flowsOf(api: Api): Promise<FlowView[]> {
  return expectStatus(await api.get('/api/flows'), 200, 'flows').body.flows as FlowView[];
}

/** The flow of `reference` that `api`'s user sees (there must be one). */
export async function flowOf(api: Api, reference: string): Promise<FlowView> {
  const flow = (await flowsOf(api)).find((f) => f.reference === reference);
  assert.ok(flow, `a flow for ${reference}`);
  return flow;
}

/** The sandbox, optionally a fault proxy in front of it, a receiver, a companion driven by the test (its dispatcher running), a contract. */
export interface FlowWorld {
  sandbox: SandboxHost;
  proxy: FaultProxy | undefined;
  receiver: Receiver;
  companion: FlowCompanion;
  dataDir: string;
  pdf: Uint8Array;
  close(): Promise<void>;
}

/**
 * What most flow tests start with: the sandbox (behind a fault proxy when `proxy`), a webhook receiver, a
 * companion on a fresh data directory whose reconciliation the test drives (`background.reconciler.round()`) and
 * whose webhook dispatcher runs by itself, and a contract to send.
 */
export async function startFlowWorld(name: string, o: { proxy?: boolean; configure?: (config: ServerConfig) => void } = {}): Promise<FlowWorld> {
  const sandbox = await startSandboxHost();
  const proxy = o.proxy ? await startFaultProxy(sandbox.origin) : undefined;
  const receiver = await startReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), `esign-${name}-`));
  const companion = await startFlowCompanion(sandbox, {
    dataDir,
    webhookUrl: receiver.url,
    background: false,
    ...(proxy ? { providers: proxy.url } : {}),
    ...(o.configure ? { configure: o.configure } : {}),
  });
  companion.background.dispatcher!.start();
  const pdf = await contract();
  return {
    sandbox,
    proxy,
    receiver,
    companion,
    dataDir,
    pdf,
    async close() {
      await companion.stop();
      await receiver.close();
      await proxy?.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
