// Provider tokens in the state store (provider-tokens): a token one instance fetched is used by the others and
// after a restart, a token the provider refused is forgotten for all, and one credential's token never serves
// another — on files and on PostgreSQL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProviderError } from '../../src/providers/adapters.js';
import { stateTokens, TokenCache } from '../../src/providers/shared/token-cache.js';
import { openStores, type Stores } from '../../src/store/index.js';
import { freshDatabase, testDatabase } from '../../../test/node/support/postgres.js';

const database = testDatabase();
const HOUR = 3_600_000;

for (const backend of [
  { name: 'filesystem', skip: false as const },
  { name: 'PostgreSQL', skip: database.skip },
]) {
  describe(`provider tokens shared through the state store: ${backend.name}`, { skip: backend.skip }, () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    after(async () => {
      for (const c of cleanup.reverse()) await c();
    });
    async function open(): Promise<{ a: Stores; b: () => Promise<Stores> }> {
      const dataDir = mkdtempSync(join(tmpdir(), 'esign-tokens-'));
      cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
      let databaseUrl: string | undefined;
      if (backend.name === 'PostgreSQL') {
        const db = await freshDatabase(database.url!);
        cleanup.push(db.drop);
        databaseUrl = db.url;
      }
      const opened = async () => {
        const s = await openStores({ dataDir, databaseUrl, sweepEveryMs: 0 });
        cleanup.push(() => s.close());
        return s;
      };
      return { a: await opened(), b: opened };
    }

    it('one fetch for two instances and a restart; a refused token is fetched again once; another credential has its own', async () => {
      const { a, b } = await open();
      let issued = 0;
      const fetchToken = async () => ({ token: `jwt-${++issued}`, expiresAt: Date.now() + HOUR });
      const credential = ['https://peruri.test', 'SYS', 'api-key'];
      const first = new TokenCache({ fetchToken, shared: stateTokens(a.state, 'peruri', credential) });
      assert.equal(await first.get(), 'jwt-1');
      // Another instance (its own stores, the same backing): a restart on files, a second pool on PostgreSQL.
      const other = await b();
      const second = new TokenCache({ fetchToken, shared: stateTokens(other.state, 'peruri', credential) });
      assert.equal(await second.get(), 'jwt-1');
      assert.equal(issued, 1, 'the second instance used the token the first fetched');

      // The provider refuses jwt-1 on the second instance: fetched again there, and forgotten for the first too.
      let calls = 0;
      const used = await second.withToken(async (token) => {
        calls++;
        if (token === 'jwt-1')
          throw new ProviderError({
            code: 'provider-unauthorized',
            provider: 'peruri',
            operation: 'peruri.getOtp',
            message: 'expired',
            httpStatus: 401,
            retryable: false,
          });
        return token;
      });
      assert.deepEqual([used, calls, issued], ['jwt-2', 2, 2]);
      // (On the latest instance: a DATA_DIR is one server's, whose records it may cache.)
      const third = new TokenCache({ fetchToken, shared: stateTokens(other.state, 'peruri', credential) });
      assert.equal(await third.get(), 'jwt-2', 'a fresh cache finds the replacement, not the refused token');

      const foreign = new TokenCache({ fetchToken, shared: stateTokens(other.state, 'peruri', ['https://peruri.test', 'OTHER-SYS', 'api-key']) });
      assert.equal(await foreign.get(), 'jwt-3', 'another system id never gets this token');
    });

    it('an expired shared token is not used', async () => {
      const { a } = await open();
      let issued = 0;
      const shared = stateTokens(a.state, 'bsre-cloud', ['https://bsre.test', 'client', 'secret']);
      await shared.put({ token: 'old', expiresAt: Date.now() + 30_000 });
      const cache = new TokenCache({ fetchToken: async () => ({ token: `new-${++issued}`, expiresAt: Date.now() + HOUR }), shared, refreshMarginMs: 60_000 });
      assert.equal(await cache.get(), 'new-1', 'within the refresh margin: fetched anew');
      assert.deepEqual(await shared.get(), { token: 'new-1', expiresAt: (await shared.get())!.expiresAt });
    });
  });
}
