// GET /api/webhooks/events/:id: an event's delivery log (each WEBHOOK_URL, every attempt with the receiver's
// status or the failure, what is due next). POST …/replay: every delivery pending again, now, with the same
// webhook-id and body (a receiver that de-duplicates by id sees one event). The event's user only; others 404.
import type { Router } from 'express';
import { z } from 'zod';
import { userOf } from '../http/auth.js';
import type { AppContext } from '../http/context.js';
import { HttpError } from '../http/errors.js';
import type { WebhookEvent } from './outbox.js';

const params = z.object({
  id: z
    .string()
    .regex(/^evt_[0-9a-f]{32}$/, 'must be an event id (evt_ and 32 hex digits)')
    .describe('The event id (the webhook-id header)'),
});
const eventSchema = z.object({
  id: z.string(),
  type: z.enum(['document.signed', 'document.failed', 'flow.expired', 'signer.activated']),
  timestamp: z.string(),
  payload: z.record(z.string(), z.unknown()).describe('The body every delivery carries'),
  deliveries: z.array(
    z.object({
      url: z.string(),
      state: z.enum(['pending', 'delivered', 'failed']),
      nextAttemptAt: z.string().optional(),
      attempts: z.array(z.object({ at: z.string(), status: z.number().int().optional(), error: z.string().optional(), durationMs: z.number() })),
    }),
  ),
});

/** The :id parameter, checked: a 400 naming it when it cannot be an event id. */
function idOf(raw: Record<string, unknown>): string {
  const parsed = params.safeParse(raw);
  if (!parsed.success) throw new HttpError('invalid-input', `id: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, 'id');
  return parsed.data.id;
}

export function eventView(event: WebhookEvent) {
  return {
    id: event.id,
    type: event.type,
    timestamp: event.timestamp,
    payload: JSON.parse(event.body) as Record<string, unknown>,
    deliveries: event.deliveries.map((d) => ({
      url: d.url,
      state: d.state,
      ...(d.state === 'pending' && d.nextAt !== null ? { nextAttemptAt: new Date(d.nextAt).toISOString() } : {}),
      attempts: d.attempts,
    })),
  };
}

export function webhooksRouter(ctx: AppContext, kick: () => void): Router {
  const r = ctx.api.router('/api');
  const owned = async (id: string, user: string) => {
    const event = await ctx.flows.outbox.get(id);
    if (!event || event.user !== user) throw new HttpError('not-found', 'No such webhook event.', 'id');
    return event;
  };
  r.get(
    {
      path: '/webhooks/events/:id',
      tag: 'webhooks',
      summary: "An event's delivery log",
      params,
      answers: { 200: { description: 'The event and its deliveries', schema: z.object({ event: eventSchema }) } },
      errors: [400, 401, 404],
    },
    async (req, res) => {
      const id = idOf(req.params);
      res.json({ event: eventView(await owned(id, userOf(req))) });
    },
  );
  r.post(
    {
      path: '/webhooks/events/:id/replay',
      tag: 'webhooks',
      summary: 'Deliver an event again to every WEBHOOK_URL (same webhook-id and body)',
      params,
      answers: { 202: { description: 'Queued; its log shows the deliveries', schema: z.object({ event: eventSchema }) } },
      errors: [400, 401, 404],
    },
    async (req, res) => {
      const id = idOf(req.params);
      await owned(id, userOf(req));
      const event = await ctx.flows.outbox.replay(id);
      if (!event) throw new HttpError('not-found', 'No such webhook event.', 'id');
      kick();
      res.status(202).json({ event: eventView(event) });
    },
  );
  return r.router;
}
