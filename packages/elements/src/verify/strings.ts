// Every string a person reads in <esign-verify>, in English and Bahasa Indonesia: statuses, the plain-language
// reason for each verdict and finding, and the sentences describing a disagreement with the provider. Pure.
import type { ChangeKind, SignatureProblem, TrustReason, Verdict } from '@esign-kit/verify';
import type { Disagreement, DisagreementFact, LocalConclusion, ProviderConclusion, ProviderVerdict } from './compare.js';

export type Language = 'en' | 'id';
type Word = Verdict | LocalConclusion | ProviderConclusion | ProviderVerdict;

export interface VerifyStrings {
  /** Badge text for each verdict (also shown to screen readers: never colour only). */
  badge: Record<Verdict | 'no-signature', string>;
  /** A verdict or conclusion inside a sentence. */
  word: Record<Word, string>;
  /** The first reason shown on a card, by verdict. */
  verdictReason: Record<Verdict, string>;
  /** The whole document, by its local conclusion. */
  headline: (conclusion: LocalConclusion, count: number) => string;
  problem: Record<SignatureProblem | TrustReason, string>;
  change: Record<ChangeKind, string>;
  changesAfter: (kinds: string) => string;
  fact: Record<DisagreementFact, string>;
  disagreement: (d: Disagreement, provider: string) => string;
  errors: Record<string, string>;
  httpStatus: (status: number) => string;
  dropzone: string;
  choose: string;
  checking: string;
  asking: (provider: string) => string;
  /** The provider's conclusion, agreeing with the local one. */
  agrees: (provider: string, word: string) => string;
  /** The provider's conclusion, followed by the list of disagreements. */
  disagrees: (provider: string, word: string) => string;
  /** The provider's word on one signature. */
  providerSays: (provider: string, word: string) => string;
  providerFailed: (provider: string) => string;
  providerNotes: (provider: string) => string;
  localOnly: string;
  notUploaded: string;
  trustList: (count: number, source: 'server' | 'page' | 'none') => string;
  trustListFailed: string;
  signatureName: (index: number, field: string) => string;
  unknownSigner: string;
  labels: {
    signer: string;
    organisation: string;
    issuer: string;
    signed: string;
    reason: string;
    location: string;
    field: string;
    details: string;
    serial: string;
    validity: string;
    algorithms: string;
    chain: string;
    changes: string;
    none: string;
    fingerprint: string;
    coverage: string;
    findings: string;
    password: string;
    submit: string;
  };
  statedBySigner: string;
  timestampFrom: (tsa: string) => string;
  validity: (from: string, to: string) => string;
  coversWholeFile: (yes: boolean) => string;
  allowed: (yes: boolean) => string;
}

const problemsEn: VerifyStrings['problem'] = {
  SIGNATURE_DICTIONARY_MISSING: 'The signature’s data is missing from the file.',
  BYTE_RANGE_INVALID: 'The record of which bytes the signature covers is damaged, so the signature cannot be checked.',
  BYTE_RANGE_NOT_CONTENTS: 'The signature does not cover the document the way a PDF signature must.',
  CONTENTS_MISSING: 'The signature value is missing.',
  CMS_UNPARSABLE: 'The signature cannot be read: it is damaged or in an unknown format.',
  CMS_NOT_SIGNED_DATA: 'The signature cannot be read: it is damaged or in an unknown format.',
  CMS_NO_SIGNER: 'The signature names no signer.',
  SIGNER_CERTIFICATE_MISSING: 'The signer’s certificate is not included in the signature.',
  UNSUPPORTED_DIGEST_ALGORITHM: 'The signature uses a hash algorithm this check does not support.',
  MESSAGE_DIGEST_MISSING: 'The signature does not record what it signed.',
  DIGEST_MISMATCH: 'The document was changed after it was signed.',
  SIGNATURE_INVALID: 'The signature value does not match the signer’s certificate: it was forged or damaged.',
  MODIFIED_AFTER_SIGNING: 'Something was added to the document after it was signed; the signed version itself is intact.',
  NOT_TOTAL_DOCUMENT: 'The signature does not cover the whole file (later additions are listed under changes).',
  TIMESTAMP_INVALID: 'The timestamp attached to the signature is not valid.',
  SIGNATURE_UNREADABLE: 'The signature cannot be read: it is damaged or in an unknown format.',
  CHAIN_TO_TRUSTED_ROOT: 'The certificate comes from a trusted authority.',
  NO_TRUSTED_ROOTS: 'No trusted root certificates were given, so no certificate can be trusted.',
  ROOT_NOT_TRUSTED: 'The authority that issued the certificate is not in the trusted list.',
  CHAIN_INCOMPLETE: 'The chain from the certificate to a trusted authority is incomplete.',
  CHAIN_SIGNATURE_INVALID: 'A certificate in the chain is not validly signed by its issuer.',
  CERTIFICATE_EXPIRED: 'A certificate in the chain has expired.',
  CERTIFICATE_NOT_YET_VALID: 'A certificate in the chain is not valid yet.',
  KEY_USAGE_NOT_SIGNING: 'The signer’s certificate is not meant for signing documents.',
  NOT_CHECKED: 'The certificate could not be checked.',
};

const problemsId: VerifyStrings['problem'] = {
  SIGNATURE_DICTIONARY_MISSING: 'Data tanda tangan tidak ada di dalam berkas.',
  BYTE_RANGE_INVALID: 'Catatan bagian berkas yang ditandatangani rusak, sehingga tanda tangan tidak dapat diperiksa.',
  BYTE_RANGE_NOT_CONTENTS: 'Tanda tangan tidak mencakup dokumen sebagaimana mestinya tanda tangan PDF.',
  CONTENTS_MISSING: 'Nilai tanda tangan tidak ada.',
  CMS_UNPARSABLE: 'Tanda tangan tidak dapat dibaca: rusak atau formatnya tidak dikenal.',
  CMS_NOT_SIGNED_DATA: 'Tanda tangan tidak dapat dibaca: rusak atau formatnya tidak dikenal.',
  CMS_NO_SIGNER: 'Tanda tangan tidak menyebut penanda tangan.',
  SIGNER_CERTIFICATE_MISSING: 'Sertifikat penanda tangan tidak disertakan dalam tanda tangan.',
  UNSUPPORTED_DIGEST_ALGORITHM: 'Tanda tangan memakai algoritma hash yang tidak didukung pemeriksaan ini.',
  MESSAGE_DIGEST_MISSING: 'Tanda tangan tidak mencatat apa yang ditandatangani.',
  DIGEST_MISMATCH: 'Dokumen diubah setelah ditandatangani.',
  SIGNATURE_INVALID: 'Nilai tanda tangan tidak cocok dengan sertifikat penanda tangan: dipalsukan atau rusak.',
  MODIFIED_AFTER_SIGNING: 'Ada yang ditambahkan ke dokumen setelah ditandatangani; versi yang ditandatangani masih utuh.',
  NOT_TOTAL_DOCUMENT: 'Tanda tangan tidak mencakup seluruh berkas (tambahan sesudahnya tercantum di bagian perubahan).',
  TIMESTAMP_INVALID: 'Stempel waktu pada tanda tangan tidak sah.',
  SIGNATURE_UNREADABLE: 'Tanda tangan tidak dapat dibaca: rusak atau formatnya tidak dikenal.',
  CHAIN_TO_TRUSTED_ROOT: 'Sertifikat berasal dari penyelenggara tepercaya.',
  NO_TRUSTED_ROOTS: 'Tidak ada sertifikat akar tepercaya yang diberikan, sehingga tidak ada sertifikat yang dapat dipercaya.',
  ROOT_NOT_TRUSTED: 'Penerbit sertifikat tidak ada dalam daftar tepercaya.',
  CHAIN_INCOMPLETE: 'Rantai dari sertifikat ke penyelenggara tepercaya tidak lengkap.',
  CHAIN_SIGNATURE_INVALID: 'Ada sertifikat dalam rantai yang tidak ditandatangani dengan sah oleh penerbitnya.',
  CERTIFICATE_EXPIRED: 'Ada sertifikat dalam rantai yang sudah kedaluwarsa.',
  CERTIFICATE_NOT_YET_VALID: 'Ada sertifikat dalam rantai yang belum berlaku.',
  KEY_USAGE_NOT_SIGNING: 'Sertifikat penanda tangan tidak ditujukan untuk menandatangani dokumen.',
  NOT_CHECKED: 'Sertifikat tidak dapat diperiksa.',
};

const en: VerifyStrings = {
  badge: { valid: 'Valid', 'valid-untrusted': 'Valid but untrusted', 'modified-after-signing': 'Modified after signing', invalid: 'Invalid', 'no-signature': 'No signature' },
  word: {
    valid: 'valid',
    'valid-untrusted': 'valid but untrusted',
    'modified-after-signing': 'modified after signing',
    invalid: 'invalid',
    'no-signature': 'not signed',
    unknown: 'undetermined',
  },
  verdictReason: {
    valid: 'The signature is valid and the certificate comes from a trusted authority.',
    'valid-untrusted': 'The signature is intact, but the certificate is not from a trusted authority.',
    'modified-after-signing': problemsEn.MODIFIED_AFTER_SIGNING,
    invalid: 'The signature is not valid.',
  },
  headline: (c, n) => {
    const all = n === 1 ? 'The signature' : `All ${n} signatures`;
    switch (c) {
      case 'valid': return n === 1 ? 'The signature is valid.' : `${all} are valid.`;
      case 'valid-untrusted': return n === 1 ? 'The signature is intact, but its certificate is not from a trusted authority.' : 'The signatures are intact, but not every certificate is from a trusted authority.';
      case 'modified-after-signing': return 'The document was changed after it was signed; the signed version is intact.';
      case 'invalid': return n === 1 ? 'The signature is not valid.' : 'At least one signature is not valid.';
      case 'no-signature': return 'This PDF is not signed.';
    }
  },
  problem: problemsEn,
  change: {
    signature: 'a signature',
    'signature-field': 'a signature field',
    form: 'the form',
    'form-field': 'a form field',
    annotation: 'an annotation (comment, drawing, link…)',
    page: 'page properties',
    'page-content': 'page content',
    appearance: 'an appearance',
    catalog: 'the document catalogue',
    metadata: 'metadata',
    other: 'other objects',
    unreadable: 'parts that cannot be read',
    'trailing-bytes': 'bytes after the end of the file',
  },
  changesAfter: (kinds) => `Added or changed after signing: ${kinds}.`,
  fact: {
    integrity: 'they disagree on whether the signed content is intact',
    trust: 'they disagree on whether the certificate is trusted',
    'changes-after-signing': 'the provider does not report the changes made after signing',
  },
  disagreement: (d, p) => {
    switch (d.kind) {
      case 'verdict': {
        const facts = d.facts.map((f) => en.fact[f]).join('; ');
        return `${en.signatureName(d.index, d.field)}: ${p} says ${en.word[d.provider]}, the local check says ${en.word[d.local]}${facts ? ` (${facts})` : ''}.`;
      }
      case 'signer': return `${en.signatureName(d.index, d.field)}: ${p} names the signer “${d.provider}”, the local check “${d.local}”.`;
      case 'conclusion': return `${p} says the document is ${en.word[d.provider]}, the local check says it is ${en.word[d.local]}.`;
      case 'count': return `${p} counts ${d.provider} signature${d.provider === 1 ? '' : 's'}, the local check ${d.local}.`;
      case 'unmatched':
        return d.side === 'local'
          ? `${en.signatureName(d.index, d.field ?? '')} is missing from ${p}’s answer.`
          : `${p} lists a signature the local check did not find${d.field || d.signer ? ` (${[d.field, d.signer].filter(Boolean).join(', ')})` : ''}.`;
    }
  },
  errors: {
    'not-a-pdf': 'This file is not a PDF.',
    truncated: 'This PDF is incomplete (cut short): download or copy it again.',
    damaged: 'This PDF is damaged and cannot be read.',
    'invalid-input': 'Give a PDF file (a File, Blob, ArrayBuffer or Uint8Array).',
    'password-required': 'This PDF is protected with a password. Enter it to check the signatures.',
    'password-incorrect': 'The password is not correct.',
    'encryption-unsupported': 'This PDF is encrypted with a method this check does not support.',
    'invalid-trusted-roots': 'A trusted root certificate given to the element is not a certificate.',
    'inspect-failed': 'The signatures could not be checked.',
    'http-error': 'The file could not be loaded.',
    'network-error': 'The server could not be reached.',
    'provider-error': 'The provider could not verify the document.',
    'provider-not-configured': 'No verification provider is configured on the server.',
  },
  httpStatus: (s) => `(HTTP ${s})`,
  dropzone: 'Drop a signed PDF here, or choose a file',
  choose: 'Choose a PDF',
  checking: 'Checking the signatures…',
  asking: (p) => `Asking ${p}…`,
  agrees: (p, w) => `${p} agrees: ${w}.`,
  disagrees: (p, w) => `${p} says ${w}, and disagrees with the local check:`,
  providerSays: (p, w) => `${p}: ${w}`,
  providerFailed: (p) => `${p} could not be asked:`,
  providerNotes: (p) => `${p}’s notes`,
  localOnly: 'Checked in this browser only.',
  notUploaded: 'The file was not uploaded.',
  trustList: (n, source) =>
    source === 'none' ? 'Trusted roots: none, so no certificate can be trusted.' : `Trusted roots: ${n} (${source === 'server' ? 'from the server' : 'given by the page'}).`,
  trustListFailed: 'The trusted roots could not be loaded from the server: certificates are shown as untrusted.',
  signatureName: (i, field) => `Signature ${i + 1}${field ? ` (${field})` : ''}`,
  unknownSigner: 'Unknown signer',
  labels: {
    signer: 'Signer',
    organisation: 'Organisation',
    issuer: 'Issued by',
    signed: 'Signed',
    reason: 'Reason',
    location: 'Location',
    field: 'Field',
    details: 'Details',
    serial: 'Serial number',
    validity: 'Certificate validity',
    algorithms: 'Algorithms',
    chain: 'Certificate chain',
    changes: 'Changes after signing',
    none: 'None',
    fingerprint: 'SHA-256 fingerprint',
    coverage: 'Coverage',
    findings: 'Findings',
    password: 'Password',
    submit: 'Check',
  },
  statedBySigner: 'as stated by the signer',
  timestampFrom: (tsa) => `timestamp from ${tsa}`,
  validity: (from, to) => `${from} to ${to}`,
  coversWholeFile: (yes) => (yes ? 'the whole file' : 'not the whole file'),
  allowed: (yes) => (yes ? 'allowed' : 'not allowed'),
};

const id: VerifyStrings = {
  badge: { valid: 'Sah', 'valid-untrusted': 'Sah, tetapi tidak tepercaya', 'modified-after-signing': 'Diubah setelah ditandatangani', invalid: 'Tidak sah', 'no-signature': 'Tidak ada tanda tangan' },
  word: {
    valid: 'sah',
    'valid-untrusted': 'sah tetapi tidak tepercaya',
    'modified-after-signing': 'diubah setelah ditandatangani',
    invalid: 'tidak sah',
    'no-signature': 'tidak bertanda tangan',
    unknown: 'tidak dapat dipastikan',
  },
  verdictReason: {
    valid: 'Tanda tangan sah dan sertifikatnya berasal dari penyelenggara tepercaya.',
    'valid-untrusted': 'Tanda tangan utuh, tetapi sertifikatnya tidak berasal dari penyelenggara tepercaya.',
    'modified-after-signing': problemsId.MODIFIED_AFTER_SIGNING,
    invalid: 'Tanda tangan tidak sah.',
  },
  headline: (c, n) => {
    switch (c) {
      case 'valid': return n === 1 ? 'Tanda tangan sah.' : `Semua ${n} tanda tangan sah.`;
      case 'valid-untrusted': return n === 1 ? 'Tanda tangan utuh, tetapi sertifikatnya tidak berasal dari penyelenggara tepercaya.' : 'Tanda tangan utuh, tetapi tidak semua sertifikat berasal dari penyelenggara tepercaya.';
      case 'modified-after-signing': return 'Dokumen diubah setelah ditandatangani; versi yang ditandatangani masih utuh.';
      case 'invalid': return n === 1 ? 'Tanda tangan tidak sah.' : 'Setidaknya satu tanda tangan tidak sah.';
      case 'no-signature': return 'PDF ini tidak ditandatangani.';
    }
  },
  problem: problemsId,
  change: {
    signature: 'tanda tangan',
    'signature-field': 'kolom tanda tangan',
    form: 'formulir',
    'form-field': 'isian formulir',
    annotation: 'anotasi (komentar, coretan, tautan…)',
    page: 'properti halaman',
    'page-content': 'isi halaman',
    appearance: 'tampilan',
    catalog: 'katalog dokumen',
    metadata: 'metadata',
    other: 'objek lain',
    unreadable: 'bagian yang tidak dapat dibaca',
    'trailing-bytes': 'byte setelah akhir berkas',
  },
  changesAfter: (kinds) => `Ditambahkan atau diubah setelah ditandatangani: ${kinds}.`,
  fact: {
    integrity: 'keduanya berbeda tentang keutuhan isi yang ditandatangani',
    trust: 'keduanya berbeda tentang apakah sertifikatnya tepercaya',
    'changes-after-signing': 'penyedia tidak melaporkan perubahan setelah penandatanganan',
  },
  disagreement: (d, p) => {
    switch (d.kind) {
      case 'verdict': {
        const facts = d.facts.map((f) => id.fact[f]).join('; ');
        return `${id.signatureName(d.index, d.field)}: menurut ${p} ${id.word[d.provider]}, menurut pemeriksaan lokal ${id.word[d.local]}${facts ? ` (${facts})` : ''}.`;
      }
      case 'signer': return `${id.signatureName(d.index, d.field)}: ${p} menyebut penanda tangan “${d.provider}”, pemeriksaan lokal “${d.local}”.`;
      case 'conclusion': return `Menurut ${p} dokumen ${id.word[d.provider]}, menurut pemeriksaan lokal ${id.word[d.local]}.`;
      case 'count': return `${p} menghitung ${d.provider} tanda tangan, pemeriksaan lokal ${d.local}.`;
      case 'unmatched':
        return d.side === 'local'
          ? `${id.signatureName(d.index, d.field ?? '')} tidak ada dalam jawaban ${p}.`
          : `${p} mencantumkan tanda tangan yang tidak ditemukan pemeriksaan lokal${d.field || d.signer ? ` (${[d.field, d.signer].filter(Boolean).join(', ')})` : ''}.`;
    }
  },
  errors: {
    'not-a-pdf': 'Berkas ini bukan PDF.',
    truncated: 'PDF ini tidak lengkap (terpotong): unduh atau salin ulang.',
    damaged: 'PDF ini rusak dan tidak dapat dibaca.',
    'invalid-input': 'Berikan berkas PDF (File, Blob, ArrayBuffer, atau Uint8Array).',
    'password-required': 'PDF ini dilindungi kata sandi. Masukkan kata sandinya untuk memeriksa tanda tangan.',
    'password-incorrect': 'Kata sandi salah.',
    'encryption-unsupported': 'PDF ini dienkripsi dengan metode yang tidak didukung pemeriksaan ini.',
    'invalid-trusted-roots': 'Sertifikat akar tepercaya yang diberikan ke elemen ini bukan sertifikat.',
    'inspect-failed': 'Tanda tangan tidak dapat diperiksa.',
    'http-error': 'Berkas tidak dapat dimuat.',
    'network-error': 'Server tidak dapat dihubungi.',
    'provider-error': 'Penyedia tidak dapat memverifikasi dokumen.',
    'provider-not-configured': 'Belum ada penyedia verifikasi yang dikonfigurasi di server.',
  },
  httpStatus: (s) => `(HTTP ${s})`,
  dropzone: 'Letakkan PDF bertanda tangan di sini, atau pilih berkas',
  choose: 'Pilih PDF',
  checking: 'Memeriksa tanda tangan…',
  asking: (p) => `Menanyakan ke ${p}…`,
  agrees: (p, w) => `${p} sependapat: ${w}.`,
  disagrees: (p, w) => `Menurut ${p} ${w}, berbeda dengan pemeriksaan lokal:`,
  providerSays: (p, w) => `${p}: ${w}`,
  providerFailed: (p) => `${p} tidak dapat ditanyai:`,
  providerNotes: (p) => `Catatan ${p}`,
  localOnly: 'Diperiksa di peramban ini saja.',
  notUploaded: 'Berkas tidak diunggah.',
  trustList: (n, source) =>
    source === 'none' ? 'Akar tepercaya: tidak ada, sehingga tidak ada sertifikat yang dapat dipercaya.' : `Akar tepercaya: ${n} (${source === 'server' ? 'dari server' : 'dari halaman'}).`,
  trustListFailed: 'Daftar akar tepercaya tidak dapat dimuat dari server: sertifikat ditampilkan sebagai tidak tepercaya.',
  signatureName: (i, field) => `Tanda tangan ${i + 1}${field ? ` (${field})` : ''}`,
  unknownSigner: 'Penanda tangan tidak diketahui',
  labels: {
    signer: 'Penanda tangan',
    organisation: 'Organisasi',
    issuer: 'Diterbitkan oleh',
    signed: 'Ditandatangani',
    reason: 'Alasan',
    location: 'Lokasi',
    field: 'Kolom',
    details: 'Rincian',
    serial: 'Nomor seri',
    validity: 'Masa berlaku sertifikat',
    algorithms: 'Algoritma',
    chain: 'Rantai sertifikat',
    changes: 'Perubahan setelah ditandatangani',
    none: 'Tidak ada',
    fingerprint: 'Sidik jari SHA-256',
    coverage: 'Cakupan',
    findings: 'Temuan',
    password: 'Kata sandi',
    submit: 'Periksa',
  },
  statedBySigner: 'menurut penanda tangan',
  timestampFrom: (tsa) => `stempel waktu dari ${tsa}`,
  validity: (from, to) => `${from} sampai ${to}`,
  coversWholeFile: (yes) => (yes ? 'seluruh berkas' : 'tidak seluruh berkas'),
  allowed: (yes) => (yes ? 'diizinkan' : 'tidak diizinkan'),
};

export const VERIFY_STRINGS: Record<Language, VerifyStrings> = { en, id };

/** The plain-language reasons for a signature's verdict, most important first (no duplicates). */
export function reasonsFor(
  s: { verdict: Verdict; problems: readonly (SignatureProblem | TrustReason)[]; trust: { status: string; reason: TrustReason }; changes: readonly { kind: ChangeKind; allowed: boolean }[] },
  t: VerifyStrings,
): string[] {
  const out: string[] = [];
  const add = (text: string | undefined) => {
    if (text && !out.includes(text)) out.push(text);
  };
  const trustReason = s.trust.status === 'trusted' || s.trust.reason === 'NOT_CHECKED' ? undefined : t.problem[s.trust.reason];
  const integrity = s.problems.filter((p) => p !== 'NOT_TOTAL_DOCUMENT' && p !== 'MODIFIED_AFTER_SIGNING' && p !== 'TIMESTAMP_INVALID' && p !== s.trust.reason);
  if (s.verdict === 'invalid') {
    for (const p of integrity) add(t.problem[p]);
    // An untrusted chain matters little beside a broken signature; an invalid one (expired…) is a reason itself.
    if (s.trust.status === 'invalid' || !out.length) add(trustReason);
    if (!out.length) add(t.verdictReason.invalid);
  } else {
    add(t.verdictReason[s.verdict]);
    if (s.verdict === 'modified-after-signing') {
      const kinds = [...new Set(s.changes.filter((c) => !c.allowed).map((c) => t.change[c.kind]))];
      if (kinds.length) add(t.changesAfter(kinds.join(', ')));
    }
    if (s.verdict !== 'valid') add(trustReason);
  }
  if (s.problems.includes('TIMESTAMP_INVALID')) add(t.problem.TIMESTAMP_INVALID);
  return out;
}
