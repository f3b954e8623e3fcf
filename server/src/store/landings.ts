// What this server learned from Digisign's redirects: who activated, and who signed which document. The
// landing page (/callback/digisign) decrypts each redirect with the partner key and records its outcome here
// before answering; a web view's confirmation (POST /api/webviews/confirmations) then requires a record for the
// very signer the element was opened for. A replayed landing URL of another signer of the same document
// records that other signer again, never this one, so it cannot complete this signer's element.
import type { DigisignRedirect } from '../providers/adapters.js';
import { normaliseEmail } from '../auth/identity.js';
import { FileStateStore } from './file-state.js';
import { STATE, type StateStore } from './state.js';

export interface LandingRecord {
  kind: 'activation' | 'signing';
  /** Lower-cased `email_user`. */
  email: string;
  documentId?: string;
  /** Digisign's result code. */
  result: string;
  /** `status_document` as sent. */
  status?: string;
  completed?: boolean;
  at: number;
}

/** How long a recorded outcome can confirm an element (a signing page's session is 30 minutes at most). */
const KEEP_MS = 24 * 60 * 60_000;

const keyOf = (kind: 'activation' | 'signing', email: string, documentId?: string) =>
  `digisign\u0000${kind}\u0000${documentId ?? ''}\u0000${normaliseEmail(email)}`;

export class LandingRecords {
  readonly #state: StateStore;

  /** On a state store (shared by every instance with PostgreSQL), or as before on files under `dataDir`/landings. */
  constructor(where: string | StateStore) {
    this.#state = typeof where === 'string' ? new FileStateStore(where) : where;
  }

  /** Records a successful outcome (a failed one confirms nothing and is not kept). */
  async record(r: DigisignRedirect, now = Date.now()): Promise<void> {
    if (!r.ok || !r.emailUser) return;
    const record: LandingRecord =
      r.kind === 'signing'
        ? {
            kind: 'signing',
            email: normaliseEmail(r.emailUser),
            documentId: r.documentId,
            result: r.result,
            status: r.statusDocument,
            completed: r.completed,
            at: now,
          }
        : { kind: 'activation', email: normaliseEmail(r.emailUser), result: r.result, at: now };
    // Kept a little longer than it can confirm, then swept.
    await this.#state.put(STATE.landings, keyOf(r.kind, r.emailUser, r.kind === 'signing' ? r.documentId : undefined), record, KEEP_MS + 60_000);
  }

  /** The recorded outcome for this signer (and document), if one arrived in the last day. */
  async find(kind: 'activation' | 'signing', email: string, documentId?: string, now = Date.now()): Promise<LandingRecord | undefined> {
    const found = await this.#state.get<LandingRecord>(STATE.landings, keyOf(kind, email, documentId));
    return found && now - found.at <= KEEP_MS ? found : undefined;
  }
}
