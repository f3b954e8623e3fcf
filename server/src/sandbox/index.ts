// The sandbox providers: one simulator per provider (same paths, methods, headers, wrappers, fields,
// response shapes and result codes as the provider's documented contract), the OTP inbox, and the web
// views on a second origin. The server mounts the router at /sandbox in sandbox mode only; production code
// never imports this module.
import express, { type Express, type Router } from 'express';
import { createBsreRouter } from './bsre.js';
import { sandboxContext, type SandboxOptions } from './context.js';
import { createDigisignRouter } from './digisign.js';
import { createInboxRouter } from './inbox.js';
import { createPeruriRouter } from './peruri.js';
import { createWebViewApp } from './webviews.js';

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
