// Peruri Digital Signature simulator (docs/providers/peruri.md): JSON POSTs under the gateway paths of §2.1, with
// `x-Gateway-APIKey` on every call and `Authorization: Bearer <JWT>` on all but Get JWT; bodies wrapped in
// `param`, `requestSigning`, `requestSetSignature` or `requestGetOtpBulk`; answers `{resultCode,
// resultDesc, data}` with "0" = success. Peruri documents no error catalogue (gap 3): the sandbox's codes
// are listed in README.md; 4012 (decimal coordinates) is the one integrators report. The operations are one
// module per group (§4 users, §5 documents, §6 tiers, §7 bulk, §8 signing system); this one is the gateway.
import { createHmac } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../context.js';
import { headerTriggers, hasTrigger } from '../failures.js';
import { isRecord, MAX_UPLOAD, requestErrors, str } from '../http.js';
import { PERURI_CODES, PeruriFailure, fail, b64url, same, WRAPPERS, peruriKit, type PeruriHandler } from './common.js';
import { userOperations } from './users.js';
import { documentOperations } from './documents.js';
import { tierOperations } from './tiers.js';
import { bulkOperations } from './bulk.js';
import { systemOperations } from './system.js';

export { PERURI_CODES, PeruriFailure, type PeruriHandler } from './common.js';

export function createPeruriRouter(ctx: SandboxContext): Router {
  const { state } = ctx;
  const router = express.Router();
  const operations = peruriOperations(ctx);

  // The gateway checks the API key before anything else.
  router.use((req, res, next) => {
    const key = req.get('x-gateway-apikey');
    if (!key || !same(key, ctx.options.credentials.peruriApiKey)) {
      res.status(401).json({ resultCode: '401', resultDesc: 'Unauthorized: invalid x-Gateway-APIKey' });
      return;
    }
    next();
  });
  router.use(
    headerTriggers((code, _req, res) => {
      if (/^\d{3}$/.test(code) && Number(code) >= 400) res.status(Number(code)).json({ resultCode: code, resultDesc: `Sandbox: forced HTTP ${code}` });
      else res.json({ resultCode: code, resultDesc: `Sandbox: forced resultCode ${code}` });
    }),
  );
  // PDFs travel as base64 in JSON (a third larger than the file): the JSON limit is the file limit in
  // base64, plus room for the other fields.
  router.use(express.json({ limit: Math.ceil(MAX_UPLOAD / 3) * 4 + 2 ** 20, type: () => true }));

  const jwtFor = (systemId: string) => {
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ sub: systemId, iss: 'esign-kit-sandbox-peruri', iat: now, exp: now + 24 * 3600 }));
    const sig = createHmac('sha256', state.data.secret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  };
  const jwtValid = (token: string) => {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return false;
    const expected = createHmac('sha256', state.data.secret).update(`${head}.${body}`).digest('base64url');
    if (!same(sig, expected)) return false;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp?: number; sub?: string };
      return typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() && claims.sub === ctx.options.credentials.peruriSystemId;
    } catch {
      return false;
    }
  };

  const handle = async (name: string, req: Request, res: Response) => {
    const handler = operations.get(name);
    if (!handler) {
      res.status(404).json({ resultCode: '404', resultDesc: `Unknown API ${name}` });
      return;
    }
    if (name !== 'getJsonWebToken') {
      const auth = req.get('authorization') ?? '';
      if (!auth.startsWith('Bearer ') || !jwtValid(auth.slice(7).trim())) {
        res.status(401).json({ resultCode: '401', resultDesc: 'Invalid or expired JWT' });
        return;
      }
    }
    try {
      const wrapper = WRAPPERS[name] ?? 'param';
      const body = req.body as Record<string, unknown> | undefined;
      const p = isRecord(body) ? body[wrapper] : undefined;
      if (!isRecord(p)) fail(PERURI_CODES.missingField, `Request body must be wrapped in "${wrapper}"`);
      const out = await handler(p as Record<string, unknown>, req);
      res.json({ resultCode: '0', resultDesc: out.desc, ...(out.data !== undefined ? { data: out.data } : {}) });
    } catch (err) {
      if (err instanceof PeruriFailure) {
        res.json({ resultCode: err.code, resultDesc: err.message });
        return;
      }
      throw err;
    }
  };
  // §2.1: sandbox paths, and the production names too.
  router.post(['/jwtSandbox/1.0/getJsonWebToken/v1', '/jwt/1.0/getJsonWebToken/v1'], (req, res) => handle('getJsonWebToken', req, res));
  router.post(['/digitalSignatureFullJwtSandbox/1.0/:op/v1', '/digitalSignatureFullJwt/1.0/:op/v1'], (req, res) => handle(String(req.params.op), req, res));

  router.use(requestErrors((res, status, message) => res.status(status).json({ resultCode: String(status), resultDesc: message })));
  operations.set('getJsonWebToken', async (p) => {
    if (str(p.systemId) !== ctx.options.credentials.peruriSystemId) fail(PERURI_CODES.systemId, 'systemId tidak terdaftar');
    return { desc: 'Success', data: { jwt: jwtFor(ctx.options.credentials.peruriSystemId) } };
  });
  return router;
}

/** The operations of §3–§8, shared by the API routes and the web views (which call them like the real pages). */
export function peruriOperations(ctx: SandboxContext): Map<string, PeruriHandler> {
  const kit = peruriKit(ctx);
  const operations = new Map<string, PeruriHandler>();
  userOperations(operations, kit);
  documentOperations(operations, kit);
  tierOperations(operations, kit);
  bulkOperations(operations, kit);
  systemOperations(operations, kit);

  // Data trigger: an e-mail whose local part starts with "fail-<code>" answers that resultCode on any call.
  const original = new Map(operations);
  for (const [name, handler] of original) {
    operations.set(name, async (p, req) => {
      const email = str(p.email) ?? str(p.uploader);
      const m = email ? /^fail-(\d{1,5})@/i.exec(email) : null;
      if (m && hasTrigger(email, 'fail-')) fail(m[1]!, `Sandbox: resultCode ${m[1]} dipicu oleh ${email}`);
      return handler(p, req);
    });
  }
  return operations;
}
