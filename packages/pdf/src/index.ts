/**
 * @esign-kit/pdf: a small PDF object reader for untrusted files — the cross-reference chain section by section
 * (each incremental update kept apart), object streams, strings with their byte positions, the page tree —
 * with limits enforced while reading (pages, objects, nesting, inflated bytes, work, time). Pure: no DOM, no Node
 * APIs (Flate decoding is the platform's DecompressionStream by default, or an inflater the caller passes).
 * Used by @esign-kit/verify (signatures), the placer (page boxes pdf.js does not expose) and the companion
 * server's intake (every uploaded PDF).
 */
export * from './pdf-limits.js';
export * from './pdf-file.js';
export * from './page-tree.js';
