// The CMS SignedData in a signature's /Contents (RFC 5652), read with pkijs: the signer's certificate, its signed
// attributes (message-digest, signing-time, Adobe's revocation archive), an RFC 3161 timestamp token in the
// unsigned attributes, and the signature over the signed attributes. The document digest is computed once by the
// caller and compared here with message-digest, so a 50 MB file is hashed once, not again inside pkijs. Every
// signature check is three-valued (algorithms.ts): an algorithm this platform cannot check is never "invalid".
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  digest,
  digestOf,
  isDigestSupported,
  signatureAlgorithmName,
  verifySignature,
  type CheckResult,
  type DigestName,
  type SignatureCheck,
} from './algorithms.js';
import { bytesOf, childrenOf, derLength, isWellFormed, oidOf, parseDer, parseDerOrThrow, readPki, readTlv, type Tlv } from './der.js';
import { Memo, keyOf } from './memo.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  /** Adobe's adbe-revocationInfoArchival signed attribute (PDF 32000-1 §12.8.3.3.2). */
  revocationInfoArchival: '1.2.840.113583.1.1.8',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
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

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (const c of b) s += c.toString(16).padStart(2, '0');
  return s;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function distinguishedName(name: pkijs.RelativeDistinguishedNames): DistinguishedName {
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

export function keyUsage(certificate: pkijs.Certificate): KeyUsage[] | undefined {
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

/**
 * pkijs's name comparison (RelativeDistinguishedNames.isEqual: types in order, strings trimmed, case folded and
 * compared with localeCompare), answered from the DER first: names encoded alike are equal, and the collator
 * (whose first use in a process costs tens of milliseconds, and every use microseconds) is asked only otherwise.
 */
export function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  if (a === b) return true;
  const x = a.valueBeforeDecode;
  const y = b.valueBeforeDecode;
  if (x.byteLength > 0 && x.byteLength === y.byteLength && equalBytes(new Uint8Array(x), new Uint8Array(y))) return true;
  return a.isEqual(b);
}

const DER = new WeakMap<pkijs.Certificate, Uint8Array<ArrayBuffer>>();
const INFO = new WeakMap<pkijs.Certificate, Promise<CertificateInfo>>();

/** The DER of a certificate, as read (pkijs re-encodes on every toSchema()). */
export function derOf(certificate: pkijs.Certificate): Uint8Array<ArrayBuffer> {
  let der = DER.get(certificate);
  if (!der) {
    der = new Uint8Array(certificate.toSchema().toBER(false));
    DER.set(certificate, der);
  }
  return der;
}

const CERTIFICATES = new Memo<pkijs.Certificate>(512);

/**
 * A Name (RFC 5280 §4.1.2.4: SEQUENCE OF SET OF AttributeTypeAndValue) read by its layout, as pkijs's
 * RelativeDistinguishedNames holds it (every set's attributes in order, the DER kept) without its schema built
 * and matched per attribute; asn1js reads each value. Undefined when the layout is not that.
 */
export function readName(der: Uint8Array, tlv: Tlv): pkijs.RelativeDistinguishedNames | undefined {
  if (tlv.tag !== 0x30) return undefined;
  const sets = childrenOf(der, tlv, 256);
  if (!sets) return undefined;
  const typesAndValues: pkijs.AttributeTypeAndValue[] = [];
  for (const set of sets) {
    const items = set.tag === 0x31 ? childrenOf(der, set, 64) : undefined;
    if (!items) return undefined;
    for (const item of items) {
      const pair = item.tag === 0x30 ? childrenOf(der, item, 2) : undefined;
      const type = pair?.length === 2 ? oidOf(der, pair[0]) : undefined;
      if (type === undefined) return undefined;
      // Any value, as pkijs keeps it (its schema matches ANY here too).
      typesAndValues.push(new pkijs.AttributeTypeAndValue({ type, value: nodeAt(der, pair![1]!) as pkijs.AttributeValueType }));
    }
  }
  return new pkijs.RelativeDistinguishedNames({ typesAndValues, valueBeforeDecode: der.slice(tlv.start, tlv.end).buffer });
}

/**
 * A certificate (RFC 5280 §4.1) read by its layout: pkijs reads each field of the TBSCertificate apart, as its
 * Certificate schema would, without building and matching that schema (most of a certificate's parse).
 * Extensions keep their value as bytes (pkijs parses a value when it is asked for). Undefined when the layout
 * is not the usual one (unique identifiers, BER): pkijs then reads it whole.
 */
function readCertificateLayout(der: Uint8Array<ArrayBuffer>): pkijs.Certificate | undefined {
  const outer = readTlv(der, 0);
  if (!outer || outer.tag !== 0x30 || outer.end !== der.length) return undefined;
  const top = childrenOf(der, outer, 3);
  if (!top || top.length !== 3) return undefined;
  const [tbs, signatureAlgorithm, signatureValue] = top as [Tlv, Tlv, Tlv];
  if (tbs.tag !== 0x30 || tbs.contentEnd !== tbs.end || signatureAlgorithm.tag !== 0x30 || signatureValue.tag !== 0x03) return undefined;
  const f = childrenOf(der, tbs, 10);
  if (!f) return undefined;
  let i = 0;
  const version = f[i]?.tag === 0xa0 ? f[i++] : undefined;
  const [serial, signature, issuer, validity, subject, spki] = f.slice(i, i + 6);
  i += 6;
  const extensions = f[i]?.tag === 0xa3 ? f[i++] : undefined;
  if (i !== f.length || serial?.tag !== 0x02 || [signature, issuer, validity, subject, spki].some((t) => t?.tag !== 0x30)) return undefined;
  const times = childrenOf(der, validity!, 2);
  if (!times || times.length !== 2) return undefined;
  try {
    const serialNumber = nodeAt(der, serial);
    const value = nodeAt(der, signatureValue);
    if (!(serialNumber instanceof asn1js.Integer) || !(value instanceof asn1js.BitString)) return undefined;
    const params: ConstructorParameters<typeof pkijs.Certificate>[0] = {
      tbs: der.slice(tbs.start, tbs.end).buffer,
      serialNumber,
      signature: new pkijs.AlgorithmIdentifier({ schema: nodeAt(der, signature!) }),
      issuer: readName(der, issuer!) ?? new pkijs.RelativeDistinguishedNames({ schema: nodeAt(der, issuer!) }),
      notBefore: new pkijs.Time({ schema: nodeAt(der, times[0]!) }),
      notAfter: new pkijs.Time({ schema: nodeAt(der, times[1]!) }),
      subject: readName(der, subject!) ?? new pkijs.RelativeDistinguishedNames({ schema: nodeAt(der, subject!) }),
      subjectPublicKeyInfo: new pkijs.PublicKeyInfo({ schema: nodeAt(der, spki!) }),
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({ schema: nodeAt(der, signatureAlgorithm) }),
      signatureValue: value,
    };
    if (version) {
      const inner = childrenOf(der, version, 1);
      const v = inner?.[0] && nodeAt(der, inner[0]);
      if (!(v instanceof asn1js.Integer)) return undefined;
      params.version = v.valueBlock.valueDec;
    }
    if (extensions) {
      // [3] EXPLICIT Extensions ::= SEQUENCE OF Extension { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
      const inner = childrenOf(der, extensions, 1);
      const list = inner?.[0]?.tag === 0x30 ? childrenOf(der, inner[0], 1024) : undefined;
      if (!list) return undefined;
      const out: pkijs.Extension[] = [];
      for (const e of list) {
        const parts = e.tag === 0x30 ? childrenOf(der, e, 3) : undefined;
        if (!parts || parts.length < 2) return undefined;
        const extnID = oidOf(der, parts[0]);
        const flag = parts.length === 3 ? parts[1]! : undefined;
        const octets = parts.at(-1)!;
        if (extnID === undefined || octets.tag !== 0x04 || (flag && (flag.tag !== 0x01 || flag.end - flag.contentStart !== 1))) return undefined;
        out.push(
          new pkijs.Extension({
            extnID,
            critical: !!flag && der[flag.contentStart] !== 0,
            extnValue: der.slice(octets.contentStart, octets.end).buffer,
          }),
        );
      }
      params.extensions = out;
    }
    return new pkijs.Certificate(params);
  } catch {
    return undefined; // a field pkijs refuses: the whole parse says why
  }
}

/** Reads one certificate from DER (limits of der.ts), remembering its bytes; the same DER gives the same object. */
export function readCertificate(der: Uint8Array): pkijs.Certificate {
  return CERTIFICATES.get(der, () => {
    const bytes = new Uint8Array(der) as Uint8Array<ArrayBuffer>;
    const certificate = readCertificateLayout(bytes) ?? readPki(bytes, pkijs.Certificate);
    DER.set(certificate, bytes);
    return certificate;
  });
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
    selfSigned: sameName(certificate.subject, certificate.issuer),
    fingerprint: hex(await digest('SHA-256', der)),
    der,
  };
  const usage = keyUsage(certificate);
  if (usage) info.keyUsage = usage;
  return info;
}

export { derLength };

export type CmsProblem =
  'CMS_UNPARSABLE' | 'CMS_NOT_SIGNED_DATA' | 'CMS_NO_SIGNER' | 'SIGNER_CERTIFICATE_MISSING' | 'UNSUPPORTED_DIGEST_ALGORITHM' | 'MESSAGE_DIGEST_MISSING';

export interface ParsedCms {
  signedData: pkijs.SignedData;
  signerInfo: pkijs.SignerInfo;
  certificates: pkijs.Certificate[];
  signer: pkijs.Certificate | undefined;
  /** The digest algorithm, when known (a signature algorithm OID given in its place names its hash). */
  digestAlgorithm: DigestName | undefined;
  digestAlgorithmOid: string;
  /** The signature algorithm as named (`RSA-SHA256`, `Ed25519`…; the OID when unknown). */
  signatureAlgorithm: string;
  messageDigest: Uint8Array | undefined;
  signingTime: Date | undefined;
  /** The encapsulated content type (id-data for PDF signatures, id-ct-TSTInfo for timestamp tokens). */
  contentType: string;
  /** The encapsulated content, when present (a detached signature has none). */
  content: Uint8Array | undefined;
  /** The DER of the revocation data the SignedData carries itself (RevocationInfoChoices, RFC 5652 §10.2.1):
   * CRLs, and OCSP responses given as id-ri-ocsp-response (RFC 5940 §4.1). */
  revocationInfo: { crls: Uint8Array[]; ocsps: Uint8Array[] };
  /** The DER of Adobe's adbe-revocationInfoArchival signed attribute value, when present. */
  revocationArchival: Uint8Array | undefined;
  /** The DER of the signature timestamp token (the unsigned signature-time-stamp attribute), when present. */
  timestampToken: Uint8Array | undefined;
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

export function attribute(attributes: pkijs.Attribute[] | undefined, type: string): asn1js.AsnType | undefined {
  return attributes?.find((a) => a.type === type)?.values[0];
}

function contentOf(info: pkijs.EncapsulatedContentInfo): Uint8Array | undefined {
  const e = info.eContent;
  if (!e) return undefined;
  // A constructed OCTET STRING (BER) is the concatenation of its parts; pkijs' getValue() joins them.
  return new Uint8Array(e.getValue());
}

/** What parseSignedData reads: the SignedData, and the DER of what is read later only when needed. */
interface SignedDataParts {
  signedData: pkijs.SignedData;
  revocationInfo: ParsedCms['revocationInfo'];
  revocationArchival: Uint8Array | undefined;
  timestampToken: Uint8Array | undefined;
}

const ID_RI_OCSP_RESPONSE = '1.3.6.1.5.5.7.16.2';

function parseSignedData(der: Uint8Array): SignedDataParts {
  const length = derLength(der);
  const trimmed = length > 0 && length <= der.length ? der.subarray(0, length) : der;
  return readSignedDataLayout(trimmed) ?? readSignedDataWhole(trimmed);
}

/** asn1js's parse of one element (limits of der.ts), or a throw. */
const nodeAt = (bytes: Uint8Array, tlv: Tlv): asn1js.AsnType => parseDerOrThrow(bytesOf(bytes, tlv));

/**
 * SignedData (RFC 5652 §5.1) read by its layout: asn1js parses only the small fields pkijs needs, each certificate
 * goes through readCertificate's memo as its own DER, and the revocation data and the timestamp token stay DER
 * until they are used (an Acrobat signature's archived CRL can be tens of thousands of nodes). The same pkijs
 * classes check each field as the whole parse would. Undefined when the layout is not plain DER as expected
 * (BER indefinite lengths, an unexpected field): the whole parse then decides.
 */
function readSignedDataLayout(der: Uint8Array): SignedDataParts | undefined {
  const contentInfo = readTlv(der, 0);
  if (!contentInfo || contentInfo.tag !== 0x30) return undefined; // what follows it is ignored, as asn1js does (padding)
  const info = childrenOf(der, contentInfo);
  if (!info || info.length !== 2 || info[1]!.tag !== 0xa0) return undefined;
  if (oidOf(der, info[0]) !== OID.signedData) return undefined; // the whole parse names the problem
  const wrapped = childrenOf(der, info[1]!);
  if (!wrapped || wrapped.length !== 1 || wrapped[0]!.tag !== 0x30) return undefined;
  const fields = childrenOf(der, wrapped[0]!);
  if (!fields || fields.length < 4) return undefined;
  const [version, digestAlgorithms, encap] = fields as [Tlv, Tlv, Tlv];
  const signerInfos = fields.at(-1)!;
  const optional = fields.slice(3, -1);
  const certificateSet = optional.find((f) => f.tag === 0xa0);
  const crlSet = optional.find((f) => f.tag === 0xa1);
  if (version.tag !== 0x02 || digestAlgorithms.tag !== 0x31 || encap.tag !== 0x30 || signerInfos.tag !== 0x31) return undefined;
  if (optional.length !== (certificateSet ? 1 : 0) + (crlSet ? 1 : 0) || (certificateSet && crlSet && certificateSet.start > crlSet.start)) return undefined;
  try {
    const versionNode = nodeAt(der, version);
    if (!(versionNode instanceof asn1js.Integer)) return undefined;
    const algorithms = childrenOf(der, digestAlgorithms, 64);
    const infos = childrenOf(der, signerInfos, 64);
    if (!algorithms || !infos) return undefined;
    const parts: SignedDataParts = {
      signedData: undefined!,
      revocationInfo: { crls: [], ocsps: [] },
      revocationArchival: undefined,
      timestampToken: undefined,
    };
    const signers: pkijs.SignerInfo[] = [];
    for (const [i, tlv] of infos.entries()) {
      const signer = readSignerInfoLayout(der, tlv, i === 0 ? parts : undefined);
      if (!signer) return undefined;
      signers.push(signer);
    }
    const certificates: pkijs.Certificate[] = [];
    if (certificateSet) {
      const items = childrenOf(der, certificateSet);
      if (!items) return undefined;
      for (const item of items) {
        // CertificateChoices: a plain Certificate is a SEQUENCE; other formats ([0]–[3]) are not used here.
        if (item.tag !== 0x30) continue;
        try {
          certificates.push(readCertificate(bytesOf(der, item)));
        } catch (err) {
          throw new CmsError('CMS_UNPARSABLE', `A certificate in the SignedData is malformed: ${(err as Error).message}`);
        }
      }
    }
    if (crlSet) {
      const items = childrenOf(der, crlSet);
      if (!items) return undefined;
      for (const item of items) {
        if (item.tag === 0x30) parts.revocationInfo.crls.push(bytesOf(der, item));
        else if (item.tag === 0xa1) {
          // OtherRevocationInfoFormat { otherRevInfoFormat OID, otherRevInfo ANY }, [1] IMPLICIT
          const other = childrenOf(der, item);
          if (!other || other.length !== 2) return undefined;
          if (oidOf(der, other[0]) === ID_RI_OCSP_RESPONSE) parts.revocationInfo.ocsps.push(bytesOf(der, other[1]!));
        } else return undefined;
      }
    }
    const signedData = new pkijs.SignedData({
      version: versionNode.valueBlock.valueDec,
      digestAlgorithms: algorithms.map((a) => new pkijs.AlgorithmIdentifier({ schema: nodeAt(der, a) })),
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ schema: nodeAt(der, encap) }),
      signerInfos: signers,
    });
    if (certificateSet) signedData.certificates = certificates;
    parts.signedData = signedData;
    return parts;
  } catch (err) {
    if (err instanceof CmsError) throw err;
    return undefined; // a field pkijs refuses: the whole parse says which
  }
}

/**
 * SignerInfo (RFC 5652 §5.3) by its layout; the signed attributes keep their DER (the signature is over it), the
 * revocation archive and the timestamp token are left as DER in `parts` (the first SignerInfo's only).
 */
function readSignerInfoLayout(der: Uint8Array, tlv: Tlv, parts: SignedDataParts | undefined): pkijs.SignerInfo | undefined {
  if (tlv.tag !== 0x30) return undefined;
  const f = childrenOf(der, tlv, 7);
  if (!f || f.length < 5) return undefined;
  const [version, sid, digestAlgorithm] = f as [Tlv, Tlv, Tlv];
  let i = 3;
  const signedAttrs = f[i]!.tag === 0xa0 ? f[i++] : undefined;
  const signatureAlgorithm = f[i++];
  const signature = f[i++];
  const unsignedAttrs = f[i]?.tag === 0xa1 ? f[i++] : undefined;
  if (i !== f.length || version.tag !== 0x02 || (sid.tag !== 0x30 && sid.tag !== 0x80) || digestAlgorithm.tag !== 0x30) return undefined;
  if (signatureAlgorithm?.tag !== 0x30 || signature?.tag !== 0x04) return undefined;
  const versionNode = nodeAt(der, version);
  const signatureNode = nodeAt(der, signature);
  if (!(versionNode instanceof asn1js.Integer) || !(signatureNode instanceof asn1js.OctetString)) return undefined;
  const params: ConstructorParameters<typeof pkijs.SignerInfo>[0] = {
    version: versionNode.valueBlock.valueDec,
    sid: sid.tag === 0x30 ? (readIssuerAndSerial(der, sid) ?? new pkijs.IssuerAndSerialNumber({ schema: nodeAt(der, sid) })) : nodeAt(der, sid),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ schema: nodeAt(der, digestAlgorithm) }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ schema: nodeAt(der, signatureAlgorithm) }),
    signature: signatureNode,
  };
  if (signedAttrs) {
    const attrs = readAttributesLayout(der, signedAttrs, 0, parts && { [OID.revocationInfoArchival]: (v) => (parts.revocationArchival = v) });
    if (!attrs) return undefined;
    params.signedAttrs = attrs;
  }
  if (unsignedAttrs) {
    const attrs = readAttributesLayout(der, unsignedAttrs, 1, parts && { [OID.timeStampToken]: (v) => (parts.timestampToken = v) });
    if (!attrs) return undefined;
    params.unsignedAttrs = attrs;
  }
  return new pkijs.SignerInfo(params);
}

/** The attributes whose values are read here (attribute()); any other is listed by its type, its values unread. */
const READ_ATTRIBUTES = new Set<string>([OID.contentType, OID.messageDigest, OID.signingTime]);

/** IssuerAndSerialNumber (RFC 5652 §10.2.4) by its layout: the issuer by readName, the serial by asn1js. */
function readIssuerAndSerial(der: Uint8Array, tlv: Tlv): pkijs.IssuerAndSerialNumber | undefined {
  const f = childrenOf(der, tlv, 2);
  if (!f || f.length !== 2 || f[1]!.tag !== 0x02) return undefined;
  const issuer = readName(der, f[0]!);
  const serialNumber = nodeAt(der, f[1]!);
  if (!issuer || !(serialNumber instanceof asn1js.Integer)) return undefined;
  return new pkijs.IssuerAndSerialNumber({ issuer, serialNumber });
}

/**
 * SignedAttributes / UnsignedAttributes (RFC 5652 §5.3): the attributes of READ_ATTRIBUTES parsed by pkijs; those
 * in `kept` hand their first value over as DER; any other is only checked to be well-formed DER (ESS
 * signing-certificate, algorithm protection… are covered by the signature, not read). Each stays listed by its
 * type. encodedValue is the DER with the SET OF tag, as pkijs makes it (the signature is over it, §5.4).
 */
function readAttributesLayout(
  der: Uint8Array,
  tlv: Tlv,
  type: 0 | 1,
  kept: Record<string, (value: Uint8Array) => void> | undefined,
): pkijs.SignedAndUnsignedAttributes | undefined {
  const items = childrenOf(der, tlv, 256);
  if (!items || (type === 0 && items.length === 0)) return undefined;
  const attributes: pkijs.Attribute[] = [];
  for (const item of items) {
    if (item.tag !== 0x30) return undefined;
    const pair = childrenOf(der, item);
    if (!pair || pair.length !== 2 || pair[1]!.tag !== 0x31) return undefined;
    const oid = oidOf(der, pair[0]);
    if (oid === undefined) return undefined;
    const keep = kept?.[oid];
    if (keep) {
      const values = childrenOf(der, pair[1]!);
      if (!values || values.length === 0 || !isWellFormed(der, pair[1]!)) return undefined;
      keep(bytesOf(der, values[0]!));
      attributes.push(new pkijs.Attribute({ type: oid, values: [] }));
    } else if (READ_ATTRIBUTES.has(oid)) {
      attributes.push(new pkijs.Attribute({ schema: nodeAt(der, item) }));
    } else {
      if (!isWellFormed(der, pair[1]!)) return undefined;
      attributes.push(new pkijs.Attribute({ type: oid, values: [] }));
    }
  }
  const encodedValue = new Uint8Array(bytesOf(der, tlv));
  encodedValue[0] = 0x31;
  return new pkijs.SignedAndUnsignedAttributes({ type, attributes, encodedValue: encodedValue.buffer });
}

/** The whole parse (asn1js over all of it, pkijs's SignedData schema): BER, and every file the layout refuses. */
function readSignedDataWhole(trimmed: Uint8Array): SignedDataParts {
  let schema: asn1js.AsnType;
  try {
    schema = parseDerOrThrow(trimmed);
  } catch (err) {
    throw new CmsError('CMS_UNPARSABLE', `The signature is not DER: ${(err as Error).message}`);
  }
  let contentInfo: pkijs.ContentInfo;
  try {
    contentInfo = new pkijs.ContentInfo({ schema });
  } catch (err) {
    throw new CmsError('CMS_UNPARSABLE', `The signature is not a CMS ContentInfo: ${(err as Error).message}`);
  }
  if (contentInfo.contentType !== OID.signedData) throw new CmsError('CMS_NOT_SIGNED_DATA', 'The CMS is not SignedData.');
  // The certificates (certificates [0] IMPLICIT SET OF) are read apart, each through readCertificate's memo:
  // pkijs matching every certificate against the SignedData schema is most of the parse, and the same CA and
  // TSA certificates come back in every file a portal checks. Their DER is kept as it came.
  const content = contentInfo.content as asn1js.Sequence;
  const fields = content.valueBlock?.value ?? [];
  const set = fields.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  let signedData: pkijs.SignedData;
  try {
    if (set) content.valueBlock.value = fields.filter((b) => b !== set);
    signedData = new pkijs.SignedData({ schema: content });
  } catch (err) {
    throw new CmsError('CMS_UNPARSABLE', `The SignedData is malformed: ${(err as Error).message}`);
  } finally {
    if (set) content.valueBlock.value = fields;
  }
  if (set) {
    const certificates: pkijs.Certificate[] = [];
    for (const block of set.valueBlock.value ?? []) {
      // CertificateChoices: a plain Certificate is a SEQUENCE; other formats ([0]–[3]) are not used here.
      if (block.idBlock.tagClass !== 1 || block.idBlock.tagNumber !== 16) continue;
      try {
        certificates.push(readCertificate(new Uint8Array(block.valueBeforeDecodeView)));
      } catch (err) {
        throw new CmsError('CMS_UNPARSABLE', `A certificate in the SignedData is malformed: ${(err as Error).message}`);
      }
    }
    signedData.certificates = certificates;
  }
  const parts: SignedDataParts = { signedData, revocationInfo: { crls: [], ocsps: [] }, revocationArchival: undefined, timestampToken: undefined };
  const crlSet = fields.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 1) as asn1js.Constructed | undefined;
  for (const item of crlSet?.valueBlock.value ?? []) {
    if (item.idBlock.tagClass === 1) parts.revocationInfo.crls.push(item.valueBeforeDecodeView);
    else if (item instanceof asn1js.Constructed) {
      const [format, value] = item.valueBlock.value;
      if (format instanceof asn1js.ObjectIdentifier && format.getValue() === ID_RI_OCSP_RESPONSE && value)
        parts.revocationInfo.ocsps.push(value.valueBeforeDecodeView);
    }
  }
  const signerInfo = signedData.signerInfos[0];
  parts.revocationArchival = attribute(signerInfo?.signedAttrs?.attributes, OID.revocationInfoArchival)?.valueBeforeDecodeView;
  parts.timestampToken = attribute(signerInfo?.unsignedAttrs?.attributes, OID.timeStampToken)?.valueBeforeDecodeView;
  return parts;
}

/** The certificate a SignerInfo's sid names: issuer and serial number, or subject key identifier. */
export function findSigner(signerInfo: pkijs.SignerInfo, certificates: readonly pkijs.Certificate[]): pkijs.Certificate | undefined {
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((c) => c.serialNumber.isEqual(sid.serialNumber) && sameName(c.issuer, sid.issuer));
  }
  // subjectKeyIdentifier [0]
  const keyId = (sid as { valueBlock?: { valueHexView?: Uint8Array } }).valueBlock?.valueHexView;
  if (!keyId) return undefined;
  return certificates.find((c) => {
    const ski = c.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)?.parsedValue;
    return ski instanceof asn1js.OctetString && equalBytes(ski.valueBlock.valueHexView, keyId);
  });
}

const CMS = new Memo<ParsedCms | CmsError>(128);

/** Parses the DER (zero padding allowed) of a PDF signature's /Contents, or of a timestamp token. */
export function parseCms(der: Uint8Array): ParsedCms {
  const length = derLength(der);
  const trimmed = length > 0 && length <= der.length ? der.subarray(0, length) : der;
  const parsed = CMS.get(trimmed, () => {
    try {
      return readCms(trimmed);
    } catch (err) {
      if (err instanceof CmsError) return err;
      throw err;
    }
  });
  if (parsed instanceof CmsError) throw parsed;
  return parsed;
}

function readCms(der: Uint8Array): ParsedCms {
  const { signedData, revocationInfo, revocationArchival, timestampToken } = parseSignedData(der);
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new CmsError('CMS_NO_SIGNER', 'The SignedData has no SignerInfo.');
  // One object per certificate across the file and between files (readCertificate's memo): chain checks are
  // remembered per object.
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const md = attribute(signerInfo.signedAttrs?.attributes, OID.messageDigest);
  const time = attribute(signerInfo.signedAttrs?.attributes, OID.signingTime);
  return {
    signedData,
    signerInfo,
    certificates,
    signer: findSigner(signerInfo, certificates),
    digestAlgorithm: digestOf(signerInfo.digestAlgorithm),
    digestAlgorithmOid: signerInfo.digestAlgorithm.algorithmId,
    signatureAlgorithm: signatureAlgorithmName(signerInfo.signatureAlgorithm.algorithmId),
    messageDigest: md instanceof asn1js.OctetString ? new Uint8Array(md.valueBlock.valueHexView) : undefined,
    signingTime: time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined,
    contentType: signedData.encapContentInfo.eContentType,
    content: contentOf(signedData.encapContentInfo),
    revocationInfo,
    revocationArchival,
    timestampToken,
  };
}

/**
 * Checks the signature value: over the DER SET OF the signed attributes when there are any (RFC 5652 §5.4),
 * else over the signed bytes themselves (`content`, only then needed).
 */
export async function verifySignerInfo(cms: ParsedCms, content: () => Uint8Array): Promise<SignatureCheck> {
  const si = cms.signerInfo;
  if (!cms.signer) return { result: 'invalid', algorithm: cms.signatureAlgorithm };
  const data = si.signedAttrs ? new Uint8Array(si.signedAttrs.encodedValue) : content();
  return verifySignature(cms.signer.subjectPublicKeyInfo, si.signatureAlgorithm, data, si.signature.valueBlock.valueHexView, cms.digestAlgorithm);
}

/** Whether the signed attributes record `expected` as the message digest (RFC 5652 §11.2). */
export function messageDigestMatches(cms: ParsedCms, expected: Uint8Array): boolean {
  return !!cms.messageDigest && equalBytes(cms.messageDigest, expected);
}

// ── Timestamps (RFC 3161) ─────────────────────────────────────────────────────────────────────────────

export interface TimestampInfo {
  /** The TSA's name from TSTInfo, else the token signer's subject. */
  tsa: string | undefined;
  time: Date;
  /** Whether the token's message imprint is the hash of what it stamps (this signature's value, or the document's bytes). */
  imprintMatches: boolean;
  /** Whether the token's own CMS signature verifies (false also when it cannot be checked: see `check`). */
  signatureValid: boolean;
  /** The token's own signature, three-valued. */
  check?: CheckResult;
  /** The imprint's hash algorithm. */
  hashAlgorithm?: string;
  certificate?: CertificateInfo;
}

export interface ParsedTimestamp {
  cms: ParsedCms;
  tstInfo: pkijs.TSTInfo;
  imprintAlgorithm: DigestName | undefined;
  imprint: Uint8Array;
  genTime: Date;
  tsa: string | undefined;
}

/**
 * A TSTInfo (RFC 3161 §2.4.2) read by its layout: pkijs's TSTInfo schema holds GeneralName's (every form of
 * name, ORAddress included), built and matched for each token — milliseconds for 200 bytes. The fields are
 * read apart instead; the TSA's name when it is a directoryName (anything else by pkijs's GeneralName).
 * Undefined when the layout is not the usual one (extensions, BER): pkijs then reads it whole.
 */
function readTstInfoLayout(der: Uint8Array): pkijs.TSTInfo | undefined {
  const outer = readTlv(der, 0);
  if (!outer || outer.tag !== 0x30 || outer.end !== der.length || outer.contentEnd !== outer.end) return undefined;
  const f = childrenOf(der, outer, 10);
  if (!f || f.length < 5) return undefined;
  const [version, policy, imprint, serial, genTime] = f as [Tlv, Tlv, Tlv, Tlv, Tlv];
  let i = 5;
  const accuracy = f[i]?.tag === 0x30 ? f[i++] : undefined;
  const ordering = f[i]?.tag === 0x01 ? f[i++] : undefined;
  const nonce = f[i]?.tag === 0x02 ? f[i++] : undefined;
  const tsa = f[i]?.tag === 0xa0 ? f[i++] : undefined;
  const policyId = oidOf(der, policy);
  if (i !== f.length || version.tag !== 0x02 || policyId === undefined || imprint.tag !== 0x30 || serial.tag !== 0x02 || genTime.tag !== 0x18) return undefined;
  try {
    const v = nodeAt(der, version);
    const time = nodeAt(der, genTime);
    const serialNumber = nodeAt(der, serial);
    if (!(v instanceof asn1js.Integer) || !(time instanceof asn1js.GeneralizedTime) || !(serialNumber instanceof asn1js.Integer)) return undefined;
    const params: ConstructorParameters<typeof pkijs.TSTInfo>[0] = {
      version: v.valueBlock.valueDec,
      policy: policyId,
      messageImprint: new pkijs.MessageImprint({ schema: nodeAt(der, imprint) }),
      serialNumber,
      genTime: time.toDate(),
    };
    if (accuracy) params.accuracy = new pkijs.Accuracy({ schema: nodeAt(der, accuracy) });
    if (ordering) {
      const o = nodeAt(der, ordering);
      if (!(o instanceof asn1js.Boolean)) return undefined;
      params.ordering = o.valueBlock.value;
    }
    if (nonce) {
      const n = nodeAt(der, nonce);
      if (!(n instanceof asn1js.Integer)) return undefined;
      params.nonce = n;
    }
    if (tsa) {
      const inner = childrenOf(der, tsa, 1);
      if (!inner?.[0]) return undefined;
      const name = inner[0];
      // directoryName [4] EXPLICIT Name (a CHOICE: its tag is explicit)
      const dn = name.tag === 0xa4 ? childrenOf(der, name, 1) : undefined;
      const value = dn?.[0] ? readName(der, dn[0]) : undefined;
      params.tsa = value ? new pkijs.GeneralName({ type: 4, value }) : new pkijs.GeneralName({ schema: nodeAt(der, name) });
    }
    return new pkijs.TSTInfo(params);
  } catch {
    return undefined; // a field pkijs refuses: the whole parse says why
  }
}

/** Reads a TimeStampToken (a ContentInfo with SignedData over TSTInfo). */
export function parseTimestampToken(der: Uint8Array): ParsedTimestamp {
  const cms = parseCms(der);
  if (cms.contentType !== OID.tstInfo || !cms.content) throw new CmsError('CMS_UNPARSABLE', 'The token does not encapsulate a TSTInfo.');
  let tstInfo: pkijs.TSTInfo;
  try {
    tstInfo = readTstInfoLayout(cms.content) ?? readPki(cms.content, pkijs.TSTInfo);
  } catch (err) {
    throw new CmsError('CMS_UNPARSABLE', `The TSTInfo is malformed: ${(err as Error).message}`);
  }
  let tsa: string | undefined;
  const name = tstInfo.tsa;
  if (name && name.type === 4 && name.value instanceof pkijs.RelativeDistinguishedNames) tsa = distinguishedName(name.value).text;
  else if (name && typeof name.value === 'string') tsa = name.value;
  return {
    cms,
    tstInfo,
    imprintAlgorithm: digestOf(tstInfo.messageImprint.hashAlgorithm),
    imprint: new Uint8Array(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView),
    genTime: tstInfo.genTime,
    tsa,
  };
}

/** The token's own signature: its message-digest over the TSTInfo, and the TSA's signature over the attributes. */
export async function verifyTimestampToken(token: ParsedTimestamp): Promise<SignatureCheck> {
  const cms = token.cms;
  const content = cms.content!;
  if (!cms.signer) return { result: 'invalid', algorithm: cms.signatureAlgorithm };
  if (cms.signerInfo.signedAttrs) {
    if (!cms.digestAlgorithm || !isDigestSupported(cms.digestAlgorithm)) {
      return { result: 'unsupported', algorithm: cms.signatureAlgorithm, unsupported: `digest ${cms.digestAlgorithmOid}` };
    }
    if (!messageDigestMatches(cms, await digest(cms.digestAlgorithm, content))) return { result: 'invalid', algorithm: cms.signatureAlgorithm };
  }
  return verifySignerInfo(cms, () => content);
}

/** Describes a token whose imprint was compared with `imprintMatches`. */
export async function timestampInfo(token: ParsedTimestamp, imprintMatches: boolean, check: SignatureCheck): Promise<TimestampInfo> {
  const info: TimestampInfo = {
    tsa: token.tsa,
    time: token.genTime,
    imprintMatches,
    signatureValid: check.result === 'valid',
    check: check.result,
  };
  if (token.imprintAlgorithm) info.hashAlgorithm = token.imprintAlgorithm;
  if (token.cms.signer) {
    info.certificate = await certificateInfo(token.cms.signer);
    info.tsa ??= info.certificate.subject.text;
  }
  return info;
}

/** The RFC 3161 signature timestamp in the unsigned attributes (ETSI signature-time-stamp), if any. */
export async function signatureTimestamp(cms: ParsedCms): Promise<{ token: ParsedTimestamp; info: TimestampInfo } | undefined> {
  if (!cms.timestampToken) return undefined;
  const token = parseTimestampToken(cms.timestampToken);
  let imprintMatches = false;
  if (token.imprintAlgorithm && isDigestSupported(token.imprintAlgorithm)) {
    const stamped = await digest(token.imprintAlgorithm, cms.signerInfo.signature.valueBlock.valueHexView);
    imprintMatches = equalBytes(stamped, token.imprint);
  }
  const check = await verifyTimestampToken(token);
  return { token, info: await timestampInfo(token, imprintMatches, check) };
}

// ── Trust ─────────────────────────────────────────────────────────────────────────────────────────────

export type TrustStatus = 'trusted' | 'untrusted' | 'invalid' | 'unknown';
export type TrustReason =
  | 'CHAIN_TO_TRUSTED_ROOT'
  | 'NO_TRUSTED_ROOTS'
  | 'ROOT_NOT_TRUSTED'
  | 'CHAIN_INCOMPLETE'
  | 'CHAIN_SIGNATURE_INVALID'
  /** A certificate in the chain is signed with an algorithm this platform cannot check. */
  | 'CHAIN_ALGORITHM_UNSUPPORTED'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_NOT_YET_VALID'
  /** Revocation data in the file (OCSP or CRL, its own signature checked) says so, at the validation time. */
  | 'CERTIFICATE_REVOKED'
  | 'KEY_USAGE_NOT_SIGNING'
  | 'SIGNER_CERTIFICATE_MISSING'
  /** No certificate could be read (the signature dictionary or its CMS is unreadable). */
  | 'NOT_CHECKED';

export interface TrustResult {
  status: TrustStatus;
  reason: TrustReason;
  /** From the signer up: the certificates the chain was built from (the included ones, then a trusted root). */
  path: pkijs.Certificate[];
  /** Whether the path ends at a trusted root (the last of `path`). */
  anchored: boolean;
}

export function sameCertificate(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return a === b || equalBytes(derOf(a), derOf(b));
}

/** Checks by certificate, then by the issuer's key: certificates that share a key (copies, renewals) share a check. */
const CERT_CHECKS = new WeakMap<pkijs.Certificate, Map<string, Promise<CheckResult>>>();
const KEYS = new WeakMap<pkijs.Certificate, string>();

/** The SHA-256 of a certificate's subjectPublicKeyInfo (algorithm, parameters and key). */
function publicKeyOf(certificate: pkijs.Certificate): string {
  let key = KEYS.get(certificate);
  if (key === undefined) {
    key = keyOf(new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER(false)));
    KEYS.set(certificate, key);
  }
  return key;
}

/** Units of work charged for one certificate signature actually checked (a public-key operation). */
const SIGNATURE_CHECK_COST = 50;

/**
 * Whether `issuer`'s key signed `certificate` (memoised by key: chains are shared between signatures, and
 * certificates that share a key give the same answer). `spend` is charged only for a check not made before.
 */
export function issuedBy(certificate: pkijs.Certificate, issuer: pkijs.Certificate, spend?: (units: number) => void): Promise<CheckResult> {
  let byKey = CERT_CHECKS.get(certificate);
  if (!byKey) {
    byKey = new Map();
    CERT_CHECKS.set(certificate, byKey);
  }
  const key = publicKeyOf(issuer);
  let check = byKey.get(key);
  if (!check) {
    spend?.(SIGNATURE_CHECK_COST);
    check = verifySignature(
      issuer.subjectPublicKeyInfo,
      certificate.signatureAlgorithm,
      certificate.tbsView,
      certificate.signatureValue.valueBlock.valueHexView,
    ).then((r) => r.result);
    byKey.set(key, check);
  }
  return check;
}

const NAMES = new WeakMap<pkijs.RelativeDistinguishedNames, string>();

/**
 * A key under which equal names (pkijs's isEqual: same types in order, strings compared after trimming and
 * case folding) always meet: coarser than isEqual, which still decides within a bucket.
 */
function nameKey(name: pkijs.RelativeDistinguishedNames): string {
  let key = NAMES.get(name);
  if (key === undefined) {
    key = name.typesAndValues
      .map((tv) => {
        const v = (tv.value.valueBlock as { value?: unknown }).value;
        const text = typeof v === 'string' ? v.normalize('NFKC').toLowerCase().replace(/\s+/g, '') : hex(tv.value.valueBeforeDecodeView);
        return `${tv.type}=${text}`;
      })
      .join(',');
    NAMES.set(name, key);
  }
  return key;
}

/** What a certificate is checked for: signing a document, or signing RFC 3161 timestamp tokens (a TSA). */
export type CertificatePurpose = 'signing' | 'timestamping';

/** id-kp-timeStamping (RFC 3161 §2.3: the only extended key usage of a TSA's certificate). */
const ID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/** Extensions this check understands (RFC 5280 §4.2.1, §4.2.2, RFC 3739, RFC 6960): marked critical, they are fine. */
const UNDERSTOOD_EXTENSIONS = new Set([
  OID.keyUsage,
  OID.basicConstraints,
  OID.extKeyUsage,
  OID.subjectKeyIdentifier,
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.9', // subjectDirectoryAttributes
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.46', // freshestCRL
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
  '1.3.6.1.5.5.7.1.11', // subjectInfoAccess
  '1.3.6.1.5.5.7.1.3', // qcStatements
  '1.3.6.1.5.5.7.48.1.5', // id-pkix-ocsp-nocheck
  // Certificate policies: every policy is acceptable here (initial-policy-set anyPolicy, RFC 5280 §6.1.1), so
  // policies, their mappings and inhibitAnyPolicy do not change the outcome.
  '2.5.29.32',
  '2.5.29.33',
  '2.5.29.54',
]);
/** Constraints this check does not enforce (name constraints, requireExplicitPolicy): a chain that depends on them cannot be checked here. */
const UNCHECKED_CONSTRAINTS = new Set(['2.5.29.30', '2.5.29.36']);

/** A critical extension this check does not understand ('unknown': refuse the certificate), or only cannot enforce. */
function criticalExtensions(certificate: pkijs.Certificate): 'unknown' | 'unchecked' | undefined {
  let out: 'unchecked' | undefined;
  for (const e of certificate.extensions ?? []) {
    if (!e.critical) continue;
    if (UNCHECKED_CONSTRAINTS.has(e.extnID)) out = 'unchecked';
    else if (!UNDERSTOOD_EXTENSIONS.has(e.extnID)) return 'unknown';
  }
  return out;
}

export function hasExtendedKeyUsage(certificate: pkijs.Certificate, purpose: string): boolean {
  const ext = certificate.extensions?.find((e) => e.extnID === OID.extKeyUsage)?.parsedValue;
  return ext instanceof pkijs.ExtKeyUsage && ext.keyPurposes.includes(purpose);
}

/** Whether a certificate is a timestamp authority's: it holds id-kp-timeStamping (RFC 3161 §2.3). */
export function isTimestampAuthority(certificate: pkijs.Certificate): boolean {
  return hasExtendedKeyUsage(certificate, ID_KP_TIME_STAMPING);
}

const selfIssued = (c: pkijs.Certificate) => sameName(c.subject, c.issuer);

/**
 * Whether `issuer` may sign the last certificate of `path` (RFC 5280 §6.1.4 (k)–(n)): a CA (basicConstraints
 * cA TRUE; a trust anchor without extensions, i.e. version 1, is one by the caller's word), with keyCertSign
 * when it states its key usage, within its pathLenConstraint (the non-self-issued CAs below it), and no critical
 * extension this check does not understand. 'unchecked': it may, but under constraints not enforced here.
 */
function mayIssue(issuer: pkijs.Certificate, path: readonly pkijs.Certificate[], anchor: boolean): 'yes' | 'unchecked' | 'no' {
  const critical = criticalExtensions(issuer);
  if (critical === 'unknown') return 'no';
  const extensions = issuer.extensions ?? [];
  const bc = extensions.find((e) => e.extnID === OID.basicConstraints)?.parsedValue;
  if (bc instanceof pkijs.BasicConstraints) {
    if (bc.cA !== true) return 'no';
    const usage = keyUsage(issuer);
    if (usage && !usage.includes('keyCertSign')) return 'no';
    const pathLen = bc.pathLenConstraint;
    if (typeof pathLen === 'number' && path.slice(1).filter((c) => !selfIssued(c)).length > pathLen) return 'no';
  } else if (!(anchor && extensions.length === 0)) {
    return 'no';
  }
  return critical === 'unchecked' ? 'unchecked' : 'yes';
}

/** How good an outcome of the path search is (the best one found is reported). */
const [INVALID, INCOMPLETE, UNKNOWN, COMPLETE, TRUSTED] = [1, 2, 3, 4, 5];

/**
 * Builds a path from the signer to a root out of the trusted roots and the certificates the file carries
 * (`included`, in the order given: the signature's own first), checking each certificate's signature with its
 * issuer's key, each validity period at `at`, and that each issuer may issue (`mayIssue`). The search goes back
 * when a branch fails: a candidate whose signature does not verify, or that may not issue, is not the issuer,
 * and an appended certificate can only add paths, never spoil a good one. The best outcome is kept: trusted, then
 * a complete chain to a root the caller does not trust, then 'unknown' (an algorithm or constraint that cannot
 * be checked here), then an incomplete chain, then 'invalid' (a validity period or a root's own signature).
 * The signer must be meant for `purpose`: signing (keyUsage digitalSignature or nonRepudiation when stated), or
 * timestamping (id-kp-timeStamping, RFC 3161 §2.3); a critical extension nobody here understands refuses it.
 */
export async function evaluateTrust(
  signer: pkijs.Certificate | undefined,
  included: readonly pkijs.Certificate[],
  trustedRoots: readonly pkijs.Certificate[],
  at: Date,
  spend: (units: number) => void = () => undefined,
  purpose: CertificatePurpose = 'signing',
): Promise<TrustResult> {
  if (!signer) return { status: 'invalid', reason: 'SIGNER_CERTIFICATE_MISSING', path: [], anchored: false };
  const usage = keyUsage(signer);
  const signing = !usage || usage.includes('digitalSignature') || usage.includes('nonRepudiation');
  const forPurpose = purpose === 'signing' || isTimestampAuthority(signer);
  if (!signing || !forPurpose || criticalExtensions(signer) === 'unknown') {
    return { status: 'invalid', reason: 'KEY_USAGE_NOT_SIGNING', path: [signer], anchored: false };
  }
  const isAnchor = (c: pkijs.Certificate) => trustedRoots.some((root) => sameCertificate(root, c));
  // Trusted roots first (a path ends at one as soon as it can), then the included certificates in their order,
  // by subject name and then by public key: each step checks each key named as its issuer once, so a thousand
  // copies of a certificate (same name, same key) cost one check, not a thousand.
  const pool = [...new Set([...trustedRoots, ...included])];
  const bySubject = new Map<string, Map<string, pkijs.Certificate[]>>();
  for (const c of pool) {
    const name = nameKey(c.subject);
    let byKey = bySubject.get(name);
    if (!byKey) bySubject.set(name, (byKey = new Map()));
    const key = publicKeyOf(c);
    const list = byKey.get(key);
    if (list) list.push(c);
    else byKey.set(key, [c]);
  }
  spend(pool.length);

  let best: { rank: number; result: TrustResult } | undefined;
  const keep = (rank: number, status: TrustStatus, reason: TrustReason, path: pkijs.Certificate[], anchored = false): boolean => {
    if (!best || rank > best.rank) best = { rank, result: { status, reason, path, anchored } };
    return rank === TRUSTED;
  };
  const expanded = new Set<string>();
  const position = new Map(pool.map((c, i) => [c, i]));
  const visit = async (path: pkijs.Certificate[], unchecked: boolean): Promise<boolean> => {
    const current = path.at(-1)!;
    if (at < current.notBefore.value) return keep(INVALID, 'invalid', 'CERTIFICATE_NOT_YET_VALID', path);
    if (at > current.notAfter.value) return keep(INVALID, 'invalid', 'CERTIFICATE_EXPIRED', path);
    if (isAnchor(current)) {
      return unchecked ? keep(UNKNOWN, 'unknown', 'CHAIN_ALGORITHM_UNSUPPORTED', path, true) : keep(TRUSTED, 'trusted', 'CHAIN_TO_TRUSTED_ROOT', path, true);
    }
    // Each certificate is expanded once per depth (pathLenConstraint depends on the depth): no branching
    // structure of certificates makes the search exponential.
    const key = `${position.get(current) ?? -1}:${path.length}`;
    if (path.length > 10 || expanded.has(key)) return keep(INCOMPLETE, 'untrusted', trustedRoots.length ? 'CHAIN_INCOMPLETE' : 'NO_TRUSTED_ROOTS', path);
    expanded.add(key);
    let issuerFound = false;
    let cannotCheck = false;
    for (const sameKey of bySubject.get(nameKey(current.issuer))?.values() ?? []) {
      spend(1);
      const check = await issuedBy(current, sameKey[0]!, spend);
      if (check === 'unsupported') cannotCheck = true;
      if (check !== 'valid') continue; // none of them is the issuer
      for (const candidate of sameKey) {
        spend(1);
        if (candidate === current || path.includes(candidate) || !sameName(candidate.subject, current.issuer)) continue;
        const may = mayIssue(candidate, path, isAnchor(candidate));
        if (may === 'no') continue;
        issuerFound = true;
        if (await visit([...path, candidate], unchecked || may === 'unchecked')) return true;
      }
    }
    // A self-issued certificate ends a path of its own (a root), whatever other issuers (a cross-certificate,
    // an older key) led nowhere.
    if (selfIssued(current)) {
      const check = await issuedBy(current, current, spend);
      if (check === 'unsupported') return keep(UNKNOWN, 'unknown', 'CHAIN_ALGORITHM_UNSUPPORTED', path);
      if (check !== 'valid') return keep(INVALID, 'invalid', 'CHAIN_SIGNATURE_INVALID', path);
      if (unchecked) return keep(UNKNOWN, 'unknown', 'CHAIN_ALGORITHM_UNSUPPORTED', path);
      return keep(COMPLETE, 'untrusted', trustedRoots.length ? 'ROOT_NOT_TRUSTED' : 'NO_TRUSTED_ROOTS', path);
    }
    if (issuerFound) return false; // the branches below said why
    if (cannotCheck) return keep(UNKNOWN, 'unknown', 'CHAIN_ALGORITHM_UNSUPPORTED', path);
    return keep(INCOMPLETE, 'untrusted', trustedRoots.length ? 'CHAIN_INCOMPLETE' : 'NO_TRUSTED_ROOTS', path);
  };
  await visit([signer], false);
  return best!.result;
}

/** Reads certificates given as DER bytes or PEM text (one or several PEM blocks). */
export function readCertificates(inputs: readonly (Uint8Array | string)[]): pkijs.Certificate[] {
  const out: pkijs.Certificate[] = [];
  for (const input of inputs) {
    if (typeof input === 'string') {
      // Linear: each block is found with indexOf, never a backtracking pattern over the caller's text.
      let at = 0;
      for (;;) {
        const begin = input.indexOf('-----BEGIN CERTIFICATE-----', at);
        if (begin < 0) break;
        const end = input.indexOf('-----END CERTIFICATE-----', begin);
        if (end < 0) break;
        const b64 = input.slice(begin + 27, end).replace(/\s+/g, '');
        at = end + 25;
        const bin = atob(b64);
        const der = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) der[i] = bin.charCodeAt(i);
        out.push(readCertificate(der));
      }
    } else {
      out.push(readCertificate(input));
    }
  }
  return out;
}

/** Certificates from DER blobs that parse; the others are skipped. */
export function certificatesFrom(blobs: readonly Uint8Array[]): pkijs.Certificate[] {
  const out: pkijs.Certificate[] = [];
  for (const blob of blobs) {
    try {
      out.push(readCertificate(blob));
    } catch {
      // not a certificate: skipped
    }
  }
  return out;
}

export { parseDer };
