import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import { PDFArray, PDFDict, PDFDocument, PDFName, rgb } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { openSandboxCa, type SandboxCa, type SigningCredentials } from '../../src/signing/ca.js';
import { OID } from '../../src/signing/cms.js';
import { hasSignatures, signPdf } from '../../src/signing/pades.js';
import { createTrustedNssDb, extractSignatures, verifyWithPdfsig } from './helpers.js';

async function samplePdf(pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Perjanjian kerja sama, halaman ${i + 1}`, { x: 50, y: 780, size: 14 });
    page.drawRectangle({ x: 50, y: 50, width: 495, height: 700, borderColor: rgb(0.5, 0.5, 0.5), borderWidth: 1 });
  }
  return doc.save();
}

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

describe('PAdES signer: one signature', () => {
  let dir: string;
  let nssDir: string;
  let ca: SandboxCa;
  let budi: SigningCredentials;
  let signedPath: string;
  let signed: Uint8Array;
  const signingTime = new Date();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esign-pades-'));
    ca = await openSandboxCa(join(dir, 'ca'));
    budi = await ca.signer({ name: 'Budi Santoso', email: 'budi@example.id', nik: '3171234567890001' });
    nssDir = await createTrustedNssDb(join(dir, 'nss'), ca.rootCertificatePem);
    signed = await signPdf(await samplePdf(), {
      credentials: budi,
      reason: 'Menyetujui dokumen',
      location: 'Jakarta',
      signingTime,
      stamp: { box: { page: 1, x: 350, y: 80, width: 180, height: 60 }, content: { kind: 'text', lines: ['Budi Santoso', signingTime.toISOString()] } },
    });
    signedPath = join(dir, 'signed.pdf');
    writeFileSync(signedPath, signed);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is valid and covers the whole document (pdfsig)', async () => {
    const { signatures, stdout } = await verifyWithPdfsig(signedPath);
    assert.equal(signatures.length, 1, stdout);
    const [sig] = signatures;
    assert.equal(sig?.validation, 'Signature is Valid.', stdout);
    assert.equal(sig?.total, true, stdout);
    assert.equal(sig?.commonName, 'Budi Santoso');
    assert.equal(sig?.subFilter, 'ETSI.CAdES.detached');
    assert.match(stdout, /Signing Hash Algorithm: SHA-256/);
    assert.equal(sig?.certificate, "Certificate issuer isn't Trusted.", 'untrusted without the sandbox root');
  });

  it('is trusted once the sandbox root is in the NSS db', async () => {
    const { signatures, stdout } = await verifyWithPdfsig(signedPath, nssDir);
    assert.equal(signatures[0]?.validation, 'Signature is Valid.', stdout);
    assert.equal(signatures[0]?.certificate, 'Certificate is Trusted.', stdout);
  });

  it('reports a digest mismatch when a signed byte is flipped', async () => {
    const [range] = extractSignatures(signed);
    assert.ok(range);
    const tampered = new Uint8Array(signed);
    // A byte inside the first signed range, in the page content area rather than the header.
    const at = Math.floor(range.byteRange[1] / 2);
    tampered[at] = (tampered[at] as number) ^ 0x01;
    const path = join(dir, 'tampered.pdf');
    writeFileSync(path, tampered);
    const { signatures, stdout } = await verifyWithPdfsig(path, nssDir);
    assert.equal(signatures[0]?.validation, 'Digest Mismatch.', stdout);
  });

  it('reports appended bytes as not total', async () => {
    const path = join(dir, 'appended.pdf');
    writeFileSync(path, Buffer.concat([signed, Buffer.from('\n% appended\n')]));
    const { signatures, stdout } = await verifyWithPdfsig(path);
    assert.equal(signatures[0]?.validation, 'Signature is Valid.', stdout);
    assert.equal(signatures[0]?.total, false, stdout);
  });

  it('writes a detached SignedData with content-type, message-digest, signing-time and signing-certificate-v2', async () => {
    const [extracted] = extractSignatures(signed);
    assert.ok(extracted);
    const contentInfo = pkijs.ContentInfo.fromBER(extracted.cms);
    assert.equal(contentInfo.contentType, OID.signedData);
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    assert.equal(signedData.encapContentInfo.eContent, undefined, 'detached');
    assert.equal(signedData.certificates?.length, 3, 'signer, intermediate and root');
    const signerInfo = signedData.signerInfos[0];
    assert.ok(signerInfo);
    assert.equal(signerInfo.digestAlgorithm.algorithmId, OID.sha256);
    const attrs = new Map(signerInfo.signedAttrs?.attributes.map((a) => [a.type, a.values]) ?? []);
    assert.deepEqual([...attrs.keys()].sort(), [OID.contentType, OID.messageDigest, OID.signingTime, OID.signingCertificateV2].sort());

    const digest = (attrs.get(OID.messageDigest)?.[0] as asn1js.OctetString).valueBlock.valueHexView;
    assert.deepEqual(Buffer.from(digest), createHash('sha256').update(extracted.signedBytes).digest());
    const time = (attrs.get(OID.signingTime)?.[0] as asn1js.UTCTime).toDate();
    assert.equal(Math.floor(time.getTime() / 1000), Math.floor(signingTime.getTime() / 1000));

    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default SHA-256
    // starts with certHash OCTET STRING, then IssuerSerial.
    const v2 = attrs.get(OID.signingCertificateV2)?.[0] as asn1js.Sequence;
    const certs = v2.valueBlock.value[0] as asn1js.Sequence;
    const essCertId = certs.valueBlock.value[0] as asn1js.Sequence;
    const certHash = essCertId.valueBlock.value[0];
    assert.ok(certHash instanceof asn1js.OctetString, 'hashAlgorithm omitted (DEFAULT id-sha256), certHash first');
    const certDer = pemToDer(budi.certificatePem);
    assert.deepEqual(Buffer.from(certHash.valueBlock.valueHexView), createHash('sha256').update(certDer).digest());
    const issuerSerial = essCertId.valueBlock.value[1] as asn1js.Sequence;
    const serial = issuerSerial.valueBlock.value[1] as asn1js.Integer;
    const signerCert = pkijs.Certificate.fromBER(certDer);
    assert.ok(serial.isEqual(signerCert.serialNumber), 'issuerSerial names the signer certificate');

    // And pkijs itself accepts the signature over the signed byte ranges.
    const ok = await signedData.verify({ signer: 0, data: extracted.signedBytes.slice().buffer, checkChain: false });
    assert.equal(ok, true);
  });

  it('knows a signed file from an unsigned one', async () => {
    assert.equal(hasSignatures(signed), true);
    assert.equal(hasSignatures(await samplePdf()), false);
  });

  it('signs invisibly, with adbe.pkcs7.detached and without the CMS signing-time when asked', async () => {
    const seal = await ca.seal({ organisation: 'PT Contoh Jaya' });
    const out = await signPdf(await samplePdf(2), {
      credentials: seal,
      reason: 'Segel elektronik',
      subFilter: 'adbe.pkcs7.detached',
      signingTimeAttribute: false,
    });
    const path = join(dir, 'invisible.pdf');
    writeFileSync(path, out);
    const { signatures, stdout } = await verifyWithPdfsig(path, nssDir);
    assert.equal(signatures[0]?.validation, 'Signature is Valid.', stdout);
    assert.equal(signatures[0]?.certificate, 'Certificate is Trusted.', stdout);
    assert.equal(signatures[0]?.subFilter, 'adbe.pkcs7.detached');
    assert.equal(signatures[0]?.commonName, 'PT Contoh Jaya');
    const doc = await PDFDocument.load(out);
    assert.equal(doc.getPageCount(), 2);
    const [extracted] = extractSignatures(out);
    assert.ok(extracted);
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(extracted.cms).content });
    const types = signedData.signerInfos[0]?.signedAttrs?.attributes.map((a) => a.type) ?? [];
    assert.ok(!types.includes(OID.signingTime));
    assert.ok(types.includes(OID.signingCertificateV2));
  });

  it('keeps the fields of an indirect /Fields array and picks an unused field name', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    const field = doc.getForm().createTextField('Signature1');
    field.addToPage(doc.getPage(0), { x: 50, y: 700, width: 150, height: 20 });
    const acroForm = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
    acroForm.set(PDFName.of('Fields'), doc.context.register(acroForm.lookup(PDFName.of('Fields'), PDFArray)));
    const out = await signPdf(await doc.save({ useObjectStreams: false }), { credentials: budi });
    const names = (await PDFDocument.load(out))
      .getForm()
      .getFields()
      .map((f) => f.getName());
    assert.deepEqual(names, ['Signature1', 'Signature2']);
    const path = join(dir, 'fields.pdf');
    writeFileSync(path, out);
    const { signatures, stdout } = await verifyWithPdfsig(path);
    assert.equal(signatures[0]?.fieldName, 'Signature2', stdout);
    assert.equal(signatures[0]?.validation, 'Signature is Valid.', stdout);
  });

  it('rejects a stamp on a page that does not exist', async () => {
    await assert.rejects(
      signPdf(await samplePdf(), {
        credentials: budi,
        stamp: { box: { page: 3, x: 0, y: 0, width: 10, height: 10 }, content: { kind: 'text', lines: ['x'] } },
      }),
      RangeError,
    );
  });
});
