// What the sandbox package (@esign-kit/sandbox) shares with this server, in one module it imports as
// `@esign-kit/server/contracts`: the documented ambiguities each deployment settles (the simulators accept
// exactly the selected dialect), the sandbox's configuration as loadConfig builds it, and the shape of the
// sandbox module the server loads. The dependency goes one way: the sandbox imports this; the server never
// imports the sandbox statically, only `loadSandbox()` (sandbox-loader.ts) does, in sandbox mode.
import type { Express, Router } from 'express';
import type { SandboxConfig } from './config.js';

export {
  DEFAULT_DIALECTS,
  DIALECT_SWITCHES,
  type BsreCloudDialect,
  type BsreDialect,
  type Dialects,
  type DigisignDialect,
  type PeruriDialect,
} from './providers/dialects.js';
export type { SandboxConfig, SandboxProfiles } from './config.js';

/**
 * What the simulators need: the server's sandbox configuration (one definition, in config.ts), less the
 * web-view port (the server listens; the simulators only need the URL). `dataDir` is the server's DATA_DIR
 * (the sandbox keeps its state, files and CA under `<dataDir>/sandbox`); `publicUrl` is where `/sandbox` is
 * mounted; `webViewUrl` the second origin; `portalOrigins` may embed the web views and receive their
 * messages. `digisignRedirectUrl` (the partner's "link redirect", configured at Digisign outside the API,
 * docs/providers/digisign.md gap 10) defaults to `<publicUrl>/api/digisign/redirect`.
 */
export type SandboxOptions = Omit<SandboxConfig, 'webViewPort' | 'digisignRedirectUrl'> & { digisignRedirectUrl?: string };

/** The sandbox package's default export, as the server uses it. */
export interface SandboxModule {
  /** The provider simulators and the OTP inbox, mounted at /sandbox. */
  createSandboxRouter(options: SandboxOptions): Router;
  /** The Peruri and Digisign web views, listened on a second origin. */
  createSandboxWebViewApp(options: SandboxOptions): Express;
  /** The PEM of the root of the CA the simulators sign with (`<dataDir>/sandbox/ca`), for GET /api/trust/roots. */
  sandboxRootCertificate(dataDir: string): Promise<string>;
  /** Every seeded demo user's NIK and e-mail, named by the sandbox's development tokens (POST /api/tokens). */
  demoIdentities(): { niks: string[]; emails: string[] };
}
