// `npm run bench`: the benchmarks run in the same Chromium set-up as the tests, with GC exposed and precise
// heap figures, and hand their results to the runner through a command.
import { writeFileSync } from 'node:fs';
import { chromeLauncher } from '@web/test-runner-chrome';
import base from './web-test-runner.config.mjs';

const benchResults = {
  name: 'esign-bench-result',
  executeCommand({ command, payload }) {
    if (command !== 'esign-bench-result') return undefined;
    writeFileSync(process.env.ESIGN_BENCH_OUT ?? 'bench/.last-browser.json', JSON.stringify(payload));
    return true;
  },
};

export default {
  ...base,
  files: ['bench/**/*.bench.ts'],
  reporters: base.reporters.slice(0, 1),
  testFramework: { config: { timeout: 600000 } },
  testsFinishTimeout: 900000,
  plugins: [...base.plugins, benchResults],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
          '--disable-renderer-backgrounding',
          '--disable-background-timer-throttling',
          '--js-flags=--expose-gc',
          '--enable-precise-memory-info',
        ],
      },
    }),
  ],
};
