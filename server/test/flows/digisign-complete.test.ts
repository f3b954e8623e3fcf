// When reconciliation counts a Digisign document complete (server/src/providers/digisign/completion.ts): by
// signer and e-meterai, not by a count of signatures. First the rule itself (pure), then against the sandbox over
// HTTP, the redirects never reaching the companion (the browser gone):
// - two signers and an e-meterai box: after the first signs, the PDF carries two signatures (the stamp and hers),
//   as many as there are signers — never stored; after the second, stored once and told once;
// - a PDF sent already signed by one of its two signers: after the other signs, two signatures again, one of them
//   older than the order — never stored; after the second, stored once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspectPdf } from '@esign-kit/verify';
import { completion, type DigisignOrder, type SignatureSeen } from '../../src/providers/digisign/completion.js';
import {
  auditStore,
  DIGISIGN_SIGNERS,
  digisignSend,
  digisignSignerSigns,
  expectStatus,
  sleep,
  type Api,
  type SandboxHost,
} from '../../../test/node/support/flows.js';
import { flowOf, startFlowWorld, type FlowCompanion, type FlowWorld, type Receiver } from './harness.js';

const [DEWI, EKO] = DIGISIGN_SIGNERS;

describe('Digisign completion (the rule)', () => {
  const order: DigisignOrder = {
    signers: [
      { email: DEWI.email, name: DEWI.name },
      { email: DEWI.email, name: DEWI.name }, // her initials (prf) row: one person, one signature needed
      { email: EKO.email, name: EKO.name },
    ],
    meterai: 1,
    sentBytes: 1000,
  };
  const sig = (o: Partial<SignatureSeen>): SignatureSeen => ({ kind: 'signature', integrity: 'intact', signedLength: 2000, ...o });
  const dewi = sig({ email: 'Dewi@Digisign.Sandbox.Test', commonName: DEWI.name });
  const eko = sig({ email: EKO.email, commonName: EKO.name });
  const stamp = sig({ commonName: 'Meterai Elektronik' });

  it('needs each signer by certificate, and the e-meterai stamp', () => {
    assert.deepEqual(completion(order, [stamp, dewi, eko], []), { complete: true });
    assert.deepEqual(completion(order, [stamp, dewi], []), { complete: false, missing: [`the signature of ${EKO.email}`] });
    // Three signatures for three rows, but Eko's is not among them.
    assert.equal(completion(order, [stamp, dewi, dewi], []).complete, false);
    assert.deepEqual(completion(order, [dewi, eko], []), { complete: false, missing: ['the e-meterai (0 of 1 stamped)'] });
    // A second signature of a signer is not the stamp.
    assert.equal(completion(order, [dewi, dewi, eko], []).complete, false);
  });

  it('counts only what Digisign added: intact signatures over more than the bytes sent', () => {
    assert.equal(completion(order, [stamp, dewi, sig({ ...eko, signedLength: 900 })], []).complete, false, 'Eko signed the file before it was sent');
    assert.equal(completion(order, [stamp, dewi, sig({ ...eko, integrity: 'broken' })], []).complete, false);
    assert.equal(completion(order, [stamp, dewi, sig({ ...eko, kind: 'document-timestamp' })], []).complete, false);
  });

  it('reads a certificate without an e-mail by its name', () => {
    const byName = sig({ commonName: '  eko   SAPUTRA ' });
    assert.equal(completion({ ...order, meterai: 0 }, [dewi, byName], []).complete, true);
    assert.equal(completion({ ...order, meterai: 0 }, [dewi, sig({ commonName: 'Eko' })], []).complete, false);
  });

  it('holds to Digisign\'s last "waiting" until the PDF shows a signer this server has not heard from', () => {
    const all = [stamp, dewi, eko];
    const heardBoth = [
      { email: DEWI.email, completed: false, at: 1 },
      { email: EKO.email, completed: false, at: 2 },
    ];
    const verdict = completion(order, all, heardBoth);
    assert.equal(verdict.complete, false);
    assert.match((verdict as { missing: string[] }).missing.join(), /status_document "waiting"/);
    // Eko's redirect said "complete": Digisign's word agrees.
    assert.equal(completion(order, all, [heardBoth[0]!, { email: EKO.email, completed: true, at: 2 }]).complete, true);
    // Only Dewi's "waiting" was heard; Eko signed since (his redirect lost): the PDF decides.
    assert.equal(completion(order, all, [heardBoth[0]!]).complete, true);
  });
});

describe('Digisign completion against the sandbox (reconciliation, the redirects lost)', () => {
  let sandbox: SandboxHost;
  let receiver: Receiver;
  let companion: FlowCompanion;
  let dataDir: string;
  let pdf: Uint8Array;

  let world: FlowWorld;

  before(async () => {
    // The worker is driven by the test; the webhook dispatcher runs by itself.
    world = await startFlowWorld('digisign-complete');
    ({ sandbox, receiver, companion, dataDir, pdf } = world);
  });
  after(() => world?.close());

  const storedFor = (ref: string, owner: string) =>
    auditStore(dataDir).documents.filter((d) => d.meta.source === 'digisign' && d.meta.providerRef === ref && d.meta.owner === owner);

  /** Reconciliation rounds past the flow's back-off (RECONCILE_MAX_BACKOFF_SECONDS=2 in the harness). */
  async function rounds(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await companion.background.reconciler.round();
      if (i < n - 1) await sleep(2100);
    }
  }

  /** One signer signed, nothing stored however often the worker asks; then the other, stored once, told once. */
  async function secondSignerFinishes(api: Api, owner: string, id: string): Promise<Uint8Array> {
    await rounds(2);
    const waiting = await flowOf(api, id);
    assert.equal(waiting.state, 'awaiting-signer', 'one signer of two: not complete');
    assert.ok(waiting.reconciliation.attempts >= 2, 'the worker asked');
    assert.match(waiting.reconciliation.lastError?.message ?? '', new RegExp(`signature of ${EKO.email.replace(/\./g, '\\.')}`));
    assert.equal(storedFor(id, owner).length, 0, 'nothing stored');
    await digisignSignerSigns(api, sandbox.url, id, EKO); // his redirect is lost too
    await sleep(2100);
    await rounds(2);
    const flow = await flowOf(api, id);
    assert.equal(flow.state, 'stored');
    const stored = storedFor(id, owner);
    assert.equal(stored.length, 1, 'stored once');
    await receiver.until((d) => d.some((x) => x.event.data.flowId === flow.id));
    await sleep(500);
    const told = receiver.deliveries.filter((x) => x.event.data.flowId === flow.id);
    assert.deepEqual(
      told.map((x) => [x.event.type, x.event.data.documentId, x.verified]),
      [['document.signed', flow.documentId, true]],
    );
    const got = expectStatus(await api.get(`/api/documents/${flow.documentId}`), 200, 'the stored document');
    return got.body as Uint8Array;
  }

  it('two signers and an e-meterai: the stamp and the first signature are not complete; both signed, stored once', async () => {
    const owner = 'meterai-owner';
    const api = companion.as(owner);
    const id = expectStatus(await digisignSend(api, { pdf, signers: [DEWI, EKO], meterai: true }), 201, 'send').body.digisignDocumentId as string;
    await digisignSignerSigns(api, sandbox.url, id, DEWI); // the landing is never visited
    const signed = await secondSignerFinishes(api, owner, id);
    const report = await inspectPdf(signed, { trustedRoots: [] });
    assert.deepEqual(
      report.signatures.map((s) => s.signer?.subject.commonName),
      ['Meterai Elektronik Sandbox', DEWI.name, EKO.name],
      'the stamp, then each signer',
    );
  });

  it('a PDF sent already signed by one of its signers: the other signing is not complete; both signed, stored once', async () => {
    // Eko signs a first document alone; its signed PDF is then sent for Dewi and Eko to sign.
    const owner = 'presigned-owner';
    const api = companion.as(owner);
    const first = expectStatus(await digisignSend(api, { pdf, signers: [EKO] }), 201, 'send').body.digisignDocumentId as string;
    const { landing } = await digisignSignerSigns(api, sandbox.url, first, EKO);
    await (await fetch(landing)).arrayBuffer();
    const confirmed = expectStatus(
      await api.postJson('/api/webviews/confirmations', { provider: 'digisign', flow: 'signing', email: EKO.email, digisignDocumentId: first }),
      200,
      'confirmation',
    );
    const presigned = expectStatus(await api.get(`/api/documents/${confirmed.body.result.documentId}`), 200, 'first document').body as Uint8Array;
    const id = expectStatus(await digisignSend(api, { pdf: presigned, signers: [DEWI, EKO] }), 201, 'send').body.digisignDocumentId as string;
    await digisignSignerSigns(api, sandbox.url, id, DEWI);
    const signed = await secondSignerFinishes(api, owner, id);
    const report = await inspectPdf(signed, { trustedRoots: [] });
    assert.deepEqual(
      report.signatures.map((s) => s.signer?.subject.commonName),
      [EKO.name, DEWI.name, EKO.name],
    );
  });
});
