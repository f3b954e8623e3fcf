// The revisions of a file and the document as of each (packages/verify/src/revisions.ts), on files written here:
// - where each revision ends is found in one pass over the file, whatever the number of sections (the bytes
//   scanned are counted, not timed), and the work is spent from the inspection's budget;
// - an object stored in an object stream is read, as of an older revision, from that revision's object stream,
//   not from a newer stream that reuses its number (PDF 32000-1 §7.5.7, §7.5.6);
// - a reader limit met while comparing revisions (an object stream that inflates past the limit) says the
//   changes were not checked, instead of reading as "object absent";
// - a signed file with one huge incremental update of unreferenced objects (issue #15 follow-up: 150 000 of them
//   took 11 s; 17 MB of arrays took 9 s) is judged from the cross-reference entries and the document's graph,
//   without parsing the objects nothing uses; every entry compared is still charged to the budget, and so is
//   every byte the reader lexes (a few huge objects spend it as surely as many small ones).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { PdfFile, isDict, isString } from '@esign-kit/pdf';
import { inspectPdf } from '@esign-kit/verify';
import { inflate } from '../../packages/verify/src/inflate.js';
import { Budget, BudgetExceeded, READER_BYTES_PER_UNIT, Snapshot, revisionsOf } from '../../packages/verify/src/revisions.js';
import { analyseChanges } from '../../packages/verify/src/changes.js';
import { signedWithLargeUpdate } from './hardening/hostile-pdfs.js';
import { appendXrefStreamRevision, objectText, streamObject } from './support/incremental-updates.js';

const CORPUS = fileURLToPath(new URL('../corpus/verify-peer/', import.meta.url));
const LTA = 'pyhanko/internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__pades-lta-dss-indirect-arrs-test.pdf';

/** A signed-looking file with `sections` empty incremental updates, then `padding` bytes before the last startxref. */
function manySections(sections: number, padding: number): Uint8Array {
  let s = '%PDF-1.7\n';
  const offsets: number[] = [];
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>',
    '<< /FT /Sig /T (S) /V 5 0 R >>',
    '<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>',
  ];
  objects.forEach((o, i) => {
    offsets.push(s.length);
    s += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  let prev = s.length;
  s += `xref\n0 6\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Root 1 0 R /Size 6 >>\n`;
  for (let i = 0; i < sections; i++) {
    const at = s.length;
    s += `xref\n0 0\ntrailer\n<< /Root 1 0 R /Size 6 /Prev ${prev} >>\n`;
    prev = at;
  }
  s += `${'%'.repeat(padding)}\nstartxref\n${prev}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

/** A Uint8Array that counts the bytes its indexOf searches go through. */
class CountingBytes extends Uint8Array {
  scanned = 0;
  override indexOf(value: number, from = 0): number {
    const found = super.indexOf(value, from);
    this.scanned += (found < 0 ? this.length : found + 1) - Math.max(0, from);
    return found;
  }
}

describe('revisions: where each ends, found in one pass and within the budget', () => {
  it('a thousand sections before 100 KB: the ends are found scanning the file about once, not once per section', async () => {
    const plain = manySections(1000, 100_000);
    const bytes = new CountingBytes(plain.length);
    bytes.set(plain);
    const file = await PdfFile.open(bytes, inflate);
    bytes.scanned = 0;
    const revisions = revisionsOf(file, new Budget(1e6))!;
    assert.equal(revisions.length, 1001);
    // Every section of this file ends at the one %%EOF at the end.
    assert.ok(
      revisions.every((r) => r.eofEnd === plain.length - 1),
      'each revision ends at the last %%EOF',
    );
    assert.ok(bytes.scanned < 4 * plain.length, `scanned ${bytes.scanned} bytes of a ${plain.length}-byte file`);
  });

  it('the sections are counted against the budget', async () => {
    const file = await PdfFile.open(manySections(1000, 10), inflate);
    assert.throws(() => revisionsOf(file, new Budget(500)), BudgetExceeded);
    const report = await inspectPdf(manySections(1000, 10), { workBudget: 500 });
    assert.equal(report.error?.code, 'TOO_COMPLEX');
  });
});

describe('an object in an object stream, as of an older revision', () => {
  it('is read from the object stream of that revision, not from a newer one that reuses its number', async () => {
    const lta = new Uint8Array(readFileSync(join(CORPUS, 'files', LTA)));
    const objStm = (member: string) => streamObject(`61 0 ${member}`, `/Type /ObjStm /N 1 /First ${'61 0 '.length} `);
    // Update A: object stream 60 holds object 61; update B: stream 60 written again, 61 not listed again.
    const a = appendXrefStreamRevision(lta, { 60: objStm('<< /Label (lama) >>') }, 62, true, { 61: [60, 0] });
    const b = appendXrefStreamRevision(a, { 60: objStm('<< /Label (baru) >>') }, 63, true);
    const file = await PdfFile.open(b, inflate);
    const revisions = revisionsOf(file, new Budget(1e6))!;
    const [, , revA, revB] = revisions.slice(-4);
    const label = async (r: typeof revA) => {
      const v = await new Snapshot(file, r!, new Budget(1e6)).get(61);
      return isDict(v) && isString(v.dict.get('Label')) ? Buffer.from((v.dict.get('Label') as { bytes: Uint8Array }).bytes).toString('latin1') : undefined;
    };
    // The older revision first, then the newer, then the older again: no answer leaks between them.
    assert.equal(await label(revA), 'lama');
    assert.equal(await label(revB), 'baru');
    assert.equal(await label(revA), 'lama');
    assert.equal(await new Snapshot(file, revisions[0]!, new Budget(1e6)).get(61), null, 'absent before update A');
  });
});

describe('a reader limit met while comparing revisions', () => {
  it('the page rewritten inside an object stream that inflates past 16 MiB: changes not checked, not "absent"', async () => {
    const lta = new Uint8Array(readFileSync(join(CORPUS, 'files', LTA)));
    const page = objectText(lta, 3);
    const header = '3 0 ';
    const data = deflateSync(Buffer.concat([Buffer.from(header + page, 'latin1'), Buffer.alloc(20 * 2 ** 20, 0x20)]));
    const bomb = `<< /Type /ObjStm /N 1 /First ${header.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n${data.toString('latin1')}\nendstream`;
    const report = await inspectPdf(appendXrefStreamRevision(lta, { 60: bomb }, 61, true, { 3: [60, 0] }));
    assert.ok(
      report.status === 'damaged'
        ? report.error?.code === 'TOO_COMPLEX'
        : report.signatures.every((s) => s.problems.includes('CHANGES_NOT_CHECKED') && s.verdict === 'unknown'),
      JSON.stringify(report.error ?? report.signatures.map((s) => [s.verdict, s.problems, s.changes])),
    );
  });
});

describe('a signed file with one huge update of objects nothing refers to', () => {
  const SIGNED = new Uint8Array(readFileSync(join(CORPUS, 'files/pdfjs/test__pdfs__signed_verified.pdf')));
  // Before the fix, each took seconds in Node (the update's every object parsed to find object streams).
  const files = {
    '100 000 small dictionaries (5.5 MB)': () => signedWithLargeUpdate(SIGNED, 100_000),
    '8 000 arrays of 250 numbers (16 MB)': () => {
      const row = `[${Array.from({ length: 250 }, (_, k) => 1_000_000 + k).join(' ')}]`;
      return signedWithLargeUpdate(SIGNED, 8_000, { body: () => row });
    },
  };

  for (const [name, make] of Object.entries(files)) {
    it(`${name}: the signature's verdict is unchanged; each entry is counted, no orphan is parsed`, async () => {
      const bytes = make();
      const count = name.startsWith('100') ? 100_000 : 8_000;
      const before = await inspectPdf(SIGNED);
      const report = await inspectPdf(bytes);
      assert.equal(report.status, 'signed', JSON.stringify(report.error));
      // pyHanko ignores new objects nothing refers to: the verdict is the signed file's own, with no change.
      assert.equal(report.signatures[0]?.verdict, before.signatures[0]?.verdict);
      assert.deepEqual(report.signatures[0]?.changes, []);
      // Only what any update brings: the signature no longer covers the whole file.
      assert.deepEqual(report.signatures[0]?.problems, ['NOT_TOTAL_DOCUMENT', ...before.signatures[0]!.problems]);

      // The work, counted: every entry of the update is charged to the budget, and the objects read are the
      // document's own (reached from its trailer), not the update's orphans.
      const file = await PdfFile.open(bytes, inflate);
      let parsed = 0;
      const objectAt = file.objectAt.bind(file);
      file.objectAt = (...args) => {
        parsed++;
        return objectAt(...args);
      };
      const budget = new Budget(1e7);
      const revisions = revisionsOf(file, budget)!;
      const analysis = await analyseChanges(file, revisions, revisions.length - 2, {}, budget);
      assert.deepEqual(analysis.changes, []);
      assert.ok(budget.spent >= count, `budget spent ${budget.spent} for ${count} entries`);
      assert.ok(parsed < 1_000, `${parsed} objects parsed`);

      // And a budget smaller than the update ends the comparison: nothing is claimed about the changes.
      const small = await inspectPdf(bytes, { workBudget: Math.floor(count / 2) });
      assert.ok(
        small.error?.code === 'TOO_COMPLEX' || small.signatures.every((s) => s.problems.includes('CHANGES_NOT_CHECKED') && s.verdict === 'unknown'),
        JSON.stringify(small.error ?? small.signatures.map((s) => [s.verdict, s.problems])),
      );
    });
  }
});

describe('a signed update of a few huge objects the document refers to', () => {
  const SIGNED = new Uint8Array(readFileSync(join(CORPUS, 'files/pdfjs/test__pdfs__signed_verified.pdf')));
  // 4 000 hexadecimal strings of 2 000 digits (8 MB), reached from the trailer: few objects, many bytes to lex.
  const bytes = signedWithLargeUpdate(SIGNED, 4_000, { body: () => `<${'0'.repeat(2_000)}>`, referenced: true });

  it('the bytes lexed are charged to the budget, beside the objects read', async () => {
    const file = await PdfFile.open(bytes, inflate);
    const budget = new Budget(1e7);
    budget.countReader(file.meter);
    const revisions = revisionsOf(file, budget)!;
    const analysis = await analyseChanges(file, revisions, revisions.length - 2, {}, budget);
    // What no rule explains: the new objects the trailer now reaches.
    assert.equal(analysis.level, 'other');
    assert.ok(analysis.changes.length >= 4_000);
    // The inspection's own work is a few units per object; the reader's is the 8 MB it lexed.
    assert.ok(budget.own < 50_000, `own ${budget.own}`);
    assert.ok(budget.reading >= (4_000 * 2_000) / READER_BYTES_PER_UNIT, `reading ${budget.reading}`);
    assert.equal(budget.spent, budget.own + budget.reading);
  });

  it('a budget the lexing alone passes ends the comparison: nothing is claimed about the changes', async () => {
    const report = await inspectPdf(bytes, { workBudget: 400_000 });
    assert.ok(
      report.error?.code === 'TOO_COMPLEX' || report.signatures.every((s) => s.problems.includes('CHANGES_NOT_CHECKED') && s.verdict === 'unknown'),
      JSON.stringify(report.error ?? report.signatures.map((s) => [s.verdict, s.problems])),
    );
    // The default budget is enough for it: judged, modified after signing.
    const judged = await inspectPdf(bytes);
    assert.equal(judged.signatures[0]?.verdict, 'modified-after-signing', JSON.stringify(judged.signatures[0]?.problems));
  });
});
