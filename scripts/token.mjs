#!/usr/bin/env node
// `npm run token -- [sub] [ttlSeconds]`: mints a development bearer token with PORTAL_SECRET (from the
// environment or the ESIGN_CONFIG file), exactly as a portal's backend would: HS256, sub, exp ≤ 15 min.
import { loadConfig, ConfigError } from '../server/src/config.ts';
import { signPortalToken } from '../server/src/auth/jwt.ts';

const [sub = 'dev-user', ttl = '900'] = process.argv.slice(2);
try {
  const config = loadConfig();
  if (config.portalSecretGenerated) {
    console.error('PORTAL_SECRET is not set, so no server would accept a token minted here. Set PORTAL_SECRET (or, in sandbox mode, use POST /api/tokens from loopback).');
    process.exit(1);
  }
  process.stdout.write(`${signPortalToken({ sub }, config.portalSecret, { ttlSeconds: Number(ttl) })}\n`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error instanceof Error ? error.message : error));
  process.exit(1);
}
