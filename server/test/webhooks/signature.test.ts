// The signature scheme against the Standard Webhooks specification's own test vector (not ours: the values
// printed in the spec's reference libraries, github.com/standard-webhooks/standard-webhooks, libraries' tests),
// and the two ways a forged delivery fails: a tampered body, a timestamp older than five minutes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook, verifyWebhook, webhookHeaders, webhookKey } from '../../src/webhooks/signature.js';
import { VECTOR } from './vector.js';

describe('Standard Webhooks signatures', () => {
  it('signs the reference vector as the specification does', () => {
    assert.equal(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body), VECTOR.signature);
  });

  it('verifies the reference vector at its time, and one of several signatures (a secret being rotated)', () => {
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
    assert.deepEqual(verifyWebhook(VECTOR.secret, headers, VECTOR.body, { nowSeconds: VECTOR.timestamp + 10 }), { ok: true });
    const rotated = { ...headers, 'webhook-signature': `v1,Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg= ${VECTOR.signature}` };
    assert.deepEqual(verifyWebhook(VECTOR.secret, rotated, VECTOR.body, { nowSeconds: VECTOR.timestamp }), { ok: true });
  });

  it('refuses a tampered body, another id, another secret', () => {
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
    const at = { nowSeconds: VECTOR.timestamp };
    assert.deepEqual(verifyWebhook(VECTOR.secret, headers, '{"test": 2432232315}', at), { ok: false, reason: 'no-matching-signature' });
    assert.deepEqual(verifyWebhook(VECTOR.secret, { ...headers, 'webhook-id': 'msg_other' }, VECTOR.body, at), { ok: false, reason: 'no-matching-signature' });
    const other = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    assert.deepEqual(verifyWebhook(other, headers, VECTOR.body, at), { ok: false, reason: 'no-matching-signature' });
  });

  it('refuses a timestamp more than five minutes old (or ahead), and missing headers', () => {
    const now = 1_800_000_000;
    const body = '{"type":"document.signed"}';
    const fresh = webhookHeaders(VECTOR.secret, 'evt_1', now - 299, body);
    assert.deepEqual(verifyWebhook(VECTOR.secret, fresh, body, { nowSeconds: now }), { ok: true });
    const old = webhookHeaders(VECTOR.secret, 'evt_1', now - 301, body);
    assert.deepEqual(verifyWebhook(VECTOR.secret, old, body, { nowSeconds: now }), { ok: false, reason: 'timestamp-too-old' });
    const ahead = webhookHeaders(VECTOR.secret, 'evt_1', now + 301, body);
    assert.deepEqual(verifyWebhook(VECTOR.secret, ahead, body, { nowSeconds: now }), { ok: false, reason: 'timestamp-too-new' });
    assert.deepEqual(verifyWebhook(VECTOR.secret, { 'webhook-id': 'evt_1' }, body, { nowSeconds: now }), { ok: false, reason: 'missing-headers' });
  });

  it('takes only whsec_ secrets of 24 to 64 bytes', () => {
    assert.equal(webhookKey(VECTOR.secret).length, 24);
    assert.throws(() => webhookKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), /starts with "whsec_"/);
    assert.throws(() => webhookKey('whsec_c2hvcnQ='), /24 to 64 bytes/);
    assert.throws(() => webhookKey('whsec_not base64!'), /base64/);
  });
});
