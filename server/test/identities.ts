// The identity claims test tokens carry, as a portal's backend would put them in its user's token
// (server/src/auth/identity.ts): the provider identities the suites act as, and the org scope.
import { EMAIL_CLAIM, NIK_CLAIM, ORG_SCOPE, SCOPE_CLAIM } from '../src/auth/identity.js';
import { seedUsers } from '../../packages/sandbox/src/state.js';

export interface Identities {
  niks?: readonly string[];
  emails?: readonly string[];
  /** Whether the token carries `scope: "esign:org"` (default true). */
  org?: boolean;
}

/** Claims naming these identities. */
export function identityClaims({ niks = [], emails = [], org = true }: Identities): Record<string, unknown> {
  return { [NIK_CLAIM]: [...new Set(niks)], [EMAIL_CLAIM]: [...new Set(emails)], ...(org ? { [SCOPE_CLAIM]: ORG_SCOPE } : {}) };
}

/** Every seeded sandbox user's NIK and e-mail (packages/sandbox/README.md), plus `extra`. */
export function sandboxIdentityClaims(extra: Identities = {}): Record<string, unknown> {
  const users = seedUsers();
  return identityClaims({
    niks: [...users.map((u) => u.nik), ...(extra.niks ?? [])],
    emails: [...users.map((u) => u.email), ...(extra.emails ?? [])],
    org: extra.org ?? true,
  });
}
