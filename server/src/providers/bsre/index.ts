// BSrE's adapter: the pure request builders and response parsers of the cloud service (cloud.ts), the Esign
// Client API v1 (v1.ts) and v2 (v2.ts), their clients (client.ts) and one verification model (verification.ts).
export {
  assertBsreCanSign,
  BSRE_USER_STATUSES,
  parseBsreError,
  type BsreClientSettings,
  type BsreLegacyVerification,
  type BsreSigner,
  type BsreUserStatus,
  type BsreUserStatusOutcome,
} from './common.js';
export * from './v1.js';
export * from './v2.js';
export * from './cloud.js';
export * from './client.js';
export * from './verification.js';
