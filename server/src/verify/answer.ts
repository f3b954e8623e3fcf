// POST /api/verify's answer, in zod (GET /api/openapi.json is made from it): the local inspection
// (@esign-kit/verify's InspectionReport as JSON: server/src/pdf/inspect-task.ts), the provider's view (BSrE's
// answer in the kit's one model, providers/bsre/verification.ts) or why it is missing, and the disagreements
// between the two (@esign-kit/verify/compare, the comparison <esign-verify> shows). The types below are checked
// against the library's in both directions at compile time, so a field or a code added there fails the
// typecheck here until the description follows.
import type { Disagreement } from '@esign-kit/verify/compare';
import type { VerificationReport } from '@esign-kit/core';
import { z } from 'zod';
import type { LocalInspection } from '../pdf/inspect-task.js';

const dateTime = z.string().meta({ format: 'date-time' });

const distinguishedName = z.object({
  text: z.string().describe('RFC 4514-like, most specific first: CN=…, O=…, C=ID'),
  commonName: z.string().optional(),
  organisation: z.string().optional(),
  attributes: z.record(z.string(), z.string()).describe('Every attribute by short name (or OID)'),
});

const certificate = z
  .object({
    subject: distinguishedName,
    issuer: distinguishedName,
    serialNumber: z.string().describe('Hexadecimal, upper case'),
    notBefore: dateTime,
    notAfter: dateTime,
    keyUsage: z
      .array(
        z.enum([
          'digitalSignature',
          'nonRepudiation',
          'keyEncipherment',
          'dataEncipherment',
          'keyAgreement',
          'keyCertSign',
          'cRLSign',
          'encipherOnly',
          'decipherOnly',
        ]),
      )
      .optional(),
    isCa: z.boolean(),
    selfSigned: z.boolean(),
    fingerprint: z.string().describe('SHA-256 of the DER, hexadecimal'),
    der: z.string().describe('The certificate, DER in base64'),
  })
  .meta({ id: 'CertificateInfo' });

const checkResult = z.enum(['valid', 'invalid', 'unsupported']);
const trustStatus = z.enum(['trusted', 'untrusted', 'invalid', 'unknown']);
const trustReason = z.enum([
  'CHAIN_TO_TRUSTED_ROOT',
  'NO_TRUSTED_ROOTS',
  'ROOT_NOT_TRUSTED',
  'CHAIN_INCOMPLETE',
  'CHAIN_SIGNATURE_INVALID',
  'CHAIN_ALGORITHM_UNSUPPORTED',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  'CERTIFICATE_REVOKED',
  'KEY_USAGE_NOT_SIGNING',
  'SIGNER_CERTIFICATE_MISSING',
  'NOT_CHECKED',
]);
const signatureProblem = z.enum([
  'SIGNATURE_DICTIONARY_MISSING',
  'BYTE_RANGE_INVALID',
  'BYTE_RANGE_NOT_CONTENTS',
  'RANGE_NOT_REVISION_END',
  'CONTENTS_MISSING',
  'CMS_UNPARSABLE',
  'CMS_NOT_SIGNED_DATA',
  'CMS_NO_SIGNER',
  'SIGNER_CERTIFICATE_MISSING',
  'UNSUPPORTED_DIGEST_ALGORITHM',
  'ALGORITHM_UNSUPPORTED',
  'MESSAGE_DIGEST_MISSING',
  'DIGEST_MISMATCH',
  'SIGNATURE_INVALID',
  'MODIFIED_AFTER_SIGNING',
  'NOT_TOTAL_DOCUMENT',
  'TIMESTAMP_INVALID',
  'CHANGES_NOT_CHECKED',
  'SIGNATURE_UNREADABLE',
]);
const modificationLevel = z.enum(['none', 'lta', 'form-filling', 'annotations', 'other']);
const verdict = z.enum(['valid', 'valid-untrusted', 'modified-after-signing', 'invalid', 'unknown']);

const timestamp = z.object({
  tsa: z.string().optional().describe("The TSA's name from TSTInfo, else the token signer's subject"),
  time: dateTime,
  imprintMatches: z.boolean().describe('The token stamps exactly this signature value (or, for a document timestamp, the signed bytes)'),
  signatureValid: z.boolean(),
  check: checkResult.optional(),
  hashAlgorithm: z.string().optional(),
  certificate: certificate.optional(),
});

const change = z.object({
  kind: z.enum([
    'signature',
    'document-timestamp',
    'signature-field',
    'form',
    'form-field',
    'annotation',
    'page',
    'page-content',
    'appearance',
    'catalog',
    'metadata',
    'dss',
    'other',
    'unreadable',
    'trailing-bytes',
  ]),
  object: z.number().int().optional(),
  replaced: z.boolean(),
  allowed: z.boolean().describe('A change the signature permits (long-term validation data, later signatures, form filling as its DocMDP allows)'),
  action: z.enum(['added', 'changed', 'removed']).optional(),
  level: modificationLevel.optional(),
  revision: z.number().int().optional(),
  field: z.string().optional(),
});

const revocation = z.object({
  certificate,
  status: z.enum(['good', 'revoked', 'unknown', 'trust-anchor']),
  via: z.enum(['ocsp', 'crl']).optional(),
  source: z.enum(['cms', 'adobe-archival', 'dss']).optional(),
  issuedAt: dateTime.optional(),
  revokedAt: dateTime.optional(),
});

const ltv = z.object({
  validationTime: dateTime,
  timeSource: z.enum(['option', 'signature-timestamp', 'document-timestamp', 'now']),
  provedAt: dateTime.optional(),
  chain: z.array(revocation).describe('Revocation status of each certificate of the chain, signer first, from the data inside the file only'),
  longTerm: z.boolean().describe('It stays verifiable after its certificates expire: a timestamp, the whole chain and revocation data for each'),
  missing: z.array(z.enum(['timestamp', 'chain', 'revocation-data'])),
});

const localSignature = z
  .object({
    index: z.number().int(),
    fieldName: z.string(),
    kind: z.enum(['signature', 'document-timestamp']),
    filter: z.string().optional(),
    subFilter: z.string().optional(),
    byteRange: z.array(z.number()).optional(),
    coversWholeFile: z.boolean(),
    coversRevision: z.boolean(),
    revision: z.number().int().optional(),
    signedLength: z.number().int().optional(),
    modifiedAfter: z.boolean(),
    changes: z.array(change),
    changesAllowed: z.boolean().optional(),
    modificationLevel: modificationLevel.optional(),
    certification: z.object({ permission: z.union([z.literal(1), z.literal(2), z.literal(3)]) }).optional(),
    integrity: z.enum(['intact', 'broken', 'unknown']),
    digest: z.object({ algorithm: z.string().optional(), matches: z.boolean(), computed: z.string().optional(), signed: z.string().optional() }),
    signatureValid: z.boolean(),
    signatureAlgorithm: z.string().optional(),
    signer: certificate.optional(),
    chain: z.array(certificate),
    signingTime: z.object({ dictionary: dateTime.optional(), cms: dateTime.optional() }),
    timestamp: timestamp.optional(),
    level: z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA']).optional().describe('The PAdES baseline level (ETSI EN 319 142-1)'),
    ltv: ltv.optional(),
    name: z.string().optional(),
    reason: z.string().optional(),
    location: z.string().optional(),
    contactInfo: z.string().optional(),
    trust: z.object({ status: trustStatus, reason: trustReason }),
    verdict,
    problems: z.array(z.union([signatureProblem, trustReason])),
  })
  .meta({ id: 'LocalSignature' });

/** @esign-kit/verify's InspectionReport, as JSON. */
export const localInspection = z
  .object({
    status: z.enum(['signed', 'no-signature', 'not-a-pdf', 'truncated', 'damaged', 'encrypted']),
    error: z
      .object({
        code: z.enum([
          'INVALID_INPUT',
          'NOT_A_PDF',
          'TRUNCATED',
          'DAMAGED',
          'NO_SIGNATURE',
          'PASSWORD_REQUIRED',
          'PASSWORD_INCORRECT',
          'ENCRYPTION_UNSUPPORTED',
          'TOO_COMPLEX',
        ]),
        message: z.string(),
      })
      .optional()
      .describe('Why the file could not be checked (TOO_COMPLEX: past the work budget or the deadline)'),
    fileSize: z.number().int(),
    revisions: z.number().int(),
    encrypted: z.boolean(),
    signatures: z.array(localSignature),
  })
  .meta({
    id: 'LocalInspection',
    description:
      "The server's own inspection of the file (@esign-kit/verify, the check <esign-verify> runs in the page): dates ISO 8601, certificates' DER base64",
  });

const providerSignature = z.object({
  field: z.string().optional(),
  signer: z.string().optional(),
  signerDn: z.string().optional(),
  issuer: z.string().optional(),
  signedAt: z.string().optional(),
  reason: z.string().optional(),
  location: z.string().optional(),
  integrity: z.boolean().optional(),
  trusted: z.boolean().optional(),
  timestamp: z.union([z.string(), z.boolean()]).optional(),
  kind: z.enum(['signature', 'document-timestamp']).optional(),
  level: z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA']).optional(),
  longTermValidation: z.boolean().optional(),
  modifiedAfterSigning: z.boolean().optional(),
});

/** BSrE's answer in the kit's one verification model (@esign-kit/core's VerificationReport). */
export const providerReport = z
  .object({
    provider: z.literal('bsre'),
    api: z.enum(['v1', 'v2', 'cloud']),
    conclusion: z.enum(['valid', 'valid-untrusted', 'invalid', 'no-signature', 'unknown']),
    providerConclusion: z.string().optional(),
    signatureCount: z.number().int(),
    signatures: z.array(providerSignature),
    notes: z.array(z.string()),
    raw: z.record(z.string(), z.unknown()).describe("BSrE's answer as sent"),
  })
  .meta({
    id: 'ProviderVerification',
    description:
      'One verification model for BSrE v2, v1 and cloud; the conclusion is derived from the integrity and trust BSrE reports per signature, with its own words and raw answer beside it',
  });

/** Why the provider's view is missing: the error envelope the route would have answered alone. */
const providerError = z.object({
  status: z.number().int().describe('The HTTP status the error has on its own (502 provider error, 503 not configured, 504 timeout…)'),
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
  provider: z.object({ code: z.string(), message: z.string() }).optional().describe("The provider's own code and words, secrets scrubbed"),
  retryable: z.boolean().optional(),
});

const verdictOrUnknown = z.enum(['valid', 'valid-untrusted', 'invalid', 'unknown']);
const disagreement = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('verdict'),
    index: z.number().int(),
    field: z.string(),
    providerIndex: z.number().int(),
    local: verdict,
    provider: verdictOrUnknown,
    facts: z.array(z.enum(['integrity', 'trust', 'changes-after-signing'])),
  }),
  z.object({ kind: z.literal('signer'), index: z.number().int(), field: z.string(), providerIndex: z.number().int(), local: z.string(), provider: z.string() }),
  z.object({
    kind: z.literal('conclusion'),
    local: z.union([verdict, z.literal('no-signature')]),
    provider: z.enum(['valid', 'valid-untrusted', 'invalid', 'no-signature', 'unknown']),
  }),
  z.object({ kind: z.literal('count'), local: z.number().int(), provider: z.number().int() }),
  z.object({
    kind: z.literal('unmatched'),
    side: z.enum(['local', 'provider']),
    index: z.number().int(),
    field: z.string().optional(),
    signer: z.string().optional(),
  }),
]);

export const verifyAnswer = z.object({
  local: localInspection,
  provider: providerReport.optional().describe("BSrE's verification of the same file (absent with localOnly, or when it failed: providerError)"),
  providerError: providerError.optional().describe('Why the provider gave no verification; the local inspection is answered all the same'),
  disagreements: z
    .array(disagreement)
    .describe('Where the local inspection and the provider differ, per signature (@esign-kit/verify/compare); empty when they agree or either could not check'),
});

export type ProviderErrorView = z.output<typeof providerError>;
export type VerifyAnswer = z.output<typeof verifyAnswer>;

// The descriptions above and the library's types agree field for field, both ways (zod's optional fields also
// admit undefined, which JSON drops: that difference is set aside).
type Loose<T> = T extends readonly (infer U)[] ? readonly Loose<U>[] : T extends object ? { [K in keyof T]: Loose<Exclude<T[K], undefined>> } : T;
/** Every field's path (`signatures.signer.subject.text`…): an optional field one side lacks is not a type error. */
type Paths<T> = T extends readonly (infer U)[]
  ? Paths<U>
  : T extends string | number | boolean
    ? never
    : T extends object
      ? { [K in keyof T & string]-?: K | `${K}.${Paths<Exclude<T[K], undefined>>}` }[keyof T & string]
      : never;
type Same<A, B> = [Loose<A>] extends [Loose<B>] ? ([Loose<B>] extends [Loose<A>] ? true : false) : false;
type SameFields<A, B> = [Paths<A>] extends [Paths<B>] ? ([Paths<B>] extends [Paths<A>] ? true : false) : false;
const agree = <T extends true>(): T => true as T;
agree<Same<z.output<typeof localInspection>, LocalInspection>>();
agree<SameFields<z.output<typeof localInspection>, LocalInspection>>();
agree<Same<z.output<typeof providerReport>, VerificationReport>>();
agree<SameFields<z.output<typeof providerReport>, VerificationReport>>();
agree<Same<z.output<typeof disagreement>, Disagreement>>();
