// Nothing about a flow depends on the process: a companion server stopped between "OTP requested" and "sign",
// and a new one started on the same store (DATA_DIR, or the same PostgreSQL database), completes the flow —
// Peruri's OTP session (peruri-otp) and the seal OTP BSrE returned in its body (bsre-seal-otp) are read back
// from the state store. Against the sandbox providers over HTTP (their own process state survives, as a real
// provider's does), and checked by pdfsig with the sandbox root trusted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startOn } from './companion.js';
import {
  contract,
  expectStatus,
  latestCode,
  PERURI_SIGNERS,
  peruriSend,
  peruriSign,
  startSandboxHost,
  trustSandboxRoot,
  verifyWithPdfsig,
  type Api,
  type SandboxHost,
} from '../../../test/node/support/flows.js';
import { freshDatabase, testDatabase } from '../../../test/node/support/postgres.js';

const SEAL = { idSubscriber: 'SANDBOX-SEAL-0001', email: 'segel@pemkot.sandbox.test' };
const database = testDatabase();

const backends: { name: string; skip: string | false; databaseUrl: () => Promise<{ url: string | undefined; drop: () => Promise<void> }> }[] = [
  { name: 'filesystem (DATA_DIR)', skip: false, databaseUrl: async () => ({ url: undefined, drop: async () => undefined }) },
  {
    name: 'PostgreSQL',
    skip: database.skip,
    databaseUrl: async () => {
      const db = await freshDatabase(database.url!);
      return { url: db.url, drop: db.drop };
    },
  },
];

describe('a restart between "OTP requested" and "sign" completes the flow', { timeout: 120_000 }, () => {
  let sandbox: SandboxHost;
  let nssDir: string;
  const dirs: string[] = [];
  before(async () => {
    sandbox = await startSandboxHost();
    nssDir = mkdtempSync(join(tmpdir(), 'esign-restart-nss-'));
    dirs.push(nssDir);
    await trustSandboxRoot(sandbox.context, nssDir);
  });
  after(async () => {
    await sandbox.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** The stored document, fetched through the API, judged by pdfsig: one valid, trusted signature per name. */
  async function expectSigned(api: Api, documentId: string, names: RegExp[]) {
    const pdf = expectStatus(await api.get(`/api/documents/${documentId}`), 200, 'stored document').body as Uint8Array;
    const file = join(nssDir, `${documentId}.pdf`);
    writeFileSync(file, pdf);
    const report = await verifyWithPdfsig(file, nssDir);
    assert.equal(report.signatures.length, names.length, report.stdout);
    report.signatures.forEach((s, i) => {
      assert.match(s.commonName, names[i]!);
      assert.equal(s.validation, 'Signature is Valid.', report.stdout);
      assert.equal(s.certificate, 'Certificate is Trusted.', report.stdout);
    });
  }

  for (const backend of backends) {
    describe(backend.name, { skip: backend.skip }, () => {
      let dataDir: string;
      let db: { url: string | undefined; drop: () => Promise<void> };
      before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'esign-restart-'));
        dirs.push(dataDir);
        db = await backend.databaseUrl();
      });
      after(async () => {
        await db.drop();
      });

      it('Peruri: the OTP session requested before the restart signs after it', async () => {
        const signer = PERURI_SIGNERS[0];
        const first = await startOn(sandbox, { dataDir, databaseUrl: db.url });
        let orderId: string;
        let code: string;
        try {
          orderId = expectStatus(await peruriSend(first.api, { pdf: await contract(), email: signer.email }), 201, 'peruri send').body.orderId as string;
          expectStatus(await first.api.postJson(`/api/peruri/documents/${orderId}/otp`), 201, 'peruri otp');
          code = await latestCode(sandbox.url, 'peruri', signer.email);
        } finally {
          await first.stop();
        }
        const second = await startOn(sandbox, { dataDir, databaseUrl: db.url });
        try {
          const signed = expectStatus(await peruriSign(second.api, orderId, code), 201, 'peruri sign after the restart');
          assert.equal(signed.body.orderId, orderId);
          assert.ok(signed.body.document, JSON.stringify(signed.body));
          await expectSigned(second.api, signed.body.document.id as string, [new RegExp(signer.name)]);
          // Used once: the session is gone, on this instance as on any other.
          const again = await peruriSign(second.api, orderId, code);
          assert.equal(again.status, 400, JSON.stringify(again.body));
          assert.match(again.body.error.message, /Request an OTP for this order first/);
        } finally {
          await second.stop();
        }
      });

      it('BSrE seal: the OTP BSrE returned before the restart (held, never shown) seals after it', async () => {
        const first = await startOn(sandbox, { dataDir, databaseUrl: db.url });
        try {
          expectStatus(await first.api.postJson('/api/bsre/seals/activation', { idSubscriber: SEAL.idSubscriber }), 201, 'seal activation');
          const activationTotp = await latestCode(sandbox.url, 'bsre', SEAL.email);
          const otp = expectStatus(
            await first.api.postJson('/api/bsre/seals/totp', { idSubscriber: SEAL.idSubscriber, activationTotp, fileCount: 1 }),
            201,
            'seal otp',
          );
          assert.equal(otp.body.held, true, 'the sandbox returns the seal OTP in its body (gap 25): the server holds it');
          assert.equal(JSON.stringify(otp.body).match(/"totp"/), null, 'the held OTP is not in the answer');
        } finally {
          await first.stop();
        }
        const second = await startOn(sandbox, { dataDir, databaseUrl: db.url });
        try {
          const sealed = expectStatus(
            await second.api.postForm('/api/bsre/seals', { file: await contract('Surat Keputusan (uji segel)'), idSubscriber: SEAL.idSubscriber }),
            201,
            'seal after the restart',
          );
          assert.equal(sealed.body.sealed, 1);
          await expectSigned(second.api, sealed.body.documents[0].id as string, [/Pemerintah Kota Sandbox/]);
          // Used once.
          const again = await second.api.postForm('/api/bsre/seals', { file: await contract(), idSubscriber: SEAL.idSubscriber });
          assert.equal(again.status, 400, JSON.stringify(again.body));
          assert.equal(again.body.error.field, 'totp');
        } finally {
          await second.stop();
        }
      });
    });
  }
});
