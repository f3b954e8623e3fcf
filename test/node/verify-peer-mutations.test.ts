// Mutations of real signed files (pyHanko's PAdES-LTA file and its DocMDP /P 1 certified file) that a review
// found reading valid: every one is an incremental update written here, in code (support/incremental-updates.ts).
// - A cross-reference stream that reuses the number of an object the signed revision had (pyHanko's
//   XrefStreamRule explains the number only when it was free): the object's change is reported, not hidden.
// - Objects the signed revision had, rewritten and reached from later, allowed material (a new signature field's
//   appearance, /Lock, a document timestamp's dictionary, the /DSS): pyHanko clears an old object only once every
//   path through which the signed revision used it is cleared, so they are modifications.
// - A new visible signature field after a certification signature (pyHanko's SigFieldCreationRule).
// - Certificates appended to the /DSS in an allowed update (altered copies that do not verify) leave a good
//   signature good: a candidate issuer that does not verify is not the issuer.
// - A signature dictionary written again in a later revision: the one in the revision it signs is checked, and
//   the rewrite is judged as a change.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PdfFile } from '@esign-kit/pdf';
import { inspectPdf, type InspectionReport, type SignatureReport } from '@esign-kit/verify';
import { analyseChanges } from '../../packages/verify/src/changes.js';
import { inflate } from '../../packages/verify/src/inflate.js';
import { Budget, revisionsOf } from '../../packages/verify/src/revisions.js';
import { appendRevision, appendXrefStreamRevision, objectText, streamBytes, streamObject } from './support/incremental-updates.js';

const CORPUS = fileURLToPath(new URL('../corpus/verify-peer/', import.meta.url));
const PYHANKO = 'pyhanko/internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__';
const load = (name: string) => new Uint8Array(readFileSync(join(CORPUS, 'files', `${PYHANKO}${name}.pdf`)));
const pyhankoRoot = readFileSync(join(CORPUS, 'roots/pyhanko.pem'), 'utf8');
/** The certified file's certificate expired long ago: judge it when it was valid, so that only changes matter. */
const WHEN_CERTIFIED_VALID = { validationTime: new Date('2020-12-01T00:00:00Z') };

const CANCELLED = 'BT /F1 24 Tf 20 60 Td (Dibatalkan) Tj ET';
const verdicts = (r: InspectionReport) => r.signatures.map((s) => s.verdict);
const changeOf = (s: SignatureReport | undefined, object: number) => s?.changes.find((c) => c.object === object);

/** Every signature reads modified after signing, and object `object` is named as a change it does not allow. */
function assertModified(report: InspectionReport, object: number, count: number): void {
  assert.deepEqual(verdicts(report), Array(count).fill('modified-after-signing'), JSON.stringify(report.signatures.map((s) => s.problems)));
  for (const s of report.signatures) {
    const change = changeOf(s, object);
    assert.ok(change && !change.allowed && change.replaced, `${s.fieldName}: object ${object} named, not allowed: ${JSON.stringify(s.changes)}`);
    assert.equal(s.changesAllowed, false);
  }
}

describe('a cross-reference stream reusing an object number of the signed revision', () => {
  let lta: Uint8Array;
  let certified: Uint8Array;
  before(() => {
    lta = load('pades-lta-dss-indirect-arrs-test');
    certified = load('certified-with-indirect-refs-in-dir');
  });

  it('control: a fresh number for the stream, the page content replaced: modified, the content named', async () => {
    const report = await inspectPdf(appendXrefStreamRevision(lta, { 4: streamObject(CANCELLED) }, 60, true));
    assertModified(report, 4, 2);
    // The cross-reference stream itself is structure: not reported.
    assert.ok(report.signatures.every((s) => !changeOf(s, 60)));
  });

  it('control: LTV material in a cross-reference-stream update (a fresh number) stays allowed', async () => {
    const dss = objectText(lta, 24).replace('/Certs 29 0 R', '/Certs 42 0 R');
    const update = { 24: dss, 42: '[ 12 0 R 13 0 R 14 0 R 15 0 R 18 0 R 43 0 R ]', 43: streamObject(streamBytes(lta, 12)) };
    const report = await inspectPdf(appendXrefStreamRevision(lta, update, 60, true));
    assert.deepEqual(verdicts(report), ['valid-untrusted', 'valid-untrusted']);
    assert.ok(
      report.signatures[1]!.changes.every((c) => c.allowed && c.level === 'lta'),
      JSON.stringify(report.signatures[1]!.changes),
    );
  });

  it('the stream numbered 4 while its entry for 4 points to new page content: modified, object 4 named', async () => {
    assertModified(await inspectPdf(appendXrefStreamRevision(lta, { 4: streamObject(CANCELLED) }, 4)), 4, 2);
  });

  it('the stream numbered 4 and listed as 4 (the page content replaced by the stream itself): modified', async () => {
    assertModified(await inspectPdf(appendXrefStreamRevision(lta, { 4: streamObject(CANCELLED) }, 4, true)), 4, 2);
  });

  it('the same on the DocMDP /P 1 certified file: modified, not "no changes"', async () => {
    assertModified(await inspectPdf(appendXrefStreamRevision(certified, { 4: streamObject(CANCELLED) }, 4), WHEN_CERTIFIED_VALID), 4, 1);
  });
});

describe('objects of the signed revision are never explained by later, allowed material', () => {
  let lta: Uint8Array;
  let certified: Uint8Array;
  /** A new signature field 40 on the LTA file's page 3, with the given keys and extra objects. */
  let withField: (fieldKeys: string, extra: Record<number, string>) => Uint8Array;
  before(() => {
    lta = load('pades-lta-dss-indirect-arrs-test');
    certified = load('certified-with-indirect-refs-in-dir');
    const form = objectText(lta, 6).replace('/Fields [ 7 0 R 25 0 R ]', '/Fields [ 7 0 R 25 0 R 40 0 R ]');
    const page = objectText(lta, 3).replace('/Annots [ 7 0 R 25 0 R ]', '/Annots [ 7 0 R 25 0 R 40 0 R ]');
    withField = (fieldKeys, extra) =>
      appendRevision(lta, { 3: page, 6: form, 40: `<< /FT /Sig /T (Sig9) /Type /Annot /Subtype /Widget /P 3 0 R ${fieldKeys} >>`, ...extra });
  });

  it('control: a new visible signature field with its own new appearance stream is allowed', async () => {
    const report = await inspectPdf(
      withField('/Rect [0 0 10 10] /AP << /N 41 0 R >>', { 41: streamObject('', '/Type /XObject /Subtype /Form /BBox [0 0 10 10] ') }),
    );
    assert.deepEqual(verdicts(report).slice(0, 2), ['valid-untrusted', 'valid-untrusted']);
  });

  it("a new field's appearance uses the rewritten page content as an XObject: modified, object 4 named", async () => {
    const report = await inspectPdf(
      withField('/Rect [0 0 10 10] /AP << /N 41 0 R >>', {
        4: streamObject(CANCELLED),
        41: streamObject('', '/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 4 0 R >> >> '),
      }),
    );
    assertModified(report, 4, 2);
  });

  it("a new field's value is a /DocTimeStamp dictionary pointing at the rewritten page content: modified", async () => {
    const report = await inspectPdf(withField('/Rect [0 0 0 0] /V 41 0 R', { 4: streamObject(CANCELLED), 41: '<< /Type /DocTimeStamp /X 4 0 R >>' }));
    for (const s of report.signatures.slice(0, 2)) {
      assert.equal(s.verdict, 'modified-after-signing');
      assert.ok(changeOf(s, 4) && !changeOf(s, 4)!.allowed, JSON.stringify(s.changes));
    }
  });

  it("a new field's /Lock is the rewritten page content: modified", async () => {
    assertModified(await inspectPdf(withField('/Rect [0 0 0 0] /Lock 4 0 R', { 4: streamObject(CANCELLED) })), 4, 2);
  });

  it('the /DSS lists the rewritten page content as a certificate: modified', async () => {
    const dss = objectText(lta, 24).replace('/Certs 29 0 R', '/Certs [ 12 0 R 4 0 R ]');
    assertModified(await inspectPdf(appendRevision(lta, { 24: dss, 4: streamObject(CANCELLED) })), 4, 2);
  });

  it('DocMDP /P 1: a /DocTimeStamp-typed value pointing at the rewritten content is a modification', async () => {
    const form = objectText(certified, 6).replace('/Fields [ 7 0 R ]', '/Fields [ 7 0 R 40 0 R ]');
    const page = objectText(certified, 3).replace('/Annots [ 7 0 R ]', '/Annots [ 7 0 R 40 0 R ]');
    const tampered = appendRevision(certified, {
      3: page,
      6: form,
      4: streamObject(CANCELLED),
      40: '<< /FT /Sig /T (TS) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 41 0 R >>',
      41: '<< /Type /DocTimeStamp /X 4 0 R >>',
    });
    const [s] = (await inspectPdf(tampered, WHEN_CERTIFIED_VALID)).signatures;
    assert.equal(s?.verdict, 'modified-after-signing');
    assert.ok(changeOf(s, 4) && !changeOf(s, 4)!.allowed, JSON.stringify(s?.changes));
  });

  it('DocMDP /P 1: a catalog /DSS whose /Certs is the rewritten content: modified', async () => {
    const root = objectText(certified, 1).replace('/AcroForm 6 0 R', '/AcroForm 6 0 R /DSS << /Certs [4 0 R] >>');
    assertModified(await inspectPdf(appendRevision(certified, { 1: root, 4: streamObject(CANCELLED) }), WHEN_CERTIFIED_VALID), 4, 1);
  });
});

describe("a new visible signature field after a certification signature (pyHanko's SigFieldCreationRule)", () => {
  let certified: Uint8Array;
  let judge: (rect: string, docMdp: 1 | 2 | 3 | undefined) => ReturnType<typeof analyseChanges>;
  before(() => {
    certified = load('certified-with-indirect-refs-in-dir');
    const form = objectText(certified, 6).replace('/Fields [ 7 0 R ]', '/Fields [ 7 0 R 40 0 R ]');
    const page = objectText(certified, 3).replace('/Annots [ 7 0 R ]', '/Annots [ 7 0 R 40 0 R ]');
    judge = async (rect, docMdp) => {
      const pdf = appendRevision(certified, { 6: form, 3: page, 40: `<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect ${rect} /P 3 0 R >>` });
      const file = await PdfFile.open(pdf, inflate);
      const revisions = revisionsOf(file, new Budget(1e6))!;
      return analyseChanges(file, revisions, revisions.length - 2, docMdp ? { docMdp } : {}, new Budget(1e6));
    };
  });

  it('certified with /P 2 (form filling and signing): a visible one is not allowed, an invisible one is', async () => {
    const visible = await judge('[0 0 50 20]', 2);
    assert.equal(visible.allowed, false);
    assert.ok(
      visible.changes.some((c) => c.object === 40 && c.kind === 'signature-field' && !c.allowed),
      JSON.stringify(visible.changes),
    );
    assert.equal((await judge('[0 0 0 0]', 2)).allowed, true);
  });

  it('after an approval signature (no DocMDP), a visible one is allowed', async () => {
    assert.equal((await judge('[0 0 50 20]', undefined)).allowed, true);
  });
});

describe('certificates appended to the /DSS in an allowed update leave a good signature good', () => {
  it('17 altered copies of each DSS certificate listed first: still valid (untrusted without roots, trusted with)', async () => {
    const lta = load('pades-lta-dss-indirect-arrs-test');
    for (const num of [12, 13, 14, 15, 18]) {
      const der = streamBytes(lta, num);
      const objects: Record<number, string> = {};
      const refs: string[] = [];
      for (let i = 0; i < 17; i++) {
        const altered = Buffer.from(der);
        altered[altered.length - 1 - i]! ^= 1; // in the signature value: parses, does not verify
        objects[100 + i] = streamObject(altered);
        refs.push(`${100 + i} 0 R`);
      }
      objects[200] = `[ ${refs.join(' ')} 12 0 R 13 0 R 14 0 R 15 0 R 18 0 R ]`;
      objects[24] = objectText(lta, 24).replace('/Certs 29 0 R', '/Certs 200 0 R');
      const tampered = appendRevision(lta, objects);
      const untrusted = await inspectPdf(tampered);
      assert.deepEqual(
        untrusted.signatures.map((s) => `${s.verdict} ${s.trust.reason}`),
        ['valid-untrusted NO_TRUSTED_ROOTS', 'valid-untrusted NO_TRUSTED_ROOTS'],
        `copies of object ${num}`,
      );
      const trusted = await inspectPdf(tampered, { trustedRoots: [pyhankoRoot] });
      assert.deepEqual(verdicts(trusted), ['valid', 'valid'], `copies of object ${num}: ${trusted.signatures.map((s) => s.trust.reason)}`);
    }
  });
});

describe('a signature dictionary written again in a later revision', () => {
  it('identical: the signature is checked from the revision it signs, and the rewrite is no change', async () => {
    const lta = load('pades-lta-dss-indirect-arrs-test');
    const report = await inspectPdf(appendRevision(lta, { 10: objectText(lta, 10) }));
    assert.deepEqual(verdicts(report), ['valid-untrusted', 'valid-untrusted'], JSON.stringify(report.signatures.map((s) => s.problems)));
  });

  it('with another signing time: modified after signing (not a broken range), the signed time reported', async () => {
    const lta = load('pades-lta-dss-indirect-arrs-test');
    const rewritten = objectText(lta, 10).replace('/M (D\\07220201101010000\\05301\\04700\\047)', '/M (D:20251231000000Z)');
    assert.notEqual(rewritten, objectText(lta, 10));
    const report = await inspectPdf(appendRevision(lta, { 10: rewritten }));
    const [sig] = report.signatures;
    assert.equal(sig?.verdict, 'modified-after-signing', sig?.problems.join());
    assert.equal(sig?.integrity, 'intact');
    assert.ok(changeOf(sig, 10) && !changeOf(sig, 10)!.allowed, JSON.stringify(sig?.changes));
    assert.equal(sig?.signingTime.dictionary?.toISOString(), '2020-11-01T00:00:00.000Z');
  });
});
