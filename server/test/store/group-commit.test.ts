// Group commit in the file stores (store/file-state.ts update, store/files.ts syncDir): concurrent updates of one
// key are applied in turn and written together, each answered only once that write is on disk; one that throws
// fails alone; directory syncs asked for together all complete. What lands is read back by a fresh store (the
// files on disk, not a cache).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileStateStore } from '../../src/store/file-state.js';
import { syncDir } from '../../src/store/files.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'esign-group-commit-'));
  dirs.push(dir);
  return dir;
};

describe('group commit', () => {
  it('concurrent updates of one key: each sees the one before, one that throws fails alone, all land on disk', async () => {
    const dir = fresh();
    const state = new FileStateStore(dir);
    const add = (n: number) =>
      state.update<number[], number[]>('flow-index', 'owner:u', (list) => {
        if (n === 13) throw new Error('unlucky');
        const next = [...(list ?? []), n];
        return { set: next, result: next };
      });
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => add(i)));
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    assert.deepEqual(failed, [13]);
    // Every update saw all those before it (in the order they were asked) and nothing after it.
    const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 13);
    for (const [i, o] of outcomes.entries()) {
      if (o.status !== 'fulfilled') continue;
      assert.deepEqual(
        o.value,
        expected.filter((x) => x <= i),
      );
    }
    assert.deepEqual(await new FileStateStore(dir).get('flow-index', 'owner:u'), expected, 'read back from disk');
    const left = readdirSync(join(dir, 'state', 'flow-index'));
    assert.equal(left.length, 1, `one file, no temporary ones: ${left.join(', ')}`);
  });

  it('a batch may set, keep and remove: the last decision is what is written', async () => {
    const dir = fresh();
    const state = new FileStateStore(dir);
    await state.put('flow-index', 'k', 1);
    const [a, b, c, d] = await Promise.all([
      state.update<number, number | undefined>('flow-index', 'k', (v) => ({ set: (v ?? 0) + 1, result: v })),
      state.update<number, number | undefined>('flow-index', 'k', (v) => ({ keep: true, result: v })),
      state.update<number, number | undefined>('flow-index', 'k', (v) => ({ remove: true, result: v })),
      state.update<number, number | undefined>('flow-index', 'k', (v) => ({ keep: true, result: v })),
    ]);
    assert.deepEqual([a, b, c, d], [1, 2, 2, undefined]);
    assert.equal(await new FileStateStore(dir).get('flow-index', 'k'), undefined);
  });

  it('directory syncs asked for together all complete; a missing directory fails its callers', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'a'));
    await Promise.all(Array.from({ length: 50 }, () => syncDir(join(dir, 'a'))));
    await syncDir(join(dir, 'a'));
    const missing = Array.from({ length: 3 }, () => syncDir(join(dir, 'missing')));
    for (const p of missing) await assert.rejects(p, { code: 'ENOENT' });
    await syncDir(join(dir, 'a'));
  });
});
