// Reading a large JSON answer whose strings are base64 PDFs (BSrE v2 `file[]`, Peruri `base64Document`)
// without ever holding it whole: while the bytes arrive, every string of at least LARGE_STRING base64
// characters is decoded as it comes — into a temporary file when the caller gives an AnswerSpool (the signed
// PDF then never exists in memory: answer-spool.ts), else into the document's own buffer — and replaced in the
// kept body by a short placeholder; everything else is kept as it came. jsonObject() puts the decoded
// documents back (Base64Text), so the parsers read the same values either way.
//
// "Base64" here is what fromBase64 accepts of the string JSON.parse would give: the alphabet, at most two `=`
// at the end, whitespace anywhere (skipped). In the JSON text that means the escapes `\/` (PHP's json_encode
// writes every `/` so) and `\n` `\r` `\t` (a MIME encoder's line breaks) too. A long string that turns out not to
// be base64 after all (another escape, a misplaced `=`, a length that is not whole quads) is written back as
// text, for the parsers to refuse (its skipped whitespace is not written back: it made no difference to them).
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { readFile, rm, type FileHandle } from 'node:fs/promises';
import type { AnswerSpool } from './answer-spool.js';
import { LARGE_STRING, setAside } from './check.js';
import { SpooledFile } from './types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;
const SPACE = 0x20;
const SLASH = 0x2f;

/** The base64 alphabet without `=` (1), everything else (0). */
const ALPHABET = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;

/** After a backslash: `\/` is a `/` of the alphabet (1), `\n` `\r` `\t` whitespace (2), anything else not base64 (0). */
const ESCAPE = new Uint8Array(256);
ESCAPE[SLASH] = 1;
for (const c of 'nrt') ESCAPE[c.charCodeAt(0)] = 2;

/**
 * Characters decoded at a time: a multiple of 4, small enough for a short-lived heap string. It is also
 * LARGE_STRING: a string becomes a document the moment its first batch is full.
 */
const BATCH = LARGE_STRING;
if (BATCH % 4 !== 0) throw new Error('LARGE_STRING must be a multiple of 4');

/** Why Base64StringDecoder.feed stopped (at `at`). */
export type Stop = 'more' | 'full' | 'end' | 'bad';

/**
 * Decodes the content of one JSON string as base64, a piece of the answer at a time (pure: bytes in, bytes
 * out). feed() reads from a piece until it needs the caller: 'full' (a batch of BATCH characters is ready:
 * take() it), 'end' (the closing quote, at `at`: finish()), 'bad' (the byte at `at` is not base64, or not an
 * escape a base64 string can carry; `escaped` tells whether a backslash came just before it), or 'more' (the
 * piece is read: give the next one).
 */
export class Base64StringDecoder {
  readonly #batch = Buffer.allocUnsafe(BATCH + 4);
  readonly #out = Buffer.allocUnsafe((BATCH / 4) * 3);
  #pending = 0;
  #pads = 0;
  #escaped = false;
  /** Alphabet characters read (padding and whitespace excluded). */
  chars = 0;
  /** Where feed() stopped ('full': the next byte to read; 'end', 'bad': the byte that stopped it). */
  at = 0;

  /** A backslash was read and the byte after it not yet. */
  get escaped(): boolean {
    return this.#escaped;
  }

  feed(bytes: Uint8Array, from: number, to: number): Stop {
    let i = from;
    while (i < to) {
      const b = bytes[i]!;
      if (this.#escaped) {
        const e = ESCAPE[b]!;
        if (e === 0 || (e === 1 && this.#pads > 0)) return this.#stop(i, 'bad');
        this.#escaped = false;
        i++;
        if (e === 2) continue;
        this.#batch[this.#pending++] = SLASH;
        this.chars++;
        if (this.#pending === BATCH) return this.#stop(i, 'full');
        continue;
      }
      if (ALPHABET[b] === 1) {
        if (this.#pads > 0) return this.#stop(i, 'bad');
        let j = i + 1;
        const end = Math.min(to, i + BATCH - this.#pending);
        while (j < end && ALPHABET[bytes[j]!] === 1) j++;
        this.#batch.set(bytes.subarray(i, j), this.#pending);
        this.#pending += j - i;
        this.chars += j - i;
        i = j;
        if (this.#pending === BATCH) return this.#stop(i, 'full');
        continue;
      }
      if (b === QUOTE) return this.#stop(i, 'end');
      if (b === BACKSLASH) this.#escaped = true;
      else if (b === EQUALS && this.#pads < 2) this.#pads++;
      else if (b !== SPACE) return this.#stop(i, 'bad');
      i++;
    }
    this.at = to;
    return 'more';
  }

  #stop(at: number, why: Stop): Stop {
    this.at = at;
    return why;
  }

  /** After 'full': the batch's bytes (a view, valid until the next take or finish). */
  take(): Uint8Array {
    const n = this.#out.write(this.#batch.toString('latin1', 0, this.#pending), 0, 'base64');
    this.#pending = 0;
    return this.#out.subarray(0, n);
  }

  /** After 'end': the last bytes if the string was whole quads (with its `=` at the end only); undefined if not. */
  finish(): Uint8Array | undefined {
    const pads = this.#pads;
    if ((this.chars + pads) % 4 !== 0 || (pads > 0 && this.chars % 4 === 0)) return undefined;
    this.#batch.fill(EQUALS, this.#pending, this.#pending + pads);
    this.#pending += pads;
    return this.take();
  }

  /** What was read and not taken, as JSON string content (to write a string back): characters, `=`, a backslash. */
  pendingText(): Buffer {
    return Buffer.concat([this.#batch.subarray(0, this.#pending), Buffer.alloc(this.#pads, EQUALS), Buffer.alloc(this.#escaped ? 1 : 0, BACKSLASH)]);
  }
}

/** Where a long string's decoded bytes go. */
interface Sink {
  write(bytes: Uint8Array): Promise<void> | void;
  /** The whole document. */
  close(): Promise<Uint8Array | SpooledFile>;
  /** What was written, as base64 (a string written back) — and the sink is gone. */
  text(): Promise<Buffer>;
  /** Gone, nothing kept. */
  discard(): Promise<void>;
}

/** Into one buffer, grown as needed (or sized up front from the answer's length). */
class MemorySink implements Sink {
  #out: Buffer;
  #written = 0;

  constructor(capacity: number) {
    this.#out = Buffer.allocUnsafeSlow(Math.max(capacity, 3));
  }

  write(bytes: Uint8Array): void {
    const need = this.#written + bytes.byteLength;
    if (need > this.#out.byteLength) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, this.#out.byteLength * 2));
      this.#out.copy(grown, 0, 0, this.#written);
      this.#out = grown;
    }
    this.#out.set(bytes, this.#written);
    this.#written += bytes.byteLength;
  }

  async close(): Promise<Uint8Array> {
    return new Uint8Array(this.#out.buffer, this.#out.byteOffset, this.#written);
  }

  async text(): Promise<Buffer> {
    return Buffer.from(this.#out.toString('base64', 0, this.#written), 'latin1');
  }

  async discard(): Promise<void> {}
}

/** Into a file of the spool, hashed as it is written; each write waits for the disk (and so holds one batch). */
class FileSink implements Sink {
  readonly #hash: Hash = createHash('sha256');
  readonly #head = Buffer.alloc(8);
  #size = 0;
  #open = true;

  private constructor(
    readonly path: string,
    readonly handle: FileHandle,
  ) {}

  static async open(spool: AnswerSpool): Promise<FileSink> {
    const { path, handle } = await spool.create();
    return new FileSink(path, handle);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#size < this.#head.byteLength) this.#head.set(bytes.subarray(0, this.#head.byteLength - this.#size), this.#size);
    this.#hash.update(bytes);
    for (let at = 0; at < bytes.byteLength;) at += (await this.handle.write(bytes, at, bytes.byteLength - at)).bytesWritten;
    this.#size += bytes.byteLength;
  }

  async #close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.handle.close();
  }

  async close(): Promise<SpooledFile> {
    await this.#close();
    return new SpooledFile(
      this.path,
      this.#size,
      this.#hash.digest('hex'),
      new Uint8Array(this.#head.subarray(0, Math.min(this.#size, this.#head.byteLength))),
    );
  }

  async text(): Promise<Buffer> {
    await this.#close();
    const bytes = await readFile(this.path);
    await rm(this.path, { force: true });
    return Buffer.from(bytes.toString('base64'), 'latin1');
  }

  async discard(): Promise<void> {
    await this.#close().catch(() => undefined);
    await rm(this.path, { force: true });
  }
}

type State = 'out' | 'candidate' | 'string' | 'run';

/**
 * Reads a JSON answer from `stream`, setting its long base64 strings aside as decoded bytes (see the module
 * header). `announced`: the Content-Length, if any (sizes a document's buffer up front). `spool`: decode the
 * documents into its files instead (they come back as SpooledFile; a read that fails removes its files).
 */
export async function readJsonSettingAside(stream: ReadableStream<Uint8Array>, announced: number | undefined, spool?: AnswerSpool): Promise<Uint8Array> {
  const kept: Buffer[] = [];
  const placeholder = `\u0000esign-kit-base64-${randomBytes(8).toString('hex')}:`;
  /** How it is written inside the JSON string: the NUL as its escape. */
  const placeholderJson = `\\u0000${placeholder.slice(1)}`;
  const decoded: (Uint8Array | SpooledFile)[] = [];
  let state: State = 'out';
  /** The string being read, as it came, while it may still be a short one. */
  let raw: Buffer[] = [];
  let rawLength = 0;
  let decoder: Base64StringDecoder | undefined;
  let sink: Sink | undefined;
  let escaped = false;
  let consumed = 0;

  const keep = (bytes: Uint8Array, from: number, to: number) => {
    if (to > from) kept.push(Buffer.from(bytes.subarray(from, to)));
  };

  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      let i = 0;
      const n = chunk.byteLength;
      while (i < n) {
        switch (state) {
          case 'out': {
            const q = chunk.indexOf(QUOTE, i);
            if (q === -1) {
              keep(chunk, i, n);
              i = n;
            } else {
              keep(chunk, i, q + 1);
              i = q + 1;
              state = 'candidate';
              decoder = new Base64StringDecoder();
              raw = [];
              rawLength = 0;
            }
            break;
          }
          case 'candidate': {
            const d = decoder!;
            const stop = d.feed(chunk, i, n);
            raw.push(Buffer.from(chunk.subarray(i, d.at)));
            rawLength += d.at - i;
            i = d.at;
            if (stop === 'more') break;
            if (stop === 'full') {
              // LARGE_STRING characters of base64: a document, decoded from here on as it comes.
              if (spool) sink = await FileSink.open(spool);
              else {
                // At most every byte from the string's start to the end of the answer is base64 of the document.
                const upTo = announced !== undefined ? rawLength + announced - (consumed + i) : 0;
                sink = new MemorySink(announced !== undefined ? Math.ceil((upTo * 3) / 4) + 3 : 1024 * 1024);
              }
              await sink.write(d.take());
              raw = [];
              state = 'run';
              break;
            }
            // A short string ('end'), or one that is not base64 ('bad'): kept as it came.
            kept.push(...raw);
            raw = [];
            decoder = undefined;
            if (stop === 'end') {
              keep(chunk, i, i + 1);
              i++;
              state = 'out';
            } else {
              escaped = d.escaped;
              state = 'string';
            }
            break;
          }
          case 'run': {
            const d = decoder!;
            const stop = d.feed(chunk, i, n);
            i = d.at;
            if (stop === 'more') break;
            if (stop === 'full') {
              await sink!.write(d.take());
              break;
            }
            const tail = stop === 'end' ? d.finish() : undefined;
            if (tail) {
              await sink!.write(tail);
              kept.push(Buffer.from(`${placeholderJson}${decoded.length}"`, 'latin1'));
              decoded.push(await sink!.close());
              i++;
              state = 'out';
            } else {
              // Not base64 after all: its text goes back into the body, and the rest is read as a normal string.
              kept.push(await sink!.text(), d.pendingText());
              escaped = d.escaped;
              state = 'string';
            }
            sink = undefined;
            decoder = undefined;
            break;
          }
          case 'string': {
            let j = i;
            for (; j < n; j++) {
              const b = chunk[j]!;
              if (escaped) escaped = false;
              else if (b === BACKSLASH) escaped = true;
              else if (b === QUOTE) break;
            }
            if (j < n) {
              keep(chunk, i, j + 1);
              state = 'out';
              i = j + 1;
            } else {
              keep(chunk, i, n);
              i = n;
            }
            break;
          }
        }
      }
      consumed += n;
    }
  } catch (err) {
    // Nothing of an answer that failed is left: neither the file being written nor the documents read whole.
    await sink?.discard();
    for (const d of decoded) if (d instanceof SpooledFile) await rm(d.path, { force: true });
    throw err;
  }
  // A truncated answer keeps what came, for JSON.parse to refuse (an unfinished document cannot make it JSON).
  if (state === 'candidate') kept.push(...raw);
  if (sink) await sink.discard();
  const body = new Uint8Array(Buffer.concat(kept)); // small: everything but the documents
  if (decoded.length) setAside(body, placeholder, decoded);
  return body;
}
