// @esign-kit/sandbox: the sandbox providers, one simulator per provider (same paths, methods, headers, wrappers,
// fields, response shapes and result codes as the provider's documented contract, docs/providers/), the OTP
// inbox, and the web views on a second origin. The companion server loads this package by dynamic import in
// sandbox mode only (server/src/sandbox-loader.ts) and mounts the router at /sandbox; a live server never
// loads it. It imports the server's shared contracts (@esign-kit/server/contracts, /pdf), never the reverse.
import { join } from 'node:path';
import express, { type Express, type Router } from 'express';
import type { SandboxModule } from '@esign-kit/server/contracts';
import { createBsreRouter } from './bsre/index.js';
import { sandboxContext, type SandboxOptions } from './context.js';
import { createDigisignRouter } from './digisign/index.js';
import { createInboxRouter } from './inbox.js';
import { createPeruriRouter } from './peruri/index.js';
import { openSandboxCa } from './signing/ca.js';
import { seedUsers } from './state.js';
import { createWebViewApp } from './webviews/index.js';

export type { SandboxOptions } from './context.js';

/** The provider simulators under `/bsre`, `/peruri`, `/digisign`, and the inbox (`/inbox`, `/inbox.json`). */
export function createSandboxRouter(options: SandboxOptions): Router {
  const ctx = sandboxContext(options);
  const router = express.Router();
  router.use('/bsre', createBsreRouter(ctx));
  router.use('/peruri', createPeruriRouter(ctx));
  router.use('/digisign', createDigisignRouter(ctx));
  router.use(createInboxRouter(ctx));
  return router;
}

/** The Peruri and Digisign web views, to be listened on a second origin (another port on loopback). */
export function createSandboxWebViewApp(options: SandboxOptions): Express {
  return createWebViewApp(sandboxContext(options));
}

/** The root of the CA the simulators sign with (`<dataDir>/sandbox/ca`, made on first use), as PEM. */
export async function sandboxRootCertificate(dataDir: string): Promise<string> {
  return (await openSandboxCa(join(dataDir, 'sandbox', 'ca'))).rootCertificatePem;
}

/** Every seeded demo user's NIK and e-mail (README.md, Demo users). */
export function demoIdentities(): { niks: string[]; emails: string[] } {
  const users = seedUsers();
  return { niks: users.map((u) => u.nik).filter(Boolean), emails: users.map((u) => u.email) };
}

/** What the server loads (`import('@esign-kit/sandbox')`), checked against the shape it expects. */
export default { createSandboxRouter, createSandboxWebViewApp, sandboxRootCertificate, demoIdentities } satisfies SandboxModule;
