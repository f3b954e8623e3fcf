// Guessing BSrE passphrases around the limit (review findings 1 and 7, /work/notes/findings/server-review-1.md):
// - a dummy `totp` beside the passphrase made v1 and cloud signings count as TOTP guesses, whose count never
//   saw a wrong passphrase (12 wrong, then the right one signed). Now `totp` is refused there (400 naming it,
//   never reaching BSrE), and the count is the passphrase's whatever else the body holds;
// - one person named by NIK and by e-mail had two counts (10 guesses per back-off). Now a token binding one NIK
//   and one e-mail makes them one target.
// Through the companion server against the sandbox providers, which really check the passphrase.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { identityClaims } from '../../../server/test/identities.js';
import { form, makePdf, pdfPart, startKit, type Kit } from './kit.js';

const PASSPHRASE = 'Sandbox#2024';
const SITI_NIK = '3273000000000001';
const BUDI = { nik: '3171000000000001', email: 'issue@bsre.sandbox.test' };

type Answer = { status: number; body: any };

async function sign(kit: Kit, fields: Record<string, string>, sub = 'guesser', claims?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${kit.base}/api/bsre/signatures`, {
    method: 'POST',
    headers: kit.auth(sub, claims),
    body: form({ file: pdfPart(await makePdf()), ...fields }),
  });
  return { status: res.status, body: await res.json() };
}

/** 12 wrong passphrases with a dummy TOTP: none reaches BSrE; then 5 without it do, and the 6th (right, with a TOTP) is 429. */
async function dummyTotpDoesNotEscape(kit: Kit, extra: Record<string, string>) {
  for (let i = 0; i < 12; i++) {
    const a = await sign(kit, { nik: SITI_NIK, passphrase: `salah-${i}`, totp: '123456', ...extra });
    assert.equal(a.status, 400, JSON.stringify(a.body));
    assert.equal(a.body.error.field, 'totp');
  }
  for (let i = 0; i < 5; i++) {
    const a = await sign(kit, { nik: SITI_NIK, passphrase: `salah-${i}`, ...extra });
    assert.equal(a.status, 422, JSON.stringify(a.body));
    assert.equal(a.body.error.code, 'wrong-passphrase');
  }
  for (const fields of [{ passphrase: PASSPHRASE, totp: '123456' }, { passphrase: PASSPHRASE }]) {
    const locked = await sign(kit, { nik: SITI_NIK, ...fields, ...extra });
    assert.equal(locked.status, 429, JSON.stringify(locked.body));
    assert.equal(locked.body.error.field, 'passphrase');
  }
}

describe('BSrE passphrase guesses cannot escape their count', { timeout: 120_000 }, () => {
  const kits: Kit[] = [];
  after(() => Promise.all(kits.map((k) => k.close())));
  const start = async (env: Record<string, string> = {}) => {
    const kit = await startKit({ env });
    kits.push(kit);
    return kit;
  };

  it('API v1: a dummy totp is refused by name, and the passphrase count holds', async () => {
    await dummyTotpDoesNotEscape(await start({ BSRE_API: 'v1' }), {});
  });

  it('the cloud service: the same', async () => {
    await dummyTotpDoesNotEscape(await start(), { service: 'cloud' });
  });

  it('API v2 still signs with a TOTP, and a TOTP guess is a TOTP count', async () => {
    const kit = await start();
    const t = await sign(kit, { nik: BUDI.nik, totp: '000000' });
    assert.equal(t.status, 422, JSON.stringify(t.body));
    assert.equal(t.body.error.code, 'otp-invalid');
  });

  it('one person named by NIK and by e-mail is one count when the token binds both', async () => {
    const kit = await start();
    const claims = identityClaims({ niks: [BUDI.nik], emails: [BUDI.email] });
    for (let i = 0; i < 3; i++) assert.equal((await sign(kit, { nik: BUDI.nik, passphrase: `salah-${i}` }, 'budi', claims)).status, 422);
    for (let i = 0; i < 2; i++) assert.equal((await sign(kit, { email: BUDI.email, passphrase: `salah-e${i}` }, 'budi', claims)).status, 422);
    for (const who of [{ email: BUDI.email }, { nik: BUDI.nik }]) {
      const locked = await sign(kit, { ...who, passphrase: PASSPHRASE }, 'budi', claims);
      assert.equal(locked.status, 429, JSON.stringify(locked.body));
    }
  });
});
