// The real PostgreSQL of the tests. `npm test` (scripts/run.mjs) starts a throwaway cluster and passes its URL
// as ESIGN_TEST_DATABASE_URL; each test file makes databases of its own in it (node --test runs files side by
// side) and drops them after. No mock and no in-memory stand-in: without the variable, a test file is skipped
// when a developer runs it by hand (the skip says how to get a database), and fails in CI.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DATABASE_URL_VARIABLE = 'ESIGN_TEST_DATABASE_URL';

const HOW =
  `${DATABASE_URL_VARIABLE} is not set: these tests need a real PostgreSQL. ` +
  '`npm test` starts one; by hand, run `node scripts/run.mjs postgres` (a throwaway cluster until Ctrl-C) and set the URL it prints, ' +
  'or point the variable at a database whose role may CREATE DATABASE.';

/**
 * The server's URL, or the reason to skip (a developer without a database). In CI (CI=true) a missing URL is a
 * failure, thrown when the test file loads: the store tests must never pass by not running.
 */
export function testDatabase(): { url: string; skip: false } | { url: undefined; skip: string } {
  const url = process.env[DATABASE_URL_VARIABLE];
  if (url) return { url, skip: false };
  if (process.env.CI) throw new Error(`${HOW} (CI must run the store tests against PostgreSQL.)`);
  return { url: undefined, skip: HOW };
}

/** A new, empty database on the test server; drop() removes it (closing whatever still connects). */
export async function freshDatabase(serverUrl: string, prefix = 'esign_t'): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
