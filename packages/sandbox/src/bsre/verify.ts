// Verification (docs/providers/bsre.md D.8, C.4, A.5): v2's camelCase English answer, v1's and the cloud's
// snake_case Indonesian one (legacyVerification, which the cloud simulator uses too).
import type { Router } from 'express';
import { bsreLegacyDate, isPdf, type VerifiedSignature } from '../engine.js';
import { base64Bytes, bodyFields, filePart, upload } from '../http.js';
import { BSRE_CODES, fail, jsonWithFiles, type BsreKit } from './common.js';

/** A.5 (cloud, `SUMMARY`) and C.4 (v1, `summary`): snake_case Indonesian keys. */
export function legacyVerification(sigs: VerifiedSignature[], name: string, summaryKey: 'SUMMARY' | 'summary') {
  const allIntact = sigs.length > 0 && sigs.every((s) => s.integrity);
  const allTrusted = allIntact && sigs.every((s) => s.trusted);
  const notes =
    sigs.length === 0
      ? 'Dokumen tidak memiliki tanda tangan elektronik'
      : !allIntact
        ? 'Dokumen telah berubah setelah ditandatangani'
        : allTrusted
          ? 'Dokumen asli dan valid'
          : 'Dokumen asli dan valid, tetapi sertifikat penandatangan tidak dapat diverifikasi';
  return {
    [summaryKey]: sigs.length === 0 ? 'DOCUMENT HAS NO SIGNATURE' : allIntact ? 'DOCUMENT VALID !!!' : 'DOCUMENT INVALID !!!',
    details: sigs.map((s) => ({
      info_signer: {
        signer_dn: s.chain[0]?.subject ?? '',
        cert_user_certified: s.trusted,
        issuer_dn: s.chain[0]?.issuer ?? '',
        signer_name: s.signerName,
        signer_cert_validity: s.chain[0] ? `${bsreLegacyDate(s.chain[0].notBefore)} to ${bsreLegacyDate(s.chain[0].notAfter)}` : null,
      },
      info_tsa: { name: null, tsa_cert_validity: null },
      signature_field: s.fieldName,
      signature_document: {
        signed_using_tsa: false,
        signed_in: bsreLegacyDate(s.signedAt),
        location: s.location,
        reason: s.reason,
        hash_value: s.signedBytesSha256,
        document_integrity: s.integrity,
        signature_value: s.signatureValueHex,
      },
    })),
    nama_dokumen: name,
    jumlah_signature: sigs.length,
    notes,
  };
}

/** D.8 (v2) and C.4 (v1) verification. */
export function verifyRoutes(router: Router, kit: BsreKit): void {
  const { engine, run } = kit;
  router.post(
    '/api/v2/verify/pdf',
    jsonWithFiles(),
    run(async (req, res) => {
      const b = bodyFields(req);
      if (Array.isArray(b.file)) fail(BSRE_CODES.invalid, 'file harus satu string base64');
      const pdf = base64Bytes(b.file);
      if (!pdf || !isPdf(pdf)) fail(BSRE_CODES.notPdf, 'file bukan dokumen PDF base64');
      const sigs = await engine.verify(pdf!);
      const iso = (d: Date | undefined) => (d ? d.toISOString().replace('Z', '+00:00') : null);
      const infos = sigs.map((s, i) => ({
        id: `S-${s.signedBytesSha256.toUpperCase()}`,
        signatureFormat: 'PAdES-BASELINE-B',
        signerName: s.signerName,
        signatureDate: iso(s.signedAt),
        fieldName: s.fieldName,
        reason: s.reason,
        location: s.location,
        certLevelCode: 0,
        signatureAlgorithm: 'RSA_SHA256',
        digestAlgorithm: 'SHA256',
        timestampInfomation: null,
        certificateDetails: s.chain.map((c) => ({
          id: `C-${c.serialNumber}`,
          commonName: c.commonName,
          issuerName: c.issuerName,
          serialNumber: c.serialNumber,
          notAfterDate: iso(c.notAfter),
          notBeforeDate: iso(c.notBefore),
          signatureAlgoritm: 'RSA with SHA256',
          keyUsages: c.keyUsage,
        })),
        integrityValid: s.integrity,
        certificateTrusted: s.trusted,
        lastSignature: i === sigs.length - 1,
      }));
      const conclusion =
        sigs.length === 0
          ? 'NO_SIGNATURE'
          : sigs.every((s) => s.integrity && s.trusted)
            ? 'VALID'
            : sigs.every((s) => s.integrity)
              ? 'INDETERMINATE'
              : 'INVALID';
      const description: Record<string, string> = {
        NO_SIGNATURE: 'Dokumen tidak memiliki tandatangan elektronik',
        VALID: 'Dokumen asli dan semua tanda tangan elektronik valid',
        INDETERMINATE: 'Dokumen asli, tetapi sertifikat penandatangan tidak dapat diverifikasi',
        INVALID: 'Dokumen telah berubah setelah ditandatangani',
      };
      res.json({ conclusion, description: description[conclusion], signatureInformations: infos, signatureCount: sigs.length });
    }),
  );

  router.post(
    '/api/sign/verify',
    upload.any(),
    run(async (req, res) => {
      const file = filePart(req, 'signed_file');
      if (!file) fail(BSRE_CODES.invalid, 'signed_file wajib diunggah');
      if (!isPdf(file!.bytes)) fail(BSRE_CODES.notPdf, 'File bukan dokumen PDF');
      res.json(legacyVerification(await engine.verify(file!.bytes), file!.name, 'summary'));
    }),
  );
}
