// Loads ./document.ts once per page. A failed load is forgotten, so that the next document tries again (and its
// failure is reported as the document's: a module that cannot be fetched is a network error).
export type DocumentCode = typeof import('./document.js');

let code: Promise<DocumentCode> | undefined;

export const loadDocumentCode = (): Promise<DocumentCode> =>
  (code ??= import('./document.js').catch((error: unknown) => {
    code = undefined;
    throw error;
  }));
