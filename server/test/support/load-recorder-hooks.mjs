// Module customization hooks (node:module register) of load-recorder.mjs: runs off the main thread, appends
// each resolved URL to the log file as it is resolved (nothing is lost when the process is killed).
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data?.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (file) appendFileSync(file, `${result.url}\n`);
  return result;
}
