// POST /api/webviews: the URL of a provider's web view for one flow, its origin (what the portal frames
// and accepts messages from) and the channel name the result is posted under.
// POST /api/webviews/confirmations: the server's word on a flow the provider's page says has finished, for the
// signer the element was opened for — the element fires esign-complete only with it. Peruri: the order's
// recorded signer, its status at Peruri, the signed PDF stored; Peruri activation: the certificate issued.
// Digisign: a redirect this server decrypted (landing page) naming this very signer (and document), then the
// signed PDF downloaded and stored. A landing URL of another signer, replayed into this signer's frame, names
// the other signer: it confirms nothing here.
import type { Request, Router } from 'express';
import { z } from 'zod';
import { DigisignService } from '../../providers/digisign/service.js';
import { peruriActivationWebViewUrl, peruriSigningWebViewUrl } from '../../providers/peruri/requests.js';
import { PeruriService } from '../../providers/peruri/service.js';
import { normaliseEmail } from '../../auth/identity.js';
import type { AppContext } from '../context.js';
import { HttpError, notConfigured, withField } from '../errors.js';
import { actsAs, actsAsSignersOf } from '../guards.js';
import { bodyOf, email } from '../schemas.js';
import { userOf } from '../auth.js';
import { DIGISIGN_DOCUMENT_ID } from '../../providers/digisign/routes.js';

const ORDER_ID = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be the orderId Peruri returned');
const DOCUMENT_ID = z.string().regex(DIGISIGN_DOCUMENT_ID, 'must be 1–20 letters, digits, "-" or "_"');
const flowFields = { provider: z.enum(['peruri', 'digisign']), flow: z.enum(['activation', 'signing']) };
// First which provider and flow (the rest may not fit yet), then the whole body, strictly: an unknown field is a
// 400 naming it, as on every other route.
const flowSchema = z.object(flowFields);
const schemas = {
  'peruri:activation': z.strictObject({ ...flowFields, email }),
  'peruri:signing': z.strictObject({ ...flowFields, orderId: ORDER_ID }),
  'digisign:activation': z.strictObject({ ...flowFields, email }),
  'digisign:signing': z.strictObject({ ...flowFields, email, digisignDocumentId: DOCUMENT_ID, viewOnly: z.boolean().optional() }),
};
const confirmations = {
  'peruri:activation': z.strictObject({ ...flowFields, email }),
  /** `email`: the signer the element was opened for, when the portal names one. */
  'peruri:signing': z.strictObject({ ...flowFields, orderId: ORDER_ID, email: email.optional() }),
  'digisign:activation': z.strictObject({ ...flowFields, email }),
  'digisign:signing': z.strictObject({ ...flowFields, email, digisignDocumentId: DOCUMENT_ID }),
};

const link = z.object({ url: z.string().meta({ format: 'uri' }), origin: z.string().describe('What the portal frames, and accepts messages from') });
const confirmed = z.union([
  z.object({
    confirmed: z.literal(true),
    result: z
      .record(z.string(), z.unknown())
      .describe(
        'Peruri signing: orderId, documentId and the stored document; Peruri activation: email, issued; Digisign signing: digisignDocumentId, the stored document, email, completed, status; Digisign activation: email, providerCode',
      ),
  }),
  z
    .object({ confirmed: z.literal(false), resultCode: z.string(), resultDesc: z.string() })
    .describe('Not yet: Peruri\'s check answered another code than "0" (ask again shortly)'),
]);

export function webviewsRouter(ctx: AppContext): Router {
  const r = ctx.api.router('/api');
  const peruri = new PeruriService(ctx);
  const digisign = new DigisignService(ctx);
  /** Peruri's orderIds count up: only the portal user who created the order, acting as its signer, may use it. */
  const ownedOrder = async (req: Request, orderId: string) => {
    await withField('orderId', ctx.store.assertRefOwner('peruri', orderId, userOf(req)));
    return actsAsSignersOf(req, ctx.store, 'peruri', orderId, 'orderId');
  };

  r.post(
    {
      path: '/webviews',
      tag: 'webviews',
      summary: 'A web-view URL for a flow (Peruri activation/signing, Digisign activation/signing)',
      description:
        "Peruri's signing link is handed out for the caller's own orders only; a Digisign link is loaded once here and must be on the configured web-view origin.",
      body: { schema: z.union(Object.values(schemas)), media: 'json' },
      answers: { 201: { description: 'The web view', schema: link } },
      errors: [400, 401, 403, 404, 502, 503],
    },
    async (req, res) => {
      const { provider, flow } = bodyOf(req, flowSchema);
      let url: string;
      if (provider === 'peruri') {
        peruri.client();
        const settings = ctx.providers.peruri!.settings;
        if (!settings.webViewBaseUrl) throw notConfigured('The Peruri web view (PERURI_WEBVIEW_URL)');
        if (flow === 'activation') {
          const body = bodyOf(req, schemas['peruri:activation']);
          actsAs(req, ['email', 'email', body.email]);
          url = peruriActivationWebViewUrl(body, settings);
          await peruri.activationStarted(userOf(req), body.email);
        } else {
          const body = bodyOf(req, schemas['peruri:signing']);
          // Peruri's signing URL carries no credential (docs/providers/peruri.md gap 15): hand it out only for the caller's own orders.
          await ownedOrder(req, body.orderId);
          url = peruriSigningWebViewUrl(body, settings);
        }
      } else {
        const { client } = digisign.provider();
        if (flow === 'activation') {
          const body = bodyOf(req, schemas['digisign:activation']);
          actsAs(req, ['email', 'email', body.email]);
          url = await digisign.webViewLink(flow, () => client.activationLink(body));
          await digisign.activationStarted(userOf(req), body.email);
        } else {
          const body = bodyOf(req, schemas['digisign:signing']);
          actsAs(req, ['email', 'email', body.email]);
          await withField('digisignDocumentId', ctx.store.assertRefOwner('digisign', body.digisignDocumentId, userOf(req)));
          // docs/providers/digisign.md §6.1 view_only: the user may look at the document but not sign it.
          url = await digisign.webViewLink(flow, () =>
            client.signPageLink({
              documentId: body.digisignDocumentId,
              email: body.email,
              ...(body.viewOnly !== undefined ? { viewOnly: body.viewOnly } : {}),
            }),
          );
        }
      }
      // No channel here: each <esign-webview> makes its own, unguessable one (carried in its iframe's name).
      res.status(201).json({ url, origin: new URL(url).origin });
    },
  );

  // `confirmed: false`: not yet (the element asks again a few times); 409 not-confirmed: never, for this signer.
  r.post(
    {
      path: '/webviews/confirmations',
      tag: 'webviews',
      summary: "The server's confirmation of a finished web-view flow for the signer it was opened for (what <esign-webview> fires esign-complete with)",
      description:
        "Peruri signing: the order's status, the signed PDF stored; Peruri activation: the certificate issued; Digisign signing and activation: a redirect this server decrypted that names this signer (and document), and for signing the PDF downloaded and stored. 409 not-confirmed: never, for this signer.",
      body: { schema: z.union(Object.values(confirmations)), media: 'json' },
      answers: { 200: { description: 'Confirmed (`confirmed: true` with the result), or not yet (`confirmed: false`: ask again shortly)', schema: confirmed } },
      errors: [400, 401, 403, 404, 409, 502, 503, 504],
    },
    async (req, res) => {
      const { provider, flow } = bodyOf(req, flowSchema);
      const owner = userOf(req);
      if (provider === 'peruri' && flow === 'signing') {
        const body = bodyOf(req, confirmations['peruri:signing']);
        const signers = await ownedOrder(req, body.orderId);
        if (body.email !== undefined) {
          actsAs(req, ['email', 'email', body.email]);
          if (signers && !signers.includes(normaliseEmail(body.email)))
            throw new HttpError('not-confirmed', `email: ${body.email} is not a signer of this order.`, 'email');
        }
        res.json(await peruri.confirmSigning(owner, body.orderId));
      } else if (provider === 'peruri') {
        const body = bodyOf(req, confirmations['peruri:activation']);
        actsAs(req, ['email', 'email', body.email]);
        res.json(await peruri.confirmActivation(body.email, owner));
      } else if (flow === 'signing') {
        const body = bodyOf(req, confirmations['digisign:signing']);
        actsAs(req, ['email', 'email', body.email]);
        await withField('digisignDocumentId', ctx.store.assertRefOwner('digisign', body.digisignDocumentId, owner));
        res.json({ confirmed: true, result: await digisign.confirmSigning(owner, body.email, body.digisignDocumentId) });
      } else {
        const body = bodyOf(req, confirmations['digisign:activation']);
        actsAs(req, ['email', 'email', body.email]);
        res.json({ confirmed: true, result: await digisign.confirmActivation(body.email, owner) });
      }
    },
  );
  return r.router;
}
