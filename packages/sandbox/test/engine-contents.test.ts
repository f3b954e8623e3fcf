// The CMS read from a signature's /Contents hole (engine.ts signatureDer): whole, even when it ends in zero bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signatureDer } from '../src/engine.js';

describe('a signature /Contents hole', () => {
  it('keeps a DER that ends in zero bytes whole, and drops only the padding after it', () => {
    // SEQUENCE { INTEGER 0, OCTET STRING 00 00 }: its last three bytes are zeros, as a signature value's may be.
    const der = '3007020100040200' + '00';
    assert.deepEqual([...signatureDer(der + '00'.repeat(40)).der], [...Buffer.from(der, 'hex')]);
    assert.deepEqual([...signatureDer(der).der], [...Buffer.from(der, 'hex')]);
  });

  it('refuses a hole that holds no DER element', () => {
    assert.throws(() => signatureDer('30ff'), /not DER/);
  });
});
