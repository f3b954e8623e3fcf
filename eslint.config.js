// ESLint for the whole repository (`npm run lint`, and `npm test` after the type checks). Prettier owns the layout
// (.prettierrc.json); these rules look for mistakes a reviewer would send back. The plugins come from
// tools/lint, which pins the classic TypeScript that typescript-eslint parses with (the project compiles with
// TypeScript 7, which has no JavaScript API): see tools/lint/package.json.
import { defineConfig } from 'eslint/config';
import { globals, js, lit, tseslint, wc } from '@esign-kit/lint';

/** Code that runs in a browser: the elements and the browser-side packages, the demo, the browser tests. */
const BROWSER = ['packages/elements/src/**', 'packages/bridge/src/**', 'packages/verify/src/**', 'demo/**', 'test/browser/**', 'bench/**/*.ts'];
/** The elements, written with lit: lit's and the custom-elements rules apply. */
const ELEMENTS = ['packages/elements/src/**/*.ts', 'demo/**/*.ts', 'test/browser/**/*.ts'];
/** Sources (not tests) checked with type information: a floating promise in a server is a lost error. */
const TYPED = ['server/src/**/*.ts', 'packages/*/src/**/*.ts', 'scripts/**/*.ts'];

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      '.test-results/**',
      'coverage/**',
      // The real world's files, kept byte for byte (test/corpus/README.md).
      'test/corpus/**',
      // Generated: the custom elements manifest and the reference pages made from it.
      'packages/elements/custom-elements.json',
      'docs/reference/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An unused name is a leftover or a bug. `_name` marks a parameter a signature needs but the body does not
      // (an Express error handler's `next`, a callback's first argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `import type` keeps type-only imports out of the bundles. `typeof import('pdfjs-dist')` stays allowed: it
      // names the type of a module that is loaded lazily, with `import()`, where it is needed.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      'prefer-const': 'error',
      'no-var': 'error',
      'object-shorthand': 'error',
      'no-throw-literal': 'error',
      // React's JSX typing is extended through `declare module 'react' { namespace JSX … }` (demo/examples/react).
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      // `interface A extends B {}` re-exports a contract under the name its users know (server/src/store/documents.ts).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      // Plain JavaScript has no `import type`.
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: BROWSER,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/browser/**'],
    languageOptions: { globals: { ...globals.mocha } },
    rules: {
      // chai's property assertions (`expect(box).to.be.null`) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['**/test/**', 'test/**', 'demo/**'],
    rules: {
      // A test (or the demo page) reads a JSON answer as `any` and asserts on (shows) its fields.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['test/types/**'],
    rules: {
      // Compile-only type tests (tsc checks them, nothing runs them): their variables exist for their types.
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    files: ['web-test-runner*.mjs'],
    // puppeteer's `frame.evaluate`/`waitForFunction` callbacks run in the page.
    languageOptions: { globals: { document: 'readonly' } },
  },
  {
    files: TYPED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The rules that need types and pay for them. Tests are left out: node:test's `describe`/`it` return
      // promises that the runner awaits, so every test file would be a wall of `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // With types, only-throw-error replaces the core no-throw-literal, which cannot see that
      // `throw errorFor(status)!` throws an Error.
      'no-throw-literal': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Not no-unnecessary-type-assertion: it judges with the linter's TypeScript 6, and TypeScript 7 (the project's
      // compiler) infers differently in places — its fixes broke `tsc` (packages/verify/src/inspect.ts).
    },
  },
  {
    files: ELEMENTS,
    ...lit.configs['flat/recommended'],
  },
  {
    files: ELEMENTS,
    ...wc.configs['flat/best-practice'],
  },
  {
    files: ELEMENTS,
    rules: {
      // lit's own rules beyond the recommended set.
      'lit/no-template-bind': 'error',
      'lit/no-useless-template-literals': 'error',
      'lit/no-value-attribute': 'error',
      'lit/no-native-attributes': 'error',
      'lit/no-this-assign-in-render': 'error',
      'lit/lifecycle-super': 'error',
      'lit/no-classfield-shadowing': 'error',
      // lit's `super.connectedCallback()` always exists (LitElement defines it): guarding it is noise.
      'wc/guard-super-call': 'off',
    },
  },
);
