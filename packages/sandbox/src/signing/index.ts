// The sandbox signing engine: a local test CA, visible stamps and PAdES B-B signatures that the sandbox
// provider simulators use to return really signed PDFs. Production code never imports it.
export { SandboxCa, openSandboxCa } from './ca.js';
export type { SandboxCaOptions, SealIdentity, SignerIdentity, SigningCredentials } from './ca.js';
export { CadesSigner, createCadesSignature } from './cms.js';
export type { CadesSignerOptions } from './cms.js';
export { hasSignatures, signPdf } from './pades.js';
export type { SignPdfOptions, SubFilter, VisibleStamp } from './pades.js';
export { createStampAppearance, createStampXObject, drawStamp, stampPlacement } from './stamp.js';
export type { Matrix, StampContent, StampPlacement } from './stamp.js';
