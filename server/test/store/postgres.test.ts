// The store contract (contract.ts) on a real PostgreSQL — the throwaway cluster `npm test` starts
// (ESIGN_TEST_DATABASE_URL), a database of this file's own — with two instances (pools of their own) on it at
// once. Plus what only the database has: migrations applied once by instances starting together, recorded with
// their checksums, refused when edited, rolled back when they fail; and health when the database is not
// migrated or not there.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { signPortalToken } from '../../src/auth/jwt.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { openStores } from '../../src/store/index.js';
import { createPool, LATEST_VERSION, migrate, pgHealth, readMigrations } from '../../src/store/pg.js';
import { ENV, form, makePdf, TEST_CLAIMS } from '../http/helpers.js';
import { freshDatabase, testDatabase } from '../../../test/node/support/postgres.js';
import { openFor, storeContract, type Backend } from './contract.js';

const server = testDatabase();

async function pgBackend(): Promise<Backend> {
  const db = await freshDatabase(server.url!);
  const admin = new pg.Pool({ connectionString: db.url, max: 2 });
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-store-pg-'));
  return {
    name: 'postgresql',
    shared: true,
    open: (options = {}) => openFor({ dataDir, databaseUrl: db.url }, options.now),
    corrupt: async (id) => {
      await admin.query('UPDATE esign_document_chunks SET data = set_byte(data, 1000, 255 - get_byte(data, 1000)) WHERE document_id = $1 AND seq = 0', [id]);
    },
    abandonWrite: async () => {
      // A kill -9 mid-write: the row and some chunks, never completed, from two hours ago.
      const id = 'cd'.repeat(16);
      await admin.query(
        "INSERT INTO esign_documents (id, source, owner, file_name, created_at) VALUES ($1, 'bsre', 'alice', 'x.pdf', now() - interval '2 hours')",
        [id],
      );
      await admin.query("INSERT INTO esign_document_chunks (document_id, seq, data) VALUES ($1, 0, '\\x255044462d'::bytea)", [id]);
    },
    leftovers: async () => (await admin.query<{ id: string }>('SELECT id FROM esign_documents WHERE stored_at IS NULL')).rows.map((r) => r.id),
    documentCount: async () => Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM esign_documents WHERE stored_at IS NOT NULL')).rows[0]!.n),
    dispose: async () => {
      await admin.end();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('store contract: PostgreSQL', { skip: server.skip }, () => storeContract(pgBackend));

describe('PostgreSQL migrations', { skip: server.skip }, () => {
  const dropped: (() => Promise<void>)[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const drop of dropped) await drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const database = async () => {
    const db = await freshDatabase(server.url!);
    dropped.push(db.drop);
    return db;
  };

  it('instances starting together migrate once: each version recorded once, with its checksum', async () => {
    const db = await database();
    const pools = Array.from({ length: 4 }, () => createPool(db.url, { max: 2 }));
    try {
      const reports = await Promise.all(pools.map((p) => migrate(p)));
      const applied = reports.flatMap((r) => r.applied).sort();
      assert.deepEqual(
        applied,
        readMigrations().map((m) => m.version),
        'every migration applied by exactly one instance',
      );
      assert.ok(reports.every((r) => r.version === LATEST_VERSION));
      const { rows } = await pools[0]!.query<{ version: number; sha256: string }>('SELECT version, sha256 FROM esign_schema_migrations ORDER BY version');
      assert.deepEqual(
        rows,
        readMigrations().map((m) => ({ version: m.version, sha256: m.sha256 })),
      );
      assert.deepEqual((await migrate(pools[1]!)).applied, [], 'a later start finds nothing to do');
      assert.deepEqual(await pgHealth(pools[2]!), { kind: 'postgresql', ok: true, reachable: true, migrated: true, schemaVersion: LATEST_VERSION });
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a failing migration is rolled back and not recorded; an applied one that was edited is refused', async () => {
    const db = await database();
    const dir = mkdtempSync(join(tmpdir(), 'esign-migrations-'));
    dirs.push(dir);
    const pool = createPool(db.url, { max: 2 });
    try {
      writeFileSync(join(dir, '001_first.sql'), 'CREATE TABLE t1 (x integer);');
      writeFileSync(join(dir, '002_broken.sql'), 'CREATE TABLE t2 (x integer);\nSELECT 1 / 0;');
      await assert.rejects(migrate(pool, { dir }), /002_broken\.sql failed: division by zero/);
      const tables = async () =>
        (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE tablename IN ('t1', 't2') ORDER BY 1")).rows.map((r) => r.t);
      assert.deepEqual(await tables(), ['t1']);
      assert.deepEqual((await pool.query('SELECT version FROM esign_schema_migrations')).rows, [{ version: 1 }]);
      writeFileSync(join(dir, '002_broken.sql'), 'CREATE TABLE t2 (x integer);');
      assert.deepEqual((await migrate(pool, { dir })).applied, [2]);
      writeFileSync(join(dir, '001_first.sql'), 'CREATE TABLE t1 (x integer, y integer);');
      await assert.rejects(migrate(pool, { dir }), /001_first\.sql was changed after it was applied/);
    } finally {
      await pool.end();
    }
  });

  it('health: a database without the migrations is reachable but not migrated; one that is not there is unreachable', async () => {
    const db = await database();
    const pool = createPool(db.url, { max: 1 });
    try {
      assert.deepEqual(await pgHealth(pool), { kind: 'postgresql', ok: false, reachable: true, migrated: false, schemaVersion: null });
    } finally {
      await pool.end();
    }
    const gone = new URL(db.url);
    gone.port = '1';
    const nowhere = createPool(gone.toString(), { max: 1 });
    try {
      assert.deepEqual(await pgHealth(nowhere), { kind: 'postgresql', ok: false, reachable: false, migrated: false, schemaVersion: null });
    } finally {
      await nowhere.end();
    }
  });
});

describe('the companion server on PostgreSQL', { skip: server.skip }, () => {
  it('reports the database in /api/health, stores an upload there and serves it back; 503 once the database is gone', async () => {
    const db = await freshDatabase(server.url!);
    const dataDir = mkdtempSync(join(tmpdir(), 'esign-app-pg-'));
    const config = loadConfig({ ...ENV, DATA_DIR: dataDir, DATABASE_URL: db.url });
    const logs: string[] = [];
    const logger = createLogger({ level: 'info', secrets: config.secrets, destination: { write: (line: string) => void logs.push(line) } });
    const stores = await openStores({ dataDir, databaseUrl: config.databaseUrl, logger, sweepEveryMs: 0 });
    const app = createApp({
      config,
      version: '1.2.3',
      logger,
      store: stores.documents,
      state: stores.state,
      attemptStore: stores.attempts,
      providerOptions: { retries: 0 },
    });
    const listening = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    const auth = { authorization: `Bearer ${signPortalToken({ ...TEST_CLAIMS, sub: 'user-1' }, config.portalSecret)}` };
    const admin = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const health = await fetch(`${base}/api/health`);
      const body = (await health.json()) as Record<string, unknown>;
      assert.equal(health.status, 200, JSON.stringify(body));
      assert.equal(body.status, 'ok');
      assert.deepEqual(body.store, { kind: 'postgresql', ok: true, reachable: true, migrated: true, schemaVersion: LATEST_VERSION });

      const pdf = await makePdf(2);
      const stored = await fetch(`${base}/api/documents`, { method: 'POST', headers: auth, body: form({ file: pdf }) });
      const answer = (await stored.json()) as { document: { id: string; sha256: string; url: string } };
      assert.equal(stored.status, 201, JSON.stringify(answer));
      const { document } = answer;
      const row = await admin.query<{ sha256: string; owner: string }>('SELECT sha256, owner FROM esign_documents WHERE id = $1 AND stored_at IS NOT NULL', [
        document.id,
      ]);
      assert.deepEqual(row.rows, [{ sha256: createHash('sha256').update(pdf).digest('hex'), owner: 'user-1' }]);
      assert.ok(!existsSync(join(dataDir, 'documents')) || readdirSync(join(dataDir, 'documents')).length === 0, 'nothing under DATA_DIR/documents');
      const served = await fetch(`${base}${document.url}`, { headers: auth });
      assert.equal(served.status, 200);
      assert.equal(
        createHash('sha256')
          .update(new Uint8Array(await served.arrayBuffer()))
          .digest('hex'),
        document.sha256,
      );
      const other = await fetch(`${base}${document.url}`, {
        headers: { authorization: `Bearer ${signPortalToken({ ...TEST_CLAIMS, sub: 'user-2' }, config.portalSecret)}` },
      });
      assert.equal(other.status, 404);
    } finally {
      await admin.end();
    }
    // The database goes away (dropped, its connections closed): the instance cannot store, and says so.
    await db.drop();
    const down = await fetch(`${base}/api/health`);
    const downBody = (await down.json()) as Record<string, unknown>;
    assert.equal(down.status, 503, JSON.stringify(downBody));
    assert.equal(downBody.status, 'unavailable');
    assert.deepEqual(downBody.store, { kind: 'postgresql', ok: false, reachable: false, migrated: false, schemaVersion: null });
    await new Promise<void>((resolve) => listening.close(() => resolve()));
    await stores.close();
    rmSync(dataDir, { recursive: true, force: true });
    const password = decodeURIComponent(new URL(db.url).password);
    assert.ok(!logs.some((l) => l.includes(password)), `the database password is never logged: ${logs.find((l) => l.includes(password))}`);
  });
});
