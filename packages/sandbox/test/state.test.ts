// State survives a restart: a new router over the same data directory keeps users, codes, documents,
// orders, the inbox and the CA (so trust lists built once stay valid).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BsreEsignClient, DigisignClient, PeruriClient } from '../../../server/src/providers/adapters.js';
import { DEMO_PASSPHRASE, SandboxState, seedUsers } from '../src/state.js';
import { CREDENTIALS, geometriesOf, inbox, latestCode, removeDir, rootPem, samplePdf, startSandbox, type Sandbox } from './harness.js';

let sb: Sandbox;
before(async () => {
  sb = await startSandbox('state');
});
after(async () => {
  await sb.close();
  removeDir(sb.dir);
});

describe('sandbox state', () => {
  it('seeds one BSrE demo user per status, plus Peruri and Digisign users', () => {
    const users = seedUsers();
    assert.deepEqual(
      users.slice(0, 9).map((u) => u.bsreStatus),
      ['ISSUE', 'EXPIRED', 'RENEW', 'WAITING_FOR_VERIFICATION', 'NEW', 'NO_CERTIFICATE', 'NOT_REGISTERED', 'SUSPEND', 'REVOKE'],
    );
    assert.equal(new Set(users.map((u) => u.nik)).size, users.length);
    assert.equal(new Set(users.map((u) => u.email)).size, users.length);
    assert.ok(users.some((u) => u.peruri?.certificate) && users.some((u) => u.digisign?.activated));
  });

  it('keeps codes, documents, orders, the inbox and the CA across a restart', async () => {
    const bsre = () => new BsreEsignClient({ baseUrl: `${sb.base}/bsre`, username: CREDENTIALS.bsreUsername, password: CREDENTIALS.bsrePassword });
    const peruri = () => new PeruriClient({ baseUrl: `${sb.base}/peruri`, apiKey: CREDENTIALS.peruriApiKey, systemId: CREDENTIALS.peruriSystemId });
    const digisign = () => new DigisignClient({ baseUrl: `${sb.base}/digisign`, token: CREDENTIALS.digisignToken, userid: CREDENTIALS.digisignUserId });
    const pdf = await samplePdf(1);
    const { documentId } = await bsre().v1SignPdf({ mode: 'invisible', pdf, nik: '3171000000000001', passphrase: DEMO_PASSPHRASE });
    await bsre().requestSignTotp({ nik: '3171000000000001', fileCount: 1 });
    const code = await latestCode(sb, 'issue@bsre.sandbox.test');
    await bsre().register({ name: 'Rudi', email: 'rudi@instansi.sandbox.test' });
    const { orderId } = await peruri().sendDocument({ email: 'siti@peruri.sandbox.test', fileName: 'keep.pdf', pdf });
    await digisign().sendDocument({
      documentId: 'KEEP-1',
      pdf,
      signers: [{ name: 'Dewi', email: 'dewi@digisign.sandbox.test' }],
      placement: { boxes: [{ page: 1, x: 10, y: 10, width: 100, height: 40 }], pages: await geometriesOf(pdf) },
    });
    const root = await rootPem(sb);
    const messages = (await inbox(sb, 'issue@bsre.sandbox.test')).length;

    await sb.restart();

    assert.equal(await rootPem(sb), root, 'the same CA');
    assert.equal((await inbox(sb, 'issue@bsre.sandbox.test')).length, messages);
    assert.ok((await bsre().v1Download({ documentId: documentId! })).pdf.length > 0, 'v1 document kept (and still downloadable once)');
    const signed = await bsre().signPdf({ signer: { nik: '3171000000000001' }, credential: { totp: code }, files: [pdf], signatures: [{ visible: false }] });
    assert.equal(signed.files.length, 1, 'the TOTP sent before the restart still works');
    assert.equal((await bsre().userStatus({ email: 'rudi@instansi.sandbox.test' })).status, 'NO_CERTIFICATE');
    assert.equal((await peruri().viewDocument({ orderId })).coordinatesSet, false);
    assert.ok((await digisign().downloadBase64({ documentId: 'KEEP-1' })).pdf.length > 0);
    assert.ok(existsSync(join(sb.dir, 'sandbox', 'state.json')));
    assert.ok(existsSync(join(sb.dir, 'sandbox', 'ca', 'ca.json')));
  });

  it('consumes a one-time code once and refuses it after expiry', () => {
    const s = new SandboxState(join(sb.dir, 'scratch'));
    const c = s.issueCode('k', 'test', 60_000);
    assert.match(c.code, /^\d{6}$/);
    assert.equal(s.takeCode('k', c.code)?.purpose, 'test');
    assert.equal(s.takeCode('k', c.code), undefined);
    const old = s.issueCode('k2', 'test', -1);
    assert.equal(s.takeCode('k2', old.code), undefined);
  });
});
