// The Custom Elements Manifest (cem analyze, custom-elements-manifest.config.mjs) checked against the elements
// themselves, so that neither it nor the reference pages made from it can go stale: every define module
// (packages/elements/src/esign-*.ts) is an element of the manifest; its attributes are the class's
// observedAttributes; its events are the ones the sources fire, each with a CustomEvent<detail> type that
// HTMLElementEventMap declares; its CSS parts and custom properties are the ones its templates and styles use.
// Then docs/reference/*.md must be exactly what scripts/reference-docs.mjs renders from this manifest.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
// @ts-expect-error the analyzer ships no types for its CLI module
import { cli } from '@custom-elements-manifest/analyzer/cli.js';
import { committedReference, detailTypeNames, elementsOf, findType, renderReference } from '../../scripts/reference-docs.mjs';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'packages/elements/src');

interface Manifest {
  modules: { path: string; declarations?: unknown[]; exports?: unknown[] }[];
}

const defineModules = () =>
  readdirSync(SRC)
    .filter((f) => /^esign-[a-z][a-z0-9-]*\.ts$/.test(f))
    .sort();

/** The .ts files of a directory and below (an element's folder: its class, styles, events, strings). */
function sources(dir: string): string {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(readFileSync(path, 'utf8'));
  }
  return out.join('\n');
}

/** `part="a b ${x ? 'c' : ''}"` → a, b, c; and parts set from code: `setAttribute('part', 'd')`, `.part.add('e')`. */
function partsIn(source: string): Set<string> {
  const parts = new Set<string>();
  for (const [, value] of source.matchAll(/setAttribute\(\s*'part',\s*'([^']*)'/g)) for (const t of value!.split(/\s+/)) if (t) parts.add(t);
  for (const [, list] of source.matchAll(/\.part\.(?:add|toggle)\(([^)]*)\)/g)) for (const [, t] of list!.matchAll(/'([^']+)'/g)) parts.add(t!);
  for (const [, value] of source.matchAll(/\spart="([^"]*)"/g)) {
    const literals = [...value!.matchAll(/\$\{([^}]*)\}/g)].flatMap(([, expr]) => [...expr!.matchAll(/'([^']*)'/g)].map(([, s]) => s!));
    for (const token of [...value!.replace(/\$\{[^}]*\}/g, ' ').split(/\s+/), ...literals.flatMap((l) => l.split(/\s+/))]) if (token) parts.add(token);
  }
  return parts;
}

/** Events the sources dispatch: `fire<T>(this, 'esign-x', …)` or `new CustomEvent<T>('esign-x', …)`, with T when written. */
function firedIn(source: string): Map<string, Set<string>> {
  const fired = new Map<string, Set<string>>();
  const add = (name: string, type?: string) => {
    const types = fired.get(name) ?? new Set<string>();
    if (type) types.add(type);
    fired.set(name, types);
  };
  for (const m of source.matchAll(/\bfire(?:<(\w+)>)?\(\s*this,\s*'([a-z][a-z0-9-]*)'/g)) add(m[2]!, m[1]);
  for (const m of source.matchAll(/new CustomEvent(?:<(\w+)>)?\(\s*'([a-z][a-z0-9-]*)'/g)) add(m[2]!, m[1]);
  return fired;
}

/** Every `'event': CustomEvent<…>` entry of the `HTMLElementEventMap` declarations in the elements' sources. */
function eventMap(): Map<string, string> {
  const map = new Map<string, string>();
  const all = sources(SRC);
  for (const [, body] of all.matchAll(/interface HTMLElementEventMap \{([\s\S]*?)\n\s*\}/g)) {
    for (const [, name, type] of body!.matchAll(/'([a-z][a-z0-9-]*)':\s*(CustomEvent<[^;]+>);/g)) map.set(name!, type!);
  }
  return map;
}

describe('the Custom Elements Manifest and the element reference', () => {
  let manifest: Manifest;
  before(async () => {
    manifest = (await cli({
      argv: ['analyze', '--config', join(ROOT, 'custom-elements-manifest.config.mjs'), '--quiet'],
      cwd: ROOT,
      noWrite: true,
    })) as Manifest;
  });

  it('lists every element defined by a packages/elements/src/esign-*.ts module, once', () => {
    const tags = elementsOf(manifest).map((e: { tagName: string }) => e.tagName);
    assert.deepEqual(
      tags,
      defineModules().map((f) => f.replace(/\.ts$/, '')),
    );
  });

  for (const file of defineModules()) {
    const tag = file.replace(/\.ts$/, '');
    describe(`<${tag}>`, () => {
      let element: any;
      let source = '';
      before(async () => {
        element = elementsOf(manifest).find((e: { tagName: string }) => e.tagName === tag);
        assert.ok(element, `${tag} is not in the manifest`);
        source = sources(join(ROOT, dirname(element.classModule)));
        await import(pathToFileURL(join(SRC, file)).href);
      });

      it('has the attributes the class observes', () => {
        const cls = customElements.get(tag) as unknown as { observedAttributes: string[]; name: string } | undefined;
        assert.ok(cls, `${file} does not define <${tag}>`);
        assert.equal(element.declaration.name, cls.name);
        const documented = (element.declaration.attributes ?? []).map((a: { name: string }) => a.name).sort();
        assert.deepEqual(documented, [...cls.observedAttributes].sort());
        for (const a of element.declaration.attributes ?? []) assert.ok(a.description, `attribute ${a.name} has no description`);
      });

      it('has the events the sources fire, each typed CustomEvent<detail> as in HTMLElementEventMap', () => {
        const fired = firedIn(source);
        const events: { name: string; type?: { text: string }; description?: string }[] = element.declaration.events ?? [];
        assert.deepEqual(events.map((e) => e.name).sort(), [...fired.keys()].sort(), 'documented (@fires) vs fired');
        const map = eventMap();
        for (const event of events) {
          const details = detailTypeNames(event.type?.text);
          assert.equal(details.length, 1, `${event.name}: write @fires {CustomEvent<Detail>} ${event.name} - …`);
          const detail = details[0]!;
          assert.ok(event.description, `${event.name} has no description`);
          for (const written of fired.get(event.name)!) assert.equal(written, detail, `${event.name} is fired with fire<${written}>`);
          const declared = map.get(event.name);
          assert.ok(declared, `${event.name} is missing from HTMLElementEventMap`);
          // The map's entry may be shared by several elements (a union, or a common base type): this element's
          // detail must be in it by name, as the type it aliases, or as an interface extending it.
          const found = findType(detail);
          assert.ok(found, `${detail} is not declared in the sources`);
          const names = detailTypeNames(declared);
          const bases =
            /^\s*interface \w+(?:<[^>]*>)? extends ([^{]+)\{/m
              .exec(found.text)?.[1]!
              .split(',')
              .map((b) => b.trim()) ?? [];
          const covered = [detail, found.aliasOf, ...bases].some((n) => n !== undefined && names.includes(n));
          assert.ok(covered, `HTMLElementEventMap['${event.name}'] is ${declared}, which neither is nor extends ${detail}`);
        }
      });

      it('has the CSS parts its templates use', () => {
        const documented = (element.declaration.cssParts ?? []).map((p: { name: string }) => p.name).sort();
        assert.deepEqual(documented, [...partsIn(source)].sort());
      });

      it('has the CSS custom properties its styles read', () => {
        const documented = (element.declaration.cssProperties ?? []).map((p: { name: string }) => p.name).sort();
        const used = [...new Set([...source.matchAll(/var\(\s*(--[a-z][a-z0-9-]*)/g)].map((m) => m[1]!).filter((p) => !p.startsWith('--_')))].sort();
        assert.deepEqual(documented, used);
      });

      it('has the slots its templates render', () => {
        const documented = (element.declaration.slots ?? []).map((s: { name: string }) => s.name).sort();
        const used = [...source.matchAll(/<slot(?:\s+name="([^"]*)")?/g)].map((m) => m[1] ?? '').sort();
        assert.deepEqual(documented, [...new Set(used)]);
      });
    });
  }

  it('docs/reference is exactly what scripts/reference-docs.mjs renders from it (run `npm run build`)', () => {
    const expected = renderReference(manifest);
    const committed = new Map(committedReference().map((p: { file: string; text: string }) => [p.file, p.text]));
    assert.deepEqual([...committed.keys()].sort(), expected.map((p: { file: string }) => p.file).sort(), 'pages');
    for (const page of expected) assert.equal(committed.get(page.file), page.text, `${page.file} is out of date: run npm run build`);
  });
});
