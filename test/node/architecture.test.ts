// The structure of packages/ (scripts/check-architecture.mjs): no import cycle, element folders that meet only
// through packages/elements/src/internal/, and no element source over MAX_LINES lines. The graph is the
// compiler's (tsc --explainFiles); the first tests make sure the check sees what it claims to, so that a graph
// that came out empty (another tsc output) could not pass the others unseen.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MAX_LINES, cycles, folderViolations, importGraph, longFiles, parseExplainFiles } from '../../scripts/check-architecture.mjs';

describe('the structure of packages/', () => {
  let graph: Map<string, Set<string>>;
  before(() => {
    graph = importGraph();
  });

  it('reads the import graph the compiler resolves (relative, workspace-package, type-only and dynamic imports)', () => {
    const has = (from: string, to: string) => graph.get(from)?.has(to) ?? false;
    // A relative import, a workspace package through its "source" condition, a type-only import, a dynamic import.
    assert.ok(has('packages/elements/src/placer/placer.ts', 'packages/elements/src/internal/events.ts'));
    assert.ok(has('packages/elements/src/placer/placer.ts', 'packages/core/src/index.ts'));
    assert.ok(has('packages/elements/src/verify/events.ts', 'packages/elements/src/internal/events.ts'));
    assert.ok(has('packages/elements/src/verify/local-check.ts', 'packages/verify/src/worker-client.ts'));
    assert.ok(graph.size > 50, `only ${graph.size} files in the graph`);
  });

  it('finds cycles and crossings where there are some (the checks are not vacuous)', () => {
    const sample = parseExplainFiles(
      [
        'packages/elements/src/placer/events.ts',
        "  Imported via '../placer/events.js' from file 'packages/elements/src/webview/events.ts'",
        'packages/elements/src/webview/events.ts',
        "  Imported via '../webview/events.js' from file 'packages/elements/src/placer/events.ts'",
        'packages/elements/src/internal/events.ts',
        "  Imported via '../internal/events.js' from file 'packages/elements/src/verify/events.ts'",
      ].join('\n'),
    );
    assert.deepEqual(cycles(sample), [['packages/elements/src/placer/events.ts', 'packages/elements/src/webview/events.ts']]);
    assert.equal(folderViolations(sample).length, 2);
  });

  it('has no import cycle (type-only imports included)', () => {
    assert.deepEqual(cycles(graph), []);
  });

  it('lets element folders import each other only through internal/, and internal/ import none of them', () => {
    assert.deepEqual(folderViolations(graph), []);
  });

  it(`has no source file in packages/elements/src over ${MAX_LINES} lines`, () => {
    assert.deepEqual(longFiles(), []);
  });
});
