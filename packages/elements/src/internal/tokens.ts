// The kit's design tokens: one set of custom properties that all three elements fall back to, so that a portal
// themes them together (`--esign-accent: #7b1fa2` on <body>), while each element's own properties
// (`--esign-placer-accent`…) still win for that element. Each element's styles read its property, then the
// token, then the default below:
//
//   --_accent: var(--esign-placer-accent, var(--esign-accent, #0b57d0));
//
// The `var()` chains stay in each element's styles (the manifest test reads an element's custom properties
// from its own folder, and each element documents the tokens it reads); the defaults live here, once.
//
//   --esign-accent       buttons, links, focus rings, boxes without a signer
//   --esign-border       borders and separators
//   --esign-color        text
//   --esign-background   the element's background (the web view, the verifier)
//   --esign-surface      bars over or beside the content: toolbar, status bar, inspector
//   --esign-error        error messages (and "invalid" in the verifier)
//   --esign-font-family  the text's font (sizes stay the element's: its layout is measured in them)
import { unsafeCSS } from 'lit';

export const ACCENT = unsafeCSS('#0b57d0');
export const BORDER = unsafeCSS('#c9d1dd');
export const COLOR = unsafeCSS('#1d2433');
export const BACKGROUND = unsafeCSS('#fff');
export const SURFACE = unsafeCSS('#f6f8fb');
export const ERROR = unsafeCSS('#a40000');
export const FONT_FAMILY = unsafeCSS('system-ui, sans-serif');
