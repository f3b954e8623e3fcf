// Local inspection of a PDF's signatures (PDF 32000-1 §12.8, ETSI EN 319 142-1 PAdES): every signature field,
// its /ByteRange against the file and the /Contents hole, the digest of the signed bytes recomputed with
// WebCrypto against the CMS message-digest, the CMS signature, the signer's certificate and chain, trust against
// the caller's roots, and the incremental updates written after each signature (§7.5.6) with what they changed.
// Nothing leaves the machine; no Node API is used, so it runs in browsers as well.
import {
  CmsError,
  certificateInfo,
  evaluateTrust,
  hex,
  parseCms,
  readCertificates,
  timestampToken,
  verifySignatureValue,
  type CertificateInfo,
  type ParsedCms,
  type TimestampInfo,
  type TrustReason,
  type TrustStatus,
} from './cms.js';
import {

  PdfError,
  PdfFile,
  isDict,
  isName,
  isRef,
  isString,
  lastIndexOfAscii,
  nameOf,
  pdfDate,
  textString,
  type Dict,
  type Ref,
  type Value,
} from '@esign-kit/core';
import { inflate } from './inflate.js';
import { copyRanges, digestRanges } from './digest.js';
import { checkPassword, encryptionOf } from './encryption.js';

export interface InspectOptions {
  /** Roots to trust: DER bytes or PEM text. Default none: every chain is 'untrusted' (never 'invalid' for that). */
  trustedRoots?: readonly (Uint8Array | string)[];
  /** The password of an encrypted PDF (user or owner). */
  password?: string;
  /** When certificates must be valid. Default: now (as pdfsig does). */
  validationTime?: Date;
}

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
  | 'ENCRYPTION_UNSUPPORTED';

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
  /** Whether the file was encrypted (and opened with the password). */
  encrypted: boolean;
  signatures: SignatureReport[];
}

/** What an incremental update written after a signature did. */
export type ChangeKind =
  | 'signature'
  | 'signature-field'
  | 'form'
  | 'form-field'
  | 'annotation'
  | 'page'
  | 'page-content'
  | 'appearance'
  | 'catalog'
  | 'metadata'
  | 'other'
  | 'unreadable'
  | 'trailing-bytes';

export interface Change {
  kind: ChangeKind;
  /** The object written by the update (absent for 'trailing-bytes'). */
  object?: number;
  /** Whether the object existed before (it was replaced) or is new. */
  replaced: boolean;
  /** Whether this change is one a later signer legitimately makes (a new signature, its field and appearance). */
  allowed: boolean;
}

/** Every reason a signature is not simply valid; trust reasons come from `TrustReason`. */
export type SignatureProblem =
  | 'SIGNATURE_DICTIONARY_MISSING'
  | 'BYTE_RANGE_INVALID'
  | 'BYTE_RANGE_NOT_CONTENTS'
  | 'CONTENTS_MISSING'
  | 'CMS_UNPARSABLE'
  | 'CMS_NOT_SIGNED_DATA'
  | 'CMS_NO_SIGNER'
  | 'SIGNER_CERTIFICATE_MISSING'
  | 'UNSUPPORTED_DIGEST_ALGORITHM'
  | 'MESSAGE_DIGEST_MISSING'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'MODIFIED_AFTER_SIGNING'
  | 'NOT_TOTAL_DOCUMENT'
  | 'TIMESTAMP_INVALID'
  /** Something in the signature could not be read at all (an unexpected structure). */
  | 'SIGNATURE_UNREADABLE';

export type Verdict = 'valid' | 'valid-untrusted' | 'modified-after-signing' | 'invalid';

export interface SignatureReport {
  /** 0-based, in AcroForm order (pdfsig's order). */
  index: number;
  fieldName: string;
  filter?: string;
  subFilter?: string;
  byteRange?: number[];
  /** The signed ranges start at 0 and end at the end of the file. */
  coversWholeFile: boolean;
  /** Offset one past the last signed byte: the end of the revision this signature covers. */
  signedLength?: number;
  /** Bytes or updates follow the signed revision. */
  modifiedAfter: boolean;
  changes: Change[];
  digest: { algorithm?: string; matches: boolean; computed?: string; signed?: string };
  signatureValid: boolean;
  signatureAlgorithm?: string;
  signer?: CertificateInfo;
  /** The certificates included in the CMS, signer first when present. */
  chain: CertificateInfo[];
  signingTime: { dictionary?: Date; cms?: Date };
  timestamp?: TimestampInfo;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  trust: { status: TrustStatus; reason: TrustReason };
  verdict: Verdict;
  problems: (SignatureProblem | TrustReason)[];
}

const ANNOTATION_SUBTYPES = new Set([
  'Text', 'Link', 'FreeText', 'Line', 'Square', 'Circle', 'Polygon', 'PolyLine', 'Highlight', 'Underline', 'Squiggly',
  'StrikeOut', 'Stamp', 'Caret', 'Ink', 'Popup', 'FileAttachment', 'Sound', 'Movie', 'Screen', 'PrinterMark',
  'TrapNet', 'Watermark', '3D', 'Redact', 'Projection', 'RichMedia',
]);
const ALLOWED_CHANGES = new Set<ChangeKind>(['signature', 'signature-field', 'form', 'page', 'appearance', 'catalog', 'metadata']);
const INTEGRITY_PROBLEMS = new Set<SignatureProblem | TrustReason>([
  'SIGNATURE_DICTIONARY_MISSING', 'BYTE_RANGE_INVALID', 'BYTE_RANGE_NOT_CONTENTS', 'CONTENTS_MISSING', 'CMS_UNPARSABLE',
  'CMS_NOT_SIGNED_DATA', 'CMS_NO_SIGNER', 'SIGNER_CERTIFICATE_MISSING', 'UNSUPPORTED_DIGEST_ALGORITHM',
  'MESSAGE_DIGEST_MISSING', 'DIGEST_MISMATCH', 'SIGNATURE_INVALID', 'SIGNATURE_UNREADABLE',
]);

interface SignatureField {
  name: string;
  /** The signature dictionary reference (or the value itself when direct). */
  value: Value | undefined;
}

function report(status: InspectionStatus, fileSize: number, error?: InspectionError): InspectionReport {
  const r: InspectionReport = { status, fileSize, revisions: 0, encrypted: false, signatures: [] };
  if (error) r.error = error;
  return r;
}

/** Walks the AcroForm field tree (§12.7.3.1): partial names joined with '.', /FT inherited. */
async function signatureFields(file: PdfFile): Promise<SignatureField[]> {
  const catalog = await file.resolve(file.trailer?.dict.get('Root'));
  if (!isDict(catalog)) return [];
  const acroForm = await file.resolve(catalog.dict.get('AcroForm'));
  if (!isDict(acroForm)) return [];
  const fields = await file.resolve(acroForm.dict.get('Fields'));
  if (!Array.isArray(fields)) return [];
  const out: SignatureField[] = [];
  const seen = new Set<number>();
  const walk = async (items: Value[], parentName: string, inheritedType: string | undefined, depth: number) => {
    if (depth > 32) return;
    for (const item of items) {
      if (isRef(item)) {
        if (seen.has(item.num)) continue;
        seen.add(item.num);
      }
      const field = await file.resolve(item).catch(() => undefined);
      if (!isDict(field)) continue;
      const partial = textString(field.dict.get('T'));
      const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
      const type = nameOf(field.dict.get('FT')) ?? inheritedType;
      const kids = await file.resolve(field.dict.get('Kids')).catch(() => undefined);
      const kidFields = Array.isArray(kids) ? kids : [];
      // Kids that are only widgets (no /T) belong to this field.
      if (kidFields.length && (await hasNamedKid(file, kidFields))) await walk(kidFields, name, type, depth + 1);
      else if (type === 'Sig' && field.dict.has('V')) out.push({ name, value: field.dict.get('V') });
    }
  };
  await walk(fields, '', undefined, 0);
  return out;
}

async function hasNamedKid(file: PdfFile, kids: Value[]): Promise<boolean> {
  for (const kid of kids) {
    const k = await file.resolve(kid).catch(() => undefined);
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

function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (isRef(a) && isRef(b)) return a.num === b.num && a.gen === b.gen;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isDict(a) && isDict(b)) {
    if (a.dict.size !== b.dict.size) return false;
    for (const [k, v] of a.dict) if (!sameValue(v, b.dict.get(k))) return false;
    return true;
  }
  if (isName(a) && isName(b)) return a.name === b.name;
  if (isString(a) && isString(b)) return a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
  return a === b;
}

async function classify(file: PdfFile, num: number, object: Value | undefined, previous: Value | undefined): Promise<ChangeKind | null> {
  const info = file.trailer?.dict.get('Info');
  if (isRef(info) && info.num === num) return 'metadata';
  if (!isDict(object)) return Array.isArray(object) ? (previous === undefined ? 'other' : 'page') : 'other';
  const d = object.dict;
  const type = nameOf(d.get('Type'));
  const subtype = nameOf(d.get('Subtype'));
  if (object.streamAt !== undefined) {
    if (type === 'XRef' || type === 'ObjStm') return null; // structure, not content
    if (type === 'Metadata') return 'metadata';
    if (subtype === 'Form' && previous === undefined) return 'appearance';
    return previous === undefined ? 'other' : 'page-content';
  }
  if (d.has('ByteRange') || type === 'Sig' || type === 'DocTimeStamp') return 'signature';
  const ft = nameOf(d.get('FT'));
  if (ft === 'Sig') return 'signature-field';
  if (ft !== undefined) return 'form-field';
  if (subtype === 'Widget') {
    const parent = await file.resolve(d.get('Parent')).catch(() => undefined);
    return isDict(parent) && nameOf(parent.dict.get('FT')) === 'Sig' ? 'signature-field' : 'form-field';
  }
  if (type === 'Annot' || (subtype !== undefined && ANNOTATION_SUBTYPES.has(subtype))) return 'annotation';
  if (type === 'Catalog') return 'catalog';
  if (d.has('Fields')) return 'form';
  if (type === 'Page') {
    if (!isDict(previous)) return 'page-content'; // a new page
    for (const key of ['Contents', 'Resources', 'MediaBox', 'CropBox', 'Rotate']) {
      if (!sameValue(d.get(key), previous.dict.get(key))) return 'page-content';
    }
    return 'page';
  }
  if (type === 'Pages') return 'page';
  return 'other';
}

/** The objects written by every cross-reference section after offset `end`, and what each changed. */
async function changesAfter(file: PdfFile, end: number, trailingBytes: boolean): Promise<Change[]> {
  const changes: Change[] = [];
  if (file.reconstructed) return [{ kind: 'unreadable', replaced: false, allowed: false }];
  // Sections are newest first; the signed revision is the newest one that starts before `end`.
  const signedSection = file.sections.findIndex((s) => s.offset < end);
  const later = signedSection < 0 ? file.sections : file.sections.slice(0, signedSection);
  const seen = new Set<number>();
  for (const section of later) {
    if (section.offset < end) continue;
    for (const [num, entry] of section.entries) {
      if (entry.type === 0 || seen.has(num)) continue;
      seen.add(num);
      const before = signedSection < 0 ? undefined : file.entryAsOf(num, signedSection);
      const replaced = before !== undefined && before.type !== 0;
      let kind: ChangeKind | null;
      try {
        const object = await file.objectAt(num, entry);
        const previous = replaced ? await file.objectAt(num, before).catch(() => undefined) : undefined;
        kind = await classify(file, num, object, previous);
      } catch {
        kind = 'unreadable';
      }
      if (kind) changes.push({ kind, object: num, replaced, allowed: ALLOWED_CHANGES.has(kind) });
    }
  }
  if (trailingBytes) changes.push({ kind: 'trailing-bytes', replaced: false, allowed: false });
  return changes;
}

/** Whether non-whitespace bytes follow the last %%EOF (appended outside any update). */
function hasTrailingBytes(bytes: Uint8Array): boolean {
  const eof = lastIndexOfAscii(bytes, '%%EOF', bytes.length - 1);
  if (eof < 0) return true;
  for (let i = eof + 5; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c !== 10 && c !== 13 && c !== 32 && c !== 9 && c !== 0) return true;
  }
  return false;
}

async function inspectSignature(
  file: PdfFile,
  field: SignatureField,
  index: number,
  options: { roots: ReturnType<typeof readCertificates>; at: Date; trailingBytes: boolean },
): Promise<SignatureReport> {
  const bytes = file.bytes;
  const problems: (SignatureProblem | TrustReason)[] = [];
  const r: SignatureReport = {
    index,
    fieldName: field.name,
    coversWholeFile: false,
    modifiedAfter: false,
    changes: [],
    digest: { matches: false },
    signatureValid: false,
    chain: [],
    signingTime: {},
    trust: { status: 'invalid', reason: 'NOT_CHECKED' },
    verdict: 'invalid',
    problems,
  };
  const finish = (): SignatureReport => {
    const integrity = problems.some((p) => INTEGRITY_PROBLEMS.has(p));
    if (integrity || r.trust.status === 'invalid') r.verdict = 'invalid';
    else if (r.changes.some((c) => !c.allowed)) r.verdict = 'modified-after-signing';
    else r.verdict = r.trust.status === 'trusted' ? 'valid' : 'valid-untrusted';
    if (r.trust.status !== 'trusted' && r.trust.reason !== 'NOT_CHECKED' && !problems.includes(r.trust.reason)) problems.push(r.trust.reason);
    return r;
  };

  let dict: Dict | undefined;
  // The signature dictionary must be a plain object in the file: its /Contents positions are file offsets.
  let direct = false;
  try {
    const v = await file.resolve(field.value);
    if (isDict(v)) dict = v;
    direct = isRef(field.value) && file.sections.some((s) => s.entries.get((field.value as Ref).num)?.type === 1);
  } catch {
    dict = undefined;
  }
  if (!dict) {
    // The damaged dictionary may still be found by its byte range: say what is wrong, not that it is missing.
    problems.push(isRef(field.value) ? 'BYTE_RANGE_INVALID' : 'SIGNATURE_DICTIONARY_MISSING');
    return finish();
  }
  const d = dict.dict;
  const filter = nameOf(d.get('Filter'));
  const subFilter = nameOf(d.get('SubFilter'));
  if (filter !== undefined) r.filter = filter;
  if (subFilter !== undefined) r.subFilter = subFilter;
  const texts: [keyof SignatureReport & ('name' | 'reason' | 'location' | 'contactInfo'), string][] = [
    ['name', 'Name'], ['reason', 'Reason'], ['location', 'Location'], ['contactInfo', 'ContactInfo'],
  ];
  for (const [key, pdfKey] of texts) {
    const t = textString(d.get(pdfKey));
    if (t) r[key] = t;
  }
  const m = pdfDate(d.get('M'));
  if (m) r.signingTime.dictionary = m;

  const contents = d.get('Contents');
  const ranges = integers(d.get('ByteRange'));
  if (!isString(contents) || !contents.hex) {
    problems.push('CONTENTS_MISSING');
    return finish();
  }
  let rangesValid = !!ranges && ranges.length >= 4 && ranges.length % 2 === 0 && ranges[0] === 0;
  if (ranges && rangesValid) {
    for (let i = 0; i < ranges.length; i += 2) {
      const end = ranges[i]! + ranges[i + 1]!;
      if (end > bytes.length || (i + 2 < ranges.length && end > ranges[i + 2]!)) rangesValid = false;
    }
  }
  if (!ranges || !rangesValid) {
    if (ranges) r.byteRange = ranges;
    problems.push('BYTE_RANGE_INVALID');
  } else {
    r.byteRange = ranges;
    const signedLength = ranges.at(-2)! + ranges.at(-1)!;
    r.signedLength = signedLength;
    // The one hole must be exactly the /Contents hex string, delimiters included (§12.8.1).
    const holeIsContents = ranges.length === 4 && direct && ranges[1] === contents.start && ranges[2] === contents.end;
    if (!holeIsContents) problems.push('BYTE_RANGE_NOT_CONTENTS');
    // As poppler: the whole file except exactly the /Contents string.
    r.coversWholeFile = holeIsContents && signedLength === bytes.length;
    if (!r.coversWholeFile) problems.push('NOT_TOTAL_DOCUMENT');
    if (signedLength < bytes.length) {
      r.modifiedAfter = true;
      r.changes = await changesAfter(file, signedLength, options.trailingBytes);
      if (r.changes.some((c) => !c.allowed)) problems.push('MODIFIED_AFTER_SIGNING');
    }
  }
  const usableRanges = r.byteRange !== undefined && !problems.includes('BYTE_RANGE_INVALID') ? r.byteRange : undefined;

  // The digest runs off the main thread (in WebCrypto): start it before reading the CMS, guessing the usual
  // algorithm (SHA-256 for PAdES and for every Indonesian CA's profile); a wrong guess costs a second digest.
  const guess = usableRanges ? digestRanges('SHA-256', bytes, usableRanges) : undefined;
  guess?.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  let cms: ParsedCms;
  try {
    cms = parseCms(contents.bytes);
  } catch (err) {
    problems.push(err instanceof CmsError ? err.code : 'CMS_UNPARSABLE');
    return finish();
  }
  const sha1Content = subFilter === 'adbe.pkcs7.sha1' && cms.signedData.encapContentInfo.eContent !== undefined;
  const digestAlgorithm = sha1Content ? 'SHA-1' : cms.digestAlgorithm;
  const started =
    usableRanges && cms.digestAlgorithm && digestAlgorithm
      ? digestAlgorithm === 'SHA-256' ? guess : digestRanges(digestAlgorithm, bytes, usableRanges)
      : undefined;
  started?.catch(() => undefined);

  r.signatureAlgorithm = cms.signatureAlgorithm;
  if (cms.signingTime) r.signingTime.cms = cms.signingTime;
  if (cms.signer) r.signer = await certificateInfo(cms.signer);
  const ordered = cms.signer ? [cms.signer, ...cms.certificates.filter((c) => c !== cms.signer)] : cms.certificates;
  r.chain = await Promise.all(ordered.map(certificateInfo));
  if (!cms.signer) problems.push('SIGNER_CERTIFICATE_MISSING');

  try {
    const ts = await timestampToken(cms);
    if (ts) {
      r.timestamp = ts;
      if (!ts.imprintMatches || !ts.signatureValid) problems.push('TIMESTAMP_INVALID');
    }
  } catch {
    problems.push('TIMESTAMP_INVALID');
  }

  const trust = await evaluateTrust(cms.signer, cms.certificates, options.roots, options.at);
  r.trust = { status: trust.status, reason: trust.reason };
  if (!cms.digestAlgorithm) {
    problems.push('UNSUPPORTED_DIGEST_ALGORITHM');
  } else if (!usableRanges) {
    r.digest.algorithm = cms.digestAlgorithm; // nothing to hash: the byte range is unusable
  } else {
    const ranges = usableRanges;
    r.digest.algorithm = cms.digestAlgorithm;
    const eContent = cms.signedData.encapContentInfo.eContent;
    if (sha1Content && eContent) {
      // adbe.pkcs7.sha1 signs the SHA-1 of the ranges as encapsulated content (§12.8.3.3.1).
      const inner = new Uint8Array(eContent.getValue()) as Uint8Array<ArrayBuffer>;
      const ranged = await started!;
      r.digest.algorithm = 'SHA-1';
      r.digest.computed = hex(ranged);
      r.digest.signed = hex(inner);
      r.digest.matches = r.digest.computed === r.digest.signed;
      if (cms.signerInfo.signedAttrs) {
        const md = cms.messageDigest;
        const innerDigest = hex(await globalThis.crypto.subtle.digest(cms.digestAlgorithm, inner));
        if (!md || hex(md) !== innerDigest) r.digest.matches = false;
      }
      r.signatureValid = await verifySignatureValue(cms, () => inner);
    } else {
      const computed = hex(await started!);
      r.digest.computed = computed;
      if (!cms.signerInfo.signedAttrs) {
        // No signed attributes: the signature is over the content itself, nothing to compare a digest with.
        r.signatureValid = await verifySignatureValue(cms, () => copyRanges(bytes, ranges));
        r.digest.matches = r.signatureValid;
      } else if (!cms.messageDigest) {
        problems.push('MESSAGE_DIGEST_MISSING');
      } else {
        r.digest.signed = hex(cms.messageDigest);
        r.digest.matches = r.digest.signed === computed;
        r.signatureValid = await verifySignatureValue(cms, () => new Uint8Array());
      }
    }
    if (!r.digest.matches) problems.push('DIGEST_MISMATCH');
    else if (!r.signatureValid) problems.push('SIGNATURE_INVALID');
  }

  return finish();
}

/**
 * Inspects every signature of `bytes`. Never throws for bad input: a file that is not a PDF, truncated, damaged,
 * encrypted or unsigned gives a report whose `status` and `error.code` say so.
 */
export async function inspectPdf(bytes: Uint8Array, options: InspectOptions = {}): Promise<InspectionReport> {
  if (!(bytes instanceof Uint8Array)) return report('not-a-pdf', 0, { code: 'INVALID_INPUT', message: 'Expected a Uint8Array.' });
  let roots: ReturnType<typeof readCertificates>;
  try {
    roots = readCertificates(options.trustedRoots ?? []);
  } catch (err) {
    throw new TypeError(`inspectPdf: a trusted root is not a certificate (${(err as Error).message}).`, { cause: err });
  }
  let file: PdfFile;
  try {
    file = await PdfFile.open(bytes, inflate);
  } catch (err) {
    if (err instanceof PdfError) {
      const status = err.code === 'NOT_A_PDF' ? 'not-a-pdf' : err.code === 'TRUNCATED' ? 'truncated' : 'damaged';
      return report(status, bytes.length, { code: err.code, message: err.message });
    }
    return report('damaged', bytes.length, { code: 'DAMAGED', message: (err as Error).message });
  }
  const base = report('signed', bytes.length);
  base.revisions = file.sections.length;

  const encryption = await encryptionOf(file).catch(() => ({ encrypted: true as const, supported: false as const }));
  if (encryption.encrypted) {
    base.encrypted = true;
    if (options.password === undefined) {
      return { ...base, status: 'encrypted', error: { code: 'PASSWORD_REQUIRED', message: 'The PDF is encrypted: its password is needed.' } };
    }
    const check = encryption.supported
      ? await checkPassword(encryption, options.password).catch(() => 'unsupported' as const)
      : 'unsupported';
    if (check === 'unsupported') {
      return { ...base, status: 'encrypted', error: { code: 'ENCRYPTION_UNSUPPORTED', message: 'This PDF encryption method is not supported.' } };
    }
    if (check === 'incorrect') {
      return { ...base, status: 'encrypted', error: { code: 'PASSWORD_INCORRECT', message: 'The password is not correct.' } };
    }
    file.decryptor = check;
  }

  let fields: SignatureField[];
  try {
    fields = await signatureFields(file);
  } catch (err) {
    return { ...base, status: 'damaged', error: { code: 'DAMAGED', message: (err as Error).message } };
  }
  if (fields.length === 0) {
    return { ...base, status: 'no-signature', error: { code: 'NO_SIGNATURE', message: 'The PDF has no signature.' } };
  }
  const context = { roots, at: options.validationTime ?? new Date(), trailingBytes: hasTrailingBytes(bytes) };
  for (const [i, field] of fields.entries()) {
    try {
      base.signatures.push(await inspectSignature(file, field, i, context));
    } catch {
      // A structure no check foresaw: this signature is unreadable, the others are still reported.
      base.signatures.push({
        index: i, fieldName: field.name, coversWholeFile: false, modifiedAfter: false, changes: [], digest: { matches: false },
        signatureValid: false, chain: [], signingTime: {}, trust: { status: 'invalid', reason: 'NOT_CHECKED' },
        verdict: 'invalid', problems: ['SIGNATURE_UNREADABLE'],
      });
    }
  }
  return base;
}


