// Types of build-elements.mjs, for the tests that build the elements themselves.
export declare const ELEMENTS_OUT_DIR: string;
/** `{ 'esign-kit': <index.ts>, 'esign-placer': <esign-placer.ts>, … }` */
export declare function elementEntries(): Record<string, string>;
export declare function sri(bytes: string | Uint8Array): string;
/** Writes integrity.json for every .js/.mjs file of `dir`; returns `{ file: 'sha384-…' }`. */
export declare function writeIntegrity(dir: string): Record<string, string>;
/** Builds every entry into `outDir` (default dist/elements); returns integrity.json's content. */
export declare function buildElements(options?: { outDir?: string; logLevel?: 'info' | 'warn' | 'error' | 'silent' }): Promise<Record<string, string>>;
