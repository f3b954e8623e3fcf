// Digisign's encrypted redirects (docs/providers/digisign.md §4, §7): what a finished activation or signing
// sends the browser back with.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { isRecord, optionalStringField } from '../shared/check.js';
import { invalid, ProviderError } from '../shared/errors.js';

// §4, §7 Encrypted redirects: `msg` = URL-encode(MIME-base64(AES-128-ECB/PKCS5(JSON))).

export type DigisignRedirect =
  | {
      kind: 'activation';
      result: string;
      ok: boolean;
      notif: string | undefined;
      emailUser: string;
      nik: string | undefined;
      /** `{nama, tanggal_lahir, selfie}` in the example, a boolean in the table (gap 11). */
      verification: unknown;
    }
  | {
      kind: 'signing';
      result: string;
      ok: boolean;
      notif: string | undefined;
      documentId: string;
      emailUser: string;
      /** As sent: `complete` in the examples, `completed`/`waiting` in the table. */
      statusDocument: string;
      /** All signers are done. */
      completed: boolean;
    };

function aesKey(key: unknown): Buffer {
  if (typeof key !== 'string' || Buffer.byteLength(key, 'utf8') !== 16) invalid('aesKey', 'aesKey must be the 16-character key shared by Digisign.');
  return Buffer.from(key, 'utf8');
}

function redirectError(code: 'redirect-malformed' | 'redirect-truncated' | 'redirect-undecryptable', message: string, cause?: unknown): ProviderError {
  // 400: the redirect arrived from the user's browser; it is the caller's input, not a provider failure.
  return new ProviderError({ code, provider: 'digisign', operation: 'digisign.redirect', message, httpStatus: 400, retryable: false, cause });
}

/** Encrypts like Digisign does (base64 with MIME line breaks every 76 characters, then URL-encoded). */
export function encryptDigisignRedirect(payload: Record<string, unknown>, key: string): string {
  const cipher = createCipheriv('aes-128-ecb', aesKey(key), null);
  const bytes = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const b64 = bytes.toString('base64').replace(/.{76}(?=.)/g, '$&\n');
  return encodeURIComponent(b64);
}

/**
 * Decrypts a `msg` redirect value (§7.1), whether it is still URL-encoded (from the raw query string) or
 * already decoded (from URLSearchParams, where a `+` arrives as a space). AES-ECB has no integrity check
 * (gap 11): a wrong key or a tampered value is caught only by the padding, UTF-8 and JSON checks, so the
 * outcome must be confirmed with a download before it is trusted.
 */
export function decryptDigisignRedirect(msg: string, key: string): DigisignRedirect {
  const k = aesKey(key);
  if (typeof msg !== 'string' || msg.trim() === '') throw redirectError('redirect-malformed', 'The redirect has no msg value.');
  let text = msg.trim();
  if (/%[0-9a-f]{2}/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch (cause) {
      throw redirectError('redirect-malformed', 'The redirect msg is not valid URL encoding.', cause);
    }
  }
  const b64 = text.replace(/ /g, '+').replace(/[\r\n\t]/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw redirectError('redirect-malformed', 'The redirect msg is not base64.');
  if (b64.length % 4 !== 0) throw redirectError('redirect-truncated', 'The redirect msg is truncated (base64 length).');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0 || bytes.length % 16 !== 0) throw redirectError('redirect-truncated', 'The redirect msg is truncated (not whole AES blocks).');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-128-ecb', k, null);
    const out = Buffer.concat([decipher.update(bytes), decipher.final()]);
    plain = new TextDecoder('utf-8', { fatal: true }).decode(out);
  } catch (cause) {
    throw redirectError('redirect-undecryptable', 'The redirect msg does not decrypt with the configured key (wrong key or altered value).', cause);
  }
  let value: unknown;
  try {
    value = JSON.parse(plain);
  } catch (cause) {
    throw redirectError('redirect-undecryptable', 'The redirect msg decrypts to something that is not JSON (wrong key or altered value).', cause);
  }
  const obj = isRecord(value) && isRecord(value.JSONFile) ? value.JSONFile : value;
  if (!isRecord(obj)) throw redirectError('redirect-malformed', 'The redirect payload is not a JSON object.');
  const result = optionalStringField(obj, 'result');
  const emailUser = optionalStringField(obj, 'email_user');
  if (!result || !emailUser) throw redirectError('redirect-malformed', 'The redirect payload lacks result or email_user.');
  const notif = optionalStringField(obj, 'notif');
  const docId = optionalStringField(obj, 'document_id');
  if (docId !== undefined) {
    const statusDocument = optionalStringField(obj, 'status_document') ?? '';
    return {
      kind: 'signing',
      result,
      ok: result === '00',
      notif,
      documentId: docId,
      emailUser,
      statusDocument,
      completed: statusDocument === 'complete' || statusDocument === 'completed',
    };
  }
  return { kind: 'activation', result, ok: result === '00', notif, emailUser, nik: optionalStringField(obj, 'nik'), verification: obj.verifikasi };
}
