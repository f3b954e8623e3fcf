// The Node.js verification snippet of docs/webhooks.md, run as a portal developer would paste it: taken from the
// document, written to a module and imported. It must accept the Standard Webhooks reference vector and what the
// server's own signer produces, and refuse a tampered body, another secret and a timestamp over 5 minutes old.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { webhookHeaders } from '../../src/webhooks/signature.js';
import { VECTOR } from './vector.js';

type Verify = (secret: string, headers: Record<string, string>, rawBody: string, options?: { toleranceSeconds?: number; nowSeconds?: number }) => unknown;

describe('docs/webhooks.md: the Node.js snippet', () => {
  let dir: string;
  let verify: Verify;

  before(async () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/webhooks.md', import.meta.url)), 'utf8');
    const block = /### Node\.js\n\n```js\n([\s\S]*?)```/.exec(doc);
    assert.ok(block, 'docs/webhooks.md has a Node.js snippet');
    dir = mkdtempSync(join(tmpdir(), 'esign-snippet-'));
    const file = join(dir, 'verify-esign-webhook.mjs');
    writeFileSync(file, block[1]!);
    ({ verifyEsignWebhook: verify } = (await import(pathToFileURL(file).href)) as { verifyEsignWebhook: Verify });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the reference vector at its time', () => {
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
    assert.deepEqual(verify(VECTOR.secret, headers, VECTOR.body, { nowSeconds: VECTOR.timestamp }), { test: 2432232314 });
  });

  it("accepts the server's signature of a delivery now, and refuses it tampered, late or under another secret", () => {
    const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const body = JSON.stringify({
      type: 'document.signed',
      timestamp: new Date().toISOString(),
      data: { flowId: 'flw_x', user: 'u', provider: 'peruri', documentId: 'd' },
    });
    const now = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders(secret, 'evt_0123', now, body);
    assert.equal((verify(secret, headers, body) as { type: string }).type, 'document.signed');
    assert.throws(() => verify(secret, headers, body.replace('"u"', '"v"')), /no valid webhook signature/);
    assert.throws(() => verify(`whsec_${Buffer.alloc(32, 8).toString('base64')}`, headers, body), /no valid webhook signature/);
    const late = webhookHeaders(secret, 'evt_0123', now - 301, body);
    assert.throws(() => verify(secret, late, body), /timestamp outside the tolerance/);
    assert.throws(() => verify(secret, { 'webhook-id': 'evt_0123' }, body), /missing webhook headers/);
  });
});
