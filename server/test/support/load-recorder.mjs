// `node --import <this file>`: records the URL of every module the process resolves through the ESM loader,
// one a line, in the file named by ESIGN_LOAD_LOG (server/test/live-mode.test.ts reads it). Registered after
// tsx, so that it sees the TypeScript sources as they are resolved.
import { register } from 'node:module';

register(new URL('./load-recorder-hooks.mjs', import.meta.url), { data: { file: process.env.ESIGN_LOAD_LOG } });
