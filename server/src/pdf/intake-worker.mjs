// The intake worker's entry. Worker threads do not inherit tsx's module hooks, so when the server runs from its
// TypeScript sources (npm start, the tests) they are registered here first; `workerData.entry` is the loop.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
