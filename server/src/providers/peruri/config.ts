// Peruri's configuration (docs/configuration.md): PERURI_* (all or nothing), read from the variables
// loadConfig hands over. Each bad value is one problem naming its variable, never its value.
import type { ProfileOverrides } from '@esign-kit/core';
import type { ConfigReader } from '../../config.js';
import type { PeruriDialect } from './dialect.js';
import { PERURI_OPERATIONS, type PeruriOperation } from './operations.js';

export interface PeruriConfig {
  url: string;
  apiKey: string;
  systemId: string;
  webViewUrl: string | undefined;
  environment: 'sandbox' | 'production';
  paths: Partial<Record<PeruriOperation, string>>;
  profile?: ProfileOverrides;
  dialect: PeruriDialect;
}

/** PERURI_PATH_SEND_DOCUMENT for sendDocument, and so on. */
export const peruriPathVariable = (op: PeruriOperation) => `PERURI_PATH_${op.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/**
 * PERURI_URL, PERURI_API_KEY, PERURI_SYSTEM_ID (all or none), PERURI_WEBVIEW_URL, PERURI_ENVIRONMENT (default
 * `sandbox` in sandbox mode, `production` live), a PERURI_PATH_<OPERATION> per renamed operation (docs/providers/peruri.md §2.1), and
 * PERURI_PROFILE.
 */
export function readPeruriConfig(r: ConfigReader, dialect: PeruriDialect): PeruriConfig | undefined {
  if (!r.group(['PERURI_URL', 'PERURI_API_KEY', 'PERURI_SYSTEM_ID'], 'Peruri')) return undefined;
  const url = r.url('PERURI_URL', r.val('PERURI_URL'));
  const webViewUrl = r.url('PERURI_WEBVIEW_URL', r.val('PERURI_WEBVIEW_URL'));
  const environment = r.val('PERURI_ENVIRONMENT') ?? (r.sandbox ? 'sandbox' : 'production');
  if (environment !== 'sandbox' && environment !== 'production') r.problem(`PERURI_ENVIRONMENT must be "sandbox" or "production" (got "${environment}").`);
  const paths: Partial<Record<PeruriOperation, string>> = {};
  for (const op of PERURI_OPERATIONS) {
    const p = r.get(peruriPathVariable(op));
    if (p === undefined) continue;
    if (!/^\/[A-Za-z0-9._~\-/]*$/.test(p)) r.problem(`${peruriPathVariable(op)} must be a path starting with "/".`);
    else paths[op] = p;
  }
  if (!url) return undefined;
  return r.withProfile<PeruriConfig>(
    {
      url,
      apiKey: r.val('PERURI_API_KEY')!,
      systemId: r.val('PERURI_SYSTEM_ID')!,
      webViewUrl,
      environment: environment === 'production' ? 'production' : 'sandbox',
      paths,
      dialect,
    },
    'profile',
    'PERURI_PROFILE',
  );
}

/** The value the log and answer scrubbers blank: the gateway API key. */
export const peruriSecrets = (c: PeruriConfig | undefined): (string | undefined)[] => [c?.apiKey];
