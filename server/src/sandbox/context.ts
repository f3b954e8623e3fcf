// What the simulators share at run time: the options the server passes in, the persisted state and the
// signing engine (one CA per data directory).
import { join } from 'node:path';
import { DEFAULT_DIALECTS, type Dialects } from '../providers/dialects.js';
import type { SandboxConfig, SandboxProfiles } from '../config.js';
import { SigningEngine } from './engine.js';
import { SandboxState } from './state.js';

/**
 * What the simulators need: the server's sandbox configuration (one definition, in config.ts), less the
 * web-view port (the server listens; the simulators only need the URL). `dataDir` is the server's DATA_DIR
 * (the sandbox keeps its state, files and CA under `<dataDir>/sandbox`); `publicUrl` is where `/sandbox` is
 * mounted; `webViewUrl` the second origin; `portalOrigins` may embed the web views and receive their
 * messages. `digisignRedirectUrl` (the partner's "link redirect", configured at Digisign outside the API,
 * digisign.md gap 10) defaults to `<publicUrl>/api/digisign/redirect`.
 */
export type SandboxOptions = Omit<SandboxConfig, 'webViewPort' | 'digisignRedirectUrl'> & { digisignRedirectUrl?: string };

export interface SandboxContext {
  options: SandboxOptions;
  state: SandboxState;
  engine: SigningEngine;
}

const contexts = new Map<string, SandboxContext>();

/**
 * One context per data directory within a process: the router and the web-view app built from the same
 * options share state (a code sent by one is accepted by the other).
 */
export function sandboxContext(options: SandboxOptions): SandboxContext {
  const dir = join(options.dataDir, 'sandbox');
  let ctx = contexts.get(dir);
  if (!ctx) {
    ctx = { options, state: new SandboxState(dir), engine: new SigningEngine(dir) };
    contexts.set(dir, ctx);
  } else {
    ctx.options = options;
  }
  return ctx;
}

/** Forgets the cached context of a data directory, so that the next router reads the state from disk (restart). */
export function forgetSandboxContext(dataDir: string): void {
  contexts.delete(join(dataDir, 'sandbox'));
}

export const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * The deployment's settings of the documented ambiguities (config.ts builds both the adapters and this):
 * each simulator accepts exactly the dialect selected, read at each request.
 */
export const dialectsOf = (ctx: SandboxContext): Dialects => ctx.options.dialects ?? DEFAULT_DIALECTS;

/** The deployment's coordinate profile overrides, which the simulators read coordinates back with. */
export const profilesOf = (ctx: SandboxContext): SandboxProfiles => ctx.options.profiles ?? {};
