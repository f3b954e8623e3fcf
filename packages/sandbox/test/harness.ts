// Test plumbing for the simulators: the sandbox router and the web-view app on loopback (port 0), the
// credentials the adapters are configured with, the inbox, fetch with failure headers, and test PDFs.
import assert from 'node:assert/strict';
import { ProviderError } from '../../../server/src/providers/adapters.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { PDFDocument } from 'pdf-lib';
import type { NeutralBox, PageGeometry } from '@esign-kit/core';
import { readPageGeometries } from '../../../server/src/pdf/page-geometry.js';
import { createSandboxRouter, createSandboxWebViewApp, type SandboxOptions } from '../src/index.js';
import { forgetSandboxContext, sandboxContext } from '../src/context.js';
import { buildGeometryPdf, type GeometryCase } from '../../../test/fixtures/geometry-pdf.js';
import { colourBounds, createTrustedNssDb, pngImage, renderPage, verifyWithPdfsig, type Rgb } from './signing/helpers.js';

export const CREDENTIALS: SandboxOptions['credentials'] = {
  bsreUsername: 'esign-client-app',
  bsrePassword: 'app-secret-123',
  bsreCloudClientId: 'cloud-client',
  bsreCloudClientSecret: 'cloud-secret',
  peruriApiKey: '3f1c5e1a-6b0d-4c2e-9a53-6f7f0a1b2c3d',
  peruriSystemId: 'ESIGNKIT',
  digisignToken: '1ecbe0a70545432baf7133a89ab4c026',
  digisignUserId: 'admin@mitra.sandbox.test',
  digisignAesKey: 'RBazsYSDTuShYbUG',
};

export interface Sandbox {
  dir: string;
  base: string;
  webBase: string;
  options: SandboxOptions;
  close(): Promise<void>;
  /** A new router over the same data directory, as after a restart. */
  restart(): Promise<void>;
}

export async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Selects the deployment's settings the simulators read (dialects, coordinate profiles), as config.ts does in
 * sandbox mode; they are read at each request, so this takes effect at once. Returns the undo.
 */
export function selectSettings(sandbox: Sandbox, settings: Pick<SandboxOptions, 'dialects' | 'profiles'>): () => void {
  const before = { dialects: sandbox.options.dialects, profiles: sandbox.options.profiles };
  Object.assign(sandbox.options, settings);
  return () => Object.assign(sandbox.options, before);
}

export async function startSandbox(prefix: string, portalOrigin = 'http://127.0.0.1:5999'): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), `esign-sandbox-${prefix}-`));
  let api: Awaited<ReturnType<typeof listen>>;
  let web: Awaited<ReturnType<typeof listen>>;
  const sandbox: Sandbox = {
    dir,
    base: '',
    webBase: '',
    options: undefined as unknown as SandboxOptions,
    async close() {
      await api.close();
      await web.close();
      forgetSandboxContext(dir);
    },
    async restart() {
      await api.close();
      await web.close();
      forgetSandboxContext(dir);
      await boot();
    },
  };
  async function boot() {
    // Ports first (the options name them), then the apps.
    const apiApp = express();
    const webApp = express();
    api = await listen(apiApp);
    web = await listen(webApp);
    const options: SandboxOptions = {
      dataDir: dir,
      publicUrl: api.url,
      webViewUrl: web.url,
      portalOrigins: [portalOrigin],
      credentials: CREDENTIALS,
      digisignRedirectUrl: `${portalOrigin}/digisign/result`,
    };
    apiApp.use('/sandbox', createSandboxRouter(options));
    webApp.use(createSandboxWebViewApp(options));
    sandbox.base = `${api.url}/sandbox`;
    sandbox.webBase = web.url;
    sandbox.options = options;
  }
  await boot();
  return sandbox;
}

export async function rootPem(sandbox: Sandbox): Promise<string> {
  return (await sandboxContext(sandbox.options).engine.ca()).rootCertificatePem;
}

export async function trustedNss(sandbox: Sandbox): Promise<string> {
  return createTrustedNssDb(join(sandbox.dir, 'nss'), await rootPem(sandbox));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface InboxEntry {
  to: string;
  provider: string;
  channel: string;
  subject: string;
  text: string;
  code?: string;
}

export async function inbox(sandbox: Sandbox, to: string): Promise<InboxEntry[]> {
  const res = await fetch(`${sandbox.base}/inbox.json?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { messages: InboxEntry[] }).messages;
}

/** The newest code "sent" to `to`. */
export async function latestCode(sandbox: Sandbox, to: string): Promise<string> {
  const code = (await inbox(sandbox, to)).find((m) => m.code)?.code;
  if (!code) throw new Error(`no code in the inbox of ${to}`);
  return code;
}

/** A fetch that adds the sandbox's failure headers to every request. */
export function fetchWith(headers: Record<string, string>) {
  return (input: string, init: RequestInit) => fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
}

/** A multi-page A4 document with some text (and a `#` marker on page 2 for tag placement). */
export async function samplePdf(pages = 2): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Perjanjian kerja sama, halaman ${i + 1}`, { x: 50, y: 780, size: 14 });
    if (i === 1) page.drawText('Tanda tangan pihak pertama: #', { x: 60, y: 300, size: 12 });
  }
  return doc.save();
}

export async function geometriesOf(pdf: Uint8Array): Promise<PageGeometry[]> {
  return readPageGeometries(await PDFDocument.load(pdf));
}

/** A single-page PDF of one geometry case, with its red reference box. */
export async function geometryCasePdf(c: GeometryCase): Promise<{ pdf: Uint8Array; box: NeutralBox; pages: PageGeometry[] }> {
  const pdf = await buildGeometryPdf([c]);
  return { pdf, box: { page: 1, ...c.box }, pages: await geometriesOf(pdf) };
}

/** A solid PNG of the box's displayed aspect (so that a `contain` image fills the box exactly). */
export function solidPng(widthPt: number, heightPt: number, colour: Rgb): Uint8Array {
  return pngOf(Math.round(widthPt * 2), Math.round(heightPt * 2), colour);
}

function pngOf(w: number, h: number, colour: Rgb): Uint8Array {
  return pngImage(w, h, () => colour);
}

export const GREEN: Rgb = [0, 200, 0];
export const RED: Rgb = [255, 0, 0];

/** Where a colour lands on page `page` as poppler shows it (72 dpi, clipped to the CropBox). */
export async function boundsOf(dir: string, pdf: Uint8Array, page: number, colour: Rgb, region?: readonly [number, number, number, number]) {
  const path = join(dir, `render-${Date.now()}-${Math.random().toString(16).slice(2)}.pdf`);
  writeFileSync(path, pdf);
  const image = await renderPage(path, page, dir);
  return colourBounds(image, colour, 60, region);
}

export async function pdfsig(dir: string, pdf: Uint8Array, nss?: string) {
  const path = join(dir, `sig-${Date.now()}-${Math.random().toString(16).slice(2)}.pdf`);
  writeFileSync(path, pdf);
  return verifyWithPdfsig(path, nss);
}

/** Expects a ProviderError whose fields (code, providerCode…) have the given values. */
export async function rejects(promise: Promise<unknown>, check: Record<string, unknown>): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    for (const [k, v] of Object.entries(check))
      assert.equal((err as unknown as Record<string, unknown>)[k], v, `${k}: ${err.message} ${err.providerMessage ?? ''}`);
    return true;
  });
}
