// Every string a person reads in <esign-verify>, in English and Bahasa Indonesia (./strings-en.ts,
// ./strings-id.ts, of the shape ./strings-types.ts declares), and the choice of reasons shown for a verdict. Pure.
import type { ChangeKind, SignatureProblem, TrustReason, Verdict } from '@esign-kit/verify';
import type { Catalogue } from '../internal/localize.js';
import { en } from './strings-en.js';
import { id } from './strings-id.js';
import type { VerifyStrings } from './strings-types.js';

export type { VerifyStrings } from './strings-types.js';

export const VERIFY_STRINGS = { en, id } satisfies Catalogue<VerifyStrings>;

/** The plain-language reasons for a signature's verdict, most important first (no duplicates). */
export function reasonsFor(
  s: {
    verdict: Verdict;
    problems: readonly (SignatureProblem | TrustReason)[];
    trust: { status: string; reason: TrustReason };
    changes: readonly { kind: ChangeKind; allowed: boolean }[];
  },
  t: VerifyStrings,
): string[] {
  const out: string[] = [];
  const add = (text: string | undefined) => {
    if (text && !out.includes(text)) out.push(text);
  };
  const trustReason = s.trust.status === 'trusted' || s.trust.reason === 'NOT_CHECKED' ? undefined : t.problem[s.trust.reason];
  const integrity = s.problems.filter((p) => p !== 'NOT_TOTAL_DOCUMENT' && p !== 'MODIFIED_AFTER_SIGNING' && p !== 'TIMESTAMP_INVALID' && p !== s.trust.reason);
  const cannotCheck: (SignatureProblem | TrustReason)[] = [
    'ALGORITHM_UNSUPPORTED',
    'UNSUPPORTED_DIGEST_ALGORITHM',
    'CHANGES_NOT_CHECKED',
    'CHAIN_ALGORITHM_UNSUPPORTED',
  ];
  if (s.verdict === 'invalid') {
    for (const p of integrity) add(t.problem[p]);
    // An untrusted chain matters little beside a broken signature; an invalid one (expired…) is a reason itself.
    if (s.trust.status === 'invalid' || !out.length) add(trustReason);
    if (!out.length) add(t.verdictReason.invalid);
  } else if (s.verdict === 'unknown') {
    add(t.verdictReason.unknown);
    for (const p of s.problems) if (cannotCheck.includes(p)) add(t.problem[p]);
    if (s.trust.status === 'unknown') add(trustReason);
  } else {
    add(t.verdictReason[s.verdict]);
    if (s.verdict === 'modified-after-signing') {
      const kinds = [...new Set(s.changes.filter((c) => !c.allowed).map((c) => t.change[c.kind]))];
      if (kinds.length) add(t.changesAfter(kinds.join(', ')));
    }
    if (s.verdict !== 'valid') add(trustReason);
  }
  if (s.problems.includes('TIMESTAMP_INVALID')) add(t.problem.TIMESTAMP_INVALID);
  return out;
}
