// Where the local inspection (inspect.ts) and the provider's verification (the companion server's model of
// BSrE's answer, @esign-kit/core's VerificationReport) disagree. Pure: no DOM, no network, no crypto; one
// comparison for both sides that show them: <esign-verify> (in the page) and the companion server's
// POST /api/verify (its `disagreements`). Its own entry point, `@esign-kit/verify/compare`, imports types only,
// so that the element's first bundle does not load the inspection (pkijs) with it.
import type { VerificationConclusion, VerificationReport, VerifiedSignature } from '@esign-kit/core';
import type { InspectionReport, SignatureReport, Verdict } from './inspect.js';

/**
 * The facts of a local signature the comparison reads: an InspectionReport's signatures as they are in memory, or
 * as JSON carries them (the companion server's answer: dates as text) — it reads no date and no bytes.
 */
export interface ComparedSignature extends Pick<SignatureReport, 'fieldName' | 'integrity' | 'verdict'> {
  signer?: { subject: { commonName?: string } };
  trust: { status: SignatureReport['trust']['status'] };
}
/** The facts of a local report the comparison reads (see ComparedSignature). */
export interface ComparedReport {
  status: InspectionReport['status'];
  signatures: readonly ComparedSignature[];
}

/** The companion server's verification model (POST /api/verify), shared with the server through the core. */
export type ProviderSignature = VerifiedSignature;
export type ProviderConclusion = VerificationConclusion;
export type ProviderReport = VerificationReport;

/** The local conclusion for a whole document: its worst verdict, or no signature. */
export type LocalConclusion = Verdict | 'no-signature';
/** A provider signature in the local vocabulary ('unknown' when the provider did not say). */
export type ProviderVerdict = 'valid' | 'valid-untrusted' | 'invalid' | 'unknown';

/** What the two sides see differently about one signature. */
export type DisagreementFact = 'integrity' | 'trust' | 'changes-after-signing';

export type Disagreement =
  /** The two verdicts on one signature differ. */
  | { kind: 'verdict'; index: number; field: string; providerIndex: number; local: Verdict; provider: ProviderVerdict; facts: DisagreementFact[] }
  /** The two name another signer for the same signature. */
  | { kind: 'signer'; index: number; field: string; providerIndex: number; local: string; provider: string }
  /** One side says the document is signed, the other that it is not. */
  | { kind: 'conclusion'; local: LocalConclusion; provider: ProviderConclusion }
  | { kind: 'count'; local: number; provider: number }
  /** A signature only one side found (`index` on that side). */
  | { kind: 'unmatched'; side: 'local' | 'provider'; index: number; field?: string; signer?: string };

/** 'cannot be checked' ranks below a finding (modified, invalid) and above a clean result. */
const RANK: Record<Verdict, number> = { valid: 0, 'valid-untrusted': 1, unknown: 2, 'modified-after-signing': 3, invalid: 4 };

/** The document's local conclusion: its worst signature verdict; null when the file could not be checked. */
export function localConclusion<R extends ComparedReport>(report: R): LocalConclusion | null {
  if (report.status === 'no-signature') return 'no-signature';
  if (report.status !== 'signed' || report.signatures.length === 0) return null;
  return report.signatures.map((s) => s.verdict).reduce((worst, v) => (RANK[v] > RANK[worst] ? v : worst));
}

/** The provider's word on one signature, as the server's model concludes it (trust unknown counts as untrusted). */
export function providerVerdict(s: ProviderSignature): ProviderVerdict {
  if (s.integrity === false) return 'invalid';
  if (s.integrity === undefined) return 'unknown';
  return s.trusted === true ? 'valid' : 'valid-untrusted';
}

/** The signed bytes are intact locally: the digest matches and the signature value verifies. */
const intact = (s: ComparedSignature) => s.integrity === 'intact';
const norm = (name: string | undefined) => (name ?? '').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Pairs local and provider signatures: by field name, then by signer name (when it names one signature
 * only), then in order among those left. Returns [local index, provider index] pairs.
 */
export function matchSignatures(local: readonly ComparedSignature[], provider: readonly ProviderSignature[]): [number, number][] {
  const pairs: [number, number][] = [];
  const freeLocal = new Set(local.map((_, i) => i));
  const freeProvider = new Set(provider.map((_, i) => i));
  const take = (i: number, j: number) => {
    pairs.push([i, j]);
    freeLocal.delete(i);
    freeProvider.delete(j);
  };
  for (const i of [...freeLocal]) {
    const name = norm(local[i]!.fieldName);
    const j = name ? [...freeProvider].find((k) => norm(provider[k]!.field) === name) : undefined;
    if (j !== undefined) take(i, j);
  }
  for (const i of [...freeLocal]) {
    const signer = norm(local[i]!.signer?.subject.commonName);
    if (!signer) continue;
    const candidates = [...freeProvider].filter((k) => norm(provider[k]!.signer) === signer);
    const sameSigner = [...freeLocal].filter((k) => norm(local[k]!.signer?.subject.commonName) === signer);
    if (candidates.length === 1 && sameSigner.length === 1) take(i, candidates[0]!);
  }
  const restLocal = [...freeLocal].sort((a, b) => a - b);
  const restProvider = [...freeProvider].sort((a, b) => a - b);
  for (let k = 0; k < Math.min(restLocal.length, restProvider.length); k++) take(restLocal[k]!, restProvider[k]!);
  return pairs.sort((a, b) => a[0] - b[0]);
}

function factsOf(s: ComparedSignature, p: ProviderSignature, theirs: ProviderVerdict): DisagreementFact[] {
  const facts: DisagreementFact[] = [];
  if (p.integrity !== undefined && s.integrity !== 'unknown' && intact(s) !== p.integrity) facts.push('integrity');
  // Trust is compared only where both see the signature intact (pdfsig, too, checks the certificate only then).
  else if (p.integrity === true && intact(s) && (p.trusted === true) !== (s.trust.status === 'trusted')) facts.push('trust');
  if (s.verdict === 'modified-after-signing' && (theirs === 'valid' || theirs === 'valid-untrusted')) facts.push('changes-after-signing');
  return facts;
}

/**
 * Every difference between the local report and the provider's: whether the document is signed at all, the
 * number of signatures, signatures only one side found, and per matched signature the verdict (with the
 * facts behind it) and the signer's name. Where the provider said nothing (integrity unknown), nothing is
 * claimed. An empty list means they agree.
 */
export function compareReports<R extends ComparedReport>(local: R, provider: ProviderReport): Disagreement[] {
  const mine = localConclusion(local);
  if (mine === null) return [];
  if (provider.conclusion === 'unknown' && provider.signatures.length === 0) return [];
  const theySigned = provider.conclusion !== 'no-signature' || provider.signatures.length > 0;
  if ((mine === 'no-signature') === theySigned) return [{ kind: 'conclusion', local: mine, provider: provider.conclusion }];
  if (mine === 'no-signature') return [];

  const out: Disagreement[] = [];
  const count = Math.max(provider.signatureCount, provider.signatures.length);
  if (count !== local.signatures.length) out.push({ kind: 'count', local: local.signatures.length, provider: count });
  const pairs = matchSignatures(local.signatures, provider.signatures);
  for (const [i, j] of pairs) {
    const s = local.signatures[i]!;
    const p = provider.signatures[j]!;
    const theirs = providerVerdict(p);
    // What the local check cannot check is not a disagreement: the provider's word stands beside it.
    if (theirs !== 'unknown' && s.verdict !== 'unknown' && theirs !== s.verdict) {
      out.push({ kind: 'verdict', index: i, field: s.fieldName, providerIndex: j, local: s.verdict, provider: theirs, facts: factsOf(s, p, theirs) });
    }
    const ours = s.signer?.subject.commonName;
    if (ours && p.signer && norm(ours) !== norm(p.signer)) {
      out.push({ kind: 'signer', index: i, field: s.fieldName, providerIndex: j, local: ours, provider: p.signer });
    }
  }
  local.signatures.forEach((s, i) => {
    if (pairs.some(([a]) => a === i)) return;
    const d: Disagreement = { kind: 'unmatched', side: 'local', index: i, field: s.fieldName };
    if (s.signer?.subject.commonName) d.signer = s.signer.subject.commonName;
    out.push(d);
  });
  provider.signatures.forEach((p, j) => {
    if (pairs.some(([, b]) => b === j)) return;
    const d: Disagreement = { kind: 'unmatched', side: 'provider', index: j };
    if (p.field) d.field = p.field;
    if (p.signer) d.signer = p.signer;
    out.push(d);
  });
  return out;
}
