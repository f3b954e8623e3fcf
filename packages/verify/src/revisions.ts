// The revisions of a PDF (PDF 32000-1 §7.5.6: the original and each incremental update) and the document as it
// was at each of them. A revision is one cross-reference section (with the stream half of a hybrid file, §7.5.8.4)
// and ends at the %%EOF that follows it; a signature's byte range must end exactly there to cover what it signs.
// `Snapshot` reads objects as of a revision, so a later revision can be compared with the signed one object by
// object, including what it replaced or removed. Every read spends from a `Budget`: a hostile file gets a bounded
// amount of work, not a frozen page.
import { Lexer, isDict, isPdfLimitError, isRef, type Dict, type PdfFile, type Ref, type Value, type XrefEntry, type XrefSection } from '@esign-kit/pdf';
import { finishObject } from './encryption.js';

export class BudgetExceeded extends Error {
  constructor() {
    super('The file needs more work to check than the inspection allows.');
    this.name = 'BudgetExceeded';
  }
}

/**
 * Bytes the PDF reader lexes (or inflates) per unit of the budget. Measured in Node 20 (bench/README.md, "Verify:
 * a signed file with a huge update"): an object read and walked costs ~13 µs, about 5 units, and lexing costs
 * ~0.16 µs a byte, so 16 bytes cost about what one unit does.
 */
export const READER_BYTES_PER_UNIT = 16;

/**
 * A count of units of work (an object read, a value visited, an entry compared), and — once `countReader` is
 * given the file's meter — the reader's own work on it (bytes lexed and inflated, objects looked up), so that
 * a file whose few objects are huge spends as surely as one of many small ones. Spending past the limit throws
 * BudgetExceeded.
 */
export class Budget {
  private used = 0;
  private reader: { readonly work: number } | undefined;
  constructor(readonly limit: number) {}
  /** Counts the reader's work on a file (its `PdfFile.meter`), from its opening on, against the same limit. */
  countReader(meter: { readonly work: number }): void {
    this.reader = meter;
  }
  spend(units = 1): void {
    this.used += units;
    if (this.spent > this.limit) throw new BudgetExceeded();
  }
  /** Units spent: the inspection's own (`own`) and the reader's (`reading`). */
  get spent(): number {
    return this.used + this.reading;
  }
  get own(): number {
    return this.used;
  }
  get reading(): number {
    return this.reader ? Math.floor(this.reader.work / READER_BYTES_PER_UNIT) : 0;
  }
}

export interface Revision {
  /** 0 for the original file, then each incremental update in order. */
  index: number;
  /** Index into `file.sections` (newest first) of this revision's main section: `entryAsOf` reads from there. */
  sectionIndex: number;
  /** Offset of `xref` or of the cross-reference stream object. */
  xrefOffset: number;
  /** The objects this revision writes (or frees), every section of it merged. */
  entries: Map<number, XrefEntry>;
  trailer: Dict;
  /** This revision's cross-reference streams (structure, not content): object number → offset of the object. */
  xrefStreams: Map<number, number>;
  /** One past its %%EOF; undefined when no %%EOF follows the cross-reference section. */
  eofEnd: number | undefined;
  /** `eofEnd` plus the end-of-line marker after it, if any: a byte range may end at either. */
  end: number | undefined;
}

/** The first `word` at or after `from`, or -1 (each candidate first byte compared over the word's length at most). */
function indexOfWord(bytes: Uint8Array, codes: readonly number[], from: number): number {
  const first = codes[0]!;
  for (let i = bytes.indexOf(first, Math.max(0, from)); i >= 0 && i + codes.length <= bytes.length; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < codes.length && bytes[i + k] === codes[k]) k++;
    if (k === codes.length) return i;
  }
  return -1;
}

/**
 * The first `word` at or after each of `froms`, answered in ascending order so that no byte is scanned twice:
 * when the previous answer lies at or after the next start, it is that start's answer too (nothing lay between).
 * Thousands of sections before one far `%%EOF` cost one pass over the bytes between them and it, not one per
 * section; a normal file scans only from each cross-reference section to its `%%EOF`.
 */
function firstOccurrences(bytes: Uint8Array, word: string, froms: readonly number[]): Map<number, number> {
  const codes = [...word].map((c) => c.charCodeAt(0));
  const out = new Map<number, number>();
  let found = -2; // the previous answer; -1: none to the end of the file
  for (const from of [...new Set(froms)].sort((a, b) => a - b)) {
    if (found === -1 || found >= from) out.set(from, found);
    else out.set(from, (found = indexOfWord(bytes, codes, from)));
  }
  return out;
}

/** Whether `%%EOF` is at `at`. */
export function isEofAt(bytes: Uint8Array, at: number): boolean {
  return at >= 0 && bytes[at] === 37 && bytes[at + 1] === 37 && bytes[at + 2] === 69 && bytes[at + 3] === 79 && bytes[at + 4] === 70;
}

/** Where the cross-reference section at `offset` ends: after its trailer dictionary (found at `trailerAt`), or after its stream's data. */
function sectionEnd(file: PdfFile, offset: number, trailer: Dict, trailerAt: number): number {
  if (trailer.streamAt !== undefined) {
    const length = trailer.dict.get('Length');
    return trailer.streamAt + (typeof length === 'number' && length >= 0 ? length : 0);
  }
  // A table: the trailer keyword follows the entries (20 bytes each); read the dictionary after it.
  if (trailerAt < 0) return offset;
  try {
    const lexer = new Lexer(file.bytes, trailerAt + 7);
    lexer.value();
    return lexer.pos;
  } catch {
    return trailerAt + 7;
  }
}

/** The object number of the cross-reference stream at `offset` (`n g obj`). */
function objectNumberAt(file: PdfFile, offset: number): number | undefined {
  try {
    const lexer = new Lexer(file.bytes, offset);
    const n = Number(lexer.word());
    lexer.word();
    return lexer.word() === 'obj' && Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function setEnd(file: PdfFile, revision: Revision, eof: number): void {
  revision.eofEnd = eof + 5;
  let end = eof + 5;
  if (file.bytes[end] === 13) end++;
  if (file.bytes[end] === 10) end++;
  revision.end = end;
}

/**
 * The file's revisions, oldest first. A section reached through a hybrid file's /XRefStm belongs to the revision
 * whose table points to it. Undefined for a file whose cross-reference data had to be reconstructed. Where each
 * section ends (its trailer, then its %%EOF) is found for all sections together, never scanning a byte twice
 * (firstOccurrences); every section is charged to `budget`.
 */
export function revisionsOf(file: PdfFile, budget: Budget): Revision[] | undefined {
  if (file.reconstructed) return undefined;
  const tables = file.sections.filter((s) => s.trailer.streamAt === undefined).map((s) => s.offset);
  const trailers = firstOccurrences(file.bytes, 'trailer', tables);
  const ends = new Map(file.sections.map((s) => [s, sectionEnd(file, s.offset, s.trailer, trailers.get(s.offset) ?? -1)]));
  const eofs = firstOccurrences(file.bytes, '%%EOF', [...ends.values()]);
  const eofAfter = (section: XrefSection) => eofs.get(ends.get(section)!) ?? -1;
  const newestFirst: Revision[] = [];
  const sections = file.sections;
  for (let i = 0; i < sections.length; i++) {
    budget.spend(1);
    const section = sections[i]!;
    const previous = newestFirst.at(-1);
    const main = previous ? sections[previous.sectionIndex]! : undefined;
    const owner = main && main.trailer.dict.get('XRefStm') === section.offset ? previous : undefined;
    // A linearized file's first-page section points forward (/Prev) to the main section at the end of the
    // original file: the two are one revision, which ends after the main section (§F.3.4, F.3.11).
    const linearized = main && !owner && main.trailer.dict.get('Prev') === section.offset && section.offset > main.offset ? previous : undefined;
    if (linearized) {
      for (const [num, entry] of section.entries) if (!linearized.entries.has(num)) linearized.entries.set(num, entry);
      if (section.trailer.streamAt !== undefined) {
        const n = objectNumberAt(file, section.offset);
        if (n !== undefined) linearized.xrefStreams.set(n, section.offset);
      }
      const eof = eofAfter(section);
      if (eof >= 0 && eof + 5 > (linearized.eofEnd ?? 0)) setEnd(file, linearized, eof);
      continue;
    }
    if (owner) {
      // The table's entries win over its stream's (§7.5.8.4): add only what the table lacks.
      for (const [num, entry] of section.entries) if (!owner.entries.has(num)) owner.entries.set(num, entry);
      const n = objectNumberAt(file, section.offset);
      if (n !== undefined) owner.xrefStreams.set(n, section.offset);
      continue;
    }
    const revision: Revision = {
      index: 0,
      sectionIndex: i,
      xrefOffset: section.offset,
      entries: new Map(section.entries),
      trailer: section.trailer,
      xrefStreams: new Map(),
      eofEnd: undefined,
      end: undefined,
    };
    if (section.trailer.streamAt !== undefined) {
      const n = objectNumberAt(file, section.offset);
      if (n !== undefined) revision.xrefStreams.set(n, section.offset);
    }
    const eof = eofAfter(section);
    if (eof >= 0) setEnd(file, revision, eof);
    newestFirst.push(revision);
  }
  const revisions = newestFirst.reverse();
  revisions.forEach((r, i) => (r.index = i));
  return revisions;
}

/** Whether a byte range ending at `signedLength` ends revision `r` (at its %%EOF, with or without the line end). */
export function endsRevision(r: Revision, signedLength: number): boolean {
  return r.eofEnd !== undefined && r.end !== undefined && signedLength >= r.eofEnd && signedLength <= r.end;
}

const objectStreamsOf = new WeakMap<PdfFile, Set<number>>();

/**
 * The numbers of the object streams that some cross-reference entry of the file (any section) names: the only
 * objects that can be object streams in use (PDF 32000-1 §7.5.7). Built once per file, from the entries alone, so
 * that no object needs to be read to tell structure from content.
 */
export function objectStreamNumbers(file: PdfFile): Set<number> {
  let numbers = objectStreamsOf.get(file);
  if (!numbers) {
    numbers = new Set();
    for (const section of file.sections) for (const entry of section.entries.values()) if (entry.type === 2) numbers.add(entry.stream);
    objectStreamsOf.set(file, numbers);
  }
  return numbers;
}

/** The objects of a file as they were at one revision. Reads are cached per cross-reference entry. */
export class Snapshot {
  private static readonly cache = new WeakMap<PdfFile, WeakMap<XrefEntry, Promise<Value | undefined>>>();

  constructor(
    readonly file: PdfFile,
    readonly revision: Revision,
    readonly budget: Budget,
  ) {}

  /** The document as it is now (the newest revision; for a reconstructed file, what the scan found). */
  static latest(file: PdfFile, budget: Budget): Snapshot {
    const revision: Revision = {
      index: -1,
      sectionIndex: 0,
      xrefOffset: file.sections[0]?.offset ?? 0,
      entries: new Map(),
      trailer: file.trailer ?? { dict: new Map() },
      xrefStreams: new Map(),
      eofEnd: undefined,
      end: undefined,
    };
    return new Snapshot(file, revision, budget);
  }

  get trailer(): Dict {
    return this.revision.trailer;
  }

  private static readonly index = new WeakMap<PdfFile, Map<number, { section: number; entry: XrefEntry }[]>>();

  /**
   * Every entry of every object, by section (oldest section last), built once per file: looking an object up as of
   * a revision is then a binary search, not a walk through every section (a file of thousands of revisions must
   * not make each lookup cost thousands of steps).
   */
  private static entriesOf(file: PdfFile): Map<number, { section: number; entry: XrefEntry }[]> {
    let index = Snapshot.index.get(file);
    if (!index) {
      index = new Map();
      file.sections.forEach((section, i) => {
        for (const [num, entry] of section.entries) {
          let list = index!.get(num);
          if (!list) index!.set(num, (list = []));
          list.push({ section: i, entry }); // ascending section index: newest first
        }
      });
      Snapshot.index.set(file, index);
    }
    return index;
  }

  /** The cross-reference entry of object `num` at this revision (undefined: never defined). */
  entry(num: number): XrefEntry | undefined {
    const list = Snapshot.entriesOf(this.file).get(num);
    if (!list) return undefined;
    // The first entry in a section at or after this revision's (sections are newest first), as entryAsOf does.
    const target = this.revision.sectionIndex;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.section < target) lo = mid + 1;
      else hi = mid;
    }
    return list[lo]?.entry;
  }

  /** Whether object `num` exists (is in use) at this revision. */
  has(num: number): boolean {
    const e = this.entry(num);
    return !!e && e.type !== 0;
  }

  /**
   * Object `num` as of this revision; null when free or absent, undefined when unreadable. A reader limit
   * (PdfLimitError) is not "unreadable": it rejects, so that no judgement is made on a half-read document.
   */
  get(num: number): Promise<Value | undefined> {
    const entry = this.entry(num);
    if (!entry || entry.type === 0) return Promise.resolve(null);
    let byEntry = Snapshot.cache.get(this.file);
    if (!byEntry) Snapshot.cache.set(this.file, (byEntry = new WeakMap()));
    // An object in an object stream is what the object stream of this revision says: the same member entry
    // may be read through another stream (a later update reusing the stream's number), so the key is that stream.
    const key = entry.type === 2 ? this.entry(entry.stream) : entry;
    if (!key) return Promise.resolve(undefined);
    let value = entry.type === 2 ? Snapshot.members.get(key)?.get(num) : byEntry.get(entry);
    if (!value) {
      this.budget.spend(1);
      value = this.file
        .objectAt(num, entry, (n) => this.entry(n))
        .then(
          async (v) => {
            // RC4 and AES-128 strings are decrypted once their object number is known (encryption.ts).
            if (entry.type === 1) await finishObject(this.file, num, entry, v);
            return v;
          },
          (err: unknown) => {
            if (isPdfLimitError(err)) throw err;
            return undefined;
          },
        );
      value.catch(() => undefined); // a limit is rethrown to whoever awaits it; none is left unhandled meanwhile
      if (entry.type === 2) {
        let byNumber = Snapshot.members.get(key);
        if (!byNumber) Snapshot.members.set(key, (byNumber = new Map()));
        byNumber.set(num, value);
      } else {
        byEntry.set(entry, value);
      }
    }
    return value;
  }

  /** Objects read from object streams, by the stream's cross-reference entry, then by object number. */
  private static readonly members = new WeakMap<XrefEntry, Map<number, Promise<Value | undefined>>>();

  /** The value itself, or what a reference points to as of this revision. */
  async resolve(value: Value | undefined): Promise<Value | undefined> {
    return isRef(value) ? this.get(value.num) : value;
  }

  /** The catalog's reference and dictionary. */
  async root(): Promise<{ ref: Ref | undefined; dict: Dict | undefined }> {
    const raw = this.trailer.dict.get('Root');
    const value = await this.resolve(raw);
    return { ref: isRef(raw) ? raw : undefined, dict: isDict(value) ? value : undefined };
  }
}
