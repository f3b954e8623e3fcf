// Revocation data a signed PDF carries for long-term validation, offline (no network access, ever): CRLs and
// OCSP responses from the CMS RevocationInfoChoices (RFC 5652 §10.2.1, with id-ri-ocsp-response, RFC 5940),
// Adobe's adbe-revocationInfoArchival signed attribute (PDF 32000-1 §12.8.3.3.2) and the document security store
// (/DSS /CRLs /OCSPs /Certs, ETSI EN 319 142-1 §5.4). Each certificate of a chain is matched to the responses that
// name it (OCSP CertID: issuer name and key hashes and serial, RFC 6960 §4.1.1; CRL: the issuer's name), each
// response's own signature is checked with the issuer's key or its delegated OCSP responder's, and the answer is
// good, revoked (at a time) or unknown. "Good" needs fresh data in scope: a response current at the validation
// time (thisUpdate ≤ at ≤ nextUpdate), or issued after the time a timestamp proves the signature existed (it then
// shows the certificate was not revoked at that time: ETSI EN 319 102-1 §5.6.2.3); a delta CRL, a CRL partitioned
// by an IssuingDistributionPoint that does not cover the certificate, or one with a critical extension not
// understood here proves nothing (RFC 5280 §5.2.4, §5.2.5, §6.3.3). A revocation counts whenever it was issued.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { digest, digestOf, isDigestSupported, verifySignature } from './algorithms.js';
import {
  certificateInfo,
  derOf,
  equalBytes,
  hasExtendedKeyUsage,
  issuedBy,
  keyUsage,
  readCertificate,
  readName,
  sameName,
  type CertificateInfo,
  type ParsedCms,
} from './cms.js';
import { bytesOf, childrenOf, oidOf, parseDer, parseDerOrThrow, readPki, readTlv, type Tlv } from './der.js';
import { Memo, keyOf } from './memo.js';

const CRLS = new Memo<pkijs.CertificateRevocationList | null>(64);
const OCSPS = new Memo<pkijs.BasicOCSPResponse | null>(256);

export type RevocationSource = 'cms' | 'adobe-archival' | 'dss';

interface Crl {
  crl: pkijs.CertificateRevocationList;
  source: RevocationSource;
}
interface Ocsp {
  basic: pkijs.BasicOCSPResponse;
  source: RevocationSource;
}

/** The revokedCertificates of a CRL read by its layout (readCrlLayout): the DER, read entry by entry when needed. */
const REVOKED = new WeakMap<pkijs.CertificateRevocationList, { der: Uint8Array; list: Tlv | undefined }>();

/**
 * A CRL (RFC 5280 §5.1) read by its layout: pkijs reads the header fields, and the list of revoked certificates
 * (thousands of entries in a real CA's CRL, most of a CRL's parse) stays DER until a certificate is looked up in
 * it (revokedEntry). Undefined when the layout is not plain DER as expected: pkijs then reads it whole.
 */
function readCrlLayout(source: Uint8Array): pkijs.CertificateRevocationList | undefined {
  const der = new Uint8Array(source); // kept: the memo outlives the file
  const outer = readTlv(der, 0);
  if (!outer || outer.tag !== 0x30 || outer.end !== der.length) return undefined;
  const top = childrenOf(der, outer, 3);
  if (!top || top.length !== 3) return undefined;
  const [tbs, signatureAlgorithm, signatureValue] = top as [Tlv, Tlv, Tlv];
  if (tbs.tag !== 0x30 || signatureAlgorithm.tag !== 0x30 || signatureValue.tag !== 0x03) return undefined;
  const f = childrenOf(der, tbs, 7);
  if (!f) return undefined;
  let i = 0;
  const version = f[i]?.tag === 0x02 ? f[i++] : undefined;
  const signature = f[i++];
  const issuer = f[i++];
  const thisUpdate = f[i++];
  const isTime = (t: Tlv | undefined) => t?.tag === 0x17 || t?.tag === 0x18;
  const nextUpdate = isTime(f[i]) ? f[i++] : undefined;
  const revoked = f[i]?.tag === 0x30 ? f[i++] : undefined;
  const extensions = f[i]?.tag === 0xa0 ? f[i++] : undefined;
  if (i !== f.length || signature?.tag !== 0x30 || issuer?.tag !== 0x30 || !isTime(thisUpdate)) return undefined;
  const node = (t: Tlv) => parseDerOrThrow(bytesOf(der, t));
  const params: ConstructorParameters<typeof pkijs.CertificateRevocationList>[0] = {
    tbs: der.slice(tbs.start, tbs.end).buffer,
    signature: new pkijs.AlgorithmIdentifier({ schema: node(signature) }),
    issuer: readName(der, issuer) ?? new pkijs.RelativeDistinguishedNames({ schema: node(issuer) }),
    thisUpdate: new pkijs.Time({ schema: node(thisUpdate!) }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ schema: node(signatureAlgorithm) }),
  };
  const value = node(signatureValue);
  if (!(value instanceof asn1js.BitString)) return undefined;
  params.signatureValue = value;
  if (version) {
    const v = node(version);
    if (!(v instanceof asn1js.Integer)) return undefined;
    params.version = v.valueBlock.valueDec;
  }
  if (nextUpdate) params.nextUpdate = new pkijs.Time({ schema: node(nextUpdate) });
  if (extensions) {
    const inner = childrenOf(der, extensions, 1);
    if (!inner?.[0] || inner[0].tag !== 0x30) return undefined;
    params.crlExtensions = new pkijs.Extensions({ schema: node(inner[0]) });
  }
  const crl = new pkijs.CertificateRevocationList(params);
  REVOKED.set(crl, { der, list: revoked });
  return crl;
}

/**
 * The entries of a CRL's revoked list that name `serial`, with how many entries there are; undefined when the
 * list is malformed (the CRL then proves nothing, as when pkijs cannot read it).
 */
function revokedEntry(crl: pkijs.CertificateRevocationList, serial: asn1js.Integer): { count: number; revokedAt?: Date; found: boolean } | undefined {
  const layout = REVOKED.get(crl);
  if (!layout) {
    const entry = crl.revokedCertificates?.find((e) => e.userCertificate.isEqual(serial));
    const r: { count: number; revokedAt?: Date; found: boolean } = { count: crl.revokedCertificates?.length ?? 0, found: !!entry };
    if (entry) r.revokedAt = entry.revocationDate.value;
    return r;
  }
  const { der, list } = layout;
  const r: { count: number; revokedAt?: Date; found: boolean } = { count: 0, found: false };
  if (!list) return r;
  const wanted = serial.valueBlock.valueHexView;
  // revokedCertificates SEQUENCE OF SEQUENCE { userCertificate CertificateSerialNumber, revocationDate Time, crlEntryExtensions Extensions OPTIONAL }
  for (let at = list.contentStart; at < list.contentEnd;) {
    const entry = readTlv(der, at, list.contentEnd);
    if (!entry || entry.tag !== 0x30) return undefined;
    at = entry.end;
    r.count++;
    const number = readTlv(der, entry.contentStart, entry.contentEnd);
    const date = number && readTlv(der, number.end, entry.contentEnd);
    if (!number || number.tag !== 0x02 || !date || (date.tag !== 0x17 && date.tag !== 0x18)) return undefined;
    if (date.end !== entry.contentEnd) {
      const extensions = readTlv(der, date.end, entry.contentEnd);
      if (!extensions || extensions.tag !== 0x30 || extensions.end !== entry.contentEnd) return undefined;
    }
    if (r.found || number.end - number.contentStart !== wanted.length) continue;
    if (!equalBytes(der.subarray(number.contentStart, number.end), wanted)) continue;
    r.found = true;
    try {
      r.revokedAt = new pkijs.Time({ schema: parseDerOrThrow(bytesOf(der, date)) }).value;
    } catch {
      return undefined;
    }
  }
  return r;
}

/**
 * An OCSPResponse (RFC 6960 §4.2.1) or a bare BasicOCSPResponse read by its layout: pkijs reads the
 * ResponseData and the algorithm, the responder's certificates go through readCertificate (memo and layout);
 * null for a response that is not a successful basic one, undefined when the layout is not the usual one
 * (the whole parse then decides).
 */
function readOcspLayout(der: Uint8Array): pkijs.BasicOCSPResponse | null | undefined {
  const outer = readTlv(der, 0);
  if (!outer || outer.tag !== 0x30) return undefined;
  let fields = childrenOf(der, outer, 4);
  if (!fields?.length) return undefined;
  if (fields[0]!.tag === 0x0a) {
    // OCSPResponse { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
    const status = fields[0]!;
    if (fields.length > 2 || status.end - status.contentStart !== 1) return undefined;
    if (der[status.contentStart] !== 0 || fields.length === 1) return null; // not "successful", or nothing in it
    const wrapped = fields[1]!.tag === 0xa0 ? childrenOf(der, fields[1]!, 1) : undefined;
    const bytes = wrapped?.[0]?.tag === 0x30 ? childrenOf(der, wrapped[0], 2) : undefined;
    if (!bytes || bytes.length !== 2 || bytes[1]!.tag !== 0x04) return undefined;
    if (oidOf(der, bytes[0]) !== '1.3.6.1.5.5.7.48.1.1') return null; // not id-pkix-ocsp-basic
    const inner = der.subarray(bytes[1]!.contentStart, bytes[1]!.end);
    const basic = readTlv(inner, 0);
    if (!basic || basic.tag !== 0x30 || basic.end !== inner.length) return undefined;
    der = inner;
    fields = childrenOf(der, basic, 4);
    if (!fields) return undefined;
  }
  // BasicOCSPResponse { tbsResponseData, signatureAlgorithm, signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
  const [tbs, algorithm, signature, certs] = fields;
  if (fields.length < 3 || tbs?.tag !== 0x30 || algorithm?.tag !== 0x30 || signature?.tag !== 0x03 || (certs && certs.tag !== 0xa0)) return undefined;
  const value = parseDerOrThrow(bytesOf(der, signature));
  if (!(value instanceof asn1js.BitString)) return undefined;
  const params: ConstructorParameters<typeof pkijs.BasicOCSPResponse>[0] = {
    tbsResponseData: new pkijs.ResponseData({ schema: parseDerOrThrow(bytesOf(der, tbs)) }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ schema: parseDerOrThrow(bytesOf(der, algorithm)) }),
    signature: value,
  };
  if (certs) {
    const list = childrenOf(der, certs, 1);
    const items = list?.[0]?.tag === 0x30 ? childrenOf(der, list[0], 64) : undefined;
    if (!items || items.some((c) => c.tag !== 0x30)) return undefined;
    params.certs = items.map((c) => readCertificate(bytesOf(der, c)));
  }
  return new pkijs.BasicOCSPResponse(params);
}

/** Everything the file carries for validation: certificates, CRLs and OCSP responses, with where each came from. */
export class ValidationData {
  readonly crls: Crl[] = [];
  readonly ocsps: Ocsp[] = [];
  readonly certificates: pkijs.Certificate[] = [];
  private items = 0;

  /** Bounded: a hostile file cannot make the pool (and every search over it) grow without end. */
  static readonly MAX_ITEMS = 2000;

  private room(): boolean {
    return this.items++ < ValidationData.MAX_ITEMS;
  }

  /** The SHA-256 of every certificate's DER: adding one is a set lookup, not a comparison with all the others. */
  private readonly certificateKeys = new Set<string>();

  addCertificate(certificate: pkijs.Certificate): void {
    if (this.certificates.length >= ValidationData.MAX_ITEMS) return;
    const key = keyOf(derOf(certificate));
    if (this.certificateKeys.has(key)) return;
    this.certificateKeys.add(key);
    this.certificates.push(certificate);
  }

  addCertificateDer(der: Uint8Array): void {
    try {
      this.addCertificate(readCertificate(der));
    } catch {
      // not a certificate: ignored
    }
  }

  private readonly seen = new Set<string>();

  /** Whether a response is signed for an issuer, asked once per inspection (every signature's chain asks again). */
  private readonly ocspChecks = new Map<pkijs.BasicOCSPResponse, Map<pkijs.Certificate, Promise<boolean>>>();

  ocspSigned(response: pkijs.BasicOCSPResponse, issuer: pkijs.Certificate): Promise<boolean> {
    let byIssuer = this.ocspChecks.get(response);
    if (!byIssuer) this.ocspChecks.set(response, (byIssuer = new Map()));
    let check = byIssuer.get(issuer);
    if (!check) {
      check = ocspSignedFor(response, issuer);
      byIssuer.set(issuer, check);
    }
    return check;
  }

  /** Each blob once: the /DSS usually repeats what the CMS already carries. */
  private fresh(der: Uint8Array): boolean {
    if (!this.room()) return false;
    const key = keyOf(der);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  addCrlDer(der: Uint8Array, source: RevocationSource): void {
    if (!this.fresh(der)) return;
    const crl = CRLS.get(der, () => {
      try {
        return readCrlLayout(der) ?? readPki(der, pkijs.CertificateRevocationList);
      } catch {
        return null; // unreadable CRL: it proves nothing
      }
    });
    if (crl) this.crls.push({ crl, source });
  }

  /** An OCSPResponse (RFC 6960 §4.2.1) or a bare BasicOCSPResponse. */
  addOcspDer(der: Uint8Array, source: RevocationSource): void {
    if (!this.fresh(der)) return;
    const basic = OCSPS.get(der, () => {
      try {
        const read = readOcspLayout(der);
        if (read !== undefined) return read;
      } catch {
        // read whole below
      }
      try {
        const response = readPki(der, pkijs.OCSPResponse);
        const bytes = response.responseBytes;
        if (response.responseStatus.valueBlock.valueDec !== 0 || !bytes || bytes.responseType !== '1.3.6.1.5.5.7.48.1.1') return null;
        return readPki(bytes.response.valueBlock.valueHexView, pkijs.BasicOCSPResponse);
      } catch {
        try {
          return readPki(der, pkijs.BasicOCSPResponse);
        } catch {
          return null; // unreadable response: ignored
        }
      }
    });
    if (basic) this.addBasic(basic, source);
  }

  private addBasic(basic: pkijs.BasicOCSPResponse, source: RevocationSource): void {
    this.ocsps.push({ basic, source });
    for (const c of basic.certs ?? []) this.addCertificate(c);
  }

  /** The CMS's certificates, its RevocationInfoChoices and Adobe's archival attribute. */
  addCms(cms: ParsedCms): void {
    for (const c of cms.certificates) this.addCertificate(c);
    for (const der of cms.revocationInfo.crls) this.addCrlDer(der, 'cms');
    for (const der of cms.revocationInfo.ocsps) this.addOcspDer(der, 'cms');
    const archival = cms.revocationArchival;
    const outer = archival && readTlv(archival, 0);
    // RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse, … }
    const fields = outer && outer.tag === 0x30 ? childrenOf(archival, outer) : undefined;
    if (archival && !fields) return this.addArchivalBer(archival);
    for (const tagged of fields ?? []) {
      if (tagged.tag !== 0xa0 && tagged.tag !== 0xa1) continue;
      const list = childrenOf(archival!, tagged, 1);
      if (!list?.[0] || list[0].tag !== 0x30) continue;
      for (const item of (childrenOf(archival!, list[0]) ?? []).slice(0, ValidationData.MAX_ITEMS)) {
        const der = bytesOf(archival!, item);
        if (tagged.tag === 0xa0) this.addCrlDer(der, 'adobe-archival');
        else this.addOcspDer(der, 'adobe-archival');
      }
    }
  }

  /** The archival attribute when the layout walk refuses it (a long-form tag…): read with asn1js, as before. */
  private addArchivalBer(archival: Uint8Array): void {
    const value = parseDer(archival);
    if (!(value instanceof asn1js.Sequence)) return;
    for (const tagged of value.valueBlock.value) {
      if (tagged.idBlock.tagClass !== 3 || !(tagged instanceof asn1js.Constructed)) continue;
      const list = tagged.valueBlock.value[0];
      if (!(list instanceof asn1js.Sequence)) continue;
      for (const item of list.valueBlock.value.slice(0, ValidationData.MAX_ITEMS)) {
        const der = new Uint8Array(item.valueBeforeDecodeView);
        if (tagged.idBlock.tagNumber === 0) this.addCrlDer(der, 'adobe-archival');
        else if (tagged.idBlock.tagNumber === 1) this.addOcspDer(der, 'adobe-archival');
      }
    }
  }
}

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface CertificateRevocation {
  certificate: CertificateInfo;
  /** 'trust-anchor': the root the chain ends at (a root is not checked for revocation). */
  status: RevocationStatus | 'trust-anchor';
  /** Where the answer came from. */
  via?: 'ocsp' | 'crl';
  source?: RevocationSource;
  /** When the answering response was produced (OCSP producedAt, CRL thisUpdate). */
  issuedAt?: Date;
  revokedAt?: Date;
}

/** The issuer name hash and key hash of an OCSP CertID, computed for `issuer` with the CertID's algorithm. */
async function matchesCertId(id: pkijs.CertID, certificate: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  if (!id.serialNumber.isEqual(certificate.serialNumber)) return false;
  const algorithm = digestOf(id.hashAlgorithm);
  if (!algorithm || !isDigestSupported(algorithm)) return false;
  const nameDer = new Uint8Array(certificate.issuer.valueBeforeDecode); // the name as read (pkijs keeps its DER)
  const name = nameDer.length ? nameDer : new Uint8Array(certificate.issuer.toSchema().toBER(false));
  const [nameHash, keyHash] = await Promise.all([
    digest(algorithm, name),
    digest(algorithm, issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
  ]);
  return equalBytes(nameHash, id.issuerNameHash.valueBlock.valueHexView) && equalBytes(keyHash, id.issuerKeyHash.valueBlock.valueHexView);
}

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

/** Whether the response is signed by the issuer, or by a responder the issuer delegated (RFC 6960 §4.2.2.2). */
async function ocspSignedFor(response: pkijs.BasicOCSPResponse, issuer: pkijs.Certificate): Promise<boolean> {
  const candidates = [issuer, ...(response.certs ?? []).slice(0, 8)];
  for (const responder of candidates) {
    if (responder !== issuer) {
      if (!hasExtendedKeyUsage(responder, OCSP_SIGNING)) continue;
      if ((await issuedBy(responder, issuer)) !== 'valid') continue;
    }
    const check = await verifySignature(
      responder.subjectPublicKeyInfo,
      response.signatureAlgorithm,
      response.tbsResponseData.tbsView,
      response.signature.valueBlock.valueHexView,
    );
    if (check.result === 'valid') return true;
  }
  return false;
}

/**
 * Whether data issued at `thisUpdate` (next one promised by `nextUpdate`) may say "not revoked" at `at`: current
 * then, or issued after `provedAt`, the time a timestamp proves the signature existed. Without a nextUpdate,
 * newer information is always available (RFC 6960 §4.2.2.1): only the second way.
 */
export function freshAt(thisUpdate: Date, nextUpdate: Date | undefined, at: Date, provedAt: Date | undefined): boolean {
  if (thisUpdate <= at && nextUpdate !== undefined && at <= nextUpdate) return true;
  return provedAt !== undefined && thisUpdate >= provedAt;
}

const CRL_EXTENSIONS = {
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  crlDistributionPoints: '2.5.29.31',
} as const;
/** CRL extensions understood here (RFC 5280 §5.2): authorityKeyIdentifier, issuerAltName, cRLNumber, deltaCRLIndicator, IDP, freshestCRL. */
const CRL_UNDERSTOOD = new Set(['2.5.29.35', '2.5.29.18', '2.5.29.20', CRL_EXTENSIONS.deltaCrlIndicator, CRL_EXTENSIONS.issuingDistributionPoint, '2.5.29.46']);

/** A general name as comparable text (its type and value). */
const nameKey = (name: pkijs.GeneralName) => JSON.stringify(name.toJSON());

/**
 * Whether a full CRL covers `certificate` (RFC 5280 §6.3.3 (b)): not a delta CRL, no critical extension not
 * understood, and an IssuingDistributionPoint (if any) that is neither indirect nor limited to some reasons or
 * to attribute certificates, whose user/CA scope includes the certificate, and whose distribution point (if any)
 * is one the certificate names in its cRLDistributionPoints.
 */
function crlCovers(crl: pkijs.CertificateRevocationList, certificate: pkijs.Certificate, isCa: boolean): boolean {
  let idp: pkijs.IssuingDistributionPoint | undefined;
  for (const e of crl.crlExtensions?.extensions ?? []) {
    if (e.extnID === CRL_EXTENSIONS.deltaCrlIndicator) return false;
    if (e.critical && !CRL_UNDERSTOOD.has(e.extnID)) return false;
    if (e.extnID === CRL_EXTENSIONS.issuingDistributionPoint) {
      if (!(e.parsedValue instanceof pkijs.IssuingDistributionPoint)) return false;
      idp = e.parsedValue;
    }
  }
  if (!idp) return true;
  if (idp.indirectCRL || idp.onlyContainsAttributeCerts || idp.onlySomeReasons !== undefined) return false;
  if ((idp.onlyContainsUserCerts && isCa) || (idp.onlyContainsCACerts && !isCa)) return false;
  if (idp.distributionPoint === undefined) return true;
  const named = certificate.extensions?.find((e) => e.extnID === CRL_EXTENSIONS.crlDistributionPoints)?.parsedValue;
  if (!(named instanceof pkijs.CRLDistributionPoints)) return false;
  const wanted = Array.isArray(idp.distributionPoint) ? idp.distributionPoint.map(nameKey) : [];
  return named.distributionPoints.some((p) => Array.isArray(p.distributionPoint) && p.distributionPoint.some((n) => wanted.includes(nameKey(n))));
}

const CRL_CHECKS = new WeakMap<pkijs.CertificateRevocationList, Map<pkijs.Certificate, Promise<boolean>>>();

function crlSignedBy(crl: pkijs.CertificateRevocationList, issuer: pkijs.Certificate): Promise<boolean> {
  let byIssuer = CRL_CHECKS.get(crl);
  if (!byIssuer) CRL_CHECKS.set(crl, (byIssuer = new Map()));
  let check = byIssuer.get(issuer);
  if (!check) {
    check = verifySignature(issuer.subjectPublicKeyInfo, crl.signatureAlgorithm, crl.tbsView, crl.signatureValue.valueBlock.valueHexView).then(
      (r) => r.result === 'valid',
    );
    byIssuer.set(issuer, check);
  }
  return check;
}

/**
 * The revocation status of `certificate` (issued by `issuer`) at `at`, from the data in the file: revoked when
 * a verified response says it was revoked at or before `at`; good when a verified, fresh response in scope says
 * good (or a revocation only after `at`): current at `at`, or issued after `provedAt` (the time a timestamp
 * proves the signature existed); unknown when nothing verifiable and fresh names it.
 */
export async function revocationStatus(
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate | undefined,
  data: ValidationData,
  at: Date,
  spend: (units: number) => void = () => undefined,
  provedAt?: Date,
): Promise<CertificateRevocation> {
  const info = await certificateInfo(certificate);
  const unknown: CertificateRevocation = { certificate: info, status: 'unknown' };
  if (!issuer) return unknown;
  let good: CertificateRevocation | undefined;
  for (const { basic, source } of data.ocsps) {
    for (const single of basic.tbsResponseData.responses.slice(0, 64)) {
      spend(1);
      if (!(await matchesCertId(single.certID, certificate, issuer))) continue;
      if (!(await data.ocspSigned(basic, issuer))) continue;
      const status = single.certStatus as asn1js.BaseBlock;
      const tag = status?.idBlock?.tagNumber;
      const issuedAt = basic.tbsResponseData.producedAt;
      const fresh = single.thisUpdate instanceof Date && freshAt(single.thisUpdate, single.nextUpdate, at, provedAt);
      if (tag === 1) {
        // revoked [1] IMPLICIT RevokedInfo { revocationTime GeneralizedTime, … }
        const time = (status as asn1js.Constructed).valueBlock?.value?.[0];
        const revokedAt = time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined;
        if (!revokedAt || revokedAt <= at) {
          const r: CertificateRevocation = { certificate: info, status: 'revoked', via: 'ocsp', source, issuedAt };
          if (revokedAt) r.revokedAt = revokedAt;
          return r;
        }
        if (fresh) good ??= { certificate: info, status: 'good', via: 'ocsp', source, issuedAt };
      } else if (tag === 0 && fresh) {
        good ??= { certificate: info, status: 'good', via: 'ocsp', source, issuedAt };
      }
    }
  }
  const issuerUsage = keyUsage(issuer);
  const certificateIsCa = (await certificateInfo(certificate)).isCa;
  for (const { crl, source } of data.crls) {
    spend(1);
    if (!sameName(crl.issuer, certificate.issuer)) continue;
    if (issuerUsage && !issuerUsage.includes('cRLSign')) continue; // not a CRL signer (RFC 5280 §4.2.1.3)
    if (!crlCovers(crl, certificate, certificateIsCa)) continue;
    if (!(await crlSignedBy(crl, issuer))) continue;
    const entry = revokedEntry(crl, certificate.serialNumber);
    if (!entry) continue; // a revoked list that cannot be read proves nothing
    spend(Math.ceil(entry.count / 64));
    const issuedAt = crl.thisUpdate.value;
    if (entry.found) {
      const revokedAt = entry.revokedAt;
      if (revokedAt && revokedAt <= at) return { certificate: info, status: 'revoked', via: 'crl', source, issuedAt, revokedAt };
    }
    if (freshAt(issuedAt, crl.nextUpdate?.value, at, provedAt)) good ??= { certificate: info, status: 'good', via: 'crl', source, issuedAt };
  }
  return good ?? unknown;
}

/** The DER of every stream an array of the DSS lists (ETSI EN 319 142-1 §5.4.2.2). */
export type StreamReader = (value: unknown) => Promise<Uint8Array[]>;

export { parseDer };
