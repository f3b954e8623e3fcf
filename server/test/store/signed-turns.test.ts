// A Peruri tier's turns (http/guards.ts recordSignedTurn): each recording after a signing Peruri accepted counts
// one turn, however many are recorded at once — on the filesystem store (one instance per DATA_DIR, several
// requests at once) and on a real PostgreSQL (ESIGN_TEST_DATABASE_URL) with two instances, each with pools of its
// own, recording side by side. Before the lock, both read the same list and wrote the same next signer: a turn
// lost (the next signer refused, the one before asked again).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordSignedTurn } from '../../src/http/guards.js';
import type { Stores } from '../../src/store/index.js';
import { freshDatabase, testDatabase } from '../../../test/node/support/postgres.js';
import { openFor } from './contract.js';

const SIGNERS = Array.from({ length: 12 }, (_, i) => `signer-${i + 1}@tier.test`);

/** `instances` recording every turn of a 12-signer tier at once (turn i through instance i mod n), then one more. */
async function recordAllAtOnce(instances: Stores[], orderId: string): Promise<void> {
  const [first] = instances;
  await first!.documents.recordSigners('peruri', orderId, SIGNERS);
  await Promise.all(
    SIGNERS.map((_, i) => recordSignedTurn(instances[i % instances.length]!.documents, instances[i % instances.length]!.state, 'peruri', orderId)),
  );
  for (const stores of instances) assert.deepEqual(await stores.documents.signersOf('peruri', `${orderId}#signed`), SIGNERS, 'every turn once, in order');
  // All have signed: another recording (a late retry) changes nothing.
  await recordSignedTurn(first!.documents, first!.state, 'peruri', orderId);
  assert.deepEqual(await first!.documents.signersOf('peruri', `${orderId}#signed`), SIGNERS);
}

describe('tier turns recorded at once: filesystem', () => {
  it('counts each of 12 simultaneous recordings exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'esign-turns-'));
    const stores = await openFor({ dataDir });
    try {
      for (const orderId of ['3001', '3002', '3003']) await recordAllAtOnce([stores], orderId);
    } finally {
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

const server = testDatabase();

describe('tier turns recorded at once: PostgreSQL, two instances', { skip: server.skip }, () => {
  it('counts each of 12 simultaneous recordings through two instances exactly once', async () => {
    const db = await freshDatabase(server.url!);
    const dataDir = mkdtempSync(join(tmpdir(), 'esign-turns-pg-'));
    const a = await openFor({ dataDir, databaseUrl: db.url });
    const b = await openFor({ dataDir, databaseUrl: db.url });
    try {
      for (const orderId of ['3001', '3002', '3003']) await recordAllAtOnce([a, b], orderId);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
