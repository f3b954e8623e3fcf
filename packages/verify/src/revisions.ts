// The revisions of a PDF (PDF 32000-1 §7.5.6: the original and each incremental update) and the document as it
// was at each of them. A revision is one cross-reference section (with the stream half of a hybrid file, §7.5.8.4)
// and ends at the %%EOF that follows it; a signature's byte range must end exactly there to cover what it signs.
// `Snapshot` reads objects as of a revision, so a later revision can be compared with the signed one object by
// object, including what it replaced or removed. Every read spends from a `Budget`: a hostile file gets a bounded
// amount of work, not a frozen page.
import { Lexer, isDict, isRef, type Dict, type PdfFile, type Ref, type Value, type XrefEntry } from '@esign-kit/pdf';
import { finishObject } from './encryption.js';

export class BudgetExceeded extends Error {
  constructor() {
    super('The file needs more work to check than the inspection allows.');
    this.name = 'BudgetExceeded';
  }
}

/** A count of units of work (an object read, a value visited); spending past the limit throws BudgetExceeded. */
export class Budget {
  private used = 0;
  constructor(readonly limit: number) {}
  spend(units = 1): void {
    this.used += units;
    if (this.used > this.limit) throw new BudgetExceeded();
  }
  get spent(): number {
    return this.used;
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
  /** Object numbers of this revision's cross-reference streams (structure, not content). */
  xrefStreams: Set<number>;
  /** One past its %%EOF; undefined when no %%EOF follows the cross-reference section. */
  eofEnd: number | undefined;
  /** `eofEnd` plus the end-of-line marker after it, if any: a byte range may end at either. */
  end: number | undefined;
}

/** Index of `%%EOF` at or after `from` (linear: each candidate is compared over five bytes at most). */
export function indexOfEof(bytes: Uint8Array, from: number): number {
  for (let i = bytes.indexOf(37, Math.max(0, from)); i >= 0 && i + 5 <= bytes.length; i = bytes.indexOf(37, i + 1)) {
    if (bytes[i + 1] === 37 && bytes[i + 2] === 69 && bytes[i + 3] === 79 && bytes[i + 4] === 70) return i;
  }
  return -1;
}

/** Where the cross-reference section at `offset` ends: after its trailer dictionary, or after its stream's data. */
function sectionEnd(file: PdfFile, offset: number, trailer: Dict): number {
  if (trailer.streamAt !== undefined) {
    const length = trailer.dict.get('Length');
    return trailer.streamAt + (typeof length === 'number' && length >= 0 ? length : 0);
  }
  // A table: the trailer keyword follows the entries (20 bytes each); read the dictionary after it.
  const bytes = file.bytes;
  let at = offset;
  for (;;) {
    at = bytes.indexOf(116 /* t */, at);
    if (at < 0 || at + 7 > bytes.length) return offset;
    if (bytes[at + 1] === 114 && bytes[at + 2] === 97 && bytes[at + 3] === 105 && bytes[at + 4] === 108 && bytes[at + 5] === 101 && bytes[at + 6] === 114) break;
    at++;
  }
  try {
    const lexer = new Lexer(bytes, at + 7);
    lexer.value();
    return lexer.pos;
  } catch {
    return at + 7;
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
 * whose table points to it. Undefined for a file whose cross-reference data had to be reconstructed.
 */
export function revisionsOf(file: PdfFile): Revision[] | undefined {
  if (file.reconstructed) return undefined;
  const newestFirst: Revision[] = [];
  const sections = file.sections;
  for (let i = 0; i < sections.length; i++) {
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
        if (n !== undefined) linearized.xrefStreams.add(n);
      }
      const eof = indexOfEof(file.bytes, sectionEnd(file, section.offset, section.trailer));
      if (eof >= 0 && eof + 5 > (linearized.eofEnd ?? 0)) setEnd(file, linearized, eof);
      continue;
    }
    if (owner) {
      // The table's entries win over its stream's (§7.5.8.4): add only what the table lacks.
      for (const [num, entry] of section.entries) if (!owner.entries.has(num)) owner.entries.set(num, entry);
      const n = objectNumberAt(file, section.offset);
      if (n !== undefined) owner.xrefStreams.add(n);
      continue;
    }
    const revision: Revision = {
      index: 0,
      sectionIndex: i,
      xrefOffset: section.offset,
      entries: new Map(section.entries),
      trailer: section.trailer,
      xrefStreams: new Set(),
      eofEnd: undefined,
      end: undefined,
    };
    if (section.trailer.streamAt !== undefined) {
      const n = objectNumberAt(file, section.offset);
      if (n !== undefined) revision.xrefStreams.add(n);
    }
    const eof = indexOfEof(file.bytes, sectionEnd(file, section.offset, section.trailer));
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
      index: -1, sectionIndex: 0, xrefOffset: file.sections[0]?.offset ?? 0, entries: new Map(), trailer: file.trailer ?? { dict: new Map() },
      xrefStreams: new Set(), eofEnd: undefined, end: undefined,
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

  /** Object `num` as of this revision; null when free or absent. */
  get(num: number): Promise<Value | undefined> {
    const entry = this.entry(num);
    if (!entry || entry.type === 0) return Promise.resolve(null);
    let byEntry = Snapshot.cache.get(this.file);
    if (!byEntry) Snapshot.cache.set(this.file, (byEntry = new WeakMap()));
    let value = byEntry.get(entry);
    if (!value) {
      this.budget.spend(1);
      value = this.file.objectAt(num, entry).then(
        async (v) => {
          // RC4 and AES-128 strings are decrypted once their object number is known (encryption.ts).
          if (entry.type === 1) await finishObject(this.file, num, entry, v);
          return v;
        },
        () => undefined,
      );
      byEntry.set(entry, value);
    }
    return value;
  }

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
