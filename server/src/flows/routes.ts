// GET /api/flows and GET /api/flows/:id: the caller's signing and activation flows (flows/model.ts), each with
// its state, history, stored document and webhook events. Another user's flow is a 404, as if it did not exist.
import type { Router } from 'express';
import { z } from 'zod';
import { userOf } from '../http/auth.js';
import type { AppContext } from '../http/context.js';
import { HttpError } from '../http/errors.js';
import { flowView } from './model.js';

const params = z.object({
  id: z
    .string()
    .regex(/^flw_[0-9a-f]{32}$/, 'must be a flow id (flw_ and 32 hex digits)')
    .describe('The flow id'),
});
const stateEnum = z.enum(['started', 'awaiting-signer', 'signed', 'stored', 'activated', 'failed', 'expired']);
const flowSchema = z.object({
  id: z.string(),
  kind: z.enum(['signing', 'activation']),
  provider: z.enum(['peruri', 'digisign', 'bsre']),
  reference: z.string().describe("The provider's reference: Peruri's orderId, Digisign's document_id; the e-mail for an activation"),
  user: z.string(),
  signers: z.array(z.string()),
  state: stateEnum,
  documentId: z.string().optional().describe('The stored signed document (GET /api/documents/{id})'),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(z.object({ state: stateEnum, at: z.string() })),
  events: z.array(z.object({ id: z.string(), type: z.string() })).describe('Its webhook events (GET /api/webhooks/events/{id})'),
  reconciliation: z.object({
    attempts: z.number().int(),
    nextCheckAt: z.string().optional(),
    lastError: z.object({ code: z.string(), message: z.string() }).optional(),
    finishedBy: z.string().optional(),
  }),
});

/** The :id parameter, checked: a 400 naming it when it cannot be a flow id. */
function idOf(raw: Record<string, unknown>): string {
  const parsed = params.safeParse(raw);
  if (!parsed.success) throw new HttpError('invalid-input', `id: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, 'id');
  return parsed.data.id;
}

export function flowsRouter(ctx: AppContext): Router {
  const r = ctx.api.router('/api');
  r.get(
    {
      path: '/flows',
      tag: 'flows',
      summary: "The caller's flows, newest first",
      answers: { 200: { description: 'Flows', schema: z.object({ flows: z.array(flowSchema) }) } },
      errors: [401],
    },
    async (req, res) => {
      res.json({ flows: (await ctx.flows.ofUser(userOf(req))).map(flowView) });
    },
  );
  r.get(
    {
      path: '/flows/:id',
      tag: 'flows',
      summary: "One of the caller's flows",
      params,
      answers: { 200: { description: 'The flow', schema: z.object({ flow: flowSchema }) } },
      errors: [400, 401, 404],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const flow = await ctx.flows.get(id);
      if (!flow || flow.user !== userOf(req)) throw new HttpError('not-found', 'No such flow.', 'id');
      res.json({ flow: flowView(flow) });
    },
  );
  return r.router;
}
