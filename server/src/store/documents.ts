// The document store's public face: the contract and its helpers (document-model.ts), the filesystem
// implementation (file-documents.ts) and the PostgreSQL one (pg-documents.ts, built by openStores in index.ts).
import type { DocumentStore as DocumentStoreContract } from './document-model.js';
import { FileDocumentStore } from './file-documents.js';

export * from './document-model.js';
export { FileDocumentStore };

/** What every document store promises (document-model.ts). */
export interface DocumentStore extends DocumentStoreContract {}

/**
 * `new DocumentStore(dataDir)`: the filesystem store, as before there were two. Kept so that the callers of
 * that time (app.ts, main.ts, tests) read the same; new code says FileDocumentStore or openStores().
 */
export const DocumentStore = FileDocumentStore;
