// Importing this module defines <esign-verify>.
import { EsignVerify } from './verify/verify.js';

export { EsignVerify };
export type { PdfInput, TrustedRootInput, VerifyStatus } from './verify/verify.js';
export type { DescribedDisagreement, EsignVerifiedDetail, EsignVerifyErrorDetail } from './verify/events.js';
export { compareReports, localConclusion, matchSignatures, providerVerdict } from './verify/compare.js';
export type {
  Disagreement,
  DisagreementFact,
  LocalConclusion,
  ProviderConclusion,
  ProviderReport,
  ProviderSignature,
  ProviderVerdict,
} from './verify/compare.js';

if (!customElements.get('esign-verify')) customElements.define('esign-verify', EsignVerify);

declare global {
  interface HTMLElementTagNameMap {
    'esign-verify': EsignVerify;
  }
}
