// POST /api/webviews: the URL of a provider's web view for one flow, its origin (what the portal frames
// and accepts messages from) and the channel name the result is posted under.
// POST /api/webviews/confirmations: the server's word on a flow the provider's page says has finished, for the
// signer the element was opened for — the element fires esign-complete only with it. Peruri: the order's
// recorded signer, its status at Peruri, the signed PDF stored; Peruri activation: the certificate issued.
// Digisign: a redirect this server decrypted (landing page) naming this very signer (and document), then the
// signed PDF downloaded and stored. A landing URL of another signer, replayed into this signer's frame, names
// the other signer: it confirms nothing here.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ProviderError, badResponse, peruriActivationWebViewUrl, peruriSigningWebViewUrl } from '../../providers/adapters.js';
import { normaliseEmail } from '../../auth/identity.js';
import type { AppContext } from '../context.js';
import { documentView } from '../context.js';
import { HttpError, notConfigured, withField } from '../errors.js';
import { actsAs, actsAsSignersOf } from '../guards.js';
import { bodyOf, email } from '../schemas.js';
import { userOf } from '../auth.js';
import { DIGISIGN_DOCUMENT_ID } from '../../providers/digisign/routes.js';
import { storeSigned } from '../../providers/peruri/routes.js';

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

export function webviewsRouter(ctx: AppContext): Router {
  const r = Router();
  const peruri = () => ctx.providers.peruri ?? (() => {
    throw notConfigured('Peruri');
  })();
  const digisign = () => ctx.providers.digisign ?? (() => {
    throw notConfigured('Digisign');
  })();
  /** Peruri's orderIds count up: only the portal user who created the order, acting as its signer, may use it. */
  const ownedOrder = async (req: Request, orderId: string) => {
    await withField('orderId', ctx.store.assertRefOwner('peruri', orderId, userOf(req)));
    return actsAsSignersOf(req, ctx.store, 'peruri', orderId, 'orderId');
  };

  r.post('/webviews', async (req, res) => {
    const { provider, flow } = bodyOf(req, flowSchema);
    let url: string;
    if (provider === 'peruri') {
      const p = peruri();
      if (!p.settings.webViewBaseUrl) throw notConfigured('The Peruri web view (PERURI_WEBVIEW_URL)');
      if (flow === 'activation') {
        const body = bodyOf(req, schemas['peruri:activation']);
        actsAs(req, ['email', 'email', body.email]);
        url = peruriActivationWebViewUrl(body, p.settings);
      } else {
        const body = bodyOf(req, schemas['peruri:signing']);
        // Peruri's signing URL carries no credential (gap 15): hand it out only for the caller's own orders.
        await ownedOrder(req, body.orderId);
        url = peruriSigningWebViewUrl(body, p.settings);
      }
    } else {
      const d = digisign();
      if (flow === 'activation') {
        const body = bodyOf(req, schemas['digisign:activation']);
        actsAs(req, ['email', 'email', body.email]);
        url = (await d.client.activationLink(body)).link;
      } else {
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
    // Digisign's web views answer 401/403/404/408 (seed 004 HTML Response Code) inside the portal's iframe,
    // where no one can read them: the link is loaded once here and a refusal is answered as its typed error.
    if (provider === 'digisign') await ctx.providers.digisign!.client.checkWebView(url);
    // No channel here: each <esign-webview> makes its own, unguessable one (carried in its iframe's name).
    res.status(201).json({ url, origin });
  });

  // `confirmed: false`: not yet (the element asks again a few times); 409 not-confirmed: never, for this signer.
  r.post('/webviews/confirmations', async (req, res) => {
    const { provider, flow } = bodyOf(req, flowSchema);
    const owner = userOf(req);
    if (provider === 'peruri' && flow === 'signing') {
      const body = bodyOf(req, confirmations['peruri:signing']);
      const signers = await ownedOrder(req, body.orderId);
      if (body.email !== undefined) {
        actsAs(req, ['email', 'email', body.email]);
        if (signers && !signers.includes(normaliseEmail(body.email))) throw new HttpError('not-confirmed', `email: ${body.email} is not a signer of this order.`, 'email');
      }
      const client = peruri().client;
      let stored = await ctx.store.byProviderRef('peruri', body.orderId, owner);
      if (!stored) {
        const refusal = await peruriRefusal(client.checkDocumentStatus({ orderId: body.orderId }));
        if (refusal) {
          res.json(refusal);
          return;
        }
        stored = await storeSigned(ctx, client, body.orderId, owner, true);
      }
      const document = documentView(stored);
      res.json({ confirmed: true, result: { orderId: body.orderId, documentId: document.id, document } });
    } else if (provider === 'peruri') {
      const body = bodyOf(req, confirmations['peruri:activation']);
      actsAs(req, ['email', 'email', body.email]);
      const refusal = await peruriRefusal(peruri().client.checkCertificate({ email: body.email }));
      res.json(refusal ?? { confirmed: true, result: { email: body.email, issued: true } });
    } else if (flow === 'signing') {
      const body = bodyOf(req, confirmations['digisign:signing']);
      actsAs(req, ['email', 'email', body.email]);
      const id = body.digisignDocumentId;
      await withField('digisignDocumentId', ctx.store.assertRefOwner('digisign', id, owner));
      const client = digisign().client;
      const landed = await ctx.landings.find('signing', body.email, id);
      if (!landed) throw new HttpError('not-confirmed', `Digisign reported no signing of this document by ${body.email} to this server.`, 'email');
      // AES-ECB has no integrity check: the signed PDF, downloaded and stored, is the proof that the document moved.
      const { pdf } = await client.downloadPdf({ documentId: id });
      const document = documentView(await ctx.store.put(pdf, { source: 'digisign', owner, fileName: `digisign-${id}.pdf`, providerRef: id }));
      res.json({ confirmed: true, result: { digisignDocumentId: id, documentId: document.id, document, email: landed.email, completed: landed.completed === true, status: landed.status ?? '' } });
    } else {
      const body = bodyOf(req, confirmations['digisign:activation']);
      actsAs(req, ['email', 'email', body.email]);
      digisign();
      const landed = await ctx.landings.find('activation', body.email);
      if (!landed) throw new HttpError('not-confirmed', `Digisign reported no activation of ${body.email} to this server.`, 'email');
      res.json({ confirmed: true, result: { email: body.email, providerCode: landed.result } });
    }
  });
  return r;
}

/**
 * Peruri's checks answer "0" or fail (seed 003: "0" = Sukses, Selain "0" = Gagal; adapters throw on any other
 * code). Right after its page's callback the status may still lag by a moment, so a refusal here is "not
 * confirmed yet", with Peruri's code and text: the element asks a few times, then reports it. Anything else
 * (timeouts, unreadable answers) is an error as everywhere.
 */
async function peruriRefusal(check: Promise<unknown>): Promise<{ confirmed: false; resultCode: string; resultDesc: string } | undefined> {
  try {
    await check;
    return undefined;
  } catch (err) {
    if (err instanceof ProviderError && err.providerCode !== undefined) return { confirmed: false, resultCode: err.providerCode, resultDesc: err.providerMessage ?? '' };
    throw err;
  }
}
