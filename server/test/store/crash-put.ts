// A child process for file-documents-crash.test.ts: stores one document in a FileDocumentStore and kills itself
// with SIGKILL at a chosen point of the put — a kill -9 at an exact moment, which a parent watching from outside
// could only hit by chance. The point is found by wrapping node:fs and node:fs/promises before the store is
// imported (syncBuiltinESMExports makes the store's own `import { open, rename }` see the wrappers, whichever
// of the two APIs it uses); nothing of the store is changed.
//
// argv: DATA_DIR, the kill point, the document's file (its bytes), the provider reference.
//   mid-spool            after the first piece of the bytes reached `<id>.pdf`, before the rest
//   before-record        the PDF written and fsynced at `<id>.pdf`, its record not yet begun
//   before-record-rename the record written to its temporary file and fsynced, not yet renamed
//   putfile-before-record as before-record, for a file handed over by putFile (renamed to `<id>.pdf`)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { basename, dirname, join } from 'node:path';

const [dataDir, point, file, providerRef] = process.argv.slice(2) as [string, string, string, string];
const bytes = readFileSync(file);
const kill = () => process.kill(process.pid, 'SIGKILL');
const isRecordTemp = (path: unknown) => typeof path === 'string' && /^\.[0-9a-f]{32}\.json\.[0-9a-f]+\.tmp$/.test(basename(path));

const require = createRequire(import.meta.url);
const killAt = (points: string[], at: unknown) => {
  if (points.includes(point) && isRecordTemp(at)) kill();
};
/** Replaces `api[name]` by a function that first calls `check` with the path it was given. */
function watch(api: object, name: string, check: (path: unknown) => void) {
  const real = (api as Record<string, (...a: unknown[]) => unknown>)[name]!;
  (api as Record<string, unknown>)[name] = (...a: unknown[]) => {
    check(a[0]);
    return real(...a);
  };
}
for (const api of [require('node:fs') as object, require('node:fs/promises') as object]) {
  watch(api, 'open', (path) => killAt(['before-record', 'putfile-before-record'], path));
  watch(api, 'rename', (from) => killAt(['before-record-rename'], from));
}
syncBuiltinESMExports();
const { sha256 } = await import('../../src/store/document-model.js');
const { FileDocumentStore } = await import('../../src/store/file-documents.js');

const store = new FileDocumentStore(dataDir);
const info = { source: 'bsre' as const, owner: 'alice', fileName: 'signed.pdf', providerRef };
if (point === 'mid-spool') {
  const half = bytes.byteLength >> 1;
  await store.putStream(
    (async function* () {
      yield bytes.subarray(0, half);
      // Let the first piece reach the file before the process dies.
      await new Promise((r) => setTimeout(r, 50));
      kill();
      yield bytes.subarray(half);
    })(),
    info,
  );
} else if (point === 'putfile-before-record') {
  const answer = join(dirname(dataDir), 'answers', 'answer.part');
  mkdirSync(dirname(answer), { recursive: true });
  writeFileSync(answer, bytes);
  await store.putFile({ path: answer, size: bytes.byteLength, sha256: sha256(bytes) }, info);
} else {
  await store.put(bytes, info);
}
// The kill point was never reached: the parent sees a normal exit and fails.
process.stdout.write('stored without being killed\n');
