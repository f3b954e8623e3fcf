// Small shared checks: caller input (InputError naming the field) and response bodies (ProviderError).
import { badResponse, invalid } from './errors.js';
import type { ProviderId } from './types.js';

const NIK = /^\d{16}$/;
// Deliberately simple (one @, a dot in the domain, no spaces): providers do their own stricter check.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requireString(value: unknown, field: string, max?: number): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(field, `${field} is required and must be a non-empty string.`);
  if (max !== undefined && value.length > max) invalid(field, `${field} must be at most ${max} characters long.`);
  return value;
}

export function optionalString(value: unknown, field: string, max?: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requireString(value, field, max);
}

export function requireNik(value: unknown, field = 'nik'): string {
  if (typeof value !== 'string' || !NIK.test(value)) invalid(field, `${field} must be a 16-digit NIK.`);
  return value;
}

export function requireEmail(value: unknown, field = 'email', max = 80): string {
  if (typeof value !== 'string' || !EMAIL.test(value)) invalid(field, `${field} must be an e-mail address.`);
  if (value.length > max) invalid(field, `${field} must be at most ${max} characters long.`);
  return value;
}

export function requireOtp(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4,8}$/.test(value)) invalid(field, `${field} must be the numeric code the user received.`);
  return value;
}

export function requireBytes(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.byteLength === 0) invalid(field, `${field} must be non-empty bytes (a Uint8Array).`);
  return value;
}

/** A PDF is recognised by its header; anything else is refused before it costs a provider call. */
export function requirePdf(value: unknown, field: string): Uint8Array {
  const bytes = requireBytes(value, field);
  if (!startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) invalid(field, `${field} must be a PDF (it does not start with %PDF-).`);
  return bytes;
}

export function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

export const isJpeg = (b: Uint8Array) => startsWith(b, [0xff, 0xd8, 0xff]);
export const isPng = (b: Uint8Array) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Plain base64 without a data-URI prefix (Peruri §1, BSrE v2 `file[]`). */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
}

export function isBase64(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  return t.length > 0 && t.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(t);
}

export function mediaType(headers: Headers): string {
  return (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonType(headers: Headers): boolean {
  const t = mediaType(headers);
  return t === 'application/json' || t.endsWith('+json');
}

export function decodeText(body: Uint8Array): string {
  return new TextDecoder('utf-8').decode(body);
}

/** Parses a JSON object body, or throws a 502 naming what was wrong. */
export function jsonObject(provider: ProviderId, operation: string, body: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeText(body));
  } catch (cause) {
    throw badResponse(provider, operation, 'the body is not JSON', cause);
  }
  if (!isRecord(value)) throw badResponse(provider, operation, 'the body is not a JSON object');
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(
  obj: Record<string, unknown>,
  key: string,
  provider: ProviderId,
  operation: string,
): string {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw badResponse(provider, operation, `field ${key} is missing or not a string`);
}

export function optionalStringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}


/** An ISO `yyyy-mm-dd` date, split into its parts; a provider wants it in its own order. */
export function requireIsoDate(value: unknown, field: string): [string, string, string] {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m) invalid(field, `${field} must be a date written yyyy-mm-dd.`);
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const date = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(d)) invalid(field, `${field} is not a real date.`);
  return [y, mo, d];
}
