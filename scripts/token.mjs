#!/usr/bin/env node
// `npm run token -- [sub] [ttlSeconds] [--nik <NIK>]… [--email <e-mail>]… [--org]`: mints a development bearer
// token with PORTAL_SECRET (from the environment or the ESIGN_CONFIG file), exactly as a portal's backend would:
// HS256, sub, exp ≤ 15 min, and the identity claims the server checks — "esign:nik" and "esign:email" (the
// provider identities the user may act as) and, with --org, scope "esign:org" (seal, signing system, bulk).
import { loadConfig, ConfigError } from '../server/src/config.ts';
import { signPortalToken } from '../server/src/auth/jwt.ts';

const args = process.argv.slice(2);
const positional = [];
const niks = [];
const emails = [];
let org = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--nik') niks.push(args[++i]);
  else if (args[i] === '--email') emails.push(args[++i]);
  else if (args[i] === '--org') org = true;
  else positional.push(args[i]);
}
const [sub = 'dev-user', ttl = '900'] = positional;
try {
  const config = loadConfig();
  if (config.portalSecretGenerated) {
    console.error(
      'PORTAL_SECRET is not set, so no server would accept a token minted here. Set PORTAL_SECRET (or, in sandbox mode, use POST /api/tokens from loopback).',
    );
    process.exit(1);
  }
  const claims = {
    sub,
    ...(niks.length ? { 'esign:nik': niks } : {}),
    ...(emails.length ? { 'esign:email': emails } : {}),
    ...(org ? { scope: 'esign:org' } : {}),
  };
  if (!niks.length && !emails.length && config.identityClaims)
    console.error('Note: this token names no NIK or e-mail, so it can act as nobody (add --nik / --email).');
  process.stdout.write(`${signPortalToken(claims, config.portalSecret, { ttlSeconds: Number(ttl) })}\n`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error instanceof Error ? error.message : error));
  process.exit(1);
}
