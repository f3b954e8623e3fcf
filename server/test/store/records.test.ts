// The JSON records' read cache under concurrency (review finding 10, /work/notes/findings/server-review-1.md): a
// read whose file was read before a concurrent write landed must not be cached, or every later read answers the
// old value (an attempt count that forgot a failure). The interleaving is made exact with the real file system:
// the record's file is a FIFO, so the read stays open until the test feeds it the old value — after the write.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JsonRecords } from '../../src/store/records.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('JsonRecords cache', () => {
  it('a get overlapping a put answers what it read, and the next get answers the put', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'esign-records-'));
    dirs.push(dataDir);
    const records = new JsonRecords<{ failures: number }>(dataDir, 'counts');
    const key = 'target\u0000bsre-passphrase\u00003171000000000001';
    const path = join(records.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
    execFileSync('mkfifo', [path]);
    const reading = records.get(key); // opens the FIFO (in the thread pool) and waits for its content
    const fifo = openSync(path, 'w'); // returns once the read side is open
    await records.put(key, { failures: 2 }); // lands while the read is still in flight
    writeSync(fifo, JSON.stringify({ failures: 1 }));
    closeSync(fifo);
    assert.deepEqual(await reading, { failures: 1 }, 'the overlapped read answers what it read');
    assert.deepEqual(await records.get(key), { failures: 2 }, 'and did not replace the write in the cache');
  });

  it('reads that overlap no write are cached as before', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'esign-records-'));
    dirs.push(dataDir);
    const records = new JsonRecords<{ n: number }>(dataDir, 'counts');
    await records.put('k', { n: 1 });
    const fresh = new JsonRecords<{ n: number }>(dataDir, 'counts');
    assert.deepEqual(await fresh.get('k'), { n: 1 });
    rmSync(join(fresh.dir, `${createHash('sha256').update('k').digest('hex')}.json`));
    assert.deepEqual(await fresh.get('k'), { n: 1 }, 'answered from the cache');
  });
});
