// A cached access token (BSrE cloud OAuth `expires_in`, Peruri's one-day JWT): reused until shortly
// before it expires, refreshed by one request at a time (single-flight: callers arriving during a refresh
// share it), and refreshed once more when the provider answers 401 with a token we still thought valid.
import { ProviderError } from './errors.js';

export interface IssuedToken {
  token: string;
  /** Epoch milliseconds after which the provider will refuse the token. */
  expiresAt: number;
}

export interface TokenCacheOptions {
  fetchToken: () => Promise<IssuedToken>;
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
  readonly #onIssued: ((issued: IssuedToken) => void) | undefined;
  #current: IssuedToken | undefined;
  #inflight: Promise<IssuedToken> | undefined;

  constructor(options: TokenCacheOptions) {
    this.#fetchToken = options.fetchToken;
    this.#margin = options.refreshMarginMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#onIssued = options.onIssued;
  }

  /** A token valid for at least the refresh margin. */
  async get(): Promise<string> {
    const current = this.#current;
    if (current && this.#now() < current.expiresAt - this.#margin) return current.token;
    return (await this.#refresh()).token;
  }

  /** Forgets `token` if it is still the cached one (another caller may already have replaced it). */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  #refresh(): Promise<IssuedToken> {
    this.#inflight ??= this.#fetchToken()
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
      this.invalidate(token);
      return fn(await this.get());
    }
  }
}
