// What every simulator shares: the sandbox CA (opened once per data directory), real PAdES signing with a
// visible stamp, page geometry, and verification of the signatures in a PDF with pkijs and node:crypto.
import { webcrypto, X509Certificate, createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PageGeometry } from '@esign-kit/core';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { checkPdfBytes, readPageGeometries } from '@esign-kit/server/pdf';
import { openSandboxCa, signPdf, type SandboxCa, type StampContent } from './signing/index.js';
import type { SandboxUser, StoredBox } from './state.js';

const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });

export interface SignAs {
  /** A person (their certificate) or an organisation's seal. */
  who: { kind: 'person'; user: Pick<SandboxUser, 'name' | 'email' | 'nik'> } | { kind: 'seal'; organisation: string; email?: string };
  stamp?: { box: StoredBox; content: StampContent } | undefined;
  reason?: string | undefined;
  location?: string | undefined;
}

export class SigningEngine {
  readonly #caDir: string;
  #ca: Promise<SandboxCa> | undefined;

  constructor(sandboxDir: string) {
    this.#caDir = join(sandboxDir, 'ca');
  }

  ca(): Promise<SandboxCa> {
    this.#ca ??= openSandboxCa(this.#caDir);
    return this.#ca;
  }

  async sign(pdf: Uint8Array, options: SignAs): Promise<Uint8Array> {
    if (!(await passesIntake(pdf))) throw Object.assign(new Error('The PDF was refused by the intake check.'), { status: 400 });
    const ca = await this.ca();
    const credentials =
      options.who.kind === 'person'
        ? await ca.signer({ name: options.who.user.name, email: options.who.user.email, nik: options.who.user.nik })
        : await ca.seal({ organisation: options.who.organisation, ...(options.who.email ? { email: options.who.email } : {}) });
    return signPdf(pdf, {
      credentials,
      ...(options.stamp ? { stamp: { box: options.stamp.box, content: options.stamp.content } } : {}),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      ...(options.location !== undefined ? { location: options.location } : {}),
      signingTime: new Date(),
    });
  }

  async verify(pdf: Uint8Array): Promise<VerifiedSignature[]> {
    if (!(await passesIntake(pdf))) return [];
    return verifySignatures(pdf, (await this.ca()).rootCertificatePem);
  }
}

export const isPdf = (b: Uint8Array) => b.length > 5 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d;

/** An encrypted (password-protected) PDF: the sandbox cannot decrypt it, so it cannot sign it. */
export function isEncryptedPdf(pdf: Uint8Array): boolean {
  return /\/Encrypt\s+\d+\s+\d+\s+R/.test(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1'));
}

/**
 * The simulators take PDFs straight from outside: pdf-lib parses one only after the companion's own intake
 * (server/src/pdf/intake-pool.ts: the kit's reader, in a worker, within its limits) has read it.
 */
async function passesIntake(pdf: Uint8Array): Promise<boolean> {
  return isPdf(pdf) && (await checkPdfBytes(pdf).catch(() => undefined))?.ok === true;
}

/** The geometry of every page, or undefined when the bytes are not a PDF pdf-lib can read (or are encrypted). */
export async function pageGeometries(pdf: Uint8Array): Promise<PageGeometry[] | undefined> {
  if (!(await passesIntake(pdf))) return undefined;
  try {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
    if (doc.isEncrypted) return undefined;
    return readPageGeometries(doc);
  } catch {
    return undefined;
  }
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  commonName: string;
  issuerName: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  keyUsage: string[];
}

export interface VerifiedSignature {
  fieldName: string;
  signerName: string;
  reason: string;
  location: string;
  /** From /M, else the CMS signing-time. */
  signedAt: Date | undefined;
  subFilter: string;
  /** The CMS signature verifies over the signed byte range (pkijs). */
  integrity: boolean;
  /** The signer's chain ends at the sandbox root (node:crypto X509Certificate checks). */
  trusted: boolean;
  /** This signature's byte range covers the whole file. */
  coversWholeFile: boolean;
  /** The certificates, leaf first. */
  chain: CertificateInfo[];
  signedBytesSha256: string;
  signatureValueHex: string;
}

function dnOf(x509: X509Certificate, field: 'subject' | 'issuer'): string {
  return x509[field].split('\n').reverse().join(', ');
}

function cnOf(dn: string): string {
  return /CN=([^,]+)/.exec(dn)?.[1]?.trim() ?? dn;
}

function info(x509: X509Certificate): CertificateInfo {
  const subject = dnOf(x509, 'subject');
  const issuer = dnOf(x509, 'issuer');
  const cert = pkijs.Certificate.fromBER(new Uint8Array(x509.raw));
  const usageExt = cert.extensions?.find((e) => e.extnID === '2.5.29.15');
  const keyUsage: string[] = [];
  if (usageExt) {
    const names = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'crlSign'];
    const bits = new Uint8Array((usageExt.parsedValue as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView);
    names.forEach((n, i) => {
      if (((bits[0] ?? 0) >> (7 - i)) & 1) keyUsage.push(n);
    });
  }
  return {
    subject,
    issuer,
    commonName: cnOf(subject),
    issuerName: issuer,
    serialNumber: BigInt(`0x${x509.serialNumber}`).toString(10),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    keyUsage,
  };
}

function pdfText(value: unknown): string {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return '';
}

function pdfDate(text: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(text);
  if (!m) return undefined;
  const tz = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${tz}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The CMS in a signature's /Contents hole (its hex, between the angle brackets): the DER element at its start, cut
 * at the element's own length. The hole is padded with zeros after it (ISO 32000-1 §12.8.1), and a DER may itself
 * end in zero bytes (an RSA signature value's last byte is 00 once in 256): trimming the hex's trailing "00"s cut
 * such a CMS short and called an intact signature broken. Also the element as parsed (`asn1`), so that the
 * caller builds its ContentInfo from this one parse rather than parsing the same bytes again.
 */
export function signatureDer(holeHex: string): { der: Uint8Array<ArrayBuffer>; asn1: asn1js.AsnType } {
  const bytes = new Uint8Array(Buffer.from(holeHex.length % 2 ? `${holeHex}0` : holeHex, 'hex'));
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) throw new Error(`the signature's /Contents is not DER: ${parsed.result.error}`);
  return { der: bytes.subarray(0, parsed.offset), asn1: parsed.result };
}

/** Reads and checks every signature in the file, in file order (first signer first). */
export async function verifySignatures(pdf: Uint8Array, rootPem: string): Promise<VerifiedSignature[]> {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  // Field names and dictionary entries come from pdf-lib, keyed by the signature's byte range.
  const meta = new Map<string, { field: string; reason: string; location: string; m: string; subFilter: string }>();
  try {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
    const acro = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
    const fields = acro?.lookupMaybe(PDFName.of('Fields'), PDFArray);
    for (let i = 0; fields && i < fields.size(); i++) {
      const f = fields.lookupMaybe(i, PDFDict);
      const v = f?.lookupMaybe(PDFName.of('V'), PDFDict);
      const br = v?.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
      if (!f || !v || !br) continue;
      const key = br
        .asArray()
        .map((n) => String(n))
        .join(' ');
      meta.set(key, {
        field: pdfText(f.lookup(PDFName.of('T'))),
        reason: pdfText(v.lookup(PDFName.of('Reason'))),
        location: pdfText(v.lookup(PDFName.of('Location'))),
        m: pdfText(v.lookup(PDFName.of('M'))),
        subFilter: v.lookupMaybe(PDFName.of('SubFilter'), PDFName)?.decodeText() ?? '',
      });
    }
  } catch {
    // An unreadable structure still gets its byte ranges checked below.
  }
  const root = new X509Certificate(rootPem);
  const out: VerifiedSignature[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    const signedBytes = new Uint8Array(Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]));
    const md = meta.get(`${a} ${b} ${c} ${d}`);
    let integrity: boolean;
    let trusted = false;
    const chain: CertificateInfo[] = [];
    let signatureValueHex = '';
    let cmsTime: Date | undefined;
    try {
      const { asn1 } = signatureDer(text.slice(b + 1, c - 1));
      const signedData = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn1 }).content });
      integrity = await signedData.verify({ signer: 0, data: signedBytes.slice().buffer, checkChain: false }, engine);
      const signerInfo = signedData.signerInfos[0];
      signatureValueHex = Buffer.from(signerInfo?.signature.valueBlock.valueHexView ?? new Uint8Array()).toString('hex');
      const timeAttr = signerInfo?.signedAttrs?.attributes.find((x) => x.type === '1.2.840.113549.1.9.5');
      const t = timeAttr?.values[0] as { toDate?: () => Date } | undefined;
      cmsTime = t?.toDate?.();
      const certs = (signedData.certificates ?? [])
        .filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate)
        .map((x) => new X509Certificate(Buffer.from(x.toSchema().toBER())));
      const sid = signerInfo?.sid as pkijs.IssuerAndSerialNumber | undefined;
      const serialHex = sid ? Buffer.from(sid.serialNumber.valueBlock.valueHexView).toString('hex').replace(/^0+/, '').toUpperCase() : '';
      let leaf = certs.find((x) => x.serialNumber.replace(/^0+/, '').toUpperCase() === serialHex) ?? certs[0];
      const seen = new Set<X509Certificate>();
      while (leaf && !seen.has(leaf)) {
        seen.add(leaf);
        chain.push(info(leaf));
        if (leaf.raw.equals(root.raw)) {
          trusted = true;
          break;
        }
        if (leaf.checkIssued(root) && leaf.verify(root.publicKey)) {
          chain.push(info(root));
          trusted = true;
          break;
        }
        const current: X509Certificate = leaf;
        leaf = certs.find((x) => x !== current && current.checkIssued(x) && current.verify(x.publicKey));
      }
      const now = Date.now();
      if (chain.some((c2) => c2.notAfter.getTime() < now || c2.notBefore.getTime() > now)) trusted = false;
    } catch {
      integrity = false;
    }
    out.push({
      fieldName: md?.field ?? '',
      signerName: chain[0]?.commonName ?? '',
      reason: md?.reason ?? '',
      location: md?.location ?? '',
      signedAt: (md?.m ? pdfDate(md.m) : undefined) ?? cmsTime,
      subFilter: md?.subFilter ?? '',
      integrity,
      trusted,
      coversWholeFile: c + d === pdf.byteLength,
      chain,
      signedBytesSha256: createHash('sha256').update(signedBytes).digest('hex'),
      signatureValueHex,
    });
  }
  return out;
}

/** `yyyy-MM-dd HH:mm:ss.SS` (BSrE legacy verify, A.5). */
export function bsreLegacyDate(d: Date | undefined): string | null {
  if (!d) return null;
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(Math.floor(d.getUTCMilliseconds() / 10))}`;
}

/** Peruri/Digisign style `yyyy-MM-dd HH:mm:ss`. */
export function plainDate(d: Date): string {
  return bsreLegacyDate(d)!.slice(0, 19);
}
