// Health (public), the configured providers, and the sandbox's loopback-only development tokens.
import type { Request, Router } from 'express';
import { z } from 'zod';
import { EMAIL_CLAIM, NIK_CLAIM, ORG_SCOPE, SCOPE_CLAIM } from '../../auth/identity.js';
import { signPortalToken, MAX_TOKEN_LIFETIME_SECONDS } from '../../auth/jwt.js';
import { describeProviders } from '../../providers/index.js';
import { loadSandbox } from '../../sandbox-loader.js';
import type { AppContext } from '../context.js';
import { HttpError } from '../errors.js';
import { bodyOf, email, nik } from '../schemas.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
export const isLoopback = (address: string | undefined) => address !== undefined && LOOPBACK.has(address);

const storeHealth = z.union([
  z.object({ kind: z.literal('filesystem'), ok: z.boolean(), writable: z.boolean() }),
  z.object({ kind: z.literal('postgresql'), ok: z.boolean(), reachable: z.boolean(), migrated: z.boolean(), schemaVersion: z.number().int().nullable() }),
]);
const health = z.object({
  status: z.enum(['ok', 'unavailable']),
  mode: z.enum(['sandbox', 'live']),
  version: z.string(),
  uptimeSeconds: z.number().int(),
  store: storeHealth,
});
const providerState = z.object({
  configured: z.boolean(),
  api: z.enum(['v1', 'v2']).optional(),
  cloud: z.boolean().optional(),
  webViewOrigin: z.string().nullable().optional(),
  callbacks: z.boolean().optional(),
});
const providers = z.object({ mode: z.enum(['sandbox', 'live']), providers: z.object({ bsre: providerState, peruri: providerState, digisign: providerState }) });

export function systemRouter(ctx: AppContext): Router {
  const startedAt = Date.now();
  const r = ctx.api.router('/api');
  r.get(
    {
      path: '/health',
      tag: 'system',
      summary: 'Liveness, mode and whether the store can take a document',
      public: true,
      answers: { 200: { description: 'Up', schema: health }, 503: { description: 'The store cannot take a document now', schema: health } },
    },
    async (_req, res) => {
      // The store too (DATA_DIR writable, or the database reachable and migrated): a load balancer takes an
      // instance that cannot store a signed document out of rotation (503).
      const store = await ctx.store.health();
      res.status(store.ok ? 200 : 503).json({
        status: store.ok ? 'ok' : 'unavailable',
        mode: ctx.config.mode,
        version: ctx.version,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        store,
      });
    },
  );
  r.get(
    {
      path: '/providers',
      tag: 'system',
      summary: 'Configured providers, their API and web-view origins (no secrets)',
      answers: { 200: { description: 'Providers', schema: providers } },
      errors: [401],
    },
    (_req, res) => {
      res.json(describeProviders(ctx.config, ctx.providers));
    },
  );
  if (ctx.config.mode === 'sandbox') tokenRoute(ctx, r);
  return r.router;
}

/** Headers a reverse proxy adds: behind one, "loopback" would be the proxy, for everyone. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'];

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).max(20)]).optional();
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const tokenSchema = z.strictObject({ sub: z.string().min(1).max(256).optional(), nik: oneOrMany(nik), email: oneOrMany(email) });
const token = z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int() });

/**
 * POST /api/tokens — sandbox only, from loopback only, and never for a page of a foreign origin or a request
 * relayed by a proxy: the demo's way to get a token when no portal backend exists. The token names every demo
 * user's NIK and e-mail (plus the `nik`/`email` given, for people the demo registers) and the org scope. In live
 * mode the route does not exist (404). A reverse proxy on the same host would make every client "loopback":
 * never run the sandbox behind one (README, docs/configuration.md; warned at start).
 */
function tokenRoute(ctx: AppContext, r: ReturnType<AppContext['api']['router']>) {
  r.post(
    {
      path: '/tokens',
      tag: 'system',
      summary: 'Sandbox only: a development token for a loopback client (the route does not exist in live mode)',
      description:
        "The token names every demo user's NIK and e-mail, plus the `nik` and `email` given, and the org scope. Refused (403) to another address than loopback, to a request relayed by a proxy and to a page of an origin outside PORTAL_ORIGINS.",
      public: true,
      body: { schema: tokenSchema, media: 'json', required: false },
      answers: { 201: { description: 'A token valid 15 minutes', schema: token } },
      errors: [400, 403],
    },
    async (req: Request, res) => {
      if (!isLoopback(req.socket.remoteAddress)) throw new HttpError('forbidden', 'Development tokens are only handed out to loopback clients.');
      const relayed = PROXY_HEADERS.find((h) => req.headers[h] !== undefined);
      if (relayed) throw new HttpError('forbidden', `Development tokens are not handed out through a proxy (the request carries ${relayed}).`);
      const origin = req.headers.origin;
      if (origin && !ctx.config.portalOrigins.includes(origin)) throw new HttpError('forbidden', 'This origin is not in PORTAL_ORIGINS.');
      const body = bodyOf(req, tokenSchema);
      // The NIKs and e-mails of the sandbox's demo users: the sandbox is loaded (sandbox-loader.ts) in sandbox mode only.
      const demo = (await loadSandbox()).demoIdentities();
      const claims = {
        sub: body.sub ?? 'sandbox-user',
        [NIK_CLAIM]: [...new Set([...demo.niks, ...list(body.nik)])],
        [EMAIL_CLAIM]: [...new Set([...demo.emails, ...list(body.email)])],
        [SCOPE_CLAIM]: ORG_SCOPE,
      };
      res.status(201).json({ token: signPortalToken(claims, ctx.config.portalSecret), tokenType: 'Bearer', expiresIn: MAX_TOKEN_LIFETIME_SECONDS });
    },
  );
}
