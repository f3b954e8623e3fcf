import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChannelGuard,
  LANDING_MESSAGE_TYPE,
  MAX_MESSAGE_BYTES,
  channelFromFrameName,
  createChannelId,
  frameNameFor,
  isRejection,
  parseLandingMessage,
  parsePeruriMessage,
  type LandingMessage,
} from '@esign-kit/bridge';

describe('parsePeruriMessage (peruri.md §9)', () => {
  it('reads the activation callback with the message as an object', () => {
    const event = parsePeruriMessage({ func: 'generateCertificate', message: { resultCode: '0', resultDesc: 'Success' } }, 'activation');
    assert.deepEqual(event, {
      type: 'complete',
      provider: 'peruri',
      flow: 'activation',
      providerCode: '0',
      providerMessage: 'Success',
      result: { callback: 'generateCertificate' },
    });
  });

  it('reads a message sent as a JSON string, and a numeric code', () => {
    const event = parsePeruriMessage({ func: 'signDocument', message: JSON.stringify({ resultCode: 0, resultDesc: 'Berhasil', orderId: '2965' }) }, 'sign');
    assert.deepEqual(event, {
      type: 'complete',
      provider: 'peruri',
      flow: 'sign',
      providerCode: '0',
      providerMessage: 'Berhasil',
      result: { callback: 'signDocument', orderId: '2965' },
    });
  });

  it('maps a non-zero result to an error, keeping the provider text as text', () => {
    const event = parsePeruriMessage({ func: 'signDocument', message: { resultCode: '4005', resultDesc: '<img src=x onerror=alert(1)> OTP salah' } }, 'sign');
    assert.ok(!isRejection(event));
    assert.equal(event.type, 'error');
    assert.equal(event.providerCode, '4005');
    // Kept verbatim as text: the element renders it as text, never as HTML.
    assert.equal(event.providerMessage, '<img src=x onerror=alert(1)> OTP salah');
  });

  it('rejects, never executes, anything else', () => {
    const cases: [unknown, string, string?][] = [
      [null, 'not-an-object'],
      ['generateCertificate', 'not-an-object'],
      [{ message: { resultCode: '0' } }, 'missing-field', 'func'],
      [{ func: 'alert(document.cookie)', message: { resultCode: '0' } }, 'bad-field', 'func'],
      [{ func: 'constructor.constructor', message: { resultCode: '0' } }, 'bad-field', 'func'],
      [{ func: 'generateCertificate', message: '{not json' }, 'bad-json', 'message'],
      [{ func: 'generateCertificate', message: [1, 2] }, 'not-an-object', 'message'],
      [{ func: 'generateCertificate', message: { resultDesc: 'no code' } }, 'missing-field', 'message.resultCode'],
      [{ func: 'generateCertificate', message: { resultCode: { nested: true } } }, 'missing-field', 'message.resultCode'],
      [{ func: 'generateCertificate', message: 'x'.repeat(MAX_MESSAGE_BYTES + 1) }, 'too-large'],
    ];
    for (const [data, reason, field] of cases) {
      const parsed = parsePeruriMessage(data, 'activation');
      assert.ok(isRejection(parsed), JSON.stringify(data).slice(0, 80));
      assert.equal(parsed.reason, reason, JSON.stringify(data).slice(0, 80));
      if (field) assert.equal(parsed.field, field);
    }
  });
});

describe('landing messages and channels', () => {
  const channel = createChannelId(() => new Uint8Array(16).fill(7));
  const message: LandingMessage = {
    type: LANDING_MESSAGE_TYPE,
    version: 1,
    channel,
    provider: 'digisign',
    flow: 'sign',
    ok: true,
    providerCode: '00',
    providerMessage: 'Proses tanda tangan berhasil!',
    result: { documentId: 'sni040302', emailUser: 'digisigntest@tandatanganku.com', completed: true },
  };

  it('creates 128-bit base64url channel ids and carries them in a frame name', () => {
    assert.equal(channel, 'BwcHBwcHBwcHBwcHBwcHBw');
    const fresh = createChannelId();
    assert.match(fresh, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(fresh, createChannelId());
    assert.equal(channelFromFrameName(frameNameFor(fresh)), fresh);
    assert.equal(channelFromFrameName('some-other-frame'), null);
    assert.equal(channelFromFrameName('esign-kit:short'), null);
  });

  it('parses a landing message and turns it into the shared vocabulary', () => {
    const parsed = parseLandingMessage(JSON.parse(JSON.stringify(message)));
    assert.ok(!isRejection(parsed));
    const guard = new ChannelGuard(channel);
    assert.deepEqual(guard.accept(parsed as LandingMessage), {
      type: 'complete',
      provider: 'digisign',
      flow: 'sign',
      providerCode: '00',
      providerMessage: 'Proses tanda tangan berhasil!',
      result: message.result,
    });
  });

  it('accepts a channel once: a replay is refused, a foreign channel is refused, a renewed flow drops the old one', () => {
    const guard = new ChannelGuard(channel);
    assert.ok(!isRejection(guard.accept(message)));
    assert.deepEqual(guard.accept(message), { rejected: true, reason: 'replayed', field: 'channel' });
    const other = new ChannelGuard(createChannelId());
    assert.deepEqual(other.accept(message), { rejected: true, reason: 'wrong-channel', field: 'channel' });
    const next = createChannelId();
    other.renew(next);
    assert.ok(!isRejection(other.accept({ ...message, channel: next })));
  });

  it('maps a failed landing to error, and a cancellation to cancel', () => {
    const guard = new ChannelGuard(channel);
    const { result: _unused, ...withoutResult } = message;
    const failed = guard.accept({ ...withoutResult, ok: false, providerCode: '05', error: { code: 'provider-rejected', message: 'OTP salah' } });
    assert.ok(!isRejection(failed));
    assert.equal(failed.type, 'error');
    const cancelled = new ChannelGuard(channel).accept({ ...message, ok: false, error: { code: 'cancelled', message: 'Dibatalkan' } });
    assert.ok(!isRejection(cancelled));
    assert.equal(cancelled.type, 'cancel');
  });

  it('rejects malformed landing messages, naming the field', () => {
    const cases: [unknown, string, string?][] = [
      [{ ...message, type: 'something-else' }, 'unknown-message', 'type'],
      [{ ...message, version: 2 }, 'unknown-message', 'type'],
      [{ ...message, channel: 'short' }, 'bad-field', 'channel'],
      [{ ...message, provider: 'bsre' }, 'bad-field', 'provider'],
      [{ ...message, flow: 'delete' }, 'bad-field', 'flow'],
      [{ ...message, ok: 'yes' }, 'bad-field', 'ok'],
      [{ ...message, result: { 'bad key': 'x' } }, 'bad-field', 'result.bad key'],
      [{ ...message, result: { documentId: { nested: 1 } } }, 'bad-field', 'result.documentId'],
      [{ ...message, error: { code: 1 } }, 'bad-field', 'error'],
      [{ ...message, providerMessage: 'x'.repeat(MAX_MESSAGE_BYTES) }, 'too-large'],
    ];
    for (const [data, reason, field] of cases) {
      const parsed = parseLandingMessage(data);
      assert.ok(isRejection(parsed), JSON.stringify(data).slice(0, 60));
      assert.equal(parsed.reason, reason);
      if (field) assert.equal(parsed.field, field);
    }
  });
});
