// Health (public), the configured providers, and the sandbox's loopback-only development tokens.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { signPortalToken, MAX_TOKEN_LIFETIME_SECONDS } from '../../auth/jwt.js';
import { describeProviders } from '../../providers/index.js';
import type { AppContext } from '../context.js';
import { HttpError } from '../errors.js';
import { bodyOf } from '../middleware.js';

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

/**
 * POST /api/tokens — sandbox only, from loopback only, and never for a page of a foreign origin: the demo's
 * way to get a token when no portal backend exists. In live mode the route does not exist (404).
 */
export function tokensRouter(ctx: AppContext): Router {
  const r = Router();
  if (ctx.config.mode !== 'sandbox') return r;
  const schema = z.object({ sub: z.string().min(1).max(256).optional() });
  r.post('/tokens', (req: Request, res) => {
    if (!isLoopback(req.socket.remoteAddress)) throw new HttpError('forbidden', 'Development tokens are only handed out to loopback clients.');
    const origin = req.headers.origin;
    if (origin && !ctx.config.portalOrigins.includes(origin)) throw new HttpError('forbidden', 'This origin is not in PORTAL_ORIGINS.');
    const { sub } = bodyOf(req, schema);
    const token = signPortalToken({ sub: sub ?? 'sandbox-user' }, ctx.config.portalSecret);
    res.status(201).json({ token, tokenType: 'Bearer', expiresIn: MAX_TOKEN_LIFETIME_SECONDS });
  });
  return r;
}
