// Digisign's adapter: operations and paths (operations.ts), the pure request builders (requests.ts) and
// response parsers (responses.ts), web-view links (webview.ts), encrypted redirects (redirect.ts) and the client.
export { DIGISIGN_OPERATIONS, DIGISIGN_TIMEOUTS, type DigisignOperation, type DigisignSettings } from './operations.js';
export * from './requests.js';
export * from './responses.js';
export * from './webview.js';
export * from './redirect.js';
export * from './client.js';
