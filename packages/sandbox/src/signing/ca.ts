// The sandbox's own certificate authority: root → intermediate → one certificate per signer or organisation.
// Everything is created on first use under one directory (the server's DATA_DIR/sandbox/ca) and reloaded on
// later starts, so that a restart keeps signing with the same certificates and a trust list built once
// (an NSS db, Acrobat's trusted identities) stays valid. NOT a production CA: keys are stored unencrypted.
import { createHash, generateKeyPair as generateKeyPairCallback, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPair = promisify(generateKeyPairCallback);

/** A natural person who signs (BSrE/Peruri/Digisign "signer"). */
export interface SignerIdentity {
  /** The certificate's CN: the name shown by viewers. */
  name: string;
  /** Written as subject emailAddress and subjectAltName rfc822Name. */
  email?: string;
  /** NIK (Indonesian identity number) or another identifier, written as the subject serialNumber (2.5.4.5). */
  nik?: string;
  /** Written as O, when the person signs on behalf of an organisation. */
  organisation?: string;
}

/** An organisation that seals (segel elektronik): CN = O = the organisation's name. */
export interface SealIdentity {
  organisation: string;
  organisationalUnit?: string;
  email?: string;
  /** A registration number (NIB, NPWP…), written as the subject serialNumber. */
  registrationNumber?: string;
}

/** A private key with its certificate chain: what the PAdES signer needs. */
export interface SigningCredentials {
  kind: 'person' | 'seal';
  /** The subject's CN. */
  commonName: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  certificatePem: string;
  /** The issuers, nearest first: [intermediate, root]. */
  chainPems: string[];
}

export interface SandboxCaOptions {
  /** Clock, for tests. */
  now?: () => Date;
}

const ROOT_SUBJECT = [
  { shortName: 'C', value: 'ID' },
  { shortName: 'O', value: 'esign-kit sandbox (not for production)' },
  { shortName: 'CN', value: 'esign-kit Sandbox Root CA' },
];
const INTERMEDIATE_SUBJECT = [
  { shortName: 'C', value: 'ID' },
  { shortName: 'O', value: 'esign-kit sandbox (not for production)' },
  { shortName: 'CN', value: 'esign-kit Sandbox Signing CA' },
];
const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;
/** Certificates are back-dated a day so that a signer's clock running slightly behind still sees them valid. */
const BACKDATE = DAY;
/** A cached end-entity certificate is reissued when it would expire within this margin. */
const RENEW_MARGIN = 30 * DAY;

interface StoredKeyPair {
  privateKeyPem: string;
  certificatePem: string;
}
interface StoredCa {
  version: 1;
  root: StoredKeyPair;
  intermediate: StoredKeyPair;
}
interface StoredSubject extends StoredKeyPair {
  version: 1;
  kind: 'person' | 'seal';
  identity: SignerIdentity | SealIdentity;
}

async function rsaKeyPem(): Promise<string> {
  // node:crypto generates RSA keys natively, far faster than node-forge's JavaScript prime search.
  const { privateKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return privateKey;
}

/** A positive serial number of 16 random bytes (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

interface IssueParams {
  subject: forge.pki.CertificateField[];
  keyPem: string;
  issuer: { certificate: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | null;
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
}

function issue(params: IssueParams): string {
  const key = forge.pki.privateKeyFromPem(params.keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = params.notBefore;
  cert.validity.notAfter = params.notAfter;
  cert.setSubject(params.subject);
  cert.setIssuer(params.issuer ? params.issuer.certificate.subject.attributes : params.subject);
  const extensions: object[] = [...params.extensions, { name: 'subjectKeyIdentifier' }];
  if (params.issuer) {
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: params.issuer.certificate.generateSubjectKeyIdentifier().getBytes(),
    });
  }
  cert.setExtensions(extensions);
  cert.sign(params.issuer ? params.issuer.key : key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** Writes a file only if it does not exist yet (link() refuses to overwrite); returns false when it lost a race. */
async function writeOnce(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function subjectKey(kind: 'person' | 'seal', identity: SignerIdentity | SealIdentity): string {
  // The file name is a hash of the identity, so that the same person always gets the same certificate and a
  // changed e-mail or NIK gets a new one.
  const canonical = JSON.stringify([
    kind,
    Object.entries(identity)
      .filter(([, v]) => v !== undefined)
      .sort(),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

export class SandboxCa {
  /** PEM of the self-signed root: add it to trust lists (NSS db, Acrobat) to see sandbox signatures as trusted. */
  readonly rootCertificatePem: string;
  readonly intermediateCertificatePem: string;
  readonly #dir: string;
  readonly #now: () => Date;
  readonly #intermediate: { certificate: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  readonly #pending = new Map<string, Promise<SigningCredentials>>();

  private constructor(dir: string, stored: StoredCa, now: () => Date) {
    this.#dir = dir;
    this.#now = now;
    this.rootCertificatePem = stored.root.certificatePem;
    this.intermediateCertificatePem = stored.intermediate.certificatePem;
    this.#intermediate = {
      certificate: forge.pki.certificateFromPem(stored.intermediate.certificatePem),
      key: forge.pki.privateKeyFromPem(stored.intermediate.privateKeyPem) as forge.pki.rsa.PrivateKey,
    };
  }

  /** Opens the CA stored in `dir`, creating the root and the intermediate on first use. */
  static async open(dir: string, options: SandboxCaOptions = {}): Promise<SandboxCa> {
    const now = options.now ?? (() => new Date());
    await mkdir(join(dir, 'subjects'), { recursive: true, mode: 0o700 });
    const path = join(dir, 'ca.json');
    let stored = await readJson<StoredCa>(path);
    if (!stored) {
      const created = await SandboxCa.#create(now());
      // Two servers starting at once on the same directory: the first writer wins, the other reloads.
      stored = (await writeOnce(path, JSON.stringify(created, null, 2))) ? created : await readJson<StoredCa>(path);
      if (!stored) throw new Error(`Sandbox CA: ${path} vanished while it was being created.`);
    }
    if (stored.version !== 1) throw new Error(`Sandbox CA: ${path} has an unknown version.`);
    return new SandboxCa(dir, stored, now);
  }

  static async #create(now: Date): Promise<StoredCa> {
    const [rootKey, intermediateKey] = await Promise.all([rsaKeyPem(), rsaKeyPem()]);
    const notBefore = new Date(now.getTime() - BACKDATE);
    const rootPem = issue({
      subject: ROOT_SUBJECT,
      keyPem: rootKey,
      issuer: null,
      notBefore,
      notAfter: new Date(now.getTime() + 20 * YEAR),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const root = {
      certificate: forge.pki.certificateFromPem(rootPem),
      key: forge.pki.privateKeyFromPem(rootKey) as forge.pki.rsa.PrivateKey,
    };
    const intermediatePem = issue({
      subject: INTERMEDIATE_SUBJECT,
      keyPem: intermediateKey,
      issuer: root,
      notBefore,
      notAfter: new Date(now.getTime() + 15 * YEAR),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    return {
      version: 1,
      root: { privateKeyPem: rootKey, certificatePem: rootPem },
      intermediate: { privateKeyPem: intermediateKey, certificatePem: intermediatePem },
    };
  }

  /** The credentials of a person, issued on first request and reused afterwards (also across restarts). */
  signer(identity: SignerIdentity): Promise<SigningCredentials> {
    if (!identity.name.trim()) throw new TypeError('SandboxCa.signer: identity.name must not be empty.');
    const subject: forge.pki.CertificateField[] = [{ shortName: 'C', value: 'ID' }];
    if (identity.organisation) subject.push({ shortName: 'O', value: identity.organisation });
    subject.push({ shortName: 'CN', value: identity.name });
    if (identity.nik) subject.push({ name: 'serialNumber', value: identity.nik });
    if (identity.email) subject.push({ name: 'emailAddress', value: identity.email });
    return this.#subject('person', identity, identity.name, subject, identity.email);
  }

  /** The credentials of an organisation's electronic seal (CN = O = the organisation). */
  seal(identity: SealIdentity): Promise<SigningCredentials> {
    if (!identity.organisation.trim()) throw new TypeError('SandboxCa.seal: identity.organisation must not be empty.');
    const subject: forge.pki.CertificateField[] = [
      { shortName: 'C', value: 'ID' },
      { shortName: 'O', value: identity.organisation },
    ];
    if (identity.organisationalUnit) subject.push({ shortName: 'OU', value: identity.organisationalUnit });
    subject.push({ shortName: 'CN', value: identity.organisation });
    if (identity.registrationNumber) subject.push({ name: 'serialNumber', value: identity.registrationNumber });
    if (identity.email) subject.push({ name: 'emailAddress', value: identity.email });
    return this.#subject('seal', identity, identity.organisation, subject, identity.email);
  }

  #subject(
    kind: 'person' | 'seal',
    identity: SignerIdentity | SealIdentity,
    commonName: string,
    subject: forge.pki.CertificateField[],
    email: string | undefined,
  ): Promise<SigningCredentials> {
    const key = subjectKey(kind, identity);
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#loadOrIssue(key, kind, identity, commonName, subject, email);
      this.#pending.set(key, pending);
      pending.catch(() => this.#pending.delete(key));
    }
    return pending;
  }

  async #loadOrIssue(
    key: string,
    kind: 'person' | 'seal',
    identity: SignerIdentity | SealIdentity,
    commonName: string,
    subject: forge.pki.CertificateField[],
    email: string | undefined,
  ): Promise<SigningCredentials> {
    const path = join(this.#dir, 'subjects', `${key}.json`);
    const now = this.#now();
    const usable = (s: StoredSubject | undefined): s is StoredSubject =>
      !!s &&
      forge.pki.certificateFromPem(s.certificatePem).validity.notAfter.getTime() > now.getTime() + RENEW_MARGIN &&
      // Issued by this CA (the directory may have been reset while subject files stayed).
      this.#intermediate.certificate.verify(forge.pki.certificateFromPem(s.certificatePem));
    let stored = await readJson<StoredSubject>(path);
    if (!usable(stored)) {
      if (stored) await rm(path, { force: true });
      const keyPem = await rsaKeyPem();
      const extensions: object[] = [
        { name: 'basicConstraints', cA: false, critical: true },
        // digitalSignature + nonRepudiation (contentCommitment): the usual key usage of signing certificates.
        { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      ];
      if (email) extensions.push({ name: 'subjectAltName', altNames: [{ type: 1, value: email }] });
      const certificatePem = issue({
        subject,
        keyPem,
        issuer: this.#intermediate,
        notBefore: new Date(now.getTime() - BACKDATE),
        notAfter: new Date(now.getTime() + 5 * YEAR),
        extensions,
      });
      const created: StoredSubject = { version: 1, kind, identity, privateKeyPem: keyPem, certificatePem };
      stored = (await writeOnce(path, JSON.stringify(created, null, 2))) ? created : await readJson<StoredSubject>(path);
      if (!stored) throw new Error(`Sandbox CA: ${path} vanished while it was being created.`);
    }
    return {
      kind,
      commonName,
      privateKeyPem: stored.privateKeyPem,
      certificatePem: stored.certificatePem,
      chainPems: [this.intermediateCertificatePem, this.rootCertificatePem],
    };
  }
}

/** Opens (or creates) the sandbox CA stored in `dir`. */
export function openSandboxCa(dir: string, options: SandboxCaOptions = {}): Promise<SandboxCa> {
  return SandboxCa.open(dir, options);
}
