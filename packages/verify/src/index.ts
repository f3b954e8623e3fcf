// @esign-kit/verify: local inspection of a PDF's signatures, in browsers, Web Workers and Node (WebCrypto + pkijs).
export { DEFAULT_WORK_BUDGET, inspectPdf } from './inspect.js';
export type {
  InspectOptions,
  InspectionError,
  InspectionErrorCode,
  InspectionReport,
  InspectionStatus,
  LongTermValidation,
  PadesLevel,
  SignatureProblem,
  SignatureReport,
  Verdict,
} from './inspect.js';
export type { Change, ChangeKind, ModificationLevel } from './changes.js';
export type { CertificateInfo, DistinguishedName, KeyUsage, TimestampInfo, TrustReason, TrustStatus } from './cms.js';
export type { CertificateRevocation, RevocationSource, RevocationStatus } from './revocation.js';
export { inspectInWorker } from './worker-client.js';
export { compareReports, localConclusion, matchSignatures, providerVerdict } from './compare.js';
export type {
  ComparedReport,
  ComparedSignature,
  Disagreement,
  DisagreementFact,
  LocalConclusion,
  ProviderConclusion,
  ProviderReport,
  ProviderSignature,
  ProviderVerdict,
} from './compare.js';
