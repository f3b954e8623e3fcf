// createApp builds the companion server and never listens (main.ts does), so tests drive it directly.
// Middleware order: headers → API routes → API 404 → the demo's static files → the error handler.
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Mode } from './config.js';

export interface AppOptions {
  mode: Mode;
  version: string;
  /** The built demo (dist/demo); omitted, the server answers the API only. */
  demoDir?: string | undefined;
}

export function createApp(options: AppOptions): Express {
  const app = express();
  const startedAt = Date.now();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  const api = express.Router();
  api.get('/health', (_req, res) => {
    res.json({ status: 'ok', mode: options.mode, version: options.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });
  api.use((req, res) => {
    res.status(404).json({ error: { code: 'not-found', message: `No API route ${req.method} ${req.originalUrl}.` } });
  });
  app.use('/api', api);

  if (options.demoDir) app.use(express.static(options.demoDir, { index: 'index.html', fallthrough: true }));

  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    // Body-parser and friends set a status on client errors; everything else is ours and stays unexplained.
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) console.error(err);
    res.status(status).json({ error: { code: status === 500 ? 'internal' : 'bad-request', message: status === 500 ? 'Internal server error.' : String(err.message) } });
  };
  app.use(errors);
  return app;
}
