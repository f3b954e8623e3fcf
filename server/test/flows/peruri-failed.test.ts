// Peruri flows that end `failed` (server/src/providers/peruri/service.ts signingRefusal), against the sandbox over
// HTTP through a fault proxy. Seed 003 gives Check Document Status only "0" = Sukses, Selain "0" = Gagal, with no
// pending code: the definite "no" is a refusal for an order whose signing Peruri accepted (the sandbox's `gagal-`
// file name: Signing answers "0", the signature is never affixed). Then the flow fails with Peruri's Indonesian
// words and the portal hears document.failed once. Not before the status had a moment to follow the signing, not
// on a timeout or an HTTP error (the flow stays waiting), and never for an order still waiting for its signer
// (Check Document Status refuses that one too).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectStatus, PERURI_SIGNERS, peruriOtp, peruriSign, sleep, type Api, type SandboxHost } from '../../../test/node/support/flows.js';
import type { FaultProxy } from '../../../test/node/support/fault-proxy.js';
import { flowOf, startFlowWorld, type FlowCompanion, type FlowWorld, type Receiver } from './harness.js';

/** The settling time after a signing (RECONCILE_INTERVAL_SECONDS, set on the configuration): 6 s, room for a loaded machine. */
const SETTLE_MS = 6000;
const signer = PERURI_SIGNERS[0].email;

describe('Peruri flows that fail', () => {
  let sandbox: SandboxHost;
  let proxy: FaultProxy;
  let receiver: Receiver;
  let companion: FlowCompanion;
  let pdf: Uint8Array;

  let world: FlowWorld;

  before(async () => {
    // The worker is driven by the test: a settling time of 6 s, a flow due again 1 s after a check.
    world = await startFlowWorld('peruri-failed', {
      proxy: true,
      configure: (c) => {
        c.reconcile.intervalMs = SETTLE_MS;
        c.reconcile.maxBackoffMs = 1000;
      },
    });
    ({ sandbox, receiver, companion, pdf } = world);
    proxy = world.proxy!;
  });
  after(() => world?.close());

  /** Sends an order for `signer` under `fileName` (the sandbox's `gagal-` trigger or not). */
  async function send(api: Api, fileName: string): Promise<string> {
    const sent = await api.postForm('/api/peruri/documents', {
      file: pdf,
      email: signer,
      fileName,
      boxes: JSON.stringify([{ page: 2, x: 454, y: 45, width: 75, height: 71 }]),
    });
    return expectStatus(sent, 201, 'send').body.orderId as string;
  }

  /** The OTP and Signing through the companion: Peruri answers "0" to Signing. */
  async function sign(api: Api, orderId: string) {
    const { code } = await peruriOtp(api, sandbox.url, orderId, signer);
    return expectStatus(await peruriSign(api, orderId, code!), 201, 'signing');
  }

  it('an order Peruri accepted the signing of, then answers Gagal: failed with its words, document.failed once', async () => {
    const api = companion.as('gagal-owner');
    const orderId = await send(api, 'gagal-kontrak.pdf');
    const signed = await sign(api, orderId);
    // The signing request's own check: signed at Peruri, not stored, Peruri's code and text named.
    assert.equal(signed.body.document, null);
    assert.equal(signed.body.error.provider.code, '5001');
    assert.match(signed.body.error.provider.message, /Pembubuhan tanda tangan gagal/);

    // Within the settling time: the refusal may be a status lagging its signing; the flow waits.
    await companion.background.reconciler.round();
    let flow = await flowOf(api, orderId);
    assert.equal(flow.state, 'signed', 'not failed on a refusal right after the signing');
    assert.equal(flow.reconciliation.lastError?.code, 'provider-rejected');

    await sleep(SETTLE_MS + 200);
    await companion.background.reconciler.round();
    flow = await flowOf(api, orderId);
    assert.equal(flow.state, 'failed');
    assert.equal(flow.error?.code, 'signing-failed');
    assert.match(flow.error?.message ?? '', /resultCode 5001 .*Pembubuhan tanda tangan gagal, dokumen tidak dapat ditandatangani/);
    assert.deepEqual(
      flow.history.map((h) => h.state),
      ['started', 'awaiting-signer', 'signed', 'failed'],
    );
    await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
    // Later rounds leave a failed flow alone: one event.
    await sleep(1100);
    await companion.background.reconciler.round();
    await sleep(500);
    const told = receiver.deliveries.filter((x) => x.event.data.flowId === flow.id);
    assert.deepEqual(
      told.map((x) => [x.event.type, (x.event.data.error as { code: string }).code, x.verified]),
      [['document.failed', 'signing-failed', true]],
    );
    assert.match((told[0]!.event.data.error as { message: string }).message, /Pembubuhan tanda tangan gagal/);
    assert.deepEqual(
      flow.events.map((e) => e.type),
      ['document.failed'],
    );
  });

  it('a timeout or an HTTP error is no answer: the flow stays waiting until Peruri answers', async () => {
    const api = companion.as('transient-owner');
    const orderId = await send(api, 'gagal-transient.pdf');
    await sign(api, orderId);
    await sleep(SETTLE_MS + 200);
    // Check Document Status answered 503 by the sandbox, then 502 by a gateway in front of it.
    proxy.add(/checkDocumentStatus/, { kind: 'inject', headers: { 'X-Sandbox-Fail': '503' } }, 1);
    await companion.background.reconciler.round();
    let flow = await flowOf(api, orderId);
    assert.equal(flow.state, 'signed');
    assert.equal(flow.reconciliation.lastError?.code, 'provider-http-error');
    await sleep(1100);
    proxy.add(/checkDocumentStatus/, { kind: 'respond', status: 502, body: 'Bad Gateway', headers: { 'content-type': 'text/html' } }, 1);
    await companion.background.reconciler.round();
    flow = await flowOf(api, orderId);
    assert.equal(flow.state, 'signed');
    // Peruri answers again: its Gagal ends the flow.
    await sleep(1100);
    await companion.background.reconciler.round();
    flow = await flowOf(api, orderId);
    assert.equal(flow.state, 'failed');
    assert.equal(flow.error?.code, 'signing-failed');
  });

  it('an order still waiting for its signer is never failed by the refusal', async () => {
    const api = companion.as('waiting-owner');
    const orderId = await send(api, 'kontrak.pdf');
    await companion.background.reconciler.round();
    await sleep(1100);
    await companion.background.reconciler.round();
    const flow = await flowOf(api, orderId);
    assert.equal(flow.state, 'awaiting-signer');
    assert.ok(flow.reconciliation.attempts >= 2);
    assert.equal(flow.reconciliation.lastError?.code, 'provider-rejected', "Peruri's refusal, kept as the reason it waits");
    assert.equal(receiver.deliveries.filter((x) => x.event.data.flowId === flow.id).length, 0);
  });
});
