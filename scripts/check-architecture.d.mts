// Types of check-architecture.mjs, for test/node/architecture.test.ts.
export declare const MAX_LINES: number;
export declare function parseExplainFiles(text: string): Map<string, Set<string>>;
export declare function importGraph(): Map<string, Set<string>>;
export declare function cycles(graph: Map<string, Set<string>>): string[][];
export declare function folderViolations(graph: Map<string, Set<string>>): string[];
export declare function longFiles(limit?: number): { file: string; lines: number }[];
