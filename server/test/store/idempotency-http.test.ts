// The Idempotency-Key header of the signing routes, on two companion instances sharing one PostgreSQL database,
// against the sandbox providers behind a logging proxy (its log is the record of what reached the provider):
// concurrent duplicates through both instances sign once, a replay after success answers the same document,
// the same key with another request is refused naming the header, keys are the portal user's, and an error
// releases the key.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startOn, type Companion } from './companion.js';
import { BSRE_SIGNERS, contract, PASSPHRASE, startSandboxHost, type Api, type ApiResponse, type SandboxHost } from '../../../test/node/support/flows.js';
import { startFaultProxy, type FaultProxy } from '../../../test/node/support/fault-proxy.js';
import { freshDatabase, testDatabase } from '../../../test/node/support/postgres.js';

const database = testDatabase();
const SIGN = '/api/v2/sign/pdf';

describe('Idempotency-Key on two instances sharing PostgreSQL', { skip: database.skip, timeout: 120_000 }, () => {
  let sandbox: SandboxHost;
  let proxy: FaultProxy;
  let a: Companion;
  let b: Companion;
  let drop: () => Promise<void>;
  let admin: pg.Pool;
  const storedCount = async () =>
    Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM esign_documents WHERE stored_at IS NOT NULL')).rows[0]!.n);
  const dirs: string[] = [];
  before(async () => {
    sandbox = await startSandboxHost();
    proxy = await startFaultProxy(sandbox.origin);
    const db = await freshDatabase(database.url!);
    drop = db.drop;
    admin = new pg.Pool({ connectionString: db.url, max: 1 });
    const instance = async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'esign-idem-'));
      dirs.push(dataDir);
      return startOn(sandbox, { dataDir, databaseUrl: db.url, providers: proxy.url });
    };
    a = await instance();
    b = await instance();
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await proxy?.close();
    await sandbox?.close();
    await admin?.end();
    await drop?.();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const sign = (api: Api, key: string | undefined, pdf: Uint8Array, passphrase = PASSPHRASE): Promise<ApiResponse> =>
    api.call('/api/bsre/signatures', {
      method: 'POST',
      headers: key === undefined ? {} : { 'Idempotency-Key': key },
      body: (() => {
        const form = new FormData();
        form.append('nik', BSRE_SIGNERS[0].nik);
        form.append('passphrase', passphrase);
        form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'contract.pdf');
        return form;
      })(),
    });

  it('eight concurrent duplicates through both instances call BSrE once; every success and every later replay names the same document', async () => {
    const pdf = await contract('Idempotent (uji)');
    const key = `sign-${Date.now()}`;
    const before = proxy.count(SIGN, 'POST');
    const documentsBefore = await storedCount();
    // The provider takes a moment, so that the duplicates arrive while the first is running.
    proxy.add(SIGN, { kind: 'delay', ms: 600 }, 1);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => sign(i % 2 ? b.api : a.api, key, pdf)));
    assert.equal(proxy.count(SIGN, 'POST') - before, 1, 'BSrE signed once');
    const statuses = answers.map((r) => r.status);
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      JSON.stringify(statuses),
    );
    const ok = answers.filter((r) => r.status === 201);
    assert.ok(ok.length >= 1);
    const id = ok[0]!.body.document.id as string;
    assert.ok(
      ok.every((r) => r.body.document.id === id),
      'every success names one document',
    );
    for (const busy of answers.filter((r) => r.status === 409)) {
      assert.equal(busy.body.error.code, 'request-in-progress');
      assert.equal(busy.body.error.field, 'Idempotency-Key');
      assert.ok(Number(busy.headers.get('retry-after')) >= 1);
    }
    // After the success, on either instance: the first outcome, replayed, with the provider not called again.
    for (const api of [a.api, b.api]) {
      const again = await sign(api, key, pdf);
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.equal(again.body.document.id, id);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
    }
    assert.equal(proxy.count(SIGN, 'POST') - before, 1);
    assert.equal((await storedCount()) - documentsBefore, 1, 'one document stored');
    assert.equal((await b.api.get(`/api/documents/${id}/meta`)).status, 200);
  });

  it('the same key with another request: 422 naming the header, nothing sent; another user may use the same key', async () => {
    const key = `reuse-${Date.now()}`;
    const first = await sign(a.api, key, await contract('Pertama'));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const before = proxy.count(SIGN, 'POST');
    const other = await sign(b.api, key, await contract('Kedua'));
    assert.equal(other.status, 422, JSON.stringify(other.body));
    assert.equal(other.body.error.code, 'idempotency-key-reused');
    assert.equal(other.body.error.field, 'Idempotency-Key');
    assert.equal(proxy.count(SIGN, 'POST'), before, 'nothing sent for the refused request');
    // Keys are scoped to the portal user: another user's identical key is a request of its own.
    const theirs = await sign(b.as('another-user'), key, await contract('Pertama'));
    assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
    assert.notEqual(theirs.body.document.id, first.body.document.id);
    assert.equal(proxy.count(SIGN, 'POST'), before + 1);
  });

  it('an error answer releases the key: the corrected request may not reuse it with another body, the same one runs again', async () => {
    const key = `retry-${Date.now()}`;
    const pdf = await contract('Ulang');
    const wrong = await sign(a.api, key, pdf, 'not-the-passphrase');
    assert.ok(wrong.status >= 400 && wrong.status < 500, JSON.stringify(wrong.body));
    assert.notEqual(wrong.body.error.code, 'idempotency-key-reused');
    // Released: the key holds nothing, so a request with it runs (here the right passphrase).
    const right = await sign(b.api, key, pdf);
    assert.equal(right.status, 201, JSON.stringify(right.body));
    assert.equal(right.headers.get('idempotent-replayed'), null);
  });

  it('a key that is not 1–255 printable ASCII characters is refused naming the header', async () => {
    const res = await sign(a.api, 'has space', await contract());
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'Idempotency-Key');
  });
});
