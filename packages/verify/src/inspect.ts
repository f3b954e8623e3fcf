// Local inspection of a PDF's signatures (PDF 32000-1 §12.8, ETSI EN 319 142-1 PAdES), offline: every signature
// field, its /ByteRange against the file, its revision and the /Contents hole; the digest of the signed bytes
// recomputed against the CMS message-digest (or, for a document timestamp, the TSTInfo message imprint); the CMS
// signature; the signer's chain at the time the signature is proved to have existed (a timestamp), with the
// revocation data the file carries; the PAdES level and whether the signature can be validated in the long term;
// and what every later revision changed, judged like pyHanko's difference analysis (changes.ts). Nothing leaves the
// machine; no Node API is used, so it runs in browsers (and Web Workers) as well.
import { PdfError, PdfFile, isDict, isPdfLimitError, isRef, isString, nameOf, pdfDate, textString, type Dict, type Ref, type Value } from '@esign-kit/pdf';
import { digest, isDigestSupported, isWebCryptoDigest, noblehash, type CheckResult, type DigestName, type SignatureCheck } from './algorithms.js';
import { analyseChanges, type Change, type ModificationLevel, type Permissions } from './changes.js';
import {
  CmsError,
  certificateInfo,
  equalBytes,
  evaluateTrust,
  hex,
  isTimestampAuthority,
  messageDigestMatches,
  parseCms,
  parseTimestampToken,
  readCertificates,
  sameName,
  signatureTimestamp,
  timestampInfo,
  verifySignerInfo,
  verifyTimestampToken,
  type CertificateInfo,
  type ParsedCms,
  type ParsedTimestamp,
  type TimestampInfo,
  type TrustReason,
  type TrustStatus,
} from './cms.js';
import { copyRanges, digestRanges } from './digest.js';
import { checkPassword, encryptionOf } from './encryption.js';
import { inflate } from './inflate.js';
import { ValidationData, revocationStatus, type CertificateRevocation } from './revocation.js';
import { Budget, BudgetExceeded, Snapshot, endsRevision, isEofAt, revisionsOf, type Revision } from './revisions.js';
import type * as pkijs from 'pkijs';

export type { Change, ChangeKind, ModificationLevel } from './changes.js';

export interface InspectOptions {
  /** Roots to trust: DER bytes or PEM text. Default none: every chain is 'untrusted' (never 'invalid' for that). */
  trustedRoots?: readonly (Uint8Array | string)[];
  /** The password of an encrypted PDF (user or owner). An empty user password is always tried first. */
  password?: string;
  /**
   * When certificates must be valid. Default: the time a timestamp proves the signature existed (its signature
   * timestamp, else the earliest document timestamp over it), else now (as pdfsig does).
   */
  validationTime?: Date;
  /** Cancels the inspection: the promise rejects with an AbortError. */
  signal?: AbortSignal;
  /** Units of work (objects read, values visited) the inspection may spend on one file. Default 2 000 000. */
  workBudget?: number;
}

export const DEFAULT_WORK_BUDGET = 2_000_000;

export type InspectionStatus = 'signed' | 'no-signature' | 'not-a-pdf' | 'truncated' | 'damaged' | 'encrypted';

/** Stable codes for input the inspection cannot go through (the element localises them). */
export type InspectionErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_A_PDF'
  | 'TRUNCATED'
  | 'DAMAGED'
  | 'NO_SIGNATURE'
  | 'PASSWORD_REQUIRED'
  | 'PASSWORD_INCORRECT'
  | 'ENCRYPTION_UNSUPPORTED'
  /** The file needs more work than the budget allows (a hostile or pathological file). */
  | 'TOO_COMPLEX';

export interface InspectionError {
  code: InspectionErrorCode;
  /** English, for logs; show a localised text keyed by `code`. */
  message: string;
}

export interface InspectionReport {
  status: InspectionStatus;
  error?: InspectionError;
  fileSize: number;
  /** Cross-reference sections, i.e. the original file plus its incremental updates. */
  revisions: number;
  /** Whether the file was encrypted (and opened with the password, or with the empty user password). */
  encrypted: boolean;
  signatures: SignatureReport[];
}

/** Every reason a signature is not simply valid; trust reasons come from `TrustReason`. */
export type SignatureProblem =
  | 'SIGNATURE_DICTIONARY_MISSING'
  | 'BYTE_RANGE_INVALID'
  | 'BYTE_RANGE_NOT_CONTENTS'
  /** The signed range stops before the end of its own revision (its trailer, its %%EOF): it does not cover what it signs. */
  | 'RANGE_NOT_REVISION_END'
  | 'CONTENTS_MISSING'
  | 'CMS_UNPARSABLE'
  | 'CMS_NOT_SIGNED_DATA'
  | 'CMS_NO_SIGNER'
  | 'SIGNER_CERTIFICATE_MISSING'
  | 'UNSUPPORTED_DIGEST_ALGORITHM'
  /** The signature algorithm (or its curve, or its parameters) cannot be checked here: neither valid nor invalid. */
  | 'ALGORITHM_UNSUPPORTED'
  | 'MESSAGE_DIGEST_MISSING'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'MODIFIED_AFTER_SIGNING'
  | 'NOT_TOTAL_DOCUMENT'
  | 'TIMESTAMP_INVALID'
  /** The changes after signing could not all be examined (the work budget ran out): nothing is claimed about them. */
  | 'CHANGES_NOT_CHECKED'
  /** Something in the signature could not be read at all (an unexpected structure). */
  | 'SIGNATURE_UNREADABLE';

/** `unknown`: the signature cannot be checked here (an algorithm this platform lacks, or a file too complex). */
export type Verdict = 'valid' | 'valid-untrusted' | 'modified-after-signing' | 'invalid' | 'unknown';

/** The PAdES baseline level a signature reaches (ETSI EN 319 142-1 §6). */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export interface LongTermValidation {
  /** The time the chain was checked at. */
  validationTime: Date;
  /** Where that time comes from: now (as pdfsig), the caller's option, or — when the chain fails now — a timestamp. */
  timeSource: 'option' | 'signature-timestamp' | 'document-timestamp' | 'now';
  /** The time a timestamp proves the signature existed (its signature timestamp, or a document timestamp over it). */
  provedAt?: Date;
  /** Revocation status of each certificate of the chain (signer first), from the data inside the file only. */
  chain: CertificateRevocation[];
  /** The signature can still be validated when its certificates have expired: a timestamp proves when it existed,
   * and the file holds the chain and revocation data for every certificate in it. */
  longTerm: boolean;
  /** What is lacking for `longTerm`. */
  missing: ('timestamp' | 'chain' | 'revocation-data')[];
}

export interface SignatureReport {
  /** 0-based, in AcroForm order (pdfsig's order). */
  index: number;
  fieldName: string;
  /** A CMS signature, or a document timestamp (/SubFilter /ETSI.RFC3161). */
  kind: 'signature' | 'document-timestamp';
  filter?: string;
  subFilter?: string;
  byteRange?: number[];
  /** The signed ranges start at 0 and end at the end of the file. */
  coversWholeFile: boolean;
  /** The range is [0 a b c], its hole is exactly this signature's /Contents, and it ends at the end of a revision. */
  coversRevision: boolean;
  /** 0-based index of the revision the signature covers (when it covers one). */
  revision?: number;
  /** Offset one past the last signed byte: the end of the revision this signature covers. */
  signedLength?: number;
  /** Bytes or updates follow the signed revision. */
  modifiedAfter: boolean;
  changes: Change[];
  /** Whether every later change is one the signature permits (undefined: not judged, e.g. the range covers no revision). */
  changesAllowed?: boolean;
  /** The highest modification level after signing ('none' when nothing followed). */
  modificationLevel?: ModificationLevel;
  /** DocMDP of a certification signature: /P 1 no changes, 2 form filling and signing, 3 also annotations. */
  certification?: { permission: 1 | 2 | 3 };
  /** Whether the signed bytes verify: digest and signature value (`unknown`: an algorithm that cannot be checked here). */
  integrity: 'intact' | 'broken' | 'unknown';
  digest: { algorithm?: string; matches: boolean; computed?: string; signed?: string };
  signatureValid: boolean;
  signatureAlgorithm?: string;
  /** The signer's certificate (the TSA's, for a document timestamp). */
  signer?: CertificateInfo;
  /** The certificates included in the CMS, signer first when present. */
  chain: CertificateInfo[];
  signingTime: { dictionary?: Date; cms?: Date };
  /** The signature timestamp, or for a document timestamp the token itself. */
  timestamp?: TimestampInfo;
  /** The PAdES baseline level (signatures only). */
  level?: PadesLevel;
  /** The chain at the validation time with the file's revocation data, and whether it stays verifiable. */
  ltv?: LongTermValidation;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  trust: { status: TrustStatus; reason: TrustReason };
  verdict: Verdict;
  problems: (SignatureProblem | TrustReason)[];
}

const INTEGRITY_PROBLEMS = new Set<SignatureProblem | TrustReason>([
  'SIGNATURE_DICTIONARY_MISSING',
  'BYTE_RANGE_INVALID',
  'CONTENTS_MISSING',
  'CMS_UNPARSABLE',
  'CMS_NOT_SIGNED_DATA',
  'CMS_NO_SIGNER',
  'SIGNER_CERTIFICATE_MISSING',
  'MESSAGE_DIGEST_MISSING',
  'DIGEST_MISMATCH',
  'SIGNATURE_INVALID',
  'SIGNATURE_UNREADABLE',
]);
const COVERAGE_PROBLEMS = new Set<SignatureProblem | TrustReason>(['BYTE_RANGE_NOT_CONTENTS', 'RANGE_NOT_REVISION_END']);
const UNKNOWN_PROBLEMS = new Set<SignatureProblem | TrustReason>(['UNSUPPORTED_DIGEST_ALGORITHM', 'ALGORITHM_UNSUPPORTED', 'CHANGES_NOT_CHECKED']);

interface SignatureField {
  name: string;
  /** The signature dictionary reference (or the value itself when direct). */
  value: Value | undefined;
  /** The field holding it: when the signature dictionary is direct, its /Contents offsets are this object's. */
  container: Ref | undefined;
  /** The field's /Lock (FieldMDP once signed). */
  lock: Value | undefined;
}

function report(status: InspectionStatus, fileSize: number, error?: InspectionError): InspectionReport {
  const r: InspectionReport = { status, fileSize, revisions: 0, encrypted: false, signatures: [] };
  if (error) r.error = error;
  return r;
}

/** Walks the AcroForm field tree (§12.7.3.1): partial names joined with '.', /FT inherited. */
async function signatureFields(doc: Snapshot, budget: Budget): Promise<SignatureField[]> {
  const catalog = await doc.resolve(doc.trailer.dict.get('Root'));
  if (!isDict(catalog)) return [];
  const acroForm = await doc.resolve(catalog.dict.get('AcroForm'));
  if (!isDict(acroForm)) return [];
  const fields = await doc.resolve(acroForm.dict.get('Fields'));
  if (!Array.isArray(fields)) return [];
  const out: SignatureField[] = [];
  const seen = new Set<number>();
  const walk = async (items: Value[], parentName: string, inheritedType: string | undefined, depth: number) => {
    if (depth > 32) return;
    for (const item of items) {
      budget.spend(1);
      if (isRef(item)) {
        if (seen.has(item.num)) continue;
        seen.add(item.num);
      }
      const field = await doc.resolve(item).catch(() => undefined);
      if (!isDict(field)) continue;
      const partial = textString(field.dict.get('T'));
      const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
      const type = nameOf(field.dict.get('FT')) ?? inheritedType;
      const kids = await doc.resolve(field.dict.get('Kids')).catch(() => undefined);
      const kidFields = Array.isArray(kids) ? kids : [];
      // Kids that are only widgets (no /T) belong to this field.
      if (kidFields.length && (await hasNamedKid(doc, kidFields))) await walk(kidFields, name, type, depth + 1);
      else if (type === 'Sig' && field.dict.has('V')) {
        out.push({ name, value: field.dict.get('V'), container: isRef(item) ? item : undefined, lock: field.dict.get('Lock') });
      }
    }
  };
  await walk(fields, '', undefined, 0);
  return out;
}

async function hasNamedKid(doc: Snapshot, kids: Value[]): Promise<boolean> {
  for (const kid of kids.slice(0, 1000)) {
    const k = await doc.resolve(kid).catch(() => undefined);
    if (isDict(k) && k.dict.has('T')) return true;
  }
  return false;
}

function integers(v: Value | undefined): number[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: number[] = [];
  for (const n of v) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return undefined;
    out.push(n);
  }
  return out;
}

/** The ranges are usable for a digest: pairs of offset and length, in order, inside the file. */
function usableRanges(ranges: number[] | undefined, size: number): boolean {
  if (!ranges || ranges.length < 2 || ranges.length % 2 !== 0 || ranges.length > 64) return false;
  let previousEnd = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i]!;
    const end = start + ranges[i + 1]!;
    if (start < previousEnd || end > size) return false;
    previousEnd = end;
  }
  return true;
}

/** Digest of the byte ranges with any algorithm: WebCrypto in place for SHA-1/2, @noble/hashes incrementally for SHA-3. */
async function hashRanges(algorithm: DigestName, bytes: Uint8Array, ranges: readonly number[]): Promise<Uint8Array> {
  if (isWebCryptoDigest(algorithm)) return digestRanges(algorithm, bytes, ranges);
  const h = noblehash(algorithm);
  for (let i = 0; i < ranges.length; i += 2) h.update(bytes.subarray(ranges[i]!, ranges[i]! + ranges[i + 1]!));
  return h.digest();
}

/** A FieldMDP TransformParams (§12.8.2.4): which fields a signature locks. */
function fieldLocks(params: Value | undefined): Permissions['locked'] | undefined {
  if (!isDict(params)) return undefined;
  const action = nameOf(params.dict.get('Action'));
  const fields = params.dict.get('Fields');
  const names = Array.isArray(fields) ? fields.map((f) => textString(f)).filter((s): s is string => s !== undefined) : [];
  if (action === 'All') return { all: true };
  if (action === 'Include') return { include: names };
  if (action === 'Exclude') return { exclude: names };
  return undefined;
}

/** DocMDP and FieldMDP from a signature dictionary's /Reference (§12.8.1, table 253). */
async function transforms(doc: Snapshot, dict: Dict): Promise<{ docMdp?: 1 | 2 | 3; locked?: Permissions['locked'] }> {
  const out: { docMdp?: 1 | 2 | 3; locked?: Permissions['locked'] } = {};
  const refs = await doc.resolve(dict.dict.get('Reference'));
  if (!Array.isArray(refs)) return out;
  for (const item of refs.slice(0, 16)) {
    const ref = await doc.resolve(item);
    if (!isDict(ref)) continue;
    const method = nameOf(ref.dict.get('TransformMethod'));
    const params = await doc.resolve(ref.dict.get('TransformParams'));
    if (method === 'DocMDP') {
      const p = isDict(params) ? params.dict.get('P') : undefined;
      out.docMdp = p === 1 || p === 3 ? p : 2;
    } else if (method === 'FieldMDP') {
      const locked = fieldLocks(params);
      if (locked) out.locked = locked;
    }
  }
  return out;
}

/** What one signature (or document timestamp) is, before trust, time and changes are judged. */
interface Examined {
  report: SignatureReport;
  field: SignatureField;
  dict?: Dict;
  cms?: ParsedCms;
  /** The document timestamp's token, or the signature's own timestamp token. */
  token?: ParsedTimestamp;
  /** The signature timestamp is intact (imprint and token signature). */
  timestampIntact: boolean;
  docMdp?: 1 | 2 | 3;
  locked?: Permissions['locked'];
}

class Inspection {
  readonly data = new ValidationData();
  revisions: Revision[] | undefined;
  /** The document as it is now. */
  readonly doc: Snapshot;

  constructor(
    readonly file: PdfFile,
    readonly roots: pkijs.Certificate[],
    readonly options: InspectOptions,
    readonly budget: Budget,
  ) {
    this.doc = Snapshot.latest(file, budget);
  }

  get bytes(): Uint8Array {
    return this.file.bytes;
  }

  /** Work spent searching certificates and revocation data, against the same budget. */
  readonly spend = (units: number): void => this.budget.spend(units);

  /** The document security store of the newest revision: certificates, CRLs and OCSP responses (ETSI EN 319 142-1 §5.4). */
  async readDss(): Promise<void> {
    const root = await this.doc.resolve(this.doc.trailer.dict.get('Root'));
    const dss = isDict(root) ? await this.doc.resolve(root.dict.get('DSS')) : undefined;
    if (!isDict(dss)) return;
    const streams = async (value: Value | undefined): Promise<Uint8Array[]> => {
      const list = await this.doc.resolve(value);
      if (!Array.isArray(list)) return [];
      const out: Uint8Array[] = [];
      for (const item of list.slice(0, ValidationData.MAX_ITEMS)) {
        this.budget.spend(1);
        const stream = await this.doc.resolve(item).catch(() => undefined);
        if (isDict(stream) && stream.streamAt !== undefined) {
          const data = await this.file.streamData(stream).catch(() => undefined);
          if (data) out.push(data);
        }
      }
      return out;
    };
    const add = async (holder: Dict, certs: string, crls: string, ocsps: string) => {
      for (const der of await streams(holder.dict.get(certs))) this.data.addCertificateDer(der);
      for (const der of await streams(holder.dict.get(crls))) this.data.addCrlDer(der, 'dss');
      for (const der of await streams(holder.dict.get(ocsps))) this.data.addOcspDer(der, 'dss');
    };
    await add(dss, 'Certs', 'CRLs', 'OCSPs');
    const vri = await this.doc.resolve(dss.dict.get('VRI'));
    if (isDict(vri)) {
      for (const entry of [...vri.dict.values()].slice(0, 256)) {
        const d = await this.doc.resolve(entry).catch(() => undefined);
        if (isDict(d)) await add(d, 'Cert', 'CRL', 'OCSP');
      }
    }
  }

  private ends: Map<number, Revision> | undefined;

  /** The revision whose end a range ending at `signedLength` reaches (at its %%EOF, with or without its line end). */
  revisionEndingAt(signedLength: number): Revision | undefined {
    if (!this.revisions) return undefined;
    if (!this.ends) {
      this.ends = new Map();
      for (const r of this.revisions) {
        if (r.eofEnd === undefined || r.end === undefined) continue;
        for (let at = r.eofEnd; at <= r.end; at++) if (!this.ends.has(at)) this.ends.set(at, r);
      }
    }
    const r = this.ends.get(signedLength);
    return r && endsRevision(r, signedLength) ? r : undefined;
  }

  /**
   * The signature dictionary as of the revision its byte range ends, when the newest one's /Contents is not the
   * range's hole but that revision's is (the object was written again later); undefined otherwise.
   */
  async signedVersion(latest: Dict, holder: Ref, field: SignatureField): Promise<{ dict: Dict; source: Snapshot } | undefined> {
    const holeOf = (d: Dict) => {
      const ranges = integers(d.dict.get('ByteRange'));
      const contents = d.dict.get('Contents');
      if (!ranges || ranges.length !== 4 || !usableRanges(ranges, this.bytes.length) || !isString(contents) || !contents.hex) return undefined;
      const matches =
        ranges[0] === 0 &&
        ((ranges[1] === contents.start && ranges[2] === contents.end) || (ranges[1] === contents.start + 1 && ranges[2] === contents.end - 1));
      return { signedLength: ranges[2]! + ranges[3]!, matches };
    };
    const newest = holeOf(latest);
    if (!newest || newest.matches) return undefined;
    const revision = this.revisionEndingAt(newest.signedLength);
    if (!revision) return undefined;
    const source = new Snapshot(this.file, revision, this.budget);
    const entry = source.entry(holder.num);
    if (entry?.type !== 1 || entry === this.doc.entry(holder.num)) return undefined;
    let value = await source.get(holder.num);
    // A signature dictionary stored directly in its field: the field's /V as of that revision.
    if (!isRef(field.value) && isDict(value)) value = value.dict.get('V');
    if (!isDict(value) || !holeOf(value)?.matches) return undefined;
    return { dict: value, source };
  }

  /** Pass 1: the signature dictionary, its range and coverage, its CMS or token, and whether its bytes verify. */
  async examine(field: SignatureField, index: number): Promise<Examined> {
    // A signature is costly (its CMS, chain and revocation data): a file of thousands of them runs out of budget.
    this.budget.spend(1000);
    const bytes = this.bytes;
    const problems: (SignatureProblem | TrustReason)[] = [];
    // Invalid until each check has passed.
    const r = invalidReport(index, field, problems);
    const out: Examined = { report: r, field, timestampIntact: false };

    let dict: Dict | undefined;
    // The /Contents positions are file offsets only when the object holding them is stored in the file itself
    // (an object stream's offsets are inside its decoded data).
    let holder: Ref | undefined;
    try {
      const v = await this.doc.resolve(field.value);
      if (isDict(v)) dict = v;
      holder = isRef(field.value) ? field.value : field.container; // a signature dictionary stored directly in its field
    } catch {
      dict = undefined;
    }
    if (!dict) {
      // The damaged dictionary may still be found by its byte range: say what is wrong, not that it is missing.
      problems.push(isRef(field.value) ? 'BYTE_RANGE_INVALID' : 'SIGNATURE_DICTIONARY_MISSING');
      return out;
    }
    let inFile = !!holder && this.file.sections.some((s) => s.entries.get(holder.num)?.type === 1);
    // The dictionary is read as the revision it signs has it: a later update may have written it again (then
    // the change analysis judges that rewrite), and only the signed version's /Contents is where the hole is.
    let source = this.doc;
    const signedVersion = holder ? await this.signedVersion(dict, holder, field) : undefined;
    if (signedVersion) {
      ({ dict, source } = signedVersion);
      inFile = true;
    }
    out.dict = dict;
    const d = dict.dict;
    const filter = nameOf(d.get('Filter'));
    const subFilter = nameOf(d.get('SubFilter'));
    if (filter !== undefined) r.filter = filter;
    if (subFilter !== undefined) r.subFilter = subFilter;
    if (subFilter === 'ETSI.RFC3161' || nameOf(d.get('Type')) === 'DocTimeStamp') r.kind = 'document-timestamp';
    const texts: [keyof SignatureReport & ('name' | 'reason' | 'location' | 'contactInfo'), string][] = [
      ['name', 'Name'],
      ['reason', 'Reason'],
      ['location', 'Location'],
      ['contactInfo', 'ContactInfo'],
    ];
    for (const [key, pdfKey] of texts) {
      const t = textString(d.get(pdfKey));
      if (t) r[key] = t;
    }
    const m = pdfDate(d.get('M'));
    if (m) r.signingTime.dictionary = m;
    const t = await transforms(source, dict).catch(() => ({}) as Awaited<ReturnType<typeof transforms>>);
    if (t.docMdp) {
      out.docMdp = t.docMdp;
      r.certification = { permission: t.docMdp };
    }
    const lock = fieldLocks(await this.doc.resolve(field.lock).catch(() => undefined));
    if (t.locked ?? lock) out.locked = t.locked ?? lock;

    const contents = d.get('Contents');
    const ranges = integers(d.get('ByteRange'));
    if (!isString(contents) || !contents.hex) {
      problems.push('CONTENTS_MISSING');
      return out;
    }
    const usable = usableRanges(ranges, bytes.length);
    if (ranges) r.byteRange = ranges;
    if (!ranges || !usable) {
      problems.push('BYTE_RANGE_INVALID');
    } else {
      const signedLength = ranges.at(-2)! + ranges.at(-1)!;
      r.signedLength = signedLength;
      // The one hole must be exactly the /Contents hex string, delimiters included (§12.8.1).
      // Some writers leave the delimiters in the signed bytes and exclude only the hex digits: poppler and pyHanko
      // accept that too (the delimiters are then signed).
      const holeIsContents =
        ranges.length === 4 &&
        ranges[0] === 0 &&
        inFile &&
        ((ranges[1] === contents.start && ranges[2] === contents.end) || (ranges[1] === contents.start + 1 && ranges[2] === contents.end - 1));
      if (!holeIsContents) problems.push('BYTE_RANGE_NOT_CONTENTS');
      // …and the range must reach the end of its revision: else what it claims to sign is not all signed.
      const revision = this.revisionEndingAt(signedLength);
      // A file whose cross-reference data had to be rebuilt has no known revisions: the range must then at least
      // end at a %%EOF.
      const atEnd = revision !== undefined || (!this.revisions && endsAtEof(bytes, signedLength));
      if (!atEnd) problems.push('RANGE_NOT_REVISION_END');
      r.coversRevision = holeIsContents && atEnd;
      if (revision && holeIsContents) r.revision = revision.index;
      // As poppler: the whole file except exactly the /Contents string.
      r.coversWholeFile = holeIsContents && signedLength === bytes.length;
      if (!r.coversWholeFile) problems.push('NOT_TOTAL_DOCUMENT');
      if (signedLength < bytes.length) r.modifiedAfter = true;
    }
    const signed = r.byteRange && usable ? r.byteRange : undefined;
    if (r.kind === 'document-timestamp') await this.examineTimestamp(out, contents.bytes, signed);
    else await this.examineCms(out, contents.bytes, signed, subFilter);
    return out;
  }

  private async examineCms(out: Examined, contents: Uint8Array, ranges: number[] | undefined, subFilter: string | undefined): Promise<void> {
    const r = out.report;
    const problems = r.problems;
    const bytes = this.bytes;
    // The digest runs off the main thread (in WebCrypto): start it before reading the CMS, guessing the usual
    // algorithm (SHA-256 for PAdES and for every Indonesian CA's profile); a wrong guess costs a second digest.
    const guess = ranges ? digestRanges('SHA-256', bytes, ranges) : undefined;
    guess?.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    let cms: ParsedCms;
    try {
      cms = parseCms(contents);
    } catch (err) {
      problems.push(err instanceof CmsError ? err.code : 'CMS_UNPARSABLE');
      return;
    }
    out.cms = cms;
    this.data.addCms(cms);
    const sha1Content = subFilter === 'adbe.pkcs7.sha1' && cms.content !== undefined;
    const algorithm: DigestName | undefined = sha1Content ? 'SHA-1' : cms.digestAlgorithm;
    const started = ranges && algorithm && isDigestSupported(algorithm) ? (algorithm === 'SHA-256' ? guess! : hashRanges(algorithm, bytes, ranges)) : undefined;
    started?.catch(() => undefined);
    // The signature over the signed attributes does not depend on the document's digest: checked meanwhile,
    // so a large file's hashing is the only wait (its result is used only where it was awaited before).
    const attributesChecked =
      ranges && !sha1Content && cms.signerInfo.signedAttrs && cms.messageDigest && cms.digestAlgorithm && isDigestSupported(cms.digestAlgorithm)
        ? verifySignerInfo(cms, () => new Uint8Array())
        : undefined;
    attributesChecked?.catch(() => undefined);

    r.signatureAlgorithm = cms.signatureAlgorithm;
    if (cms.signingTime) r.signingTime.cms = cms.signingTime;
    if (cms.signer) r.signer = await certificateInfo(cms.signer);
    const ordered = cms.signer ? [cms.signer, ...cms.certificates.filter((c) => c !== cms.signer)] : cms.certificates;
    r.chain = await Promise.all(ordered.map(certificateInfo));
    if (!cms.signer) problems.push('SIGNER_CERTIFICATE_MISSING');

    try {
      const ts = await signatureTimestamp(cms);
      if (ts) {
        r.timestamp = ts.info;
        out.token = ts.token;
        this.data.addCms(ts.token.cms);
        // A token counts only from a TSA: its signer holds id-kp-timeStamping (RFC 3161 §2.3). Anyone else's
        // token would let any certificate holder choose the time the chain is checked at.
        const fromTsa = !!ts.token.cms.signer && isTimestampAuthority(ts.token.cms.signer);
        out.timestampIntact = ts.info.imprintMatches && ts.info.signatureValid && fromTsa;
        if (!ts.info.imprintMatches || ts.info.check === 'invalid' || !fromTsa) problems.push('TIMESTAMP_INVALID');
      }
    } catch {
      problems.push('TIMESTAMP_INVALID');
    }

    if (!cms.digestAlgorithm || !isDigestSupported(cms.digestAlgorithm)) {
      problems.push('UNSUPPORTED_DIGEST_ALGORITHM');
      r.integrity = 'unknown';
      r.digest.algorithm = cms.digestAlgorithm ?? cms.digestAlgorithmOid;
      return;
    }
    r.digest.algorithm = cms.digestAlgorithm;
    if (!ranges) return; // nothing to hash: the byte range is unusable
    let result: SignatureCheck;
    if (sha1Content && cms.content) {
      // adbe.pkcs7.sha1 signs the SHA-1 of the ranges as encapsulated content (§12.8.3.3.1).
      const inner = cms.content;
      r.digest.algorithm = 'SHA-1';
      r.digest.computed = hex(await started!);
      r.digest.signed = hex(inner);
      r.digest.matches = r.digest.computed === r.digest.signed;
      if (cms.signerInfo.signedAttrs && !messageDigestMatches(cms, await digest(cms.digestAlgorithm, inner))) r.digest.matches = false;
      result = await verifySignerInfo(cms, () => inner);
    } else {
      const computed = await started!;
      r.digest.computed = hex(computed);
      if (!cms.signerInfo.signedAttrs) {
        // No signed attributes: the signature is over the content itself, nothing to compare a digest with.
        result = await verifySignerInfo(cms, () => copyRanges(bytes, ranges));
        r.digest.matches = result.result !== 'invalid';
      } else if (!cms.messageDigest) {
        problems.push('MESSAGE_DIGEST_MISSING');
        return;
      } else {
        r.digest.signed = hex(cms.messageDigest);
        r.digest.matches = equalBytes(cms.messageDigest, computed);
        result = await (attributesChecked ?? verifySignerInfo(cms, () => new Uint8Array()));
      }
    }
    const check: CheckResult = result.result;
    // The algorithm as checked, with its hash and curve (`RSA-PSS-SHA256`, `ECDSA-SHA384 (P-384)`).
    if (cms.signer) r.signatureAlgorithm = result.algorithm;
    r.signatureValid = check === 'valid';
    if (!r.digest.matches) problems.push('DIGEST_MISMATCH');
    else if (check === 'invalid') problems.push('SIGNATURE_INVALID');
    else if (check === 'unsupported') problems.push('ALGORITHM_UNSUPPORTED');
    r.integrity = !r.digest.matches || check === 'invalid' ? 'broken' : check === 'unsupported' ? 'unknown' : 'intact';
    if (!cms.signer) r.integrity = 'broken';
  }

  /** A document timestamp (ISO 32000-2 §12.8.5): its TSTInfo's message imprint is the hash of the signed bytes. */
  private async examineTimestamp(out: Examined, contents: Uint8Array, ranges: number[] | undefined): Promise<void> {
    const r = out.report;
    const problems = r.problems;
    let token: ParsedTimestamp;
    try {
      token = parseTimestampToken(contents);
    } catch (err) {
      problems.push(err instanceof CmsError ? err.code : 'CMS_UNPARSABLE');
      return;
    }
    out.token = token;
    out.cms = token.cms;
    this.data.addCms(token.cms);
    const cms = token.cms;
    r.signatureAlgorithm = cms.signatureAlgorithm;
    if (cms.signer) r.signer = await certificateInfo(cms.signer);
    const ordered = cms.signer ? [cms.signer, ...cms.certificates.filter((c) => c !== cms.signer)] : cms.certificates;
    r.chain = await Promise.all(ordered.map(certificateInfo));
    if (!cms.signer) problems.push('SIGNER_CERTIFICATE_MISSING');
    r.signingTime.cms = token.genTime;
    const algorithm = token.imprintAlgorithm;
    if (algorithm) r.digest.algorithm = algorithm;
    const check = await verifyTimestampToken(token);
    let imprintMatches = false;
    if (!algorithm || !isDigestSupported(algorithm)) {
      problems.push('UNSUPPORTED_DIGEST_ALGORITHM');
    } else if (ranges) {
      const computed = await hashRanges(algorithm, this.bytes, ranges);
      r.digest.computed = hex(computed);
      r.digest.signed = hex(token.imprint);
      imprintMatches = equalBytes(computed, token.imprint);
    }
    r.digest.matches = imprintMatches;
    r.signatureValid = check.result === 'valid';
    r.timestamp = await timestampInfo(token, imprintMatches, check);
    if (!ranges) return;
    if (!algorithm || !isDigestSupported(algorithm)) {
      r.integrity = 'unknown';
      return;
    }
    if (!imprintMatches) problems.push('DIGEST_MISMATCH');
    else if (check.result === 'invalid') problems.push('SIGNATURE_INVALID');
    else if (check.result === 'unsupported') problems.push('ALGORITHM_UNSUPPORTED');
    r.integrity = !imprintMatches || check.result === 'invalid' || !cms.signer ? 'broken' : check.result === 'unsupported' ? 'unknown' : 'intact';
    out.timestampIntact = r.integrity === 'intact';
  }

  /** Pass 2: the chain at the time a timestamp proves, the revocation data for it, the level and LTV. */
  async judgeTrust(all: Examined[]): Promise<void> {
    const now = new Date();
    // The certificates a signature (or token) carries itself come first, then everything else the file holds:
    // the path search tries them in that order, and nothing appended to the /DSS can hide them.
    const pool = (cms?: ParsedCms) => (cms ? [...cms.certificates, ...this.data.certificates] : this.data.certificates);
    // Document timestamps, newest first: each is validated at the time the next one proves, the last at now.
    const stamps = all.filter((e) => e.report.kind === 'document-timestamp' && e.token && e.report.coversRevision);
    stamps.sort((a, b) => (b.report.revision ?? 0) - (a.report.revision ?? 0));
    const acceptable = new Map<Examined, boolean>();
    let later: Examined | undefined;
    for (const stamp of stamps) {
      const at = this.options.validationTime ?? (later && acceptable.get(later) ? later.token!.genTime : now);
      const trust = await evaluateTrust(stamp.token!.cms.signer, pool(stamp.token!.cms), this.roots, at, this.spend, 'timestamping');
      acceptable.set(
        stamp,
        stamp.timestampIntact && trust.status !== 'invalid' && trust.status !== 'unknown' && (!this.roots.length || trust.status === 'trusted'),
      );
      later = stamp;
    }
    /** The earliest document timestamp proving the signed revision `revision` existed. */
    const docTimestampFor = (e: Examined): Examined | undefined => {
      const mine = e.report.revision;
      if (mine === undefined) return undefined;
      return stamps
        .filter((s) => s !== e && s.report.revision! >= mine && acceptable.get(s))
        .sort((a, b) => a.token!.genTime.getTime() - b.token!.genTime.getTime())[0];
    };

    for (const e of all) {
      const r = e.report;
      const cms = e.cms;
      if (!cms) continue;
      const signer = r.kind === 'document-timestamp' ? e.token?.cms.signer : cms.signer;
      const docStamp = docTimestampFor(e);
      // Proof of existence: the signature timestamp, when intact and its TSA's chain holds (at the time a later
      // document timestamp proves, or now); else the earliest document timestamp over the signed revision.
      let poe: { at: Date; source: 'signature-timestamp' | 'document-timestamp' } | undefined;
      if (r.kind === 'signature' && e.token && e.timestampIntact) {
        const tsaAt = docStamp ? docStamp.token!.genTime : now;
        const tsa = await evaluateTrust(e.token.cms.signer, pool(e.token.cms), this.roots, tsaAt, this.spend, 'timestamping');
        if (tsa.status !== 'invalid' && tsa.status !== 'unknown' && (!this.roots.length || tsa.status === 'trusted')) {
          poe = { at: e.token.genTime, source: 'signature-timestamp' };
        }
      }
      if (!poe && docStamp) poe = { at: docStamp.token!.genTime, source: 'document-timestamp' };

      // The chain is checked now, as pdfsig does; when it fails now (expired, or revoked since) and a timestamp
      // proves the signature existed earlier, it is checked at that time instead (long-term validation).
      const check = async (at: Date) => {
        const trust = await evaluateTrust(signer, pool(cms), this.roots, at, this.spend, r.kind === 'document-timestamp' ? 'timestamping' : 'signing');
        const lookups: Promise<CertificateRevocation>[] = [];
        const path = trust.path;
        const last = path.at(-1);
        const endsAtRoot = !!last && (trust.anchored || sameName(last.subject, last.issuer));
        // Each certificate's revocation data is looked up at once: their signature checks (WebCrypto, off the
        // main thread) then run side by side instead of one after another.
        for (let i = 0; i < path.length; i++) {
          const certificate = path[i]!;
          if (i === path.length - 1 && endsAtRoot) {
            lookups.push(certificateInfo(certificate).then((info) => ({ certificate: info, status: 'trust-anchor' as const })));
            break;
          }
          this.budget.spend(10);
          lookups.push(revocationStatus(certificate, path[i + 1], this.data, at, this.spend, poe?.at));
        }
        const chain = await Promise.all(lookups);
        let status: { status: TrustStatus; reason: TrustReason } = { status: trust.status, reason: trust.reason };
        if (chain.some((c) => c.status === 'revoked') && status.status !== 'invalid') status = { status: 'invalid', reason: 'CERTIFICATE_REVOKED' };
        return { status, chain, endsAtRoot };
      };
      let at = this.options.validationTime ?? now;
      let timeSource: LongTermValidation['timeSource'] = this.options.validationTime ? 'option' : 'now';
      let result = await check(at);
      if (!this.options.validationTime && poe && result.status.status === 'invalid') {
        const earlier = await check(poe.at);
        if (earlier.status.status !== 'invalid') {
          result = earlier;
          at = poe.at;
          timeSource = poe.source;
        }
      }
      r.trust = result.status;
      const { chain, endsAtRoot } = result;
      const missing: LongTermValidation['missing'] = [];
      const proved = !!poe || (r.kind === 'document-timestamp' && e.timestampIntact);
      if (!proved) missing.push('timestamp');
      if (!endsAtRoot) missing.push('chain');
      if (chain.some((c) => c.status !== 'good' && c.status !== 'trust-anchor')) missing.push('revocation-data');
      const revoked = chain.some((c) => c.status === 'revoked');
      r.ltv = { validationTime: at, timeSource, chain, longTerm: missing.length === 0 && !revoked, missing };
      if (poe) r.ltv.provedAt = poe.at;

      if (r.kind === 'signature' && r.integrity !== 'broken') {
        let level: PadesLevel = 'B-B';
        // B-T: the same proof of existence long-term validation uses (an intact token whose TSA's chain holds,
        // or a document timestamp over the signature), not merely a token that is present and intact.
        const hasT = !!poe;
        const hasLT = hasT && endsAtRoot && !chain.some((c) => c.status !== 'good' && c.status !== 'trust-anchor');
        if (hasT) level = 'B-T';
        if (hasLT) level = 'B-LT';
        // B-LTA: a document timestamp over the validation data — the first /DSS after the signature, or the
        // signature itself when its revocation data is all inside the CMS.
        if (hasLT) {
          const dss = await this.firstDssRevision((r.revision ?? 0) + 1);
          const needed = Math.max(dss ?? 0, (r.revision ?? 0) + 1);
          if (stamps.some((s) => acceptable.get(s) && s.report.revision! >= needed)) level = 'B-LTA';
        }
        r.level = level;
      }
    }
  }

  /** The first revision from `from` on whose catalog has a /DSS (the validation data a later document timestamp covers). */
  async firstDssRevision(from: number): Promise<number | undefined> {
    this.dssRevisions ??= (async () => {
      const out: number[] = [];
      for (const revision of this.revisions ?? []) {
        this.budget.spend(1);
        const { dict } = await new Snapshot(this.file, revision, this.budget).root();
        if (dict?.dict.has('DSS')) out.push(revision.index);
      }
      return out;
    })();
    return (await this.dssRevisions).find((index) => index >= from);
  }

  /** The revisions whose catalog has a /DSS, read once per inspection (not once per signature). */
  private dssRevisions: Promise<number[]> | undefined;

  /** Pass 3: what every later revision changed, and whether the signature (and the certification) allow it. */
  async judgeChanges(e: Examined, all: Examined[]): Promise<void> {
    const r = e.report;
    if (!r.modifiedAfter || r.signedLength === undefined) {
      if (r.coversRevision) {
        r.changesAllowed = true;
        r.modificationLevel = 'none';
      }
      return;
    }
    if (!this.revisions || this.file.reconstructed) {
      r.changes = [{ kind: 'unreadable', replaced: false, allowed: false }];
      r.changesAllowed = false;
      return;
    }
    const trailing = trailingBytes(this.bytes, this.revisions);
    if (!r.coversRevision || r.revision === undefined) {
      if (trailing) r.changes.push({ kind: 'trailing-bytes', replaced: false, allowed: false });
      return;
    }
    // DocMDP: the certification signature's permission applies to everything after it (§12.8.2.2).
    const certification = all.find((x) => x.docMdp && x.report.revision !== undefined && x.report.revision <= r.revision!);
    const permissions: Permissions = {};
    if (certification?.docMdp) permissions.docMdp = certification.docMdp;
    if (e.locked) permissions.locked = e.locked;
    try {
      const analysis = await analyseChanges(this.file, this.revisions, r.revision, permissions, this.budget);
      r.changes = analysis.changes;
      r.modificationLevel = analysis.level;
      r.changesAllowed = analysis.allowed;
    } catch (err) {
      // The budget, or a reader limit met on the way: nothing is claimed about the changes.
      if (!(err instanceof BudgetExceeded) && !isPdfLimitError(err)) throw err;
      r.problems.push('CHANGES_NOT_CHECKED');
    }
    if (trailing) {
      r.changes.push({ kind: 'trailing-bytes', replaced: false, allowed: false });
      r.changesAllowed = false;
    }
    if (r.changesAllowed === false) r.problems.push('MODIFIED_AFTER_SIGNING');
  }
}

/** Whether `end` is just past a %%EOF marker (and its end-of-line). */
function endsAtEof(bytes: Uint8Array, end: number): boolean {
  let at = end;
  if (bytes[at - 1] === 10) at--;
  if (bytes[at - 1] === 13) at--;
  return at >= 5 && isEofAt(bytes, at - 5);
}

/** Whether anything but whitespace follows the newest revision (bytes appended outside any update). */
function trailingBytes(bytes: Uint8Array, revisions: readonly Revision[]): boolean {
  const end = Math.max(...revisions.map((r) => r.end ?? 0));
  if (!revisions.some((r) => r.end !== undefined)) return true;
  for (let i = end; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c !== 10 && c !== 13 && c !== 32 && c !== 9 && c !== 0) return true;
  }
  return false;
}

function finish(r: SignatureReport): SignatureReport {
  const problems = r.problems;
  if (r.trust.status !== 'trusted' && r.trust.reason !== 'NOT_CHECKED' && !problems.includes(r.trust.reason)) problems.push(r.trust.reason);
  const broken = problems.some((p) => INTEGRITY_PROBLEMS.has(p) || COVERAGE_PROBLEMS.has(p)) || r.integrity === 'broken';
  if (broken || r.trust.status === 'invalid') r.verdict = 'invalid';
  else if (r.integrity === 'unknown' || r.trust.status === 'unknown' || problems.some((p) => UNKNOWN_PROBLEMS.has(p))) r.verdict = 'unknown';
  else if (r.changesAllowed === false || r.changes.some((c) => !c.allowed)) r.verdict = 'modified-after-signing';
  else r.verdict = r.trust.status === 'trusted' ? 'valid' : 'valid-untrusted';
  return r;
}

/** A signature's report before any check has passed (or when none can run): invalid, nothing verified. */
function invalidReport(index: number, field: SignatureField, problems: (SignatureProblem | TrustReason)[]): SignatureReport {
  return {
    index,
    fieldName: field.name,
    kind: 'signature',
    coversWholeFile: false,
    coversRevision: false,
    modifiedAfter: false,
    changes: [],
    integrity: 'broken',
    digest: { matches: false },
    signatureValid: false,
    chain: [],
    signingTime: {},
    trust: { status: 'invalid', reason: 'NOT_CHECKED' },
    verdict: 'invalid',
    problems,
  };
}

/** What ends the whole inspection rather than one signature: the work budget, a reader limit, a cancellation. */
function isFatal(err: unknown): boolean {
  return err instanceof BudgetExceeded || isPdfLimitError(err) || (err as Error)?.name === 'AbortError';
}

function abortError(): Error {
  return typeof DOMException === 'function'
    ? new DOMException('The inspection was cancelled.', 'AbortError')
    : Object.assign(new Error('The inspection was cancelled.'), { name: 'AbortError' });
}

/** A budget that also stops when the caller cancels. */
class CancellableBudget extends Budget {
  constructor(
    limit: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    super(limit);
  }
  override spend(units = 1): void {
    if (this.signal?.aborted) throw abortError();
    super.spend(units);
  }
}

/**
 * Inspects every signature of `bytes`. Never throws for bad input: a file that is not a PDF, truncated, damaged,
 * encrypted or unsigned gives a report whose `status` and `error.code` say so. Rejects only for a caller's
 * mistake (trusted roots that are not certificates: TypeError) or a cancellation (AbortError).
 */
export async function inspectPdf(bytes: Uint8Array, options: InspectOptions = {}): Promise<InspectionReport> {
  if (!(bytes instanceof Uint8Array)) return report('not-a-pdf', 0, { code: 'INVALID_INPUT', message: 'Expected a Uint8Array.' });
  let roots: pkijs.Certificate[];
  try {
    roots = readCertificates(options.trustedRoots ?? []);
  } catch (err) {
    throw new TypeError(`inspectPdf: a trusted root is not a certificate (${(err as Error).message}).`, { cause: err });
  }
  if (options.signal?.aborted) throw abortError();
  const budget = new CancellableBudget(options.workBudget ?? DEFAULT_WORK_BUDGET, options.signal);
  try {
    return await inspect(bytes, options, roots, budget);
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    // The reader's own limits (pages, objects, inflated bytes: PdfLimitError) and this inspection's work budget
    // both mean a file too complex to check within bounds, not a damaged one.
    if (err instanceof BudgetExceeded || isPdfLimitError(err))
      return { ...report('damaged', bytes.length, { code: 'TOO_COMPLEX', message: (err as Error).message }) };
    return report('damaged', bytes.length, { code: 'DAMAGED', message: (err as Error)?.message ?? String(err) });
  }
}

async function inspect(bytes: Uint8Array, options: InspectOptions, roots: pkijs.Certificate[], budget: Budget): Promise<InspectionReport> {
  let file: PdfFile;
  try {
    file = await PdfFile.open(bytes, inflate);
  } catch (err) {
    if (err instanceof PdfError) {
      const status = err.code === 'NOT_A_PDF' ? 'not-a-pdf' : err.code === 'TRUNCATED' ? 'truncated' : 'damaged';
      return report(status, bytes.length, { code: err.code, message: err.message });
    }
    if (isPdfLimitError(err)) throw err;
    return report('damaged', bytes.length, { code: 'DAMAGED', message: (err as Error).message });
  }
  // What the reader lexes and inflates (its opening included) is spent from the same budget as the inspection's own work.
  budget.countReader(file.meter);
  const base = report('signed', bytes.length);
  base.revisions = file.sections.length;

  const encryption = await encryptionOf(file).catch(() => ({ encrypted: true as const, supported: false as const }));
  if (encryption.encrypted) {
    base.encrypted = true;
    if (!encryption.supported) {
      return { ...base, status: 'encrypted', error: { code: 'ENCRYPTION_UNSUPPORTED', message: 'This PDF encryption method is not supported.' } };
    }
    // Viewers open a file whose user password is empty without asking: so does this, first, whatever password
    // the caller gives (a wrong one must not hide a file anyone may open).
    let check = await checkPassword(encryption, '').catch(() => 'unsupported' as const);
    if (typeof check === 'string' && options.password) check = await checkPassword(encryption, options.password).catch(() => 'unsupported' as const);
    if (check === 'unsupported') {
      return { ...base, status: 'encrypted', error: { code: 'ENCRYPTION_UNSUPPORTED', message: 'This PDF encryption method is not supported.' } };
    }
    if (check === 'incorrect') {
      return options.password === undefined
        ? { ...base, status: 'encrypted', error: { code: 'PASSWORD_REQUIRED', message: 'The PDF is encrypted: its password is needed.' } }
        : { ...base, status: 'encrypted', error: { code: 'PASSWORD_INCORRECT', message: 'The password is not correct.' } };
    }
    file.decryptor = check;
  }

  let fields: SignatureField[];
  try {
    fields = await signatureFields(Snapshot.latest(file, budget), budget);
  } catch (err) {
    if (isFatal(err)) throw err;
    return { ...base, status: 'damaged', error: { code: 'DAMAGED', message: (err as Error).message } };
  }
  if (fields.length === 0) {
    return { ...base, status: 'no-signature', error: { code: 'NO_SIGNATURE', message: 'The PDF has no signature.' } };
  }
  const inspection = new Inspection(file, roots, options, budget);
  inspection.revisions = revisionsOf(file, budget);
  await inspection.readDss().catch((err: unknown) => {
    if (isFatal(err)) throw err;
  });
  const examined: (Examined | SignatureReport)[] = [];
  for (const [i, field] of fields.entries()) {
    try {
      examined.push(await inspection.examine(field, i));
    } catch (err) {
      if (isFatal(err)) throw err;
      // A structure no check foresaw: this signature is unreadable, the others are still reported.
      examined.push(invalidReport(i, field, ['SIGNATURE_UNREADABLE']));
    }
  }
  const ok = examined.filter((e): e is Examined => 'report' in e);
  await inspection.judgeTrust(ok);
  for (const e of ok) await inspection.judgeChanges(e, ok);
  base.signatures = examined.map((e) => ('report' in e ? finish(e.report) : e));
  return base;
}

export { Snapshot };
