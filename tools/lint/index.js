// The plugins eslint.config.js uses, re-exported from here so that typescript-eslint resolves `typescript` to this
// package's TypeScript 6 (the root's TypeScript 7 has no JavaScript API): see package.json's description.
export { default as js } from '@eslint/js';
export { default as globals } from 'globals';
export { default as tseslint } from 'typescript-eslint';
export { default as lit } from 'eslint-plugin-lit';
export { default as wc } from 'eslint-plugin-wc';
