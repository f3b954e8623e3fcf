// Flate decoding for the core's PDF reader: the core's own (the platform's DecompressionStream, in browsers and
// Node 18+), which counts its output and stops at the reader's per-stream limit instead of inflating a bomb.
export { flateDecode as inflate } from '@esign-kit/pdf';
