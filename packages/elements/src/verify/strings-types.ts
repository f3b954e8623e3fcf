// The strings a person reads in <esign-verify>: their shape, one interface that each language fills in
// (./strings-en.ts, ./strings-id.ts). Strings that take numbers, names or a finding are functions.
import type { Change, ChangeKind, LongTermValidation, PadesLevel, RevocationSource, SignatureProblem, TrustReason, Verdict } from '@esign-kit/verify';
import type { Disagreement, DisagreementFact, LocalConclusion, ProviderConclusion, ProviderVerdict } from './compare.js';

type Word = Verdict | LocalConclusion | ProviderConclusion | ProviderVerdict;

export interface VerifyStrings {
  /** Badge text for each verdict (also shown to screen readers: never colour only). */
  badge: Record<Verdict | 'no-signature', string>;
  /** A verdict or conclusion inside a sentence. */
  word: Record<Word, string>;
  /** The first reason shown on a card, by verdict. */
  verdictReason: Record<Verdict, string>;
  /** The whole document, by its local conclusion. */
  headline: (conclusion: LocalConclusion, count: number) => string;
  problem: Record<SignatureProblem | TrustReason, string>;
  change: Record<ChangeKind, string>;
  /** What a change did to its object. */
  action: Record<NonNullable<Change['action']>, string>;
  changesAfter: (kinds: string) => string;
  /** The title of a document timestamp's card. */
  documentTimestamp: (tsa: string) => string;
  /** A PAdES level, and what it means in one sentence. */
  level: (level: PadesLevel) => string;
  levelMeaning: Record<PadesLevel, string>;
  /** Long-term validation: whether the signature stays verifiable once its certificates expire. */
  longTerm: (yes: boolean, missing: string) => string;
  missing: Record<LongTermValidation['missing'][number], string>;
  /** When the chain was checked, and why then. */
  checkedAt: (time: string, source: LongTermValidation['timeSource']) => string;
  /** A certificate's revocation status, and where the answer was found. */
  revocation: Record<'good' | 'revoked' | 'unknown' | 'trust-anchor', string>;
  revocationSource: (via: 'ocsp' | 'crl', source: RevocationSource) => string;
  fact: Record<DisagreementFact, string>;
  disagreement: (d: Disagreement, provider: string) => string;
  errors: Record<string, string>;
  httpStatus: (status: number) => string;
  dropzone: string;
  choose: string;
  checking: string;
  asking: (provider: string) => string;
  /** The provider's conclusion, agreeing with the local one. */
  agrees: (provider: string, word: string) => string;
  /** The provider's conclusion, followed by the list of disagreements. */
  disagrees: (provider: string, word: string) => string;
  /** The provider's word on one signature. */
  providerSays: (provider: string, word: string) => string;
  providerFailed: (provider: string) => string;
  providerNotes: (provider: string) => string;
  localOnly: string;
  notUploaded: string;
  trustList: (count: number, source: 'server' | 'page' | 'none') => string;
  trustListFailed: string;
  signatureName: (index: number, field: string) => string;
  unknownSigner: string;
  labels: {
    signer: string;
    organisation: string;
    issuer: string;
    signed: string;
    reason: string;
    location: string;
    field: string;
    details: string;
    serial: string;
    validity: string;
    algorithms: string;
    chain: string;
    changes: string;
    none: string;
    fingerprint: string;
    coverage: string;
    findings: string;
    password: string;
    submit: string;
    level: string;
    longTerm: string;
    timestamp: string;
    revocation: string;
  };
  statedBySigner: string;
  timestampFrom: (tsa: string) => string;
  validity: (from: string, to: string) => string;
  coversWholeFile: (yes: boolean) => string;
  allowed: (yes: boolean) => string;
}
