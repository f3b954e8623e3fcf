import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import forge from 'node-forge';
import { openSandboxCa, type SandboxCa } from '../../src/signing/ca.js';

const BUDI = { name: 'Budi Santoso', email: 'budi@example.id', nik: '3171234567890001' };

describe('sandbox CA', () => {
  let dir: string;
  let ca: SandboxCa;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esign-ca-'));
    ca = await openSandboxCa(join(dir, 'sandbox', 'ca'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a self-signed root and an intermediate it issued, both CAs', () => {
    const root = forge.pki.certificateFromPem(ca.rootCertificatePem);
    const intermediate = forge.pki.certificateFromPem(ca.intermediateCertificatePem);
    assert.equal(root.subject.getField('CN').value, 'esign-kit Sandbox Root CA');
    assert.ok(root.verify(root), 'the root is self-signed');
    assert.ok(root.verify(intermediate), 'the root issued the intermediate');
    assert.equal((root.getExtension('basicConstraints') as { cA: boolean }).cA, true);
    assert.equal((intermediate.getExtension('basicConstraints') as { cA: boolean }).cA, true);
  });

  it('issues a signer certificate with CN, e-mail, NIK serialNumber and signing key usage', async () => {
    const creds = await ca.signer(BUDI);
    const cert = forge.pki.certificateFromPem(creds.certificatePem);
    assert.equal(creds.kind, 'person');
    assert.equal(creds.commonName, 'Budi Santoso');
    assert.equal(cert.subject.getField('CN').value, 'Budi Santoso');
    assert.equal(cert.subject.getField({ name: 'serialNumber' }).value, '3171234567890001');
    assert.equal(cert.subject.getField({ name: 'emailAddress' }).value, 'budi@example.id');
    const keyUsage = cert.getExtension('keyUsage') as { digitalSignature: boolean; nonRepudiation: boolean; keyCertSign: boolean };
    assert.equal(keyUsage.digitalSignature, true);
    assert.equal(keyUsage.nonRepudiation, true);
    assert.equal(keyUsage.keyCertSign, false);
    const san = cert.getExtension('subjectAltName') as { altNames: { type: number; value: string }[] };
    assert.deepEqual(
      san.altNames.map((n) => [n.type, n.value]),
      [[1, 'budi@example.id']],
    );
    assert.deepEqual(creds.chainPems, [ca.intermediateCertificatePem, ca.rootCertificatePem]);
    assert.ok(forge.pki.certificateFromPem(ca.intermediateCertificatePem).verify(cert), 'the intermediate issued it');
    // The private key belongs to the certificate.
    const key = forge.pki.privateKeyFromPem(creds.privateKeyPem) as forge.pki.rsa.PrivateKey;
    assert.equal(key.n.toString(16), (cert.publicKey as forge.pki.rsa.PublicKey).n.toString(16));
    assert.equal(key.n.bitLength(), 2048);
  });

  it('issues organisation certificates for seals (CN = O = the organisation)', async () => {
    const creds = await ca.seal({ organisation: 'PT Contoh Jaya', registrationNumber: '9120001234567' });
    const cert = forge.pki.certificateFromPem(creds.certificatePem);
    assert.equal(creds.kind, 'seal');
    assert.equal(cert.subject.getField('CN').value, 'PT Contoh Jaya');
    assert.equal(cert.subject.getField('O').value, 'PT Contoh Jaya');
    assert.equal(cert.subject.getField({ name: 'serialNumber' }).value, '9120001234567');
  });

  it('gives the same identity the same certificate, concurrently too, and another identity another one', async () => {
    const [a, b] = await Promise.all([ca.signer(BUDI), ca.signer({ ...BUDI })]);
    assert.equal(a.certificatePem, b.certificatePem);
    const other = await ca.signer({ ...BUDI, email: 'budi.s@example.id' });
    assert.notEqual(other.certificatePem, a.certificatePem);
  });

  it('reloads the same root and the same signer certificate from the directory', async () => {
    const first = await ca.signer(BUDI);
    const reopened = await openSandboxCa(join(dir, 'sandbox', 'ca'));
    assert.equal(reopened.rootCertificatePem, ca.rootCertificatePem);
    assert.equal(reopened.intermediateCertificatePem, ca.intermediateCertificatePem);
    const again = await reopened.signer(BUDI);
    assert.equal(again.certificatePem, first.certificatePem);
    assert.equal(again.privateKeyPem, first.privateKeyPem);
    assert.ok(
      readdirSync(join(dir, 'sandbox', 'ca', 'subjects')).every((f) => f.endsWith('.json')),
      'no temporary files left',
    );
  });

  it('reissues a cached certificate that is about to expire', async () => {
    const first = await ca.signer(BUDI);
    const later = await openSandboxCa(join(dir, 'sandbox', 'ca'), { now: () => new Date(Date.now() + 5 * 365 * 86_400_000) });
    const renewed = await later.signer(BUDI);
    assert.notEqual(renewed.certificatePem, first.certificatePem);
    assert.equal(later.rootCertificatePem, ca.rootCertificatePem, 'the root lasts longer');
  });
});
