#!/usr/bin/env node
// The structure of packages/, checked on the TypeScript compiler's own module graph, so that it holds as the
// code grows (test/node/architecture.test.ts runs it in `npm test`):
//
//   1. No import cycle among the packages' sources (packages/*/src). Type-only imports count: a reader who
//      follows them goes round in circles too, and a cycle of types is where a cycle of values starts.
//   2. In @esign-kit/elements, an element's folder (placer/, verify/, webview/) imports another element's only
//      through internal/, and internal/ imports no element's folder.
//   3. No source file of @esign-kit/elements is longer than MAX_LINES: a longer one wants a controller or a
//      component out (strings included: split them per language).
//
// The graph is `tsc --explainFiles` (with --noCheck: no type checking, about a second): every file the project
// includes, each with the imports that brought it in, resolved as the compiler resolves them (workspace
// packages through their "source" export condition, `import type`, `export … from`, dynamic `import()`).
// Node built-ins only; `node scripts/check-architecture.mjs` prints what is wrong and exits 1.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MAX_LINES = 400;
const ELEMENTS = 'packages/elements/src/';
const SHARED = 'internal';

const posix = (path) => path.split(sep).join('/');

/** Parses `tsc --explainFiles` output into importer → imported files (project-relative paths). */
export function parseExplainFiles(text) {
  const graph = new Map();
  let file = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      file = posix(line.trim());
      continue;
    }
    const m = /^\s+Imported via (['"])(.*?)\1 from file '([^']+)'/.exec(line);
    if (!m || !file) continue;
    const importer = posix(m[3]);
    if (!graph.has(importer)) graph.set(importer, new Set());
    graph.get(importer).add(file);
  }
  return graph;
}

/** The import graph of packages/*\/src, from the compiler. */
export function importGraph() {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const out = spawnSync(tsc, ['-p', 'tsconfig.json', '--noEmit', '--noCheck', '--explainFiles'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.error) throw out.error;
  if (out.status !== 0) throw new Error(`tsc --explainFiles exited with ${out.status}:\n${out.stdout}\n${out.stderr}`);
  const all = parseExplainFiles(out.stdout);
  const inPackages = (f) => /^packages\/[^/]+\/src\//.test(f);
  const graph = new Map();
  for (const [importer, imported] of all) {
    if (!inPackages(importer)) continue;
    graph.set(importer, new Set([...imported].filter(inPackages)));
  }
  return graph;
}

/** Every cycle, as the files of a strongly connected component (Tarjan), sorted; a file importing itself too. */
export function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap((s) => [...s])]);
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** `placer/placer.ts` → `placer`; a file at the root of src (esign-*.ts, index.ts) has no folder. */
function folderOf(file) {
  if (!file.startsWith(ELEMENTS)) return null;
  const rest = file.slice(ELEMENTS.length);
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : null;
}

/** Imports from one element's folder into another's (not through internal/), and from internal/ into any. */
export function folderViolations(graph) {
  const out = [];
  for (const [importer, imported] of graph) {
    const from = folderOf(importer);
    if (from === null) continue;
    for (const file of imported) {
      const to = folderOf(file);
      if (to === null || to === from || to === SHARED) continue;
      out.push(
        `${importer} imports ${file}${from === SHARED ? ' (internal/ is below the elements: it imports none of them)' : ` (${from}/ may reach ${to}/ only through ${SHARED}/)`}`,
      );
    }
  }
  return out.sort();
}

/** Source files of @esign-kit/elements over `limit` lines. */
export function longFiles(limit = MAX_LINES) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const lines = readFileSync(path, 'utf8').split('\n').length - 1;
        if (lines > limit) out.push({ file: posix(relative(ROOT, path)), lines });
      }
    }
  };
  walk(join(ROOT, ELEMENTS));
  return out;
}

function main() {
  const graph = importGraph();
  const problems = [
    ...cycles(graph).map((c) => `import cycle: ${c.join(' → ')}`),
    ...folderViolations(graph),
    ...longFiles().map((f) => `${f.file} has ${f.lines} lines (at most ${MAX_LINES})`),
  ];
  const edges = [...graph.values()].reduce((n, s) => n + s.size, 0);
  if (problems.length) {
    console.error(
      `✖ ${problems.length} problem${problems.length === 1 ? '' : 's'} in packages/ (${graph.size} files, ${edges} imports):\n  ${problems.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(
    `✓ packages/: ${graph.size} files, ${edges} imports, no cycle; element folders meet through ${SHARED}/; no element source over ${MAX_LINES} lines`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
