// The digest of a signature's byte ranges. WebCrypto has no incremental digest, so the two ranges must be one
// contiguous buffer. Copying them costs a second file-sized buffer (and its time); instead, when there are two
// ranges around one hole, the smaller range is moved next to the larger one inside the caller's buffer, the
// digest is started over that view, and every byte is put back before anything else can run:
// `SubtleCrypto.digest` copies its input synchronously, before it returns its promise (WebCrypto §14.3.5 step 2
// "get a copy of the bytes held by the data parameter"; Node's HashJob copies in its constructor), and the
// restore happens in the same synchronous turn. Should an engine ever read the buffer later, it would hash the
// restored bytes and report a digest mismatch: a false alarm, never a false pass. Shared memory (a
// SharedArrayBuffer, which another thread could read meanwhile) always takes the copying path.

export async function digestRanges(algorithm: string, bytes: Uint8Array, ranges: readonly number[]): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  if (ranges.length === 4 && bytes.buffer instanceof ArrayBuffer) {
    const [a, lengthA, b, lengthB] = ranges as [number, number, number, number];
    const endA = a + lengthA;
    const hole = b - endA;
    if (hole >= 0) {
      const view = bytes as Uint8Array<ArrayBuffer>;
      let pending: Promise<ArrayBuffer>;
      if (lengthB <= lengthA) {
        // Move range B down to the end of range A; the bytes it overwrites (the hole, and B's own head
        // when B is longer than the hole) are saved first.
        const saved = new Uint8Array(view.subarray(endA, endA + lengthB)); // a copy, even for a Node Buffer (whose slice is a view)
        view.copyWithin(endA, b, b + lengthB);
        try {
          pending = subtle.digest(algorithm, view.subarray(a, endA + lengthB));
        } finally {
          view.set(saved, endA); // the bytes past the moved range were never touched
        }
      } else {
        // Move range A up to the start of range B.
        const start = b - lengthA;
        const saved = new Uint8Array(view.subarray(start, b));
        view.copyWithin(start, a, endA);
        try {
          pending = subtle.digest(algorithm, view.subarray(start, b + lengthB));
        } finally {
          view.set(saved, start);
        }
      }
      return new Uint8Array(await pending);
    }
  }
  return new Uint8Array(await subtle.digest(algorithm, copyRanges(bytes, ranges)));
}

/** The bytes the ranges cover, copied into one buffer. */
export function copyRanges(bytes: Uint8Array, ranges: readonly number[]): Uint8Array<ArrayBuffer> {
  let total = 0;
  for (let i = 1; i < ranges.length; i += 2) total += ranges[i]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    out.set(bytes.subarray(ranges[i]!, ranges[i]! + ranges[i + 1]!), at);
    at += ranges[i + 1]!;
  }
  return out;
}
