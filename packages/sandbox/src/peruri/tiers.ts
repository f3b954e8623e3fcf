// Peruri's tiered signing (docs/providers/peruri.md §6): one document, its signers in order, each with an OTP.
import { isRecord } from '../http.js';
import { AFFIX_FAILED, PERURI_CODES, fail, type PeruriHandler, type PeruriKit } from './common.js';

/** §6: Send Document Tier and Signing Tier. */
export function tierOperations(operations: Map<string, PeruriHandler>, kit: PeruriKit): void {
  const { state, need, checkSystem, signerUser, order, pdfOf, readSigners, newOrder, signOrder, checkOtp } = kit;
  // §6: tiers.
  operations.set('sendDocumentTier', async (p) => {
    checkSystem(p);
    const uploader = need(p, 'uploader');
    const payload = isRecord(p.payload) ? p.payload : fail(PERURI_CODES.missingField, 'payload is mandatory');
    const fileName = need(payload!, 'fileName');
    const pdf = pdfOf(payload!.base64Document);
    const list = Array.isArray(payload!.signer) ? payload!.signer : fail(PERURI_CODES.missingField, 'payload.signer is mandatory');
    const emails = (list as unknown[]).map((s) => (isRecord(s) ? need(s, 'email') : fail(PERURI_CODES.missingField, 'signer[].email is mandatory')));
    if (emails.length === 0) fail(PERURI_CODES.missingField, 'payload.signer is mandatory');
    emails.forEach(signerUser);
    const o = newOrder({ email: uploader, fileName, file: state.putFile(pdf), tier: { emails, next: 0, uploader } });
    state.deliver({
      provider: 'peruri',
      channel: 'email',
      to: emails[0]!,
      subject: 'Dokumen berjenjang menunggu tanda tangan',
      text: `Dokumen ${fileName} (order ${o.orderId}) menunggu tanda tangan Anda (1 dari ${emails.length}).`,
    });
    return { desc: 'Success', data: { orderId: o.orderId } };
  });
  operations.set('signingTier', async (p) => {
    const o = order(p.orderId);
    if (!o.tier) fail(PERURI_CODES.missingField, 'Dokumen ini bukan dokumen berjenjang');
    if (o.status === 'signed') fail(PERURI_CODES.alreadySigned, 'Dokumen sudah ditandatangani');
    if (o.status === 'failed') fail(PERURI_CODES.signingFailed, AFFIX_FAILED);
    for (const k of ['otpCode', 'token']) need(p, k);
    const entries = await readSigners(state.getFile(o.file), p.signer ?? fail(PERURI_CODES.missingField, 'signer is mandatory'));
    const pending = checkOtp(`peruri-order:${o.orderId}`, p.otpCode, p.token);
    const email = o.tier!.emails[o.tier!.next]!;
    if (pending.data?.email !== email) fail(PERURI_CODES.notYourTurn, 'Bukan giliran penandatangan ini');
    await signOrder(o, signerUser(email), entries);
    o.tier!.next++;
    if (o.tier!.next >= o.tier!.emails.length) o.status = 'signed';
    else
      state.deliver({
        provider: 'peruri',
        channel: 'email',
        to: o.tier!.emails[o.tier!.next]!,
        subject: 'Dokumen berjenjang menunggu tanda tangan',
        text: `Dokumen ${o.fileName} (order ${o.orderId}) menunggu tanda tangan Anda (${o.tier!.next + 1} dari ${o.tier!.emails.length}).`,
      });
    state.save();
    return { desc: 'Success' };
  });
}
