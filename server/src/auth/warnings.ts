// What a deployment must hear at start about how its portal tokens are checked (createApp logs each line,
// main.ts also prints them).
import type { ServerConfig } from '../config.js';

export function securityWarnings(config: Pick<ServerConfig, 'mode' | 'identityClaims' | 'portalTokens'>): string[] {
  const out: string[] = [];
  if (!config.identityClaims) {
    out.push(
      'IDENTITY_CLAIMS=off: portal tokens are not checked for the NIKs, e-mails ("esign:nik", "esign:email") and scope ("esign:org") their user may act with, so any portal user can sign, register, activate or change contact data as anyone. Adopt the claims and remove this setting.',
    );
  }
  if (config.mode === 'sandbox') {
    out.push(
      'Sandbox mode: POST /api/tokens hands portal tokens (with every demo identity and the org scope) to any client connecting from this machine. Never put this server behind a reverse proxy on the same host: the proxy would connect from loopback for everyone (requests carrying Forwarded, X-Forwarded-For, X-Real-IP or Via are refused, but a proxy that adds none of them is not detected).',
    );
  }
  if (config.portalTokens.jwksUrl !== undefined && config.portalTokens.audience === undefined) {
    out.push(
      'PORTAL_JWKS_URL is set without PORTAL_TOKEN_AUDIENCE: a token the same keys signed for another service would be accepted here. Set the audience your portal puts in "aud".',
    );
  }
  return out;
}
