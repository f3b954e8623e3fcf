// The request inspector's HTTP side (sandbox mode only, app.ts): each API request runs inside a trace of the
// recorder (inspector/recorder.ts), named by its X-Esign-Trace header, and GET /api/traces/:id gives the
// portal user who made a request the provider calls it made, redacted.
import { Router, type RequestHandler } from 'express';
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

export function tracesRouter(store: TraceStore): Router {
  const r = Router();
  r.get('/traces/:id', (req, res) => {
    const trace = store.read(req.params.id ?? '', userOf(req));
    // Someone else's trace answers like a missing one: ids are not to be probed.
    if (!trace) throw new HttpError('not-found', 'No such trace (traces are kept for the last 200 requests, for the user who made them).', 'id');
    res.json(trace);
  });
  return r;
}
