// The WEBHOOK_* and RECONCILE_* settings: checked at start with a message naming the variable (never echoing
// a secret), the secret kept out of JSON and inspection of the config, and blanked by the one scrubber of logs,
// answers and traces (log/secrets.ts).
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { secretScrubber } from '../../src/log/secrets.js';
import { ENV } from '../http/helpers.js';

const SECRET = `whsec_${Buffer.from('webhook-key-UNIQUE-0123456789abcdef').toString('base64')}`;
const live = (extra: Record<string, string>) => loadConfig({ ...ENV, DATA_DIR: '/tmp/esign-unused', ...extra });
const problems = (extra: Record<string, string>) => {
  try {
    live(extra);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('webhook and reconciliation settings', () => {
  it('defaults: no webhooks, the Standard Webhooks retry schedule, reconciliation every 30 s, flows expire after 72 h', () => {
    const config = live({});
    assert.deepEqual(config.webhooks.urls, []);
    assert.deepEqual(
      config.webhooks.retryScheduleMs,
      [5, 300, 1800, 7200, 18_000, 36_000, 36_000].map((s) => s * 1000),
    );
    assert.ok(config.webhooks.retryScheduleMs.reduce((a, b) => a + b, 0) >= 24 * 3_600_000, 'retried for at least a day');
    assert.deepEqual(config.reconcile, { intervalMs: 30_000, maxBackoffMs: 3_600_000, leaseMs: 120_000, expiryMs: 72 * 3_600_000 });
  });

  it('takes several URLs, and refuses what it cannot use, naming the variable and never the secret', () => {
    const config = live({
      WEBHOOK_URL: 'https://portal.test/hooks/a, https://backup.portal.test/hooks',
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_RETRY_SECONDS: '1,2,4',
    });
    assert.deepEqual(config.webhooks.urls, ['https://portal.test/hooks/a', 'https://backup.portal.test/hooks']);
    assert.deepEqual(config.webhooks.retryScheduleMs, [1000, 2000, 4000]);
    assert.deepEqual(problems({ WEBHOOK_URL: 'https://portal.test/hooks' }), [
      'WEBHOOK_SECRET is required with WEBHOOK_URL ("whsec_" + base64 of 24 to 64 random bytes, as Standard Webhooks).',
    ]);
    const bad = problems({
      WEBHOOK_URL: 'http://portal.test/hooks',
      WEBHOOK_SECRET: 'not-a-whsec-secret-UNIQUE',
      WEBHOOK_RETRY_SECONDS: '5,soon',
      RECONCILE_INTERVAL_SECONDS: '0',
    });
    assert.equal(bad.length, 4, bad.join('\n'));
    assert.ok(bad.some((p) => p.startsWith('WEBHOOK_URL must be an https URL')));
    assert.ok(bad.some((p) => p.startsWith('WEBHOOK_SECRET: ')));
    assert.ok(bad.some((p) => p.startsWith('WEBHOOK_RETRY_SECONDS')));
    assert.ok(bad.some((p) => p.startsWith('RECONCILE_INTERVAL_SECONDS')));
    assert.ok(!bad.join('\n').includes('UNIQUE'), 'the secret is not echoed');
  });

  it('keeps the secret out of JSON and inspection, and the scrubber blanks it (and its key) anywhere', () => {
    const config = live({ WEBHOOK_URL: 'https://portal.test/hooks', WEBHOOK_SECRET: SECRET });
    assert.equal(config.webhooks.secret, SECRET);
    assert.ok(!JSON.stringify(config).includes(SECRET.slice(6)));
    assert.ok(!inspect(config, { depth: 10 }).includes(SECRET.slice(6)));
    const scrub = secretScrubber(config.secrets);
    assert.ok(!scrub(`secret=${SECRET}`).includes(SECRET.slice(6)));
    assert.ok(!scrub(`key ${SECRET.slice(6)}`).includes(SECRET.slice(6)));
    assert.ok(!scrub(encodeURIComponent(SECRET)).includes(encodeURIComponent(SECRET.slice(6))));
  });
});
