// The secret values this server must never let out — configured credentials and the tokens providers issue at
// run time (Peruri's JWT and OTP session tokens, BSrE cloud access tokens) — and the one scrubber that blanks
// them, in every common encoding, from log lines, request-inspector traces and every answer (http/answers.ts).
//
// The list is `config.secrets` itself: configured values first, then issued ones appended by noteIssuedSecret
// (bounded), so that the logger, the inspector and the answers, which all hold that same array, learn a token
// the moment a provider hands it out.

/** Shorter values would blank ordinary words; config refuses such secrets in live mode. */
const MIN_LENGTH = 6;
/** Issued tokens kept for scrubbing (the newest); a Peruri JWT lives a day, OTP session tokens minutes. */
const MAX_ISSUED = 200;

interface Issued {
  /** How many configured values precede the issued ones. */
  configured: number;
  /** Bumped on every change, so that scrubbers rebuild their forms. */
  version: number;
}
const issuedOf = new WeakMap<readonly string[], Issued>();

/**
 * Adds a provider-issued secret to `secrets` (the array the scrubbers hold). Idempotent; keeps the newest
 * MAX_ISSUED issued values and every configured one.
 */
export function noteIssuedSecret(secrets: string[], value: string): void {
  if (value.length < 16 || secrets.includes(value)) return;
  let info = issuedOf.get(secrets);
  if (!info) issuedOf.set(secrets, (info = { configured: secrets.length, version: 0 }));
  secrets.push(value);
  if (secrets.length - info.configured > MAX_ISSUED) secrets.splice(info.configured, 1);
  info.version++;
}

/**
 * The base64 text of `value` wherever it sits in a longer base64 text: for each of the three byte alignments,
 * the characters that depend on the value's bytes only (a Basic header carries `user:pass`, an echo may carry a
 * whole base64 request).
 */
function alignedBase64(value: Buffer, alphabet: 'base64' | 'base64url'): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const text = Buffer.concat([Buffer.alloc(shift), value]).toString(alphabet);
    // Character j covers bits [6j, 6j + 6); the value occupies bits [8·shift, 8·(shift + n)).
    const first = Math.ceil((8 * shift) / 6);
    const last = Math.floor((8 * (shift + value.length)) / 6);
    const core = text.slice(first, last);
    if (core.length >= 8) out.push(core);
  }
  return out;
}

/** Every way a value commonly travels: as is, URL-encoded, JSON-escaped, base64 and base64url (any alignment), hex. */
export function encodingsOf(value: string): string[] {
  const bytes = Buffer.from(value);
  return [
    value,
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    ...alignedBase64(bytes, 'base64'),
    ...alignedBase64(bytes, 'base64url'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ];
}

/** Replaces every occurrence of a known secret, in any of its encodings, with `[redacted]`. */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  let builtFor = -1;
  let builtLength = -1;
  let forms: string[] = [];
  const build = () => {
    const set = new Set<string>();
    for (const s of secrets) if (s.length >= MIN_LENGTH) for (const f of encodingsOf(s)) set.add(f);
    forms = [...set].sort((a, b) => b.length - a.length);
    builtFor = issuedOf.get(secrets)?.version ?? 0;
    builtLength = secrets.length;
  };
  return (text) => {
    if (builtLength !== secrets.length || builtFor !== (issuedOf.get(secrets)?.version ?? 0)) build();
    let out = text;
    for (const f of forms) if (out.includes(f)) out = out.split(f).join('[redacted]');
    return out;
  };
}

/** Provider words passed to a portal (refusal texts, notices) are cut to this many characters. */
export const PROVIDER_TEXT_MAX = 500;

/** A provider's text as it may reach a portal: secrets scrubbed, at most PROVIDER_TEXT_MAX characters. */
export function providerText(text: string, scrub: (text: string) => string, max = PROVIDER_TEXT_MAX): string {
  const clean = scrub(text);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Names under which JSON answers from providers carry tokens they issue (OAuth, Peruri JWT and OTP sessions). */
const ISSUED_KEYS = new Set(['jwt', 'access_token', 'accessToken', 'refresh_token', 'id_token', 'token', 'tokenBulk']);

/** Collects issued-token values from a provider's parsed JSON answer (at most a few levels deep). */
export function issuedTokensIn(value: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > 4 || value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' && ISSUED_KEYS.has(k)) out.push(v);
    else if (typeof v === 'object') issuedTokensIn(v, depth + 1, out);
  }
  return out;
}
