// Reconciliation (server/src/flows/reconcile.ts) on the file store, against the sandbox providers over HTTP:
// the signer signs at the provider and the browser never comes back to confirm.
// - Peruri: signed in its web view (the page's own calls); the worker, running by itself every second, stores
//   the document (Check Document Status, Download) and the portal hears document.signed once.
// - Digisign with two signers: after the first signs, the PDF carries one signature of two, nothing is stored;
//   after the second (the redirect never reaching this server), the worker stores it and tells the portal once.
// - The browser's confirmation and the worker racing on the same flow: one document stored, one event.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  auditStore,
  contract,
  DIGISIGN_SIGNERS,
  digisignSend,
  digisignSignerSigns,
  expectStatus,
  PERURI_SIGNERS,
  peruriSend,
  sleep,
  startSandboxHost,
  type Api,
  type SandboxHost,
} from '../../../test/node/support/flows.js';
import { signInPeruriWebView, startFlowCompanion, startReceiver, type FlowCompanion, type Receiver } from './harness.js';

interface FlowView {
  id: string;
  reference: string;
  state: string;
  documentId?: string;
  events: { id: string; type: string }[];
  reconciliation: { attempts: number; finishedBy?: string };
}

async function flowOf(api: Api, reference: string): Promise<FlowView> {
  const flows = expectStatus(await api.get('/api/flows'), 200, 'flows').body.flows as FlowView[];
  const flow = flows.find((f) => f.reference === reference);
  assert.ok(flow, `a flow for ${reference}`);
  return flow;
}

async function until<T>(fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await sleep(100);
  }
}

/** The documents stored on disk for a provider reference and owner (the store's files, read directly). */
function storedFor(dataDir: string, provider: 'peruri' | 'digisign', ref: string, owner: string): number {
  return auditStore(dataDir).documents.filter((d) => d.meta.source === provider && d.meta.providerRef === ref && d.meta.owner === owner).length;
}

describe('reconciliation (file store)', () => {
  let sandbox: SandboxHost;
  let receiver: Receiver;
  let dataDir: string;
  let pdf: Uint8Array;

  before(async () => {
    sandbox = await startSandboxHost();
    receiver = await startReceiver();
    dataDir = mkdtempSync(join(tmpdir(), 'esign-reconcile-'));
    pdf = await contract();
  });
  after(async () => {
    await receiver.close();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the worker running by itself', () => {
    let companion: FlowCompanion;
    before(async () => {
      companion = await startFlowCompanion(sandbox, { dataDir: join(dataDir, 'a'), webhookUrl: receiver.url });
    });
    after(() => companion.stop());

    it('stores a Peruri document signed in the web view whose browser never confirmed, and tells the portal once', async () => {
      const api = companion.as('closed-tab');
      const signer = PERURI_SIGNERS[0].email;
      const orderId = expectStatus(await peruriSend(api, { pdf, email: signer }), 201, 'send').body.orderId as string;
      await signInPeruriWebView(sandbox, orderId, signer);
      const flow = await until(async () => {
        const f = await flowOf(api, orderId);
        return f.state === 'stored' ? f : undefined;
      });
      assert.match(flow.reconciliation.finishedBy ?? '', /^reconciler-/, 'stored by the worker');
      expectStatus(await api.get(`/api/documents/${flow.documentId}/meta`), 200, 'stored');
      await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
      await sleep(1500); // another round or two of the worker
      const got = receiver.deliveries.filter((x) => x.event.data.flowId === flow.id);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.event.type, 'document.signed');
      assert.equal(got[0]!.event.data.documentId, flow.documentId);
      assert.equal(got[0]!.verified, true);
      assert.equal(storedFor(join(dataDir, 'a'), 'peruri', orderId, 'closed-tab'), 1);
    });

    it('waits for every Digisign signer (signatures in the PDF), then stores it once', async () => {
      const api = companion.as('closed-tab-2');
      const signers = DIGISIGN_SIGNERS;
      const id = expectStatus(await digisignSend(api, { pdf, signers }), 201, 'send').body.digisignDocumentId as string;
      await digisignSignerSigns(api, sandbox.url, id, signers[0]); // the landing is never visited
      await sleep(2500); // two rounds at least
      let flow = await flowOf(api, id);
      assert.equal(flow.state, 'awaiting-signer', 'one signature of two: not done');
      assert.ok(flow.reconciliation.attempts >= 1, 'the worker asked');
      assert.equal(storedFor(join(dataDir, 'a'), 'digisign', id, 'closed-tab-2'), 0);
      await digisignSignerSigns(api, sandbox.url, id, signers[1]);
      flow = await until(async () => {
        const f = await flowOf(api, id);
        return f.state === 'stored' ? f : undefined;
      });
      await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
      await sleep(1500);
      assert.equal(receiver.deliveries.filter((x) => x.event.data.flowId === flow.id).length, 1);
      assert.equal(storedFor(join(dataDir, 'a'), 'digisign', id, 'closed-tab-2'), 1);
    });
  });

  describe('the browser path racing the worker', () => {
    let companion: FlowCompanion;
    before(async () => {
      // The worker is driven by the test (background off) so that both paths start together.
      companion = await startFlowCompanion(sandbox, { dataDir: join(dataDir, 'b'), webhookUrl: receiver.url, background: false });
      companion.background.dispatcher?.start();
    });
    after(() => companion.stop());

    for (let round = 0; round < 3; round++) {
      it(`Peruri: confirmation and reconciliation at once store the document once (${round + 1})`, async () => {
        const user = `racer-${round}`;
        const api = companion.as(user);
        const signer = PERURI_SIGNERS[1].email;
        const orderId = expectStatus(await peruriSend(api, { pdf, email: signer }), 201, 'send').body.orderId as string;
        await signInPeruriWebView(sandbox, orderId, signer);
        const [confirmed, finished] = await Promise.all([
          api.postJson('/api/webviews/confirmations', { provider: 'peruri', flow: 'signing', orderId, email: signer }),
          companion.background.reconciler.round(),
        ]);
        expectStatus(confirmed, 200, 'confirmation');
        assert.equal(confirmed.body.confirmed, true);
        const flow = await flowOf(api, orderId);
        assert.equal(flow.state, 'stored');
        assert.equal(flow.documentId, confirmed.body.result.documentId, 'both paths name the one stored document');
        assert.ok(finished <= 1);
        assert.equal(storedFor(join(dataDir, 'b'), 'peruri', orderId, user), 1);
        await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
        await sleep(500);
        assert.equal(receiver.deliveries.filter((x) => x.event.data.flowId === flow.id).length, 1);
        assert.equal(flow.events.length, 1);
      });
    }

    it('Digisign: the confirmation after its redirect and reconciliation at once store the document once', async () => {
      const user = 'racer-digisign';
      const api = companion.as(user);
      const signer = DIGISIGN_SIGNERS[0];
      const id = expectStatus(await digisignSend(api, { pdf, signers: [signer] }), 201, 'send').body.digisignDocumentId as string;
      const { landing } = await digisignSignerSigns(api, sandbox.url, id, signer);
      await (await fetch(landing)).arrayBuffer(); // the redirect reaches the companion
      const [confirmed] = await Promise.all([
        api.postJson('/api/webviews/confirmations', { provider: 'digisign', flow: 'signing', email: signer.email, digisignDocumentId: id }),
        companion.background.reconciler.round(),
      ]);
      expectStatus(confirmed, 200, 'confirmation');
      const flow = await flowOf(api, id);
      assert.equal(flow.state, 'stored');
      assert.equal(flow.documentId, confirmed.body.result.documentId);
      assert.equal(storedFor(join(dataDir, 'b'), 'digisign', id, user), 1);
      await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
      await sleep(500);
      assert.equal(receiver.deliveries.filter((x) => x.event.data.flowId === flow.id).length, 1);
    });
  });
});
