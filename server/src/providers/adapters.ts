// The provider adapters: pure request builders and response parsers per provider, the transport that
// sends them, and the token cache. See each module's header for the provider document it follows.
export * from './shared/types.js';
export * from './shared/errors.js';
export * from './shared/transport.js';
export * from './shared/token-cache.js';
export type { Placement } from './shared/coordinates.js';
export * from './peruri/index.js';
export * from './digisign/index.js';
export * from './bsre/index.js';
export * from './bsre/verification.js';
export * from './dialects.js';
