// @esign-kit/verify against poppler's pdfsig: a corpus signed by the sandbox engine (valid, digest mismatch,
// a broken signature value, not total document signed by appended bytes or an incremental update, several
// signers, an xref-stream original, adbe.pkcs7.detached, a damaged /ByteRange, encrypted), each file judged by
// both, with and without the sandbox root trusted; then bad input (not a PDF, truncated, unsigned, encrypted).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PDFArray, PDFDocument, PDFName, PDFRef, rgb } from 'pdf-lib';
import { inspectPdf, type InspectionReport, type SignatureReport } from '@esign-kit/verify';
import { openSandboxCa, type SandboxCa, type SigningCredentials } from '../../packages/sandbox/src/signing/ca.js';
import { loadForUpdate, writeIncrementalUpdate } from '../../packages/sandbox/src/signing/incremental.js';
import { signPdf } from '../../packages/sandbox/src/signing/pades.js';
import { createTrustedNssDb, verifyWithPdfsig, type PdfsigReport, type PdfsigSignature } from '../../packages/sandbox/test/signing/helpers.js';
import { addTimestamp, holes } from './support/signature-timestamp.js';

const run = promisify(execFile);
const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

async function unsignedPdf(options: { objectStreams?: boolean; pages?: number } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < (options.pages ?? 1); i++) {
    doc.addPage([595, 842]).drawText(`Surat keputusan, halaman ${i + 1}`, { x: 50, y: 780, size: 14, color: rgb(0, 0, 0) });
  }
  return doc.save({ useObjectStreams: options.objectStreams ?? false });
}

/** Changes byte `at` (a hex digit stays a hex digit: 0 ↔ 1, anything else → 0). */
function flip(pdf: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(pdf);
  copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
  return copy;
}

/** An incremental update that adds a text annotation to page 1: content changed after signing. */
async function addAnnotation(pdf: Uint8Array): Promise<Uint8Array> {
  const { doc, firstNewObject } = await loadForUpdate(pdf);
  const page = doc.getPage(0);
  const annotation = doc.context.register(doc.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [20, 20, 40, 40], Contents: 'catatan' }));
  const changed = new Set<PDFRef>([page.ref]);
  const raw = page.node.get(PDFName.of('Annots'));
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (annots) {
    annots.push(annotation);
    if (raw instanceof PDFRef) changed.add(raw);
  } else page.node.set(PDFName.of('Annots'), doc.context.obj([annotation]));
  return writeIncrementalUpdate(pdf, doc, firstNewObject, changed);
}

/** qpdf (an independent tool) encrypts with AES-256 (R6); it rewrites the file, so the old byte range no longer fits. */
async function encrypt(dir: string, pdf: Uint8Array, name: string): Promise<Uint8Array> {
  const input = join(dir, `${name}-plain.pdf`);
  const output = join(dir, `${name}.pdf`);
  writeFileSync(input, pdf);
  await run('qpdf', ['--encrypt', 'rahasia', 'pemilik', '256', '--', input, output]);
  return new Uint8Array(readFileSync(output));
}

/** pdfsig with a password (the shared helper has no password option); same parsing. */
async function pdfsigWithPassword(path: string, password: string): Promise<PdfsigSignature[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('pdfsig', ['-upw', password, path], { encoding: 'utf8' }));
  } catch (err) {
    stdout = (err as { stdout?: string }).stdout ?? '';
  }
  return stdout
    .split(/^Signature #/m)
    .slice(1)
    .map((block, index) => {
      const field = (label: string) => new RegExp(`^\\s*- ${label}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      return {
        index: index + 1,
        fieldName: field('Signature Field Name'),
        commonName: field('Signer Certificate Common Name'),
        subFilter: field('Signature Type'),
        validation: field('Signature Validation'),
        certificate: field('Certificate Validation'),
        total: /^\s*- Total document signed$/m.test(block),
      };
    });
}

/** What pdfsig prints for our result (poppler 22.12 wording). */
function asPdfsigValidation(s: SignatureReport): string {
  if (s.problems.includes('BYTE_RANGE_INVALID')) return 'Signature has not yet been verified.';
  if (!s.digest.matches) return 'Digest Mismatch.';
  return s.signatureValid ? 'Signature is Valid.' : 'Signature is Invalid.';
}
function asPdfsigCertificate(s: SignatureReport): string {
  return s.trust.status === 'trusted' ? 'Certificate is Trusted.' : "Certificate issuer isn't Trusted.";
}

interface Agreement {
  file: string;
  trustedRoot: boolean;
  signatures: number;
  rows: string[];
}
const agreement: Agreement[] = [];

function assertAgrees(file: string, ours: InspectionReport, theirs: PdfsigSignature[], trustedRoot: boolean): void {
  assert.equal(ours.signatures.length, theirs.length, `${file}: signature count`);
  const rows: string[] = [];
  ours.signatures.forEach((s, i) => {
    const p = theirs[i]!;
    const where = `${file} #${i + 1} (root ${trustedRoot ? 'trusted' : 'not trusted'})`;
    if (p.fieldName) assert.equal(s.fieldName, p.fieldName, `${where}: field name`);
    if (p.commonName && p.commonName !== '(null)') assert.equal(s.signer?.subject.commonName, p.commonName, `${where}: signer CN`);
    if (p.subFilter) assert.equal(s.subFilter, p.subFilter, `${where}: SubFilter`);
    assert.equal(asPdfsigValidation(s), p.validation, `${where}: signature validation`);
    assert.equal(s.coversWholeFile, p.total, `${where}: total document signed`);
    // pdfsig checks the certificate only once the signature itself verified.
    if (p.certificate) assert.equal(asPdfsigCertificate(s), p.certificate, `${where}: certificate validation`);
    rows.push(`${p.validation} ${p.total ? 'total' : 'not total'} ${p.certificate || '-'} → ${s.verdict}`);
  });
  agreement.push({ file, trustedRoot, signatures: theirs.length, rows });
}

describe('@esign-kit/verify agrees with pdfsig', { timeout: 60000 }, () => {
  let dir: string;
  let nssDir: string;
  let ca: SandboxCa;
  let budi: SigningCredentials;
  let siti: SigningCredentials;
  let seal: SigningCredentials;
  const corpus = new Map<string, Uint8Array>();
  const fixedTime = new Date('2026-11-20T03:04:05Z');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esign-verify-'));
    ca = await openSandboxCa(join(dir, 'ca'));
    [budi, siti, seal] = await Promise.all([
      ca.signer({ name: 'Budi Santoso', email: 'budi@example.id', nik: '3171234567890001', organisation: 'Dinas Kependudukan' }),
      ca.signer({ name: 'Siti Aminah', email: 'siti@example.id' }),
      ca.seal({ organisation: 'esign-kit Sandbox TSA' }),
    ]);
    nssDir = await createTrustedNssDb(join(dir, 'nss'), ca.rootCertificatePem);

    const plain = await unsignedPdf({ pages: 2 });
    const valid = await signPdf(plain, { credentials: budi, reason: 'Menyetujui', location: 'Jakarta', signingTime: fixedTime });
    corpus.set('valid', valid);
    corpus.set('valid-pkcs7', await signPdf(plain, { credentials: siti, subFilter: 'adbe.pkcs7.detached' }));
    corpus.set('valid-xref-stream', await signPdf(await unsignedPdf({ objectStreams: true }), { credentials: budi, incremental: true }));
    // A flipped byte inside the first signed range (the /Producer hex string, before the hole).
    const producer = latin1(valid).indexOf('/Producer <') + 15;
    corpus.set('digest-mismatch', flip(valid, producer));
    // A flipped byte near the end of the signature value inside /Contents: the digest holds, the signature does not.
    const [hole] = holes(valid);
    const derHex = latin1(valid.subarray(hole!.hexStart, hole!.hexEnd)).replace(/(00)+$/, '');
    corpus.set('bad-signature-value', flip(valid, hole!.hexStart + derHex.length - 20));
    corpus.set('appended-bytes', Buffer.concat([valid, Buffer.from('\n% appended after signing\n', 'latin1')]));
    corpus.set('annotation-after', await addAnnotation(valid));
    const two = await signPdf(valid, { credentials: siti, reason: 'Saksi', location: 'Bandung' });
    corpus.set('two-signers', two);
    corpus.set('two-signers-annotated', await addAnnotation(two));
    const roomy = await signPdf(plain, { credentials: budi, reason: 'Menyetujui', signingTime: fixedTime, signatureLength: 16384 });
    corpus.set('timestamped', await addTimestamp(roomy, seal, new Date('2026-11-20T03:04:09Z')));
    // A damaged signature dictionary, same length: a /ByteRange running past the end of the file, and one
    // whose last entry is a name instead of a number.
    const br = `/ByteRange [${hole!.byteRange.join(' ')}]`;
    const last = String(hole!.byteRange[3]);
    const pastEnd = br.replace(new RegExp(`${last}\\]$`), `${'9'.repeat(last.length)}]`);
    const notNumber = br.replace(new RegExp(`${last}\\]$`), `/${last.slice(1)}]`);
    assert.ok(pastEnd !== br && notNumber !== br && pastEnd.length === br.length && notNumber.length === br.length);
    corpus.set('corrupt-byterange', Buffer.from(latin1(valid).replace(br, pastEnd), 'latin1'));
    corpus.set('corrupt-byterange-syntax', Buffer.from(latin1(valid).replace(br, notNumber), 'latin1'));
    corpus.set('encrypted-signed', await encrypt(dir, valid, 'encrypted-signed'));
    for (const [name, bytes] of corpus) writeFileSync(join(dir, `${name}.pdf`), bytes);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    // The agreement table, for the report.
    console.log(agreement.map((a) => `${a.file} [root ${a.trustedRoot ? 'trusted' : 'untrusted'}]: ${a.rows.join(' | ')}`).join('\n'));
  });

  const SIGNED = [
    'valid',
    'valid-pkcs7',
    'valid-xref-stream',
    'digest-mismatch',
    'bad-signature-value',
    'appended-bytes',
    'annotation-after',
    'two-signers',
    'two-signers-annotated',
    'timestamped',
    'corrupt-byterange',
    'corrupt-byterange-syntax',
  ];
  for (const name of SIGNED) {
    it(`${name}: same signatures, validation, coverage and trust as pdfsig`, async () => {
      const path = join(dir, `${name}.pdf`);
      const bytes = corpus.get(name)!;
      const [untrusted, trusted, pdfsigPlain, pdfsigNss]: [InspectionReport, InspectionReport, PdfsigReport, PdfsigReport] = await Promise.all([
        inspectPdf(bytes),
        inspectPdf(bytes, { trustedRoots: [ca.rootCertificatePem] }),
        verifyWithPdfsig(path),
        verifyWithPdfsig(path, nssDir),
      ]);
      assert.equal(untrusted.status, 'signed');
      assertAgrees(name, untrusted, pdfsigPlain.signatures, false);
      assertAgrees(name, trusted, pdfsigNss.signatures, true);
    });
  }

  it('valid: the report has the signature dictionary, signer, chain, times and algorithms', async () => {
    const report = await inspectPdf(corpus.get('valid')!, { trustedRoots: [ca.rootCertificatePem] });
    const [s] = report.signatures;
    assert.ok(s);
    assert.equal(s.verdict, 'valid');
    assert.deepEqual(s.problems, []);
    assert.equal(s.subFilter, 'ETSI.CAdES.detached');
    assert.equal(s.reason, 'Menyetujui');
    assert.equal(s.location, 'Jakarta');
    assert.equal(s.name, 'Budi Santoso');
    assert.equal(s.signingTime.dictionary?.toISOString(), fixedTime.toISOString());
    assert.equal(s.signingTime.cms?.toISOString(), fixedTime.toISOString());
    assert.equal(s.digest.algorithm, 'SHA-256');
    assert.equal(s.digest.computed, s.digest.signed);
    assert.equal(s.signatureAlgorithm, 'RSA-SHA256');
    assert.equal(s.signer?.subject.commonName, 'Budi Santoso');
    assert.equal(s.signer?.subject.organisation, 'Dinas Kependudukan');
    assert.equal(s.signer?.subject.attributes.serialNumber, '3171234567890001');
    assert.equal(s.signer?.issuer.commonName, 'esign-kit Sandbox Signing CA');
    assert.deepEqual(s.signer?.keyUsage, ['digitalSignature', 'nonRepudiation']);
    assert.match(s.signer?.serialNumber ?? '', /^[0-9A-F]{32}$/);
    assert.ok(s.signer!.notBefore < new Date() && s.signer!.notAfter > new Date());
    assert.deepEqual(
      s.chain.map((c) => c.subject.commonName),
      ['Budi Santoso', 'esign-kit Sandbox Signing CA', 'esign-kit Sandbox Root CA'],
    );
    assert.equal(s.chain[2]?.selfSigned, true);
    assert.equal(s.timestamp, undefined);
    assert.deepEqual(s.trust, { status: 'trusted', reason: 'CHAIN_TO_TRUSTED_ROOT' });
  });

  it("untrusted is not invalid: without roots 'valid-untrusted'; a certificate expired at validation time is 'invalid'", async () => {
    const bytes = corpus.get('valid')!;
    const [untrusted] = (await inspectPdf(bytes)).signatures;
    assert.equal(untrusted?.verdict, 'valid-untrusted');
    assert.deepEqual(untrusted?.trust, { status: 'untrusted', reason: 'NO_TRUSTED_ROOTS' });
    const otherRoot = (await inspectPdf(bytes, { trustedRoots: [siti.certificatePem] })).signatures[0];
    assert.deepEqual(otherRoot?.trust, { status: 'untrusted', reason: 'ROOT_NOT_TRUSTED' });
    const later = (await inspectPdf(bytes, { trustedRoots: [ca.rootCertificatePem], validationTime: new Date('2040-01-01') })).signatures[0];
    assert.deepEqual(later?.trust, { status: 'invalid', reason: 'CERTIFICATE_EXPIRED' });
    assert.equal(later?.verdict, 'invalid');
  });

  it('digest mismatch and a broken signature value are invalid, with their reason codes', async () => {
    const [mismatch] = (await inspectPdf(corpus.get('digest-mismatch')!)).signatures;
    assert.equal(mismatch?.verdict, 'invalid');
    assert.ok(mismatch?.problems.includes('DIGEST_MISMATCH'));
    assert.notEqual(mismatch?.digest.computed, mismatch?.digest.signed);
    const [badValue] = (await inspectPdf(corpus.get('bad-signature-value')!)).signatures;
    assert.equal(badValue?.verdict, 'invalid');
    assert.equal(badValue?.digest.matches, true);
    assert.ok(badValue?.problems.includes('SIGNATURE_INVALID'));
  });

  it('changes after signing: a later signature is allowed, an annotation or stray bytes are not', async () => {
    const two = await inspectPdf(corpus.get('two-signers')!, { trustedRoots: [ca.rootCertificatePem] });
    assert.equal(two.revisions, 2);
    const [first, second] = two.signatures;
    assert.equal(first?.coversWholeFile, false);
    assert.equal(first?.modifiedAfter, true);
    assert.equal(first?.verdict, 'valid');
    const kinds = new Set(first?.changes.map((c) => c.kind));
    assert.ok(kinds.has('signature') && kinds.has('signature-field'), [...kinds].join());
    assert.ok(first?.changes.every((c) => c.allowed));
    assert.equal(second?.coversWholeFile, true);
    assert.equal(second?.verdict, 'valid');
    assert.equal(second?.signer?.subject.commonName, 'Siti Aminah');

    const annotated = (await inspectPdf(corpus.get('annotation-after')!)).signatures[0];
    assert.equal(annotated?.verdict, 'modified-after-signing');
    assert.ok(annotated?.changes.some((c) => c.kind === 'annotation' && !c.allowed));
    assert.ok(annotated?.problems.includes('MODIFIED_AFTER_SIGNING'));

    const both = (await inspectPdf(corpus.get('two-signers-annotated')!)).signatures;
    assert.deepEqual(
      both.map((s) => s.verdict),
      ['modified-after-signing', 'modified-after-signing'],
    );

    const appended = (await inspectPdf(corpus.get('appended-bytes')!)).signatures[0];
    assert.equal(appended?.verdict, 'modified-after-signing');
    assert.deepEqual(
      appended?.changes.map((c) => c.kind),
      ['trailing-bytes'],
    );
  });

  it("the caller's bytes are left as they were (the digest moves ranges in place and back), also for Buffers and concurrent runs", async () => {
    for (const name of ['two-signers-annotated', 'valid', 'digest-mismatch']) {
      const original = corpus.get(name)!;
      const asBuffer = Buffer.from(original);
      const asArray = new Uint8Array(original);
      const reports = await Promise.all([inspectPdf(asBuffer), inspectPdf(asArray), inspectPdf(asBuffer), inspectPdf(asArray)]);
      assert.ok(Buffer.from(original).equals(asBuffer), `${name}: Buffer unchanged`);
      assert.ok(Buffer.from(original).equals(Buffer.from(asArray)), `${name}: Uint8Array unchanged`);
      const verdicts = reports.map((r) => r.signatures.map((s) => `${s.verdict}:${s.digest.computed}`).join());
      assert.equal(new Set(verdicts).size, 1, `${name}: every run agrees`);
    }
  });

  it('a timestamp token: TSA name and time, its imprint bound to the signature', async () => {
    const [s] = (await inspectPdf(corpus.get('timestamped')!, { trustedRoots: [ca.rootCertificatePem] })).signatures;
    assert.equal(s?.verdict, 'valid');
    assert.equal(s?.timestamp?.time.toISOString(), '2026-11-20T03:04:09.000Z');
    assert.match(s?.timestamp?.tsa ?? '', /CN=esign-kit Sandbox TSA/);
    assert.equal(s?.timestamp?.imprintMatches, true);
    assert.equal(s?.timestamp?.signatureValid, true);
    // Made with the organisation's seal, which is no TSA (no id-kp-timeStamping): intact, but no proof of time.
    assert.ok(s?.problems.includes('TIMESTAMP_INVALID'), s?.problems.join());
    assert.equal(s?.ltv?.provedAt, undefined);
    assert.equal(s?.level, 'B-B');
  });

  it('a damaged signature dictionary is reported per signature, without an exception', async () => {
    for (const name of ['corrupt-byterange', 'corrupt-byterange-syntax']) {
      const report = await inspectPdf(corpus.get(name)!);
      assert.equal(report.status, 'signed');
      assert.equal(report.signatures[0]?.verdict, 'invalid');
      assert.ok(report.signatures[0]?.problems.includes('BYTE_RANGE_INVALID'), name);
    }
  });

  it('an encrypted PDF asks for its password; with it, the result agrees with pdfsig -upw', async () => {
    const bytes = corpus.get('encrypted-signed')!;
    const locked = await inspectPdf(bytes);
    assert.equal(locked.status, 'encrypted');
    assert.equal(locked.error?.code, 'PASSWORD_REQUIRED');
    const pdfsigLocked = await run('pdfsig', [join(dir, 'encrypted-signed.pdf')]).then(
      () => 0,
      (err: { code?: number }) => err.code,
    );
    assert.notEqual(pdfsigLocked, 0, 'pdfsig cannot open it without the password either');
    assert.equal((await inspectPdf(bytes, { password: 'salah' })).error?.code, 'PASSWORD_INCORRECT');
    for (const password of ['rahasia', 'pemilik']) {
      const opened = await inspectPdf(bytes, { password });
      assert.equal(opened.status, 'signed', password);
      assert.equal(opened.encrypted, true);
      assert.equal(opened.signatures[0]?.reason, 'Menyetujui', 'strings are decrypted');
      assertAgrees('encrypted-signed', opened, await pdfsigWithPassword(join(dir, 'encrypted-signed.pdf'), 'rahasia'), false);
    }
  });
});

describe('@esign-kit/verify: bad input gives a typed status, never an exception', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'esign-verify-bad-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function pdfsigFails(name: string, bytes: Uint8Array): Promise<string> {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    try {
      const { stdout } = await run('pdfsig', [path], { encoding: 'utf8' });
      return stdout;
    } catch (err) {
      const e = err as { code?: number; stdout?: string };
      assert.notEqual(e.code, 0);
      assert.doesNotMatch(e.stdout ?? '', /Signature #/);
      return e.stdout ?? '';
    }
  }

  it('not a PDF', async () => {
    const bytes = new TextEncoder().encode('<html><body>bukan PDF</body></html>');
    await pdfsigFails('html.pdf', bytes);
    const r = await inspectPdf(bytes);
    assert.equal(r.status, 'not-a-pdf');
    assert.equal(r.error?.code, 'NOT_A_PDF');
    assert.deepEqual(r.signatures, []);
    assert.equal((await inspectPdf(new Uint8Array())).error?.code, 'NOT_A_PDF');
    assert.equal((await inspectPdf('%PDF' as unknown as Uint8Array)).error?.code, 'INVALID_INPUT');
  });

  it('truncated', async () => {
    const ca = await openSandboxCa(join(dir, 'ca'));
    const signed = await signPdf(await unsignedPdf(), { credentials: await ca.signer({ name: 'Budi Santoso' }) });
    const half = signed.subarray(0, Math.floor(signed.length / 2));
    await pdfsigFails('half.pdf', half);
    const r = await inspectPdf(half);
    assert.equal(r.status, 'truncated');
    assert.equal(r.error?.code, 'TRUNCATED');
  });

  it('unsigned: NO_SIGNATURE, as pdfsig says (exit code 2)', async () => {
    const plain = await unsignedPdf();
    const stdout = await pdfsigFails('plain.pdf', plain);
    assert.match(stdout, /does not contain any signatures/);
    const r = await inspectPdf(plain);
    assert.equal(r.status, 'no-signature');
    assert.equal(r.error?.code, 'NO_SIGNATURE');
    // Unsigned and encrypted: the password first.
    const encrypted = await encrypt(dir, plain, 'plain-encrypted');
    assert.equal((await inspectPdf(encrypted)).error?.code, 'PASSWORD_REQUIRED');
    assert.equal((await inspectPdf(encrypted, { password: 'rahasia' })).error?.code, 'NO_SIGNATURE');
  });

  it('garbage after a PDF header, and a damaged cross-reference table', async () => {
    const random = new Uint8Array(4096);
    crypto.getRandomValues(random);
    random.set(new TextEncoder().encode('%PDF-1.7\n'), 0);
    const r = await inspectPdf(random);
    assert.equal(r.status, 'truncated');
    const plain = latin1(await unsignedPdf());
    const broken = Buffer.from(plain.replace(/startxref\s+\d+/, 'startxref\n999999'), 'latin1');
    const b = await inspectPdf(broken);
    assert.equal(b.status, 'no-signature', 'objects are found by scanning');
  });

  it('hundreds of damaged copies of a two-signer file (bytes changed, cut short): always a report, never an exception', async () => {
    const ca = await openSandboxCa(join(dir, 'ca'));
    const one = await signPdf(await unsignedPdf(), { credentials: await ca.signer({ name: 'Budi Santoso' }) });
    const two = await signPdf(one, { credentials: await ca.signer({ name: 'Siti Aminah' }) });
    let seed = 20261124;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const statuses = new Set<string>();
    for (let i = 0; i < 300; i++) {
      let damaged: Uint8Array;
      if (i % 3 === 0) damaged = two.subarray(0, random(two.length));
      else {
        damaged = new Uint8Array(two);
        for (let k = 0; k < 1 + (i % 5); k++) damaged[random(damaged.length)] = random(256);
      }
      const report = await inspectPdf(damaged); // a rejection fails the test
      assert.ok(['signed', 'no-signature', 'not-a-pdf', 'truncated', 'damaged', 'encrypted'].includes(report.status));
      for (const s of report.signatures) assert.ok(['valid-untrusted', 'modified-after-signing', 'invalid'].includes(s.verdict));
      statuses.add(report.status);
    }
    assert.ok(statuses.has('signed') && statuses.has('truncated'), [...statuses].join());
  });

  it('trustedRoots that are not certificates: a TypeError (a caller mistake, not bad input)', async () => {
    await assert.rejects(inspectPdf(await unsignedPdf(), { trustedRoots: [new Uint8Array([1, 2, 3])] }), TypeError);
  });
});
