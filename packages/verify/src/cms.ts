// The CMS SignedData in a signature's /Contents (RFC 5652), read with pkijs on WebCrypto: the signer's
// certificate, its signed attributes (message-digest, signing-time), an RFC 3161 timestamp token in the unsigned
// attributes, and the signature over the signed attributes. The document digest is computed once by the caller
// and compared here with message-digest, so a 50 MB file is hashed once, not again inside pkijs.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
} as const;

/** Short names of the attribute types in a certificate's subject and issuer (RFC 4519, PKCS #9). */
const NAME_TYPES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.5': 'RSA-SHA1',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.113549.1.1.11': 'RSA-SHA256',
  '1.2.840.113549.1.1.12': 'RSA-SHA384',
  '1.2.840.113549.1.1.13': 'RSA-SHA512',
  '1.2.840.10045.2.1': 'ECDSA',
  '1.2.840.10045.4.3.2': 'ECDSA-SHA256',
  '1.2.840.10045.4.3.3': 'ECDSA-SHA384',
  '1.2.840.10045.4.3.4': 'ECDSA-SHA512',
};

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

export interface DistinguishedName {
  /** RFC 4514-like, most specific first: `CN=Budi, O=PT Contoh, C=ID`. */
  text: string;
  commonName?: string;
  organisation?: string;
  /** Every attribute by short name (or OID). */
  attributes: Record<string, string>;
}

export interface CertificateInfo {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Hexadecimal, upper case. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Absent when the certificate has no key usage extension. */
  keyUsage?: KeyUsage[];
  isCa: boolean;
  selfSigned: boolean;
  /** SHA-256 of the DER, hexadecimal. */
  fingerprint: string;
  /** The DER. */
  der: Uint8Array;
}

export function engine(): pkijs.CryptoEngine {
  const crypto = globalThis.crypto;
  if (!crypto?.subtle) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available.');
  return new pkijs.CryptoEngine({ name: 'webcrypto', crypto });
}

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (const c of b) s += c.toString(16).padStart(2, '0');
  return s;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function distinguishedName(name: pkijs.RelativeDistinguishedNames): DistinguishedName {
  const attributes: Record<string, string> = {};
  const parts: string[] = [];
  for (const tv of name.typesAndValues) {
    const key = NAME_TYPES[tv.type] ?? tv.type;
    const value = String((tv.value.valueBlock as { value?: unknown }).value ?? '');
    attributes[key] = attributes[key] ? `${attributes[key]}, ${value}` : value;
    parts.unshift(`${key}=${value}`);
  }
  const dn: DistinguishedName = { text: parts.join(', '), attributes };
  if (attributes.CN !== undefined) dn.commonName = attributes.CN;
  if (attributes.O !== undefined) dn.organisation = attributes.O;
  return dn;
}

function keyUsage(certificate: pkijs.Certificate): KeyUsage[] | undefined {
  const extension = certificate.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!extension) return undefined;
  const bits = extension.parsedValue;
  if (!(bits instanceof asn1js.BitString)) return undefined;
  const view = bits.valueBlock.valueHexView;
  const usages: KeyUsage[] = [];
  KEY_USAGE_BITS.forEach((usage, i) => {
    if (((view[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) usages.push(usage);
  });
  return usages;
}

function isCa(certificate: pkijs.Certificate): boolean {
  const extension = certificate.extensions?.find((e) => e.extnID === OID.basicConstraints);
  return extension?.parsedValue instanceof pkijs.BasicConstraints ? extension.parsedValue.cA === true : false;
}

const DER = new WeakMap<pkijs.Certificate, Uint8Array<ArrayBuffer>>();
const INFO = new WeakMap<pkijs.Certificate, Promise<CertificateInfo>>();

/** The DER of a certificate, encoded once (pkijs re-encodes on every toSchema()). */
function derOf(certificate: pkijs.Certificate): Uint8Array<ArrayBuffer> {
  let der = DER.get(certificate);
  if (!der) {
    der = new Uint8Array(certificate.toSchema().toBER(false));
    DER.set(certificate, der);
  }
  return der;
}

export function certificateInfo(certificate: pkijs.Certificate): Promise<CertificateInfo> {
  let info = INFO.get(certificate);
  if (!info) {
    info = readCertificateInfo(certificate);
    INFO.set(certificate, info);
  }
  return info;
}

async function readCertificateInfo(certificate: pkijs.Certificate): Promise<CertificateInfo> {
  const der = derOf(certificate);
  const info: CertificateInfo = {
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    serialNumber: hex(certificate.serialNumber.valueBlock.valueHexView).toUpperCase(),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    isCa: isCa(certificate),
    selfSigned: certificate.subject.isEqual(certificate.issuer),
    fingerprint: hex(await globalThis.crypto.subtle.digest('SHA-256', der)),
    der,
  };
  const usage = keyUsage(certificate);
  if (usage) info.keyUsage = usage;
  return info;
}

/** The length of the DER element at the start of `bytes` (the /Contents hole is padded with zeros). */
export function derLength(bytes: Uint8Array): number {
  if (bytes.length < 2) return -1;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || bytes.length < 2 + count) return -1; // indefinite lengths: let asn1js find the end
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i]!;
  return 2 + count + length;
}

export type CmsProblem =
  | 'CMS_UNPARSABLE'
  | 'CMS_NOT_SIGNED_DATA'
  | 'CMS_NO_SIGNER'
  | 'SIGNER_CERTIFICATE_MISSING'
  | 'UNSUPPORTED_DIGEST_ALGORITHM'
  | 'MESSAGE_DIGEST_MISSING';

export interface ParsedCms {
  signedData: pkijs.SignedData;
  signerInfo: pkijs.SignerInfo;
  certificates: pkijs.Certificate[];
  signer: pkijs.Certificate | undefined;
  /** WebCrypto name, e.g. `SHA-256`. */
  digestAlgorithm: string | undefined;
  digestAlgorithmOid: string;
  signatureAlgorithm: string;
  messageDigest: Uint8Array | undefined;
  signingTime: Date | undefined;
}

export class CmsError extends Error {
  constructor(
    readonly code: CmsProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CmsError';
  }
}

function attribute(attributes: pkijs.Attribute[] | undefined, type: string): asn1js.AsnType | undefined {
  return attributes?.find((a) => a.type === type)?.values[0];
}

function parseSignedData(der: Uint8Array): pkijs.SignedData {
  const length = derLength(der);
  const trimmed = length > 0 && length <= der.length ? der.subarray(0, length) : der;
  const asn1 = asn1js.fromBER(trimmed as Uint8Array<ArrayBuffer>);
  if (asn1.offset === -1) throw new CmsError('CMS_UNPARSABLE', `The signature is not DER: ${asn1.result.error}`);
  let contentInfo: pkijs.ContentInfo;
  try {
    contentInfo = new pkijs.ContentInfo({ schema: asn1.result });
  } catch (err) {
    throw new CmsError('CMS_UNPARSABLE', `The signature is not a CMS ContentInfo: ${(err as Error).message}`);
  }
  if (contentInfo.contentType !== OID.signedData) throw new CmsError('CMS_NOT_SIGNED_DATA', 'The CMS is not SignedData.');
  let signedData: pkijs.SignedData;
  try {
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (err) {
    throw new CmsError('CMS_UNPARSABLE', `The SignedData is malformed: ${(err as Error).message}`);
  }
  // Keep each certificate's DER as it came (certificates [0] IMPLICIT SET OF), rather than re-encoding it.
  const fields = (contentInfo.content as asn1js.Sequence).valueBlock?.value ?? [];
  const set = fields.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  set?.valueBlock.value.forEach((block, i) => {
    const certificate = signedData.certificates?.[i];
    if (certificate instanceof pkijs.Certificate) DER.set(certificate, new Uint8Array(block.valueBeforeDecodeView));
  });
  return signedData;
}

function findSigner(signerInfo: pkijs.SignerInfo, certificates: pkijs.Certificate[]): pkijs.Certificate | undefined {
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  // subjectKeyIdentifier [0]
  const keyId = (sid as { valueBlock?: { valueHexView?: Uint8Array } }).valueBlock?.valueHexView;
  if (!keyId) return undefined;
  return certificates.find((c) => {
    const ski = c.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue;
    return ski instanceof asn1js.OctetString && equalBytes(ski.valueBlock.valueHexView, keyId);
  });
}

/** Parses the DER (zero padding allowed) of a PDF signature's /Contents. */
export function parseCms(der: Uint8Array): ParsedCms {
  const signedData = parseSignedData(der);
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new CmsError('CMS_NO_SIGNER', 'The SignedData has no SignerInfo.');
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const digestAlgorithmOid = signerInfo.digestAlgorithm.algorithmId;
  const signatureOid = signerInfo.signatureAlgorithm.algorithmId;
  const md = attribute(signerInfo.signedAttrs?.attributes, OID.messageDigest);
  const time = attribute(signerInfo.signedAttrs?.attributes, OID.signingTime);
  return {
    signedData,
    signerInfo,
    certificates,
    signer: findSigner(signerInfo, certificates),
    digestAlgorithm: HASHES[digestAlgorithmOid],
    digestAlgorithmOid,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[signatureOid] ?? signatureOid,
    messageDigest: md instanceof asn1js.OctetString ? new Uint8Array(md.valueBlock.valueHexView) : undefined,
    signingTime: time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined,
  };
}

/**
 * Checks the signature value: over the DER SET OF the signed attributes when there are any (RFC 5652 §5.4),
 * else over the signed bytes themselves (`content`, only then needed).
 */
export async function verifySignatureValue(cms: ParsedCms, content: () => Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (!cms.signer || !cms.digestAlgorithm) return false;
  const crypto = engine();
  const si = cms.signerInfo;
  const data = si.signedAttrs ? new Uint8Array(si.signedAttrs.encodedValue) : content();
  try {
    // rsaEncryption as the signature algorithm names no hash: the digest algorithm gives it.
    return si.signatureAlgorithm.algorithmId === '1.2.840.113549.1.1.1'
      ? await crypto.verifyWithPublicKey(data, si.signature, cms.signer.subjectPublicKeyInfo, si.signatureAlgorithm, cms.digestAlgorithm)
      : await crypto.verifyWithPublicKey(data, si.signature, cms.signer.subjectPublicKeyInfo, si.signatureAlgorithm);
  } catch {
    return false;
  }
}

export interface TimestampInfo {
  /** The TSA's name from TSTInfo, else the token signer's subject. */
  tsa: string | undefined;
  time: Date;
  /** Whether the token's message imprint is the hash of this signature's value (RFC 3161 §2.4.2, ETSI signature-time-stamp). */
  imprintMatches: boolean;
  /** Whether the token's own CMS signature verifies. */
  signatureValid: boolean;
  certificate?: CertificateInfo;
}

/** The RFC 3161 signature timestamp in the unsigned attributes, if any. */
export async function timestampToken(cms: ParsedCms): Promise<TimestampInfo | undefined> {
  const token = attribute(cms.signerInfo.unsignedAttrs?.attributes, OID.timeStampToken);
  if (!token) return undefined;
  const signedData = parseSignedData(new Uint8Array(token.toBER(false)));
  const eContent = signedData.encapContentInfo.eContent;
  if (signedData.encapContentInfo.eContentType !== OID.tstInfo || !eContent) return undefined;
  const tstInfo = pkijs.TSTInfo.fromBER(eContent.getValue());
  const tokenCms: ParsedCms = { ...parseCms(new Uint8Array(token.toBER(false))) };
  const imprintHash = HASHES[tstInfo.messageImprint.hashAlgorithm.algorithmId];
  let imprintMatches = false;
  if (imprintHash) {
    const digest = await globalThis.crypto.subtle.digest(imprintHash, cms.signerInfo.signature.valueBlock.valueHexView as Uint8Array<ArrayBuffer>);
    imprintMatches = equalBytes(new Uint8Array(digest), tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
  }
  let signatureValid = false;
  if (tokenCms.messageDigest && tokenCms.digestAlgorithm) {
    const digest = await globalThis.crypto.subtle.digest(tokenCms.digestAlgorithm, eContent.getValue());
    signatureValid =
      equalBytes(new Uint8Array(digest), tokenCms.messageDigest) &&
      (await verifySignatureValue(tokenCms, () => new Uint8Array(eContent.getValue())));
  }
  let tsa: string | undefined;
  const name = tstInfo.tsa;
  if (name && name.type === 4 && name.value instanceof pkijs.RelativeDistinguishedNames) tsa = distinguishedName(name.value).text;
  else if (name && typeof name.value === 'string') tsa = name.value;
  const info: TimestampInfo = { tsa, time: tstInfo.genTime, imprintMatches, signatureValid };
  if (tokenCms.signer) {
    info.certificate = await certificateInfo(tokenCms.signer);
    info.tsa ??= info.certificate.subject.text;
  }
  return info;
}

export type TrustStatus = 'trusted' | 'untrusted' | 'invalid';
export type TrustReason =
  | 'CHAIN_TO_TRUSTED_ROOT'
  | 'NO_TRUSTED_ROOTS'
  | 'ROOT_NOT_TRUSTED'
  | 'CHAIN_INCOMPLETE'
  | 'CHAIN_SIGNATURE_INVALID'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'KEY_USAGE_NOT_SIGNING'
  | 'SIGNER_CERTIFICATE_MISSING'
  /** No certificate could be read (the signature dictionary or its CMS is unreadable). */
  | 'NOT_CHECKED';

export interface TrustResult {
  status: TrustStatus;
  reason: TrustReason;
  /** From the signer up: the certificates the chain was built from (the included ones, then a trusted root). */
  path: pkijs.Certificate[];
}

function sameCertificate(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return a === b || equalBytes(derOf(a), derOf(b));
}

/**
 * Builds the path from the signer to a root out of the certificates included in the CMS and the trusted roots,
 * checking each certificate's signature with its issuer's key and each validity period at `at`.
 * 'invalid' means something is wrong (a bad signature in the chain, an expired certificate, a certificate not
 * meant for signing); 'untrusted' that everything checks but the chain ends at a root the caller does not trust.
 */
export async function evaluateTrust(
  signer: pkijs.Certificate | undefined,
  included: pkijs.Certificate[],
  trustedRoots: pkijs.Certificate[],
  at: Date,
): Promise<TrustResult> {
  if (!signer) return { status: 'invalid', reason: 'SIGNER_CERTIFICATE_MISSING', path: [] };
  const crypto = engine();
  const path = [signer];
  const usage = keyUsage(signer);
  if (usage && !usage.includes('digitalSignature') && !usage.includes('nonRepudiation')) {
    return { status: 'invalid', reason: 'KEY_USAGE_NOT_SIGNING', path };
  }
  let current = signer;
  for (let depth = 0; depth < 10; depth++) {
    if (at < current.notBefore.value) return { status: 'invalid', reason: 'CERTIFICATE_NOT_YET_VALID', path };
    if (at > current.notAfter.value) return { status: 'invalid', reason: 'CERTIFICATE_EXPIRED', path };
    if (trustedRoots.some((root) => sameCertificate(root, current))) return { status: 'trusted', reason: 'CHAIN_TO_TRUSTED_ROOT', path };
    const selfIssued = current.subject.isEqual(current.issuer);
    const candidates = [...trustedRoots, ...included].filter((c) => c.subject.isEqual(current.issuer) && !(selfIssued && c === current));
    let issuer: pkijs.Certificate | undefined;
    let badSignature = false;
    for (const candidate of candidates) {
      if (await current.verify(candidate, crypto).catch(() => false)) {
        issuer = candidate;
        break;
      }
      badSignature = true;
    }
    if (selfIssued && !issuer) {
      const ok = await current.verify(undefined, crypto).catch(() => false);
      if (!ok) return { status: 'invalid', reason: 'CHAIN_SIGNATURE_INVALID', path };
      return { status: 'untrusted', reason: trustedRoots.length ? 'ROOT_NOT_TRUSTED' : 'NO_TRUSTED_ROOTS', path };
    }
    if (!issuer) {
      if (badSignature) return { status: 'invalid', reason: 'CHAIN_SIGNATURE_INVALID', path };
      return { status: 'untrusted', reason: trustedRoots.length ? 'CHAIN_INCOMPLETE' : 'NO_TRUSTED_ROOTS', path };
    }
    if (trustedRoots.includes(issuer)) {
      if (at < issuer.notBefore.value) return { status: 'invalid', reason: 'CERTIFICATE_NOT_YET_VALID', path: [...path, issuer] };
      if (at > issuer.notAfter.value) return { status: 'invalid', reason: 'CERTIFICATE_EXPIRED', path: [...path, issuer] };
      return { status: 'trusted', reason: 'CHAIN_TO_TRUSTED_ROOT', path: [...path, issuer] };
    }
    if (path.includes(issuer)) break;
    path.push(issuer);
    current = issuer;
  }
  return { status: 'untrusted', reason: 'CHAIN_INCOMPLETE', path };
}

/** Reads certificates given as DER bytes or PEM text (one or several PEM blocks). */
export function readCertificates(inputs: readonly (Uint8Array | string)[]): pkijs.Certificate[] {
  const out: pkijs.Certificate[] = [];
  for (const input of inputs) {
    if (typeof input === 'string') {
      const blocks = input.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
      for (const block of blocks) {
        const b64 = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
        const bin = atob(b64);
        const der = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) der[i] = bin.charCodeAt(i);
        const certificate = pkijs.Certificate.fromBER(der);
        DER.set(certificate, der);
        out.push(certificate);
      }
    } else {
      const der = new Uint8Array(input);
      const certificate = pkijs.Certificate.fromBER(der);
      DER.set(certificate, der);
      out.push(certificate);
    }
  }
  return out;
}
