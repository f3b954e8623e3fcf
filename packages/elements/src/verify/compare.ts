// The comparison of the local check with the provider's verification lives in @esign-kit/verify (one comparison,
// shared with the companion server's POST /api/verify); this element's parts import it from here.
export * from '@esign-kit/verify/compare';
