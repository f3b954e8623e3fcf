import type { Flow, Provider } from '@esign-kit/bridge';

// esign-ready and esign-error are shared with <esign-placer>: declared in ../internal/events.ts.
export type { EsignWebviewReadyDetail } from '../internal/events.js';

export interface EsignWebviewCompleteDetail {
  provider: Provider;
  flow: Flow;
  /**
   * What the server confirmed: for signing the stored document (`documentId`, `sha256`…) and the provider
   * reference (`orderId` or `digisignDocumentId`); for activation the e-mail.
   */
  result: Record<string, unknown>;
  /** Always true: the element fires esign-complete only after the server confirmed the outcome. */
  confirmed: true;
}

export interface EsignWebviewCancelDetail {
  provider: Provider;
  flow: Flow;
  /** `user` (the element's cancel button or `cancel()`) or `provider` (the provider's page). */
  by: 'user' | 'provider';
}

export type { EsignErrorDetail as EsignWebviewErrorDetail } from '../internal/events.js';

export interface EsignWebviewTimeoutDetail {
  provider: Provider;
  flow: Flow;
  /** Milliseconds the flow was open. */
  timeout: number;
}

/** A message the element ignored (wrong origin, wrong source, unreadable, wrong channel, replayed, late). */
export interface EsignWebviewDebugDetail {
  reason: string;
  origin: string;
  /** How many messages this element has ignored so far. */
  ignored: number;
}

declare global {
  interface HTMLElementEventMap {
    'esign-complete': CustomEvent<EsignWebviewCompleteDetail>;
    'esign-cancel': CustomEvent<EsignWebviewCancelDetail>;
    'esign-timeout': CustomEvent<EsignWebviewTimeoutDetail>;
    'esign-debug': CustomEvent<EsignWebviewDebugDetail>;
  }
}
