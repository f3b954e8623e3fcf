export * from './esign-placer.js';
export { findMarkers, type MarkerPosition, type TextRun } from './placer/tag-search.js';
export * from './esign-webview.js';
export * from './esign-verify.js';
