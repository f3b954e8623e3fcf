// Digisign's configuration (docs/configuration.md): DIGISIGN_* (all or nothing), read from the variables
// loadConfig hands over. Each bad value is one problem naming its variable, never its value.
import type { ProfileOverrides } from '@esign-kit/core';
import type { ConfigReader } from '../../config.js';
import type { DigisignDialect } from './dialect.js';

export interface DigisignConfig {
  url: string;
  token: string;
  userId: string;
  aesKey: string | undefined;
  /** Where Digisign's activation and signing pages live (the origin a portal frames). */
  webViewOrigin: string;
  profile?: ProfileOverrides;
  dialect: DigisignDialect;
}

/**
 * DIGISIGN_URL, DIGISIGN_TOKEN, DIGISIGN_USERID (all or none; the user id is the partner admin e-mail),
 * DIGISIGN_AES_KEY (the 16 characters of the redirects' AES-128 key), DIGISIGN_WEBVIEW_ORIGIN and DIGISIGN_PROFILE.
 */
export function readDigisignConfig(r: ConfigReader, dialect: DigisignDialect): DigisignConfig | undefined {
  if (!r.group(['DIGISIGN_URL', 'DIGISIGN_TOKEN', 'DIGISIGN_USERID'], 'Digisign')) return undefined;
  const url = r.url('DIGISIGN_URL', r.val('DIGISIGN_URL'));
  const userId = r.val('DIGISIGN_USERID')!;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(userId)) r.problem('DIGISIGN_USERID must be the partner admin e-mail address.');
  const aesKey = r.val('DIGISIGN_AES_KEY');
  if (aesKey !== undefined && Buffer.byteLength(aesKey) !== 16) r.problem('DIGISIGN_AES_KEY must be exactly 16 characters (the AES-128 key Digisign shares).');
  const webView = r.url('DIGISIGN_WEBVIEW_ORIGIN', r.val('DIGISIGN_WEBVIEW_ORIGIN') ?? 'https://wv.tandatanganku.com');
  if (!url || !webView) return undefined;
  return r.withProfile<DigisignConfig>(
    { url, token: r.val('DIGISIGN_TOKEN')!, userId, aesKey, webViewOrigin: new URL(webView).origin, dialect },
    'profile',
    'DIGISIGN_PROFILE',
  );
}

/** The values the log and answer scrubbers blank: the partner token and the redirects' AES key. */
export const digisignSecrets = (c: DigisignConfig | undefined): (string | undefined)[] => [c?.token, c?.aesKey];
