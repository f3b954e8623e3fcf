// Peruri's signing system (docs/providers/peruri.md §8): no OTP; the session is HMAC-SHA256 keyed with the
// Set Key value over the order ids.
import { createHmac } from 'node:crypto';
import { plainDate } from '../engine.js';
import { isRecord } from '../http.js';
import { AFFIX_FAILED, PERURI_CODES, fail, same, type PeruriHandler, type PeruriKit } from './common.js';

/** §8: Set Key and Signing System. */
export function systemOperations(operations: Map<string, PeruriHandler>, kit: PeruriKit): void {
  const { ctx, state, data, need, checkSystem, signerUser, order, signOrder } = kit;
  // §8: signing system (no OTP; session = HMAC-SHA256(key, orderIds joined)).
  operations.set('setKey', async (p) => {
    checkSystem(p);
    const key = need(p, 'key');
    const minutes = Number(need(p, 'minutes'));
    if (!Number.isInteger(minutes) || minutes <= 0) fail(PERURI_CODES.missingField, 'minutes harus bilangan bulat positif');
    const expiresAt = Date.now() + minutes * 60_000;
    data.keys[ctx.options.credentials.peruriSystemId] = { key, expiresAt };
    state.save();
    return { desc: 'Success', data: { expiredDate: plainDate(new Date(expiresAt)) } };
  });
  operations.set('signingSystem', async (p) => {
    checkSystem(p);
    const list = Array.isArray(p.data) && p.data.length ? p.data : fail(PERURI_CODES.missingField, 'data is mandatory');
    const ids = (list as unknown[]).map((d) => (isRecord(d) ? need(d, 'orderId') : fail(PERURI_CODES.missingField, 'data[].orderId is mandatory')));
    const session = need(p, 'session');
    const k = data.keys[ctx.options.credentials.peruriSystemId];
    if (!k) fail(PERURI_CODES.badSession, 'Key belum diset (setKey)');
    if (k!.expiresAt < Date.now()) fail(PERURI_CODES.keyExpired, 'Key sudah kadaluarsa');
    const expected = createHmac('sha256', k!.key).update(ids.join(''), 'utf8').digest('hex');
    if (!same(session.toLowerCase(), expected)) fail(PERURI_CODES.badSession, 'Session tidak valid');
    const orders = ids.map((id) => order(id));
    for (const o of orders) if (o.orderType !== 'SYSTEM') fail(PERURI_CODES.missingField, `Order ${o.orderId} bukan orderType SYSTEM`);
    for (const o of orders) {
      if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, `Order ${o.orderId} sudah ditandatangani`);
      if (o.status === 'failed') fail(PERURI_CODES.signingFailed, AFFIX_FAILED);
    }
    for (const o of orders) {
      await signOrder(o, signerUser(o.email), o.signers ?? []);
      o.status = 'signed';
    }
    state.save();
    return { desc: 'Success' };
  });
}
