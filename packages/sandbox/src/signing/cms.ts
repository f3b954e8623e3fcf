// The CMS inside a PAdES signature, written with pkijs on WebCrypto: detached SignedData, SHA-256, and the
// signed attributes of PAdES B-B (ETSI EN 319 142-1 §6.3, EN 319 122-1 §5.2): content-type, message-digest
// and signing-certificate-v2 (RFC 5035), which binds the signer's certificate to the signature. node-forge's
// PKCS#7 writer cannot add signing-certificate-v2, hence this custom @signpdf Signer.
import { webcrypto } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SigningCredentials } from './ca.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const base64 = pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

export function certificateFromPem(pem: string): pkijs.Certificate {
  return pkijs.Certificate.fromBER(pemToDer(pem));
}

async function sha256(data: Uint8Array<ArrayBuffer> | ArrayBuffer): Promise<ArrayBuffer> {
  return webcrypto.subtle.digest('SHA-256', data);
}

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT id-sha256, certHash OCTET STRING,
 *                            issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 * (RFC 5035 §3). SHA-256 is the default algorithm, so DER leaves hashAlgorithm out.
 */
async function signingCertificateV2(certificate: pkijs.Certificate, certificateDer: Uint8Array<ArrayBuffer>): Promise<asn1js.Sequence> {
  const certHash = await sha256(certificateDer);
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        // GeneralName directoryName [4] is EXPLICIT (a CHOICE containing Name).
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] })],
      }),
      certificate.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

export interface CadesSignerOptions {
  /**
   * Whether to write the CMS signing-time attribute. Default true, as the kit's brief asks. Note: PAdES baseline
   * (ETSI EN 319 142-1) carries the claimed time in the signature dictionary's /M and excludes signing-time from
   * the CMS, so a strict baseline validator (EU DSS) may not rate a signature with it as PAdES-BASELINE-B;
   * poppler accepts either.
   */
  signingTimeAttribute?: boolean;
}

/** A @signpdf Signer writing a detached CAdES (PAdES B-B) SignedData with pkijs + WebCrypto. */
export class CadesSigner extends Signer {
  readonly #credentials: SigningCredentials;
  readonly #signingTimeAttribute: boolean;

  constructor(credentials: SigningCredentials, options: CadesSignerOptions = {}) {
    super();
    this.#credentials = credentials;
    this.#signingTimeAttribute = options.signingTimeAttribute ?? true;
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    return Buffer.from(
      await createCadesSignature(new Uint8Array(pdfBuffer), this.#credentials, {
        signingTime: signingTime ?? new Date(),
        signingTimeAttribute: this.#signingTimeAttribute,
      }),
    );
  }
}

/** The DER of a detached CMS SignedData over `content` (the PDF's byte ranges). */
export async function createCadesSignature(
  content: Uint8Array<ArrayBuffer>,
  credentials: SigningCredentials,
  options: { signingTime: Date; signingTimeAttribute: boolean },
): Promise<Uint8Array> {
  const certificateDer = pemToDer(credentials.certificatePem);
  const certificate = pkijs.Certificate.fromBER(certificateDer);
  const chain = credentials.chainPems.map(certificateFromPem);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pemToDer(credentials.privateKeyPem), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
    'sign',
  ]);

  const attributes: pkijs.Attribute[] = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: await sha256(content) })] }),
  ];
  if (options.signingTimeAttribute) {
    attributes.push(new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: options.signingTime })] }));
  }
  attributes.push(new pkijs.Attribute({ type: OID.signingCertificateV2, values: [await signingCertificateV2(certificate, certificateDer)] }));

  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: [certificate, ...chain],
  });
  await signedData.sign(privateKey, 0, 'SHA-256', undefined, engine);
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}
