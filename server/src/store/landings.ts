// What this server learned from Digisign's redirects: who activated, and who signed which document. The
// landing page (/callback/digisign) decrypts each redirect with the partner key and records its outcome here
// before answering; a web view's confirmation (POST /api/webviews/confirmations) then requires a record for the
// very signer the element was opened for. A replayed landing URL of another signer of the same document
// records that other signer again, never this one, so it cannot complete this signer's element.
import type { DigisignRedirect } from '../providers/adapters.js';
import { normaliseEmail } from '../auth/identity.js';
import { JsonRecords } from './records.js';

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

const keyOf = (kind: 'activation' | 'signing', email: string, documentId?: string) => `digisign\u0000${kind}\u0000${documentId ?? ''}\u0000${normaliseEmail(email)}`;

export class LandingRecords {
  readonly #records: JsonRecords<LandingRecord>;

  constructor(dataDir: string) {
    this.#records = new JsonRecords<LandingRecord>(dataDir, 'landings');
  }

  /** Records a successful outcome (a failed one confirms nothing and is not kept). */
  async record(r: DigisignRedirect, now = Date.now()): Promise<void> {
    if (!r.ok || !r.emailUser) return;
    const record: LandingRecord =
      r.kind === 'signing'
        ? { kind: 'signing', email: normaliseEmail(r.emailUser), documentId: r.documentId, result: r.result, status: r.statusDocument, completed: r.completed, at: now }
        : { kind: 'activation', email: normaliseEmail(r.emailUser), result: r.result, at: now };
    await this.#records.put(keyOf(r.kind, r.emailUser, r.kind === 'signing' ? r.documentId : undefined), record);
  }

  /** The recorded outcome for this signer (and document), if one arrived in the last day. */
  async find(kind: 'activation' | 'signing', email: string, documentId?: string, now = Date.now()): Promise<LandingRecord | undefined> {
    const found = await this.#records.get(keyOf(kind, email, documentId));
    return found && now - found.at <= KEEP_MS ? found : undefined;
  }
}
