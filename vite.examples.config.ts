// The framework examples (demo/examples: React 19, Vue 3, plain HTML), built with Vite into dist/demo/examples
// so that `npm start` serves them at /examples/<name>/. React and Vue import the elements from npm
// (`@esign-kit/elements`, bundled with the app); the plain page loads the self-hosted build from /esign-kit/
// with Subresource Integrity, its hash read from dist/elements/integrity.json (scripts/build-elements.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, type InlineConfig, type Plugin } from 'vite';
import { SAMPLES } from './demo/build/samples.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const examples = join(root, 'demo/examples');

export interface ExamplesBuild {
  /** The self-hosted build whose integrity.json the plain page takes its hash from. */
  elementsDir?: string;
  outDir?: string;
}

/** `%ESIGN_KIT_INTEGRITY%` → the SHA-384 of esign-kit.js in this build of the elements. */
function elementsIntegrity(elementsDir: string): Plugin {
  return {
    name: 'esign-elements-integrity',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes('%ESIGN_KIT_INTEGRITY%')) return html;
        const file = join(elementsDir, 'integrity.json');
        if (!existsSync(file)) throw new Error(`${file} is missing: build the elements first (node scripts/build-elements.mjs).`);
        const hashes = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
        if (!hashes['esign-kit.js']) throw new Error(`${file} has no esign-kit.js`);
        return html.replaceAll('%ESIGN_KIT_INTEGRITY%', hashes['esign-kit.js']);
      },
    },
  };
}

/** The sample contract beside the examples (samples/contract.pdf), generated with pdf-lib like the demo's. */
function sampleContract(): Plugin {
  return {
    name: 'esign-example-samples',
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'samples/contract.pdf', source: await SAMPLES['contract.pdf']!() });
    },
  };
}

export function examplesConfig({ elementsDir = join(root, 'dist/elements'), outDir = join(root, 'dist/demo/examples') }: ExamplesBuild = {}): InlineConfig {
  return {
    configFile: false,
    root: examples,
    base: './',
    publicDir: false,
    envDir: false,
    logLevel: 'warn',
    // Workspace packages resolve to their TypeScript sources, as in the demo.
    resolve: { conditions: ['source', ...defaultClientConditions] },
    // React needs no plugin: Vite compiles JSX itself (tsconfig "jsx": "react-jsx").
    plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('esign-') } } }), elementsIntegrity(elementsDir), sampleContract()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      rollupOptions: {
        output: {
          // Named for what they hold (the default names a chunk after its first module, e.g. pdf.worker.min).
          chunkFileNames: (chunk) =>
            chunk.moduleIds.some((id) => id.includes('/packages/elements/src/')) ? 'assets/esign-elements-[hash].js' : 'assets/[name]-[hash].js',
        },
        input: {
          react: join(examples, 'react/index.html'),
          vue: join(examples, 'vue/index.html'),
          plain: join(examples, 'plain/index.html'),
        },
      },
    },
  };
}

export default examplesConfig();
