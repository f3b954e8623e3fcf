// A companion server in this process on a store of the test's choosing, built as main.ts builds it (the stores
// opened first, then the app on them), in live mode against the sandbox providers over HTTP — or against a
// proxy in front of them (`providers`), whose log tells how often a provider operation was reached. Several
// on one PostgreSQL database are several instances; one stopped and another started on the same DATA_DIR or
// database is a restart.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { openStores, type Stores } from '../../src/store/index.js';
import { apiClient, companionEnv, portalToken, type Api, type SandboxHost } from '../../../test/node/support/flows.js';

export interface Companion {
  base: string;
  stores: Stores;
  /** The API as `user` (default `restart-user`), with a token naming every seeded sandbox user and the org scope. */
  api: Api;
  as(user: string): Api;
  stop(): Promise<void>;
}

export async function startOn(sandbox: SandboxHost, o: { dataDir: string; databaseUrl?: string | undefined; providers?: string }): Promise<Companion> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const env = companionEnv({
    port,
    dataDir: o.dataDir,
    providers: o.providers ?? sandbox.origin,
    sandbox,
    extra: o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {},
  });
  const config = loadConfig(env);
  const stores = await openStores({ dataDir: o.dataDir, databaseUrl: config.databaseUrl, sweepEveryMs: 0 });
  const app = createApp({
    config,
    version: 'test',
    logger: createLogger({ level: 'silent' }),
    store: stores.documents,
    state: stores.state,
    idempotency: stores.idempotency,
    attemptStore: stores.attempts,
    providerOptions: { retries: 0 },
  });
  server.on('request', app);
  const base = `http://127.0.0.1:${port}`;
  const as = (user: string) => apiClient(base, portalToken(user));
  return {
    base,
    stores,
    api: as('restart-user'),
    as,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stores.close();
    },
  };
}
