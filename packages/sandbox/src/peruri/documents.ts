// Peruri's single-document flow (docs/providers/peruri.md §5): Send Document (with or without the placement),
// View Document, Get OTP, Signing, Check Document Status, Download Document.
import { dialectsOf } from '../context.js';
import { hasTrigger, pause, slowTrigger } from '../failures.js';
import { b64, isRecord } from '../http.js';
import { AFFIX_FAILED, PERURI_CODES, fail, type PeruriHandler, type PeruriKit } from './common.js';

/** §5: the single-document flow. */
export function documentOperations(operations: Map<string, PeruriHandler>, kit: PeruriKit): void {
  const { ctx, state, need, checkSystem, signerUser, order, pdfOf, readSigners, newOrder, signOrder, sendOtp, checkOtp } = kit;
  // §5: single document.
  operations.set('sendDocument', async (p, req) => {
    checkSystem(p);
    const email = need(p, 'email');
    const slow = slowTrigger(email);
    if (slow && req) await pause(req, slow);
    signerUser(email);
    const payload = isRecord(p.payload) ? p.payload : fail(PERURI_CODES.missingField, 'payload is mandatory');
    const fileName = need(payload!, 'fileName');
    const pdf = pdfOf(payload!.base64Document);
    const signers = payload!.signer !== undefined ? await readSigners(pdf, payload!.signer) : undefined;
    // orderType "SYSTEM": seed 003 names no position; it is read where the deployment puts it
    // (PERURI_ORDER_TYPE_PLACEMENT) and refused anywhere else.
    const inPayload = dialectsOf(ctx).peruri.orderTypePlacement === 'payload';
    if ((inPayload ? p : payload!).orderType !== undefined) fail(PERURI_CODES.missingField, `orderType tidak dikenal di ${inPayload ? 'param' : 'payload'}`);
    const system = (inPayload ? payload!.orderType : p.orderType) === 'SYSTEM';
    const o = newOrder({ email, fileName, file: state.putFile(pdf), ...(signers ? { signers } : {}), ...(system ? { orderType: 'SYSTEM' as const } : {}) });
    state.deliver({
      provider: 'peruri',
      channel: 'email',
      to: email,
      subject: 'Dokumen menunggu tanda tangan',
      text: `Dokumen ${fileName} (order ${o.orderId}) menunggu tanda tangan Anda.`,
    });
    return { desc: 'Success Upload Document', data: { orderId: o.orderId } };
  });
  operations.set('viewDocument', async (p) => {
    const o = order(p.orderId);
    return { desc: 'Success', data: { base64Document: b64(state.getFile(o.file)), signer: o.signers ? '1' : '0' } };
  });
  operations.set('getOtp', async (p) => {
    const o = order(p.orderId);
    if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
    if (o.status === 'failed') fail(PERURI_CODES.signingFailed, AFFIX_FAILED);
    const email = o.tier ? o.tier.emails[o.tier.next]! : o.email;
    return { desc: 'Success', data: sendOtp(signerUser(email), `peruri-order:${o.orderId}`, 'peruri-sign', { email }) };
  });
  operations.set('signing', async (p) => {
    const o = order(p.orderId);
    if (o.tier) fail(PERURI_CODES.missingField, 'Dokumen berjenjang ditandatangani dengan signingTier');
    if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
    if (o.status === 'failed') fail(PERURI_CODES.signingFailed, AFFIX_FAILED);
    const pdf = state.getFile(o.file);
    const entries = p.signer !== undefined ? await readSigners(pdf, p.signer) : o.signers;
    if (!entries) fail(PERURI_CODES.missingField, 'signer wajib diisi (tidak diberikan saat sendDocument)');
    checkOtp(`peruri-order:${o.orderId}`, p.otpCode, p.token);
    // Data trigger (README.md): a file name "gagal-…" has its Signing accepted ("0") and the signature never
    // affixed, so that Check Document Status answers Gagal (seed 003: Selain "0" = Gagal) from then on.
    if (hasTrigger(o.fileName, 'gagal-')) {
      o.status = 'failed';
      state.save();
      return { desc: 'Success' };
    }
    await signOrder(o, signerUser(o.email), entries!);
    o.status = 'signed';
    state.save();
    return { desc: 'Success' };
  });
  operations.set('checkDocumentStatus', async (p) => {
    const o = order(p.orderId);
    if (o.status === 'failed') fail(PERURI_CODES.signingFailed, AFFIX_FAILED);
    if (o.status !== 'signed')
      fail(PERURI_CODES.documentPending, o.tier ? `Menunggu tanda tangan ${o.tier.emails[o.tier.next] ?? ''}` : 'Dokumen belum ditandatangani');
    return { desc: 'Dokumen sudah ditandatangani' };
  });
  operations.set('downloadDocument', async (p) => {
    const o = order(p.orderId);
    return { desc: 'Success', data: { base64Document: b64(state.getFile(o.file)) } };
  });
}
