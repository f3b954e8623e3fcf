// The placer's code for an open document, in a chunk of its own: loaded with the first document, or ahead of it
// when the element is connected (./document-code.ts), beside pdf.js — never with the page that only declares a
// placer. What a person can reach before a document is open (the toolbar, the status line, the form's value and
// validity) stays in the element's module.
export { findTag, openPdf, readGeometries } from './pdf-document.js';
export { PageRenderer } from './page-renderer.js';
export { DocumentParts } from './document-parts.js';
