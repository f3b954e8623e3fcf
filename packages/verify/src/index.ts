// @esign-kit/verify: local inspection of a PDF's signatures, in browsers and Node (WebCrypto + pkijs).
export { inspectPdf } from './inspect.js';
export type {
  Change,
  ChangeKind,
  InspectOptions,
  InspectionError,
  InspectionErrorCode,
  InspectionReport,
  InspectionStatus,
  SignatureProblem,
  SignatureReport,
  Verdict,
} from './inspect.js';
export type { CertificateInfo, DistinguishedName, KeyUsage, TimestampInfo, TrustReason, TrustStatus } from './cms.js';
