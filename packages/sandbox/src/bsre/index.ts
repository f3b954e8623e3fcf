// BSrE simulator (docs/providers/bsre.md): the Esign Client Service API v1 (multipart, Part C) and v2 (JSON,
// Part D) behind HTTP Basic auth (Part B), and the older cloud "E-Sign API service" behind an OAuth
// client-credentials token (Part A). Error bodies are undocumented (gaps 15, 30); the sandbox answers what
// integrations observe, `{"error":"Passphrase anda salah","status_code":2031}` with HTTP 400, and the
// status codes listed in README.md. One module per endpoint group; this one puts them in order.
import express, { type Router } from 'express';
import type { SandboxContext } from '../context.js';
import { headerTriggers } from '../failures.js';
import { requestErrors } from '../http.js';
import { SEAL_SUBSCRIBER } from '../state.js';
import { cloudRoutes } from './cloud.js';
import { BSRE_CODES, bsreKit, forced } from './common.js';
import { sealRoutes } from './seal.js';
import { signRoutes } from './sign.js';
import { userRoutes, v1StatusRoute } from './users.js';
import { v1Routes } from './v1.js';
import { verifyRoutes } from './verify.js';

export { BSRE_CODES } from './common.js';
export { legacyVerification } from './verify.js';
export { v1StatusNik } from './users.js';

export function createBsreRouter(ctx: SandboxContext): Router {
  const kit = bsreKit(ctx);
  const router = express.Router();
  router.use(headerTriggers(forced));
  // Cloud API (Part A): OAuth token, then Bearer (header, or `access_token` in the query; gap 1).
  cloudRoutes(router, kit);
  // Esign Client Service (Parts C, D): HTTP Basic with a credential of the admin UI. The v1 user status first:
  // its path is the deployment's, anywhere.
  v1StatusRoute(router, kit);
  router.use('/api', kit.basicAuth);
  userRoutes(router, kit);
  signRoutes(router, kit);
  sealRoutes(router, kit);
  verifyRoutes(router, kit);
  v1Routes(router, kit);
  router.use(requestErrors((res, status, message) => res.status(status).json({ error: message, status_code: BSRE_CODES.invalid })));
  // The subscriber of the seeded organisation is always there, even in a state written before it existed.
  ctx.state.data.bsre.seals[SEAL_SUBSCRIBER.idSubscriber] ??= { organisation: SEAL_SUBSCRIBER.organisation, email: SEAL_SUBSCRIBER.email };
  return router;
}
