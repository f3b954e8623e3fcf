// Guessing, as the red team did (4 090 wrong Peruri OTPs in 20 s, then the right one signed): through the
// companion server against the sandbox providers, 5 wrong guesses of a Peruri OTP, a BSrE TOTP and a BSrE
// passphrase reach the provider and are refused by it; the 6th attempt is 429 with Retry-After — and so is the
// right value — for every portal user, and still after a restart on the same DATA_DIR, until the back-off
// (60 s, on a clock the test moves) ends; then the right value signs. A burst of 20 concurrent wrong OTPs
// lets at most 5 reach Peruri.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { form, makePdf, pdfPart, startKit, type Kit } from './kit.js';

const PASSPHRASE = 'Sandbox#2024';
const SITI = { email: 'siti@peruri.sandbox.test', nik: '3273000000000001' };
const BUDI = { nik: '3171000000000001', email: 'issue@bsre.sandbox.test' };

describe('guessing one-time codes and passphrases', { timeout: 120_000 }, () => {
  const clock = { now: Date.now() };
  const now = () => clock.now;
  let kit: Kit;
  let dataDir = '';
  let pdf: Uint8Array;

  before(async () => {
    kit = await startKit({ now, keepDataDir: true });
    dataDir = kit.dataDir;
    pdf = await makePdf();
  });
  after(async () => {
    await kit?.close();
    const { rmSync } = await import('node:fs');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(path: string, body: unknown, sub = 'guesser') {
    const init: RequestInit =
      body instanceof FormData
        ? { method: 'POST', headers: kit.auth(sub), body }
        : { method: 'POST', headers: { ...kit.auth(sub), 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const res = await fetch(`${kit.base}${path}`, init);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
  }
  const code = async (provider: string, to: string) => {
    const inbox = (await (await fetch(`${kit.base}/sandbox/inbox.json?provider=${provider}&to=${encodeURIComponent(to)}`)).json()) as {
      messages: { code?: string }[];
    };
    const found = inbox.messages.find((m) => m.code)?.code;
    assert.ok(found, `a code for ${to}`);
    return found;
  };
  const wrong = (right: string) => String((Number(right) + 1) % 1_000_000).padStart(right.length, '0');
  async function peruriOrder() {
    const sent = await call(
      '/api/peruri/documents',
      form({ file: pdfPart(pdf), email: SITI.email, boxes: JSON.stringify([{ page: 1, x: 400, y: 60, width: 75, height: 71 }]) }),
    );
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const orderId = sent.body.orderId as string;
    assert.equal((await call(`/api/peruri/documents/${orderId}/otp`, {})).status, 201);
    return { orderId, otp: await code('peruri', SITI.email) };
  }
  const bsreSign = (fields: Record<string, string>, sub?: string) => call('/api/bsre/signatures', form({ file: pdfPart(pdf), ...fields }), sub);
  const expectLocked = (res: Awaited<ReturnType<typeof call>>, field: string) => {
    assert.equal(res.status, 429, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'too-many-attempts');
    assert.equal(res.body.error.field, field);
    const wait = Number(res.retryAfter);
    assert.ok(wait >= 1 && wait <= 60, `Retry-After ${res.retryAfter}`);
  };

  let order: { orderId: string; otp: string };
  let totp = '';

  it('5 wrong guesses each reach the provider and are refused by it, with its own code', async () => {
    order = await peruriOrder();
    assert.equal((await call('/api/bsre/totp', { nik: BUDI.nik })).status, 201);
    totp = await code('bsre', BUDI.email);
    for (let i = 0; i < 5; i++) {
      const otp = await call(`/api/peruri/documents/${order.orderId}/signatures`, { otpCode: wrong(order.otp) });
      assert.equal(otp.status, 422, JSON.stringify(otp.body));
      assert.equal(otp.body.error.provider.code, '4007');
      const t = await bsreSign({ nik: BUDI.nik, totp: wrong(totp) });
      assert.equal(t.status, 422, JSON.stringify(t.body));
      assert.equal(t.body.error.code, 'otp-invalid');
      const p = await bsreSign({ nik: SITI.nik, passphrase: `salah-${i}` });
      assert.equal(p.status, 422, JSON.stringify(p.body));
      assert.deepEqual([p.body.error.code, p.body.error.provider.code], ['wrong-passphrase', '2031']);
    }
  });

  it('the 6th attempt is 429 with Retry-After, and so is the right value, for any portal user', async () => {
    expectLocked(await call(`/api/peruri/documents/${order.orderId}/signatures`, { otpCode: wrong(order.otp) }), 'otpCode');
    expectLocked(await call(`/api/peruri/documents/${order.orderId}/signatures`, { otpCode: order.otp }), 'otpCode');
    expectLocked(await bsreSign({ nik: BUDI.nik, totp }), 'totp');
    expectLocked(await bsreSign({ nik: SITI.nik, passphrase: PASSPHRASE }), 'passphrase');
    // The count is the target's: another portal user acting as the same person is held back too.
    expectLocked(await bsreSign({ nik: SITI.nik, passphrase: PASSPHRASE }, 'another-portal-user'), 'passphrase');
  });

  it('still after a restart on the same DATA_DIR; after the back-off the right values sign', async () => {
    await kit.close();
    kit = await startKit({ now, dataDir, keepDataDir: true });
    clock.now += 30_000;
    expectLocked(await call(`/api/peruri/documents/${order.orderId}/signatures`, { otpCode: order.otp }), 'otpCode');
    expectLocked(await bsreSign({ nik: BUDI.nik, totp }), 'totp');
    expectLocked(await bsreSign({ nik: SITI.nik, passphrase: PASSPHRASE }), 'passphrase');
    clock.now += 31_000;
    // The OTP session token lives in memory only: after the restart the signer asks for a new OTP.
    assert.equal((await call(`/api/peruri/documents/${order.orderId}/otp`, {})).status, 201);
    const signed = await call(`/api/peruri/documents/${order.orderId}/signatures`, { otpCode: await code('peruri', SITI.email) });
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    assert.equal((await bsreSign({ nik: BUDI.nik, totp })).status, 201);
    assert.equal((await bsreSign({ nik: SITI.nik, passphrase: PASSPHRASE })).status, 201);
  });

  it('20 concurrent wrong OTPs for one order: 5 reach Peruri, the other 15 are 429', async () => {
    const fresh = await peruriOrder();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(`/api/peruri/documents/${fresh.orderId}/signatures`, { otpCode: wrong(fresh.otp) })),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [...Array(15).fill(429), ...Array(5).fill(422)].sort());
    expectLocked(await call(`/api/peruri/documents/${fresh.orderId}/signatures`, { otpCode: fresh.otp }), 'otpCode');
  });
});
