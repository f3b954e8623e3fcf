// The provider adapters: pure request builders and response parsers per provider, the transport that
// sends them, and the token cache. See each module's header for the provider document it follows.
export * from './types.js';
export * from './errors.js';
export * from './transport.js';
export * from './token-cache.js';
export type { Placement } from './coordinates.js';
export * from './peruri.js';
export * from './digisign.js';
export * from './bsre.js';
export * from './verification.js';
export * from './dialects.js';
