// Types of reference-docs.mjs, for test/node/elements-manifest.test.ts.
export interface ReferencePage {
  file: string;
  text: string;
}
export interface ManifestElement {
  tagName: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest's class declaration, read field by field by the test
  declaration: any;
  classModule: string;
  definedIn: string;
}
export interface FoundType {
  name: string;
  text: string;
  file: string;
  aliasOf?: string;
}
export declare const MANIFEST: string;
export declare const REFERENCE_DIR: string;
export declare function elementsOf(manifest: unknown): ManifestElement[];
export declare function findType(name: string): FoundType | null;
export declare function typeClosure(names: string[]): (FoundType | { name: string; missing: true })[];
export declare function detailTypeNames(typeText: string | undefined): string[];
export declare function renderElement(element: ManifestElement): string;
export declare function renderIndex(elements: ManifestElement[]): string;
export declare function renderReference(manifest: unknown): ReferencePage[];
export declare function committedReference(): ReferencePage[];
