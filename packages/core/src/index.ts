/**
 * @esign-kit/core: page geometry and the coordinate conventions of Indonesian e-signature providers.
 * Pure functions with no DOM and no Node APIs: the same code runs in the placer and in the server.
 * The model is described in ../shared/providers/COORDINATES.md and in the README's "Coordinates" section.
 */
export * from './errors.js';
export * from './geometry.js';
export * from './transforms.js';
export * from './profiles.js';
export * from './validate.js';
export type { VerificationConclusion, VerificationReport, VerifiedSignature } from './verification.js';
export type { ErrorEnvelope, ProviderErrorInfo } from './error-envelope.js';
export * from './convert.js';
export * from './page-tree.js';
export * from './pdf-file.js';
export * from './pdf-limits.js';
