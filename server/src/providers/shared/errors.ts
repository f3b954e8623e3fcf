// Two kinds of error, as in panva's protocol clients:
// - InputError (a TypeError): the caller gave us something we refuse to send. It names the field.
// - ProviderError: the provider said no, answered something we cannot read, or did not answer. It carries
//   a stable kebab-case `code` to switch on, the provider's own code and (Indonesian) message beside our
//   English one, the HTTP status our server should answer with, and whether retrying right away may help.
// Neither ever carries a secret: messages are built from our own words, codes and the provider's text.
import type { ProviderId } from './types.js';

export class InputError extends TypeError {
  readonly code = 'ERR_INVALID_ARG_VALUE';
  readonly field: string;
  /** Our server answers a caller's mistake with 400. */
  readonly httpStatus = 400;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'InputError';
    this.field = field;
  }
}

export function invalid(field: string, message: string): never {
  throw new InputError(field, message);
}

export type ProviderErrorCode =
  // transport and protocol
  | 'provider-timeout'
  | 'provider-unreachable'
  | 'provider-http-error'
  | 'provider-bad-response'
  | 'provider-unauthorized'
  | 'provider-auth-failed'
  | 'provider-busy'
  | 'provider-rejected'
  | 'insufficient-balance'
  // the caller's data, refused by the provider
  | 'invalid-input'
  | 'invalid-coordinates'
  | 'boxes-overlap'
  | 'document-not-pdf'
  | 'invalid-email'
  | 'invalid-nik'
  | 'verification-failed'
  | 'selfie-rejected'
  | 'verification-balance-exhausted'
  | 'registration-attempts-exceeded'
  | 'email-taken'
  | 'nik-taken'
  | 'phone-taken'
  | 'already-activated'
  | 'user-already-active'
  | 'document-id-taken'
  | 'document-not-found'
  | 'user-not-found'
  | 'not-a-signer'
  | 'already-signed'
  | 'access-denied'
  | 'redirect-not-configured'
  | 'old-phone-mismatch'
  | 'update-failed'
  | 'session-expired'
  | 'wrong-passphrase'
  | 'user-not-registered'
  | 'certificate-not-usable'
  | 'otp-invalid'
  // Digisign's encrypted redirects (docs/providers/digisign.md §7)
  | 'redirect-malformed'
  | 'redirect-truncated'
  | 'redirect-undecryptable';

export interface ProviderErrorInit {
  code: ProviderErrorCode;
  provider: ProviderId;
  /** Our English explanation. */
  message: string;
  /** The provider's own code (`"91"`, `2031`, `"4012"`, an HTTP status…), when it gave one. */
  providerCode?: string | undefined;
  /** The provider's own text, kept as sent (usually Indonesian). */
  providerMessage?: string | undefined;
  /** What our server should answer: 4xx for the caller's data, 502 for provider failure, 504 for timeout. */
  httpStatus: number;
  /** Whether sending the same request again right now may succeed. */
  retryable: boolean;
  /** When the provider asks to come back later (Digisign `91`: ten minutes). */
  retryAfterMs?: number | undefined;
  /** Extra typed details (Digisign verification booleans, the e-mail already bound to a NIK…). */
  details?: Record<string, unknown> | undefined;
  operation?: string | undefined;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly provider: ProviderId;
  readonly providerCode: string | undefined;
  readonly providerMessage: string | undefined;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly operation: string | undefined;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProviderError';
    this.code = init.code;
    this.provider = init.provider;
    this.providerCode = init.providerCode;
    this.providerMessage = init.providerMessage;
    this.httpStatus = init.httpStatus;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.details = init.details;
    this.operation = init.operation;
  }

  /** A JSON body our server can answer with: no stack, no cause, no secret. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      provider: this.provider,
      ...(this.providerCode !== undefined ? { providerCode: this.providerCode } : {}),
      ...(this.providerMessage !== undefined ? { providerMessage: this.providerMessage } : {}),
      retryable: this.retryable,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

/** A provider answer we cannot read: wrong content type, not JSON, missing fields. Always 502. */
export function badResponse(provider: ProviderId, operation: string, what: string, cause?: unknown): ProviderError {
  return new ProviderError({
    code: 'provider-bad-response',
    provider,
    operation,
    message: `${provider} answered ${operation} with a response we cannot read: ${what}.`,
    httpStatus: 502,
    retryable: false,
    cause,
  });
}

/** An HTTP status outside the documented answers. 5xx may pass; 4xx will not change by itself. */
export function httpError(provider: ProviderId, operation: string, status: number, providerMessage?: string): ProviderError {
  if (status === 401) {
    return new ProviderError({
      code: 'provider-unauthorized',
      provider,
      operation,
      providerCode: '401',
      providerMessage,
      message: `${provider} refused our credentials for ${operation} (HTTP 401).`,
      httpStatus: 502,
      retryable: false,
    });
  }
  return new ProviderError({
    code: 'provider-http-error',
    provider,
    operation,
    providerCode: String(status),
    providerMessage,
    message: `${provider} answered ${operation} with HTTP ${status}.`,
    httpStatus: 502,
    retryable: status >= 500 || status === 429,
  });
}
