// Encrypted signed PDFs made by an independent tool (qpdf) with every standard security handler — RC4 40 and 128
// bits, AES-128 and AES-256, with and without object streams — judged against pdfsig: the same signatures,
// validation and coverage once opened, the texts decrypted; a file whose user password is empty opens without
// one, as viewers (and pdfsig) open it; a wrong password is told apart from a missing one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { inspectPdf } from '@esign-kit/verify';
import { openSandboxCa } from '../../packages/sandbox/src/signing/ca.js';
import { signPdf } from '../../packages/sandbox/src/signing/pades.js';
import { verifyWithPdfsig } from '../../packages/sandbox/test/signing/helpers.js';

const run = promisify(execFile);

/** pdfsig with a user password (poppler's -upw). */
async function pdfsig(path: string, password?: string): Promise<{ validation: string; total: boolean; field: string }[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('pdfsig', [...(password !== undefined ? ['-upw', password] : []), path], { encoding: 'utf8' }));
  } catch (err) {
    stdout = (err as { stdout?: string }).stdout ?? '';
  }
  return stdout
    .split(/^Signature #/m)
    .slice(1)
    .map((block) => ({
      validation: /- Signature Validation: (.*)$/m.exec(block)?.[1]?.trim() ?? '',
      total: /^\s*- Total document signed$/m.test(block),
      field: /- Signature Field Name: (.*)$/m.exec(block)?.[1]?.trim() ?? '',
    }));
}

describe('@esign-kit/verify: encrypted PDFs (qpdf), every standard security handler', { timeout: 120_000 }, () => {
  let dir: string;
  let signed: Uint8Array;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esign-verify-enc-'));
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Surat rahasia', { x: 50, y: 780, size: 14 });
    const ca = await openSandboxCa(join(dir, 'ca'));
    signed = await signPdf(await doc.save({ useObjectStreams: false }), {
      credentials: await ca.signer({ name: 'Budi Santoso' }),
      reason: 'Menyetujui dokumen rahasia',
      location: 'Jakarta',
    });
    writeFileSync(join(dir, 'plain.pdf'), signed);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const variants: [string, string[]][] = [
    ['rc4-40', ['40']],
    ['rc4-128', ['128', '--use-aes=n']],
    ['aes-128', ['128', '--use-aes=y']],
    ['aes-128-object-streams', ['128', '--use-aes=y', '--', '--object-streams=generate']],
    ['aes-256', ['256']],
  ];

  for (const [name, args] of variants) {
    it(`${name}: needs its password, opens with the user's or the owner's, agrees with pdfsig -upw`, async () => {
      const [bits, ...rest] = args;
      const path = join(dir, `${name}.pdf`);
      const split = rest.indexOf('--');
      const encryptOptions = split < 0 ? rest : rest.slice(0, split);
      const after = split < 0 ? [] : rest.slice(split + 1);
      // --allow-weak-crypto: qpdf refuses RC4 otherwise (it is still what many archived files use).
      await run('qpdf', ['--allow-weak-crypto', ...after, '--encrypt', 'rahasia', 'pemilik', bits!, ...encryptOptions, '--', join(dir, 'plain.pdf'), path]);
      const bytes = new Uint8Array(readFileSync(path));
      assert.equal((await inspectPdf(bytes)).error?.code, 'PASSWORD_REQUIRED');
      assert.equal((await inspectPdf(bytes, { password: 'salah' })).error?.code, 'PASSWORD_INCORRECT');
      const theirs = await pdfsig(path, 'rahasia');
      for (const password of ['rahasia', 'pemilik']) {
        const report = await inspectPdf(bytes, { password });
        assert.equal(report.status, 'signed', `${name} with ${password}: ${report.error?.code}`);
        assert.equal(report.encrypted, true);
        const [s] = report.signatures;
        assert.equal(s?.reason, 'Menyetujui dokumen rahasia', 'strings are decrypted');
        assert.equal(s?.location, 'Jakarta');
        assert.equal(s?.signer?.subject.commonName, 'Budi Santoso');
        assert.equal(report.signatures.length, theirs.length);
        assert.equal(s?.fieldName, theirs[0]?.field);
        // qpdf rewrote the file: the old byte range no longer holds what was signed — pdfsig says so too.
        assert.equal(s?.digest.matches ? 'Signature is Valid.' : 'Digest Mismatch.', theirs[0]?.validation);
        assert.equal(s?.coversWholeFile, theirs[0]?.total);
      }
    });
  }

  it('an empty user password: opened without asking (as pdfsig and viewers do), strings decrypted', async () => {
    for (const [name, bits, aes] of [
      ['empty-rc4', '128', 'n'],
      ['empty-aes', '128', 'y'],
      ['empty-aes256', '256', 'y'],
    ] as const) {
      const path = join(dir, `${name}.pdf`);
      await run('qpdf', [
        '--allow-weak-crypto',
        '--encrypt',
        '',
        'pemilik',
        bits,
        ...(bits === '128' ? [`--use-aes=${aes}`] : []),
        '--',
        join(dir, 'plain.pdf'),
        path,
      ]);
      const bytes = new Uint8Array(readFileSync(path));
      const report = await inspectPdf(bytes);
      assert.equal(report.status, 'signed', `${name}: ${report.error?.code}`);
      assert.equal(report.encrypted, true);
      assert.equal(report.signatures[0]?.reason, 'Menyetujui dokumen rahasia');
      const theirs = await verifyWithPdfsig(path);
      assert.equal(theirs.signatures.length, 1, `${name}: pdfsig opens it without a password too`);
      // The owner password still works; a wrong one does not stop the empty user password from being tried first.
      assert.equal((await inspectPdf(bytes, { password: 'pemilik' })).status, 'signed');
      const wrong = await inspectPdf(bytes, { password: 'salah' });
      assert.equal(wrong.status, 'signed', `${name} with a wrong password: ${wrong.error?.code}`);
    }
  });
});
