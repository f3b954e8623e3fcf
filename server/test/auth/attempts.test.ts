// The attempt limiter on its own, with the file store it uses in production and a clock the test moves:
// which refusals count, the back-off and its growth, what clears and what forgets a count, concurrent
// guesses bounded by the limit, and the counts surviving a new store on the same directory (a restart).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProviderError } from '../../src/providers/adapters.js';
import { parseBsreError } from '../../src/providers/bsre/common.js';
import { AttemptLimiter, attemptPolicy, DEFAULT_ATTEMPT_POLICY, TooManyAttempts, type Guess } from '../../src/auth/attempts.js';
import { FileAttemptStore } from '../../src/store/attempts.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'esign-attempts-'));
  dirs.push(d);
  return d;
};

/** Peruri's refusal of a wrong OTP (the sandbox's resultCode 4007), BSrE's of a passphrase, and failures that are not guesses. */
const wrongOtp = () =>
  new ProviderError({
    code: 'provider-rejected',
    provider: 'peruri',
    operation: 'peruri.signing',
    providerCode: '4007',
    providerMessage: 'Kode OTP salah',
    message: 'Peruri refused.',
    httpStatus: 422,
    retryable: false,
  });
const wrongPassphrase = () =>
  new ProviderError({
    code: 'wrong-passphrase',
    provider: 'bsre',
    operation: 'bsre.v2.signPdf',
    providerCode: '2031',
    providerMessage: 'Passphrase anda salah',
    message: 'The passphrase is wrong.',
    httpStatus: 422,
    retryable: false,
  });
const timeout = () =>
  new ProviderError({ code: 'provider-timeout', provider: 'peruri', operation: 'peruri.signing', message: 'timeout', httpStatus: 504, retryable: false });
const gateway = () =>
  new ProviderError({
    code: 'provider-http-error',
    provider: 'peruri',
    operation: 'peruri.signing',
    providerCode: '502',
    message: 'HTTP 502',
    httpStatus: 502,
    retryable: true,
  });

function setup(dir = tmp()) {
  const clock = { now: 1_700_000_000_000 };
  const limiter = new AttemptLimiter(new FileAttemptStore(dir), DEFAULT_ATTEMPT_POLICY, () => clock.now);
  return { dir, clock, limiter };
}

const guess = (target = 'order:3001', user = 'u1', kind: Guess['kind'] = 'peruri-otp'): Guess => ({ kind, target, user, field: 'otpCode' });
const fail = (l: AttemptLimiter, g: Guess, err: () => Error) => l.attempt(g, async () => Promise.reject(err()));
const succeed = (l: AttemptLimiter, g: Guess) => l.attempt(g, async () => 'signed');
const refused = (e: unknown) => e instanceof TooManyAttempts;

describe('attempt limits', () => {
  it('5 wrong guesses pass to the provider; the 6th, even a right one, is refused until the back-off ends', async () => {
    const { limiter, clock } = setup();
    for (let i = 0; i < 5; i++) await assert.rejects(fail(limiter, guess(), wrongOtp), (e) => e instanceof ProviderError);
    let provider = 0;
    await assert.rejects(
      limiter.attempt(guess(), async () => ++provider),
      (e: unknown) => refused(e) && (e as TooManyAttempts).retryAfterMs === 60_000 && (e as TooManyAttempts).field === 'otpCode',
    );
    assert.equal(provider, 0, 'the refused guess never reached the provider');
    clock.now += 59_000;
    await assert.rejects(succeed(limiter, guess()), refused);
    clock.now += 1_000;
    assert.equal(await succeed(limiter, guess()), 'signed');
    // The right guess cleared the target: five more wrong ones are allowed again.
    for (let i = 0; i < 5; i++) await assert.rejects(fail(limiter, guess(), wrongOtp), (e) => e instanceof ProviderError);
    await assert.rejects(succeed(limiter, guess()), refused);
  });

  it('the back-off doubles with every wrong guess past the limit, up to an hour', async () => {
    const { limiter, clock } = setup();
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      await assert.rejects(fail(limiter, guess(), wrongOtp), (e) => e instanceof ProviderError);
      if (i >= 4) {
        await assert.rejects(succeed(limiter, guess()), (e: unknown) => refused(e) && (waits.push((e as TooManyAttempts).retryAfterMs), true));
        clock.now += waits.at(-1)!;
      }
    }
    assert.deepEqual(waits, [60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
  });

  it('counts only the provider refusing the guessed value: timeouts, gateway errors and other refusals do not count', async () => {
    const { limiter } = setup();
    for (let i = 0; i < 10; i++) await assert.rejects(fail(limiter, guess(), i % 2 ? timeout : gateway), (e) => e instanceof ProviderError);
    // A BSrE passphrase refusal is not a wrong Peruri OTP.
    for (let i = 0; i < 10; i++) await assert.rejects(fail(limiter, guess(), wrongPassphrase), (e) => e instanceof ProviderError);
    assert.equal(await succeed(limiter, guess()), 'signed');
    const bsre = guess('3171000000000001', 'u1', 'bsre-passphrase');
    for (let i = 0; i < 5; i++) await assert.rejects(fail(limiter, bsre, wrongPassphrase), (e) => e instanceof ProviderError);
    await assert.rejects(succeed(limiter, bsre), refused);
  });

  it('counts per target across portal users, and per portal user across targets', async () => {
    const { limiter, clock } = setup();
    for (let i = 0; i < 3; i++) await assert.rejects(fail(limiter, guess('order:1', 'alice'), wrongOtp), ProviderError);
    for (let i = 0; i < 2; i++) await assert.rejects(fail(limiter, guess('order:1', 'mallory'), wrongOtp), ProviderError);
    await assert.rejects(succeed(limiter, guess('order:1', 'alice')), refused);
    assert.equal(await succeed(limiter, guess('order:2', 'alice')), 'signed', 'another target is not blocked');
    clock.now += 60_000;
    // One user spraying 4 wrong guesses each over many targets reaches the per-user limit (20) first.
    let n = 0;
    for (let t = 10; n < 20; t++)
      for (let i = 0; i < 4 && n < 20; i++, n++) await assert.rejects(fail(limiter, guess(`order:${t}`, 'sprayer'), wrongOtp), ProviderError);
    await assert.rejects(succeed(limiter, guess('order:99', 'sprayer')), (e: unknown) => refused(e) && /from this portal user/.test((e as Error).message));
    assert.equal(await succeed(limiter, guess('order:99', 'someone-else')), 'signed');
  });

  it('concurrent wrong guesses: at most the limit reach the provider, the rest wait and are refused', async () => {
    const { limiter } = setup();
    let reached = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        limiter.attempt(guess(), async () => {
          reached++;
          await new Promise((r) => setTimeout(r, 5));
          throw wrongOtp();
        }),
      ),
    );
    assert.equal(reached, 5);
    assert.equal(results.filter((r) => r.status === 'rejected' && r.reason instanceof ProviderError).length, 5);
    assert.equal(results.filter((r) => r.status === 'rejected' && r.reason instanceof TooManyAttempts).length, 35);
  });

  it('right guesses in parallel all go through (they wait for free slots, none is refused)', async () => {
    const { limiter } = setup();
    let running = 0;
    let most = 0;
    const out = await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.attempt(guess(), async () => {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return 'signed';
        }),
      ),
    );
    assert.deepEqual(new Set(out), new Set(['signed']));
    assert.ok(most <= 5, `${most} ran at once`);
  });

  it('a count is forgotten after a day without wrong guesses', async () => {
    const { limiter, clock } = setup();
    for (let i = 0; i < 4; i++) await assert.rejects(fail(limiter, guess(), wrongOtp), ProviderError);
    clock.now += DEFAULT_ATTEMPT_POLICY.forgetAfterMs + 1;
    for (let i = 0; i < 4; i++) await assert.rejects(fail(limiter, guess(), wrongOtp), ProviderError);
    assert.equal(await succeed(limiter, guess()), 'signed');
  });

  it('holds across a restart: a new store on the same directory; its files name no NIK or order', async () => {
    const first = setup();
    for (let i = 0; i < 5; i++) await assert.rejects(fail(first.limiter, guess('3171000000000001', 'u1', 'bsre-passphrase'), wrongPassphrase), ProviderError);
    const second = setup(first.dir);
    second.clock.now = first.clock.now + 1_000;
    await assert.rejects(
      succeed(second.limiter, guess('3171000000000001', 'u1', 'bsre-passphrase')),
      (e: unknown) => refused(e) && (e as TooManyAttempts).retryAfterMs === 59_000,
    );
    const files = readdirSync(join(first.dir, 'attempts'));
    assert.ok(files.length >= 2 && files.every((f) => /^[0-9a-f]{64}\.json$/.test(f)), files.join());
    for (const f of files) assert.ok(!readFileSync(join(first.dir, 'attempts', f), 'utf8').includes('3171000000000001'));
  });
  it('BSrE: every refusal of a guessed-credential call counts, however worded; of any BSrE kind (review finding 8)', async () => {
    const { limiter } = setup();
    const json = new Headers({ 'content-type': 'application/json' });
    // A refusal neither of the observed wordings (2031, "TOTP tidak valid") would have recognised.
    const reworded = () =>
      parseBsreError('bsre.v2.signPdf', 400, json, new TextEncoder().encode('{"error":"Kredensial penandatangan tidak cocok","status_code":2040}'));
    const bare4xx = () => parseBsreError('bsre.cloud.sign', 403, new Headers(), new TextEncoder().encode('Forbidden'));
    assert.equal(reworded().code, 'provider-rejected');
    const passphrase = guess('3171000000000001', 'u1', 'bsre-passphrase');
    for (let i = 0; i < 5; i++) await assert.rejects(fail(limiter, passphrase, i % 2 ? bare4xx : reworded), ProviderError);
    await assert.rejects(succeed(limiter, passphrase), refused);
    // A wrong passphrase answered to a TOTP-kind guess counts too (the kind no longer decides what is read).
    const totp = guess('3171000000000002', 'u2', 'bsre-totp');
    for (let i = 0; i < 5; i++) await assert.rejects(fail(limiter, totp, wrongPassphrase), ProviderError);
    await assert.rejects(succeed(limiter, totp), refused);
    // BSrE's 5xx and a refusal of a call that carries no guess (the status check) never count.
    const other = guess('3171000000000003', 'u3', 'bsre-passphrase');
    const status5xx = () => parseBsreError('bsre.v2.signPdf', 503, json, new TextEncoder().encode('{"error":"sibuk"}'));
    const statusCall = () => parseBsreError('bsre.v2.userStatus', 400, json, new TextEncoder().encode('{"error":"NIK tidak dikenal","status_code":2040}'));
    for (let i = 0; i < 6; i++) await assert.rejects(fail(limiter, other, i % 2 ? status5xx : statusCall), ProviderError);
    assert.equal(await succeed(limiter, other), 'signed');
  });

  it('Peruri: only refusals of the signing calls count, not viewDocument or a tier step before the OTP (review finding 9)', async () => {
    const { limiter } = setup();
    const refusal = (operation: string) => () =>
      new ProviderError({
        code: 'provider-rejected',
        provider: 'peruri',
        operation,
        providerCode: '4001',
        providerMessage: 'Gagal',
        message: 'Peruri refused.',
        httpStatus: 422,
        retryable: false,
      });
    for (const op of ['peruri.viewDocument', 'peruri.getOtp', 'peruri.sendDocumentTier', 'peruri.checkDocumentStatus']) {
      for (let i = 0; i < 3; i++) await assert.rejects(fail(limiter, guess('order:7'), refusal(op)), ProviderError);
    }
    assert.equal(await succeed(limiter, guess('order:7')), 'signed', '12 refusals of other calls: no lockout');
    for (const op of ['peruri.signing', 'peruri.signingTier', 'peruri.signingBulk', 'peruri.signing', 'peruri.signingTier'])
      await assert.rejects(fail(limiter, guess('order:8'), refusal(op)), ProviderError);
    await assert.rejects(succeed(limiter, guess('order:8')), refused);
  });

  it('aliases: one target under two names is one count', async () => {
    const { limiter } = setup();
    const byNik = { ...guess('3171000000000001', 'u1', 'bsre-passphrase'), aliases: ['budi@example.id'] };
    const byEmail = guess('budi@example.id', 'u1', 'bsre-passphrase');
    for (let i = 0; i < 3; i++) await assert.rejects(fail(limiter, byNik, wrongPassphrase), ProviderError);
    for (let i = 0; i < 2; i++) await assert.rejects(fail(limiter, byEmail, wrongPassphrase), ProviderError);
    await assert.rejects(succeed(limiter, byNik), refused);
  });
  it('ATTEMPT_BACKOFF_SECONDS of a day blocks a day, not the default hour (review finding 11)', async () => {
    const clock = { now: 1_700_000_000_000 };
    const limiter = new AttemptLimiter(new FileAttemptStore(tmp()), attemptPolicy(5, 86_400), () => clock.now);
    for (let i = 0; i < 5; i++) await assert.rejects(fail(limiter, guess(), wrongOtp), ProviderError);
    clock.now += 2 * 60 * 60_000;
    await assert.rejects(succeed(limiter, guess()), (e: unknown) => refused(e) && (e as TooManyAttempts).retryAfterMs === 22 * 60 * 60_000);
    clock.now += 22 * 60 * 60_000;
    assert.equal(await succeed(limiter, guess()), 'signed');
    // The default keeps its growth up to an hour.
    assert.deepEqual([attemptPolicy(5, 60).maxBackoffMs, attemptPolicy(5, 60).backoffMs], [3_600_000, 60_000]);
  });
});
