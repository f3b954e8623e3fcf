// Tampered copies of a real PAdES-LTA file (pyHanko's pades-lta-dss-indirect-arrs-test.pdf: a signature, its
// /DSS, a document timestamp) still read invalid or modified: a byte flipped inside and outside a signed range,
// and incremental updates written here by hand — an annotation added, a page's content replaced, a MediaBox
// changed, an annotation (a signature widget) removed from its page, a field taken out of the form, a signed
// field's value replaced, an object freed. The same update made of LTV material only (a /DSS entry) stays
// allowed. Then a thousand damaged copies (fast-check): always a report, never an exception.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { inspectPdf, type InspectionReport } from '@esign-kit/verify';
import { appendRevision, fromLatin1, latin1, objectText } from './support/incremental-updates.js';

const CORPUS = fileURLToPath(new URL('../corpus/verify-peer/', import.meta.url));
const LTA = 'pyhanko/internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__pades-lta-dss-indirect-arrs-test.pdf';
const LTA2 = 'pyhanko/internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__pades-lta-dss-indirect-arrs-test-2.pdf';

/** A copy with byte `at` changed to another value of the same kind (a hex digit stays a hex digit). */
function flip(pdf: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(pdf);
  const c = copy[at]!;
  copy[at] = c === 0x30 ? 0x31 : /[0-9a-fA-F]/.test(String.fromCharCode(c)) ? 0x30 : c ^ 0x01;
  return copy;
}

const verdicts = (r: InspectionReport) => r.signatures.map((s) => s.verdict);

describe('tampered copies of a PAdES-LTA file still read invalid or modified', () => {
  let lta: Uint8Array;
  let original: InspectionReport;
  before(async () => {
    lta = new Uint8Array(readFileSync(join(CORPUS, 'files', LTA)));
    original = await inspectPdf(lta);
  });

  it('the untouched file: a valid signature and a valid document timestamp (untrusted without roots)', () => {
    assert.deepEqual(verdicts(original), ['valid-untrusted', 'valid-untrusted']);
    assert.deepEqual(
      original.signatures.map((s) => s.kind),
      ['signature', 'document-timestamp'],
    );
  });

  it('a byte flipped inside the signed range (the page content): both are invalid, DIGEST_MISMATCH', async () => {
    const at = latin1(lta).indexOf('stream', latin1(lta).indexOf('4 0 obj')) + 10;
    const report = await inspectPdf(flip(lta, at));
    assert.deepEqual(verdicts(report), ['invalid', 'invalid']);
    for (const s of report.signatures) {
      assert.equal(s.integrity, 'broken');
      assert.ok(s.problems.includes('DIGEST_MISMATCH'), s.problems.join());
    }
  });

  it('a byte flipped outside the signed range (in the timestamp token, inside its own hole): the timestamp is invalid', async () => {
    const stamp = original.signatures[1]!;
    const [, a, b] = stamp.byteRange!;
    // Near the end of the token's DER (its signature value), away from the zero padding.
    const hex = latin1(lta.subarray(a! + 1, b! - 1)).replace(/(00)+$/, '');
    const report = await inspectPdf(flip(lta, a! + 1 + hex.length - 40));
    assert.equal(report.signatures[1]?.verdict, 'invalid');
    assert.equal(report.signatures[1]?.integrity, 'broken');
    // The first signature's range does not include it, and a later signature dictionary is allowed to follow.
    assert.equal(report.signatures[0]?.integrity, 'intact');
    assert.notEqual(report.signatures[0]?.verdict, 'invalid');
  });

  it('an annotation appended in a new revision: modified after signing, the annotation named', async () => {
    const page = objectText(lta, 3).replace('/Annots [ 7 0 R 25 0 R ]', '/Annots [ 7 0 R 25 0 R 40 0 R ]');
    const tampered = appendRevision(lta, {
      3: page,
      40: '<< /Type /Annot /Subtype /Text /Rect [ 20 20 40 40 ] /Contents (catatan) /P 3 0 R >>',
    });
    const report = await inspectPdf(tampered);
    assert.deepEqual(verdicts(report), ['modified-after-signing', 'modified-after-signing']);
    for (const s of report.signatures) {
      assert.equal(s.integrity, 'intact');
      assert.equal(s.changesAllowed, false);
      assert.ok(
        s.changes.some((c) => c.kind === 'annotation' && c.object === 40 && !c.allowed && c.action === 'added'),
        JSON.stringify(s.changes),
      );
    }
  });

  it("a page's content replaced in a later revision: modified, page content", async () => {
    const page = objectText(lta, 3).replace('/Contents 4 0 R', '/Contents 41 0 R');
    const content = 'BT /F1 24 Tf 20 60 Td (Dibatalkan) Tj ET';
    const tampered = appendRevision(lta, { 3: page, 41: `<< /Length ${content.length} >>\nstream\n${content}\nendstream` });
    const report = await inspectPdf(tampered);
    assert.deepEqual(verdicts(report), ['modified-after-signing', 'modified-after-signing']);
    assert.ok(report.signatures[0]?.changes.some((c) => c.kind === 'page-content' && c.object === 3 && !c.allowed));
  });

  it('the same content stream rewritten in place (same object number): modified', async () => {
    const content = 'BT /F1 24 Tf 20 60 Td (Dibatalkan) Tj ET';
    const report = await inspectPdf(appendRevision(lta, { 4: `<< /Length ${content.length} >>\nstream\n${content}\nendstream` }));
    assert.deepEqual(verdicts(report), ['modified-after-signing', 'modified-after-signing']);
    assert.ok(report.signatures[0]?.changes.some((c) => c.object === 4 && c.action === 'changed' && !c.allowed));
  });

  it("a page's MediaBox changed (an existing key's value replaced): modified", async () => {
    const pages = objectText(lta, 2).replace('/MediaBox [0 0 300 144]', '/MediaBox [0 0 600 144]');
    const report = await inspectPdf(appendRevision(lta, { 2: pages }));
    assert.deepEqual(verdicts(report), ['modified-after-signing', 'modified-after-signing']);
    assert.ok(report.signatures[0]?.changes.some((c) => c.kind === 'page' && c.object === 2 && !c.allowed));
  });

  it('an annotation removed from its page: modified, the removal named, for the signatures that saw it', async () => {
    // The timestamp's widget came after the first signature: only the document timestamp saw it.
    const withoutStamp = await inspectPdf(appendRevision(lta, { 3: objectText(lta, 3).replace('/Annots [ 7 0 R 25 0 R ]', '/Annots [ 7 0 R ]') }));
    const [sig, stamp] = withoutStamp.signatures;
    assert.equal(sig?.verdict, 'valid-untrusted', 'as of the first signature, the page is as it signed it');
    assert.equal(stamp?.verdict, 'modified-after-signing');
    assert.ok(
      stamp?.changes.some((c) => c.object === 25 && c.action === 'removed' && !c.allowed),
      JSON.stringify(stamp?.changes),
    );
    // The first signature's own widget removed: both saw it.
    const withoutSig = await inspectPdf(appendRevision(lta, { 3: objectText(lta, 3).replace('/Annots [ 7 0 R 25 0 R ]', '/Annots [ 25 0 R ]') }));
    assert.deepEqual(verdicts(withoutSig), ['modified-after-signing', 'modified-after-signing']);
    assert.ok(withoutSig.signatures[0]?.changes.some((c) => c.object === 7 && c.action === 'removed' && !c.allowed));
  });

  it('a field taken out of the form: modified, the field removed', async () => {
    const form = objectText(lta, 6).replace('/Fields [ 7 0 R 25 0 R ]', '/Fields [ 25 0 R ]');
    const report = await inspectPdf(appendRevision(lta, { 6: form }));
    // The form no longer lists the first signature; the document timestamp, which saw it, says it was removed.
    assert.deepEqual(
      report.signatures.map((s) => s.fieldName.slice(0, 9)),
      ['Timestamp'],
    );
    const [stamp] = report.signatures;
    assert.equal(stamp?.verdict, 'modified-after-signing');
    assert.ok(
      stamp?.changes.some((c) => c.kind === 'signature-field' && c.action === 'removed' && c.field === 'Sig1' && !c.allowed),
      JSON.stringify(stamp?.changes),
    );
  });

  it("a signed field's value replaced in a later revision: the signature is modified after signing", async () => {
    // Sig1's /V points to another signature dictionary (the timestamp's, a real signed one).
    const field = objectText(lta, 7).replace('/V 10 0 R', '/V 26 0 R');
    const report = await inspectPdf(appendRevision(lta, { 7: field }));
    const stamp = report.signatures.find((s) => s.kind === 'document-timestamp')!;
    assert.equal(stamp.verdict, 'modified-after-signing');
    assert.ok(stamp.changes.some((c) => c.kind === 'signature-field' && c.object === 7 && !c.allowed));
  });

  it('an object freed in a later revision (the page content): modified, removed', async () => {
    const report = await inspectPdf(appendRevision(lta, { 4: null }));
    assert.deepEqual(verdicts(report), ['modified-after-signing', 'modified-after-signing']);
    assert.ok(report.signatures[0]?.changes.some((c) => c.object === 4 && c.action === 'removed' && !c.allowed));
  });

  it('bytes appended after the last %%EOF: modified (trailing bytes)', async () => {
    const report = await inspectPdf(new Uint8Array(Buffer.concat([lta, Buffer.from('\n% ditambahkan\n1 0 obj << >> endobj\n')])));
    assert.deepEqual(verdicts(report), ['modified-after-signing', 'modified-after-signing']);
    assert.ok(report.signatures[1]?.changes.some((c) => c.kind === 'trailing-bytes'));
  });

  it('an update of LTV material only (a new /DSS certificate): allowed, still valid', async () => {
    const cert = objectText(lta, 12);
    const dss = objectText(lta, 24).replace('/Certs 29 0 R', '/Certs 42 0 R');
    const certs = '[ 12 0 R 13 0 R 14 0 R 15 0 R 18 0 R 43 0 R ]';
    const report = await inspectPdf(appendRevision(lta, { 24: dss, 42: certs, 43: cert }));
    assert.deepEqual(verdicts(report), ['valid-untrusted', 'valid-untrusted']);
    assert.ok(
      report.signatures[1]?.changes.every((c) => c.allowed && c.level === 'lta'),
      JSON.stringify(report.signatures[1]?.changes),
    );
  });

  it('a range that stops inside its own revision: invalid, RANGE_NOT_REVISION_END', async () => {
    // Move the timestamp's claimed end 100 bytes back (same text length: the digits are padded).
    const stamp = original.signatures[1]!;
    const [, a, b, c] = stamp.byteRange!;
    const text = latin1(lta);
    const from = `/ByteRange [ 00000000 ${String(a).padStart(8, '0')} ${String(b).padStart(8, '0')} ${String(c).padStart(8, '0')} ]`;
    assert.ok(text.includes(from));
    const to = `/ByteRange [ 00000000 ${String(a).padStart(8, '0')} ${String(b).padStart(8, '0')} ${String(c! - 100).padStart(8, '0')} ]`;
    const report = await inspectPdf(fromLatin1(text.replace(from, to)));
    const s = report.signatures[1]!;
    assert.equal(s.verdict, 'invalid');
    assert.equal(s.coversRevision, false);
    assert.ok(s.problems.includes('RANGE_NOT_REVISION_END'));
  });
});

describe('hostile structure: bounded work, a report all the same', () => {
  it('a thousand incremental updates after the signatures: each compared with the signed revision, within the budget', { timeout: 120_000 }, async () => {
    let pdf: Uint8Array = new Uint8Array(readFileSync(join(CORPUS, 'files', LTA)));
    // Each update rewrites the document information dictionary (allowed: metadata), a thousand times over.
    for (let i = 0; i < 1000; i++) pdf = appendRevision(pdf, { 50: `<< /Producer (pembaruan ${i}) >>` });
    const report = await inspectPdf(pdf);
    assert.equal(report.status, 'signed');
    assert.equal(report.revisions, 1005);
    for (const s of report.signatures) {
      assert.equal(s.integrity, 'intact');
      // Either judged (only allowed changes: orphaned objects) or given up on within the budget: never a freeze.
      assert.ok(
        s.verdict === 'valid-untrusted' || (s.verdict === 'unknown' && s.problems.includes('CHANGES_NOT_CHECKED')),
        `${s.verdict} ${s.problems.join()}`,
      );
    }
    // With a small budget, the same file is given up on, and says so.
    const small = await inspectPdf(pdf, { workBudget: 50_000 });
    assert.ok(small.status === 'damaged' ? small.error?.code === 'TOO_COMPLEX' : small.signatures.some((s) => s.problems.includes('CHANGES_NOT_CHECKED')));
  });
});

describe('a thousand damaged copies of PAdES-LTA files: always a report, never an exception', () => {
  it('random bytes changed, runs of bytes overwritten, cut short, bytes inserted', { timeout: 600_000 }, async () => {
    const files = [LTA, LTA2].map((f) => new Uint8Array(readFileSync(join(CORPUS, 'files', f))));
    const statuses = new Set<string>();
    const verdictsSeen = new Set<string>();
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('bytes' as const), edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }) }),
      fc.record({
        kind: fc.constant('run' as const),
        at: fc.nat(),
        text: fc.constantFrom('0 0 obj', ' R ', '/ByteRange [', '>>', 'endstream', 'xref\n0 1\n', '%%EOF', '999999999 0 R', '[[[[[[[['),
      }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1 }), damage, async (which, d) => {
        const source = files[which]!;
        let bytes: Uint8Array;
        if (d.kind === 'bytes') {
          bytes = new Uint8Array(source);
          for (const [at, value] of d.edits) bytes[at % bytes.length] = value;
        } else if (d.kind === 'run') {
          bytes = new Uint8Array(source);
          bytes.set(Buffer.from(d.text, 'latin1').subarray(0, Math.max(0, bytes.length - (d.at % bytes.length))), d.at % bytes.length);
        } else if (d.kind === 'cut') {
          bytes = source.subarray(0, d.at % source.length);
        } else {
          const at = d.at % source.length;
          bytes = new Uint8Array(Buffer.concat([source.subarray(0, at), Buffer.alloc(d.length, 0x25), source.subarray(at)]));
        }
        const report = await inspectPdf(bytes); // a rejection fails the property
        statuses.add(report.status);
        assert.ok(['signed', 'no-signature', 'not-a-pdf', 'truncated', 'damaged', 'encrypted'].includes(report.status));
        for (const s of report.signatures) {
          verdictsSeen.add(s.verdict);
          assert.ok(['valid', 'valid-untrusted', 'modified-after-signing', 'invalid', 'unknown'].includes(s.verdict));
        }
      }),
      { numRuns: 1000, seed: 20261203 },
    );
    assert.ok(statuses.has('signed') && statuses.has('truncated'), [...statuses].join());
    assert.ok(verdictsSeen.has('invalid') && verdictsSeen.has('valid-untrusted'), [...verdictsSeen].join());
  });
});
