// What the simulators share at run time: the options the server passes in, the persisted state and the
// signing engine (one CA per data directory).
import { join } from 'node:path';
import { SigningEngine } from './engine.js';
import { SandboxState } from './state.js';

export interface SandboxOptions {
  /** The server's DATA_DIR; the sandbox keeps its state, files and CA under `<dataDir>/sandbox`. */
  dataDir: string;
  /** The companion server's base URL where `/sandbox/...` is mounted. */
  publicUrl: string;
  /** The base URL of the second origin that serves the web views. */
  webViewUrl: string;
  /** Origins allowed to embed the web views and to receive their postMessages. */
  portalOrigins: string[];
  credentials: {
    bsreUsername: string;
    bsrePassword: string;
    bsreCloudClientId: string;
    bsreCloudClientSecret: string;
    peruriApiKey: string;
    peruriSystemId: string;
    digisignToken: string;
    digisignUserId: string;
    digisignAesKey: string;
  };
  /**
   * Where the Digisign pages redirect with `?msg=` (the partner's "link redirect", configured at Digisign
   * outside the API, digisign.md gap 10). Default `<publicUrl>/api/digisign/redirect`.
   */
  digisignRedirectUrl?: string;
}

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
