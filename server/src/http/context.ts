// What every router gets: the checked configuration, the store, the configured providers, the logger, the
// attempt limiter (guessed secrets), the flow state shared by instances, the Digisign landings, the secret
// scrubber for provider words, the PDF intake (its workers and limits), and the registry each route is described
// in (openapi/registry.ts).
import type { AttemptLimiter } from '../auth/attempts.js';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../log/logger.js';
import type { PdfIntake } from '../pdf/intake-pool.js';
import type { Providers } from '../providers/index.js';
import type { DocumentStore, StoredDocumentMeta } from '../store/documents.js';
import type { LandingRecords } from '../store/landings.js';
import type { StateStore } from '../store/state.js';
import type { ApiRegistry } from './openapi/registry.js';
import type { FlowRecords } from '../flows/records.js';

export interface AppContext {
  config: ServerConfig;
  store: DocumentStore;
  providers: Providers;
  logger: Logger;
  version: string;
  attempts: AttemptLimiter;
  /** The flow state every instance shares (store/state.ts lists its namespaces). */
  state: StateStore;
  landings: LandingRecords;
  /** Blanks configured secrets and provider-issued tokens, in any encoding (log/secrets.ts). */
  scrub: (text: string) => string;
  /** Where the routes are described, for GET /api/openapi.json. */
  api: ApiRegistry;
  /** The signing and activation flows, and the webhook events their outcomes raise (flows/records.ts). */
  flows: FlowRecords;
  /**
   * The PDF intake every PDF is read by (pdf/intake-pool.ts): this server's workers, MAX_PDF_PAGES and deadline;
   * `intake.as(user)` counts a check against that portal user's share, in a request or in reconciliation.
   */
  intake: PdfIntake;
}

/** How a response mentions a stored document (only ever after it is durably written). */
export function documentView(meta: StoredDocumentMeta) {
  return {
    id: meta.id,
    sha256: meta.sha256,
    size: meta.size,
    source: meta.source,
    createdAt: meta.createdAt,
    fileName: meta.fileName,
    url: `/api/documents/${meta.id}`,
  };
}
