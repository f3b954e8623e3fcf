// Peruri's adapter: operations and paths (operations.ts), signer placement (placement.ts), the pure request
// builders (requests.ts) and response parsers (responses.ts), and the client (client.ts).
export { PERURI_OPERATIONS, peruriPath, type PeruriOperation, type PeruriSettings } from './operations.js';
export * from './placement.js';
export * from './requests.js';
export * from './responses.js';
export * from './client.js';
