// Contract suite: the BSrE adapters (v1, v2, cloud) against the BSrE simulator on loopback. Every signed PDF
// is judged by poppler (pdfsig, pdftoppm); stamps are compared with a red reference box drawn at the same
// neutral box, so the adapter's conversion (core) and the simulator's reading (sandbox) check each other.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { BsreCloudClient, BsreEsignClient } from '../../../server/src/providers/adapters.js';
import { BSRE_STATUSES, DEMO_PASSPHRASE } from '../src/state.js';
import { GEOMETRY_CASES } from '../../../test/fixtures/geometry-pdf.js';
import {
  GREEN,
  RED,
  boundsOf,
  CREDENTIALS,
  fetchWith,
  geometriesOf,
  geometryCasePdf,
  inbox,
  latestCode,
  pdfsig,
  removeDir,
  samplePdf,
  solidPng,
  startSandbox,
  trustedNss,
  type Sandbox,
  rejects,
} from './harness.js';

const run = promisify(execFile);
const BUDI = { nik: '3171000000000001', email: 'issue@bsre.sandbox.test' };
const SITI_NIK = '3273000000000001';

let sb: Sandbox;
let nss: string;
let client: BsreEsignClient;
const settings = () => ({ baseUrl: `${sb.base}/bsre`, username: CREDENTIALS.bsreUsername, password: CREDENTIALS.bsrePassword });

before(async () => {
  sb = await startSandbox('bsre');
  nss = await trustedNss(sb);
  client = new BsreEsignClient(settings());
});
after(async () => {
  await sb.close();
  removeDir(sb.dir);
});

async function assertSignedAndTrusted(pdf: Uint8Array, count = 1, commonName?: string) {
  const { signatures, stdout } = await pdfsig(sb.dir, pdf, nss);
  assert.equal(signatures.length, count, stdout);
  for (const s of signatures) {
    assert.equal(s.validation, 'Signature is Valid.', stdout);
    assert.equal(s.certificate, 'Certificate is Trusted.', stdout);
  }
  assert.equal(signatures[count - 1]?.total, true, stdout);
  if (commonName) assert.equal(signatures[count - 1]?.commonName, commonName, stdout);
  return stdout;
}

describe('BSrE v2 (Esign Client, JSON)', () => {
  it('answers the status of every seeded user (D.6) and the v1 status route (C.1)', async () => {
    for (const [i, status] of BSRE_STATUSES.entries()) {
      const nik = `317100000000000${i + 1}`;
      assert.equal((await client.userStatus({ nik })).status, status);
      assert.equal((await client.v1UserStatus({ nik })).status, status);
    }
    assert.equal((await client.userStatus({ email: BUDI.email })).status, 'ISSUE');
    assert.equal((await client.userStatus({ nik: '3171999999999999' })).status, 'NOT_REGISTERED');
  });

  for (const c of [GEOMETRY_CASES[1]!, GEOMETRY_CASES[6]!, GEOMETRY_CASES[7]!]) {
    it(`signs with a passphrase and draws the specimen exactly on the box: ${c.name}`, async () => {
      const { pdf, box, pages } = await geometryCasePdf(c);
      const quarter = pages[0]!.rotate % 180 !== 0;
      const image = solidPng(quarter ? box.height : box.width, quarter ? box.width : box.height, GREEN);
      const { files } = await client.signPdf({
        signer: { nik: BUDI.nik },
        credential: { passphrase: DEMO_PASSPHRASE },
        files: [pdf],
        signatures: [{ visible: true, image, box, pages }],
      });
      await assertSignedAndTrusted(files[0]!, 1, 'Budi Santoso');
      const expected = await boundsOf(sb.dir, pdf, 1, RED);
      const got = await boundsOf(sb.dir, files[0]!, 1, GREEN);
      assert.ok(expected && got, 'both boxes render');
      for (const k of ['left', 'top', 'right', 'bottom'] as const)
        assert.ok(Math.abs(expected[k] - got[k]) <= 1, `${k}: red ${expected[k]} vs stamp ${got[k]}`);
    });
  }

  it("signs with a TOTP from the inbox (key `totp`, the schema's), once per code; the examples' `otp` is refused by name", async () => {
    const pdf = await samplePdf(1);
    const ack = await client.requestSignTotp({ nik: BUDI.nik, fileCount: 1 });
    assert.match(ack.message ?? '', /TOTP/);
    const code = await latestCode(sb, BUDI.email);
    const { files } = await client.signPdf({ signer: { email: BUDI.email }, credential: { totp: code }, files: [pdf], signatures: [{ visible: false }] });
    await assertSignedAndTrusted(files[0]!);
    await rejects(client.signPdf({ signer: { email: BUDI.email }, credential: { totp: code }, files: [pdf], signatures: [{ visible: false }] }), {
      code: 'otp-invalid',
    });
    await client.requestSignTotp({ email: BUDI.email, fileCount: 1 });
    const fresh = await latestCode(sb, BUDI.email);
    const viaOtpKey = new BsreEsignClient({ ...settings(), signOtpField: 'otp' });
    await rejects(viaOtpKey.signPdf({ signer: { nik: BUDI.nik }, credential: { totp: fresh }, files: [pdf], signatures: [{ visible: false }] }), {
      providerCode: '2001',
      providerMessage: 'Parameter otp tidak dikenal, gunakan totp',
    });
    const signed = await client.signPdf({ signer: { nik: BUDI.nik }, credential: { totp: fresh }, files: [pdf], signatures: [{ visible: false }] });
    await assertSignedAndTrusted(signed.files[0]!);
  });

  it('refuses a TOTP asked for fewer files than are sent', async () => {
    await client.requestSignTotp({ nik: BUDI.nik, fileCount: 1 });
    const pdf = await samplePdf(1);
    await rejects(
      client.signPdf({
        signer: { nik: BUDI.nik },
        credential: { totp: await latestCode(sb, BUDI.email) },
        files: [pdf, pdf],
        signatures: [{ visible: false }],
      }),
      { code: 'otp-invalid' },
    );
  });

  it('places the specimen at a tag (tag_koordinat) found in the text', async () => {
    const pdf = await samplePdf(2);
    const { files } = await client.signPdf({
      signer: { nik: BUDI.nik },
      credential: { passphrase: DEMO_PASSPHRASE },
      files: [pdf],
      signatures: [{ visible: true, image: solidPng(80, 30, GREEN), tag: '#', width: 80, height: 30 }],
    });
    await assertSignedAndTrusted(files[0]!);
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    const markerX = 60 + font.widthOfTextAtSize('Tanda tangan pihak pertama: ', 12);
    const got = await boundsOf(sb.dir, files[0]!, 2, GREEN);
    assert.ok(got, 'the stamp is on page 2');
    assert.ok(Math.abs(got.left - markerX) <= 1, `left ${got.left} vs marker ${markerX}`);
    assert.ok(Math.abs(got.bottom - (842 - 300)) <= 1 && Math.abs(got.top - (842 - 330)) <= 1, `top ${got.top} bottom ${got.bottom}`);
    assert.equal(await boundsOf(sb.dir, files[0]!, 1, GREEN), undefined, 'nothing on page 1');
  });

  it('signs in bulk (one property per file) and lets a second signer sign incrementally', async () => {
    const a = await samplePdf(1);
    const b = await samplePdf(2);
    const pages = await geometriesOf(a);
    const { files } = await client.signPdf({
      signer: { nik: BUDI.nik },
      credential: { passphrase: DEMO_PASSPHRASE },
      files: [a, b],
      signatures: [{ visible: true, image: solidPng(120, 40, GREEN), box: { page: 1, x: 60, y: 60, width: 120, height: 40 }, pages }, { visible: false }],
    });
    assert.equal(files.length, 2);
    await assertSignedAndTrusted(files[1]!);
    const second = await client.signPdf({
      signer: { nik: SITI_NIK },
      credential: { passphrase: DEMO_PASSPHRASE },
      files: [files[0]!],
      signatures: [{ visible: true, image: solidPng(120, 40, RED), box: { page: 1, x: 300, y: 60, width: 120, height: 40 }, pages }],
    });
    const stdout = await assertSignedAndTrusted(second.files[0]!, 2, 'Siti Rahayu');
    assert.match(stdout, /Not total document signed/);
    const v = await client.verify({ pdf: second.files[0]! });
    assert.equal(v.conclusion, 'VALID');
    assert.equal(v.signatureCount, 2);
    assert.deepEqual(
      v.signatures.map((s) => s.signerName),
      ['Budi Santoso', 'Siti Rahayu'],
    );
    assert.ok(v.signatures.every((s) => s.integrityValid === true && s.certificateTrusted === true));
    assert.equal(v.signatures[0]!.certificates.length, 3, 'leaf, intermediate, root');
  });

  it('verifies for real: no signature, and a tampered file', async () => {
    const pdf = await samplePdf(1);
    assert.equal((await client.verify({ pdf })).conclusion, 'NO_SIGNATURE');
    const { files } = await client.signPdf({
      signer: { nik: BUDI.nik },
      credential: { passphrase: DEMO_PASSPHRASE },
      files: [pdf],
      signatures: [{ visible: false }],
    });
    const tampered = new Uint8Array(files[0]!);
    const at = tampered.indexOf(0x50, 200); // a byte of the signed range (a "P" early in the file)
    tampered[at] = 0x51;
    const v = await client.verify({ pdf: tampered });
    assert.equal(v.conclusion, 'INVALID');
    assert.equal(v.signatures[0]!.integrityValid, false);
  });

  it('seals with the organisation certificate after TOTP activation (D.3–D.5), and revokes', async () => {
    const id = 'SANDBOX-SEAL-0001';
    await client.sealActivation({ idSubscriber: id });
    const activation = await latestCode(sb, 'segel@pemkot.sandbox.test');
    const refreshed = await client.sealActivation({ idSubscriber: id, totp: activation });
    assert.equal(refreshed.totp, activation);
    assert.match(refreshed.expires ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const otp = await client.requestSealTotp({ idSubscriber: id, activationTotp: activation, fileCount: 1 });
    assert.ok(otp.totp);
    const { files } = await client.sealPdf({ idSubscriber: id, totp: otp.totp!, files: [await samplePdf(1)], reason: 'Segel' });
    await assertSignedAndTrusted(files[0]!, 1, 'Pemerintah Kota Sandbox');
    await rejects(client.sealPdf({ idSubscriber: id, totp: otp.totp!, files: [await samplePdf(1)] }), { code: 'otp-invalid' });
    await client.sealRevoke({ idSubscriber: id, totp: activation });
    await rejects(client.requestSealTotp({ idSubscriber: id, activationTotp: activation, fileCount: 1 }), { providerCode: '2062' });
    await rejects(client.sealActivation({ idSubscriber: 'NOPE' }), { providerCode: '2061' });
  });

  it('registers a user (D.7) with an e-mail in the inbox, and refuses the same e-mail twice', async () => {
    await client.register({ name: 'Nadia Putri', email: 'nadia@instansi.sandbox.test' });
    assert.equal((await client.userStatus({ email: 'nadia@instansi.sandbox.test' })).status, 'NO_CERTIFICATE');
    assert.equal((await inbox(sb, 'nadia@instansi.sandbox.test')).length, 1);
    await rejects(client.register({ name: 'Nadia Putri', email: 'nadia@instansi.sandbox.test' }), { providerCode: '2012' });
  });

  it('rejects what BSrE rejects: passphrase, status, registration, Basic auth, coordinates, not a PDF', async () => {
    const pdf = await samplePdf(1);
    const sign = (c: BsreEsignClient, nik: string, passphrase = DEMO_PASSPHRASE) =>
      c.signPdf({ signer: { nik }, credential: { passphrase }, files: [pdf], signatures: [{ visible: false }] });
    await rejects(sign(client, BUDI.nik, 'wrong'), { code: 'wrong-passphrase', providerCode: '2031' });
    await rejects(sign(client, '3171000000000007'), { code: 'user-not-registered', providerCode: '2011' });
    await rejects(sign(client, '3171999999999999'), { code: 'user-not-registered' });
    for (const nik of [
      '3171000000000002',
      '3171000000000003',
      '3171000000000004',
      '3171000000000005',
      '3171000000000006',
      '3171000000000008',
      '3171000000000009',
    ]) {
      await rejects(sign(client, nik), { providerCode: '2021' });
    }
    await rejects(sign(new BsreEsignClient({ ...settings(), password: 'nope' }), BUDI.nik), { code: 'provider-unauthorized' });
    const auth = `Basic ${Buffer.from(`${CREDENTIALS.bsreUsername}:${CREDENTIALS.bsrePassword}`).toString('base64')}`;
    const raw = (body: unknown) =>
      fetch(`${sb.base}/bsre/api/v2/sign/pdf`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const base = { nik: BUDI.nik, passphrase: DEMO_PASSPHRASE, file: [Buffer.from(pdf).toString('base64')] };
    const outside = await raw({
      ...base,
      signatureProperties: [
        {
          tampilan: 'VISIBLE',
          imageBase64: Buffer.from(solidPng(10, 10, GREEN)).toString('base64'),
          page: 1,
          originX: 550,
          originY: 10,
          width: 200,
          height: 100,
        },
      ],
    });
    assert.equal(outside.status, 400);
    assert.equal(((await outside.json()) as { status_code: number }).status_code, 2041);
    const noPdf = await raw({ ...base, file: [Buffer.from('hello').toString('base64')], signatureProperties: [{ tampilan: 'INVISIBLE' }] });
    assert.equal(((await noPdf.json()) as { status_code: number }).status_code, 2043);
    // A password-protected file (qpdf, AES-256) cannot be decrypted by the sandbox: refused, not a 500.
    const plainPath = join(sb.dir, 'plain.pdf');
    writeFileSync(plainPath, pdf);
    await run('qpdf', ['--encrypt', 'rahasia', 'pemilik', '256', '--', plainPath, join(sb.dir, 'locked.pdf')]);
    const locked = new Uint8Array(readFileSync(join(sb.dir, 'locked.pdf')));
    const encrypted = await raw({
      ...base,
      file: [Buffer.from(locked).toString('base64')],
      signatureProperties: [{ tampilan: 'INVISIBLE', pdfPassword: 'rahasia' }],
    });
    assert.equal(((await encrypted.json()) as { status_code: number }).status_code, 2043);
    const malformed = await fetch(`${sb.base}/bsre/api/v2/sign/pdf`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: '{"nik": ',
    });
    assert.deepEqual([malformed.status, ((await malformed.json()) as { status_code: number }).status_code], [400, 2001]);
    const both = await raw({ ...base, email: BUDI.email, signatureProperties: [{ tampilan: 'INVISIBLE' }] });
    assert.equal(((await both.json()) as { status_code: number }).status_code, 2001);
  });

  it('injects failures by header: forced status codes, slow answers and timeouts', async () => {
    const pdf = await samplePdf(1);
    const input = { signer: { nik: BUDI.nik }, credential: { passphrase: DEMO_PASSPHRASE }, files: [pdf], signatures: [{ visible: false as const }] };
    await rejects(new BsreEsignClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Fail': '503' }) }).signPdf(input), {
      code: 'provider-http-error',
      providerCode: '503',
    });
    await rejects(new BsreEsignClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Fail': '2031' }) }).signPdf(input), { code: 'wrong-passphrase' });
    await rejects(new BsreEsignClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Fail': 'timeout' }), timeoutMs: 300 }).signPdf(input), {
      code: 'provider-timeout',
    });
    let started = Date.now();
    await new BsreEsignClient(settings(), { fetch: fetchWith({ 'X-Sandbox-Delay-Ms': '400' }) }).userStatus({ nik: BUDI.nik });
    assert.ok(Date.now() - started >= 400);
    started = Date.now();
    await client.register({ name: 'Lambat', email: 'slow-300@instansi.sandbox.test' });
    assert.ok(Date.now() - started >= 300, 'a slow-<ms> e-mail answers late');
    const cloud = new BsreCloudClient({ baseUrl: `${sb.base}/bsre`, clientId: CREDENTIALS.bsreCloudClientId, clientSecret: CREDENTIALS.bsreCloudClientSecret });
    await rejects(cloud.sign({ idSigned: 'f'.repeat(32), passphrase: DEMO_PASSPHRASE }), { providerCode: '2044' });
  });
});

describe('BSrE v1 (Esign Client, multipart)', () => {
  it('signs in the four modes, downloads once, and verifies (C.2–C.4)', async () => {
    const pdf = await samplePdf(2);
    const pages = await geometriesOf(pdf);
    const box = { page: 1, x: 350, y: 100, width: 150, height: 60 };
    const modes = [
      { mode: 'invisible' as const },
      { mode: 'image' as const, image: solidPng(150, 60, GREEN), box, pages },
      { mode: 'qr' as const, linkQR: 'https://verify.sandbox.test/doc/1', box, pages },
      { mode: 'tag' as const, tag: '#', width: 90, height: 30, linkQR: 'https://verify.sandbox.test/doc/2' },
    ];
    for (const m of modes) {
      const { pdf: signed, documentId } = await client.v1SignPdf({
        ...m,
        pdf,
        nik: BUDI.nik,
        passphrase: DEMO_PASSPHRASE,
        reason: 'Menyetujui',
        location: 'Bandung',
        text: 'Kepala Dinas',
      });
      await assertSignedAndTrusted(signed, 1, 'Budi Santoso');
      assert.ok(documentId, `id_dokumen for ${m.mode}`);
      const downloaded = await client.v1Download({ documentId: documentId! });
      assert.deepEqual(downloaded.pdf, signed);
      await rejects(client.v1Download({ documentId: documentId! }), { code: 'document-not-found' });
      if (m.mode === 'image') {
        const got = await boundsOf(sb.dir, signed, 1, GREEN);
        assert.ok(got && Math.abs(got.left - 350) <= 1 && Math.abs(got.top - (842 - 160)) <= 1 && Math.abs(got.right - 500) <= 1, JSON.stringify(got));
      }
      if (m.mode === 'qr') {
        const dark = await boundsOf(sb.dir, signed, 1, [0, 0, 0], [0, 600, 595, 842]);
        assert.ok(
          dark && dark.left >= 349 && dark.right <= 501 && dark.top >= 842 - 161 && dark.bottom <= 842 - 99,
          `QR inside the box: ${JSON.stringify(dark)}`,
        );
      }
      const v = await client.v1Verify({ pdf: signed, fileName: 'kontrak.pdf' });
      assert.equal(v.summary, 'DOCUMENT VALID !!!');
      assert.equal(v.documentName, 'kontrak.pdf');
      assert.equal(v.signatures[0]?.certificateTrusted, true);
      assert.equal(v.signatures[0]?.reason, 'Menyetujui');
      assert.equal(v.signatures[0]?.location, 'Bandung');
    }
  });

  it('refuses a missing imageTTD, an unknown tag and a second download', async () => {
    const auth = `Basic ${Buffer.from(`${CREDENTIALS.bsreUsername}:${CREDENTIALS.bsrePassword}`).toString('base64')}`;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await samplePdf(1))], { type: 'application/pdf' }), 'a.pdf');
    for (const [k, v] of Object.entries({
      nik: BUDI.nik,
      passphrase: DEMO_PASSPHRASE,
      tampilan: 'visible',
      image: 'true',
      page: '1',
      xAxis: '10',
      yAxis: '10',
      width: '100',
      height: '50',
    }))
      form.append(k, v);
    const res = await fetch(`${sb.base}/bsre/api/sign/pdf`, { method: 'POST', headers: { Authorization: auth }, body: form });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { status_code: number }).status_code, 2001);
    await rejects(
      client.v1SignPdf({
        mode: 'tag',
        tag: '$',
        width: 50,
        height: 20,
        linkQR: 'https://x.sandbox.test',
        pdf: await samplePdf(1),
        nik: BUDI.nik,
        passphrase: DEMO_PASSPHRASE,
      }),
      { providerCode: '2042' },
    );
    await rejects(client.v1Download({ documentId: 'ffffffffffffffffffffffffffffffff' }), { code: 'document-not-found' });
  });
});

describe('BSrE cloud (OAuth, entity sign request)', () => {
  const cloudSettings = () => ({ baseUrl: `${sb.base}/bsre`, clientId: CREDENTIALS.bsreCloudClientId, clientSecret: CREDENTIALS.bsreCloudClientSecret });

  it('token → sign request → sign with passphrase → download → verify', async () => {
    const cloud = new BsreCloudClient(cloudSettings());
    const pdf = await samplePdf(2);
    const pages = await geometriesOf(pdf);
    const { idSigned } = await cloud.signRequest({
      signer: BUDI.nik,
      pdf,
      perihal: 'Kontrak',
      appearance: { visible: true, box: { page: 2, x: 100, y: 100, width: 160, height: 64 }, pages, linkQR: 'https://verify.sandbox.test/c/1' },
    });
    assert.match(idSigned, /^[0-9a-f]{32}$/);
    assert.match((await inbox(sb, BUDI.email))[0]?.subject ?? '', /Permintaan tanda tangan/);
    await rejects(cloud.download({ idSigned }), { providerCode: '2046' });
    await rejects(cloud.sign({ idSigned, passphrase: 'salah' }), { code: 'wrong-passphrase' });
    const signedAck = await cloud.sign({ idSigned, passphrase: DEMO_PASSPHRASE });
    assert.equal(signedAck.message, 'Proses berhasil');
    const { pdf: signed } = await cloud.download({ idSigned });
    await assertSignedAndTrusted(signed);
    const dark = await boundsOf(sb.dir, signed, 2, [0, 0, 0], [0, 600, 595, 842]);
    assert.ok(
      dark && dark.left >= 99 && dark.right <= 261 && dark.top >= 842 - 165 && dark.bottom <= 842 - 99,
      `QR on page 2 in the box: ${JSON.stringify(dark)}`,
    );
    const v = await cloud.verify({ pdf: signed });
    assert.equal(v.summary, 'DOCUMENT VALID !!!');
    assert.equal(v.signatureCount, 1);
    await rejects(cloud.sign({ idSigned, passphrase: DEMO_PASSPHRASE }), { providerCode: '2045' });
  });

  it('uses the stored specimen for image=true, and rejects bad credentials, tokens and pages', async () => {
    const cloud = new BsreCloudClient(cloudSettings());
    const pdf = await samplePdf(1);
    const pages = await geometriesOf(pdf);
    const { idSigned } = await cloud.signRequest({
      signer: BUDI.email,
      pdf,
      appearance: { visible: true, image: true, box: { page: 1, x: 50, y: 50, width: 160, height: 60 }, pages },
    });
    await cloud.sign({ idSigned, passphrase: DEMO_PASSPHRASE });
    const signed = (await cloud.download({ idSigned })).pdf;
    await assertSignedAndTrusted(signed);
    assert.ok(await boundsOf(sb.dir, signed, 1, [16, 32, 144]), 'the blue specimen stroke is drawn');
    await rejects(new BsreCloudClient({ ...cloudSettings(), clientSecret: 'bad' }).verify({ pdf }), { code: 'provider-unauthorized' });
    const res = await fetch(`${sb.base}/bsre/api/v2/entity/verify/`, { method: 'POST', headers: { Authorization: 'Bearer not-a-token' } });
    assert.equal(res.status, 401);
    await rejects(cloud.signRequest({ signer: '3171000000000002', pdf, appearance: { visible: false } }), { providerCode: '2021' });
    const token = (await (
      await fetch(
        `${sb.base}/bsre/oauth/token?client_id=${CREDENTIALS.bsreCloudClientId}&client_secret=${CREDENTIALS.bsreCloudClientSecret}&grant_type=client_credentials`,
        { method: 'POST' },
      )
    ).json()) as { access_token: string; expires_in: number };
    assert.equal(token.expires_in, 3599);
    const middle = await fetch(
      `${sb.base}/bsre/api/v2/entity/sign/request?penandatangan=${BUDI.nik}&tampilan=visible&image=true&halaman=tengah&xAxis=1&yAxis=1&width=50&height=50`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${token.access_token}` },
        body: (() => {
          const f = new FormData();
          f.append('file', new Blob([new Uint8Array(pdf)]), 'a.pdf');
          return f;
        })(),
      },
    );
    assert.equal(((await middle.json()) as { status_code: number }).status_code, 2041);
  });
});
