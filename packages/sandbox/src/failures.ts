// Failure injection shared by the three simulators. Two headers work on every route:
//   X-Sandbox-Delay-Ms: <n>     answer n ms late (at most 120 000): a slow provider.
//   X-Sandbox-Fail: <code>      answer the provider's own error for <code> (HTTP status, resultCode or result),
//                               or `timeout`: never answer (until the client gives up or 10 minutes pass).
// Data triggers (NIKs, e-mails, document ids) live in each simulator and are listed in README.md.
import type { NextFunction, Request, Response } from 'express';

export const MAX_DELAY_MS = 120_000;
const HOLD_MS = 10 * 60_000;

/**
 * Waits `ms`, or less if the client goes away first. The response's `close` is the signal: the request's own
 * `close` fires as soon as its body has been read.
 */
export function pause(req: Request, ms: number): Promise<void> {
  const res = req.res;
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      res?.off('close', done);
      resolve();
    }
    res?.once('close', done);
  });
}

/**
 * The header triggers. `fail(code, req, res)` answers a forced failure the way this provider would; it is
 * called for any code other than `timeout`.
 */
export function headerTriggers(fail: (code: string, req: Request, res: Response) => void) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const delay = Number(req.get('x-sandbox-delay-ms'));
    if (Number.isFinite(delay) && delay > 0) await pause(req, Math.min(delay, MAX_DELAY_MS));
    const code = req.get('x-sandbox-fail')?.trim();
    if (!code) return next();
    if (code.toLowerCase() === 'timeout') {
      await pause(req, HOLD_MS);
      if (!res.headersSent && !res.writableEnded && !req.socket.destroyed) res.status(504).end();
      return;
    }
    fail(code, req, res);
  };
}

/** A trigger in data: `<prefix>` at the start of an id or the local part of an e-mail (case-insensitive). */
export function hasTrigger(value: unknown, prefix: string): boolean {
  return typeof value === 'string' && value.toLowerCase().startsWith(prefix.toLowerCase());
}

/** `slow-<ms>…` in an id or e-mail asks for a slow answer (at most 120 s). */
export function slowTrigger(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^slow-(\d{1,6})/i.exec(value) : null;
  return m ? Math.min(Number(m[1]), MAX_DELAY_MS) : undefined;
}
