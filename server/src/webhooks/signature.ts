// The Standard Webhooks signature scheme (https://www.standardwebhooks.com/; docs/webhooks.md, The signature), as
// pure functions: the secret is `whsec_` + base64 of the key bytes; the signed content is `<webhook-id>.<webhook-
// timestamp>.<body>`; `webhook-signature` is a space-separated list of `v1,<base64 HMAC-SHA256>` (several while a
// secret is rotated). A receiver checks the timestamp against its clock (5 minutes either way) so that a captured
// delivery cannot be replayed later, and compares in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** How far a delivery's timestamp may be from the receiver's clock, either way (the spec's recommendation). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** The key bytes of a `whsec_…` secret; throws on anything else. */
export function webhookKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new TypeError('A webhook secret starts with "whsec_".');
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new TypeError('A webhook secret is "whsec_" followed by base64.');
  const key = Buffer.from(b64, 'base64');
  if (key.length < 24 || key.length > 64) throw new TypeError('A webhook secret holds 24 to 64 bytes (the spec: 24 to 64).');
  return key;
}

/** The `webhook-signature` value of one delivery: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers a delivery carries. */
export function webhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signWebhook(secret, id, timestampSeconds, body) };
}

export type VerifyResult =
  { ok: true } | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'timestamp-too-old' | 'timestamp-too-new' | 'no-matching-signature' };

/**
 * Whether a delivery is genuine: the headers present, the timestamp within `toleranceSeconds` of `nowSeconds`,
 * and one of the `v1` signatures equal (in constant time) to the one computed over the exact body received.
 */
export function verifyWebhook(
  secret: string,
  headers: { 'webhook-id'?: string | undefined; 'webhook-timestamp'?: string | undefined; 'webhook-signature'?: string | undefined },
  body: string,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): VerifyResult {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = headers['webhook-signature'];
  if (!id || !ts || !sigs) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad-timestamp' };
  const timestamp = Number(ts);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (timestamp < now - tolerance) return { ok: false, reason: 'timestamp-too-old' };
  if (timestamp > now + tolerance) return { ok: false, reason: 'timestamp-too-new' };
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body).slice(3), 'base64');
  for (const candidate of sigs.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no-matching-signature' };
}
