// Digisign simulator (docs/providers/digisign.md): multipart POSTs to `.html` endpoints with `Authorization:
// Bearer`, the JSON in the field `jsonfield` as `{"JSONFile":{…}}`, answers wrapped the same way with a
// 2-character `result` ("00" = success) and the documented `notif` texts (§10); Download PDF answers raw bytes
// or an HTTP status (§8.1, §11). Sign and activation happen in the web views (webviews/), which redirect with
// the AES-encrypted `msg` (§4, §7). One module per endpoint group; this one puts them in order.
import express, { type Router } from 'express';
import type { SandboxContext } from '../context.js';
import { headerTriggers } from '../failures.js';
import { requestErrors } from '../http.js';
import { digisignKit, seedForeignDocument } from './common.js';
import { documentEndpoints } from './documents.js';
import { contactEndpoint, registrationEndpoints } from './users.js';

export { FOREIGN_DOCUMENT_ID, seedForeignDocument } from './common.js';

export function createDigisignRouter(ctx: SandboxContext): Router {
  const router = express.Router();
  const seeded = seedForeignDocument(ctx);
  router.use(
    headerTriggers((code, _req, res) => {
      if (/^\d{3}$/.test(code)) res.status(Number(code)).type('text/plain').send(`Sandbox: forced HTTP ${code}`);
      else if (code === '91')
        res.type('application/json').send(JSON.stringify({ result: '91', notif: 'system timeout, silahkan coba kembali 10 menit kemudian' }));
      else res.type('application/json').send(JSON.stringify({ JSONFile: { result: code, notif: `Sandbox: forced result ${code}` } }));
    }),
  );
  const kit = digisignKit(ctx, router, seeded);
  registrationEndpoints(kit);
  documentEndpoints(kit);
  // Last: its path is the deployment's (DIGISIGN_CHANGE_CONTACT_URL), rewritten to the endpoint before it.
  contactEndpoint(kit);
  router.use(requestErrors((res) => kit.send(res, { result: '28', notif: 'Request API tidak lengkap.' })));
  return router;
}
