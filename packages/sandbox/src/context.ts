// What the simulators share at run time: the options the server passes in, the persisted state and the
// signing engine (one CA per data directory).
import { join } from 'node:path';
import { DEFAULT_DIALECTS, type Dialects, type SandboxOptions, type SandboxProfiles } from '@esign-kit/server/contracts';
import { SigningEngine } from './engine.js';
import { SandboxState } from './state.js';

export type { SandboxOptions };

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
