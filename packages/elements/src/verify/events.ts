import type { InspectionReport } from '@esign-kit/verify';
import type { EsignErrorDetail } from '../internal/events.js';
import type { Disagreement, ProviderReport } from './compare.js';

/** A disagreement between the local check and the provider, with a sentence in the element's language. */
export type DescribedDisagreement = Disagreement & { message: string };

/**
 * `esign-verified`: one verification finished. `local` is always there (the file was read and checked in the
 * browser); `provider` once the companion server answered, or `providerError` when it could not.
 */
export interface EsignVerifiedDetail {
  local: InspectionReport;
  provider?: ProviderReport;
  /** The provider was asked but did not answer with a report (also fired as `esign-error`, stage `provider`). */
  providerError?: EsignErrorDetail;
  /** Empty when they agree, or when there is no provider result to compare with. */
  disagreements: DescribedDisagreement[];
}

/**
 * `esign-error` from <esign-verify>: bad input (`not-a-pdf`, `truncated`, `damaged`, `invalid-input`,
 * `password-required`, `password-incorrect`, `encryption-unsupported`, `too-complex`, `http-error`/`network-error` for `src`),
 * a trust list that could not be loaded (stage `trust`), or a provider call that failed (stage `provider`).
 */
export interface EsignVerifyErrorDetail extends EsignErrorDetail {
  stage: 'input' | 'trust' | 'provider';
}

declare global {
  interface HTMLElementEventMap {
    'esign-verified': CustomEvent<EsignVerifiedDetail>;
  }
  // Bubbling and composed: typed on document and window listeners too.
  interface GlobalEventHandlersEventMap {
    'esign-verified': CustomEvent<EsignVerifiedDetail>;
  }
}
