// Certificate chains and timestamp authorities, made in the test (node-forge, keys from node:crypto) and judged
// by OpenSSL (`openssl verify`, the independent oracle) and by @esign-kit/verify: an end-entity certificate is not
// an issuer (basicConstraints cA), nor is a CA without keyCertSign, nor one past its pathLenConstraint (RFC 5280
// §6.1.4); a certificate with a critical extension nobody here understands is refused (§4.2); a timestamp token
// counts as proof of existence only when its signer holds id-kp-timeStamping (RFC 3161 §2.3). Then the chain
// builder's search: candidate issuers that do not verify are skipped, the right one is found behind them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { inspectPdf } from '@esign-kit/verify';
import { evaluateTrust, readCertificates } from '../../packages/verify/src/cms.js';
import { ValidationData, revocationStatus } from '../../packages/verify/src/revocation.js';
import { addTimestamp } from './support/signature-timestamp.js';

const run = promisify(execFile);

interface Party {
  name: string;
  certificatePem: string;
  privateKeyPem: string;
  certificate: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

const YEAR = 365 * 24 * 3600 * 1000;
const AT = new Date('2026-06-01T00:00:00Z');

/** A certificate for `name`, issued by `issuer` (self-signed when null), with the given extensions; a new key unless given. */
function party(
  name: string,
  issuer: Party | null,
  extensions: object[],
  validity: [Date, Date] = [new Date(AT.getTime() - YEAR), new Date(AT.getTime() + 5 * YEAR)],
  keyOf?: Party,
): Party {
  const privateKeyPem =
    keyOf?.privateKeyPem ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  [cert.validity.notBefore, cert.validity.notAfter] = validity;
  const subject = [
    { name: 'commonName', value: name },
    { name: 'organizationName', value: 'esign-kit chain test' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.certificate.subject.attributes : subject);
  const ids: object[] = [{ name: 'subjectKeyIdentifier' }];
  if (issuer) ids.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuer.certificate.generateSubjectKeyIdentifier().getBytes() });
  cert.setExtensions([...extensions, ...ids]);
  cert.sign(issuer ? issuer.key : key, forge.md.sha256.create());
  return { name, certificatePem: forge.pki.certificateToPem(cert), privateKeyPem, certificate: cert, key };
}

const CA = (pathLen?: number) => [
  { name: 'basicConstraints', cA: true, critical: true, ...(pathLen === undefined ? {} : { pathLenConstraint: pathLen }) },
  { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
];
const END_ENTITY = [
  { name: 'basicConstraints', cA: false, critical: true },
  { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
];
/** A private extension (an OID of no standard), marked critical: a verifier that does not know it must refuse. */
const UNKNOWN_CRITICAL = {
  id: '1.3.6.1.4.1.55555.1.1',
  critical: true,
  value: forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, '')).getBytes(),
};

/** The minimal signed PDF (one invisible signature field), its /Contents filled with the CMS OpenSSL makes. */
async function signedPdf(dir: string, signer: Party, chain: Party[]): Promise<Uint8Array> {
  const HOLE = 16384;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 144] >>',
    '<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [4 0 R] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>',
    '<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 5 0 R /F 132 >>',
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 ${'X'.repeat(10)} ${'X'.repeat(10)} ${'X'.repeat(10)}] /Contents <${'0'.repeat(HOLE)}> /M (D:20260101000000Z) >>`,
    '<< /Length 49 >>\nstream\nBT /F1 18 Tf 20 60 Td (Disetujui Direktur Utama) Tj ET\nendstream',
  ];
  let text = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 7\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Root 1 0 R /Size 7 >>\nstartxref\n${xref}\n%%EOF\n`;
  const a = text.indexOf('/Contents <') + '/Contents '.length;
  const b = a + HOLE + 2;
  text = text.replace(
    `[0 ${'X'.repeat(10)} ${'X'.repeat(10)} ${'X'.repeat(10)}]`,
    `[0 ${String(a).padStart(10, '0')} ${String(b).padStart(10, '0')} ${String(text.length - b).padStart(10, '0')}]`,
  );
  const pdf = Buffer.from(text, 'latin1');
  writeFileSync(join(dir, 'signed.bin'), Buffer.concat([pdf.subarray(0, a), pdf.subarray(b)]));
  writeFileSync(join(dir, 'signer.pem'), signer.certificatePem);
  writeFileSync(join(dir, 'signer.key'), signer.privateKeyPem);
  writeFileSync(join(dir, 'chain.pem'), chain.map((p) => p.certificatePem).join(''));
  const { stdout } = await run(
    'openssl',
    [
      'cms',
      '-sign',
      '-binary',
      '-in',
      'signed.bin',
      '-signer',
      'signer.pem',
      '-inkey',
      'signer.key',
      '-certfile',
      'chain.pem',
      '-outform',
      'DER',
      '-md',
      'sha256',
    ],
    { cwd: dir, encoding: 'buffer', maxBuffer: 2 ** 24 },
  );
  const hex = stdout.toString('hex');
  assert.ok(hex.length <= HOLE);
  pdf.write(hex, a + 1, 'latin1');
  return new Uint8Array(pdf);
}

describe('certificate chains: only a CA may issue, within its path length; unknown critical extensions refused (RFC 5280)', { timeout: 120_000 }, () => {
  let dir: string;
  let root: Party;
  let subCa: Party;
  let parties: Record<string, Party>;
  /** Whether `openssl verify` accepts `leaf` with `root` trusted and `chain` as untrusted intermediates, at AT. */
  let opensslAccepts: (leaf: Party, chain: Party[], purpose?: string) => Promise<{ ok: boolean; message: string }>;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'esign-verify-chain-'));
    root = party('Root CA Uji', null, CA());
    subCa = party('Sub CA Uji', root, CA(0));
    const budi = party('Budi', root, END_ENTITY);
    const noCertSign = party('CA tanpa keyCertSign', root, [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
    ]);
    const subSub = party('Sub-sub CA', subCa, CA());
    parties = {
      budi,
      direktur: party('Direktur Utama', budi, END_ENTITY),
      rina: party('Rina', subCa, END_ENTITY),
      siti: party('Siti', noCertSign, END_ENTITY),
      noCertSign,
      subSub,
      ani: party('Ani', subSub, END_ENTITY),
      eko: party('Eko', subCa, [...END_ENTITY, UNKNOWN_CRITICAL]),
      tsa: party('TSA Uji', root, [
        ...END_ENTITY.slice(0, 1),
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', timeStamping: true, critical: true },
      ]),
    };
    writeFileSync(join(dir, 'root.pem'), root.certificatePem);
    opensslAccepts = async (leaf, chain, purpose) => {
      writeFileSync(join(dir, 'leaf.pem'), leaf.certificatePem);
      writeFileSync(join(dir, 'untrusted.pem'), chain.map((p) => p.certificatePem).join('') || root.certificatePem);
      const args = [
        'verify',
        '-CAfile',
        'root.pem',
        '-untrusted',
        'untrusted.pem',
        '-attime',
        String(AT.getTime() / 1000),
        ...(purpose ? ['-purpose', purpose] : []),
        'leaf.pem',
      ];
      try {
        const { stdout } = await run('openssl', args, { cwd: dir });
        return { ok: true, message: stdout.trim() };
      } catch (err) {
        return { ok: false, message: String((err as { stdout?: string; stderr?: string }).stderr ?? err).trim() };
      }
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [label: string, leaf: string, chain: string[], expected: boolean][] = [
    ['a signer under a CA with pathLen 0: accepted', 'rina', ['subCa'], true],
    ['a certificate issued by an end entity (CA:FALSE): refused', 'direktur', ['budi'], false],
    ['a certificate issued by a CA without keyCertSign: refused', 'siti', ['noCertSign'], false],
    ['a CA below a CA whose pathLen is 0 issuing a signer: refused', 'ani', ['subSub', 'subCa'], false],
    ['a signer with an unknown critical extension: refused', 'eko', ['subCa'], false],
  ];
  for (const [label, leaf, chain, expected] of cases) {
    it(`${label}, as openssl verify says`, async () => {
      const issuers = chain.map((n) => (n === 'subCa' ? subCa : parties[n]!));
      const oracle = await opensslAccepts(parties[leaf]!, issuers);
      assert.equal(oracle.ok, expected, `openssl verify: ${oracle.message}`);
      const [signer, ...included] = readCertificates([parties[leaf]!.certificatePem, ...issuers.map((p) => p.certificatePem)]);
      const [anchor] = readCertificates([root.certificatePem]);
      const trust = await evaluateTrust(signer!, included, [anchor!], AT);
      assert.equal(trust.status === 'trusted', expected, `ours: ${trust.status} ${trust.reason} (openssl: ${oracle.message})`);
    });
  }

  it('end to end: "Direktur Utama" signed with a certificate Budi (an end entity) issued is not trusted; pdfsig-like "issuer unknown"', async () => {
    const pdf = await signedPdf(dir, parties.direktur!, [parties.budi!]);
    const [s] = (await inspectPdf(pdf, { trustedRoots: [root.certificatePem], validationTime: AT })).signatures;
    assert.equal(s?.integrity, 'intact');
    assert.equal(s?.signer?.subject.commonName, 'Direktur Utama');
    assert.notEqual(s?.trust.status, 'trusted');
    assert.equal(s?.verdict, 'valid-untrusted');
    assert.equal(s?.trust.reason, 'CHAIN_INCOMPLETE');
    // The same signer under a real CA: trusted.
    const [good] = (await inspectPdf(await signedPdf(dir, parties.rina!, [subCa]), { trustedRoots: [root.certificatePem], validationTime: AT })).signatures;
    assert.equal(good?.verdict, 'valid');
  });

  it('a signature timestamp moves the validation time only when its signer is a TSA (id-kp-timeStamping), as openssl -purpose timestampsign says', async () => {
    assert.equal((await opensslAccepts(parties.tsa!, [], 'timestampsign')).ok, true);
    assert.equal((await opensslAccepts(parties.budi!, [], 'timestampsign')).ok, false);
    // A signer whose certificate expired: valid only at a time a real timestamp proves.
    const expired = party('Dewi', subCa, END_ENTITY, [new Date('2026-01-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z')]);
    const pdf = await signedPdf(dir, expired, [subCa]);
    const genTime = new Date('2026-02-01T00:00:00Z');
    const options = { trustedRoots: [root.certificatePem] };
    const byTsa = (await inspectPdf(await addTimestamp(pdf, parties.tsa!, genTime), options)).signatures[0]!;
    assert.equal(byTsa.verdict, 'valid', `${byTsa.trust.reason} ${byTsa.problems}`);
    assert.equal(byTsa.ltv?.provedAt?.toISOString(), genTime.toISOString());
    assert.equal(byTsa.level, 'B-T');
    // Budi holds a valid end-entity certificate under the same root, but is no TSA: his token proves nothing.
    const byBudi = (await inspectPdf(await addTimestamp(pdf, parties.budi!, genTime), options)).signatures[0]!;
    assert.equal(byBudi.verdict, 'invalid');
    assert.equal(byBudi.trust.reason, 'CERTIFICATE_EXPIRED');
    assert.equal(byBudi.ltv?.provedAt, undefined);
    assert.equal(byBudi.level, 'B-B');
    assert.ok(byBudi.problems.includes('TIMESTAMP_INVALID'), byBudi.problems.join());
  });
});

describe('the chain builder searches: candidates that do not verify are not the issuer', { timeout: 120_000 }, () => {
  it('twenty decoys with the issuer’s name (other keys) before the real issuer: the real one is found', async () => {
    const root = party('Root CA Uji', null, CA());
    const sub = party('Sub CA Uji', root, CA(0));
    const leaf = party('Rina', sub, END_ENTITY);
    // Decoys: the same subject name as the Sub CA, another key; valid CA certificates under the same root.
    const decoy = party('Sub CA Uji', root, CA(0));
    const decoys = [decoy, ...Array.from({ length: 19 }, () => party('Sub CA Uji', root, CA(0), undefined, decoy))];
    const [signer, real, anchor, ...fakes] = readCertificates([
      leaf.certificatePem,
      sub.certificatePem,
      root.certificatePem,
      ...decoys.map((d) => d.certificatePem),
    ]);
    const trust = await evaluateTrust(signer!, [...fakes, real!], [anchor!], AT);
    assert.equal(trust.status, 'trusted', trust.reason);
    assert.equal(trust.path.length, 3);
    // Without the real issuer: nobody verifies — the chain is incomplete, not "invalid".
    const none = await evaluateTrust(signer!, fakes, [anchor!], AT);
    assert.deepEqual([none.status, none.reason], ['untrusted', 'CHAIN_INCOMPLETE']);
  });
});

describe('revocation data says "not revoked" only when fresh and in scope (RFC 5280 §5, §6.3; RFC 6960 §4.2.2.1)', { timeout: 120_000 }, () => {
  const DAY = 24 * 3600 * 1000;
  const days = (n: number) => new Date(AT.getTime() + n * DAY);
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: globalThis.crypto });
  let root: Party;
  let subCa: Party;
  let rina: Party;
  const cert = (p: Party) => readCertificates([p.certificatePem])[0]!;
  const signingKey = (p: Party) =>
    crypto.subtle.importKey(
      'pkcs8',
      new Uint8Array(Buffer.from(p.privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
  const extension = (extnID: string, value: asn1js.BaseBlock) => new pkijs.Extension({ extnID, critical: true, extnValue: value.toBER(false) });

  /** A CRL by `issuer` (RFC 5280 §5.1), signed with its key. */
  async function crl(issuer: Party, o: { thisUpdate: Date; nextUpdate: Date; revoked?: [Party, Date][]; extensions?: pkijs.Extension[] }): Promise<Uint8Array> {
    const list = new pkijs.CertificateRevocationList();
    list.version = 1;
    list.issuer = cert(issuer).subject;
    list.thisUpdate = new pkijs.Time({ type: 0, value: o.thisUpdate });
    list.nextUpdate = new pkijs.Time({ type: 0, value: o.nextUpdate });
    if (o.revoked) {
      list.revokedCertificates = o.revoked.map(
        ([p, at]) => new pkijs.RevokedCertificate({ userCertificate: cert(p).serialNumber, revocationDate: new pkijs.Time({ type: 0, value: at }) }),
      );
    }
    if (o.extensions) list.crlExtensions = new pkijs.Extensions({ extensions: o.extensions });
    await list.sign(await signingKey(issuer), 'SHA-256', engine);
    return new Uint8Array(list.toSchema(true).toBER(false));
  }

  /** A BasicOCSPResponse by `issuer` itself saying `subject` is good (RFC 6960 §4.2.1). */
  async function ocsp(issuer: Party, subject: Party, thisUpdate: Date, nextUpdate: Date): Promise<Uint8Array> {
    const basic = new pkijs.BasicOCSPResponse();
    basic.tbsResponseData.responderID = cert(issuer).subject;
    basic.tbsResponseData.producedAt = thisUpdate;
    const certID = new pkijs.CertID();
    await certID.createForCertificate(cert(subject), { hashAlgorithm: 'SHA-256', issuerCertificate: cert(issuer) }, engine);
    const good = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    basic.tbsResponseData.responses.push(new pkijs.SingleResponse({ certID, certStatus: good, thisUpdate, nextUpdate }));
    await basic.sign(await signingKey(issuer), 'SHA-256', engine);
    return new Uint8Array(basic.toSchema().toBER(false));
  }

  /** The status of `subject` (issued by `issuer`) from one CRL or OCSP response, at `at`, with an optional proof of existence. */
  async function statusFrom(der: Uint8Array, kind: 'crl' | 'ocsp', subject: Party, issuer: Party, at: Date, provedAt?: Date): Promise<string> {
    const data = new ValidationData();
    if (kind === 'crl') data.addCrlDer(der, 'dss');
    else data.addOcspDer(der, 'dss');
    return (await revocationStatus(cert(subject), cert(issuer), data, at, undefined, provedAt)).status;
  }

  before(() => {
    root = party('Root CA Revokasi', null, CA());
    subCa = party('Sub CA Revokasi', root, CA(0));
    rina = party('Rina Revokasi', subCa, END_ENTITY);
  });

  it('a full CRL current at the validation time: good; revoked when it lists the certificate', async () => {
    assert.equal(await statusFrom(await crl(root, { thisUpdate: days(-1), nextUpdate: days(30) }), 'crl', subCa, root, AT), 'good');
    assert.equal(
      await statusFrom(await crl(root, { thisUpdate: days(-1), nextUpdate: days(30), revoked: [[subCa, days(-2)]] }), 'crl', subCa, root, AT),
      'revoked',
    );
  });

  it('a CRL past its nextUpdate: unknown — unless issued after the proof of existence; a revocation in it still counts', async () => {
    const stale = await crl(root, { thisUpdate: days(-60), nextUpdate: days(-30) });
    assert.equal(await statusFrom(stale, 'crl', subCa, root, AT), 'unknown');
    assert.equal(await statusFrom(stale, 'crl', subCa, root, AT, days(-90)), 'good', 'issued after the time a timestamp proves');
    assert.equal(await statusFrom(stale, 'crl', subCa, root, AT, days(-45)), 'unknown', 'issued before it');
    assert.equal(
      await statusFrom(await crl(root, { thisUpdate: days(-60), nextUpdate: days(-30), revoked: [[subCa, days(-61)]] }), 'crl', subCa, root, AT),
      'revoked',
    );
  });

  it('a CRL not yet issued at the validation time (and no proof of existence before it): unknown', async () => {
    assert.equal(await statusFrom(await crl(root, { thisUpdate: days(10), nextUpdate: days(40) }), 'crl', subCa, root, AT), 'unknown');
  });

  it('a delta CRL alone says nothing about what the base CRL revoked: unknown', async () => {
    const delta = await crl(root, { thisUpdate: days(-1), nextUpdate: days(30), extensions: [extension('2.5.29.27', new asn1js.Integer({ value: 7 }))] });
    assert.equal(await statusFrom(delta, 'crl', subCa, root, AT), 'unknown');
  });

  it('a partitioned CRL (IssuingDistributionPoint): only for the certificates in its scope', async () => {
    const idp = (p: ConstructorParameters<typeof pkijs.IssuingDistributionPoint>[0]) =>
      extension('2.5.29.28', new pkijs.IssuingDistributionPoint(p).toSchema());
    const usersOnly = await crl(root, { thisUpdate: days(-1), nextUpdate: days(30), extensions: [idp({ onlyContainsUserCerts: true })] });
    assert.equal(await statusFrom(usersOnly, 'crl', subCa, root, AT), 'unknown', 'a CA certificate is outside a users-only CRL');
    const usersOnlyBySub = await crl(subCa, { thisUpdate: days(-1), nextUpdate: days(30), extensions: [idp({ onlyContainsUserCerts: true })] });
    assert.equal(await statusFrom(usersOnlyBySub, 'crl', rina, subCa, AT), 'good', 'an end-entity certificate is inside it');
    const someReasons = await crl(subCa, { thisUpdate: days(-1), nextUpdate: days(30), extensions: [idp({ onlySomeReasons: 0x40 })] });
    assert.equal(await statusFrom(someReasons, 'crl', rina, subCa, AT), 'unknown', 'a CRL for some reasons only');
  });

  it('an OCSP response past its nextUpdate: unknown (unless produced after the proof of existence); current: good', async () => {
    assert.equal(await statusFrom(await ocsp(subCa, rina, days(-1), days(6)), 'ocsp', rina, subCa, AT), 'good');
    const stale = await ocsp(subCa, rina, days(-20), days(-13));
    assert.equal(await statusFrom(stale, 'ocsp', rina, subCa, AT), 'unknown');
    assert.equal(await statusFrom(stale, 'ocsp', rina, subCa, AT, days(-30)), 'good');
  });
});
