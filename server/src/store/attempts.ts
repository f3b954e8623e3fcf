// Where the count of wrong guesses (OTPs, TOTPs, passphrases) lives, so that a lockout holds across a restart.
// Behind a small interface because a deployment of several instances needs one shared count: a PostgreSQL
// implementation is one table and one statement per method, e.g. for addFailure
//   INSERT INTO esign_attempts (key, failures, last_failure_at) VALUES ($1, 1, $2)
//   ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN esign_attempts.last_failure_at < $3 THEN 1
//     ELSE esign_attempts.failures + 1 END, last_failure_at = $2
//   RETURNING failures, last_failure_at
// Today's implementation keeps one small file per key under DATA_DIR/attempts.
import { JsonRecords } from './records.js';

export interface AttemptRecord {
  /** Wrong guesses since the last success (or since the count was forgotten). */
  failures: number;
  /** Epoch milliseconds of the last wrong guess. */
  lastFailureAt: number;
}

export interface AttemptStore {
  get(key: string): Promise<AttemptRecord | undefined>;
  /**
   * Counts one more wrong guess, atomically, and returns the new record. A record whose last failure is older
   * than `forgetBefore` starts again from one.
   */
  addFailure(key: string, now: number, forgetBefore: number): Promise<AttemptRecord>;
  /** Forgets the key (a right guess). */
  clear(key: string): Promise<void>;
}

/** One JSON file per key under DATA_DIR/attempts (one server per DATA_DIR). */
export class FileAttemptStore implements AttemptStore {
  readonly #records: JsonRecords<AttemptRecord>;

  constructor(dataDir: string) {
    this.#records = new JsonRecords<AttemptRecord>(dataDir, 'attempts');
  }

  get(key: string): Promise<AttemptRecord | undefined> {
    return this.#records.get(key);
  }

  addFailure(key: string, now: number, forgetBefore: number): Promise<AttemptRecord> {
    return this.#records.locked(key, async () => {
      const known = await this.#records.get(key);
      const failures = known && known.lastFailureAt >= forgetBefore ? known.failures + 1 : 1;
      const record = { failures, lastFailureAt: now };
      await this.#records.put(key, record);
      return record;
    });
  }

  clear(key: string): Promise<void> {
    return this.#records.locked(key, () => this.#records.delete(key));
  }
}
