// The PDF reading the sandbox package shares with this server (`@esign-kit/server/pdf`): the intake check that
// runs in the intake's worker threads within the limits (intake-pool.ts), and every page's geometry through
// pdf-lib (page-geometry.ts), so that the simulators read a PDF only after the same check and agree with it.
export { checkPdfBytes } from './intake-pool.js';
export { readPageGeometries } from './page-geometry.js';
