/**
 * @esign-kit/bridge: provider web-view callbacks as typed, validated data, in one vocabulary for every
 * provider and flow: `ready`, `complete`, `cancel`, `error`, `timeout`.
 *
 * Portals today paste Peruri's sample handler, which calls whatever global function a message names and
 * writes the message into innerHTML. Here a message is only ever parsed: unknown shapes are rejected with a
 * reason, nothing is executed, and nothing is rendered as HTML.
 */

export type Provider = 'peruri' | 'digisign';
export type Flow = 'activation' | 'sign';
export type BridgeEventType = 'ready' | 'complete' | 'cancel' | 'error' | 'timeout';

export interface BridgeEvent {
  type: BridgeEventType;
  provider: Provider;
  flow: Flow;
  /** The provider's result code (`"0"` for Peruri, `"00"` for Digisign on success). */
  providerCode?: string;
  /** The provider's own message, as text (often Indonesian); never HTML. */
  providerMessage?: string;
  /** Typed fields of the result (document id, e-mail, completion), per provider. */
  result?: Record<string, string | boolean>;
}

export type RejectionReason = 'not-an-object' | 'bad-json' | 'too-large' | 'missing-field' | 'bad-field' | 'unknown-message' | 'wrong-channel' | 'replayed';

export interface Rejection {
  rejected: true;
  reason: RejectionReason;
  field?: string;
}

export type Parsed = BridgeEvent | Rejection;

export const isRejection = <T extends object>(value: T | Rejection): value is Rejection => 'rejected' in value;

/** No legitimate callback is larger; bigger payloads are refused before any parsing. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
const MAX_TEXT = 1000;

const reject = (reason: RejectionReason, field?: string): Rejection => (field ? { rejected: true, reason, field } : { rejected: true, reason });

function sizeOf(value: unknown): number {
  try {
    return typeof value === 'string' ? value.length : (JSON.stringify(value)?.length ?? 0);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** A short text field: a string (or a number, for codes) of bounded length, with control characters removed. */
function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, MAX_TEXT);
}

function plainObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

// ── Peruri (peruri.md §9): event.data = { func, message }, message an object or a JSON string ──────────

/**
 * Callback names Peruri's pages are known to use. `generateCertificate` is documented for activation; the
 * signing name is not (gap 15), so any identifier is accepted as a *label* — it is never called.
 */
const FUNCTION_NAME = /^[A-Za-z_$][\w$]{0,63}$/;

export function parsePeruriMessage(data: unknown, flow: Flow): Parsed {
  if (sizeOf(data) > MAX_MESSAGE_BYTES) return reject('too-large');
  const envelope = plainObject(data);
  if (!envelope) return reject('not-an-object');
  if (typeof envelope.func !== 'string') return reject('missing-field', 'func');
  if (!FUNCTION_NAME.test(envelope.func)) return reject('bad-field', 'func');
  let message: unknown = envelope.message;
  if (typeof message === 'string') {
    try {
      message = JSON.parse(message);
    } catch {
      return reject('bad-json', 'message');
    }
  }
  const body = plainObject(message);
  if (!body) return reject('not-an-object', 'message');
  const code = text(body.resultCode);
  if (code === undefined || code === '') return reject('missing-field', 'message.resultCode');
  const description = text(body.resultDesc);
  const event: BridgeEvent = { type: code === '0' ? 'complete' : 'error', provider: 'peruri', flow, providerCode: code };
  if (description !== undefined) event.providerMessage = description;
  const result: Record<string, string | boolean> = { callback: envelope.func };
  for (const key of ['orderId', 'email'] as const) {
    const value = text(body[key]);
    if (value !== undefined) result[key] = value;
  }
  event.result = result;
  return event;
}

// ── Our own landing page (the Digisign redirect, decrypted by the companion server) ─────────────────

export const LANDING_MESSAGE_TYPE = 'esign-kit/callback';

/** What the companion server's landing page posts to the element that opened the flow. */
export interface LandingMessage {
  type: typeof LANDING_MESSAGE_TYPE;
  version: 1;
  /** The element's channel id, carried in the iframe's name across the provider's pages. */
  channel: string;
  provider: Provider;
  flow: Flow;
  ok: boolean;
  providerCode?: string;
  providerMessage?: string;
  result?: Record<string, string | boolean>;
  error?: { code: string; message: string };
}

/** The iframe's name carries the channel: a frame's name survives its navigations across origins. */
export const FRAME_NAME_PREFIX = 'esign-kit:';

export function frameNameFor(channel: string): string {
  return `${FRAME_NAME_PREFIX}${channel}`;
}

export function channelFromFrameName(name: string): string | null {
  if (!name.startsWith(FRAME_NAME_PREFIX)) return null;
  const channel = name.slice(FRAME_NAME_PREFIX.length);
  return CHANNEL.test(channel) ? channel : null;
}

const CHANNEL = /^[A-Za-z0-9_-]{22,64}$/;

// WebCrypto exists in browsers and Node 20 alike; the bridge's lib (es2023, no DOM) only lacks its type.
const webCrypto = (globalThis as unknown as { crypto: { getRandomValues(bytes: Uint8Array): Uint8Array } }).crypto;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += BASE64URL[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** A fresh, unguessable channel id (128 random bits, base64url). */
export function createChannelId(random: (bytes: Uint8Array) => Uint8Array = (b) => webCrypto.getRandomValues(b)): string {
  return base64url(random(new Uint8Array(16)));
}

function stringRecord(value: unknown, field: string): Record<string, string | boolean> | Rejection {
  const object = plainObject(value);
  if (!object) return reject('not-an-object', field);
  const out: Record<string, string | boolean> = {};
  for (const [key, v] of Object.entries(object)) {
    if (!/^[A-Za-z][\w]{0,39}$/.test(key)) return reject('bad-field', `${field}.${key}`);
    if (typeof v === 'boolean') out[key] = v;
    else {
      const t = text(v);
      if (t === undefined) return reject('bad-field', `${field}.${key}`);
      out[key] = t;
    }
  }
  return out;
}

export function parseLandingMessage(data: unknown): LandingMessage | Rejection {
  if (sizeOf(data) > MAX_MESSAGE_BYTES) return reject('too-large');
  const m = plainObject(data);
  if (!m) return reject('not-an-object');
  if (m.type !== LANDING_MESSAGE_TYPE || m.version !== 1) return reject('unknown-message', 'type');
  if (typeof m.channel !== 'string' || !CHANNEL.test(m.channel)) return reject('bad-field', 'channel');
  if (m.provider !== 'peruri' && m.provider !== 'digisign') return reject('bad-field', 'provider');
  if (m.flow !== 'activation' && m.flow !== 'sign') return reject('bad-field', 'flow');
  if (typeof m.ok !== 'boolean') return reject('bad-field', 'ok');
  const message: LandingMessage = { type: LANDING_MESSAGE_TYPE, version: 1, channel: m.channel, provider: m.provider, flow: m.flow, ok: m.ok };
  for (const key of ['providerCode', 'providerMessage'] as const) {
    if (m[key] === undefined) continue;
    const t = text(m[key]);
    if (t === undefined) return reject('bad-field', key);
    message[key] = t;
  }
  if (m.result !== undefined) {
    const result = stringRecord(m.result, 'result');
    if ('rejected' in result) return result as Rejection;
    message.result = result;
  }
  if (m.error !== undefined) {
    const e = plainObject(m.error);
    const code = text(e?.code);
    const msg = text(e?.message);
    if (!e || code === undefined || msg === undefined) return reject('bad-field', 'error');
    message.error = { code, message: msg };
  }
  return message;
}

/** The landing message in the shared vocabulary. */
export function landingToEvent(message: LandingMessage): BridgeEvent {
  const event: BridgeEvent = {
    type: message.ok ? 'complete' : message.error?.code === 'cancelled' ? 'cancel' : 'error',
    provider: message.provider,
    flow: message.flow,
  };
  if (message.providerCode !== undefined) event.providerCode = message.providerCode;
  if (message.providerMessage !== undefined) event.providerMessage = message.providerMessage;
  else if (message.error) event.providerMessage = message.error.message;
  if (message.result) event.result = message.result;
  return event;
}

/**
 * Binds callbacks to the element that opened a flow: only its own channel is accepted, and only once
 * (a replayed completion is refused). One guard per element.
 */
export class ChannelGuard {
  private readonly consumed = new Set<string>();

  constructor(private channel: string) {}

  get current(): string {
    return this.channel;
  }

  /** A new flow (a retry) gets a new channel; the old one can no longer complete anything. */
  renew(channel: string): void {
    this.consumed.add(this.channel);
    this.channel = channel;
  }

  accept(message: LandingMessage): BridgeEvent | Rejection {
    if (this.consumed.has(message.channel)) return reject('replayed', 'channel');
    if (message.channel !== this.channel) return reject('wrong-channel', 'channel');
    this.consumed.add(message.channel);
    return landingToEvent(message);
  }
}
