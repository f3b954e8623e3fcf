// The Custom Elements Manifest of @esign-kit/elements (https://github.com/webcomponents/custom-elements-manifest),
// read from the elements' JSDoc (@fires, @csspart, @cssproperty, @slot) and Lit `static properties`
// (`cem analyze --litelement`). `npm run build` writes packages/elements/custom-elements.json and renders
// docs/reference/<tag>.md from it (scripts/reference-docs.mjs); test/node/elements-manifest.test.ts checks it
// against the element classes themselves.

/** Lifecycle and form callbacks the browser calls, and Lit's static plumbing: not API a page uses. */
const NOT_API = new Set([
  'styles',
  'properties',
  'shadowRootOptions',
  'formAssociated',
  'connectedCallback',
  'disconnectedCallback',
  'attributeChangedCallback',
  'formResetCallback',
  'formStateRestoreCallback',
  'formDisabledCallback',
  'formAssociatedCallback',
]);

/**
 * The litelement plugin reads `static properties` but not `state: true` (internal reactive state, no attribute),
 * and getters without a setter are not marked read-only: fix both, and keep the manifest to the public API.
 */
function publicApiPlugin() {
  const classes = new Map(); // class name → { state: Set, getters: Set, setters: Set }
  return {
    name: 'esign-public-api',
    analyzePhase({ ts, node }) {
      if (node.kind !== ts.SyntaxKind.ClassDeclaration || !node.name) return;
      const info = { state: new Set(), getters: new Set(), setters: new Set() };
      for (const member of node.members) {
        const name = member.name?.getText();
        if (!name) continue;
        if (ts.isGetAccessorDeclaration(member)) info.getters.add(name);
        if (ts.isSetAccessorDeclaration(member)) info.setters.add(name);
        const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (isStatic && name === 'properties' && member.initializer && ts.isObjectLiteralExpression(member.initializer)) {
          for (const prop of member.initializer.properties) {
            if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.initializer)) continue;
            const isState = prop.initializer.properties.some(
              (p) => ts.isPropertyAssignment(p) && p.name.getText() === 'state' && p.initializer.kind === ts.SyntaxKind.TrueKeyword,
            );
            if (isState) info.state.add(prop.name.getText());
          }
        }
      }
      classes.set(node.name.getText(), info);
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          const info = classes.get(decl.name);
          if (decl.kind !== 'class' || !info) continue;
          const internal = (m) =>
            info.state.has(m.name) || m.privacy === 'private' || m.privacy === 'protected' || m.name.startsWith('#') || NOT_API.has(m.name);
          if (decl.attributes) decl.attributes = decl.attributes.filter((a) => !(a.fieldName && info.state.has(a.fieldName)));
          if (decl.members) {
            decl.members = decl.members.filter((m) => !internal(m));
            for (const m of decl.members) {
              if (m.kind === 'field' && info.getters.has(m.name) && !info.setters.has(m.name)) m.readonly = true;
            }
          }
          for (const key of ['attributes', 'members', 'events', 'cssParts', 'cssProperties', 'slots']) {
            if (Array.isArray(decl[key]) && decl[key].length === 0) delete decl[key];
          }
        }
      }
    },
  };
}

export default {
  globs: ['packages/elements/src/**/*.ts'],
  exclude: ['packages/elements/src/**/*.test.ts', 'packages/elements/src/**/*.d.ts'],
  outdir: 'packages/elements',
  litelement: true,
  // The package.json pointer is written by hand (packages/elements/package.json "customElements").
  packagejson: false,
  quiet: true,
  plugins: [publicApiPlugin()],
};
