// @esign-kit/verify in real Chromium, with nothing but the browser's WebCrypto: a PDF built with pdf-lib and
// signed here (pkijs, a self-signed RSA certificate made on the spot, a detached CAdES SignedData written into
// the /Contents hole), then inspected: valid but untrusted, trusted once its certificate is a trusted root,
// invalid after one flipped byte, 'modified-after-signing' with bytes appended, and typed statuses for bad input.
import { expect } from '@open-wc/testing';
import * as asn1js from 'asn1js';
import { PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { inspectPdf } from '@esign-kit/verify';

const engine = new pkijs.CryptoEngine({ name: 'browser', crypto: globalThis.crypto });
const CONTENTS_BYTES = 8192;
const PLACEHOLDER = '**********';

async function selfSignedCertificate(keys: CryptoKeyPair, commonName: string): Promise<pkijs.Certificate> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ value: 20261124 });
  for (const name of [certificate.subject, certificate.issuer]) {
    name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.6', value: new asn1js.PrintableString({ value: 'ID' }) }));
    name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName }) }));
  }
  certificate.notBefore.value = new Date(Date.now() - 86400000);
  certificate.notAfter.value = new Date(Date.now() + 365 * 86400000);
  // keyUsage: digitalSignature (bit 0) | nonRepudiation (bit 1)
  const keyUsage = new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 });
  certificate.extensions = [new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage.toBER(false), parsedValue: keyUsage })];
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await certificate.sign(keys.privateKey, 'SHA-256', engine);
  return certificate;
}

/** A one-page PDF with an empty signature field: a /ByteRange placeholder and a zeroed /Contents hole. */
async function preparedPdf(signingTime: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Surat keterangan, ditandatangani di peramban', { x: 50, y: 780, size: 14 });
  const placeholder = PDFName.of(PLACEHOLDER);
  const sig = doc.context.register(
    doc.context.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'ETSI.CAdES.detached',
      ByteRange: [PDFNumber.of(0), placeholder, placeholder, placeholder],
      Contents: PDFHexString.of('0'.repeat(CONTENTS_BYTES * 2)),
      M: PDFString.fromDate(signingTime),
      Name: PDFString.of('Petugas Peramban'),
      Reason: PDFString.of('Uji'),
    }),
  );
  const widget = doc.context.register(
    doc.context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: [0, 0, 0, 0], V: sig, T: PDFString.of('TandaTangan1'), F: 4, P: page.ref }),
  );
  page.node.set(PDFName.of('Annots'), doc.context.obj([widget]));
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [widget], SigFlags: 3 }));
  return doc.save({ useObjectStreams: false });
}

function indexOf(bytes: Uint8Array, text: string, from = 0): number {
  const needle = new TextEncoder().encode(text);
  outer: for (let i = from; i <= bytes.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Fills in the byte range, signs the covered bytes (detached CMS, signed attributes) and writes the CMS in the hole. */
async function sign(pdf: Uint8Array, keys: CryptoKeyPair, certificate: pkijs.Certificate, signingTime: Date): Promise<Uint8Array> {
  const out = new Uint8Array(pdf);
  const rangeAt = indexOf(out, '/ByteRange');
  const rangeStart = indexOf(out, '[', rangeAt);
  const rangeEnd = indexOf(out, ']', rangeStart) + 1;
  const holeStart = indexOf(out, '<', indexOf(out, '/Contents', rangeAt));
  const holeEnd = indexOf(out, '>', holeStart) + 1;
  const ranges = [0, holeStart, holeEnd, out.length - holeEnd];
  const text = `[${ranges.join(' ')}]`.padEnd(rangeEnd - rangeStart, ' ');
  expect(text.length).to.equal(rangeEnd - rangeStart);
  out.set(new TextEncoder().encode(text), rangeStart);

  const content = new Uint8Array(holeStart + (out.length - holeEnd));
  content.set(out.subarray(0, holeStart));
  content.set(out.subarray(holeEnd), holeStart);
  const digest = await crypto.subtle.digest('SHA-256', content);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
          ],
        }),
      }),
    ],
    certificates: [certificate],
  });
  await signedData.sign(keys.privateKey, 0, 'SHA-256', undefined, engine);
  const cms = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) }).toSchema().toBER(false);
  const hex = Array.from(new Uint8Array(cms), (b) => b.toString(16).padStart(2, '0')).join('');
  expect(hex.length).to.be.below(CONTENTS_BYTES * 2);
  out.set(new TextEncoder().encode(hex), holeStart + 1);
  return out;
}

describe('@esign-kit/verify in Chromium', () => {
  let signed: Uint8Array;
  let certificateDer: Uint8Array;
  const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);

  before(async () => {
    const keys = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    const certificate = await selfSignedCertificate(keys, 'Petugas Peramban');
    certificateDer = new Uint8Array(certificate.toSchema().toBER(false));
    signed = await sign(await preparedPdf(signingTime), keys, certificate, signingTime);
  });

  it('a PDF signed in the browser is valid but untrusted, with its signer and times', async () => {
    const report = await inspectPdf(signed);
    expect(report.status).to.equal('signed');
    expect(report.signatures).to.have.length(1);
    const [s] = report.signatures;
    expect(s!.fieldName).to.equal('TandaTangan1');
    expect(s!.subFilter).to.equal('ETSI.CAdES.detached');
    expect(s!.coversWholeFile).to.equal(true);
    expect(s!.digest).to.include({ algorithm: 'SHA-256', matches: true });
    expect(s!.signatureValid).to.equal(true);
    expect(s!.signer?.subject.commonName).to.equal('Petugas Peramban');
    expect(s!.signer?.selfSigned).to.equal(true);
    expect(s!.signer?.keyUsage).to.deep.equal(['digitalSignature', 'nonRepudiation']);
    expect(s!.signingTime.cms?.getTime()).to.equal(signingTime.getTime());
    expect(s!.signingTime.dictionary?.getTime()).to.equal(signingTime.getTime());
    expect(s!.trust).to.deep.equal({ status: 'untrusted', reason: 'NO_TRUSTED_ROOTS' });
    expect(s!.verdict).to.equal('valid-untrusted');
  });

  it('trusted once its certificate is a trusted root (DER or PEM)', async () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${btoa(String.fromCharCode(...certificateDer))}\n-----END CERTIFICATE-----\n`;
    for (const root of [certificateDer, pem]) {
      const [s] = (await inspectPdf(signed, { trustedRoots: [root] })).signatures;
      expect(s!.trust).to.deep.equal({ status: 'trusted', reason: 'CHAIN_TO_TRUSTED_ROOT' });
      expect(s!.verdict).to.equal('valid');
    }
  });

  it("one flipped byte in the signed range: digest mismatch, invalid; the caller's bytes are untouched", async () => {
    const tampered = new Uint8Array(signed);
    const at = indexOf(tampered, 'Surat keterangan');
    if (at >= 0)
      tampered[at] = 0x73; // 'S' → 's' (in an uncompressed content stream)
    else tampered[indexOf(tampered, '/Reason') + 9] = 0x21;
    const before = tampered.slice();
    const [s] = (await inspectPdf(tampered)).signatures;
    expect(s!.digest.matches).to.equal(false);
    expect(s!.problems).to.include('DIGEST_MISMATCH');
    expect(s!.verdict).to.equal('invalid');
    expect(tampered).to.deep.equal(before);
  });

  it('bytes appended after signing: not total, modified after signing', async () => {
    const extra = new TextEncoder().encode('\n% ditambahkan nanti\n');
    const appended = new Uint8Array(signed.length + extra.length);
    appended.set(signed);
    appended.set(extra, signed.length);
    const [s] = (await inspectPdf(appended)).signatures;
    expect(s!.coversWholeFile).to.equal(false);
    expect(s!.verdict).to.equal('modified-after-signing');
  });

  it('bad input: typed statuses, no exception', async () => {
    expect((await inspectPdf(new TextEncoder().encode('bukan pdf'))).error?.code).to.equal('NOT_A_PDF');
    expect((await inspectPdf(signed.subarray(0, 2000))).error?.code).to.equal('TRUNCATED');
    const unsigned = await (await PDFDocument.create()).save();
    expect((await inspectPdf(unsigned)).status).to.equal('no-signature');
  });
});
