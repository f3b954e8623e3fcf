// The store contract (contract.ts) on the filesystem: DATA_DIR in a temporary directory, one instance at a
// time (one server per DATA_DIR). Plus what only files have: records written before the state store are read.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { FileAttemptStore } from '../../src/store/attempts.js';
import { FileDocumentStore } from '../../src/store/file-documents.js';
import { LandingRecords } from '../../src/store/landings.js';
import { openFor, storeContract, type Backend } from './contract.js';

async function fileBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'esign-store-'));
  const documents = join(dataDir, 'documents');
  return {
    name: 'filesystem',
    shared: false,
    open: (options = {}) => openFor({ dataDir }, options.now),
    corrupt: async (id) => {
      const path = join(documents, `${id}.pdf`);
      const bytes = readFileSync(path);
      bytes[1000] = bytes[1000]! ^ 0xff;
      writeFileSync(path, bytes);
    },
    abandonWrite: async () => {
      // A kill -9 mid-write: a PDF whose record was never written, and another's record in its temporary file
      // (file-documents-crash.test.ts kills a real put at each point).
      writeFileSync(join(documents, `${'ab'.repeat(16)}.pdf`), '%PDF-1.7 never acknowledged');
      writeFileSync(join(documents, `${'cd'.repeat(16)}.pdf`), '%PDF-1.7 never acknowledged either');
      writeFileSync(join(documents, `.${'cd'.repeat(16)}.json.0123456789ab.tmp`), '{"id":"partial');
    },
    leftovers: async () => {
      const names = readdirSync(documents);
      return names.filter((n) => !/^[0-9a-f]{32}\.(pdf|json)$/.test(n) || (n.endsWith('.pdf') && !names.includes(n.replace(/\.pdf$/, '.json'))));
    },
    documentCount: async () => readdirSync(documents).filter((n) => /^[0-9a-f]{32}\.json$/.test(n)).length,
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

describe('store contract: filesystem (DATA_DIR)', () => storeContract(fileBackend));

// A provider answer decoded on another filesystem than DATA_DIR (here tmpfs, /dev/shm, where there is one): the
// rename into `<id>.pdf` fails with EXDEV and putFile copies the file instead.
const otherFs = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev ? '/dev/shm' : undefined;

describe('filesystem store: putFile from another filesystem', () => {
  it(
    'copies the file (EXDEV), stores it once for its reference, and removes it',
    { skip: otherFs ? false : 'no second filesystem (/dev/shm) here' },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'esign-store-exdev-'));
      const answers = mkdtempSync(join(otherFs!, 'esign-answers-'));
      try {
        const store = new FileDocumentStore(dataDir);
        const signed = randomBytes(700_000);
        const sha = createHash('sha256').update(signed).digest('hex');
        const put = async () => {
          const path = join(answers, `answer-${randomBytes(4).toString('hex')}.part`);
          writeFileSync(path, signed);
          const meta = await store.putFile({ path, size: signed.byteLength, sha256: sha }, { source: 'bsre', owner: 'alice', providerRef: 'BSRE-EXDEV' });
          assert.equal(existsSync(path), false, "the file is the store's: removed once copied");
          return meta;
        };
        const first = await put();
        assert.equal(first.sha256, sha);
        assert.equal(
          createHash('sha256')
            .update((await store.get(first.id, 'alice')).bytes)
            .digest('hex'),
          sha,
        );
        assert.equal((await put()).id, first.id, 'the same bytes for the same reference are one document');
        assert.deepEqual(readdirSync(join(dataDir, 'documents')).sort(), [`${first.id}.json`, `${first.id}.pdf`]);
        assert.deepEqual(readdirSync(answers), []);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(answers, { recursive: true, force: true });
      }
    },
  );
});

describe('filesystem store: records of earlier versions', () => {
  it('reads attempt counts and Digisign landings written before the state store (no envelope, same files)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'esign-store-legacy-'));
    try {
      const file = (key: string) => `${createHash('sha256').update(key).digest('hex')}.json`;
      mkdirSync(join(dataDir, 'attempts'), { recursive: true });
      mkdirSync(join(dataDir, 'landings'), { recursive: true });
      const now = Date.now();
      writeFileSync(join(dataDir, 'attempts', file('target\u0000peruri-otp\u0000order:9')), JSON.stringify({ failures: 3, lastFailureAt: now - 1000 }));
      const landingKey = 'digisign\u0000activation\u0000\u0000budi@b.id';
      writeFileSync(join(dataDir, 'landings', file(landingKey)), JSON.stringify({ kind: 'activation', email: 'budi@b.id', result: '00', at: now - 1000 }));
      assert.deepEqual(await new FileAttemptStore(dataDir).get('target\u0000peruri-otp\u0000order:9'), { failures: 3, lastFailureAt: now - 1000 });
      const counted = await new FileAttemptStore(dataDir).addFailure('target\u0000peruri-otp\u0000order:9', now, now - 3_600_000);
      assert.equal(counted.failures, 4);
      assert.equal((await new LandingRecords(dataDir).find('activation', 'Budi@b.id', undefined, now))?.result, '00');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
