// FlowRecords and the outbox on the file state store with a clock the test moves: recording is idempotent (one
// flow, one event however often a path records an outcome), states never go backwards, a lease excludes every
// other round until it runs out, and an ended flow and its event are swept after the retention.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RETENTION_MS } from '../../src/flows/model.js';
import { FlowRecords } from '../../src/flows/records.js';
import type { StoredDocumentMeta } from '../../src/store/document-model.js';
import { FileStateStore } from '../../src/store/file-state.js';
import { WebhookOutbox } from '../../src/webhooks/outbox.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function records() {
  const dir = mkdtempSync(join(tmpdir(), 'esign-records-'));
  dirs.push(dir);
  const clock = { now: Date.parse('2026-12-01T08:00:00Z') };
  const now = () => clock.now;
  const state = new FileStateStore(dir, { now });
  const outbox = new WebhookOutbox(state, ['https://portal.test/hooks'], now);
  return { clock, state, outbox, flows: new FlowRecords(state, outbox, now) };
}

const meta = { id: 'a'.repeat(32) } as StoredDocumentMeta;
const ref = { kind: 'signing' as const, provider: 'peruri' as const, reference: '1001', user: 'u1' };

describe('flow records', () => {
  it('one flow and one event, however often an outcome is recorded; no state goes backwards', async () => {
    const { flows, outbox } = records();
    const a = await flows.begin(ref, ['s@b.id']);
    const b = await flows.begin(ref, ['s@b.id']);
    assert.equal(a.id, b.id);
    assert.equal((await flows.ofUser('u1')).length, 1);
    assert.deepEqual(await flows.ofUser('u2'), []);
    const [first, second] = await Promise.all([flows.stored(ref, meta, 'browser'), flows.stored(ref, meta, 'worker')]);
    assert.equal(first.state, 'stored');
    assert.equal(second.state, 'stored');
    const flow = (await flows.get(a.id))!;
    assert.equal(flow.events.length, 1);
    assert.deepEqual(
      flow.history.map((h) => h.state),
      ['started', 'awaiting-signer', 'signed', 'stored'],
    );
    assert.equal((await outbox.due()).length, 1, 'one event due');
    assert.equal((await flows.begin(ref, [], 'awaiting-signer')).state, 'stored', 'a late "awaiting" does not undo "stored"');
    assert.equal((await flows.expired(flow)).state, 'stored', 'nor does expiry');
    assert.deepEqual(await flows.due(Number.MAX_SAFE_INTEGER), [], 'nothing left for reconciliation');
  });

  it("a lease excludes every other round, its own holder's too, until released or run out", async () => {
    const { flows, clock } = records();
    const flow = await flows.begin({ ...ref, reference: '1002' }, []);
    assert.ok(await flows.lease(flow.id, 'w1', 10_000));
    assert.equal(await flows.lease(flow.id, 'w1', 10_000), undefined);
    assert.equal(await flows.lease(flow.id, 'w2', 10_000), undefined);
    clock.now += 10_001;
    assert.ok(await flows.lease(flow.id, 'w2', 10_000), 'a lease that ran out (its holder died) is taken over');
    await flows.retryLater(flow.id, 'w2', clock.now + 5000);
    assert.equal(await flows.lease(flow.id, 'w1', 10_000), undefined, 'not due yet');
    clock.now += 5000;
    const again = await flows.lease(flow.id, 'w1', 10_000);
    assert.equal(again?.reconcile.attempts, 1);
  });

  it('an ended flow and its event are swept after the retention; a waiting flow is kept', async () => {
    const { flows, outbox, state, clock } = records();
    const ended = await flows.begin({ ...ref, reference: '1003' }, []);
    const waiting = await flows.begin({ ...ref, reference: '1004' }, []);
    const stored = await flows.stored({ ...ref, reference: '1003' }, meta);
    const eventId = stored.events[0]!.id;
    assert.ok(await outbox.get(eventId));
    clock.now += RETENTION_MS - 1000;
    await state.sweep();
    assert.ok(await flows.get(ended.id));
    clock.now += 2000;
    await state.sweep();
    assert.equal(await flows.get(ended.id), undefined);
    assert.equal(await outbox.get(eventId), undefined);
    assert.ok(await flows.get(waiting.id));
    assert.deepEqual(
      (await flows.ofUser('u1')).map((f) => f.reference),
      ['1004'],
    );
  });

  it('a flow stored in the request that began it (BSrE): one record, one event, its owner indexed, nothing to reconcile', async () => {
    const { flows, outbox, state } = records();
    const bsre = { kind: 'signing' as const, provider: 'bsre' as const, reference: 'b'.repeat(32), user: 'u3' };
    const [first, second] = await Promise.all([flows.stored(bsre, meta), flows.stored(bsre, meta, 'worker')]);
    assert.equal(first.id, second.id);
    const flow = (await flows.get(first.id))!;
    assert.equal(flow.state, 'stored');
    assert.equal(flow.documentId, meta.id);
    assert.deepEqual(
      flow.history.map((h) => h.state),
      ['started', 'signed', 'stored'],
    );
    assert.equal(flow.events.length, 1);
    assert.equal(flow.events[0]!.type, 'document.signed');
    const event = (await outbox.get(flow.events[0]!.id))!;
    assert.deepEqual(JSON.parse(event.body).data, {
      flowId: flow.id,
      user: 'u3',
      provider: 'bsre',
      kind: 'signing',
      reference: bsre.reference,
      documentId: meta.id,
    });
    assert.deepEqual(await outbox.due(), [event.id], 'one event due');
    assert.deepEqual(
      (await flows.ofUser('u3')).map((f) => f.id),
      [flow.id],
    );
    assert.deepEqual(await flows.due(Number.MAX_SAFE_INTEGER), [], 'nothing for reconciliation');
    assert.equal(await state.get('flow-index', 'waiting'), undefined, 'the shared waiting index is not written');
    assert.equal((await flows.begin(bsre, [], 'signed')).state, 'stored', 'a late begin does not undo it');
  });

  it('without webhooks too: a new flow is written stored at once, a flow begun earlier moves on from where it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esign-records-'));
    dirs.push(dir);
    const state = new FileStateStore(dir);
    const flows = new FlowRecords(state, new WebhookOutbox(state, []));
    const once = await flows.stored({ kind: 'signing', provider: 'bsre', reference: 'c'.repeat(32), user: 'u4' }, meta);
    assert.deepEqual(
      once.history.map((h) => h.state),
      ['started', 'signed', 'stored'],
    );
    assert.deepEqual(once.events, []);
    const sent = { ...ref, reference: '2001', user: 'u4' };
    await flows.begin(sent, ['s@b.id']);
    const later = await flows.stored(sent, meta);
    assert.deepEqual(
      later.history.map((h) => h.state),
      ['started', 'awaiting-signer', 'signed', 'stored'],
    );
    assert.equal((await flows.ofUser('u4')).length, 2);
    assert.deepEqual(await flows.due(Number.MAX_SAFE_INTEGER), []);
  });
});
