// Shared plumbing of the HTTP tests: the real app on loopback (listen(0, '127.0.0.1')) with a config
// from environment variables, pino output captured line by line, and msw intercepting the provider
// hosts while letting the tests' own loopback requests through.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import { setupServer } from 'msw/node';
import { PDFDocument } from 'pdf-lib';
import { createApp } from '../../src/app.js';
import { signPortalToken } from '../../src/auth/jwt.js';
import { loadConfig, type ServerConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import type { ProviderId } from '../../src/providers/adapters.js';
import { DocumentStore } from '../../src/store/documents.js';
import { identityClaims } from '../identities.js';

export const SECRET = 'portal-secret-UNIQUE-7f3a9c-0123456789abcdef';
export const PORTAL = 'https://portal.test';

/** Live mode, every provider on a fake host; each secret value is unique so the redaction test can look for it. */
export const ENV: Record<string, string> = {
  ESIGN_MODE: 'live',
  PUBLIC_URL: 'https://esign.portal.test',
  PORTAL_ORIGINS: PORTAL,
  PORTAL_SECRET: SECRET,
  BSRE_URL: 'https://bsre.test',
  BSRE_USERNAME: 'bsre-api-user',
  BSRE_PASSWORD: 'bsre-password-UNIQUE-51c2',
  BSRE_API: 'v2',
  PERURI_URL: 'https://peruri.test/gateway',
  PERURI_API_KEY: 'peruri-apikey-UNIQUE-a83e',
  PERURI_SYSTEM_ID: 'PORTAL-SYS',
  PERURI_WEBVIEW_URL: 'https://wv.peruri.test',
  DIGISIGN_URL: 'https://digisign.test',
  DIGISIGN_TOKEN: 'digisign-token-UNIQUE-9d1f',
  DIGISIGN_USERID: 'admin@partner.test',
  DIGISIGN_AES_KEY: 'K3y-UNIQUE-16chr',
  DIGISIGN_WEBVIEW_ORIGIN: 'https://wv.tandatanganku.com',
};

/**
 * The provider identities these suites act as: default tokens name them all, with the org scope, as a portal's
 * backend would for its user (auth/identity.ts). Identity tests pass their own claims.
 */
export const TEST_CLAIMS = identityClaims({
  niks: ['3174012345678901'],
  emails: [
    'a@b.id',
    'b@b.id',
    'c@b.id',
    'budi@b.id',
    'x@y.id',
    'signer@instansi.go.id',
    'system@instansi.go.id',
    'tu@instansi.go.id',
    'kabag@instansi.go.id',
    'kadis@instansi.go.id',
    'nobody@b.id',
  ],
});

export function mockProviders() {
  const server = setupServer();
  before(() =>
    server.listen({
      onUnhandledRequest(request, print) {
        const host = new URL(request.url).hostname;
        if (host === '127.0.0.1' || host === 'localhost') return;
        print.error();
      },
    }),
  );
  afterEach(() => server.resetHandlers());
  after(() => server.close());
  return server;
}

export interface Running {
  base: string;
  config: ServerConfig;
  dataDir: string;
  logs: string[];
  token: (sub?: string, claims?: Record<string, unknown>) => string;
  auth: (sub?: string, claims?: Record<string, unknown>) => { authorization: string };
  close: () => Promise<void>;
}

export async function start(env: Record<string, string> = {}, options: { dataDir?: string } = {}): Promise<Running> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'esign-http-'));
  const config = loadConfig({ ...ENV, DATA_DIR: dataDir, ...env });
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', secrets: config.secrets, destination: { write: (s: string) => void logs.push(s) } });
  const app = createApp({ config, version: '1.2.3', logger, providerOptions: { retries: 0 } });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const token = (sub = 'user-1', claims: Record<string, unknown> = TEST_CLAIMS) => signPortalToken({ ...claims, sub }, config.portalSecret);
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    config,
    dataDir,
    logs,
    token,
    auth: (sub, claims) => ({ authorization: `Bearer ${token(sub, claims)}` }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Starts one server for a describe block, closes it and removes its DATA_DIR afterwards. */
export function useServer(env: Record<string, string> = {}) {
  const holder = {} as { s: Running };
  before(async () => {
    holder.s = await start(env);
  });
  after(async () => {
    await holder.s.close();
    rmSync(holder.s.dataDir, { recursive: true, force: true });
  });
  return holder;
}

export async function makePdf(pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`page ${i + 1}`, { x: 50, y: 800 });
  return doc.save();
}

/** A "signed" PDF as a provider would return it: different bytes, still a PDF. */
export async function signedPdf(marker = 'signed'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText(marker, { x: 50, y: 800 });
  doc.setTitle(marker);
  return doc.save();
}

export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, ...new Array(64).fill(0)]);
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);

export function form(fields: Record<string, string | Uint8Array | { data: Uint8Array; type: string; name?: string }>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') f.append(k, v);
    else if (v instanceof Uint8Array) f.append(k, new Blob([new Uint8Array(v)], { type: 'application/pdf' }), `${k}.pdf`);
    else f.append(k, new Blob([new Uint8Array(v.data)], { type: v.type }), v.name ?? k);
  }
  return f;
}

export async function json(res: Response): Promise<any> {
  return res.json();
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Records that the test's portal user created these provider references, as the routes that create orders
 * and documents do: msw-backed tests name provider ids that were never created through the API.
 */
export function useOwned(holder: { s: Running }, refs: [ProviderId, string][], sub = 'user-1') {
  before(async () => {
    const store = new DocumentStore(holder.s.dataDir);
    for (const [source, ref] of refs) await store.claimRef(source, ref, sub);
  });
}
