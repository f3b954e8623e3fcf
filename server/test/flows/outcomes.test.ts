// The other outcomes a portal hears of, each with its flow: a BSrE signing (synchronous: stored and told at
// once), a Peruri activation confirmed (signer.activated), a flow nobody signs (flow.expired, here with the
// expiry set to zero), and a Digisign document the provider no longer has (document.failed: its download
// answered 404 through a proxy in front of the sandbox).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bsreSign, DIGISIGN_SIGNERS, digisignSend, expectStatus, PERURI_SIGNERS, peruriSend } from '../../../test/node/support/flows.js';
import type { FaultProxy } from '../../../test/node/support/fault-proxy.js';
import { flowsOf, startFlowWorld, type FlowCompanion, type FlowWorld, type Receiver } from './harness.js';

const flows = flowsOf;

describe('outcomes and their events', () => {
  let proxy: FaultProxy;
  let receiver: Receiver;
  let companion: FlowCompanion;
  let pdf: Uint8Array;

  let world: FlowWorld;

  before(async () => {
    // Flows expire at once; the worker is driven by the test, the dispatcher runs.
    world = await startFlowWorld('outcomes', { proxy: true, configure: (c) => void (c.reconcile.expiryMs = 0) });
    ({ receiver, companion, pdf } = world);
    proxy = world.proxy!;
  });
  after(() => world?.close());

  it('a BSrE signing is a flow stored at once, and the portal hears document.signed', async () => {
    const api = companion.as('bsre-user');
    const signed = expectStatus(await bsreSign(api, { pdf }), 201, 'bsre sign');
    const documentId = signed.body.document.id as string;
    const [flow] = (await flows(api)).filter((f) => f.provider === 'bsre');
    assert.ok(flow);
    assert.deepEqual([flow.kind, flow.state, flow.documentId], ['signing', 'stored', documentId]);
    await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
    const got = receiver.deliveries.filter((x) => x.event.data.flowId === flow.id);
    assert.deepEqual(
      got.map((x) => [x.event.type, x.event.data.documentId, x.verified]),
      [['document.signed', documentId, true]],
    );
  });

  it('a Peruri activation confirmed is a flow activated, and the portal hears signer.activated', async () => {
    const api = companion.as('activation-user');
    const email = PERURI_SIGNERS[0].email;
    const confirmed = expectStatus(await api.postJson('/api/webviews/confirmations', { provider: 'peruri', flow: 'activation', email }), 200, 'confirmation');
    assert.equal(confirmed.body.confirmed, true);
    const [flow] = await flows(api);
    assert.ok(flow);
    assert.deepEqual([flow.kind, flow.provider, flow.reference, flow.state], ['activation', 'peruri', email, 'activated']);
    await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
    const got = receiver.deliveries.find((x) => x.event.data.flowId === flow.id)!;
    assert.equal(got.event.type, 'signer.activated');
    assert.equal(got.event.data.email, email);
    assert.equal(got.event.data.user, 'activation-user');
  });

  it('a Peruri activation page handed out, the browser gone: reconciliation asks Check Certificate, signer.activated', async () => {
    const api = companion.as('activation-closed');
    const email = PERURI_SIGNERS[1].email;
    expectStatus(await api.postJson('/api/webviews', { provider: 'peruri', flow: 'activation', email }), 201, 'web view');
    let [flow] = await flows(api);
    assert.deepEqual([flow?.kind, flow?.state], ['activation', 'awaiting-signer']);
    await companion.background.reconciler.round();
    [flow] = await flows(api);
    assert.equal(flow!.state, 'activated');
    await receiver.until((d) => d.some((x) => x.event.data.flowId === flow!.id));
    assert.equal(receiver.deliveries.find((x) => x.event.data.flowId === flow!.id)!.event.type, 'signer.activated');
  });

  it('a flow nobody signs expires: flow.expired', async () => {
    const api = companion.as('expiry-user');
    const orderId = expectStatus(await peruriSend(api, { pdf, email: PERURI_SIGNERS[1].email }), 201, 'send').body.orderId as string;
    await companion.background.reconciler.round();
    const flow = (await flows(api)).find((f) => f.reference === orderId)!;
    assert.equal(flow.state, 'expired');
    assert.deepEqual(
      flow.history.map((h) => h.state),
      ['started', 'awaiting-signer', 'expired'],
    );
    assert.deepEqual(
      flow.events.map((e) => e.type),
      ['flow.expired'],
    );
    await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
    assert.equal(receiver.deliveries.find((x) => x.event.data.flowId === flow.id)!.event.type, 'flow.expired');
    // Expired is final: later rounds leave it alone.
    await companion.background.reconciler.round();
    assert.equal((await flows(api)).find((f) => f.reference === orderId)!.state, 'expired');
  });

  it('a Digisign document the provider no longer has fails: document.failed, with the reason', async () => {
    const api = companion.as('failed-user');
    const id = expectStatus(await digisignSend(api, { pdf, signers: [DIGISIGN_SIGNERS[0]] }), 201, 'send').body.digisignDocumentId as string;
    proxy.add('/DWMITRA.html', { kind: 'respond', status: 404, body: 'Document not found', headers: { 'content-type': 'text/plain' } });
    await companion.background.reconciler.round();
    proxy.clear();
    const flow = (await flows(api)).find((f) => f.reference === id)!;
    assert.equal(flow.state, 'failed');
    assert.equal(flow.error?.code, 'document-not-found');
    await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
    const got = receiver.deliveries.find((x) => x.event.data.flowId === flow.id)!;
    assert.equal(got.event.type, 'document.failed');
    assert.deepEqual((got.event.data.error as { code: string }).code, 'document-not-found');
  });
});
