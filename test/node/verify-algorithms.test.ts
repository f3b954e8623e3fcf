// Signature algorithms and CMS shapes made by an independent tool (OpenSSL's `cms -sign`), written into the
// /Contents hole of a PDF signed by the sandbox: what WebCrypto can check is checked (and agrees with
// `openssl cms -verify`), what it cannot is "cannot be checked" (verdict 'unknown', ALGORITHM_UNSUPPORTED), never
// invalid — though OpenSSL itself verifies those signatures. Then lenient-but-real input (a digest algorithm given
// as a signature-algorithm OID) and a CMS carrying a CRL of 5000 revoked certificates (beyond asn1js's default
// node limit), used offline for the signer's revocation status.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate, createHash, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import { PDFDocument } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { inspectPdf, type SignatureReport } from '@esign-kit/verify';
import { openSandboxCa } from '../../packages/sandbox/src/signing/ca.js';
import { signPdf } from '../../packages/sandbox/src/signing/pades.js';

const run = promisify(execFile);
const openssl = (args: string[], cwd: string) => run('openssl', args, { cwd, maxBuffer: 64 * 2 ** 20 });
const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** A DER header (tag, length) and where its content starts. */
function header(der: Buffer, at: number): { tag: number; length: number; content: number } {
  const tag = der[at]!;
  let length = der[at + 1]!;
  let content = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[at + 2 + i]!;
    content = at + 2 + n;
  }
  return { tag, length, content };
}
function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);

/**
 * Adds `crl` to a CMS SignedData's crls [1] (RFC 5652 §5.1: RevocationInfoChoices, outside what the signer
 * signed), as a signer that archives its CA's CRL does. OpenSSL 3.0's `cms -sign` has no -crlfile.
 */
function withCrl(cms: Buffer, crl: Buffer): Buffer {
  const outer = header(cms, 0);
  const oid = header(cms, outer.content);
  const explicit = header(cms, oid.content + oid.length);
  const signedData = header(cms, explicit.content);
  const children: Buffer[] = [];
  for (let at = signedData.content; at < signedData.content + signedData.length;) {
    const h = header(cms, at);
    children.push(cms.subarray(at, h.content + h.length));
    at = h.content + h.length;
  }
  children.splice(children.length - 1, 0, tlv(0xa1, crl)); // before signerInfos
  const content = tlv(0x30, Buffer.concat(children));
  return tlv(0x30, Buffer.concat([cms.subarray(outer.content, oid.content + oid.length), tlv(0xa0, content)]));
}

describe('@esign-kit/verify: algorithms and CMS shapes made by OpenSSL', { timeout: 240_000 }, () => {
  let dir: string;
  let template: Uint8Array;
  let ranges: number[];
  let signedBytes: Buffer;

  /** The template PDF with `der` (a CMS made by OpenSSL over the template's ranges) in its hole. */
  function withCms(der: Buffer): Uint8Array {
    const out = new Uint8Array(template);
    const hexStart = ranges[1]! + 1;
    const hexLength = ranges[2]! - 1 - hexStart;
    const hex = der.toString('hex');
    assert.ok(hex.length <= hexLength, 'the CMS fits in the hole');
    out.set(Buffer.from(hex.padEnd(hexLength, '0'), 'latin1'), hexStart);
    return out;
  }

  /** A self-signed key and certificate of the given kind, then a detached CMS over the signed bytes. */
  async function cmsWith(name: string, keyArgs: string[], signArgs: string[] = []): Promise<Buffer> {
    await openssl(
      ['req', '-x509', ...keyArgs, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${name}/O=esign-kit algorithm test`, '-days', '30', '-nodes'],
      dir,
    );
    await openssl(
      [
        'cms',
        '-sign',
        '-binary',
        '-in',
        'signed.bin',
        '-signer',
        `${name}.pem`,
        '-inkey',
        `${name}.key`,
        '-outform',
        'DER',
        '-out',
        `${name}.der`,
        ...signArgs,
      ],
      dir,
    );
    // OpenSSL itself verifies what it made (the independent oracle for "these bytes are intact").
    await openssl(['cms', '-verify', '-noverify', '-binary', '-inform', 'DER', '-in', `${name}.der`, '-content', 'signed.bin', '-out', '/dev/null'], dir);
    return readFileSync(join(dir, `${name}.der`));
  }

  async function inspectWith(der: Buffer): Promise<SignatureReport> {
    const report = await inspectPdf(withCms(der));
    assert.equal(report.status, 'signed');
    return report.signatures[0]!;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esign-verify-alg-'));
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Uji algoritma', { x: 50, y: 780, size: 14 });
    const ca = await openSandboxCa(join(dir, 'ca'));
    template = await signPdf(await doc.save({ useObjectStreams: false }), {
      credentials: await ca.signer({ name: 'Templat' }),
      signatureLength: 400_000,
    });
    const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(latin1(template))!;
    ranges = m.slice(1).map(Number);
    signedBytes = Buffer.concat([Buffer.from(template.subarray(0, ranges[1])), Buffer.from(template.subarray(ranges[2], ranges[2]! + ranges[3]!))]);
    writeFileSync(join(dir, 'signed.bin'), signedBytes);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const checked: [string, string[], string[], string][] = [
    ['p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], ['-md', 'sha384'], 'ECDSA-SHA384 (P-384)'],
    ['rsapss', ['-newkey', 'rsa:2048'], ['-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_pss_saltlen:32'], 'RSA-PSS-SHA256'],
  ];
  for (const [name, keyArgs, signArgs, algorithm] of checked) {
    it(`${name}: checked with WebCrypto, intact (valid but untrusted: a self-signed certificate)`, async () => {
      const s = await inspectWith(await cmsWith(name, keyArgs, signArgs));
      assert.equal(s.integrity, 'intact', s.problems.join());
      assert.equal(s.signatureValid, true);
      assert.equal(s.verdict, 'valid-untrusted');
      assert.equal(s.signer?.subject.commonName, name);
      assert.ok(s.signatureAlgorithm?.startsWith(algorithm.split(' ')[0]!), s.signatureAlgorithm);
    });
  }

  it('ed25519 (RFC 8419; OpenSSL 3.0 cannot make it in CMS): signed with node:crypto, checked with WebCrypto', async () => {
    await openssl(
      ['req', '-x509', '-newkey', 'ed25519', '-keyout', 'ed25519.key', '-out', 'ed25519.pem', '-subj', '/CN=ed25519', '-days', '30', '-nodes'],
      dir,
    );
    const certificate = pkijs.Certificate.fromBER(new X509Certificate(readFileSync(join(dir, 'ed25519.pem'))).raw);
    const attributes = new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
        new pkijs.Attribute({
          type: '1.2.840.113549.1.9.4',
          values: [new asn1js.OctetString({ valueHex: createHash('sha512').update(signedBytes).digest() })],
        }),
      ],
    });
    // The signature is over the DER SET OF the attributes (RFC 5652 §5.4), made by Node's own Ed25519.
    const set = Buffer.from(attributes.toSchema().toBER(false));
    set[0] = 0x31;
    const value = cryptoSign(null, set, createPrivateKey(readFileSync(join(dir, 'ed25519.key'))));
    const signedData = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
      digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.3' })],
      certificates: [certificate],
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
          digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.3' }),
          signedAttrs: attributes,
          signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.3.101.112' }),
          signature: new asn1js.OctetString({ valueHex: value }),
        }),
      ],
    });
    const der = Buffer.from(new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) }).toSchema().toBER(false));
    const s = await inspectWith(der);
    assert.equal(s.integrity, 'intact', s.problems.join());
    assert.equal(s.signatureAlgorithm, 'Ed25519');
    assert.equal(s.verdict, 'valid-untrusted');
    // One bit of the signature value changed: invalid.
    const broken = Buffer.from(der);
    const at = broken.lastIndexOf(value.subarray(0, 16));
    broken[at + 5] = broken[at + 5]! ^ 1;
    const b = await inspectWith(broken);
    assert.equal(b.verdict, 'invalid');
    assert.ok(b.problems.includes('SIGNATURE_INVALID'));
  });

  const uncheckable: [string, string[], string[]][] = [
    ['brainpool', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1'], ['-md', 'sha256']],
    ['rsapss-mgf-sha1', ['-newkey', 'rsa:2048'], ['-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_mgf1_md:sha1']],
    ['rsa-sha3', ['-newkey', 'rsa:2048'], ['-md', 'sha3-256']],
  ];
  for (const [name, keyArgs, signArgs] of uncheckable) {
    it(`${name}: OpenSSL verifies it, WebCrypto cannot — "cannot be checked", never invalid`, async () => {
      const s = await inspectWith(await cmsWith(name, keyArgs, signArgs));
      assert.equal(s.integrity, 'unknown', s.problems.join());
      assert.equal(s.verdict, 'unknown');
      assert.ok(s.problems.includes('ALGORITHM_UNSUPPORTED'), s.problems.join());
      assert.ok(!s.problems.includes('SIGNATURE_INVALID') && !s.problems.includes('DIGEST_MISMATCH'));
      assert.equal(s.digest.matches, true, 'the digest (SHA-2 or SHA-3) is computed and matches');
    });
  }

  it('dsa: OpenSSL verifies it, WebCrypto has no DSA — "cannot be checked"', async () => {
    await openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsa-params.pem'], dir);
    const s = await inspectWith(await cmsWith('dsa', ['-newkey', 'param:dsa-params.pem'], ['-md', 'sha256']));
    assert.equal(s.verdict, 'unknown');
    assert.ok(s.problems.includes('ALGORITHM_UNSUPPORTED'));
  });

  it('a flipped byte in the signed range with an uncheckable algorithm is still invalid (the digest is checked)', async () => {
    const der = readFileSync(join(dir, 'brainpool.der'));
    const pdf = withCms(der);
    pdf[10] = pdf[10]! ^ 1;
    const [s] = (await inspectPdf(pdf)).signatures;
    assert.equal(s?.verdict, 'invalid');
    assert.ok(s?.problems.includes('DIGEST_MISMATCH'));
  });

  it('lenient: a digest algorithm given as a signature-algorithm OID (sha256WithRSAEncryption) names its hash', async () => {
    const der = Buffer.from(await cmsWith('lenient', ['-newkey', 'rsa:2048'], ['-md', 'sha256']));
    const sha256 = Buffer.from('0609608648016503040201', 'hex');
    const rsaSha256 = Buffer.from('06092a864886f70d01010b', 'hex');
    // The digestAlgorithms SET and the SignerInfo's digestAlgorithm come before the signed attributes (whose
    // CMSAlgorithmProtection also names sha256, and is signed): replace the first two only.
    let at = 0;
    for (let n = 0; n < 2; n++) {
      at = der.indexOf(sha256, at);
      assert.ok(at > 0);
      rsaSha256.copy(der, at);
    }
    const s = await inspectWith(der);
    assert.equal(s.digest.algorithm, 'SHA-256');
    assert.equal(s.integrity, 'intact', s.problems.join());
  });

  it('a CMS carrying a CRL of 5000 revoked certificates parses, and the CRL gives the signer’s revocation status offline', async () => {
    // A CA, a signer it issued, and a CRL listing 5000 other serials (then one with the signer's own).
    const cnf = join(dir, 'ca.cnf');
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'crlnumber'), '1000\n');
    writeFileSync(
      cnf,
      [
        '[ ca ]',
        'default_ca = test',
        '[ test ]',
        `dir = ${dir}`,
        'database = $dir/index.txt',
        'crlnumber = $dir/crlnumber',
        'default_md = sha256',
        'default_crl_days = 30',
        'crl_extensions = crl_ext',
        '[ crl_ext ]',
        'authorityKeyIdentifier = keyid:always',
        '[ v3_ca ]',
        'basicConstraints = critical, CA:true',
        'keyUsage = critical, keyCertSign, cRLSign',
        'subjectKeyIdentifier = hash',
        '[ v3_signer ]',
        'basicConstraints = CA:false',
        'keyUsage = critical, digitalSignature, nonRepudiation',
        'authorityKeyIdentifier = keyid',
      ].join('\n'),
    );
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-subj',
        '/CN=Uji CA/O=esign-kit',
        '-days',
        '60',
        '-nodes',
        '-config',
        cnf,
        '-extensions',
        'v3_ca',
      ],
      dir,
    );
    await openssl(['req', '-newkey', 'rsa:2048', '-keyout', 'signer.key', '-out', 'signer.csr', '-subj', '/CN=Penanda Tangan/O=esign-kit', '-nodes'], dir);
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        'signer.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        '0x5EED',
        '-days',
        '30',
        '-out',
        'signer.pem',
        '-extfile',
        cnf,
        '-extensions',
        'v3_signer',
      ],
      dir,
    );
    const revokedLine = (serial: string) => `R\t330101000000Z\t240101000000Z\t${serial}\tunknown\t/CN=x\n`;
    const others = Array.from({ length: 5000 }, (_, i) => revokedLine((0x100000 + i).toString(16).toUpperCase()));
    const crl = async (name: string, lines: string[]) => {
      writeFileSync(join(dir, 'index.txt'), lines.join(''));
      await openssl(['ca', '-gencrl', '-config', cnf, '-keyfile', 'ca.key', '-cert', 'ca.pem', '-crlhours', '1', '-out', `${name}.crl.pem`], dir);
      await openssl(['crl', '-in', `${name}.crl.pem`, '-outform', 'DER', '-out', `${name}.crl`], dir);
      await openssl(
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
          'ca.pem',
          '-outform',
          'DER',
          '-out',
          `${name}-plain.der`,
          '-md',
          'sha256',
        ],
        dir,
      );
      const cms = withCrl(readFileSync(join(dir, `${name}-plain.der`)), readFileSync(join(dir, `${name}.crl`)));
      writeFileSync(join(dir, `${name}.der`), cms);
      // OpenSSL reads the CRL back from the CMS and still verifies the signature.
      const { stdout } = await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${name}.der`], dir);
      assert.match(stdout, /crls:/);
      await openssl(['cms', '-verify', '-noverify', '-binary', '-inform', 'DER', '-in', `${name}.der`, '-content', 'signed.bin', '-out', '/dev/null'], dir);
      return cms;
    };
    const root = readFileSync(join(dir, 'ca.pem'), 'utf8');

    const good = await crl('good', others);
    const [s] = (await inspectPdf(withCms(good), { trustedRoots: [root] })).signatures;
    assert.ok(!s?.problems.includes('CMS_UNPARSABLE'), s?.problems.join());
    assert.equal(s?.integrity, 'intact');
    assert.equal(s?.verdict, 'valid');
    assert.deepEqual(
      s?.ltv?.chain.map((c) => [c.certificate.subject.commonName, c.status, c.via, c.source]),
      [
        ['Penanda Tangan', 'good', 'crl', 'cms'],
        ['Uji CA', 'trust-anchor', undefined, undefined],
      ],
    );

    const revoked = await crl('revoked', [...others, revokedLine('5EED')]);
    const [r] = (await inspectPdf(withCms(revoked), { trustedRoots: [root] })).signatures;
    assert.equal(r?.integrity, 'intact');
    assert.equal(r?.verdict, 'invalid');
    assert.deepEqual(r?.trust, { status: 'invalid', reason: 'CERTIFICATE_REVOKED' });
    assert.equal(r?.ltv?.chain[0]?.status, 'revoked');
  });
});
