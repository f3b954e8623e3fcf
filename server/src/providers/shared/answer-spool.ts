// Where a provider's answer puts the documents it carries as base64 (BSrE v2 `file[]`) while it arrives: one
// temporary file per document, decoded and hashed as the base64 comes (large-json.ts), so that a signed 50 MB
// PDF is never one buffer in memory between the provider and the store. A spool belongs to one operation (a
// signing): the store takes the files it keeps (putFile moves or copies them), and dispose() removes whatever
// is left — the files of an answer that failed to parse, of a document the store refused, of a crash in between.
// The files are `answer-<random>.part` in the uploads folder (DATA_DIR/uploads, http/uploads.ts), whose
// stale `.part` files a restarted server removes.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export class AnswerSpool {
  readonly #paths = new Set<string>();

  constructor(readonly dir: string) {}

  /** A new empty file (mode 0600), removed by dispose() unless a store took it first. */
  async create(): Promise<{ path: string; handle: FileHandle }> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, `answer-${randomBytes(16).toString('hex')}.part`);
    const handle = await open(path, 'wx', 0o600);
    this.#paths.add(path);
    return { path, handle };
  }

  /** Removes every file this spool made that is still where it was made. */
  async dispose(): Promise<void> {
    const paths = [...this.#paths];
    this.#paths.clear();
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  }
}
