// When a Digisign document is complete, decided from what this server can see (pure): Digisign has no status
// call (docs/providers/digisign.md §8, gap 15), so reconciliation (service.ts settle) downloads the PDF and
// reads its signatures, beside the redirects this server decrypted (store/landings.ts).
//
// Complete means all of:
// - each signer of the order (each distinct `req-sign` e-mail: one person may hold several rows, ttd and prf)
//   has signed: a signature Digisign added after the document was sent, not broken (intact, or made with an
//   algorithm the verifier cannot check), whose certificate names that signer — its subject e-mail address, or,
//   for a certificate without one, its common name equal to the row's name. A count of signatures is not enough: a PDF sent already signed, or an e-meterai stamp, would fill it;
// - when e-meterai boxes were ordered (§5.5), the stamps: one added signature per box that is no signer's (seed
//   004 names no certificate for the stamp, so what is not a signer's is the stamp);
// - what Digisign said last does not contradict it: its redirect's `status_document` (§7) "waiting" holds
//   while every signer whose signature is in the PDF has a redirect this server heard — no one signed since.
//
// "Added after the document was sent": Digisign signs incrementally (an earlier signature stays valid only if
// later ones are appended, ISO 32000-1 §12.8), so each of its signatures signs more bytes than were sent; one the
// sent file carried signs at most those.
import { normaliseEmail } from '../../auth/identity.js';

/** What this server ordered (service.ts sendDocument, kept in the state store: digisign-orders). */
export interface DigisignOrder {
  signers: { email: string; name: string }[];
  /** e-meterai boxes ordered. */
  meterai: number;
  /** The size of the PDF sent. */
  sentBytes: number;
}

/** A signature of the downloaded PDF, as @esign-kit/verify reports it (only what matters here). */
export interface SignatureSeen {
  kind: 'signature' | 'document-timestamp';
  integrity: 'intact' | 'broken' | 'unknown';
  signedLength?: number;
  /** The signer certificate's subject e-mail address and common name. */
  email?: string;
  commonName?: string;
}

/** A redirect this server decrypted for the document: its signer, `status_document` "complete" or not, and when. */
export interface LandingSeen {
  email: string;
  completed: boolean;
  at: number;
}

export type Completion = { complete: true } | { complete: false; missing: string[] };

const sameName = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/** Whether `signature` is by `signer` (by certificate e-mail; by name when the certificate has no e-mail). */
function isBy(signature: SignatureSeen, signer: { email: string; name: string }): boolean {
  if (signature.email) return normaliseEmail(signature.email) === normaliseEmail(signer.email);
  return signature.commonName !== undefined && signer.name !== '' && sameName(signature.commonName, signer.name);
}

export function completion(order: DigisignOrder, signatures: readonly SignatureSeen[], landings: readonly LandingSeen[]): Completion {
  const added = signatures.filter((s) => s.kind === 'signature' && s.integrity !== 'broken' && (s.signedLength ?? 0) > order.sentBytes);
  const signers = new Map<string, { email: string; name: string }>();
  for (const s of order.signers) if (!signers.has(normaliseEmail(s.email))) signers.set(normaliseEmail(s.email), s);
  const missing: string[] = [];
  const signedBy = new Set<string>();
  for (const [email, signer] of signers) {
    if (added.some((s) => isBy(s, signer))) signedBy.add(email);
    else missing.push(`the signature of ${signer.email}`);
  }
  const stamps = added.filter((s) => ![...signers.values()].some((signer) => isBy(s, signer))).length;
  if (stamps < order.meterai) missing.push(`the e-meterai (${stamps} of ${order.meterai} stamped)`);
  const newest = [...landings].sort((a, b) => b.at - a.at)[0];
  const heard = new Set(landings.map((l) => normaliseEmail(l.email)));
  if (newest && !newest.completed && [...signedBy].every((email) => heard.has(email))) {
    missing.push(`Digisign's word: its last redirect (${newest.email}) said status_document "waiting"`);
  }
  return missing.length ? { complete: false, missing } : { complete: true };
}
