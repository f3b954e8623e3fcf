// <esign-verify>'s pure parts: the comparison of the local report with the provider's (which signatures pair
// up, which verdicts and facts differ) and the sentences that describe each difference and each verdict.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InspectionReport, SignatureReport } from '@esign-kit/verify';
import {
  compareReports,
  localConclusion,
  matchSignatures,
  providerVerdict,
  type ProviderReport,
  type ProviderSignature,
} from '../../packages/elements/src/verify/compare.js';
import { VERIFY_STRINGS, reasonsFor } from '../../packages/elements/src/verify/strings.js';

type Overrides = Partial<Omit<SignatureReport, 'signer'>> & { signer?: string };

function sig(index: number, o: Overrides = {}): SignatureReport {
  const { signer, ...rest } = o;
  const name = signer ?? 'Budi Santoso';
  const dn = (cn: string) => ({ text: `CN=${cn}`, commonName: cn, attributes: { CN: cn } });
  const s: SignatureReport = {
    index,
    fieldName: `Signature${index + 1}`,
    kind: 'signature',
    coversWholeFile: true,
    coversRevision: true,
    modifiedAfter: false,
    integrity: 'intact',
    changes: [],
    digest: { algorithm: 'SHA-256', matches: true },
    signatureValid: true,
    signer: {
      subject: dn(name),
      issuer: dn('esign-kit Sandbox Signing CA'),
      serialNumber: '01',
      notBefore: new Date('2026-01-01'),
      notAfter: new Date('2031-01-01'),
      isCa: false,
      selfSigned: false,
      fingerprint: '00',
      der: new Uint8Array(),
    },
    chain: [],
    signingTime: {},
    trust: { status: 'trusted', reason: 'CHAIN_TO_TRUSTED_ROOT' },
    verdict: 'valid',
    problems: [],
    ...rest,
  };
  return s;
}

const untrusted: Overrides = { trust: { status: 'untrusted', reason: 'NO_TRUSTED_ROOTS' }, verdict: 'valid-untrusted', problems: ['NO_TRUSTED_ROOTS'] };
const tampered: Overrides = { digest: { algorithm: 'SHA-256', matches: false }, integrity: 'broken', verdict: 'invalid', problems: ['DIGEST_MISMATCH'] };
const appended: Overrides = {
  coversWholeFile: false,
  modifiedAfter: true,
  changes: [{ kind: 'trailing-bytes', replaced: false, allowed: false }],
  verdict: 'modified-after-signing',
  problems: ['NOT_TOTAL_DOCUMENT', 'MODIFIED_AFTER_SIGNING'],
};

function local(...signatures: SignatureReport[]): InspectionReport {
  return { status: signatures.length ? 'signed' : 'no-signature', fileSize: 1000, revisions: 1, encrypted: false, signatures };
}

function provider(signatures: ProviderSignature[], extra: Partial<ProviderReport> = {}): ProviderReport {
  const conclusion =
    signatures.length === 0
      ? 'no-signature'
      : signatures.some((s) => s.integrity === false)
        ? 'invalid'
        : signatures.every((s) => s.trusted)
          ? 'valid'
          : 'valid-untrusted';
  return { provider: 'bsre', api: 'v2', conclusion, signatureCount: signatures.length, signatures, notes: [], raw: {}, ...extra };
}

const ok = (field = 'Signature1', signer = 'Budi Santoso'): ProviderSignature => ({ field, signer, integrity: true, trusted: true });

describe('<esign-verify>: local against provider', () => {
  it('the same verdicts: no disagreement', () => {
    assert.deepEqual(compareReports(local(sig(0)), provider([ok()])), []);
    assert.deepEqual(compareReports(local(sig(0, tampered)), provider([{ ...ok(), integrity: false }])), []);
    assert.deepEqual(compareReports(local(sig(0, untrusted)), provider([{ ...ok(), trusted: false }])), []);
    assert.deepEqual(compareReports(local(), provider([])), []);
  });

  it('the provider trusts what the local check does not: a verdict disagreement about trust', () => {
    assert.deepEqual(compareReports(local(sig(0, untrusted)), provider([ok()])), [
      { kind: 'verdict', index: 0, field: 'Signature1', providerIndex: 0, local: 'valid-untrusted', provider: 'valid', facts: ['trust'] },
    ]);
  });

  it('bytes after signing that the provider does not report; a digest the provider calls intact', () => {
    assert.deepEqual(compareReports(local(sig(0, appended)), provider([ok()])), [
      {
        kind: 'verdict',
        index: 0,
        field: 'Signature1',
        providerIndex: 0,
        local: 'modified-after-signing',
        provider: 'valid',
        facts: ['changes-after-signing'],
      },
    ]);
    assert.deepEqual(compareReports(local(sig(0, tampered)), provider([ok()])), [
      { kind: 'verdict', index: 0, field: 'Signature1', providerIndex: 0, local: 'invalid', provider: 'valid', facts: ['integrity'] },
    ]);
    assert.deepEqual(compareReports(local(sig(0, appended)), provider([{ ...ok(), integrity: false }])), [
      { kind: 'verdict', index: 0, field: 'Signature1', providerIndex: 0, local: 'modified-after-signing', provider: 'invalid', facts: ['integrity'] },
    ]);
  });

  it('an expired certificate (invalid locally, intact) against a provider that trusts it: a trust fact', () => {
    const expired = sig(0, { trust: { status: 'invalid', reason: 'CERTIFICATE_EXPIRED' }, verdict: 'invalid', problems: ['CERTIFICATE_EXPIRED'] });
    assert.deepEqual(compareReports(local(expired), provider([ok()]))[0], {
      kind: 'verdict',
      index: 0,
      field: 'Signature1',
      providerIndex: 0,
      local: 'invalid',
      provider: 'valid',
      facts: ['trust'],
    });
  });

  it('signed against unsigned, both ways: one conclusion disagreement', () => {
    assert.deepEqual(compareReports(local(), provider([ok()])), [{ kind: 'conclusion', local: 'no-signature', provider: 'valid' }]);
    assert.deepEqual(compareReports(local(sig(0)), provider([])), [{ kind: 'conclusion', local: 'valid', provider: 'no-signature' }]);
  });

  it('a count mismatch names the signature only one side found', () => {
    const two = local(sig(0), sig(1, { fieldName: 'Saksi', signer: 'Siti Aminah' }));
    assert.deepEqual(compareReports(two, provider([ok()])), [
      { kind: 'count', local: 2, provider: 1 },
      { kind: 'unmatched', side: 'local', index: 1, field: 'Saksi', signer: 'Siti Aminah' },
    ]);
    assert.deepEqual(compareReports(local(sig(0)), provider([ok(), ok('Extra', 'Someone')])), [
      { kind: 'count', local: 1, provider: 2 },
      { kind: 'unmatched', side: 'provider', index: 1, field: 'Extra', signer: 'Someone' },
    ]);
    // Declared more than described (BSrE's count and its list disagree): the count says so.
    assert.deepEqual(compareReports(local(sig(0)), provider([ok()], { signatureCount: 2 })), [{ kind: 'count', local: 1, provider: 2 }]);
  });

  it('another signer name for the same field', () => {
    assert.deepEqual(compareReports(local(sig(0)), provider([ok('Signature1', 'Budi  santoso')])), [], 'spacing and case do not count');
    assert.deepEqual(compareReports(local(sig(0)), provider([ok('Signature1', 'Citra Lestari')])), [
      { kind: 'signer', index: 0, field: 'Signature1', providerIndex: 0, local: 'Budi Santoso', provider: 'Citra Lestari' },
    ]);
  });

  it('what the provider does not say is not a disagreement', () => {
    assert.deepEqual(compareReports(local(sig(0, tampered)), provider([{ field: 'Signature1' }], { conclusion: 'unknown' })), []);
    assert.deepEqual(
      compareReports(local(sig(0)), { provider: 'bsre', api: 'v2', conclusion: 'unknown', signatureCount: 0, signatures: [], notes: [], raw: {} }),
      [],
    );
    assert.equal(providerVerdict({}), 'unknown');
    assert.equal(providerVerdict({ integrity: true }), 'valid-untrusted');
    assert.equal(providerVerdict({ integrity: false, trusted: true }), 'invalid');
  });

  it('pairs by field name, then by a unique signer, then in order', () => {
    const mine = [sig(0, { fieldName: 'A', signer: 'Ani' }), sig(1, { fieldName: 'B', signer: 'Budi' }), sig(2, { fieldName: 'C', signer: 'Citra' })];
    assert.deepEqual(matchSignatures(mine, [{ field: 'C' }, { field: 'A' }, { field: 'B' }]), [
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    assert.deepEqual(matchSignatures(mine, [{ signer: 'Citra' }, { signer: 'Ani' }, { signer: 'Budi' }]), [
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    assert.deepEqual(matchSignatures(mine, [{ field: 'x1' }, { field: 'x2' }]), [
      [0, 0],
      [1, 1],
    ]);
  });

  it('the local conclusion is the worst verdict; bad input has none', () => {
    assert.equal(localConclusion(local(sig(0), sig(1, untrusted))), 'valid-untrusted');
    assert.equal(localConclusion(local(sig(0, appended), sig(1, untrusted))), 'modified-after-signing');
    assert.equal(localConclusion(local(sig(0, appended), sig(1, tampered))), 'invalid');
    assert.equal(localConclusion(local()), 'no-signature');
    assert.equal(localConclusion({ status: 'not-a-pdf', fileSize: 3, revisions: 0, encrypted: false, signatures: [] }), null);
    assert.deepEqual(compareReports({ status: 'truncated', fileSize: 3, revisions: 0, encrypted: false, signatures: [] }, provider([ok()])), []);
  });

  it("'cannot be checked' ranks below a finding and above a clean result, and is no disagreement with the provider", () => {
    const unknown = sig(0, { integrity: 'unknown', signatureValid: false, verdict: 'unknown', problems: ['ALGORITHM_UNSUPPORTED'] });
    assert.equal(localConclusion(local(sig(1), unknown)), 'unknown');
    assert.equal(localConclusion(local(sig(1, appended), unknown)), 'modified-after-signing');
    assert.equal(localConclusion(local(sig(1, tampered), unknown)), 'invalid');
    // BSrE says valid; the local check cannot say: BSrE's word is shown, nothing is claimed against it.
    assert.deepEqual(compareReports(local(unknown), provider([ok()])), []);
    assert.deepEqual(compareReports(local(unknown), provider([{ ...ok(), integrity: false }])), []);
  });
});

describe('<esign-verify>: sentences', () => {
  const { en, id } = VERIFY_STRINGS;

  it('a disagreement in English and Indonesian, with the facts behind it', () => {
    const [d] = compareReports(local(sig(0, appended)), provider([ok()]));
    assert.equal(
      en.disagreement(d!, 'BSrE'),
      'Signature 1 (Signature1): BSrE says valid, the local check says modified after signing (the provider does not report the changes made after signing).',
    );
    assert.equal(
      id.disagreement(d!, 'BSrE'),
      'Tanda tangan 1 (Signature1): menurut BSrE sah, menurut pemeriksaan lokal diubah setelah ditandatangani (penyedia tidak melaporkan perubahan setelah penandatanganan).',
    );
    const [c] = compareReports(local(), provider([ok()]));
    assert.equal(en.disagreement(c!, 'BSrE'), 'BSrE says the document is valid, the local check says it is not signed.');
    const [n] = compareReports(local(sig(0), sig(1)), provider([ok()]));
    assert.equal(en.disagreement(n!, 'BSrE'), 'BSrE counts 1 signature, the local check 2.');
  });

  it('every verdict has a plain reason; untrusted is told apart from invalid', () => {
    assert.deepEqual(reasonsFor(sig(0), en), ['The signature is valid and the certificate comes from a trusted authority.']);
    assert.deepEqual(reasonsFor(sig(0, untrusted), en), [
      'The signature is intact, but the certificate is not from a trusted authority.',
      'No trusted root certificates were given, so no certificate can be trusted.',
    ]);
    assert.deepEqual(reasonsFor(sig(0, tampered), en), ['The document was changed after it was signed.']);
    assert.deepEqual(reasonsFor(sig(0, tampered), id), ['Dokumen diubah setelah ditandatangani.']);
    assert.deepEqual(reasonsFor(sig(0, { ...appended, trust: { status: 'untrusted', reason: 'ROOT_NOT_TRUSTED' } }), en), [
      'The document was changed after it was signed, in a way the signature does not allow; the signed version itself is intact.',
      'Added, changed or removed after signing: bytes after the end of the file.',
      'The authority that issued the certificate is not in the trusted list.',
    ]);
    const expired = sig(0, { trust: { status: 'invalid', reason: 'CERTIFICATE_EXPIRED' }, verdict: 'invalid', problems: ['CERTIFICATE_EXPIRED'] });
    assert.deepEqual(reasonsFor(expired, en), ['A certificate in the chain has expired.']);
    const unknown = sig(0, {
      integrity: 'unknown',
      verdict: 'unknown',
      problems: ['ALGORITHM_UNSUPPORTED'],
      trust: { status: 'untrusted', reason: 'NO_TRUSTED_ROOTS' },
    });
    assert.deepEqual(reasonsFor(unknown, en), [
      'This signature cannot be checked here: nothing is claimed about it, either way.',
      'The signature uses an algorithm this browser cannot check: it is neither confirmed nor refuted.',
    ]);
    const cut = sig(0, { coversRevision: false, verdict: 'invalid', problems: ['RANGE_NOT_REVISION_END'] });
    assert.deepEqual(reasonsFor(cut, id), [
      'Tanda tangan berhenti sebelum akhir versi yang ditandatanganinya: sebagian yang diklaim ditandatangani tidak tercakup.',
    ]);
    const broken = sig(0, {
      digest: { matches: false },
      signatureValid: false,
      trust: { status: 'invalid', reason: 'NOT_CHECKED' },
      verdict: 'invalid',
      problems: ['BYTE_RANGE_INVALID'],
    });
    assert.deepEqual(reasonsFor(broken, id), ['Catatan bagian berkas yang ditandatangani rusak, sehingga tanda tangan tidak dapat diperiksa.']);
  });

  it('both languages have the same keys everywhere', () => {
    for (const key of [
      'badge',
      'word',
      'verdictReason',
      'problem',
      'change',
      'action',
      'fact',
      'errors',
      'labels',
      'levelMeaning',
      'missing',
      'revocation',
    ] as const) {
      assert.deepEqual(Object.keys(id[key]).sort(), Object.keys(en[key]).sort(), key);
    }
  });
});
