// What happened to a document after it was signed, judged like pyHanko's difference analysis
// (pyhanko/sign/diff_analysis: policies.py, rules/*.py): every later revision is compared with the signed one,
// object by object — what it adds, replaces and frees — and every object it writes must be explained by a rule:
//
// - long-term-validation material (level 'lta', always allowed): the /DSS with its /Certs /CRLs /OCSPs and /VRI
//   (old /VRI entries unchanged), document timestamps, /Info and XMP /Metadata, cross-reference and object streams,
//   a catalog whose keys other than /AcroForm /DSS /Extensions /Metadata /MarkInfo /Version are unchanged;
// - signing and form filling ('form-filling', allowed without a certification signature, or under DocMDP /P 2 or 3):
//   a new signature field with its widgets and appearance, a signature in an empty field, a field's value and
//   appearance (keys /V /AP /AS /F /DA /Q /Ff /Type), the form's /DR;
// - annotations ('annotations', allowed only under DocMDP /P 3): markup annotations added, changed or removed;
// - anything else ('other') is a modification: page content or resources, pages, fields created (other than
//   signature fields) or removed, a signed field's value replaced, freed objects, an appearance stream changed in
//   place while something else also uses it.
//
// Objects written again unchanged, and new objects nothing refers to, are ignored (as pyHanko does). FieldMDP
// locks (/Lock, /Reference … /FieldMDP) forbid changes to the fields they name. A certification signature
// (DocMDP, any /P) forbids new visible signature fields (pyHanko's default: stricter than Acrobat).
//
// An object the signed revision had is never explained by being reachable from later, allowed material (a new
// field's appearance, a document timestamp's dictionary, the /DSS): rules explain new objects (free in the signed
// revision), and an old object rewritten only where the rule checks what it is and that the signed revision
// used it nowhere else (pyHanko's old_usages_to_clear). Cross-reference and object streams are structure only
// under a number that was free; an object the signed revision had is always reported when written again.
import { isDict, isName, isRef, isString, nameOf, textString, type Dict, type Ref, type Value } from '@esign-kit/pdf';
import { Snapshot, objectStreamNumbers, type Budget, type Revision } from './revisions.js';
import type { PdfFile } from '@esign-kit/pdf';

export type ModificationLevel = 'none' | 'lta' | 'form-filling' | 'annotations' | 'other';

/** What an incremental update written after a signature did. */
export type ChangeKind =
  | 'signature'
  | 'document-timestamp'
  | 'signature-field'
  | 'form'
  | 'form-field'
  | 'annotation'
  | 'page'
  | 'page-content'
  | 'appearance'
  | 'catalog'
  | 'metadata'
  /** Long-term-validation data: the document security store (/DSS), its certificates, CRLs, OCSP responses, /VRI. */
  | 'dss'
  | 'other'
  | 'unreadable'
  | 'trailing-bytes';

export interface Change {
  kind: ChangeKind;
  /** The object written, replaced or freed (absent for 'trailing-bytes' and whole-file findings). */
  object?: number;
  /** Whether the object existed before (it was replaced or removed) or is new. */
  replaced: boolean;
  /** Whether this change is one the signature permits (long-term validation, signing, form filling as DocMDP allows). */
  allowed: boolean;
  /** Added (a new object), changed (an object written again with other content) or removed (freed, or taken out of an array). */
  action?: 'added' | 'changed' | 'removed';
  /** The modification level of the change (pyHanko's ModificationLevel). */
  level?: ModificationLevel;
  /** 0-based index of the revision that made the change. */
  revision?: number;
  /** The fully qualified name of the form field concerned. */
  field?: string;
}

/** The permissions a signature grants later revisions. */
export interface Permissions {
  /** DocMDP /P of the document's certification signature (1 no changes, 2 form filling and signing, 3 also annotations). */
  docMdp?: 1 | 2 | 3;
  /** Fields the signature locks (FieldMDP); `all` locks every field. */
  locked?: { all: true } | { include: string[] } | { exclude: string[] };
}

const LEVELS: ModificationLevel[] = ['none', 'lta', 'form-filling', 'annotations', 'other'];
const rank = (l: ModificationLevel) => LEVELS.indexOf(l);
const maxLevel = (a: ModificationLevel, b: ModificationLevel) => (rank(a) >= rank(b) ? a : b);

/** The highest level a signature allows: DocMDP /P 1 → LTA updates, 2 → form filling, 3 → annotations. */
export function allowedLevel(p: Permissions): ModificationLevel {
  if (p.docMdp === 1) return 'lta';
  if (p.docMdp === 3) return 'annotations';
  return 'form-filling';
}

function isLocked(p: Permissions, field: string | undefined): boolean {
  if (!p.locked || field === undefined) return false;
  const l = p.locked;
  if ('all' in l) return true;
  if ('include' in l) return l.include.includes(field);
  return !l.exclude.includes(field);
}

const ROOT_EXEMPT = new Set(['AcroForm', 'DSS', 'Extensions', 'Metadata', 'MarkInfo', 'Version']);
const ACROFORM_EXEMPT = new Set(['Fields', 'DR', 'DA', 'Q', 'NeedAppearances']);
const FIELD_ALWAYS_MODIFIABLE = new Set(['Ff', 'Type']);
const VALUE_UPDATE_KEYS = new Set([...FIELD_ALWAYS_MODIFIABLE, 'AP', 'AS', 'V', 'F', 'DA', 'Q']);
const DSS_KEYS = new Set(['Type', 'VRI', 'Certs', 'CRLs', 'OCSPs']);
const VRI_KEYS = new Set(['Type', 'TU', 'TS', 'Cert', 'CRL', 'OCSP']);
const ANNOTATION_SUBTYPES = new Set([
  'Text',
  'Link',
  'FreeText',
  'Line',
  'Square',
  'Circle',
  'Polygon',
  'PolyLine',
  'Highlight',
  'Underline',
  'Squiggly',
  'StrikeOut',
  'Stamp',
  'Caret',
  'Ink',
  'Popup',
  'FileAttachment',
  'Sound',
  'Movie',
  'Screen',
  'PrinterMark',
  'TrapNet',
  'Watermark',
  '3D',
  'Redact',
  'Projection',
  'RichMedia',
]);
/** Back-pointers (to a parent or a page) are not usages: they do not make an object appear anywhere. */
const BACK_POINTERS = new Set(['Parent', 'P', 'StructParent', 'Prev', 'Last', 'First', 'Next']);

const sameRef = (a: Value | undefined, b: Value | undefined) => isRef(a) && isRef(b) && a.num === b.num && a.gen === b.gen;

/** Deep equality of two direct values (references compared as references), bounded in depth. */
export function sameValue(a: Value | undefined, b: Value | undefined, depth = 0): boolean {
  if (depth > 32) return false;
  if (isRef(a) || isRef(b)) return sameRef(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i], depth + 1));
  }
  if (isDict(a) || isDict(b)) {
    if (!isDict(a) || !isDict(b) || a.dict.size !== b.dict.size || (a.streamAt === undefined) !== (b.streamAt === undefined)) return false;
    for (const [k, v] of a.dict) if (!b.dict.has(k) || !sameValue(v, b.dict.get(k), depth + 1)) return false;
    return true;
  }
  if (isName(a) || isName(b)) return isName(a) && isName(b) && a.name === b.name;
  if (isString(a) || isString(b)) return isString(a) && isString(b) && a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
  return a === b;
}

/** Whether two dictionaries agree on every key outside `ignored`. */
function sameExcept(a: Dict, b: Dict, ignored: ReadonlySet<string>): boolean {
  const keys = new Set([...a.dict.keys(), ...b.dict.keys()]);
  for (const k of keys) {
    if (ignored.has(k)) continue;
    if (!sameValue(a.dict.get(k), b.dict.get(k))) return false;
  }
  return true;
}

interface Explanation {
  level: ModificationLevel;
  kind: ChangeKind;
  field?: string;
  /** Still allowed when the field is locked by FieldMDP. */
  validWhenLocked: boolean;
  /** Allowed after a certification signature (DocMDP) too, not only after approval signatures. */
  validWhenCertifying: boolean;
}

interface FieldSpec {
  name: string;
  type: string | undefined;
  ref: Ref;
  dict: Dict;
}

/** What is read once from the signed revision and shared by its comparisons with every later revision. */
interface SignedRevision {
  usages?: Promise<Map<number, number>>;
  fields?: Promise<Map<string, FieldSpec>>;
}

/** One comparison: the signed revision `old` against a later revision `now`. */
class RevisionDiff {
  readonly explained = new Map<number, Explanation>();
  readonly findings: Change[] = [];
  /** Widget annotations of the signature fields this revision creates: they may be added to pages. */
  readonly newWidgets = new Set<number>();

  constructor(
    readonly old: Snapshot,
    readonly now: Snapshot,
    readonly budget: Budget,
    private readonly signed: SignedRevision = {},
  ) {}

  private get revision(): number {
    return this.now.revision.index;
  }

  explain(num: number, level: ModificationLevel, kind: ChangeKind, field?: string, validWhenLocked = level === 'lta', validWhenCertifying = true): void {
    const previous = this.explained.get(num);
    if (previous && rank(previous.level) <= rank(level)) return;
    const e: Explanation = { level, kind, validWhenLocked, validWhenCertifying };
    if (field !== undefined) e.field = field;
    this.explained.set(num, e);
  }

  /**
   * Explains the object `newValue` refers to, written after the signed revision: a new object (free in the signed
   * revision), or the signed revision's own object (`oldValue` the same reference) rewritten in place — then only
   * when the signed revision used it nowhere else (pyHanko clears an old object only once every path through
   * which the signed revision used it is cleared: policies.py, old_usages_to_clear). Callers have checked that
   * the new reference is safe (`safeRef`) and what the object now holds.
   */
  async explainRef(
    oldValue: Value | undefined,
    newValue: Value | undefined,
    level: ModificationLevel,
    kind: ChangeKind,
    field?: string,
    validWhenLocked?: boolean,
  ): Promise<void> {
    if (!isRef(newValue) || !this.changedSince(newValue.num)) return;
    const fresh = !this.old.has(newValue.num);
    if (fresh || (sameRef(oldValue, newValue) && (await this.usageCount(newValue.num)) <= 1)) {
      this.explain(newValue.num, level, kind, field, validWhenLocked ?? level === 'lta');
    }
  }

  /** Written after the signed revision (in this revision or one between). */
  changedSince(num: number): boolean {
    return this.now.entry(num) !== this.old.entry(num);
  }

  /** A reference that is either the one the old revision used, or a new object (never one that clobbers another). */
  safeRef(oldValue: Value | undefined, newValue: Value | undefined): boolean {
    if (!isRef(newValue)) return true;
    if (sameRef(oldValue, newValue)) return true;
    return !this.old.has(newValue.num);
  }

  /**
   * The new objects reachable from `value` (pyHanko's collect_dependencies(since_revision)): objects free in the
   * signed revision and written since. Traversal stops at every object the signed revision had, changed or not:
   * an old object rewritten is never explained by being reachable from later material (a new field's appearance,
   * a document timestamp's dictionary, the /DSS), only by a rule that checks its old uses (`explainRef`,
   * `appearance`).
   */
  async newDependencies(value: Value | undefined, into = new Set<number>(), depth = 0): Promise<Set<number>> {
    if (depth > 64) return into;
    this.budget.spend(1);
    if (isRef(value)) {
      if (into.has(value.num) || this.old.has(value.num) || !this.changedSince(value.num)) return into;
      into.add(value.num);
      await this.newDependencies(await this.now.get(value.num), into, depth + 1);
    } else if (Array.isArray(value)) {
      for (const item of value) await this.newDependencies(item, into, depth + 1);
    } else if (isDict(value)) {
      for (const [key, item] of value.dict) if (!BACK_POINTERS.has(key)) await this.newDependencies(item, into, depth + 1);
    }
    return into;
  }

  async explainDependencies(value: Value | undefined, level: ModificationLevel, kind: ChangeKind, field?: string, validWhenLocked?: boolean): Promise<void> {
    for (const num of await this.newDependencies(value)) this.explain(num, level, kind, field, validWhenLocked ?? level === 'lta');
  }

  /**
   * How often each object is referred to in the signed revision, back-pointers aside: computed once per signed
   * revision, on demand, and shared by its comparisons with every later revision.
   */
  async usageCount(num: number): Promise<number> {
    this.signed.usages ??= (async () => {
      const usages = new Map<number, number>();
      const visited = new Set<number>();
      const walk = async (value: Value | undefined, depth: number): Promise<void> => {
        if (depth > 64) return;
        this.budget.spend(1);
        if (isRef(value)) {
          usages.set(value.num, (usages.get(value.num) ?? 0) + 1);
          if (visited.has(value.num)) return;
          visited.add(value.num);
          await walk(await this.old.get(value.num), depth + 1);
        } else if (Array.isArray(value)) {
          for (const item of value) await walk(item, depth + 1);
        } else if (isDict(value)) {
          for (const [key, item] of value.dict) if (!BACK_POINTERS.has(key)) await walk(item, depth + 1);
        }
      };
      for (const [key, value] of this.old.trailer.dict) if (key !== 'Prev' && key !== 'XRefStm' && key !== 'Encrypt') await walk(value, 0);
      return usages;
    })();
    return (await this.signed.usages).get(num) ?? 0;
  }

  // ── Rules ───────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Cross-reference and object streams (pyHanko's XrefStreamRule, ObjectStreamRule): structure, explained only
   * under a number free in the signed revision — and a cross-reference stream only when this revision's entry for
   * its number, if any, is the stream itself (else the number would hide whatever that entry points to).
   */
  async structure(): Promise<void> {
    for (const [num, offset] of this.now.revision.xrefStreams) {
      if (this.old.has(num)) continue;
      const entry = this.now.revision.entries.get(num);
      if (entry && !(entry.type === 1 && entry.offset === offset)) continue;
      this.explain(num, 'lta', 'other');
    }
    // Only an object some cross-reference entry stores objects in can be an object stream: reading every object
    // the revision writes to find them would make an update of 150 000 unreferenced objects (or of 17 MB of
    // arrays) cost seconds of parsing that no rule needs (orphans are judged from the document's graph alone).
    const objectStreams = objectStreamNumbers(this.now.file);
    for (const [num, entry] of this.now.revision.entries) {
      if (entry.type !== 1 || !objectStreams.has(num) || this.old.has(num)) continue;
      const value = await this.now.get(num);
      if (isDict(value) && value.streamAt !== undefined && nameOf(value.dict.get('Type')) === 'ObjStm') this.explain(num, 'lta', 'other');
    }
  }

  async catalog(): Promise<void> {
    const [oldRoot, newRoot] = [await this.old.root(), await this.now.root()];
    if (!oldRoot.dict || !newRoot.dict || !newRoot.ref) return;
    if (!this.safeRef(oldRoot.ref, newRoot.ref)) return;
    if (!sameExcept(oldRoot.dict, newRoot.dict, ROOT_EXEMPT)) return; // left unexplained: the catalog changed
    this.explain(newRoot.ref.num, 'lta', 'catalog', undefined, true);
  }

  /** /Extensions (ISO 32000-2 §7.12): developer extension levels may be declared later, even indirectly, as long as
   * an object written in place is used nowhere else in the signed revision. */
  async extensions(): Promise<void> {
    const [oldRoot, newRoot] = [await this.old.root(), await this.now.root()];
    const rawOld = oldRoot.dict?.dict.get('Extensions');
    const rawNew = newRoot.dict?.dict.get('Extensions');
    if (rawNew === undefined || !this.safeRef(rawOld, rawNew)) return;
    await this.explainRef(rawOld, rawNew, 'lta', 'catalog');
    for (const num of await this.newDependencies(await this.now.resolve(rawNew))) this.explain(num, 'lta', 'catalog');
  }

  async info(): Promise<void> {
    const [rawOld, info] = [this.old.trailer.dict.get('Info'), this.now.trailer.dict.get('Info')];
    if (!isRef(info) || !this.safeRef(rawOld, info)) return;
    const dict = await this.now.get(info.num);
    if (isDict(dict) && dict.streamAt === undefined) await this.explainRef(rawOld, info, 'lta', 'metadata');
  }

  async metadata(): Promise<void> {
    const [oldRoot, newRoot] = [await this.old.root(), await this.now.root()];
    const rawOld = oldRoot.dict?.dict.get('Metadata');
    const meta = newRoot.dict?.dict.get('Metadata');
    if (!isRef(meta) || !this.safeRef(rawOld, meta)) return;
    const stream = await this.now.get(meta.num);
    if (isDict(stream) && stream.streamAt !== undefined) await this.explainRef(rawOld, meta, 'lta', 'metadata');
  }

  /** The document security store (ETSI EN 319 142-1 §5.4; pyHanko's DSSCompareRule). */
  async dss(): Promise<void> {
    const [oldRoot, newRoot] = [await this.old.root(), await this.now.root()];
    const rawNew = newRoot.dict?.dict.get('DSS');
    if (rawNew === undefined) return;
    const rawOld = oldRoot.dict?.dict.get('DSS');
    if (!this.safeRef(rawOld, rawNew)) return;
    const [oldDss, newDss] = [await this.old.resolve(rawOld), await this.now.resolve(rawNew)];
    if (!isDict(newDss) || newDss.streamAt !== undefined) return;
    for (const key of newDss.dict.keys()) if (!DSS_KEYS.has(key)) return;
    // Everything is checked before anything is explained: a /DSS that breaks one rule explains nothing.
    const updates: [oldValue: Value | undefined, newValue: Value | undefined][] = [[rawOld, rawNew]];
    const news = new Set<number>();
    // /Certs, /CRLs, /OCSPs (and a /VRI entry's /Cert, /CRL, /OCSP): arrays of references to streams (pyHanko's
    // _assert_stream_refs). New streams are explained by this rule; a stream the signed revision had is fine
    // listed as it was, and never explained if it was written again. The /DSS's own arrays are new or the ones
    // it had (pyHanko's safe_whitelist); a new /VRI entry may also list an array the signed revision had, unchanged.
    const streams = async (value: Value | undefined, oldValue: Value | undefined, vri = false): Promise<boolean> => {
      if (value === undefined) return true;
      const unchangedOld = isRef(value) && this.old.has(value.num) && !this.changedSince(value.num);
      if (!this.safeRef(oldValue, value) && !(vri && unchangedOld)) return false;
      const array = await this.now.resolve(value);
      if (!Array.isArray(array) || array.length > 100_000) return false;
      for (const item of array) {
        this.budget.spend(1);
        if (!isRef(item)) return false;
        const stream = await this.now.get(item.num);
        if (!isDict(stream) || stream.streamAt === undefined) return false;
      }
      updates.push([oldValue, value]);
      for (const n of await this.newDependencies(array)) news.add(n);
      return true;
    };
    for (const key of ['Certs', 'CRLs', 'OCSPs']) {
      const oldValue = isDict(oldDss) ? oldDss.dict.get(key) : undefined;
      if (!(await streams(newDss.dict.get(key), oldValue))) return;
    }
    const rawVri = newDss.dict.get('VRI');
    if (rawVri !== undefined) {
      const rawOldVri = isDict(oldDss) ? oldDss.dict.get('VRI') : undefined;
      if (!this.safeRef(rawOldVri, rawVri)) return;
      updates.push([rawOldVri, rawVri]);
      const [oldVri, newVri] = [await this.old.resolve(rawOldVri), await this.now.resolve(rawVri)];
      if (!isDict(newVri)) return;
      // Old /VRI entries stay as they were; new ones are keyed by a SHA-1 in upper-case hex and hold only DER streams.
      if (isDict(oldVri)) for (const [key, value] of oldVri.dict) if (!sameValue(value, newVri.dict.get(key))) return;
      for (const [key, entry] of newVri.dict) {
        if (isDict(oldVri) && oldVri.dict.has(key)) continue;
        if (!/^[0-9A-F]{40}$/.test(key)) return;
        if (isRef(entry) && this.old.has(entry.num)) return;
        const dict = await this.now.resolve(entry);
        if (!isDict(dict) || dict.streamAt !== undefined) return;
        for (const k of dict.dict.keys()) if (!VRI_KEYS.has(k)) return;
        for (const key of ['Cert', 'CRL', 'OCSP']) if (!(await streams(dict.dict.get(key), undefined, true))) return;
        for (const n of await this.newDependencies(entry)) news.add(n);
      }
    }
    for (const [oldValue, newValue] of updates) await this.explainRef(oldValue, newValue, 'lta', 'dss');
    for (const n of news) this.explain(n, 'lta', 'dss');
  }

  /** Every field of the form by its fully qualified name (§12.7.3.2), as of `snapshot`. */
  private async fields(snapshot: Snapshot): Promise<Map<string, FieldSpec>> {
    const out = new Map<string, FieldSpec>();
    const { dict: root } = await snapshot.root();
    const acroForm = await snapshot.resolve(root?.dict.get('AcroForm'));
    if (!isDict(acroForm)) return out;
    const seen = new Set<number>();
    const walk = async (list: Value | undefined, parent: string, inherited: string | undefined, depth: number): Promise<void> => {
      const items = await snapshot.resolve(list);
      if (!Array.isArray(items) || depth > 32) return;
      for (const item of items) {
        this.budget.spend(1);
        if (!isRef(item) || seen.has(item.num) || out.size > 50_000) continue;
        seen.add(item.num);
        const dict = await snapshot.get(item.num);
        if (!isDict(dict)) continue;
        const partial = textString(dict.dict.get('T'));
        if (partial === undefined) continue; // a widget, not a field
        const name = parent ? `${parent}.${partial}` : partial;
        const type = nameOf(dict.dict.get('FT')) ?? inherited;
        if (!out.has(name)) out.set(name, { name, type, ref: item, dict });
        await walk(dict.dict.get('Kids'), name, type, depth + 1);
      }
    };
    await walk(acroForm.dict.get('Fields'), '', undefined, 0);
    return out;
  }

  private async visible(field: Dict, snapshot: Snapshot): Promise<boolean> {
    const area = (d: Dict) => {
      const r = d.dict.get('Rect');
      if (!Array.isArray(r) || r.length !== 4 || !r.every((x) => typeof x === 'number')) return false;
      const [x1, y1, x2, y2] = r as number[];
      return Math.abs(x1! - x2!) * Math.abs(y1! - y2!) > 0;
    };
    if (area(field)) return true;
    const kids = await snapshot.resolve(field.dict.get('Kids'));
    if (!Array.isArray(kids)) return false;
    for (const kid of kids.slice(0, 64)) {
      const k = await snapshot.resolve(kid);
      if (isDict(k) && area(k)) return true;
    }
    return false;
  }

  /** The widget annotations of a field: its kids without /T, or the field itself when it has none. */
  private async widgets(field: FieldSpec, snapshot: Snapshot): Promise<Ref[]> {
    const kids = await snapshot.resolve(field.dict.dict.get('Kids'));
    if (!Array.isArray(kids)) return [field.ref];
    const out: Ref[] = [];
    for (const kid of kids.slice(0, 1000)) {
      if (!isRef(kid)) continue;
      const k = await snapshot.get(kid.num);
      if (isDict(k) && !k.dict.has('T')) out.push(kid);
    }
    return out;
  }

  /** A new /AP (new streams, or a new appearance dictionary), and in-place stream updates nothing else uses. */
  private async appearance(oldField: Dict | undefined, newField: Dict, name: string): Promise<void> {
    const rawOld = oldField?.dict.get('AP');
    const rawNew = newField.dict.get('AP');
    if (rawNew === undefined) return;
    if (!this.safeRef(rawOld, rawNew)) return;
    await this.explainRef(rawOld, rawNew, 'form-filling', 'appearance', name, false);
    const [oldAp, newAp] = [await this.old.resolve(rawOld), await this.now.resolve(rawNew)];
    if (!isDict(newAp)) return;
    for (const key of ['N', 'R', 'D']) {
      const value = newAp.dict.get(key);
      if (value === undefined) continue;
      await this.explainDependencies(value, 'form-filling', 'appearance', name, false);
      // In place: the same stream object written again. pyHanko allows it when neither the stream nor an
      // indirect /AP dictionary is used anywhere else in the signed revision (else it could change page content).
      const before = isDict(oldAp) ? oldAp.dict.get(key) : undefined;
      if (isRef(value) && sameRef(before, value) && this.changedSince(value.num)) {
        const apShared = isRef(rawOld) && (await this.usageCount(rawOld.num)) > 1;
        if (!apShared && (await this.usageCount(value.num)) <= 1) {
          this.explain(value.num, 'form-filling', 'appearance', name, false);
          await this.explainDependencies(await this.now.get(value.num), 'form-filling', 'appearance', name, false);
        }
      }
    }
  }

  /** The signature (or document timestamp) a field now holds. */
  private async signatureValue(field: FieldSpec, visible: boolean): Promise<void> {
    const v = field.dict.dict.get('V');
    if (!isRef(v) || (this.old.has(v.num) && !this.changedSince(v.num))) return;
    const sig = await this.now.get(v.num);
    if (!isDict(sig)) return;
    const timestamp = nameOf(sig.dict.get('Type')) === 'DocTimeStamp' && !visible;
    const level: ModificationLevel = timestamp ? 'lta' : 'form-filling';
    if (this.old.has(v.num)) return; // a signature object overwritten: never explained
    this.explain(v.num, level, timestamp ? 'document-timestamp' : 'signature', field.name, timestamp);
    await this.explainDependencies(sig, level, timestamp ? 'document-timestamp' : 'signature', field.name, timestamp);
  }

  async form(): Promise<void> {
    const [oldRoot, newRoot] = [await this.old.root(), await this.now.root()];
    const rawOld = oldRoot.dict?.dict.get('AcroForm');
    const rawNew = newRoot.dict?.dict.get('AcroForm');
    if (rawNew === undefined) return;
    if (!this.safeRef(rawOld, rawNew)) return;
    const [oldForm, newForm] = [await this.old.resolve(rawOld), await this.now.resolve(rawNew)];
    if (!isDict(newForm)) return;
    if (isDict(oldForm) && !sameExcept(oldForm, newForm, ACROFORM_EXEMPT)) return; // the form's own settings changed
    await this.explainRef(rawOld, rawNew, 'lta', 'form', undefined, true);
    const oldFields = isDict(oldForm) ? oldForm.dict.get('Fields') : undefined;
    const newFieldsRaw = newForm.dict.get('Fields');
    if (this.safeRef(oldFields, newFieldsRaw)) await this.explainRef(oldFields, newFieldsRaw, 'lta', 'form', undefined, true);
    const oldDr = isDict(oldForm) ? oldForm.dict.get('DR') : undefined;
    const dr = newForm.dict.get('DR');
    if (this.safeRef(oldDr, dr)) {
      await this.explainRef(oldDr, dr, 'form-filling', 'form');
      await this.explainDependencies(await this.now.resolve(dr), 'form-filling', 'form');
    }

    this.signed.fields ??= this.fields(this.old);
    const [before, after] = [await this.signed.fields, await this.fields(this.now)];
    for (const [name, spec] of before) {
      if (!after.has(name)) {
        this.findings.push({
          kind: spec.type === 'Sig' ? 'signature-field' : 'form-field',
          object: spec.ref.num,
          replaced: true,
          allowed: false,
          action: 'removed',
          level: 'other',
          revision: this.revision,
          field: name,
        });
      }
    }
    for (const [name, spec] of after) {
      const old = before.get(name);
      if (old && old.type !== spec.type) continue; // a field's type changed: left unexplained
      if (spec.type === 'Sig') await this.signatureField(name, old, spec);
      else if (old) await this.otherField(name, old, spec);
      // A new field other than a signature field is never explained: "form fields created" is a modification.
    }
  }

  private async signatureField(name: string, old: FieldSpec | undefined, spec: FieldSpec): Promise<void> {
    const visible = await this.visible(spec.dict, this.now);
    const level: ModificationLevel = visible ? 'form-filling' : 'lta';
    if (!old) {
      // A new signature field: the field, its widgets, its appearance, lock and seed value, its value. A visible
      // one is not allowed after a certification signature (pyHanko's SigFieldCreationRule, whose default is
      // stricter than Acrobat: allow_new_visible_after_certify=False).
      if (!this.old.has(spec.ref.num)) this.explain(spec.ref.num, level, 'signature-field', name, !visible, !visible);
      for (const key of ['AP', 'Lock', 'SV'])
        await this.explainDependencies(spec.dict.dict.get(key), 'form-filling', key === 'AP' ? 'appearance' : 'signature-field', name, false);
      const kidsRaw = spec.dict.dict.get('Kids');
      if (isRef(kidsRaw) && !this.old.has(kidsRaw.num)) this.explain(kidsRaw.num, level, 'signature-field', name, !visible);
      for (const widget of await this.widgets(spec, this.now)) {
        this.newWidgets.add(widget.num);
        if (widget.num === spec.ref.num) continue;
        if (!this.old.has(widget.num)) this.explain(widget.num, level, 'signature-field', name, !visible);
        const w = await this.now.get(widget.num);
        if (isDict(w)) await this.explainDependencies(w.dict.get('AP'), 'form-filling', 'appearance', name, false);
      }
      await this.signatureValue(spec, visible);
      return;
    }
    const previouslySigned = old.dict.dict.has('V');
    const nowSigned = spec.dict.dict.has('V');
    const fieldChanged = this.changedSince(spec.ref.num);
    if (fieldChanged) {
      if (!sameExcept(old.dict, spec.dict, VALUE_UPDATE_KEYS)) return; // more than the value and appearance changed
      const onlyFlags = sameExcept(old.dict, spec.dict, FIELD_ALWAYS_MODIFIABLE);
      if (!previouslySigned && nowSigned) {
        this.explain(spec.ref.num, 'lta', 'signature-field', name, onlyFlags);
        await this.appearance(old.dict, spec.dict, name);
      } else if (onlyFlags) {
        this.explain(spec.ref.num, 'lta', 'signature-field', name, true);
      } else {
        return; // a signed field's value or appearance replaced, or a value removed: unexplained
      }
    }
    if (!previouslySigned && nowSigned) {
      // Separate widgets of a field signed now may get their appearance.
      for (const widget of await this.widgets(spec, this.now)) {
        if (widget.num === spec.ref.num || !this.changedSince(widget.num)) continue;
        const [w0, w1] = [await this.old.get(widget.num), await this.now.get(widget.num)];
        if (isDict(w0) && isDict(w1) && sameExcept(w0, w1, VALUE_UPDATE_KEYS)) {
          this.explain(widget.num, 'form-filling', 'signature-field', name, false);
          await this.appearance(w0, w1, name);
        }
      }
      await this.signatureValue(spec, await this.visible(spec.dict, this.now));
    }
  }

  private async otherField(name: string, old: FieldSpec, spec: FieldSpec): Promise<void> {
    if (!this.changedSince(spec.ref.num)) return;
    if (!sameExcept(old.dict, spec.dict, VALUE_UPDATE_KEYS)) return;
    const onlyFlags = sameExcept(old.dict, spec.dict, FIELD_ALWAYS_MODIFIABLE);
    this.explain(spec.ref.num, 'form-filling', 'form-field', name, onlyFlags);
    await this.appearance(old.dict, spec.dict, name);
    const [v0, v1] = [old.dict.dict.get('V'), spec.dict.dict.get('V')];
    if (!sameValue(v0, v1)) await this.explainDependencies(v1, 'form-filling', 'form-field', name, false);
  }

  /** Pages whose annotations changed: new signature widgets are fine, markup annotations are 'annotations'. */
  async pages(): Promise<void> {
    for (const [num, entry] of this.now.revision.entries) {
      if (entry.type === 0 || !this.old.has(num)) continue;
      const [before, after] = [await this.old.get(num), await this.now.get(num)];
      if (!isDict(before) || !isDict(after)) continue;
      const type = nameOf(after.dict.get('Type'));
      if (type === 'Pages' && nameOf(before.dict.get('Type')) === 'Pages' && sameValue(before.dict.get('Kids'), after.dict.get('Kids'))) {
        if (sameExcept(before, after, new Set())) this.explain(num, 'lta', 'page');
        continue;
      }
      if (type !== 'Page' || nameOf(before.dict.get('Type')) !== 'Page') continue;
      if (!sameExcept(before, after, new Set(['Annots']))) continue; // content, resources or boxes changed
      await this.annotations(num, before.dict.get('Annots'), after.dict.get('Annots'));
    }
  }

  private async annotations(page: number, rawOld: Value | undefined, rawNew: Value | undefined): Promise<void> {
    const [a0, a1] = [await this.old.resolve(rawOld), await this.now.resolve(rawNew)];
    const list = (a: Value | undefined) => (Array.isArray(a) ? a.filter(isRef).map((r) => r.num) : []);
    const [before, after] = [new Set(list(a0)), new Set(list(a1))];
    let level: ModificationLevel = 'lta';
    for (const num of before) {
      if (after.has(num)) continue;
      const annotation = await this.old.get(num);
      const widget = isDict(annotation) && nameOf(annotation.dict.get('Subtype')) === 'Widget';
      this.findings.push({
        kind: widget ? 'form-field' : 'annotation',
        object: num,
        replaced: true,
        allowed: false,
        action: 'removed',
        level: widget ? 'other' : 'annotations',
        revision: this.revision,
      });
      level = maxLevel(level, widget ? 'other' : 'annotations');
    }
    for (const num of after) {
      if (before.has(num) || this.newWidgets.has(num)) continue;
      const annotation = await this.now.get(num);
      const subtype = isDict(annotation) ? nameOf(annotation.dict.get('Subtype')) : undefined;
      if (!this.old.has(num) && subtype !== undefined && subtype !== 'Widget' && ANNOTATION_SUBTYPES.has(subtype)) {
        this.explain(num, 'annotations', 'annotation');
        await this.explainDependencies(annotation, 'annotations', 'annotation');
        level = maxLevel(level, 'annotations');
      } else {
        level = 'other';
      }
    }
    if (level === 'other') return;
    // The page changed only in its annotation list: reported as what the list gained or lost.
    const kind: ChangeKind = level === 'annotations' ? 'annotation' : 'page';
    this.explain(page, level, kind, undefined, level === 'lta');
    if (this.safeRef(rawOld, rawNew)) await this.explainRef(rawOld, rawNew, level, kind, undefined, level === 'lta');
  }

  /** Markup annotations written again (DocMDP /P 3 allows changing them). */
  async changedAnnotations(): Promise<void> {
    for (const [num, entry] of this.now.revision.entries) {
      if (entry.type === 0 || !this.old.has(num) || this.explained.has(num)) continue;
      const [before, after] = [await this.old.get(num), await this.now.get(num)];
      const subtype = (d: Value | undefined) => (isDict(d) ? nameOf(d.dict.get('Subtype')) : undefined);
      const s0 = subtype(before);
      if (s0 && s0 !== 'Widget' && ANNOTATION_SUBTYPES.has(s0) && subtype(after) === s0) {
        this.explain(num, 'annotations', 'annotation');
        if (isDict(after)) await this.explainDependencies(after, 'annotations', 'annotation');
      }
    }
  }

  /** New objects nothing in the document refers to (pyHanko clears them: they cannot change what is shown). */
  async orphans(candidates: number[]): Promise<Set<number>> {
    if (!candidates.length) return new Set();
    const reachable = new Set<number>();
    const walk = async (value: Value | undefined, depth: number): Promise<void> => {
      if (depth > 64) return;
      this.budget.spend(1);
      if (isRef(value)) {
        if (reachable.has(value.num)) return;
        reachable.add(value.num);
        await walk(await this.now.get(value.num), depth + 1);
      } else if (Array.isArray(value)) {
        for (const item of value) await walk(item, depth + 1);
      } else if (isDict(value)) {
        for (const item of value.dict.values()) await walk(item, depth + 1);
      }
    };
    for (const [key, value] of this.now.trailer.dict) if (key !== 'Prev' && key !== 'XRefStm') await walk(value, 0);
    return new Set(candidates.filter((n) => !reachable.has(n)));
  }
}

/** What an object that no rule explains is, for the report (its old and new versions compared). */
async function classify(diff: RevisionDiff, num: number, before: Value | undefined, after: Value | undefined): Promise<ChangeKind> {
  const value = isDict(after) ? after : before;
  if (!isDict(value)) return Array.isArray(value) ? 'other' : 'other';
  const d = value.dict;
  const type = nameOf(d.get('Type'));
  const subtype = nameOf(d.get('Subtype'));
  if (value.streamAt !== undefined) {
    if (type === 'Metadata') return 'metadata';
    if (subtype === 'Form' && !isDict(before)) return 'appearance';
    return 'page-content';
  }
  if (d.has('ByteRange') || type === 'Sig') return 'signature';
  if (type === 'DocTimeStamp') return 'document-timestamp';
  const ft = nameOf(d.get('FT'));
  if (ft === 'Sig') return 'signature-field';
  if (ft !== undefined) return 'form-field';
  if (subtype === 'Widget') {
    const parent = await diff.now.resolve(d.get('Parent'));
    return isDict(parent) && nameOf(parent.dict.get('FT')) === 'Sig' ? 'signature-field' : 'form-field';
  }
  if (type === 'Annot' || (subtype !== undefined && ANNOTATION_SUBTYPES.has(subtype))) return 'annotation';
  if (type === 'Catalog') return 'catalog';
  if (d.has('Fields')) return 'form';
  if (type === 'Page') {
    if (!isDict(before)) return 'page';
    for (const key of ['Contents', 'Resources']) if (!sameValue(d.get(key), before.dict.get(key))) return 'page-content';
    return 'page';
  }
  if (type === 'Pages') return 'page';
  if (num === (diff.now.trailer.dict.get('Info') as Ref | undefined)?.num) return 'metadata';
  return 'other';
}

export interface ChangeAnalysis {
  changes: Change[];
  /** The highest modification level found. */
  level: ModificationLevel;
  /** Every change is one the signature permits. */
  allowed: boolean;
}

/** Compares the signed revision with each later one (pyHanko's review_file: each intermediate revision on its own). */
export async function analyseChanges(
  file: PdfFile,
  revisions: readonly Revision[],
  signed: number,
  permissions: Permissions,
  budget: Budget,
): Promise<ChangeAnalysis> {
  const changes: Change[] = [];
  let level: ModificationLevel = 'none';
  const limit = allowedLevel(permissions);
  const old = new Snapshot(file, revisions[signed]!, budget);
  const shared: SignedRevision = {};
  for (const revision of revisions.slice(signed + 1)) {
    const now = new Snapshot(file, revision, budget);
    const diff = new RevisionDiff(old, now, budget, shared);
    await diff.structure();
    await diff.catalog();
    await diff.extensions();
    await diff.info();
    await diff.metadata();
    await diff.dss();
    await diff.form();
    await diff.pages();
    await diff.changedAnnotations();

    const unexplained: number[] = [];
    for (const [num, entry] of revision.entries) {
      budget.spend(1);
      if (num === 0) continue;
      if (entry.type === 0) {
        if (old.has(num)) {
          const before = await old.get(num);
          changes.push({
            kind: await classify(diff, num, before, undefined),
            object: num,
            replaced: true,
            allowed: false,
            action: 'removed',
            level: 'other',
            revision: revision.index,
          });
          level = 'other';
        }
        continue;
      }
      const existed = old.has(num);
      if (existed && !diff.explained.has(num)) {
        const [before, after] = [await old.get(num), await now.get(num)];
        const identical =
          before !== undefined &&
          after !== undefined &&
          sameValue(before, after) &&
          (!isDict(before) || before.streamAt === undefined || (await sameStream(file, before, after as Dict)));
        if (identical) continue; // written again unchanged: not a change
      }
      const e = diff.explained.get(num);
      if (!e) {
        unexplained.push(num);
        continue;
      }
      const lockViolated = !e.validWhenLocked && isLocked(permissions, e.field);
      const certificationViolated = !e.validWhenCertifying && permissions.docMdp !== undefined;
      const allowed = !lockViolated && !certificationViolated && rank(e.level) <= rank(limit);
      level = maxLevel(level, lockViolated || certificationViolated ? 'other' : e.level);
      // New cross-reference and object streams: structure, not content. An object the signed revision had is
      // never left out of the report.
      if (e.kind === 'other' && e.level === 'lta' && !existed) continue;
      const change: Change = {
        kind: e.kind,
        object: num,
        replaced: existed,
        allowed,
        action: existed ? 'changed' : 'added',
        level: e.level,
        revision: revision.index,
      };
      if (e.field !== undefined) change.field = e.field;
      changes.push(change);
    }
    const orphans = await diff.orphans(unexplained.filter((n) => !old.has(n)));
    for (const num of unexplained) {
      if (orphans.has(num)) continue;
      const existed = old.has(num);
      const [before, after] = [existed ? await old.get(num) : undefined, await now.get(num)];
      changes.push({
        kind: await classify(diff, num, before, after),
        object: num,
        replaced: existed,
        allowed: false,
        action: existed ? 'changed' : 'added',
        level: 'other',
        revision: revision.index,
      });
      level = 'other';
    }
    for (const finding of diff.findings) {
      const allowed = rank(finding.level ?? 'other') <= rank(limit) && finding.level !== 'other';
      changes.push({ ...finding, allowed });
      level = maxLevel(level, finding.level ?? 'other');
    }
  }
  return { changes, level, allowed: changes.every((c) => c.allowed) };
}

/** Whether two versions of a stream have the same encoded data. */
async function sameStream(file: PdfFile, a: Dict, b: Dict): Promise<boolean> {
  const length = (d: Dict) => d.dict.get('Length');
  const [la, lb] = [length(a), length(b)];
  if (typeof la !== 'number' || typeof lb !== 'number' || la !== lb || a.streamAt === undefined || b.streamAt === undefined) return false;
  const bytes = file.bytes;
  for (let i = 0; i < la; i++) if (bytes[a.streamAt + i] !== bytes[b.streamAt + i]) return false;
  return true;
}
