// Flow records and webhooks end to end, on the file store, against the sandbox providers over HTTP and a
// webhook receiver on loopback that checks each delivery with the documented verification:
// - a Peruri signing through the API: the flow goes awaiting-signer → stored, visible to its owner only, and the
//   receiver gets document.signed once, signed; the delivery log says so; a replay arrives with the same id;
// - the receiver down (connections refused), then answering 503, then up: every event arrives, none lost, and
//   the duplicates (a delivery the receiver processed but answered 500) carry the same webhook-id.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contract, expectStatus, PERURI_SIGNERS, peruriFlow, peruriSend, sleep, startSandboxHost, type SandboxHost } from '../../../test/node/support/flows.js';
import { startFlowCompanion, startReceiver, type FlowCompanion, type Receiver } from './harness.js';

describe('flows and webhooks (file store)', () => {
  let sandbox: SandboxHost;
  let receiver: Receiver;
  let companion: FlowCompanion;
  let dataDir: string;
  let pdf: Uint8Array;

  before(async () => {
    sandbox = await startSandboxHost();
    receiver = await startReceiver();
    dataDir = mkdtempSync(join(tmpdir(), 'esign-flows-'));
    companion = await startFlowCompanion(sandbox, { dataDir, webhookUrl: receiver.url });
    pdf = await contract();
  });
  after(async () => {
    await companion.stop();
    await receiver.close();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records a Peruri signing as a flow, stored, and tells the portal once with a signature that verifies', async () => {
    const api = companion.as('flow-owner');
    const signer = PERURI_SIGNERS[0].email;
    const sent = expectStatus(await peruriSend(api, { pdf, email: signer }), 201, 'send');
    const orderId = sent.body.orderId as string;
    const listed = expectStatus(await api.get('/api/flows'), 200, 'flows').body.flows as { id: string; reference: string; state: string; signers: string[] }[];
    const flow = listed.find((f) => f.reference === orderId);
    assert.ok(flow, 'the sent order is a flow');
    assert.equal(flow.state, 'awaiting-signer');
    assert.deepEqual(flow.signers, [signer]);

    const { signed } = await peruriFlowOn(api, orderId, signer);
    const documentId = signed.body.document.id as string;
    await receiver.until((d) => d.some((x) => x.event.type === 'document.signed' && x.event.data.flowId === flow.id));
    await sleep(500); // time enough for a second delivery, were there one
    const mine = receiver.deliveries.filter((d) => d.event.data.flowId === flow.id);
    assert.equal(mine.length, 1, 'document.signed arrives once');
    const [delivery] = mine;
    assert.equal(delivery!.verified, true, 'the signature verifies with WEBHOOK_SECRET');
    assert.match(String(delivery!.headers['webhook-id']), /^evt_[0-9a-f]{32}$/);
    assert.deepEqual(
      {
        type: delivery!.event.type,
        flowId: delivery!.event.data.flowId,
        user: delivery!.event.data.user,
        documentId: delivery!.event.data.documentId,
        provider: delivery!.event.data.provider,
      },
      { type: 'document.signed', flowId: flow.id, user: 'flow-owner', documentId, provider: 'peruri' },
    );
    assert.ok(!Number.isNaN(Date.parse(delivery!.event.timestamp)));
    // The document was stored before the portal was told: it is there, under the id the event names.
    expectStatus(await api.get(`/api/documents/${documentId}/meta`), 200, 'the stored document');

    const after = expectStatus(await api.get(`/api/flows/${flow.id}`), 200, 'flow').body.flow;
    assert.equal(after.state, 'stored');
    assert.equal(after.documentId, documentId);
    assert.deepEqual(
      after.history.map((h: { state: string }) => h.state),
      ['started', 'awaiting-signer', 'signed', 'stored'],
    );
    assert.deepEqual(after.events, [{ id: delivery!.headers['webhook-id'], type: 'document.signed' }]);
    // Another portal user sees neither the flow nor its event.
    assert.equal((await companion.as('someone-else').get(`/api/flows/${flow.id}`)).status, 404);
    assert.equal((await companion.as('someone-else').get(`/api/webhooks/events/${after.events[0].id}`)).status, 404);
    assert.equal((await companion.as('someone-else').call(`/api/webhooks/events/${after.events[0].id}/replay`, { method: 'POST' })).status, 404);
    assert.equal((await api.get('/api/flows/not-a-flow')).status, 400);

    const log = expectStatus(await api.get(`/api/webhooks/events/${after.events[0].id}`), 200, 'delivery log').body.event;
    assert.equal(log.deliveries.length, 1);
    assert.equal(log.deliveries[0].url, receiver.url);
    assert.equal(log.deliveries[0].state, 'delivered');
    assert.deepEqual(
      log.deliveries[0].attempts.map((a: { status: number }) => a.status),
      [204],
    );
    assert.equal(log.payload.data.documentId, documentId);

    const replay = await api.call(`/api/webhooks/events/${after.events[0].id}/replay`, { method: 'POST' });
    assert.equal(replay.status, 202);
    await receiver.until((d) => d.filter((x) => x.event.data.flowId === flow.id).length === 2);
    const again = receiver.deliveries.filter((d) => d.event.data.flowId === flow.id)[1]!;
    assert.equal(again.headers['webhook-id'], delivery!.headers['webhook-id'], 'a replay carries the same id');
    assert.equal(again.body, delivery!.body, 'and the same body');
    assert.equal(again.verified, true);
  });

  it('loses no event while the receiver is down or failing; duplicates carry the same id', async () => {
    const api = companion.as('outage-owner');
    const signer = PERURI_SIGNERS[1].email;
    await receiver.down();
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { orderId, signed } = await peruriFlow(api, sandbox.url, { pdf, email: signer });
      expectStatus(signed, 201, 'signed while the receiver is down');
      orders.push(orderId);
    }
    await sleep(700); // attempts refused meanwhile
    const flows = (expectStatus(await api.get('/api/flows'), 200, 'flows').body.flows as { id: string; reference: string; events: { id: string }[] }[]).filter(
      (f) => orders.includes(f.reference),
    );
    assert.equal(flows.length, 3);
    const firstLog = expectStatus(await api.get(`/api/webhooks/events/${flows[0]!.events[0]!.id}`), 200, 'log').body.event;
    assert.ok(firstLog.deliveries[0].attempts.length >= 1, 'attempted while down');
    assert.equal(firstLog.deliveries[0].state, 'pending');
    assert.ok(
      firstLog.deliveries[0].attempts.every((a: { error?: string }) => a.error === 'ECONNREFUSED'),
      JSON.stringify(firstLog.deliveries[0].attempts),
    );
    // Up, but answering 500 after processing: the portal got the event, the companion must assume it did not.
    receiver.failWith = 500;
    await receiver.up();
    await receiver.until((d) => flows.every((f) => d.some((x) => x.event.data.flowId === f.id)));
    receiver.failWith = undefined;
    await receiver.until((d) => flows.every((f) => d.some((x) => x.event.data.flowId === f.id && x.status === 204)));
    for (const f of flows) {
      const got = receiver.deliveries.filter((d) => d.event.data.flowId === f.id);
      assert.ok(got.length >= 2, 'a duplicate after the 500');
      assert.equal(new Set(got.map((d) => d.headers['webhook-id'])).size, 1, 'every duplicate carries the same id');
      assert.equal(new Set(got.map((d) => d.body)).size, 1);
      assert.ok(got.every((d) => d.verified));
      assert.equal(got.at(-1)!.event.type, 'document.signed');
    }
  });

  /** Send done by the caller; OTP and signing through the API. */
  async function peruriFlowOn(api: ReturnType<FlowCompanion['as']>, orderId: string, email: string) {
    const { peruriOtp, peruriSign } = await import('../../../test/node/support/flows.js');
    const otp = await peruriOtp(api, sandbox.url, orderId, email);
    expectStatus(otp.res, 201, 'otp');
    return { signed: expectStatus(await peruriSign(api, orderId, otp.code!), 201, 'sign') };
  }
});
