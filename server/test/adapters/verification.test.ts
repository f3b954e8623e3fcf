import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBsreLegacy, fromBsreV2, type BsreLegacyVerification, type BsreV2Verification } from '../../src/providers/adapters.js';

const v2 = (over: Partial<BsreV2Verification>): BsreV2Verification => ({
  raw: {},
  conclusion: 'VALID',
  description: undefined,
  signatureCount: 1,
  signatures: [],
  ...over,
});
const sig = (integrityValid: boolean | undefined, certificateTrusted: boolean | undefined) => ({
  signerName: 'Budi',
  signatureDate: '2026-11-24',
  fieldName: 'sig_1',
  reason: undefined,
  location: undefined,
  integrityValid,
  certificateTrusted,
  timestampDate: undefined,
  certificates: [],
});

describe('one verification model for BSrE v2, v1 and cloud', () => {
  it("derives the conclusion from integrity and trust, keeping BSrE's own words", () => {
    assert.equal(fromBsreV2(v2({ signatures: [sig(true, true)] })).conclusion, 'valid');
    assert.equal(fromBsreV2(v2({ signatures: [sig(true, false)] })).conclusion, 'valid-untrusted');
    assert.equal(fromBsreV2(v2({ signatures: [sig(true, true), sig(false, true)], signatureCount: 2 })).conclusion, 'invalid');
    assert.equal(fromBsreV2(v2({ signatures: [sig(undefined, true)] })).conclusion, 'unknown');
    const none = fromBsreV2(v2({ conclusion: 'NO_SIGNATURE', signatureCount: 0 }));
    assert.equal(none.conclusion, 'no-signature');
    assert.equal(none.providerConclusion, 'NO_SIGNATURE');
  });

  it('says so when BSrE contradicts itself (NO_SIGNATURE beside a listed signature, gap 28)', () => {
    const r = fromBsreV2(v2({ conclusion: 'NO_SIGNATURE', signatureCount: 0, signatures: [sig(true, true)], raw: { conclusion: 'NO_SIGNATURE' } }));
    assert.equal(r.conclusion, 'valid');
    assert.equal(r.signatureCount, 1);
    assert.deepEqual(r.notes, [
      'BSrE answered NO_SIGNATURE but listed 1 signature(s); the listed signatures were used.',
      'BSrE counted 0 signature(s) but described 1.',
    ]);
    assert.deepEqual(r.raw, { conclusion: 'NO_SIGNATURE' });
  });

  it('reads the cloud answer (SUMMARY) into the same shape', () => {
    const legacy: BsreLegacyVerification = {
      raw: { SUMMARY: 'DOCUMENT VALID !!!' },
      summary: 'DOCUMENT VALID !!!',
      documentName: 'x.pdf',
      signatureCount: 1,
      notes: 'Dokumen asli dan valid, tetapi sertifikat penandatangan tidak dapat diverifikasi',
      signatures: [
        {
          signerName: 'Andreyanto Pratama',
          signerDn: 'CN=Andreyanto Pratama',
          issuerDn: 'CN=OSD LU Kelas 2',
          certificateTrusted: false,
          field: 'sig-1',
          signedAt: '2018-06-05 08:16:57.00',
          reason: undefined,
          location: 'Jakarta',
          integrity: true,
          usedTsa: true,
        },
      ],
    };
    const r = fromBsreLegacy(legacy, 'cloud');
    assert.equal(r.api, 'cloud');
    assert.equal(r.conclusion, 'valid-untrusted');
    assert.equal(r.signatures[0]!.location, 'Jakarta');
    assert.equal('reason' in r.signatures[0]!, false, 'fields BSrE left out are absent, not undefined');
  });
});
