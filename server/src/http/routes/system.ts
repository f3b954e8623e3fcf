// Health (public), the configured providers, and the sandbox's loopback-only development tokens.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { EMAIL_CLAIM, NIK_CLAIM, ORG_SCOPE, SCOPE_CLAIM } from '../../auth/identity.js';
import { signPortalToken, MAX_TOKEN_LIFETIME_SECONDS } from '../../auth/jwt.js';
import { describeProviders } from '../../providers/index.js';
import type { AppContext } from '../context.js';
import { HttpError } from '../errors.js';
import { bodyOf, email, nik } from '../schemas.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
export const isLoopback = (address: string | undefined) => address !== undefined && LOOPBACK.has(address);

export function healthRouter(ctx: AppContext): Router {
  const startedAt = Date.now();
  const r = Router();
  r.get('/health', (_req, res) => {
    res.json({ status: 'ok', mode: ctx.config.mode, version: ctx.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });
  return r;
}

export function providersRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/providers', (_req, res) => {
    res.json(describeProviders(ctx.config, ctx.providers));
  });
  return r;
}

/** Headers a reverse proxy adds: behind one, "loopback" would be the proxy, for everyone. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'];

/** The NIKs and e-mails of the sandbox's demo users (lazily: a live server never loads the sandbox). */
let demoIdentities: Promise<{ niks: string[]; emails: string[] }> | undefined;
const sandboxIdentities = () =>
  (demoIdentities ??= import('../../sandbox/state.js').then(({ seedUsers }) => {
    const users = seedUsers();
    return { niks: users.map((u) => u.nik).filter(Boolean), emails: users.map((u) => u.email) };
  }));

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).max(20)]).optional();
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * POST /api/tokens — sandbox only, from loopback only, and never for a page of a foreign origin or a request
 * relayed by a proxy: the demo's way to get a token when no portal backend exists. The token names every demo
 * user's NIK and e-mail (plus the `nik`/`email` given, for people the demo registers) and the org scope. In live
 * mode the route does not exist (404). A reverse proxy on the same host would make every client "loopback":
 * never run the sandbox behind one (README, docs/configuration.md; warned at start).
 */
export function tokensRouter(ctx: AppContext): Router {
  const r = Router();
  if (ctx.config.mode !== 'sandbox') return r;
  const schema = z.strictObject({ sub: z.string().min(1).max(256).optional(), nik: oneOrMany(nik), email: oneOrMany(email) });
  r.post('/tokens', async (req: Request, res) => {
    if (!isLoopback(req.socket.remoteAddress)) throw new HttpError('forbidden', 'Development tokens are only handed out to loopback clients.');
    const relayed = PROXY_HEADERS.find((h) => req.headers[h] !== undefined);
    if (relayed) throw new HttpError('forbidden', `Development tokens are not handed out through a proxy (the request carries ${relayed}).`);
    const origin = req.headers.origin;
    if (origin && !ctx.config.portalOrigins.includes(origin)) throw new HttpError('forbidden', 'This origin is not in PORTAL_ORIGINS.');
    const body = bodyOf(req, schema);
    const demo = await sandboxIdentities();
    const claims = {
      sub: body.sub ?? 'sandbox-user',
      [NIK_CLAIM]: [...new Set([...demo.niks, ...list(body.nik)])],
      [EMAIL_CLAIM]: [...new Set([...demo.emails, ...list(body.email)])],
      [SCOPE_CLAIM]: ORG_SCOPE,
    };
    const token = signPortalToken(claims, ctx.config.portalSecret);
    res.status(201).json({ token, tokenType: 'Bearer', expiresIn: MAX_TOKEN_LIFETIME_SECONDS });
  });
  return r;
}
