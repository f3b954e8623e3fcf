// The companion server's one model for a provider's verification answer (POST /api/verify): written by the
// server's adapters (server/src/providers/bsre/verification.ts), read by <esign-verify>. Types only.

export type VerificationConclusion = 'valid' | 'valid-untrusted' | 'invalid' | 'no-signature' | 'unknown';

export interface VerifiedSignature {
  field?: string;
  signer?: string;
  signerDn?: string;
  issuer?: string;
  signedAt?: string;
  reason?: string;
  location?: string;
  /** The signed bytes are unchanged (the provider's integrity check). */
  integrity?: boolean;
  /** The signer's certificate chains to a root the provider trusts. */
  trusted?: boolean;
  /** A timestamp: its date (BSrE v2), or only that one was used (v1, cloud). */
  timestamp?: string | boolean;
  /** A document timestamp (ETSI.RFC3161) rather than a signature, when the verifier tells them apart. */
  kind?: 'signature' | 'document-timestamp';
  /** The PAdES baseline level the verifier found (ETSI EN 319 142-1), when it reports one. */
  level?: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
  /** Whether the signature stays verifiable once its certificates expire (timestamp, chain and revocation data). */
  longTermValidation?: boolean;
  /** Later revisions changed the document in a way the signature does not allow (false: only allowed changes). */
  modifiedAfterSigning?: boolean;
}

export interface VerificationReport {
  provider: 'bsre';
  api: 'v1' | 'v2' | 'cloud';
  conclusion: VerificationConclusion;
  /** The provider's own verdict words as sent (BSrE v2 `conclusion`, v1/cloud `summary`/`SUMMARY`). */
  providerConclusion?: string;
  signatureCount: number;
  signatures: VerifiedSignature[];
  /** The provider's explanations, and ours where its answer contradicts itself. */
  notes: string[];
  raw: Record<string, unknown>;
}
