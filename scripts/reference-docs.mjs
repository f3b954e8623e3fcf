#!/usr/bin/env node
// Renders one reference page per custom element, docs/reference/<tag>.md, from the Custom Elements Manifest
// (packages/elements/custom-elements.json, written by `cem analyze`): attributes, properties, methods, events
// with their detail types, CSS parts, CSS custom properties and slots. Node built-ins only.
//
//   node scripts/reference-docs.mjs           regenerate the pages (npm run build does it)
//   node scripts/reference-docs.mjs --check   exit 1 when the committed pages differ from the manifest
//
// The detail types' declarations are copied from the elements' sources (the manifest names them but does not
// hold interfaces). test/node/elements-manifest.test.ts regenerates the manifest and these pages and compares.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST = 'packages/elements/custom-elements.json';
export const REFERENCE_DIR = 'docs/reference';
/** Where detail types and the types they use are declared, searched in this order. */
const SOURCES = ['packages/elements/src', 'packages/core/src', 'packages/bridge/src', 'packages/verify/src'];

/** `a | b` inside a table cell: GitHub splits cells on every unescaped pipe, even in code spans. */
const cell = (text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
const code = (text) => (text ? `\`${cell(text)}\`` : '');
/** JSDoc keeps its line breaks: join lines, keep blank-line paragraph breaks. */
const paragraph = (text) =>
  String(text ?? '')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');

/** Every element defined in the manifest: `{ tagName, declaration, definedIn }`, sorted by tag. */
export function elementsOf(manifest) {
  const classes = new Map();
  for (const mod of manifest.modules ?? []) {
    for (const decl of mod.declarations ?? []) {
      if (decl.kind === 'class' && decl.customElement) classes.set(decl.name, { decl, path: mod.path });
    }
  }
  const elements = new Map();
  for (const mod of manifest.modules ?? []) {
    for (const exp of mod.exports ?? []) {
      if (exp.kind !== 'custom-element-definition' || elements.has(exp.name)) continue;
      const found = classes.get(exp.declaration?.name);
      if (found) elements.set(exp.name, { tagName: exp.name, declaration: found.decl, classModule: found.path, definedIn: mod.path });
    }
  }
  return [...elements.values()].sort((a, b) => a.tagName.localeCompare(b.tagName));
}

function sourceFiles() {
  const walk = (dir, out) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, out);
      else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) out.push(path);
    }
    return out;
  };
  return SOURCES.flatMap((dir) => (existsSync(join(ROOT, dir)) ? walk(join(ROOT, dir), []) : []));
}

/** From `export interface Name …{` to its closing brace, with the JSDoc right above it. */
function interfaceText(source, name) {
  const start = new RegExp(`^export interface ${name}\\b[^{]*\\{`, 'm').exec(source);
  if (start) {
    let depth = 0;
    for (let i = start.index; i < source.length; i++) {
      if (source[i] === '{') depth++;
      else if (source[i] === '}' && --depth === 0) return withDoc(source, start.index, source.slice(start.index, i + 1));
    }
  }
  const alias = new RegExp(`^export type ${name}\\b[^=]*=[^;]*;`, 'm').exec(source);
  return alias ? withDoc(source, alias.index, alias[0]) : null;
}

function withDoc(source, index, text) {
  const before = source.slice(0, index);
  // Only a comment right above (no blank line): a file's header comment is not the type's.
  const doc = /\/\*\*(?:(?!\*\/)[\s\S])*\*\/[ \t]*\n[ \t]*$/.exec(before);
  return ((doc ? doc[0] : '') + text).replace(/^export /m, '');
}

/** The declaration of a type named in the elements' sources, following `export type { A as B }` aliases. */
export function findType(name, files = sourceFiles(), seen = new Set()) {
  if (seen.has(name)) return null;
  seen.add(name);
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const text = interfaceText(source, name);
    if (text) return { name, text, file: relative(ROOT, file) };
  }
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const alias = new RegExp(`export type \\{[^}]*\\b(\\w+) as ${name}\\b`).exec(source);
    if (alias) {
      const target = findType(alias[1], files, seen);
      if (target) return { ...target, aliasOf: target.name, name };
    }
  }
  return null;
}

/**
 * The named types and, breadth first, the types their declarations use (`extends`, field types) that are
 * declared in SOURCES; built-ins (Record, Promise…) are not found there and so end the walk.
 */
export function typeClosure(names, files = sourceFiles()) {
  const out = [];
  const seen = new Set();
  const queue = names.map((name) => ({ name, required: true }));
  while (queue.length) {
    const { name, required } = queue.shift();
    if (seen.has(name)) continue;
    seen.add(name);
    const found = findType(name, files);
    if (!found) {
      if (required) out.push({ name, missing: true });
      continue;
    }
    out.push(found);
    const body = found.text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .replace(/'[^']*'/g, '');
    for (const [used] of body.matchAll(/\b[A-Z]\w*/g)) if (used !== name && used !== found.aliasOf) queue.push({ name: used, required: false });
  }
  return out;
}

/** `CustomEvent<A | B>` → ['A', 'B']. */
export function detailTypeNames(typeText) {
  const m = /^CustomEvent<(.+)>$/.exec(typeText ?? '');
  return m
    ? m[1]
        .split('|')
        .map((t) => t.trim())
        .filter((t) => /^\w+$/.test(t))
    : [];
}

function table(headers, rows) {
  if (!rows.length) return '';
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

export function renderElement(element, files = sourceFiles()) {
  const { tagName, declaration: d, definedIn } = element;
  const fields = (d.members ?? []).filter((m) => m.kind === 'field');
  const methods = (d.members ?? []).filter((m) => m.kind === 'method');
  const attributes = d.attributes ?? [];
  const byField = new Map(attributes.filter((a) => a.fieldName).map((a) => [a.fieldName, a.name]));
  const reflects = new Set(fields.filter((f) => f.reflects).map((f) => f.name));
  const defineModule = definedIn.split('/').pop().replace(/\.ts$/, '.js');
  const out = [];

  out.push(`# \`<${tagName}>\``, '');
  out.push(`<!-- Generated by scripts/reference-docs.mjs from ${MANIFEST}: do not edit; \`npm run build\` regenerates it. -->`, '');
  if (d.summary) out.push(`**${paragraph(d.summary)}**`, '');
  if (d.description) out.push(paragraph(d.description), '');
  out.push('```js', `import '@esign-kit/elements/${defineModule}'; // or every element: import '@esign-kit/elements';`, '```', '');
  out.push(`Self-hosted (the companion server serves the build at \`/esign-kit/\`; the hash is in \`integrity.json\`):`, '');
  out.push('```html', `<script type="module" src="/esign-kit/${defineModule}" integrity="sha384-…" crossorigin="anonymous"></script>`, '```', '');
  out.push(`Class \`${d.name}\`; the tag is in \`HTMLElementTagNameMap\` and its events in \`HTMLElementEventMap\`.`, '');

  out.push('## Attributes', '');
  out.push(
    table(
      ['attribute', 'property', 'type', 'default', 'description'],
      attributes.map((a) => [
        code(a.name),
        a.fieldName ? code(a.fieldName) + (reflects.has(a.fieldName) ? ' (reflects)' : '') : '',
        code(a.type?.text),
        code(a.default),
        cell(a.description),
      ]),
    ) || 'None.\n',
  );

  out.push('## Properties', '');
  out.push(
    table(
      ['property', 'attribute', 'type', 'default', 'description'],
      fields.map((f) => [
        code(f.static ? `${d.name}.${f.name}` : f.name) + (f.readonly ? ' (read-only)' : ''),
        code(byField.get(f.name)),
        code(f.type?.text),
        code(f.default),
        cell(f.description),
      ]),
    ) || 'None.\n',
  );

  out.push('## Methods', '');
  out.push(
    table(
      ['method', 'returns', 'description'],
      methods.map((m) => [
        code(
          `${m.name}(${(m.parameters ?? []).map((p) => `${p.name}${p.optional || p.default !== undefined ? '?' : ''}: ${p.type?.text ?? 'unknown'}`).join(', ')})`,
        ),
        code(m.return?.type?.text ?? 'void'),
        cell(m.description),
      ]),
    ) || 'None.\n',
  );

  out.push('## Events', '');
  out.push('Every event bubbles and is composed (it crosses shadow roots).', '');
  const events = d.events ?? [];
  out.push(
    table(
      ['event', 'type', 'description'],
      events.map((e) => [code(e.name), code(e.type?.text), cell(e.description)]),
    ) || 'None.\n',
  );
  const details = [...new Set(events.flatMap((e) => detailTypeNames(e.type?.text)))];
  if (details.length) {
    out.push('### Detail types', '');
    out.push('With the types they use, as declared in the sources:', '');
    for (const found of typeClosure(details, files)) {
      if (found.missing) {
        out.push(`- \`${found.name}\`: not declared in ${SOURCES.join(', ')}.`, '');
        continue;
      }
      out.push(`\`${found.name}\`${found.aliasOf ? ` (= \`${found.aliasOf}\`)` : ''}, from \`${found.file}\`:`, '');
      out.push('```ts', found.text.trim(), '```', '');
    }
  }

  out.push('## CSS parts', '');
  out.push(
    table(
      ['part', 'description'],
      (d.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]),
    ) || 'None.\n',
  );
  out.push('## CSS custom properties', '');
  out.push(
    table(
      ['property', 'description'],
      (d.cssProperties ?? []).map((p) => [code(p.name), cell(p.description)]),
    ) || 'None.\n',
  );
  out.push('## Slots', '');
  out.push(
    table(
      ['slot', 'description'],
      (d.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)]),
    ) || 'None: the element renders everything in its shadow root.\n',
  );
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/** The index page listing every element. */
export function renderIndex(elements) {
  const rows = elements.map((e) => [`[\`<${e.tagName}>\`](${e.tagName}.md)`, cell(e.declaration.summary ?? e.declaration.description)]);
  return [
    '# Element reference',
    '',
    `<!-- Generated by scripts/reference-docs.mjs from ${MANIFEST}: do not edit; \`npm run build\` regenerates it. -->`,
    '',
    'One page per custom element, generated from the Custom Elements Manifest (`@esign-kit/elements/custom-elements.json`),',
    'which editors and framework tooling read too.',
    '',
    table(['element', 'summary'], rows).trimEnd(),
    '',
  ].join('\n');
}

/** Every page, as `{ file: 'docs/reference/x.md', text }`. */
export function renderReference(manifest) {
  const files = sourceFiles();
  const elements = elementsOf(manifest);
  return [
    { file: `${REFERENCE_DIR}/README.md`, text: renderIndex(elements) },
    ...elements.map((e) => ({ file: `${REFERENCE_DIR}/${e.tagName}.md`, text: renderElement(e, files) })),
  ];
}

/** The generated files of the reference directory as they are on disk (to find stale pages). */
export function committedReference() {
  const dir = join(ROOT, REFERENCE_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => ({ file: `${REFERENCE_DIR}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

function main() {
  const path = join(ROOT, MANIFEST);
  if (!existsSync(path)) {
    console.error(`✖ ${MANIFEST} is missing: run cem analyze first (npm run build does both).`);
    process.exit(1);
  }
  const pages = renderReference(JSON.parse(readFileSync(path, 'utf8')));
  const wanted = new Set(pages.map((p) => p.file));
  const stale = committedReference().filter((p) => !wanted.has(p.file));
  if (process.argv.includes('--check')) {
    const current = new Map(committedReference().map((p) => [p.file, p.text]));
    const different = pages.filter((p) => current.get(p.file) !== p.text).map((p) => p.file);
    const problems = [...different, ...stale.map((p) => `${p.file} (no such element)`)];
    if (problems.length) {
      console.error(`✖ The element reference is out of date: ${problems.join(', ')}. Run npm run build.`);
      process.exit(1);
    }
    return;
  }
  mkdirSync(join(ROOT, REFERENCE_DIR), { recursive: true });
  for (const page of stale) rmSync(join(ROOT, page.file));
  for (const page of pages) writeFileSync(join(ROOT, page.file), page.text);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
