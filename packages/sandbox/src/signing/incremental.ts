// Incremental updates (PDF 32000-1 §7.5.6): a later signature must leave every byte of the signed file as it is
// and append its objects, a new cross-reference section and a trailer pointing back with /Prev. pdf-lib cannot
// save incrementally, but it parses anything (xref streams, object streams, earlier updates) and serialises
// single objects; this module uses it to build the new objects and writes the update itself.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, type PDFObject, PDFRef, PDFString } from 'pdf-lib';
import { createStampAppearance, type StampContent } from './stamp.js';
import type { NeutralBox } from '@esign-kit/core';

/** The @signpdf ByteRange placeholder: `new SignPdf().sign()` finds it and fills in the real ranges. */
export const BYTE_RANGE_PLACEHOLDER = '**********';

export interface SignatureFieldParams {
  /** 1-based page of the widget (the stamp's page, or page 1 for an invisible signature). */
  page: number;
  stamp?: { box: NeutralBox; content: StampContent } | undefined;
  subFilter: string;
  name: string;
  reason: string;
  location: string;
  contactInfo: string;
  signingTime: Date;
  /** Bytes reserved for the CMS (the /Contents hex string holds twice as many digits). */
  signatureLength: number;
  appName: string;
}

/** The signature dictionary, serialised once so that its layout (ByteRange before Contents) is what @signpdf expects. */
function signatureDictionary(doc: PDFDocument, p: SignatureFieldParams): PDFInvalidObject {
  const placeholder = PDFName.of(BYTE_RANGE_PLACEHOLDER);
  const dict = doc.context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: p.subFilter,
    ByteRange: [PDFNumber.of(0), placeholder, placeholder, placeholder],
    Contents: PDFHexString.of('0'.repeat(p.signatureLength * 2)),
    Reason: PDFString.of(p.reason),
    M: PDFString.fromDate(p.signingTime),
    ContactInfo: PDFString.of(p.contactInfo),
    Name: PDFString.of(p.name),
    Location: PDFString.of(p.location),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: p.appName } },
  });
  const bytes = new Uint8Array(dict.sizeInBytes());
  dict.copyBytesInto(bytes, 0);
  return PDFInvalidObject.of(bytes);
}

/** `SignatureN` with the smallest N not taken by a top-level field of `fields`. */
export function uniqueSignatureFieldName(doc: PDFDocument, fields: PDFArray | undefined): string {
  const taken = fields ? existingFieldNames(doc, fields) : new Set<string>();
  let n = 1;
  while (taken.has(`Signature${n}`)) n++;
  return `Signature${n}`;
}

/** Names of the existing top-level fields. */
function existingFieldNames(doc: PDFDocument, fields: PDFArray): Set<string> {
  const names = new Set<string>();
  for (const item of fields.asArray()) {
    const field = doc.context.lookup(item);
    if (!(field instanceof PDFDict)) continue;
    const t = field.lookup(PDFName.of('T'));
    if (t instanceof PDFString || t instanceof PDFHexString) names.add(t.decodeText());
  }
  return names;
}

/** Tracks which existing objects an update changes, so that only they (and the new ones) are written. */
class UpdateTracker {
  readonly changed = new Set<PDFRef>();
  constructor(readonly doc: PDFDocument) {}

  /** The array stored under `key` in `holder` (held at `holderRef`), created when missing, marked as changed. */
  arrayIn(holder: PDFDict, holderRef: PDFRef, key: string): PDFArray {
    const raw = holder.get(PDFName.of(key));
    if (raw instanceof PDFRef) {
      const array = this.doc.context.lookup(raw);
      if (array instanceof PDFArray) {
        this.changed.add(raw);
        return array;
      }
    }
    this.changed.add(holderRef);
    if (raw instanceof PDFArray) return raw;
    const array = this.doc.context.obj([]);
    holder.set(PDFName.of(key), array);
    return array;
  }
}

/**
 * Adds a signature field (signature dictionary with a ByteRange placeholder, widget, optional stamp appearance)
 * to an already parsed document and returns the objects an incremental update must write.
 * Existing objects are changed in memory only: the page (or its /Annots array), the AcroForm (or its /Fields
 * array, or the catalog when there was no AcroForm).
 */
export async function addSignatureField(doc: PDFDocument, p: SignatureFieldParams): Promise<Set<PDFRef>> {
  const context = doc.context;
  const pages = doc.getPages();
  const page = pages[p.page - 1];
  if (!page) throw new RangeError(`Page ${p.page} does not exist (the document has ${pages.length} pages).`);
  const tracker = new UpdateTracker(doc);

  const catalogRef = context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new Error('The PDF trailer has no /Root reference.');
  let acroFormRef: PDFRef = catalogRef;
  let acroForm: PDFDict;
  const rawAcroForm = doc.catalog.get(PDFName.of('AcroForm'));
  const resolved = rawAcroForm ? context.lookup(rawAcroForm) : undefined;
  if (rawAcroForm instanceof PDFRef && resolved instanceof PDFDict) {
    acroForm = resolved;
    acroFormRef = rawAcroForm;
  } else if (resolved instanceof PDFDict) {
    acroForm = resolved; // direct in the catalog: the catalog is rewritten
  } else {
    acroForm = context.obj({});
    acroFormRef = context.register(acroForm);
    doc.catalog.set(PDFName.of('AcroForm'), acroFormRef);
    tracker.changed.add(catalogRef);
  }
  tracker.changed.add(acroFormRef);
  const fields = tracker.arrayIn(acroForm, acroFormRef, 'Fields');
  const fieldName = uniqueSignatureFieldName(doc, fields);

  // SigFlags 1 (SignaturesExist) | 2 (AppendOnly): PDF 32000-1 Table 219.
  const flags = acroForm.lookup(PDFName.of('SigFlags'));
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of((flags instanceof PDFNumber ? flags.asNumber() : 0) | 3));

  const sigRef = context.register(signatureDictionary(doc, p));
  let appearance: PDFRef;
  let rect: number[];
  if (p.stamp) {
    ({ appearance, rect } = await createStampAppearance(doc, p.stamp.box, p.stamp.content));
  } else {
    appearance = context.register(context.formXObject([], { BBox: [0, 0, 0, 0], Resources: {} }));
    rect = [0, 0, 0, 0];
  }
  const widgetRef = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: rect,
      V: sigRef,
      T: PDFString.of(fieldName),
      F: 4, // Print
      P: page.ref,
      AP: { N: appearance },
    }),
  );
  tracker.arrayIn(page.node, page.ref, 'Annots').push(widgetRef);
  fields.push(widgetRef);
  return tracker.changed;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The last `startxref` offset and the last trailer's /Size: what the new section's trailer builds on. */
function previousXref(pdf: Uint8Array): { startxref: number; size: number } {
  const tail = latin1(pdf.subarray(Math.max(0, pdf.length - 2048)));
  const start = [...tail.matchAll(/startxref\s+(\d+)/g)].at(-1);
  if (!start?.[1]) throw new Error('The PDF has no startxref: it cannot be updated incrementally.');
  const startxref = Number(start[1]);
  // The last section runs from `startxref` to the end: a table then its trailer, or an xref stream whose
  // dictionary (with /Size) precedes the stream data.
  const section = latin1(pdf.subarray(startxref));
  const size = /\/Size\s+(\d+)/.exec(section)?.[1];
  return { startxref, size: size ? Number(size) : 0 };
}

/**
 * Parses `pdf` with pdf-lib for an update. Object numbers of the update start above both pdf-lib's largest
 * number and the last trailer's /Size (pdf-lib does not count cross-reference streams).
 */
export async function loadForUpdate(pdf: Uint8Array): Promise<{ doc: PDFDocument; firstNewObject: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  if (doc.isEncrypted) throw new Error('Encrypted PDFs cannot be signed by the sandbox.');
  const { size } = previousXref(pdf);
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, size - 1);
  return { doc, firstNewObject: doc.context.largestObjectNumber + 1 };
}

function serialise(ref: PDFRef, object: PDFObject): Uint8Array {
  const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1');
  const body = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(body, 0);
  return Buffer.concat([head, body, Buffer.from('\nendobj\n', 'latin1')]);
}

/**
 * Appends an incremental update to `original`: every object numbered `firstNewObject` or above, plus the
 * `changed` existing ones, a classic cross-reference section (poppler, Acrobat and pdf.js follow /Prev into a
 * cross-reference stream as well) and a trailer. The original bytes are kept untouched.
 */
export function writeIncrementalUpdate(original: Uint8Array, doc: PDFDocument, firstNewObject: number, changed: Iterable<PDFRef>): Uint8Array {
  const { startxref } = previousXref(original);
  const refs = new Map<number, PDFRef>();
  for (const ref of changed) refs.set(ref.objectNumber, ref);
  for (const [ref] of doc.context.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNewObject) refs.set(ref.objectNumber, ref);
  }
  const ordered = [...refs.values()].sort((a, b) => a.objectNumber - b.objectNumber);

  const chunks: Uint8Array[] = [original];
  let offset = original.length;
  const push = (chunk: Uint8Array) => {
    chunks.push(chunk);
    offset += chunk.length;
  };
  const last = original[original.length - 1];
  if (last !== 0x0a && last !== 0x0d) push(Buffer.from('\n', 'latin1'));

  const offsets = new Map<number, { offset: number; generation: number }>();
  for (const ref of ordered) {
    const object = doc.context.lookup(ref);
    if (!object) throw new Error(`Object ${ref.objectNumber} vanished from the update.`);
    offsets.set(ref.objectNumber, { offset, generation: ref.generationNumber });
    push(serialise(ref, object));
  }

  // Subsections of consecutive object numbers (PDF 32000-1 §7.5.4); each entry is exactly 20 bytes.
  const xrefOffset = offset;
  let xref = 'xref\n';
  const numbers = [...offsets.keys()];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === (numbers[j] as number) + 1) j++;
    xref += `${numbers[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) {
      const entry = offsets.get(numbers[k] as number) as { offset: number; generation: number };
      xref += `${String(entry.offset).padStart(10, '0')} ${String(entry.generation).padStart(5, '0')} n\r\n`;
    }
    i = j + 1;
  }
  const trailer = doc.context.obj({
    Size: doc.context.largestObjectNumber + 1,
    Root: doc.context.trailerInfo.Root,
    Prev: startxref,
  });
  if (doc.context.trailerInfo.Info) trailer.set(PDFName.of('Info'), doc.context.trailerInfo.Info);
  if (doc.context.trailerInfo.ID) trailer.set(PDFName.of('ID'), doc.context.trailerInfo.ID);
  push(Buffer.from(`${xref}trailer\n${trailer.toString()}\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks);
}
