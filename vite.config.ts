import { defineConfig, defaultClientConditions, type Plugin } from 'vite';
import { SAMPLES } from './demo/build/samples.js';

/** Serves (dev) and emits (build) the demo's sample PDFs, generated with pdf-lib. */
function samplePdfs(): Plugin {
  return {
    name: 'esign-sample-pdfs',
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const name = req.url?.match(/^\/samples\/([\w-]+\.pdf)$/)?.[1];
        const make = name ? SAMPLES[name] : undefined;
        if (!make) return next();
        res.setHeader('Content-Type', 'application/pdf');
        res.end(await make());
      });
    },
    async generateBundle() {
      for (const [name, make] of Object.entries(SAMPLES)) this.emitFile({ type: 'asset', fileName: `samples/${name}`, source: await make() });
    },
  };
}

// The demo is built into dist/demo and served by the companion server (`npm start`).
// Workspace packages resolve to their TypeScript sources through the "source" export condition.
export default defineConfig({
  root: 'demo',
  base: './',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  plugins: [samplePdfs()],
  build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
});
