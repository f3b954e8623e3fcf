// The PDF reader's limits (@esign-kit/core: PdfFile, readPages, flateDecode) and the server's intake pool,
// against the hostile files of test/node/hardening/hostile-pdfs.ts, generated in code. Issue #15's files (a
// 200 KB digit run, 50 000 objects behind a broken cross-reference table) must be read, by the page-tree reader
// and by @esign-kit/verify, within the reader's default budgets; their times are recorded by `npm run bench`.
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { DEFAULT_PDF_LIMITS, PdfFile, PdfLimitError, flateDecode, readPageTree, readPages, type Inflate, type PdfLimits } from '@esign-kit/pdf';
import { inspectPdf } from '@esign-kit/verify';
import { IntakeBusyError, PdfIntakePool } from '../../../server/src/pdf/intake-pool.js';
import { readPdfIntake, zlibInflate } from '../../../server/src/pdf/intake.js';
import { form, pdfPart, startKit } from './kit.js';
import {
  classicPdf,
  deepNesting,
  documentWith,
  kidsCycle,
  manyObjects,
  manyObjectsBrokenXref,
  objectStreamBomb,
  pageTreeDag,
  spreadBomb,
  zlibOfHeadThenZeros,
} from './hostile-pdfs.js';

const MB = 2 ** 20;

async function refusal(bytes: Uint8Array, inflate: Inflate, limits: Partial<PdfLimits> = {}): Promise<PdfLimitError> {
  try {
    await readPages(await PdfFile.open(bytes, inflate, limits));
  } catch (err) {
    if (err instanceof PdfLimitError) return err;
    throw err;
  }
  assert.fail('the file was read without passing a limit');
}

describe('PDF reader limits (@esign-kit/core)', () => {
  for (const [name, inflate] of [
    ["DecompressionStream (flateDecode, the browsers' path)", flateDecode],
    ["zlib with maxOutputLength (the server's)", zlibInflate],
  ] as const) {
    describe(name, () => {
      it('page-tree DAGs, depths 18 to 30, and a /Kids cycle: pdf-page-tree-loop, at the first node reached twice', async () => {
        for (const depth of [18, 22, 26, 30]) assert.equal((await refusal(pageTreeDag(depth), inflate)).code, 'pdf-page-tree-loop');
        assert.equal((await refusal(kidsCycle(), inflate)).code, 'pdf-page-tree-loop');
      });

      it('an object stream inflating to 4 GiB stops at the per-stream limit', async () => {
        const file = await PdfFile.open(objectStreamBomb(4 * 1024 * MB), inflate);
        await assert.rejects(readPages(file), (err: PdfLimitError) => err.code === 'pdf-stream-too-large' && err.limit === DEFAULT_PDF_LIMITS.maxStreamBytes);
        // Nothing past the limit was kept or counted: the inflater was told, and stopped.
        assert.ok(file.meter.inflated <= DEFAULT_PDF_LIMITS.maxStreamBytes);
      });

      it("streams each under the per-stream limit but over the file's budget together: pdf-inflate-budget", async () => {
        assert.equal((await refusal(spreadBomb(15 * MB), inflate)).code, 'pdf-inflate-budget');
      });
    });
  }

  it('flateDecode counts its output and stops: ERR_BUFFER_TOO_LARGE, and the bytes below the limit are exact', async () => {
    const bomb = zlibOfHeadThenZeros(new TextEncoder().encode('head'), 4 * 1024 * MB);
    await assert.rejects(flateDecode(bomb, 8 * MB), (err: { code?: string }) => err.code === 'ERR_BUFFER_TOO_LARGE');
    const small = zlibOfHeadThenZeros(new TextEncoder().encode('head'), 3 * MB + 5);
    const out = await flateDecode(small, 4 * MB);
    assert.deepEqual(out, new Uint8Array(inflateSync(small)));
  });

  it('nesting, objects, pages, work and time each have their limit and code', async () => {
    assert.equal((await refusal(deepNesting(100_000), flateDecode)).code, 'pdf-nesting-too-deep');
    assert.equal((await refusal(manyObjects(1 << 20), flateDecode)).code, 'pdf-too-many-objects');
    assert.equal((await refusal(manyObjectsBrokenXref(600_000), flateDecode)).code, 'pdf-too-many-objects');
    const twelve = await documentWith({ pages: 12 });
    assert.equal((await readPages(await PdfFile.open(twelve, flateDecode, { maxPages: 12 }))).length, 12);
    const pages = await refusal(twelve, flateDecode, { maxPages: 11 });
    assert.deepEqual([pages.code, pages.limit], ['pdf-too-many-pages', 11]);
    assert.equal((await refusal(twelve, flateDecode, { maxWork: 2000 })).code, 'pdf-work-budget');
    // A clock that moves 1 s each time it is read: the time budget is spent at the first check.
    let now = 0;
    const slow = await refusal(manyObjectsBrokenXref(50_000), flateDecode, { maxMilliseconds: 500, clock: () => (now += 1000) });
    assert.equal(slow.code, 'pdf-time-budget');
  });

  it('an object stream whose /Length is inside itself is refused, not waited for for ever', async () => {
    // Object 4 is an object stream holding objects 1-3 and 5; its /Length is object 5.
    const bodies = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      '0',
    ];
    const nums = [1, 2, 3, 5];
    let offset = 0;
    const header = `${nums.map((n, i) => `${n} ${(offset += i ? bodies[i - 1]!.length + 1 : 0)}`).join(' ')}\n`;
    const data = Buffer.from(header + bodies.join('\n'));
    const bytes = classicPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      'null',
      'null',
      `<< /Type /ObjStm /N 4 /First ${header.length} /Length 5 0 R >>\nstream\n${data.toString('latin1')}\nendstream`,
      '0',
    ]);
    // Point objects 1-3 and 5 into the stream: rewrite the table's entries as a cross-reference stream would.
    const file = await PdfFile.open(bytes, flateDecode);
    for (const n of [1, 2, 3, 5]) file.sections[0]!.entries.set(n, { type: 2, offset: 0, stream: 4, index: nums.indexOf(n) });
    await assert.rejects(file.resolve({ num: 2, gen: 0 }), /itself in an object stream/);
  });
});

describe('issue #15: files the old reader took seconds on are read within the default budgets', () => {
  it('a 200 KB digit run in a file whose cross-reference table is broken (reconstruction)', async () => {
    const bytes = await documentWith({ digitRun: 200 * 1024, brokenXref: true });
    const file = await PdfFile.open(bytes, flateDecode);
    assert.ok(file.reconstructed, 'the file was not reconstructed: the test would not reach the scan');
    assert.equal((await readPages(file)).length, 1);
    assert.equal((await readPageTree(bytes, flateDecode))?.length, 1);
    const report = await inspectPdf(bytes);
    assert.equal(report.status, 'no-signature', JSON.stringify(report.error));
  });

  it('50 000 objects behind a broken cross-reference table', async () => {
    const bytes = await documentWith({ pages: 3, extraObjects: 50_000, brokenXref: true });
    const file = await PdfFile.open(bytes, flateDecode);
    assert.ok(file.reconstructed);
    assert.equal((await readPages(file)).length, 3);
    assert.equal((await readPageTree(bytes, flateDecode))?.length, 3);
    const report = await inspectPdf(bytes);
    assert.equal(report.status, 'no-signature', JSON.stringify(report.error));
    // The server reads it the same way (its intake, in-process here).
    const intake = await readPdfIntake(bytes, {});
    assert.ok(intake.ok && intake.pages.length === 3 && intake.announcedCount === 3);
  });

  it('reads what pdf-lib writes the same as pdf-lib does (pages, /Count, encryption flag)', async () => {
    const doc = await PDFDocument.load(await documentWith({ pages: 4 }));
    for (const useObjectStreams of [false, true]) {
      const result = await readPdfIntake(await doc.save({ useObjectStreams }), {});
      assert.ok(result.ok);
      assert.equal(result.pages.length, doc.getPageCount());
      assert.equal(result.announcedCount, 4);
      assert.equal(result.encrypted, false);
    }
  });
});

describe("the server's intake pool (worker threads)", () => {
  it('one worker and no queue: a second file at once is refused busy, with a Retry-After', async () => {
    const pool = new PdfIntakePool({ threads: 1, queue: 0, heapMb: 160 });
    try {
      const slow = manyObjectsBrokenXref(400_000);
      const first = pool.check(slow, { timeoutMs: 30_000 });
      await assert.rejects(pool.check(slow, { timeoutMs: 3000 }), (err: IntakeBusyError) => err instanceof IntakeBusyError && err.retryAfterSeconds === 3);
      const result = await first;
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(pool.stats.busy, 0);
    } finally {
      await pool.close();
    }
  });

  it("one owner cannot fill the pool: past its share its next file is refused busy, another owner's is read (review finding 11)", async () => {
    // 1 worker + 7 waiting = 8 places; a quarter (2) is kept for other owners.
    const pool = new PdfIntakePool({ threads: 1, queue: 7, heapMb: 160 });
    try {
      const pdf = await (async () => {
        const doc = await PDFDocument.create();
        doc.addPage([595, 842]);
        return doc.save();
      })();
      const flood = Array.from({ length: 6 }, () => pool.check(pdf, { timeoutMs: 3000 }, 'flooder'));
      await assert.rejects(pool.check(pdf, { timeoutMs: 3000 }, 'flooder'), (err: unknown) => err instanceof IntakeBusyError);
      const other = pool.check(pdf, { timeoutMs: 3000 }, 'someone-else');
      assert.ok((await other).ok, 'another owner is still read');
      for (const r of await Promise.all(flood)) assert.ok(r.ok);
      // Its files answered, the owner's share is free again.
      assert.ok((await pool.check(pdf, { timeoutMs: 3000 }, 'flooder')).ok);
    } finally {
      await pool.close();
    }
  });

  it("round robin between owners: another owner's file is read next, not after one owner's whole backlog", async () => {
    const pool = new PdfIntakePool({ threads: 1, queue: 10, heapMb: 160 });
    try {
      const pdf = await documentWith({ pages: 1 });
      const order: string[] = [];
      const read = (owner: string, n: number) => pool.check(pdf, { timeoutMs: 3000 }, owner).then((r) => (assert.ok(r.ok), order.push(`${owner}${n}`)));
      // One owner queues six files before anyone else asks; then two other owners ask, one file each.
      const all = [...Array.from({ length: 6 }, (_, n) => read('flooder', n)), read('alice', 0), read('bob', 0), read('alice', 1)];
      await Promise.all(all);
      // The flooder's first file was first in line; then each owner in turn, each owner's files in their order.
      assert.deepEqual(order, ['flooder0', 'alice0', 'bob0', 'flooder1', 'alice1', 'flooder2', 'flooder3', 'flooder4', 'flooder5']);
    } finally {
      await pool.close();
    }
  });

  it('the deadline: the reader stops itself at timeoutMs and answers pdf-time-budget', async () => {
    const pool = new PdfIntakePool({ threads: 1, queue: 1, heapMb: 160 });
    try {
      const result = await pool.check(manyObjectsBrokenXref(450_000), { timeoutMs: 1 });
      assert.ok(!result.ok && result.code === 'pdf-time-budget', JSON.stringify(result));
      // The worker is still there for the next file.
      const next = await pool.check(await documentWith({ pages: 2 }), { timeoutMs: 30_000 });
      assert.ok(next.ok && next.pages.length === 2);
    } finally {
      await pool.close();
    }
  });

  it('a worker that runs out of its heap ends alone: pdf-memory-budget, and the next file gets a new worker', async () => {
    const pool = new PdfIntakePool({ threads: 1, queue: 1, heapMb: 40 });
    try {
      const result = await pool.check(manyObjects(450_000), { timeoutMs: 60_000 });
      assert.ok(!result.ok && result.code === 'pdf-memory-budget', JSON.stringify(result));
      const next = await pool.check(await documentWith({ pages: 1 }), { timeoutMs: 30_000 });
      assert.ok(next.ok, JSON.stringify(next));
    } finally {
      await pool.close();
    }
  });

  it('over HTTP, PDF_INTAKE_TIMEOUT_MS: 413 pdf-time-budget naming the field', async () => {
    // A 1 ms deadline: reconstruction reaches the 200 000th object (the server's object limit) after tens of ms.
    const kit = await startKit({ env: { PDF_INTAKE_TIMEOUT_MS: '1' } });
    try {
      const res = await fetch(`${kit.base}/api/documents`, {
        method: 'POST',
        headers: kit.auth(),
        body: form({ file: pdfPart(manyObjectsBrokenXref(450_000)) }),
      });
      const body = (await res.json()) as { error: { code: string; field: string } };
      assert.equal(res.status, 413);
      assert.deepEqual([body.error.code, body.error.field], ['pdf-time-budget', 'file']);
    } finally {
      await kit.close();
    }
  });
});
