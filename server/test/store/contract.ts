// One contract for every store implementation, run on the filesystem (filesystem.test.ts) and on a real
// PostgreSQL (postgres.test.ts): documents (round trips, streaming a 50 MB document in and out with its memory
// measured, checksums, owners, provider references stored exactly once, interrupted writes, recovery), the
// state store (expiry, atomic updates, locks), the attempt counts, the idempotency keys and the Digisign
// landings — and each of them across a restart. Where two instances may share the backing (PostgreSQL), the
// races run between two instances with pools of their own; DATA_DIR is one server's, so there they run within
// one instance.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it, type TestContext } from 'node:test';
import { AttemptLimiter, DEFAULT_ATTEMPT_POLICY, TooManyAttempts } from '../../src/auth/attempts.js';
import { ProviderError, type DigisignRedirect } from '../../src/providers/adapters.js';
import { readWhole, StoreError, type StoredDocumentMeta } from '../../src/store/documents.js';
import { requestFingerprint } from '../../src/store/idempotency.js';
import { openStores, type Stores } from '../../src/store/index.js';

export interface Backend {
  name: 'filesystem' | 'postgresql';
  /** Whether two instances may run on the backing at once (PostgreSQL: yes; a DATA_DIR is one server's). */
  shared: boolean;
  /** Stores on the backing: a second instance, or after close() of the first, a restart. */
  open(options?: { now?: () => number }): Promise<Stores>;
  /** Changes one byte of a stored document behind the store's back. */
  corrupt(id: string): Promise<void>;
  /** Leaves what a crash in the middle of a write leaves (old enough for recover() to remove). */
  abandonWrite(): Promise<void>;
  /** Whatever an unfinished write left (temporary files, rows without stored_at). */
  leftovers(): Promise<string[]>;
  /** Stored documents, all owners. */
  documentCount(): Promise<number>;
  dispose(): Promise<void>;
}

const MB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const clock = () => {
  const c = { now: 1_800_000_000_000 };
  return Object.assign(c, { fn: () => c.now });
};

/**
 * `total` bytes as 64 KiB pieces, as a network stream delivers them, and their SHA-256 once read. The pieces
 * come from a ring of 16 buffers rewritten in turn, so that the source makes no garbage of its own and what is
 * measured is the store; a store that kept a piece past its turn would store rewritten bytes, and the
 * checksum below would say so.
 */
function generated(total: number, onProgress: (sent: number) => void = () => undefined): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  const seed = randomBytes(64 * 1024);
  const ring = Array.from({ length: 16 }, () => Buffer.alloc(64 * 1024));
  let sent = 0;
  let digest: string | undefined;
  const stream = Readable.from(
    (function* () {
      for (let n = 0; sent < total; n++) {
        const piece = ring[n % ring.length]!.subarray(0, Math.min(seed.byteLength, total - sent));
        seed.copy(piece, 0, 0, piece.byteLength);
        piece.writeUInt32BE(n, 0);
        hash.update(piece);
        sent += piece.byteLength;
        onProgress(sent);
        yield piece;
      }
      digest = hash.digest('hex');
    })(),
    { objectMode: false, highWaterMark: 64 * 1024 },
  );
  return { stream, digest: () => digest ?? assert.fail('the stream was not read to its end') };
}

/** The collector, reached at run time (node --test passes no --expose-gc). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * What a streaming operation keeps alive, sampled as its data flows (every 8 MB, and at the end): full
 * collections first, then the growth of heap + Buffers ("live") and of RSS over the baseline; the peaks.
 * Collecting first measures what the store holds, not the garbage a stream's machinery leaves behind (read()
 * concatenations, finished chunks) for V8 to take back in its own time. RSS also keeps what the allocator has
 * not returned to the system yet.
 */
function memoryProbe() {
  const usage = () => {
    // Twice: the first collection leaves what finalizers free (Buffers' backing stores) for the second.
    gc();
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, live: m.heapUsed + m.external };
  };
  const base = usage();
  let peak = { ...base };
  let samples = 0;
  return {
    sample() {
      const u = usage();
      samples++;
      peak = { rss: Math.max(peak.rss, u.rss), live: Math.max(peak.live, u.live) };
    },
    result() {
      this.sample();
      return { liveMB: (peak.live - base.live) / MB, rssMB: (peak.rss - base.rss) / MB, samples };
    },
  };
}

/** Calls `sample` each time another `every` bytes have passed. */
const everyBytes = (every: number, sample: () => void) => {
  let next = every;
  return (passed: number) => {
    if (passed >= next) {
      next += every;
      sample();
    }
  };
};

const put = (s: Stores, bytes: Uint8Array, info: Partial<Parameters<Stores['documents']['put']>[1]> = {}) =>
  s.documents.put(bytes, { source: 'upload', owner: 'alice', fileName: 'contract.pdf', ...info });

export function storeContract(makeBackend: () => Promise<Backend>): void {
  let backend: Backend;
  let a: Stores;
  /** A second instance on the same backing (PostgreSQL), or the same instance (files: one server per DATA_DIR). */
  let b: Stores;
  const c = clock();

  before(async () => {
    backend = await makeBackend();
    a = await backend.open({ now: c.fn });
    b = backend.shared ? await backend.open({ now: c.fn }) : a;
  });
  after(async () => {
    await a?.close();
    if (b !== a) await b?.close();
    await backend?.dispose();
  });

  describe('documents', () => {
    it('stores and reads back bytes, checksum, owner and file name; another owner is told "not found"', async () => {
      const bytes = randomBytes(300_000);
      const meta = await put(a, bytes, { fileName: 'Surat Keputusan (final)!.pdf' });
      assert.match(meta.id, /^[0-9a-f]{32}$/);
      assert.equal(meta.sha256, sha(bytes));
      assert.equal(meta.size, bytes.byteLength);
      assert.equal(meta.fileName, 'Surat Keputusan _final_.pdf');
      const got = await b.documents.get(meta.id, 'alice');
      assert.equal(sha(got.bytes), sha(bytes));
      assert.deepEqual(got.meta, meta);
      assert.deepEqual(await b.documents.meta(meta.id, 'alice'), meta);
      for (const call of [() => b.documents.get(meta.id, 'mallory'), () => b.documents.meta(meta.id, 'mallory'), () => b.documents.open(meta.id, 'mallory')]) {
        await assert.rejects(call(), (e: unknown) => e instanceof StoreError && e.code === 'document-not-found');
      }
      await assert.rejects(a.documents.get('0'.repeat(32), 'alice'), (e: unknown) => e instanceof StoreError && e.code === 'document-not-found');
      await assert.rejects(a.documents.get('../../etc/passwd', 'alice'), (e: unknown) => e instanceof StoreError && e.code === 'invalid-document-id');
    });

    it('streams in and out in chunks: sizes around the chunk boundaries, and an empty document', async () => {
      for (const size of [0, 1, 512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1, 3 * 512 * 1024 + 17]) {
        const bytes = randomBytes(size);
        // Pieces of odd sizes, as a network delivers them.
        const pieces = [];
        for (let at = 0; at < size; at += 70_001) pieces.push(bytes.subarray(at, at + 70_001));
        const meta = await a.documents.putStream(Readable.from(pieces), { source: 'upload', owner: 'alice' });
        assert.equal(meta.size, size);
        const { stream } = await b.documents.open(meta.id, 'alice');
        assert.equal(sha(await readWhole(stream, size)), sha(bytes), `size ${size}`);
      }
    });

    it('streams a 50 MB document in and out with bounded memory', async (t: TestContext) => {
      const size = 50 * MB;
      const inProbe = memoryProbe();
      const source = generated(
        size,
        everyBytes(8 * MB, () => inProbe.sample()),
      );
      const meta: StoredDocumentMeta = await a.documents.putStream(source.stream, { source: 'bsre', owner: 'alice', fileName: 'big.pdf' });
      const into = inProbe.result();
      assert.equal(meta.size, size);
      assert.equal(meta.sha256, source.digest());
      const outProbe = memoryProbe();
      const progress = everyBytes(8 * MB, () => outProbe.sample());
      const { stream } = await b.documents.open(meta.id, 'alice');
      const hash = createHash('sha256');
      let n = 0;
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        progress((n += (chunk as Buffer).byteLength));
      }
      const out = outProbe.result();
      assert.equal(n, size);
      assert.equal(hash.digest('hex'), meta.sha256);
      assert.ok(into.samples >= 6 && out.samples >= 6);
      t.diagnostic(
        `${backend.name}: a 50 MB document streamed in held at most ${into.liveMB.toFixed(1)} MB (heap + Buffers; RSS +${into.rssMB.toFixed(1)} MB), ` +
          `streamed out ${out.liveMB.toFixed(1)} MB (RSS +${out.rssMB.toFixed(1)} MB)`,
      );
      // One buffer of the whole document would be 50 MB live (PostgreSQL's hex text of it, 100 MB more): the
      // streamed paths hold a chunk or two of 0.5 MB, and each pooled connection its last message (about a
      // chunk's hex text). RSS, which also keeps what the allocator has not handed back, stays below one copy.
      for (const [what, m] of [
        ['in', into],
        ['out', out],
      ] as const) {
        assert.ok(m.liveMB < 16, `streaming ${what} held ${m.liveMB.toFixed(1)} MB of heap and Buffers`);
        assert.ok(m.rssMB < 50, `streaming ${what} grew RSS by ${m.rssMB.toFixed(1)} MB`);
      }
    });

    it('putFile stores a file written beforehand (a provider answer decoded to disk) and takes it over', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'esign-putfile-'));
      try {
        const before = await backend.documentCount();
        const write = (bytes: Uint8Array) => {
          const path = join(dir, `answer-${randomBytes(4).toString('hex')}.part`);
          writeFileSync(path, bytes);
          return { path, size: bytes.byteLength, sha256: sha(bytes) };
        };
        const signed = randomBytes(1_300_000);
        const first = write(signed);
        const meta = await a.documents.putFile(first, { source: 'bsre', owner: 'alice', fileName: 'signed.pdf', providerRef: 'BSRE-FILE-1' });
        assert.equal(meta.sha256, sha(signed));
        assert.equal(meta.size, signed.byteLength);
        assert.equal(sha((await b.documents.get(meta.id, 'alice')).bytes), sha(signed));
        assert.equal(existsSync(first.path), false, "the file is the store's now");
        // The same bytes for the same reference are one document, as with putStream; the file goes all the same.
        const second = write(signed);
        assert.equal((await b.documents.putFile(second, { source: 'bsre', owner: 'alice', providerRef: 'BSRE-FILE-1' })).id, meta.id);
        assert.equal(existsSync(second.path), false);
        // A file that is not there (or not what was written) stores nothing.
        await assert.rejects(
          a.documents.putFile({ path: join(dir, 'missing.part'), size: 10, sha256: sha(new Uint8Array(10)) }, { source: 'bsre', owner: 'alice' }),
        );
        assert.equal(await backend.documentCount(), before + 1);
        assert.deepEqual(await backend.leftovers(), []);
        assert.deepEqual(readdirSync(dir), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a document that no longer matches its checksum is never served', async () => {
      const meta = await put(a, randomBytes(700_000));
      await backend.corrupt(meta.id);
      await assert.rejects(b.documents.get(meta.id, 'alice'), (e: unknown) => e instanceof StoreError && e.code === 'document-corrupt');
      const { stream } = await b.documents.open(meta.id, 'alice');
      await assert.rejects(readWhole(stream, meta.size), (e: unknown) => e instanceof StoreError && e.code === 'document-corrupt');
    });

    it('a write whose source fails leaves nothing behind; recover() removes what a crash left', async () => {
      const before = await backend.documentCount();
      async function* failing() {
        yield randomBytes(600_000);
        yield randomBytes(600_000);
        throw new Error('the client went away');
      }
      await assert.rejects(a.documents.putStream(failing(), { source: 'peruri', owner: 'alice', providerRef: 'ORDER-FAILED' }), /the client went away/);
      assert.equal(await backend.documentCount(), before);
      assert.deepEqual(await backend.leftovers(), []);
      assert.equal(await a.documents.byProviderRef('peruri', 'ORDER-FAILED', 'alice'), undefined);
      await backend.abandonWrite();
      assert.notDeepEqual(await backend.leftovers(), []);
      const report = await a.documents.recover();
      assert.ok(report.removed.length >= 1, JSON.stringify(report));
      assert.deepEqual(await backend.leftovers(), []);
      assert.equal(await backend.documentCount(), before);
    });

    it('provider references: owner, signers, the newest document; the same bytes are stored once', async () => {
      await a.documents.claimRef('peruri', 'ORDER-1', 'alice');
      await a.documents.recordSigners('peruri', 'ORDER-1', ['signer@instansi.go.id']);
      await b.documents.assertRefOwner('peruri', 'ORDER-1', 'alice');
      await assert.rejects(
        b.documents.assertRefOwner('peruri', 'ORDER-1', 'mallory'),
        (e: unknown) => e instanceof StoreError && e.code === 'reference-not-found',
      );
      await assert.rejects(
        b.documents.assertRefOwner('digisign', 'ORDER-1', 'alice'),
        (e: unknown) => e instanceof StoreError && e.code === 'reference-not-found',
      );
      await assert.rejects(
        b.documents.assertRefOwner('peruri', 'ORDER\u0000-1', 'alice'),
        (e: unknown) => e instanceof StoreError && e.code === 'reference-not-found',
      );
      assert.deepEqual(await b.documents.signersOf('peruri', 'ORDER-1'), ['signer@instansi.go.id']);
      assert.equal(await b.documents.signersOf('peruri', 'ORDER-2'), undefined);
      assert.equal(await b.documents.byProviderRef('peruri', 'ORDER-1', 'alice'), undefined);

      const signed = randomBytes(200_000);
      const first = await put(a, signed, { source: 'peruri', providerRef: 'ORDER-1' });
      const again = await put(b, signed, { source: 'peruri', providerRef: 'ORDER-1' });
      assert.equal(again.id, first.id, 'the same signed bytes for the same order are one document');
      assert.deepEqual(await b.documents.byProviderRef('peruri', 'ORDER-1', 'alice'), first);
      assert.equal(await b.documents.byProviderRef('peruri', 'ORDER-1', 'mallory'), undefined);
      const newer = await put(b, randomBytes(1000), { source: 'peruri', providerRef: 'ORDER-1' });
      assert.notEqual(newer.id, first.id);
      assert.equal((await a.documents.byProviderRef('peruri', 'ORDER-1', 'alice'))?.id, newer.id);
      // Uploads are never indexed by reference.
      const upload = await put(a, signed, { source: 'upload', providerRef: 'ORDER-1' });
      assert.notEqual(upload.id, first.id);
      assert.equal((await a.documents.byProviderRef('peruri', 'ORDER-1', 'alice'))?.id, newer.id);
    });

    it('storing one signed order from two instances at once stores it once', async () => {
      const before = await backend.documentCount();
      const signed = randomBytes(1_300_000);
      // As the routes do: the reference is claimed when the document is sent, long before the signed one is stored.
      await a.documents.claimRef('digisign', 'DOC-RACE', 'alice');
      const stores = [a, b, a, b, a, b, a, b];
      const metas = await Promise.all(
        stores.map((s) =>
          s.documents.putStream(Readable.from([signed.subarray(0, 700_000), signed.subarray(700_000)]), {
            source: 'digisign',
            owner: 'alice',
            providerRef: 'DOC-RACE',
          }),
        ),
      );
      assert.equal(new Set(metas.map((m) => m.id)).size, 1, 'every racer got the same document');
      assert.equal(await backend.documentCount(), before + 1);
      assert.deepEqual(await backend.leftovers(), []);
    });

    it('answers health: the store can take a document', async () => {
      const health = await a.health();
      assert.equal(health.kind, backend.name);
      assert.equal(health.ok, true);
    });
  });

  describe('state', () => {
    it('puts, gets and deletes JSON values; keys and values may hold any character', async () => {
      const key = 'user\u0000order:3001 — NIK 3174012345678901 ✓';
      const value = { token: 'a\u0000b', n: 1.5, nested: [1, { x: null }], text: 'Tanda tangan' };
      assert.equal(await a.state.get('peruri-otp', key), undefined);
      await a.state.put('peruri-otp', key, value);
      assert.deepEqual(await b.state.get('peruri-otp', key), value);
      assert.equal(await b.state.get('peruri-batches', key), undefined, 'namespaces are apart');
      await b.state.delete('peruri-otp', key);
      assert.equal(await a.state.get('peruri-otp', key), undefined);
      await assert.rejects(a.state.put('../escape', key, 1), TypeError);
    });

    it('a value with an expiry reads as absent after it, and is swept', async () => {
      await a.state.put('peruri-otp', 'expiring', { token: 't' }, 60_000);
      await a.state.put('peruri-otp', 'lasting', { token: 'u' });
      c.now += 59_000;
      assert.deepEqual(await b.state.get('peruri-otp', 'expiring'), { token: 't' });
      c.now += 1_000;
      assert.equal(await b.state.get('peruri-otp', 'expiring'), undefined);
      assert.ok((await b.state.sweep()) >= 1);
      assert.equal(await a.state.update('peruri-otp', 'expiring', (v) => ({ keep: true, result: v })), undefined);
      assert.deepEqual(await a.state.get('peruri-otp', 'lasting'), { token: 'u' });
    });

    it('update is atomic across instances: 40 concurrent increments count 40', async () => {
      const inc = (s: Stores) =>
        s.state.update<{ n: number }, number>('attempts', 'counter', (v) => ({ set: { n: (v?.n ?? 0) + 1 }, result: (v?.n ?? 0) + 1 }));
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => inc(i % 2 ? a : b)));
      assert.deepEqual(
        [...results].sort((x, y) => x - y),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      assert.deepEqual(await a.state.get('attempts', 'counter'), { n: 40 });
      assert.equal(await a.state.update('attempts', 'counter', () => ({ remove: true, result: 'gone' })), 'gone');
      assert.equal(await b.state.get('attempts', 'counter'), undefined);
    });

    it('withLock: one holder at a time across instances, released on failure, a waiter gives up with "busy"', async () => {
      let inside = 0;
      let most = 0;
      const section = async () => {
        most = Math.max(most, ++inside);
        await sleep(15);
        inside--;
      };
      await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).state.withLock('peruri-download:alice:3001', section)));
      assert.equal(most, 1);
      await assert.rejects(
        a.state.withLock('peruri-download:alice:3001', async () => Promise.reject(new Error('download failed'))),
        /download failed/,
      );
      let release!: () => void;
      const held = a.state.withLock('bsre-v1-download:77', () => new Promise<void>((r) => (release = r)));
      await sleep(50);
      await assert.rejects(
        b.state.withLock('bsre-v1-download:77', async () => 'never', { waitMs: 100 }),
        (e: unknown) => e instanceof StoreError && e.code === 'busy',
      );
      assert.equal(await a.state.withLock('bsre-v1-download:other', async () => 'another name is free'), 'another name is free');
      release();
      await held;
      assert.equal(await b.state.withLock('bsre-v1-download:77', async () => 'mine now', { waitMs: 1000 }), 'mine now');
    });
  });

  describe('attempt counts', () => {
    const rule = (now: number) => ({
      now,
      forgetBefore: now - 3_600_000,
      limit: 5,
      leaseMs: 60_000,
      blockedFor: (failures: number, last: number) => (failures >= 5 ? Math.max(0, last + 60_000 - now) : 0),
    });

    it('counts concurrent wrong guesses from two instances exactly', async () => {
      const now = c.now;
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).attempts.addFailure('target\u0000peruri-otp\u0000order:1', now, now - 1000)));
      assert.deepEqual(await a.attempts.get('target\u0000peruri-otp\u0000order:1'), { failures: 30, lastFailureAt: now });
      await b.attempts.clear('target\u0000peruri-otp\u0000order:1');
      assert.equal(await a.attempts.get('target\u0000peruri-otp\u0000order:1'), undefined);
    });

    it('the last guess before the limit has one winner among instances racing for it', async () => {
      const key = 'target\u0000bsre-passphrase\u00003174012345678901';
      for (let i = 0; i < 4; i++) await a.attempts.addFailure(key, c.now, c.now - 1000);
      const tries = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).attempts.reserve(key, rule(c.now))));
      const granted = tries.filter((t) => t.granted);
      assert.equal(granted.length, 1, JSON.stringify(tries));
      assert.ok(
        tries.every((t) => t.granted || t.retryAfterMs === 0),
        'the others wait for the slot, not for a back-off',
      );
      const lease = (granted[0] as { lease: string }).lease;
      assert.deepEqual(await b.attempts.release(key, lease, 'wrong', c.now, c.now - 1000), { failures: 5, lastFailureAt: c.now });
      const blocked = await a.attempts.reserve(key, rule(c.now + 1_000));
      assert.deepEqual(blocked, { granted: false, retryAfterMs: 59_000, failures: 5 });
      c.now += 60_000;
      const after = await b.attempts.reserve(key, rule(c.now));
      assert.equal(after.granted, true);
      assert.equal(await a.attempts.release(key, (after as { lease: string }).lease, 'right', c.now, c.now - 1000), undefined);
      assert.equal(await a.attempts.get(key), undefined, 'a right guess clears the count');
    });

    it('a slot held by an instance that died frees itself when its lease ends', async () => {
      const key = 'target\u0000bsre-totp\u0000x@y.id';
      for (let i = 0; i < 4; i++) await a.attempts.addFailure(key, c.now, c.now - 1000);
      assert.equal((await a.attempts.reserve(key, rule(c.now))).granted, true);
      assert.equal((await b.attempts.reserve(key, rule(c.now + 59_000))).granted, false);
      assert.equal((await b.attempts.reserve(key, rule(c.now + 60_001))).granted, true);
    });

    it('the attempt limiter runs on this store as it is: five wrong guesses, then 429', async () => {
      const limiter = new AttemptLimiter(a.attempts, DEFAULT_ATTEMPT_POLICY, c.fn);
      const wrong = () =>
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
      const guess = { kind: 'peruri-otp' as const, target: 'order:limiter', user: 'alice', field: 'otpCode' };
      for (let i = 0; i < 5; i++)
        await assert.rejects(
          limiter.attempt(guess, async () => Promise.reject(wrong())),
          ProviderError,
        );
      await assert.rejects(
        new AttemptLimiter(b.attempts, DEFAULT_ATTEMPT_POLICY, c.fn).attempt(guess, async () => 'signed'),
        TooManyAttempts,
      );
    });
  });

  describe('idempotency keys', () => {
    const fp = requestFingerprint('POST', '/api/bsre/signatures', sha(Buffer.from('body')));
    const other = requestFingerprint('POST', '/api/bsre/signatures', sha(Buffer.from('another body')));

    it('started, in flight, done with its outcome; another body with the same key is a mismatch', async () => {
      const begun = await a.idempotency.begin('alice', 'key-1', fp);
      assert.equal(begun.state, 'started');
      const lease = (begun as { lease: string }).lease;
      assert.equal((await b.idempotency.begin('alice', 'key-1', fp)).state, 'in-flight');
      assert.deepEqual(await b.idempotency.begin('alice', 'key-1', other), { state: 'mismatch' });
      assert.equal((await b.idempotency.begin('bob', 'key-1', other)).state, 'started', "another user's key is another key");
      const outcome = { status: 201, body: { document: { id: 'f'.repeat(32) }, provider: 'bsre' } };
      assert.equal(await a.idempotency.finish('alice', 'key-1', lease, outcome), true);
      assert.deepEqual(await b.idempotency.begin('alice', 'key-1', fp), { state: 'done', outcome });
      assert.deepEqual(await b.idempotency.begin('alice', 'key-1', other), { state: 'mismatch' });
      assert.equal(await a.idempotency.finish('alice', 'key-1', lease, { status: 500, body: {} }), false, 'a finished key is not finished again');
      await assert.rejects(a.idempotency.begin('alice', 'key with spaces', fp), TypeError);
    });

    it('concurrent duplicates across instances: exactly one starts, and one takes over from a holder that died', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).idempotency.begin('alice', 'key-race', fp)));
      assert.equal(results.filter((r) => r.state === 'started').length, 1, JSON.stringify(results));
      assert.equal(results.filter((r) => r.state === 'in-flight').length, 9);
      // Its holder dies (stops renewing): of the instances racing to take the key over, one does.
      c.now += 3 * 60_000;
      const takeovers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).idempotency.begin('alice', 'key-race', fp)));
      assert.equal(takeovers.filter((r) => r.state === 'started').length, 1, JSON.stringify(takeovers));
    });

    it("a holder that stops renewing is taken over with its checkpoint; the old holder's finish is refused", async () => {
      const begun = (await a.idempotency.begin('alice', 'key-takeover', fp)) as { state: 'started'; lease: string };
      assert.equal(await a.idempotency.checkpoint('alice', 'key-takeover', begun.lease, { idSigned: 'SIGNED-42' }), true);
      c.now += 60_000;
      assert.equal((await b.idempotency.begin('alice', 'key-takeover', fp)).state, 'in-flight', 'the checkpoint renewed the lease');
      c.now += 2 * 60_000;
      const resumed = await b.idempotency.begin('alice', 'key-takeover', fp);
      assert.equal(resumed.state, 'started');
      assert.deepEqual((resumed as { resumed?: unknown }).resumed, { idSigned: 'SIGNED-42' });
      assert.equal(await a.idempotency.finish('alice', 'key-takeover', begun.lease, { status: 201, body: {} }), false);
      assert.equal(await b.idempotency.finish('alice', 'key-takeover', (resumed as { lease: string }).lease, { status: 201, body: { ok: 1 } }), true);
    });

    it('release forgets a key whose request did nothing; a key expires after a day', async () => {
      const begun = (await a.idempotency.begin('alice', 'key-release', fp)) as { lease: string };
      assert.equal(await b.idempotency.release('alice', 'key-release', begun.lease), true);
      assert.equal((await b.idempotency.begin('alice', 'key-release', other)).state, 'started');
      const done = (await a.idempotency.begin('alice', 'key-expiry', fp)) as { lease: string };
      await a.idempotency.finish('alice', 'key-expiry', done.lease, { status: 201, body: { n: 1 } });
      c.now += 24 * 60 * 60_000;
      assert.equal((await b.idempotency.begin('alice', 'key-expiry', other)).state, 'started');
    });

    it('release after a checkpoint keeps it: the same request is taken over at once, resuming from it', async () => {
      const begun = (await a.idempotency.begin('alice', 'key-failed-late', fp)) as { lease: string };
      assert.equal(await a.idempotency.checkpoint('alice', 'key-failed-late', begun.lease, { bsreCloudIdSigned: 'SIGNED-7' }), true);
      assert.equal(await a.idempotency.release('alice', 'key-failed-late', begun.lease), true);
      assert.deepEqual(await b.idempotency.begin('alice', 'key-failed-late', other), { state: 'mismatch' }, 'still bound to its request');
      const again = await b.idempotency.begin('alice', 'key-failed-late', fp);
      assert.equal(again.state, 'started', 'no lease to wait out');
      assert.deepEqual((again as { resumed?: unknown }).resumed, { bsreCloudIdSigned: 'SIGNED-7' });
      assert.equal(await a.idempotency.finish('alice', 'key-failed-late', begun.lease, { status: 201, body: {} }), false, 'the released lease is over');
    });
  });

  describe('Digisign landings', () => {
    it('records a signing landing for its signer and document only', async () => {
      const landing: DigisignRedirect = {
        kind: 'signing',
        ok: true,
        result: '00',
        notif: undefined,
        emailUser: 'Budi@B.id',
        documentId: 'DS-1',
        statusDocument: 'complete',
        completed: true,
      };
      await a.landings.record(landing, c.now);
      assert.equal((await b.landings.find('signing', 'budi@b.id', 'DS-1', c.now))?.email, 'budi@b.id');
      assert.equal(await b.landings.find('signing', 'other@b.id', 'DS-1', c.now), undefined);
      assert.equal(await b.landings.find('signing', 'budi@b.id', 'DS-2', c.now), undefined);
    });
  });

  describe('a restart', () => {
    const fp = () => requestFingerprint('POST', '/api/peruri/documents/{orderId}/signatures', sha(Buffer.from('{"otpCode":"123456"}')));
    it('finds every document, reference, state value, count and key again', async () => {
      const bytes = randomBytes(900_000);
      const doc = await put(a, bytes, { source: 'bsre', providerRef: 'V1-RESTART' });
      await a.documents.recordSigners('bsre', 'V1-RESTART', ['s@b.id']);
      await a.state.put('peruri-system-key', 'PORTAL-SYS', { key: 'k' }, 3_600_000);
      await a.attempts.addFailure('user\u0000peruri-otp\u0000alice', c.now, c.now - 1000);
      const begun = (await a.idempotency.begin('alice', 'key-restart', fp())) as { lease: string };
      await a.idempotency.finish('alice', 'key-restart', begun.lease, { status: 201, body: { id: doc.id } });
      await a.close();
      if (b !== a) await b.close();
      a = await backend.open({ now: c.fn });
      b = backend.shared ? await backend.open({ now: c.fn }) : a;
      assert.equal(sha((await b.documents.get(doc.id, 'alice')).bytes), sha(bytes));
      assert.equal((await b.documents.byProviderRef('bsre', 'V1-RESTART', 'alice'))?.id, doc.id);
      await b.documents.assertRefOwner('bsre', 'V1-RESTART', 'alice');
      assert.deepEqual(await b.documents.signersOf('bsre', 'V1-RESTART'), ['s@b.id']);
      assert.deepEqual(await b.state.get('peruri-system-key', 'PORTAL-SYS'), { key: 'k' });
      assert.equal((await b.attempts.get('user\u0000peruri-otp\u0000alice'))?.failures, 1);
      assert.deepEqual(await b.idempotency.begin('alice', 'key-restart', fp()), { state: 'done', outcome: { status: 201, body: { id: doc.id } } });
    });
  });
}

/** Opens stores on a data directory or database with the test clock and no background sweep. */
export const openFor = (where: { dataDir: string; databaseUrl?: string }, now?: () => number) =>
  openStores({ ...where, sweepEveryMs: 0, ...(now ? { now } : {}) });
