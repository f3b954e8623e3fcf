// A Peruri tier signed by each signer with a token naming that signer only (review finding 11): the order's
// routes check the signer whose turn it is, not that the token names every signer — which refused every
// signer's own token. Signer 2 cannot act on signer 1's turn, nor signer 1 on signer 2's. Against the sandbox,
// whose tier really waits for each signer's OTP in turn.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identityClaims } from '../../../server/test/identities.js';
import { form, makePdf, pdfPart, startKit, type Kit } from './kit.js';

const SITI = 'siti@peruri.sandbox.test';
const RINA = 'rina@peruri.sandbox.test';
const BOXES = JSON.stringify([{ page: 1, x: 400, y: 60, width: 75, height: 71 }]);

describe('a Peruri tier: each signer acts on their own turn', { timeout: 120_000 }, () => {
  let kit: Kit;
  before(async () => {
    kit = await startKit();
  });
  after(() => kit?.close());

  const officer = identityClaims({ emails: [SITI, RINA] });
  const siti = identityClaims({ emails: [SITI] });
  const rina = identityClaims({ emails: [RINA] });
  async function call(path: string, claims: Record<string, unknown>, body: Record<string, unknown> | FormData = {}) {
    const headers = kit.auth('tata-usaha', claims);
    const init: RequestInit =
      body instanceof FormData
        ? { method: 'POST', headers, body }
        : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const res = await fetch(`${kit.base}${path}`, init);
    return { status: res.status, body: (await res.json()) as any };
  }
  async function otpFor(orderId: string, claims: Record<string, unknown>, to: string) {
    const sent = await call(`/api/peruri/documents/${orderId}/otp`, claims);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const inbox = (await (await fetch(`${kit.base}/sandbox/inbox.json?provider=peruri&to=${encodeURIComponent(to)}`)).json()) as {
      messages: { code?: string }[];
    };
    const code = inbox.messages.findLast((m) => m.code)?.code;
    assert.ok(code, `an OTP for ${to}`);
    return code;
  }

  it("signer 1 with a token naming only signer 1, then signer 2 with their own; neither on the other's turn", async () => {
    const sent = await call('/api/peruri/tiers', officer, form({ file: pdfPart(await makePdf()), uploader: SITI, signers: JSON.stringify([SITI, RINA]) }));
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const orderId = sent.body.orderId as string;

    const early = await call(`/api/peruri/documents/${orderId}/otp`, rina);
    assert.equal(early.status, 403, JSON.stringify(early.body));
    assert.equal(early.body.error.code, 'identity-not-allowed');
    assert.equal(early.body.error.field, 'orderId');

    const first = await call(`/api/peruri/tiers/${orderId}/signatures`, siti, {
      otpCode: await otpFor(orderId, siti, SITI),
      boxes: BOXES,
      location: 'Jakarta',
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.complete, false);

    const late = await call(`/api/peruri/documents/${orderId}/otp`, siti);
    assert.equal(late.status, 403, JSON.stringify(late.body));

    const second = await call(`/api/peruri/tiers/${orderId}/signatures`, rina, {
      otpCode: await otpFor(orderId, rina, RINA),
      boxes: BOXES,
      location: 'Bandung',
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body.complete, true);
    assert.ok(second.body.document?.id, 'stored once the last signer signed');
  });
});
