// BSrE's configuration (docs/configuration.md): the Esign Client (BSRE_*) and the cloud service
// (BSRE_CLOUD_*), each all or nothing, read from the variables loadConfig hands over. Each bad value is one
// problem naming its variable, never its value.
import type { ProfileOverrides } from '@esign-kit/core';
import type { ConfigReader } from '../../config.js';
import type { BsreCloudDialect, BsreDialect } from './dialect.js';

export interface BsreConfig {
  url: string;
  username: string;
  password: string;
  api: 'v1' | 'v2';
  profileV1?: ProfileOverrides;
  profileV2?: ProfileOverrides;
  /** The documented ambiguities this deployment settles (bsre/dialect.ts). */
  dialect: BsreDialect;
}

export interface BsreCloudConfig {
  url: string;
  clientId: string;
  clientSecret: string;
  profile?: ProfileOverrides;
  dialect: BsreCloudDialect;
}

/** BSRE_URL, BSRE_USERNAME, BSRE_PASSWORD (all or none), BSRE_API, BSRE_PROFILE_V1, BSRE_PROFILE_V2. */
export function readBsreConfig(r: ConfigReader, dialect: BsreDialect): BsreConfig | undefined {
  if (!r.group(['BSRE_URL', 'BSRE_USERNAME', 'BSRE_PASSWORD'], 'BSrE Esign Client')) return undefined;
  const api = r.val('BSRE_API') ?? 'v2';
  if (api !== 'v1' && api !== 'v2') r.problem(`BSRE_API must be "v1" or "v2" (got "${api}").`);
  const url = r.url('BSRE_URL', r.val('BSRE_URL'));
  if (!url) return undefined;
  let c: BsreConfig = { url, username: r.val('BSRE_USERNAME')!, password: r.val('BSRE_PASSWORD')!, api: api === 'v1' ? 'v1' : 'v2', dialect };
  c = r.withProfile(c, 'profileV1', 'BSRE_PROFILE_V1');
  return r.withProfile(c, 'profileV2', 'BSRE_PROFILE_V2');
}

/** BSRE_CLOUD_URL, BSRE_CLOUD_CLIENT_ID, BSRE_CLOUD_CLIENT_SECRET (all or none), BSRE_CLOUD_PROFILE. */
export function readBsreCloudConfig(r: ConfigReader, dialect: BsreCloudDialect): BsreCloudConfig | undefined {
  if (!r.group(['BSRE_CLOUD_URL', 'BSRE_CLOUD_CLIENT_ID', 'BSRE_CLOUD_CLIENT_SECRET'], 'BSrE cloud')) return undefined;
  const url = r.url('BSRE_CLOUD_URL', r.val('BSRE_CLOUD_URL'));
  if (!url) return undefined;
  return r.withProfile<BsreCloudConfig>(
    { url, clientId: r.val('BSRE_CLOUD_CLIENT_ID')!, clientSecret: r.val('BSRE_CLOUD_CLIENT_SECRET')!, dialect },
    'profile',
    'BSRE_CLOUD_PROFILE',
  );
}

/**
 * The values the log and answer scrubbers blank: the password, the Basic credentials as a whole and the name
 * beside them (an echo of a request must not show them), the cloud client's id and secret.
 */
export function bsreSecrets(c: BsreConfig | undefined, cloud: BsreCloudConfig | undefined): (string | undefined)[] {
  return [c?.password, c && Buffer.from(`${c.username}:${c.password}`).toString('base64'), c?.username, cloud?.clientId, cloud?.clientSecret];
}
