// The roots <esign-verify> trusts: the page's own (`trusted-roots`), else the companion server's list
// (GET api/trust/roots, fetched once per server and kept), else none — in which case no certificate is trusted.
import { ServerError, type ServerClient } from '../internal/server-client.js';
import type { TrustedRootInput } from './input.js';

/** Where the roots came from, as the summary says it. */
export interface TrustInfo {
  count: number;
  source: 'server' | 'page' | 'none';
  /** The server's list could not be loaded. */
  failed: boolean;
}

export interface ResolvedRoots {
  roots: (string | Uint8Array)[];
  trust: TrustInfo;
  /** Why the server's list could not be loaded (the check goes on without roots). */
  error?: ServerError;
}

export class TrustRoots {
  private cache: { url: string; roots: Promise<string[]> } | null = null;

  /** The roots to trust for one check; never rejects (a list that failed is `error`, and is asked again next time). */
  async resolve(page: readonly TrustedRootInput[] | null, server: ServerClient | null, signal: AbortSignal): Promise<ResolvedRoots> {
    if (page) {
      const roots = [...page].map((r) => (r instanceof ArrayBuffer ? new Uint8Array(r) : r));
      return { roots, trust: { count: roots.length, source: roots.length ? 'page' : 'none', failed: false } };
    }
    if (!server) return { roots: [], trust: { count: 0, source: 'none', failed: false } };
    const url = server.url('api/trust/roots').href;
    if (this.cache?.url !== url) this.cache = { url, roots: fetchRoots(server, signal) };
    try {
      const roots = await this.cache.roots;
      return { roots, trust: { count: roots.length, source: roots.length ? 'server' : 'none', failed: false } };
    } catch (err) {
      this.cache = null;
      const error = err instanceof ServerError ? err : new ServerError('network-error', String(err));
      return { roots: [], trust: { count: 0, source: 'none', failed: true }, error };
    }
  }
}

async function fetchRoots(server: ServerClient, signal: AbortSignal): Promise<string[]> {
  const body = await server.request<{ roots?: { pem?: unknown }[] } | null>('GET', 'api/trust/roots', { signal });
  if (!Array.isArray(body?.roots)) throw new ServerError('http-error', 'The server answered without a list of roots.');
  return body.roots.map((r) => r.pem).filter((pem): pem is string => typeof pem === 'string');
}
