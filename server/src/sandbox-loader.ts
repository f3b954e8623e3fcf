// The one place the server loads the sandbox package (@esign-kit/sandbox): by dynamic import, on first use, in
// sandbox mode only (main.ts, the sandbox CA's root for GET /api/trust/roots, the development tokens). Nothing
// imports it statically, so a live-mode process never loads it (server/test/live-mode.test.ts watches the
// module loader of a live server to prove it), and a live deployment may leave the package out.
import type { SandboxModule } from './contracts.js';

/** A variable, not a literal: the type checker does not follow it, so no server type depends on the sandbox. */
const SANDBOX_PACKAGE = '@esign-kit/sandbox';

let loading: Promise<SandboxModule> | undefined;

export function loadSandbox(): Promise<SandboxModule> {
  loading ??= (import(SANDBOX_PACKAGE) as Promise<{ default: SandboxModule }>).then(
    (module) => module.default,
    (err: unknown) => {
      loading = undefined;
      throw new Error(`Sandbox mode needs the ${SANDBOX_PACKAGE} package (packages/sandbox, installed with the kit's workspaces): ${(err as Error).message}`, {
        cause: err,
      });
    },
  );
  return loading;
}
