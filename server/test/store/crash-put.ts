// A child process for file-documents-crash.test.ts: stores one document in a FileDocumentStore and kills itself
// with SIGKILL at a chosen point of the put — a kill -9 at an exact moment, which a parent watching from outside
// could only hit by chance. The point is found by wrapping node:fs/promises (syncBuiltinESMExports makes the
// store's own `import { open, rename }` see the wrappers); nothing of the store is changed.
//
// argv: DATA_DIR, the kill point, the document's file (its bytes), the provider reference.
//   mid-spool            after the first piece of the bytes reached `<id>.pdf`, before the rest
//   before-record        the PDF written and fsynced at `<id>.pdf`, its record not yet begun
//   before-record-rename the record written to its temporary file and fsynced, not yet renamed
//   putfile-before-record as before-record, for a file handed over by putFile (renamed to `<id>.pdf`)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { sha256 } from '../../src/store/document-model.js';
import { FileDocumentStore } from '../../src/store/file-documents.js';

const [dataDir, point, file, providerRef] = process.argv.slice(2) as [string, string, string, string];
const bytes = readFileSync(file);
const kill = () => process.kill(process.pid, 'SIGKILL');
const isRecordTemp = (path: unknown) => typeof path === 'string' && /^\.[0-9a-f]{32}\.json\.[0-9a-f]+\.tmp$/.test(basename(path));

const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
const { open, rename } = fsp;
fsp.open = ((path: Parameters<typeof open>[0], ...rest: unknown[]) => {
  if ((point === 'before-record' || point === 'putfile-before-record') && isRecordTemp(path)) kill();
  return (open as (...a: unknown[]) => ReturnType<typeof open>)(path, ...rest);
}) as typeof open;
fsp.rename = ((from: Parameters<typeof rename>[0], to: Parameters<typeof rename>[1]) => {
  if (point === 'before-record-rename' && isRecordTemp(from)) kill();
  return rename(from, to);
}) as typeof rename;
syncBuiltinESMExports();

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
