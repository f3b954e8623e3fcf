// Peruri's bulk signing (docs/providers/peruri.md §7): several orders, placed one by one or at once, signed with
// one OTP.
import { dialectsOf } from '../context.js';
import { isRecord } from '../http.js';
import type { PeruriSignerEntry } from '../state.js';
import { AFFIX_FAILED, PERURI_CODES, fail, type PeruriHandler, type PeruriKit } from './common.js';

/** §7: Send Document Bulk, Set Signature, Get OTP Bulk, Signing Bulk. */
export function bulkOperations(operations: Map<string, PeruriHandler>, kit: PeruriKit): void {
  const { ctx, state, data, need, checkSystem, signerUser, order, pdfOf, readSigners, newOrder, signOrder, sendOtp, checkOtp } = kit;
  // §7: bulk.
  operations.set('sendDocumentBulk', async (p) => {
    checkSystem(p);
    const email = need(p, 'email');
    signerUser(email);
    const payload = isRecord(p.payload) ? p.payload : fail(PERURI_CODES.missingField, 'payload is mandatory');
    const files = Array.isArray(payload!.file) && payload!.file.length ? payload!.file : fail(PERURI_CODES.missingField, 'payload.file is mandatory');
    const out: { orderId: string }[] = [];
    const prepared: { fileName: string; pdf: Uint8Array; signers?: PeruriSignerEntry[] }[] = [];
    for (const f of files as unknown[]) {
      if (!isRecord(f)) fail(PERURI_CODES.missingField, 'payload.file[] harus berupa objek');
      const pdf = pdfOf((f as Record<string, unknown>).base64Document);
      const signers = payload!.signer !== undefined ? await readSigners(pdf, payload!.signer) : undefined;
      prepared.push({ fileName: need(f as Record<string, unknown>, 'fileName'), pdf, ...(signers ? { signers } : {}) });
    }
    for (const f of prepared)
      out.push({ orderId: newOrder({ email, fileName: f.fileName, file: state.putFile(f.pdf), ...(f.signers ? { signers: f.signers } : {}) }).orderId });
    return { desc: 'Success', data: out };
  });
  operations.set('setSignature', async (p) => {
    const o = order(p.orderId);
    if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
    if (o.status === 'failed') fail(PERURI_CODES.signingFailed, AFFIX_FAILED);
    // `signer` is an array in the table, an object in the example (seed 003 Bulk §3): the shape the
    // deployment selects (PERURI_SET_SIGNATURE_SIGNER) is accepted, the other refused.
    const asArray = dialectsOf(ctx).peruri.setSignatureSigner === 'array';
    if (asArray ? !Array.isArray(p.signer) : !isRecord(p.signer))
      fail(PERURI_CODES.missingField, asArray ? 'signer harus berupa array' : 'signer harus berupa objek');
    o.signers = await readSigners(state.getFile(o.file), p.signer);
    state.save();
    return { desc: 'Success' };
  });
  operations.set('getOtpBulk', async (p) => {
    checkSystem(p);
    const list = Array.isArray(p.data) && p.data.length ? p.data : fail(PERURI_CODES.missingField, 'data is mandatory');
    // `orderId` is a string in the table, a number in the example (seed 003 Bulk §4): the JSON type the
    // deployment selects (PERURI_BULK_OTP_ORDER_ID_TYPE) is accepted, the other refused.
    const idType = dialectsOf(ctx).peruri.bulkOtpOrderIdType;
    (list as unknown[]).forEach((d, i) => {
      if (!isRecord(d) || typeof d.orderId !== idType)
        fail(PERURI_CODES.missingField, `data[${i}].orderId harus berupa ${idType === 'number' ? 'angka' : 'string'}`);
    });
    const orders = (list as unknown[]).map((d) => order(isRecord(d) ? d.orderId : undefined));
    const email = orders[0]!.email;
    for (const o of orders) {
      if (o.email !== email) fail(PERURI_CODES.missingField, 'Semua dokumen bulk harus milik penandatangan yang sama');
      if (!o.signers) fail(PERURI_CODES.missingField, `Order ${o.orderId} belum memiliki posisi tanda tangan (setSignature)`);
      if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, `Order ${o.orderId} sudah ditandatangani`);
      if (o.status === 'failed') fail(PERURI_CODES.signingFailed, AFFIX_FAILED);
    }
    const orderIdBulk = String(data.nextBulkId++);
    data.bulks[orderIdBulk] = { orderIds: orders.map((o) => o.orderId), email, signed: false };
    state.save();
    return { desc: 'Success', data: { ...sendOtp(signerUser(email), `peruri-bulk:${orderIdBulk}`, 'peruri-bulk', { email }), orderIdBulk } };
  });
  operations.set('signingBulk', async (p) => {
    const id = need(p, 'orderIdBulk');
    const bulk = data.bulks[id] ?? fail(PERURI_CODES.orderNotFound, 'orderIdBulk tidak ditemukan');
    if (bulk!.signed) fail(PERURI_CODES.alreadySigned, 'Bulk sudah ditandatangani');
    checkOtp(`peruri-bulk:${id}`, p.otpCodeBulk, p.tokenBulk);
    const user = signerUser(bulk!.email);
    const out: { orderId: string; fileName: string }[] = [];
    for (const orderId of bulk!.orderIds) {
      const o = order(orderId);
      await signOrder(o, user, o.signers ?? []);
      o.status = 'signed';
      out.push({ orderId, fileName: `${orderId}_${o.fileName}` });
    }
    bulk!.signed = true;
    state.save();
    return { desc: 'Success', data: out };
  });
}
