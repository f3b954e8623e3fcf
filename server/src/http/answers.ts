// Every JSON answer of the API passes through here once, errors included (the error handler answers with
// res.json on the same response): configured secrets and provider-issued tokens are scrubbed in any encoding,
// then provider words are cut to a bounded length. A provider (or anything between us and it) that echoes our
// request — Basic credentials, the Peruri API key, the Digisign token, a JWT — into its refusal text would
// otherwise hand them to the browser in `error.provider.message`, `resultDesc` or `notif`. One place, so that
// no route can forget it.
import type { RequestHandler } from 'express';
import { PROVIDER_TEXT_MAX, secretScrubber } from '../log/secrets.js';

/** Keys under which answers carry text that may come from a provider (and our own short messages). */
const TEXT_KEYS = new Set(['message', 'resultDesc', 'notif', 'providerMessage', 'info']);
/** Codes are short (ours are kebab-case, providers' a few characters): anything longer is cut. */
const CODE_KEYS = new Set(['code', 'resultCode', 'providerCode']);
const CODE_MAX = 64;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The answer with provider words cut to length; the same object when nothing was too long. */
function capTexts(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && TEXT_KEYS.has(key)) return cut(value, PROVIDER_TEXT_MAX);
    if (key !== undefined && CODE_KEYS.has(key)) return cut(value, CODE_MAX);
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => capTexts(v));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([k, v]) => [k, capTexts(v, k)] as const);
    return entries.some(([k, v]) => v !== (value as Record<string, unknown>)[k]) ? Object.fromEntries(entries) : value;
  }
  return value;
}

/** Each string scrubbed on its own: the fallback when a replacement in the serialised text broke its JSON. */
function scrubDeep(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)]));
  return value;
}

/** The JSON text of an answer as it may leave: secrets scrubbed first (never cut in half), then provider words capped. */
export function cleanAnswer(body: unknown, scrub: (text: string) => string): string {
  const text = JSON.stringify(body) ?? 'null';
  const scrubbed = scrub(text);
  let value: unknown = body;
  if (scrubbed !== text) {
    try {
      value = JSON.parse(scrubbed);
    } catch {
      value = scrubDeep(JSON.parse(text), scrub);
    }
  }
  const capped = capTexts(value);
  return capped === body ? text : JSON.stringify(capped);
}

/** Replaces res.json for the requests it sees: every answer leaves through cleanAnswer. */
export function scrubAnswers(secrets: readonly string[]): RequestHandler {
  const scrub = secretScrubber(secrets);
  return (_req, res, next) => {
    res.json = (body: unknown) => {
      if (!res.get('Content-Type')) res.set('Content-Type', 'application/json; charset=utf-8');
      return res.send(cleanAnswer(body, scrub));
    };
    next();
  };
}
