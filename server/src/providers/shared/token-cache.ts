// A cached access token (BSrE cloud OAuth `expires_in`, Peruri's one-day JWT): reused until shortly
// before it expires, refreshed by one request at a time (single-flight: callers arriving during a refresh
// share it), and refreshed once more when the provider answers 401 with a token we still thought valid.
// With a shared copy (the state store's `provider-tokens`, store/state.ts), a token one instance fetched is
// used by every instance and survives a restart: a refresh first looks there, and a refused token is
// forgotten there too.
import { createHash } from 'node:crypto';
import { STATE, type StateStore } from '../../store/state.js';
import { ProviderError } from './errors.js';

export interface IssuedToken {
  token: string;
  /** Epoch milliseconds after which the provider will refuse the token. */
  expiresAt: number;
}

/** Where the instances keep the current token of one credential. */
export interface SharedTokens {
  get(): Promise<IssuedToken | undefined>;
  put(issued: IssuedToken): Promise<void>;
  /** Forgets `token` if it is still the one kept. */
  forget(token: string): Promise<void>;
}

/**
 * The token of `provider` for this credential in the state store, under a hash of the credential (no
 * credential appears in a key), kept until the token expires.
 */
export function stateTokens(state: StateStore, provider: string, credential: readonly string[], now: () => number = Date.now): SharedTokens {
  const key = `${provider}\u0000${createHash('sha256').update(credential.join('\u0000')).digest('hex')}`;
  return {
    get: () => state.get<IssuedToken>(STATE.providerTokens, key),
    put: (issued) => state.put(STATE.providerTokens, key, issued, issued.expiresAt - now()),
    forget: (token) =>
      state.update<IssuedToken, void>(STATE.providerTokens, key, (kept) =>
        kept?.token === token ? { remove: true, result: undefined } : { keep: true, result: undefined },
      ),
  };
}

export interface TokenCacheOptions {
  fetchToken: () => Promise<IssuedToken>;
  /** The copy every instance shares (stateTokens); without it, the token lives in this process only. */
  shared?: SharedTokens | undefined;
  /** Refresh this long before `expiresAt`. Default 60 s. */
  refreshMarginMs?: number;
  now?: () => number;
  /** Told of every token fetched (the server adds it to the secrets it scrubs, for its lifetime: log/secrets.ts). */
  onIssued?: (issued: IssuedToken) => void;
}

export class TokenCache {
  readonly #fetchToken: () => Promise<IssuedToken>;
  readonly #margin: number;
  readonly #now: () => number;
  readonly #shared: SharedTokens | undefined;
  readonly #onIssued: ((issued: IssuedToken) => void) | undefined;
  #current: IssuedToken | undefined;
  #inflight: Promise<IssuedToken> | undefined;

  constructor(options: TokenCacheOptions) {
    this.#fetchToken = options.fetchToken;
    this.#margin = options.refreshMarginMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#shared = options.shared;
    this.#onIssued = options.onIssued;
  }

  #fresh(t: IssuedToken | undefined): t is IssuedToken {
    return t !== undefined && this.#now() < t.expiresAt - this.#margin;
  }

  /** A token valid for at least the refresh margin. */
  async get(): Promise<string> {
    const current = this.#current;
    if (this.#fresh(current)) return current.token;
    return (await this.#refresh()).token;
  }

  /** Forgets `token` if it is still the cached one (another caller may already have replaced it), here and in the shared copy. */
  async invalidate(token: string): Promise<void> {
    if (this.#current?.token === token) this.#current = undefined;
    await this.#shared?.forget(token);
  }

  #refresh(): Promise<IssuedToken> {
    this.#inflight ??= (async () => {
      // Another instance (or this one before a restart) may hold a good token already.
      const kept = await this.#shared?.get();
      if (this.#fresh(kept)) return kept;
      const issued = await this.#fetchToken();
      await this.#shared?.put(issued);
      return issued;
    })()
      .then((issued) => {
        this.#current = issued;
        this.#onIssued?.(issued);
        return issued;
      })
      .finally(() => {
        this.#inflight = undefined;
      });
    return this.#inflight;
  }

  /**
   * Runs `fn` with a token. If the provider rejects it as unauthorized, the token is dropped and `fn`
   * runs once more with a fresh one; a second refusal is passed on.
   */
  async withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get();
    try {
      return await fn(token);
    } catch (err) {
      if (!(err instanceof ProviderError) || err.code !== 'provider-unauthorized') throw err;
      await this.invalidate(token);
      return fn(await this.get());
    }
  }
}
