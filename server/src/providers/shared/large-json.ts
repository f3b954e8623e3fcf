// Reading a large JSON answer whose strings are base64 PDFs (BSrE v2 `file[]`, Peruri `base64Document`)
// without ever holding it whole: while the bytes arrive, every string of at least LARGE_STRING characters of
// the base64 alphabet is decoded straight into the document's own buffer and replaced in the kept body by
// a short placeholder; everything else is kept as it came. A 50 MB PDF then costs its 50 MB once, not the
// 67 MB of its base64 answer plus copies. jsonObject() puts the decoded documents back (Base64Text), so the
// parsers read the same values either way. A string that turns out not to be plain base64 (an escape, a
// misplaced `=`, a length that is not whole quads) is written back as it was, for the parsers to refuse.
import { randomBytes } from 'node:crypto';
import { LARGE_STRING, setAside } from './check.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;

/** The base64 alphabet without `=` (1), everything else (0). */
const ALPHABET = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;

/** Characters decoded at a time (a multiple of 4; small enough for a short-lived heap string). */
const BATCH = 64 * 1024;

/** Decodes one run of base64 characters into a growing (or sized-up-front) buffer. */
class RunDecoder {
  #out: Buffer;
  #written = 0;
  readonly #batch = Buffer.allocUnsafe(BATCH);
  #pending = 0;
  /** Characters fed, padding excluded. */
  chars = 0;

  constructor(capacity: number) {
    this.#out = Buffer.allocUnsafeSlow(Math.max(capacity, 3));
  }

  feed(bytes: Uint8Array, from: number, to: number): void {
    this.chars += to - from;
    for (let at = from; at < to;) {
      const n = Math.min(BATCH - this.#pending, to - at);
      this.#batch.set(bytes.subarray(at, at + n), this.#pending);
      this.#pending += n;
      at += n;
      if (this.#pending === BATCH) this.#flush(BATCH);
    }
  }

  #flush(count: number): void {
    const need = this.#written + (count / 4) * 3;
    if (need > this.#out.byteLength) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, this.#out.byteLength * 2));
      this.#out.copy(grown, 0, 0, this.#written);
      this.#out = grown;
    }
    this.#written += this.#out.write(this.#batch.toString('latin1', 0, count), this.#written, 'base64');
    this.#batch.copyWithin(0, count, this.#pending);
    this.#pending -= count;
  }

  /** The decoded bytes, if the run was whole quads (with `pads` `=` at its end); undefined otherwise. */
  finish(pads: number): Uint8Array | undefined {
    if ((this.chars + pads) % 4 !== 0 || (pads > 0 && this.chars % 4 === 0)) return undefined;
    this.#batch.fill(EQUALS, this.#pending, this.#pending + pads);
    this.#pending += pads;
    this.#flush(this.#pending);
    return new Uint8Array(this.#out.buffer, this.#out.byteOffset, this.#written);
  }

  /** The characters fed so far, as they were (whole quads re-encoded exactly, the rest as pending). */
  text(pads: number): Buffer {
    const done = Buffer.from(this.#out.buffer, this.#out.byteOffset, this.#written).toString('base64');
    return Buffer.concat([Buffer.from(done, 'latin1'), this.#batch.subarray(0, this.#pending), Buffer.alloc(pads, EQUALS)]);
  }
}

type State = 'out' | 'candidate' | 'string' | 'run' | 'pad';

/**
 * Reads a JSON answer from `stream`, setting its long base64 strings aside as decoded bytes (see the module
 * header). `announced`: the Content-Length, if any (sizes the document buffer up front).
 */
export async function readJsonSettingAside(stream: ReadableStream<Uint8Array>, announced: number | undefined): Promise<Uint8Array> {
  const kept: Buffer[] = [];
  const placeholder = `\u0000esign-kit-base64-${randomBytes(8).toString('hex')}:`;
  /** How it is written inside the JSON string: the NUL as its escape. */
  const placeholderJson = `\\u0000${placeholder.slice(1)}`;
  const decoded: Uint8Array[] = [];
  let state: State = 'out';
  let candidate: Buffer[] = [];
  let candidateLength = 0;
  let escaped = false;
  let run: RunDecoder | undefined;
  let pads = 0;
  let consumed = 0;

  const keep = (bytes: Uint8Array, from: number, to: number) => {
    if (to > from) kept.push(Buffer.from(bytes.subarray(from, to)));
  };
  /** A run that is not plain base64 after all: its text goes back into the body, as a normal string. */
  const abandonRun = () => {
    kept.push(run!.text(pads));
    run = undefined;
    pads = 0;
    state = 'string';
    escaped = false;
  };

  const reader = stream.getReader();
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
            candidate = [];
            candidateLength = 0;
          }
          break;
        }
        case 'candidate': {
          // The string so far is all alphabet and shorter than LARGE_STRING: keep looking.
          let j = i;
          while (j < n && ALPHABET[chunk[j]!] === 1 && candidateLength + (j - i) < LARGE_STRING) j++;
          if (candidateLength + (j - i) >= LARGE_STRING) {
            // At most every byte from the string's start to the end of the answer is base64 of the document.
            const upTo = announced !== undefined ? candidateLength + announced - (consumed + i) : 0;
            run = new RunDecoder(announced !== undefined ? Math.ceil((upTo * 3) / 4) + 3 : 1024 * 1024);
            for (const c of candidate) run.feed(c, 0, c.byteLength);
            run.feed(chunk, i, j);
            candidate = [];
            pads = 0;
            state = 'run';
            i = j;
          } else {
            candidate.push(Buffer.from(chunk.subarray(i, j)));
            candidateLength += j - i;
            i = j;
            if (j < n) {
              // Something else than the alphabet: an ordinary string (which may end right here).
              kept.push(...candidate);
              candidate = [];
              state = 'string';
              escaped = false;
            }
          }
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
        case 'run': {
          let j = i;
          while (j < n && ALPHABET[chunk[j]!] === 1) j++;
          run!.feed(chunk, i, j);
          i = j;
          if (j === n) break;
          const b = chunk[j]!;
          if (b === QUOTE) {
            const bytes = run!.finish(0);
            if (!bytes) abandonRun();
            else {
              kept.push(Buffer.from(`${placeholderJson}${decoded.length}"`, 'latin1'));
              decoded.push(bytes);
              run = undefined;
              state = 'out';
              i = j + 1;
            }
          } else if (b === EQUALS) {
            pads = 1;
            state = 'pad';
            i = j + 1;
          } else abandonRun();
          break;
        }
        case 'pad': {
          const b = chunk[i]!;
          if (b === EQUALS && pads < 2) {
            pads++;
            i++;
          } else if (b === QUOTE) {
            const bytes = run!.finish(pads);
            if (!bytes) abandonRun();
            else {
              kept.push(Buffer.from(`${placeholderJson}${decoded.length}"`, 'latin1'));
              decoded.push(bytes);
              run = undefined;
              pads = 0;
              state = 'out';
              i++;
            }
          } else abandonRun();
          break;
        }
      }
    }
    consumed += n;
  }
  // A truncated answer keeps what came, for JSON.parse to refuse.
  if (state === 'candidate') kept.push(...candidate);
  if (run) kept.push(run.text(pads));
  const body = new Uint8Array(Buffer.concat(kept)); // small: everything but the documents
  if (decoded.length) setAside(body, placeholder, decoded);
  return body;
}
