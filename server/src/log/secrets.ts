// The secret values this server must never let out — configured credentials and the tokens providers issue at
// run time (Peruri's JWT and OTP session tokens, BSrE cloud access tokens) — and the one scrubber that blanks
// them, in every common encoding, from log lines, request-inspector traces and every answer (http/answers.ts).
//
// The list is `config.secrets` itself: configured values first, then issued ones appended by noteIssuedSecret,
// so that the logger, the inspector and the answers, which all hold that same array, learn a token the moment a
// provider hands it out. Issued values leave the list when their lifetime ends, not because newer ones came:
// the token caches' current tokens (Peruri's one-day JWT, the BSrE cloud access token) are noted with their
// expiry and kept until then, however many OTP session tokens are issued meanwhile (a count cap dropped the
// Peruri JWT after 200 OTP requests). The cap below only bounds memory against a provider issuing floods of
// tokens; it never drops a kept one.

/** Shorter values would blank ordinary words; config refuses such secrets in live mode. */
const MIN_LENGTH = 6;
/** How long an issued value is scrubbed when its lifetime is unknown: longer than Peruri's one-day JWT. */
const DEFAULT_ISSUED_MS = 25 * 60 * 60_000;
/** Issued values held at most (not counting kept ones); past it the oldest not kept is dropped. */
const MAX_ISSUED = 5000;

interface IssuedEntry {
  expiresAt: number;
  /** A token cache's current token: never dropped for room, only when its lifetime ends. */
  keep: boolean;
}

interface Issued {
  /** How many configured values precede the issued ones. */
  configured: number;
  /** Bumped on every change, so that scrubbers rebuild their forms. */
  version: number;
  /** Issued value → its lifetime, in the order noted (oldest first). */
  entries: Map<string, IssuedEntry>;
}
const issuedOf = new WeakMap<readonly string[], Issued>();

export interface IssuedSecretOptions {
  /** Epoch ms when the provider stops accepting it (a token cache knows); else DEFAULT_ISSUED_MS from now. */
  expiresAt?: number;
  /** Keep it until `expiresAt` whatever else is issued (a token cache's current token). */
  keep?: boolean;
  now?: number;
}

/**
 * Adds a provider-issued secret to `secrets` (the array the scrubbers hold), or extends one already there.
 * Values whose lifetime has ended are dropped; past MAX_ISSUED the oldest value not kept goes.
 */
export function noteIssuedSecret(secrets: string[], value: string, options: IssuedSecretOptions = {}): void {
  // Values found in answers must look like tokens (16+); a value the server knows is a secret (kept) only like a
  // configured one (6+: a short Signing System key a portal chose).
  if (value.length < (options.keep ? MIN_LENGTH : 16)) return;
  const now = options.now ?? Date.now();
  let info = issuedOf.get(secrets);
  if (!info) issuedOf.set(secrets, (info = { configured: secrets.length, version: 0, entries: new Map() }));
  const expiresAt = options.expiresAt ?? now + DEFAULT_ISSUED_MS;
  const known = info.entries.get(value);
  if (known) {
    known.expiresAt = Math.max(known.expiresAt, expiresAt);
    known.keep ||= options.keep === true;
    return;
  }
  if (secrets.includes(value)) return; // a configured value
  info.entries.set(value, { expiresAt, keep: options.keep === true });
  secrets.push(value);
  let room = [...info.entries.values()].filter((e) => !e.keep).length - MAX_ISSUED;
  for (const [v, e] of info.entries) {
    if (e.expiresAt > now && (e.keep || room <= 0)) continue;
    if (!e.keep) room--;
    info.entries.delete(v);
    const at = secrets.indexOf(v, info.configured);
    if (at >= 0) secrets.splice(at, 1);
  }
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

/**
 * Every way a value commonly travels: as is, URL-encoded (encodeURIComponent and the form encoding, either case
 * of percent escapes), JSON-escaped (with "/" as is or as "\\/"), base64 and base64url (any alignment), hex.
 */
export function encodingsOf(value: string): string[] {
  const bytes = Buffer.from(value);
  const uri = encodeURIComponent(value);
  // application/x-www-form-urlencoded (URLSearchParams: the BSrE cloud client_secret travels so in the query):
  // space as "+", and !'()~ escaped, unlike encodeURIComponent.
  const form = new URLSearchParams([['', value]]).toString().slice(1);
  const json = JSON.stringify(value).slice(1, -1);
  const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [
    value,
    uri,
    form,
    // Percent escapes in lower case (%2f): RFC 3986 §2.1 makes them equivalent, and some clients write them so.
    lower(uri),
    lower(form),
    json,
    // JSON that escapes "/" as "\/" (PHP's json_encode does by default: an echoed Digisign token).
    json.replace(/\//g, '\\/'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    ...alignedBase64(bytes, 'base64'),
    ...alignedBase64(bytes, 'base64url'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ];
}

/** Forms are looked up by their first characters (every form is at least MIN_LENGTH long). */
const PREFIX = 4;

/**
 * Replaces every occurrence of a known secret, in any of its encodings, with `[redacted]`. One pass over the
 * text, looking the forms up by their first characters (the longest form starting at a position wins), so that
 * thousands of issued tokens cost a map lookup per character, not a search of the text per form.
 */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  let builtFor = -1;
  let builtLength = -1;
  let index = new Map<string, string[]>();
  const build = () => {
    const set = new Set<string>();
    for (const s of secrets) if (s.length >= MIN_LENGTH) for (const f of encodingsOf(s)) if (f.length >= PREFIX) set.add(f);
    index = new Map();
    for (const f of [...set].sort((a, b) => b.length - a.length)) {
      const key = f.slice(0, PREFIX);
      const list = index.get(key);
      if (list) list.push(f);
      else index.set(key, [f]);
    }
    builtFor = issuedOf.get(secrets)?.version ?? 0;
    builtLength = secrets.length;
  };
  return (text) => {
    if (builtLength !== secrets.length || builtFor !== (issuedOf.get(secrets)?.version ?? 0)) build();
    if (index.size === 0) return text;
    let out = '';
    let copied = 0;
    for (let i = 0; i + PREFIX <= text.length;) {
      const list = index.get(text.slice(i, i + PREFIX));
      const hit = list?.find((f) => text.startsWith(f, i));
      if (hit === undefined) {
        i++;
        continue;
      }
      out += `${text.slice(copied, i)}[redacted]`;
      i += hit.length;
      copied = i;
    }
    return copied === 0 ? text : out + text.slice(copied);
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
