// @esign-kit/verify against signatures the world made: the public test data of pyHanko and pdf.js
// (test/corpus/verify-peer, copied from /work/shared/corpus), judged by its truth.json — adjudicated with
// openssl and independent scripts, not with this code (see its README). Every truth check holds: the signature
// count and kind, the signer, whether the signed bytes verify, whether the range covers its revision, and whether
// what came after it was allowed. Then the long-term-validation files: document timestamps and PAdES-LTA
// signatures read valid (untrusted without roots), with their level.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inspectPdf, type InspectionReport, type SignatureReport } from '@esign-kit/verify';

const CORPUS = fileURLToPath(new URL('../corpus/verify-peer/', import.meta.url));

interface TruthSignature {
  field: string;
  index: number;
  byteRange: number[];
  kind: 'cms' | 'doc-timestamp';
  subFilter: string;
  intact: boolean | null;
  coversRevision: boolean | null;
  laterChangesAllowed: boolean | null;
  signerCN: string | null;
}
interface TruthFile {
  file: string;
  origin: 'pyhanko' | 'pdfjs';
  status: string;
  acceptStatus: string[];
  password?: string;
  signatures: TruthSignature[];
}
const truth = JSON.parse(readFileSync(join(CORPUS, 'truth.json'), 'utf8')) as { files: TruthFile[] };
const pyhankoRoot = readFileSync(join(CORPUS, 'roots/pyhanko.pem'), 'utf8');
const bytesOf = (file: string) => new Uint8Array(readFileSync(join(CORPUS, 'files', file)));
const short = (file: string) => file.split('__').pop()!;

/** What the README says a verifier must answer, for one signature. */
function assertTruth(where: string, s: SignatureReport, t: TruthSignature): void {
  assert.equal(s.fieldName, t.field, `${where}: field name`);
  assert.deepEqual(s.byteRange, t.byteRange, `${where}: byte range`);
  assert.equal(s.kind, t.kind === 'doc-timestamp' ? 'document-timestamp' : 'signature', `${where}: kind`);
  assert.equal(s.subFilter, t.subFilter, `${where}: SubFilter`);
  if (t.signerCN !== null) assert.equal(s.signer?.subject.commonName, t.signerCN, `${where}: signer`);
  // intact ⇒ not invalid for its bytes; not intact ⇒ invalid.
  if (t.intact === true) assert.notEqual(s.integrity, 'broken', `${where}: the signed bytes verify (${s.problems.join(', ')})`);
  if (t.intact === false) assert.equal(s.verdict, 'invalid', `${where}: the signed bytes do not verify`);
  if (t.coversRevision !== null) assert.equal(s.coversRevision, t.coversRevision, `${where}: covers its revision (${s.problems.join(', ')})`);
  if (t.coversRevision === false)
    assert.ok(
      s.problems.includes('RANGE_NOT_REVISION_END') || s.problems.includes('BYTE_RANGE_NOT_CONTENTS') || s.problems.includes('BYTE_RANGE_INVALID'),
      `${where}: a coverage problem is named`,
    );
  if (t.laterChangesAllowed !== null && s.coversRevision) {
    const disallowed = s.changes.filter((c) => !c.allowed).map((c) => `${c.kind}#${c.object ?? ''} ${c.action ?? ''}`);
    assert.equal(s.changesAllowed, t.laterChangesAllowed, `${where}: later changes allowed (disallowed: ${disallowed.join('; ') || 'none'})`);
  }
  if (t.intact === true && t.coversRevision === true && t.laterChangesAllowed === true) {
    assert.notEqual(s.verdict, 'modified-after-signing', `${where}: not modified after signing`);
    assert.ok(!s.problems.includes('MODIFIED_AFTER_SIGNING'), `${where}: no MODIFIED_AFTER_SIGNING`);
  }
  if (t.coversRevision === false || t.laterChangesAllowed === false) {
    assert.ok(s.verdict === 'invalid' || s.verdict === 'modified-after-signing', `${where}: invalid or modified after signing, not ${s.verdict}`);
  }
}

describe('@esign-kit/verify on real signed PDFs (pyHanko and pdf.js test data), against their truth', () => {
  before(async () => {
    // One inspection first: the 2-second bound below is per file, not for loading pkijs and warming the JIT.
    await inspectPdf(bytesOf(truth.files[0]!.file));
  });

  for (const f of truth.files) {
    it(`${f.origin}/${short(f.file)}: ${f.signatures.length} signature(s), as its truth says`, { timeout: 2000 }, async () => {
      const report = await inspectPdf(bytesOf(f.file), {
        trustedRoots: f.origin === 'pyhanko' ? [pyhankoRoot] : [],
        ...(f.password ? { password: f.password } : {}),
      });
      assert.ok(f.acceptStatus.includes(report.status), `status ${report.status} (${report.error?.code ?? ''}) is one of ${f.acceptStatus.join(', ')}`);
      assert.equal(report.signatures.length, f.signatures.length, 'signature count');
      f.signatures.forEach((t, i) => assertTruth(`${short(f.file)} #${i} ${t.field}`, report.signatures[i]!, t));
    });
  }

  it('the counts behind the suite: every truth value is checked somewhere', () => {
    const all = truth.files.flatMap((f) => f.signatures);
    assert.equal(truth.files.length, 43);
    assert.equal(all.length, 60);
    assert.ok(all.some((s) => s.kind === 'doc-timestamp'));
    for (const key of ['intact', 'coversRevision', 'laterChangesAllowed'] as const) {
      assert.ok(all.some((s) => s[key] === true) && all.some((s) => s[key] === false), `${key} has both answers`);
    }
  });
});

describe('long-term validation: document timestamps and PAdES-LTA files', () => {
  const lta = truth.files.filter((f) => /pades-lta/.test(f.file));
  let reports: { file: TruthFile; trusted: InspectionReport; untrusted: InspectionReport }[];
  before(async () => {
    reports = [];
    for (const file of lta) {
      const bytes = bytesOf(file.file);
      reports.push({ file, trusted: await inspectPdf(bytes, { trustedRoots: [pyhankoRoot] }), untrusted: await inspectPdf(bytes) });
    }
  });

  it('a document timestamp is verified as a timestamp: its imprint is the digest of the signed bytes, the TSA signed it', () => {
    for (const { file, untrusted } of reports) {
      const stamp = untrusted.signatures.find((s) => s.kind === 'document-timestamp');
      assert.ok(stamp, short(file.file));
      assert.equal(stamp.integrity, 'intact');
      assert.equal(stamp.digest.matches, true);
      assert.equal(stamp.digest.computed, stamp.digest.signed, 'imprint = digest of the ranges');
      assert.equal(stamp.timestamp?.imprintMatches, true);
      assert.equal(stamp.timestamp?.signatureValid, true);
      assert.equal(stamp.signer?.subject.commonName, 'Time Stamping Authority');
      assert.ok(stamp.timestamp?.time instanceof Date);
      assert.equal(stamp.verdict, 'valid-untrusted', 'valid, untrusted without roots');
    }
  });

  it('PAdES-LTA: the signature before the document timestamp is B-LTA, one after it B-LT; valid (untrusted without roots)', () => {
    for (const { file, untrusted, trusted } of reports) {
      const [sig1] = untrusted.signatures;
      assert.equal(sig1?.level, 'B-LTA', short(file.file));
      assert.equal(sig1?.verdict, 'valid-untrusted');
      assert.equal(sig1?.changesAllowed, true);
      assert.ok(
        sig1?.changes.some((c) => c.kind === 'dss' && c.allowed),
        'the /DSS was added after it, and allowed',
      );
      assert.ok(
        sig1?.changes.some((c) => c.kind === 'document-timestamp' && c.allowed),
        'a document timestamp was added after it',
      );
      assert.ok(sig1?.changes.every((c) => c.level === 'lta' || c.level === 'form-filling'));
      // With pyHanko's root trusted: the chain has expired now, so it is checked at the time the signature
      // timestamp proves, with the OCSP response and CRL in the /DSS.
      const t1 = trusted.signatures[0]!;
      assert.equal(t1.verdict, 'valid');
      assert.equal(t1.ltv?.longTerm, true);
      assert.deepEqual(t1.ltv?.missing, []);
      assert.ok(
        t1.ltv?.chain.length && t1.ltv.chain.every((c) => c.status === 'good' || c.status === 'trust-anchor'),
        JSON.stringify(t1.ltv?.chain.map((c) => c.status)),
      );
      assert.ok(t1.ltv?.chain.some((c) => c.via === 'ocsp' && c.source === 'dss') || t1.ltv?.chain.some((c) => c.via === 'crl' && c.source === 'dss'));
      if (untrusted.signatures.length === 3) {
        assert.equal(untrusted.signatures[2]?.level, 'B-LT', 'Sig2 comes after the document timestamp');
        assert.equal(untrusted.signatures[2]?.verdict, 'valid-untrusted');
      }
    }
  });

  it('revocation data counts only when fresh: past the CRL’s nextUpdate, and issued before the proof of existence, it proves nothing', async () => {
    // The intermediate CA's CRL in the /DSS was issued 2020-09-12 (before the signature timestamp, 2020-11-01) and
    // expired 2020-12-11: at 2021-06-01 it no longer says "not revoked". Alice's OCSP response was produced at the
    // time the timestamp proves, so it still counts (issued after the proof of existence).
    for (const { file } of reports) {
      const [s] = (await inspectPdf(bytesOf(file.file), { trustedRoots: [pyhankoRoot], validationTime: new Date('2021-06-01T00:00:00Z') })).signatures;
      const status = Object.fromEntries(s!.ltv!.chain.map((c) => [c.certificate.subject.commonName, c.status]));
      assert.deepEqual(status, { Alice: 'good', 'Intermediate CA': 'unknown', 'Root CA': 'trust-anchor' }, short(file.file));
      assert.equal(s!.ltv!.longTerm, false);
      assert.deepEqual(s!.ltv!.missing, ['revocation-data']);
      assert.equal(s!.level, 'B-T', 'no revocation data for the whole chain: not B-LT or B-LTA');
    }
  });

  it('the level agrees with the long-term validation data: B-T and above only when a timestamp proves the time', async () => {
    const levels = new Set<string>();
    for (const f of truth.files) {
      for (const trustedRoots of [[pyhankoRoot], []]) {
        const report = await inspectPdf(bytesOf(f.file), { trustedRoots, ...(f.password ? { password: f.password } : {}) });
        for (const s of report.signatures) {
          if (!s.level) continue;
          levels.add(s.level);
          if (s.level === 'B-B') continue;
          const where = `${short(f.file)} ${s.fieldName} (${trustedRoots.length ? 'root trusted' : 'no roots'})`;
          assert.ok(s.ltv && !s.ltv.missing.includes('timestamp') && s.ltv.provedAt, `${where}: ${s.level} but ltv.missing is ${s.ltv?.missing}`);
          if (s.level !== 'B-T')
            assert.deepEqual(
              s.ltv.missing.filter((m) => m !== 'timestamp'),
              [],
              `${where}: ${s.level} with ${s.ltv.missing}`,
            );
        }
      }
    }
    assert.deepEqual([...levels].sort(), ['B-B', 'B-LT', 'B-LTA'], 'the corpus has every level but B-T (which the freshness test above reaches)');
  });

  it('a B-B signature whose certificate has expired is invalid now, and says what long-term validation lacks', async () => {
    const f = truth.files.find((x) => x.file.endsWith('sig-with-ski-sid.pdf'))!;
    const [s] = (await inspectPdf(bytesOf(f.file), { trustedRoots: [pyhankoRoot] })).signatures;
    assert.equal(s?.level, 'B-B');
    assert.equal(s?.integrity, 'intact');
    assert.equal(s?.trust.reason, 'CERTIFICATE_EXPIRED');
    assert.equal(s?.ltv?.longTerm, false);
    assert.ok(s?.ltv?.missing.includes('timestamp'));
  });

  it('an algorithm WebCrypto lacks is "cannot be checked", never invalid; Ed448 over SHAKE256 is checked where the platform has Ed448', async () => {
    const f = truth.files.find((x) => x.file.endsWith('ed448-shake256-nolen.pdf'))!;
    const [s] = (await inspectPdf(bytesOf(f.file))).signatures;
    assert.equal(s?.digest.algorithm, 'SHAKE256');
    assert.equal(s?.digest.matches, true);
    // Node's WebCrypto has Ed448: the signature verifies.
    assert.equal(s?.integrity, 'intact');
    assert.equal(s?.signatureAlgorithm, 'Ed448');
  });
});
