// The filesystem document store killed (SIGKILL) at each point of a put (crash-put.ts, a child process): while
// its bytes stream to `<id>.pdf`, after that PDF is fsynced but before its record, and with the record in its
// temporary file but not renamed — for putStream and for putFile. The record is the commit point
// (file-documents.ts): what the crash left is never served nor found by its provider reference, recover()
// removes it, and the documents acknowledged before the crash are served as they were.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { readWhole, sha256, StoreError } from '../../src/store/document-model.js';
import { FileDocumentStore } from '../../src/store/file-documents.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./crash-put.ts', import.meta.url));
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs crash-put.ts; resolves with the signal that ended it (and what it wrote, for the failure message). */
function crashPut(dataDir: string, point: string, bytes: Uint8Array, ref: string): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const file = join(dataDir, '..', `document-${point}.pdf`);
  writeFileSync(file, bytes);
  const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', child, dataDir, point, file, ref], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (c) => (output += c));
  proc.stderr.on('data', (c) => (output += c));
  return new Promise((resolve) => proc.on('exit', (_code, signal) => resolve({ signal, output })));
}

const notFound = (e: unknown) => e instanceof StoreError && e.code === 'document-not-found';

describe('filesystem document store: killed in the middle of a put', () => {
  for (const point of ['mid-spool', 'before-record', 'before-record-rename', 'putfile-before-record'] as const) {
    it(`${point}: nothing of the put is served; recover() removes it; what was acknowledged stays`, async () => {
      const top = mkdtempSync(join(tmpdir(), 'esign-crash-put-'));
      dirs.push(top);
      const dataDir = join(top, 'data');
      const documents = join(dataDir, 'documents');
      const ref = `BSRE-CRASH-${point}`;
      const before = new FileDocumentStore(dataDir);
      const kept = randomBytes(200_000);
      const acknowledged = await before.put(kept, { source: 'bsre', owner: 'alice', providerRef: 'BSRE-KEPT' });
      const names = () => readdirSync(documents).sort();
      const committed = names();

      const signed = randomBytes(900_000);
      const { signal, output } = await crashPut(dataDir, point, signed, ref);
      assert.equal(signal, 'SIGKILL', `the child was not killed at ${point}: ${output}`);

      // What the crash left: one PDF at its final name without a record (and, for the last point, the record's
      // temporary file); after the PDF's fsync, its bytes are all there.
      const left = names().filter((n) => !committed.includes(n));
      const pdfs = left.filter((n) => /^[0-9a-f]{32}\.pdf$/.test(n));
      assert.equal(pdfs.length, 1, `left: ${left.join(', ')}`);
      const id = pdfs[0]!.slice(0, 32);
      assert.ok(!left.includes(`${id}.json`), 'no record');
      const onDisk = readFileSync(join(documents, `${id}.pdf`));
      if (point === 'mid-spool') assert.ok(onDisk.byteLength < signed.byteLength, `${onDisk.byteLength} bytes: the put was not interrupted`);
      else assert.equal(sha256(onDisk), sha256(signed), 'the whole PDF was written before the kill');
      const others = left.filter((n) => n !== `${id}.pdf`);
      if (point === 'before-record-rename') {
        assert.equal(others.length, 1, `left: ${left.join(', ')}`);
        assert.match(others[0]!, new RegExp(`^\\.${id}\\.json\\.[0-9a-f]+\\.tmp$`));
        // The whole record is there, in its temporary file: still not a commit.
        assert.equal(JSON.parse(readFileSync(join(documents, others[0]!), 'utf8')).sha256, sha256(signed));
      } else assert.deepEqual(others, []);
      if (point === 'putfile-before-record') assert.deepEqual(readdirSync(join(top, 'answers')), [], 'the answer file was moved, not copied');

      // A restarted store, before recovery: the PDF without its record is never served.
      const restarted = new FileDocumentStore(dataDir);
      await assert.rejects(restarted.meta(id, 'alice'), notFound);
      await assert.rejects(restarted.get(id, 'alice'), notFound);
      await assert.rejects(restarted.open(id, 'alice'), notFound);
      assert.equal(await restarted.byProviderRef('bsre', ref, 'alice'), undefined);

      const report = await restarted.recover();
      assert.deepEqual(report.removed.sort(), left.sort());
      assert.deepEqual(names(), committed, 'recover() left only what was committed');
      await assert.rejects(restarted.get(id, 'alice'), notFound);
      const { meta, stream } = await restarted.open(acknowledged.id, 'alice');
      assert.deepEqual(meta, acknowledged);
      assert.equal(sha256(await readWhole(stream, meta.size)), sha256(kept));
      assert.equal((await restarted.byProviderRef('bsre', 'BSRE-KEPT', 'alice'))?.id, acknowledged.id);

      // The interrupted document stored again: a new document, not a ghost of the crashed one.
      const again = await restarted.put(signed, { source: 'bsre', owner: 'alice', providerRef: ref });
      assert.notEqual(again.id, id);
      assert.equal(sha256((await restarted.get(again.id, 'alice')).bytes), sha256(signed));
      assert.equal((await restarted.byProviderRef('bsre', ref, 'alice'))?.id, again.id);
    });
  }
});
