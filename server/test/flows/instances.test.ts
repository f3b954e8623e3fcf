// Two companion instances on one PostgreSQL database reconcile the same waiting flows at the same time: each
// flow is acted on by exactly one worker (the lease in its record), which the providers' side shows — behind a
// logging proxy, every order was asked about once (one Check Document Status) and downloaded once — and the
// store and the portal confirm: one document row per order, one document.signed per flow though both
// instances' dispatchers read the same outbox.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { contract, expectStatus, PERURI_SIGNERS, peruriSend, sleep, startSandboxHost, type SandboxHost } from '../../../test/node/support/flows.js';
import { startFaultProxy, type FaultProxy } from '../../../test/node/support/fault-proxy.js';
import { freshDatabase, testDatabase } from '../../../test/node/support/postgres.js';
import { signInPeruriWebView, startFlowCompanion, startReceiver, type FlowCompanion, type Receiver } from './harness.js';

const database = testDatabase();
const FLOWS = 6;

describe('two instances on PostgreSQL reconcile each flow once', { skip: database.skip }, () => {
  let sandbox: SandboxHost;
  let proxy: FaultProxy;
  let receiver: Receiver;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dataDir: string;
  let a: FlowCompanion;
  let b: FlowCompanion;

  before(async () => {
    sandbox = await startSandboxHost();
    proxy = await startFaultProxy(sandbox.origin);
    receiver = await startReceiver();
    db = await freshDatabase(database.url!, 'esign_flows');
    dataDir = mkdtempSync(join(tmpdir(), 'esign-flows-pg-'));
    // The workers are driven by the test, so that both instances' rounds start together.
    a = await startFlowCompanion(sandbox, {
      dataDir: join(dataDir, 'a'),
      databaseUrl: db.url,
      webhookUrl: receiver.url,
      background: false,
      providers: proxy.url,
    });
    b = await startFlowCompanion(sandbox, {
      dataDir: join(dataDir, 'b'),
      databaseUrl: db.url,
      webhookUrl: receiver.url,
      background: false,
      providers: proxy.url,
    });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await receiver?.close();
    await proxy?.close();
    await sandbox?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('one Check Document Status and one download per flow, one document, one event', async () => {
    const pdf = await contract();
    const signer = PERURI_SIGNERS[0].email;
    const orders: string[] = [];
    for (let i = 0; i < FLOWS; i++) {
      // Sent through either instance; signed in Peruri's web view; the browser never confirms.
      const api = (i % 2 ? a : b).as('pg-owner');
      const orderId = expectStatus(await peruriSend(api, { pdf, email: signer }), 201, 'send').body.orderId as string;
      await signInPeruriWebView(sandbox, orderId, signer);
      orders.push(orderId);
    }
    const before = { status: proxy.count('/checkDocumentStatus/'), download: proxy.count('/downloadDocument/') };
    a.background.dispatcher!.start();
    b.background.dispatcher!.start();
    const finished = await Promise.all([
      a.background.reconciler.round(),
      b.background.reconciler.round(),
      a.background.reconciler.round(),
      b.background.reconciler.round(),
    ]);
    assert.equal(
      finished.reduce((x, y) => x + y, 0),
      FLOWS,
      'every flow finished by exactly one round',
    );
    // More rounds find nothing due.
    assert.deepEqual(await Promise.all([a.background.reconciler.round(), b.background.reconciler.round()]), [0, 0]);
    assert.equal(proxy.count('/checkDocumentStatus/') - before.status, FLOWS, 'each flow asked about once');
    assert.equal(proxy.count('/downloadDocument/') - before.download, FLOWS, 'each flow downloaded once');

    const flows = expectStatus(await a.as('pg-owner').get('/api/flows'), 200, 'flows').body.flows as {
      id: string;
      reference: string;
      state: string;
      reconciliation: { finishedBy?: string };
    }[];
    const mine = flows.filter((f) => orders.includes(f.reference));
    assert.equal(mine.length, FLOWS);
    assert.ok(mine.every((f) => f.state === 'stored'));
    const holders = new Set([a.background.reconciler.holder, b.background.reconciler.holder]);
    assert.ok(mine.every((f) => holders.has(f.reconciliation.finishedBy ?? '')));

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ provider_ref: string; n: string }>(
        "SELECT provider_ref, count(*) AS n FROM esign_documents WHERE source = 'peruri' AND stored_at IS NOT NULL GROUP BY provider_ref",
      );
      assert.deepEqual(rows.map((r) => r.provider_ref).sort(), [...orders].sort());
      assert.ok(
        rows.every((r) => Number(r.n) === 1),
        JSON.stringify(rows),
      );
    } finally {
      await client.end();
    }

    await receiver.until((d) => mine.every((f) => d.some((x) => x.event.data.flowId === f.id)));
    await sleep(1000); // both dispatchers poll every 100 ms: a second delivery would have come
    for (const f of mine) {
      const got = receiver.deliveries.filter((d) => d.event.data.flowId === f.id);
      assert.equal(got.length, 1, `one document.signed for ${f.reference}`);
      assert.ok(got[0]!.verified);
    }
  });
});
