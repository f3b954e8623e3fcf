// The request inspector's HTTP side (sandbox mode only, app.ts): each API request runs inside a trace of the
// recorder (inspector/recorder.ts), named by its X-Esign-Trace header, and GET /api/traces/:id gives the
// portal user who made a request the provider calls it made, redacted.
import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { TraceStore } from '../../inspector/recorder.js';
import { userOf } from '../auth.js';
import { HttpError } from '../errors.js';

/** Starts a trace for each API request and runs the rest of the request inside it. */
export function traceRequests(store: TraceStore): RequestHandler {
  return (req, res, next) => {
    const trace = store.start({ method: req.method, path: req.path }, userOf(req));
    res.on('finish', () => store.finish(trace));
    res.setHeader('X-Esign-Trace', trace.id);
    store.run(trace, next);
  };
}

const file = z.object({ name: z.string(), type: z.string(), size: z.number() });
const body = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('json'), value: z.unknown() }),
    z.object({ kind: z.literal('text'), text: z.string() }),
    z.object({ kind: z.literal('form'), fields: z.array(z.object({ name: z.string(), value: z.unknown().optional(), file: file.optional() })) }),
    z.object({ kind: z.literal('binary'), type: z.string(), size: z.number() }),
  ])
  .describe('What went over the wire, redacted (inspector/redact.ts): JSON, text, form fields, or a binary body by type and size');
const exchange = z.object({
  provider: z.string(),
  method: z.string(),
  url: z.string(),
  request: z.object({ headers: z.record(z.string(), z.string()), body }),
  response: z.object({ status: z.number().int(), headers: z.record(z.string(), z.string()), body }).optional(),
  failure: z.string().optional().describe('Why no answer came (a timeout, a reset connection…)'),
  startedAt: z.string(),
  durationMs: z.number(),
});
const trace = z.object({ id: z.string(), method: z.string(), path: z.string(), startedAt: z.string(), exchanges: z.array(exchange) });

export function tracesRouter(ctx: Pick<AppContext, 'api'>, store: TraceStore): Router {
  const r = ctx.api.router('/api');
  r.get(
    {
      path: '/traces/:id',
      tag: 'system',
      summary: 'Sandbox only: the provider requests one API call made (named by its X-Esign-Trace header), redacted; for the user who made the call',
      params: z.object({ id: z.string().meta({ format: 'uuid' }) }),
      answers: {
        200: {
          description: 'Each provider request: method, URL, headers and body, and the answer; credentials, one-time codes and documents redacted',
          schema: trace,
        },
      },
      errors: [401, 404],
    },
    (req, res) => {
      const trace = store.read(String(req.params.id), userOf(req));
      // Someone else's trace answers like a missing one: ids are not to be probed.
      if (!trace) throw new HttpError('not-found', 'No such trace (traces are kept for the last 200 requests, for the user who made them).', 'id');
      res.json(trace);
    },
  );
  return r.router;
}
