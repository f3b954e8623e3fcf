// Builds the configured adapter clients from the configuration, each with a fetch that logs its upstream
// calls (and records them for the sandbox's request inspector) and adds the tokens providers issue to the
// secrets every log line and answer is scrubbed of. A provider whose variables are absent is
// simply not here; /api/providers lists what is.
import {
  BsreCloudClient,
  BsreEsignClient,
  DigisignClient,
  PeruriClient,
  type BsreClientSettings,
  type DigisignOperation,
  type DigisignSettings,
  type FetchLike,
  type PeruriOperation,
  type PeruriSettings,
} from './adapters.js';
import type { ServerConfig } from '../config.js';
import { recordingFetch } from '../inspector/recorder.js';
import { loggingFetch, type Logger } from '../log/logger.js';
import { noteIssuedSecret } from '../log/secrets.js';
import type { StateStore } from '../store/state.js';
import { stateTokens, type IssuedToken } from './shared/token-cache.js';

export interface Providers {
  bsre?: { client: BsreEsignClient; api: 'v1' | 'v2' };
  bsreCloud?: { client: BsreCloudClient };
  peruri?: { client: PeruriClient; settings: PeruriSettings };
  digisign?: { client: DigisignClient; settings: DigisignSettings; webViewOrigin: string };
}

export interface ProviderBuildOptions {
  logger: Logger;
  /** Tests may pass their own (msw intercepts the global fetch either way). */
  fetch?: FetchLike;
  /** Transport retries for idempotent calls (tests use 0). */
  retries?: number;
  retryDelayMs?: number;
  /** Client timeouts, read at every request (so a test may change them between calls); adapter defaults otherwise. */
  timeouts?: ProviderTimeouts;
  /** Peruri's clock, for its JWT's lifetime (tests move it). */
  peruriNow?: () => number;
  /** Where the provider tokens are shared by every instance (provider-tokens); omitted, each client keeps its own. */
  state?: StateStore | undefined;
}

/** BSrE's timeout for every call (Esign Client and cloud); Peruri's and Digisign's per operation. */
export interface ProviderTimeouts {
  bsre?: number;
  peruri?: Partial<Record<PeruriOperation, number>>;
  digisign?: Partial<Record<DigisignOperation, number>>;
}

/** BSrE settings read their timeout from `timeouts` at each request, when one is given. */
function bsreTimeout<T extends object>(settings: T, timeouts: ProviderTimeouts | undefined): T {
  if (timeouts) Object.defineProperty(settings, 'timeoutMs', { get: () => timeouts.bsre, enumerable: true });
  return settings;
}

export function buildProviders(config: ServerConfig, options: ProviderBuildOptions): Providers {
  const out: Providers = {};
  const send = (provider: string) => ({
    // Recorded for the request inspector only inside a traced request (sandbox mode); a pass-through otherwise.
    fetch: recordingFetch(provider, loggingFetch(options.logger, provider, options.fetch, config.secrets)),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
  });
  // A token cache's current token stays among the scrubbed secrets for its whole lifetime (log/secrets.ts).
  const onToken = (issued: IssuedToken) => noteIssuedSecret(config.secrets, issued.token, { expiresAt: issued.expiresAt, keep: true });
  const p = config.providers;
  if (p.bsre) {
    // The documented ambiguities as the deployment settled them (config.ts, providers/dialects.ts).
    const settings: BsreClientSettings = { baseUrl: p.bsre.url, username: p.bsre.username, password: p.bsre.password, ...p.bsre.dialect };
    if (p.bsre.profileV1) settings.profileV1 = p.bsre.profileV1;
    if (p.bsre.profileV2) settings.profileV2 = p.bsre.profileV2;
    out.bsre = { client: new BsreEsignClient(bsreTimeout(settings, options.timeouts), send('bsre')), api: p.bsre.api };
  }
  if (p.bsreCloud) {
    out.bsreCloud = {
      client: new BsreCloudClient(
        bsreTimeout(
          {
            baseUrl: p.bsreCloud.url,
            clientId: p.bsreCloud.clientId,
            clientSecret: p.bsreCloud.clientSecret,
            ...p.bsreCloud.dialect,
            ...(p.bsreCloud.profile ? { profile: p.bsreCloud.profile } : {}),
          },
          options.timeouts,
        ),
        {
          ...send('bsre-cloud'),
          onToken,
          ...(options.state
            ? { sharedTokens: stateTokens(options.state, 'bsre-cloud', [p.bsreCloud.url, p.bsreCloud.clientId, p.bsreCloud.clientSecret]) }
            : {}),
        },
      ),
    };
  }
  if (p.peruri) {
    const settings: PeruriSettings = {
      baseUrl: p.peruri.url,
      apiKey: p.peruri.apiKey,
      systemId: p.peruri.systemId,
      environment: p.peruri.environment,
      paths: p.peruri.paths,
      ...p.peruri.dialect,
      ...(p.peruri.webViewUrl ? { webViewBaseUrl: p.peruri.webViewUrl } : {}),
      ...(p.peruri.profile ? { profile: p.peruri.profile } : {}),
      ...(options.timeouts?.peruri ? { timeouts: options.timeouts.peruri } : {}),
    };
    const now = options.peruriNow ? { now: options.peruriNow } : {};
    const shared = options.state
      ? { sharedTokens: stateTokens(options.state, 'peruri', [p.peruri.url, p.peruri.systemId, p.peruri.apiKey], options.peruriNow) }
      : {};
    out.peruri = { client: new PeruriClient(settings, { ...send('peruri'), onToken, ...now, ...shared }), settings };
  }
  if (p.digisign) {
    const settings: DigisignSettings = {
      baseUrl: p.digisign.url,
      token: p.digisign.token,
      userid: p.digisign.userId,
      meteraiField: p.digisign.dialect.meteraiField,
      genderCase: p.digisign.dialect.genderCase,
      ...(p.digisign.dialect.changeContactUrl ? { changeContactUrl: p.digisign.dialect.changeContactUrl } : {}),
      ...(p.digisign.aesKey ? { aesKey: p.digisign.aesKey } : {}),
      ...(p.digisign.profile ? { profile: p.digisign.profile } : {}),
      ...(options.timeouts?.digisign ? { timeouts: options.timeouts.digisign } : {}),
    };
    out.digisign = { client: new DigisignClient(settings, send('digisign')), settings, webViewOrigin: p.digisign.webViewOrigin };
  }
  return out;
}

/** What /api/providers shows: which providers, which API, which web-view origins — never a credential. */
export function describeProviders(config: ServerConfig, providers: Providers) {
  const origin = (u: string | undefined) => (u ? new URL(u).origin : null);
  return {
    mode: config.mode,
    providers: {
      bsre: providers.bsre
        ? { configured: true, api: providers.bsre.api, cloud: Boolean(providers.bsreCloud), webViewOrigin: null }
        : { configured: false, cloud: Boolean(providers.bsreCloud) },
      peruri: providers.peruri ? { configured: true, webViewOrigin: origin(providers.peruri.settings.webViewBaseUrl) } : { configured: false },
      digisign: providers.digisign
        ? { configured: true, webViewOrigin: providers.digisign.webViewOrigin, callbacks: Boolean(providers.digisign.settings.aesKey) }
        : { configured: false },
    },
  };
}
