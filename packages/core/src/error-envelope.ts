// The body of every error answer of the companion server, written by server/src/http/errors.ts and read by the
// elements' server client (packages/elements/src/internal/server-client.ts). Types only.

/** What the provider itself answered, its code and its words (secrets scrubbed, length capped by the server). */
export interface ProviderErrorInfo {
  code: string;
  message: string;
}

export interface ErrorEnvelope {
  error: {
    /** A stable code (`invalid-input`, `provider-not-configured`, `wrong-passphrase`…). */
    code: string;
    /** What went wrong, for a person (the provider's Indonesian text is in `provider.message`). */
    message: string;
    /** The request field at fault: `passphrase`, `boxes.1.width`, `authorization`… */
    field?: string;
    provider?: ProviderErrorInfo;
    /** Whether the same request may succeed later (a provider's timeout or rate limit). */
    retryable?: boolean;
  };
}
