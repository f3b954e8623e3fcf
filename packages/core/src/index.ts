/**
 * @esign-kit/core: page geometry and the coordinate conventions of Indonesian e-signature providers.
 * Pure functions with no DOM and no Node APIs: the same code runs in the placer and in the server.
 * The model is described in docs/coordinates.md. Reading PDF files is @esign-kit/pdf's job.
 */
export * from './errors.js';
export * from './geometry.js';
export * from './transforms.js';
export * from './profiles.js';
export * from './validate.js';
export type { VerificationConclusion, VerificationReport, VerifiedSignature } from './verification.js';
export type { ErrorEnvelope, ProviderErrorInfo } from './error-envelope.js';
export * from './convert.js';
