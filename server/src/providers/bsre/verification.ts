// One model for BSrE's three verification answers (v2 /api/v2/verify/pdf, v1 /api/sign/verify and the
// cloud service), so that portals and <esign-verify> read one shape. BSrE enumerates none of its verdict
// words (only `NO_SIGNATURE` appears, docs/providers/bsre.md gap 28, once beside a listed signature), so the conclusion is
// derived from the per-signature facts BSrE does report — integrity and certificate trust — and BSrE's own
// words are kept beside it, with the raw answer.
import type { VerificationConclusion, VerificationReport, VerifiedSignature } from '@esign-kit/core';
import type { BsreLegacyVerification } from './common.js';
import type { BsreV2Verification } from './v2.js';

export type { VerificationConclusion, VerificationReport, VerifiedSignature };

/** Drops the fields a provider left out, so that the report has no explicit undefined values. */
const defined = <T extends object>(o: { [K in keyof T]?: T[K] | undefined }): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function conclude(signatures: VerifiedSignature[], declaredCount: number): VerificationConclusion {
  if (signatures.length === 0) return declaredCount === 0 ? 'no-signature' : 'unknown';
  if (signatures.some((s) => s.integrity === false)) return 'invalid';
  if (signatures.some((s) => s.integrity === undefined)) return 'unknown';
  return signatures.every((s) => s.trusted === true) ? 'valid' : 'valid-untrusted';
}

function contradictions(providerConclusion: string | undefined, signatures: VerifiedSignature[], declaredCount: number): string[] {
  const notes: string[] = [];
  if (providerConclusion === 'NO_SIGNATURE' && signatures.length > 0)
    notes.push(`BSrE answered NO_SIGNATURE but listed ${signatures.length} signature(s); the listed signatures were used.`);
  if (declaredCount !== signatures.length) notes.push(`BSrE counted ${declaredCount} signature(s) but described ${signatures.length}.`);
  return notes;
}

export function fromBsreV2(v: BsreV2Verification): VerificationReport {
  const signatures = v.signatures.map((s) =>
    defined<VerifiedSignature>({
      field: s.fieldName,
      signer: s.signerName,
      issuer: s.certificates[0]?.issuerName,
      signedAt: s.signatureDate,
      reason: s.reason,
      location: s.location,
      integrity: s.integrityValid,
      trusted: s.certificateTrusted,
      timestamp: s.timestampDate,
    }),
  );
  return {
    provider: 'bsre',
    api: 'v2',
    conclusion: conclude(signatures, v.signatureCount),
    providerConclusion: v.conclusion,
    signatureCount: Math.max(v.signatureCount, signatures.length),
    signatures,
    notes: [...(v.description ? [v.description] : []), ...contradictions(v.conclusion, signatures, v.signatureCount)],
    raw: v.raw,
  };
}

export function fromBsreLegacy(v: BsreLegacyVerification, api: 'v1' | 'cloud'): VerificationReport {
  const signatures = v.signatures.map((s) =>
    defined<VerifiedSignature>({
      field: s.field,
      signer: s.signerName,
      signerDn: s.signerDn,
      issuer: s.issuerDn,
      signedAt: s.signedAt,
      reason: s.reason,
      location: s.location,
      integrity: s.integrity,
      trusted: s.certificateTrusted,
      timestamp: s.usedTsa,
    }),
  );
  return {
    provider: 'bsre',
    api,
    conclusion: conclude(signatures, v.signatureCount),
    ...(v.summary !== undefined ? { providerConclusion: v.summary } : {}),
    signatureCount: Math.max(v.signatureCount, signatures.length),
    signatures,
    notes: [...(v.notes ? [v.notes] : []), ...contradictions(v.summary, signatures, v.signatureCount)],
    raw: v.raw,
  };
}
