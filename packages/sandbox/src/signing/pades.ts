// PAdES B-B signatures for the sandbox providers: real signatures that poppler's pdfsig, Acrobat and pdf.js
// validate, made with the sandbox CA's credentials.
// - A PDF without signatures is rewritten once by pdf-lib: the stamp is drawn into the page content, the
//   signature field added by @signpdf/placeholder-pdf-lib, and the file saved without object streams (the
//   signature dictionary must stay a plain object so that its /Contents can be filled in place).
// - A PDF that is already signed is never rewritten: the new field, its stamp (the widget's appearance) and
//   the signature dictionary go into an incremental update, so every earlier signature stays valid.
import type { NeutralBox } from '@esign-kit/core';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_SIGNATURE_LENGTH, type SUBFILTER_ADOBE_PKCS7_DETACHED, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import type { SigningCredentials } from './ca.js';
import { CadesSigner } from './cms.js';
import { addSignatureField, loadForUpdate, uniqueSignatureFieldName, writeIncrementalUpdate } from './incremental.js';
import { drawStamp, type StampContent } from './stamp.js';

export type SubFilter = typeof SUBFILTER_ETSI_CADES_DETACHED | typeof SUBFILTER_ADOBE_PKCS7_DETACHED;

export interface VisibleStamp {
  /** Where the stamp goes: the neutral box (1-based page, user space, lower-left corner). */
  box: NeutralBox;
  content: StampContent;
}

export interface SignPdfOptions {
  /** The signer's key and chain, from the sandbox CA. */
  credentials: SigningCredentials;
  /** /Name of the signature dictionary. Default: the certificate's CN. */
  signerName?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** The claimed signing time (/M and the CMS signing-time attribute). Default: now. */
  signingTime?: Date;
  /** A visible stamp; without it the signature is invisible. */
  stamp?: VisibleStamp;
  /** Default `ETSI.CAdES.detached` (PAdES). */
  subFilter?: SubFilter;
  /** Bytes reserved for the CMS. Default 8192 (a three-certificate chain needs about 4 KB). */
  signatureLength?: number;
  /** Write the CMS signing-time attribute (see CadesSignerOptions). Default true. */
  signingTimeAttribute?: boolean;
  /**
   * Append the signature as an incremental update even when the file has no signature yet, keeping the
   * original bytes (a PDF/A, a file hashed elsewhere). Default: only when the file is already signed.
   */
  incremental?: boolean;
}

const APP_NAME = 'esign-kit sandbox';

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Whether the file holds a completed signature (a filled-in /ByteRange): then it may only be updated incrementally. */
export function hasSignatures(pdf: Uint8Array): boolean {
  if (Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).indexOf('/ByteRange') === -1) return false;
  return /\/ByteRange\s*\[\s*\d+\s+\d+\s+\d+\s+\d+\s*\]/.test(latin1(pdf));
}

/** Signs `pdf` (PAdES B-B) and returns the signed file. */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  const signingTime = options.signingTime ?? new Date();
  const fields = {
    reason: options.reason ?? '',
    location: options.location ?? '',
    contactInfo: options.contactInfo ?? '',
    name: options.signerName ?? options.credentials.commonName,
    signingTime,
    signatureLength: options.signatureLength ?? DEFAULT_SIGNATURE_LENGTH,
    subFilter: options.subFilter ?? SUBFILTER_ETSI_CADES_DETACHED,
    appName: APP_NAME,
  };
  const page = options.stamp?.box.page ?? 1;
  let prepared: Uint8Array;
  if (options.incremental || hasSignatures(pdf)) {
    const { doc, firstNewObject } = await loadForUpdate(pdf);
    const changed = await addSignatureField(doc, { ...fields, page, stamp: options.stamp });
    prepared = writeIncrementalUpdate(pdf, doc, firstNewObject, changed);
  } else {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    if (doc.isEncrypted) throw new Error('Encrypted PDFs cannot be signed by the sandbox.');
    const pdfPage = doc.getPages()[page - 1];
    if (!pdfPage) throw new RangeError(`Page ${page} does not exist (the document has ${doc.getPageCount()} pages).`);
    let widgetRect = [0, 0, 0, 0];
    if (options.stamp) {
      await drawStamp(doc, options.stamp.box, options.stamp.content);
      const { x, y, width, height } = options.stamp.box;
      // The widget covers the stamp so that clicking it in a viewer opens the signature; its appearance stays
      // empty (the pixels are in the page content).
      widgetRect = [x, y, x + width, y + height];
    }
    // @signpdf/placeholder-pdf-lib replaces an indirect /Fields array with an empty one (dropping the existing
    // fields) and always names its field "Signature1": make /Fields direct first, rename the field after.
    const acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
    const existingFields = acroForm?.lookupMaybe(PDFName.of('Fields'), PDFArray);
    if (acroForm && existingFields) acroForm.set(PDFName.of('Fields'), existingFields);
    const fieldName = uniqueSignatureFieldName(doc, existingFields);
    pdflibAddPlaceholder({ pdfDoc: doc, pdfPage, ...fields, widgetRect });
    const added = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('Fields'), PDFArray);
    const widget = doc.context.lookup(added.get(added.size() - 1), PDFDict);
    widget.set(PDFName.of('T'), PDFString.of(fieldName));
    prepared = await doc.save({ useObjectStreams: false });
  }
  const signer = new CadesSigner(options.credentials, { signingTimeAttribute: options.signingTimeAttribute ?? true });
  const signed = await new SignPdf().sign(Buffer.from(prepared.buffer, prepared.byteOffset, prepared.byteLength), signer, signingTime);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}
