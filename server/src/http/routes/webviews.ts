// POST /api/webviews: the URL of a provider's web view for one flow, its origin (what the portal frames
// and accepts messages from) and the channel name the result is posted under.
import { Router } from 'express';
import { z } from 'zod';
import { badResponse, peruriActivationWebViewUrl, peruriSigningWebViewUrl } from '../../adapters/index.js';
import type { AppContext } from '../context.js';
import { notConfigured, withField } from '../errors.js';
import { actsAs, actsAsSignersOf } from '../guards.js';
import { bodyOf, email, userOf } from '../middleware.js';
import { DIGISIGN_DOCUMENT_ID } from './digisign.js';

const ORDER_ID = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be the orderId Peruri returned');
const flowFields = { provider: z.enum(['peruri', 'digisign']), flow: z.enum(['activation', 'signing']) };
// First which provider and flow (the rest may not fit yet), then the whole body, strictly: an unknown field is a
// 400 naming it, as on every other route.
const flowSchema = z.object(flowFields);
const schemas = {
  'peruri:activation': z.strictObject({ ...flowFields, email }),
  'peruri:signing': z.strictObject({ ...flowFields, orderId: ORDER_ID }),
  'digisign:activation': z.strictObject({ ...flowFields, email }),
  'digisign:signing': z.strictObject({ ...flowFields, email, digisignDocumentId: z.string().regex(DIGISIGN_DOCUMENT_ID, 'must be 1–20 letters, digits, "-" or "_"'), viewOnly: z.boolean().optional() }),
};

export function webviewsRouter(ctx: AppContext): Router {
  const r = Router();
  r.post('/webviews', async (req, res) => {
    const { provider, flow } = bodyOf(req, flowSchema);
    let url: string;
    if (provider === 'peruri') {
      const p = ctx.providers.peruri;
      if (!p) throw notConfigured('Peruri');
      if (!p.settings.webViewBaseUrl) throw notConfigured('The Peruri web view (PERURI_WEBVIEW_URL)');
      if (flow === 'activation') {
        const body = bodyOf(req, schemas['peruri:activation']);
        actsAs(req, ['email', 'email', body.email]);
        url = peruriActivationWebViewUrl(body, p.settings);
      }
      else {
        const body = bodyOf(req, schemas['peruri:signing']);
        // Peruri's signing URL carries no credential (gap 15): hand it out only for the caller's own orders.
        await withField('orderId', ctx.store.assertRefOwner('peruri', body.orderId, userOf(req)));
        await actsAsSignersOf(req, ctx.store, 'peruri', body.orderId, 'orderId');
        url = peruriSigningWebViewUrl(body, p.settings);
      }
    } else {
      const d = ctx.providers.digisign;
      if (!d) throw notConfigured('Digisign');
      if (flow === 'activation') {
        const body = bodyOf(req, schemas['digisign:activation']);
        actsAs(req, ['email', 'email', body.email]);
        url = (await d.client.activationLink(body)).link;
      }
      else {
        const body = bodyOf(req, schemas['digisign:signing']);
        actsAs(req, ['email', 'email', body.email]);
        await withField('digisignDocumentId', ctx.store.assertRefOwner('digisign', body.digisignDocumentId, userOf(req)));
        // §6.1 view_only: the user may look at the document but not sign it.
        url = (await d.client.signPageLink({ documentId: body.digisignDocumentId, email: body.email, ...(body.viewOnly !== undefined ? { viewOnly: body.viewOnly } : {}) })).link;
      }
    }
    const origin = new URL(url).origin;
    // Portals trust messages from this origin: it must be the configured web-view origin, not whatever a link says.
    const expected = provider === 'digisign' ? ctx.providers.digisign?.webViewOrigin : undefined;
    if (expected !== undefined && origin !== expected) {
      throw badResponse('digisign', `digisign.${flow}Link`, `the link's origin ${origin} is not the configured web-view origin`);
    }
    // No channel here: each <esign-webview> makes its own, unguessable one (carried in its iframe's name).
    res.status(201).json({ url, origin });
  });
  return r;
}
