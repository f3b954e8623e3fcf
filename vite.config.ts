import { defineConfig, defaultClientConditions } from 'vite';

// The demo is built into dist/demo and served by the companion server (`npm start`).
// Workspace packages resolve to their TypeScript sources through the "source" export condition.
export default defineConfig({
  root: 'demo',
  base: './',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
});
