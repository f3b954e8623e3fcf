// Every string a person reads in <esign-verify>, in English and Bahasa Indonesia: statuses, the plain-language
// reason for each verdict and finding, and the sentences describing a disagreement with the provider. Pure.
import type { Change, ChangeKind, LongTermValidation, PadesLevel, RevocationSource, SignatureProblem, TrustReason, Verdict } from '@esign-kit/verify';
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
  /** What a change did to its object. */
  action: Record<NonNullable<Change['action']>, string>;
  changesAfter: (kinds: string) => string;
  /** The title of a document timestamp's card. */
  documentTimestamp: (tsa: string) => string;
  /** A PAdES level, and what it means in one sentence. */
  level: (level: PadesLevel) => string;
  levelMeaning: Record<PadesLevel, string>;
  /** Long-term validation: whether the signature stays verifiable once its certificates expire. */
  longTerm: (yes: boolean, missing: string) => string;
  missing: Record<LongTermValidation['missing'][number], string>;
  /** When the chain was checked, and why then. */
  checkedAt: (time: string, source: LongTermValidation['timeSource']) => string;
  /** A certificate's revocation status, and where the answer was found. */
  revocation: Record<'good' | 'revoked' | 'unknown' | 'trust-anchor', string>;
  revocationSource: (via: 'ocsp' | 'crl', source: RevocationSource) => string;
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
    level: string;
    longTerm: string;
    timestamp: string;
    revocation: string;
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
  RANGE_NOT_REVISION_END: 'The signature stops before the end of the version it signs: part of what it claims to sign is not signed.',
  CONTENTS_MISSING: 'The signature value is missing.',
  CMS_UNPARSABLE: 'The signature cannot be read: it is damaged or in an unknown format.',
  CMS_NOT_SIGNED_DATA: 'The signature cannot be read: it is damaged or in an unknown format.',
  CMS_NO_SIGNER: 'The signature names no signer.',
  SIGNER_CERTIFICATE_MISSING: 'The signer’s certificate is not included in the signature.',
  UNSUPPORTED_DIGEST_ALGORITHM: 'The signature uses a hash algorithm this check does not support: it cannot be checked here.',
  ALGORITHM_UNSUPPORTED: 'The signature uses an algorithm this browser cannot check: it is neither confirmed nor refuted.',
  MESSAGE_DIGEST_MISSING: 'The signature does not record what it signed.',
  DIGEST_MISMATCH: 'The document was changed after it was signed.',
  SIGNATURE_INVALID: 'The signature value does not match the signer’s certificate: it was forged or damaged.',
  MODIFIED_AFTER_SIGNING: 'The document was changed after it was signed, in a way the signature does not allow; the signed version itself is intact.',
  NOT_TOTAL_DOCUMENT: 'The signature does not cover the whole file (later additions are listed under changes).',
  TIMESTAMP_INVALID: 'The timestamp attached to the signature is not valid.',
  CHANGES_NOT_CHECKED: 'The changes made after signing are too complex to examine here.',
  SIGNATURE_UNREADABLE: 'The signature cannot be read: it is damaged or in an unknown format.',
  CHAIN_TO_TRUSTED_ROOT: 'The certificate comes from a trusted authority.',
  NO_TRUSTED_ROOTS: 'No trusted root certificates were given, so no certificate can be trusted.',
  ROOT_NOT_TRUSTED: 'The authority that issued the certificate is not in the trusted list.',
  CHAIN_INCOMPLETE: 'The chain from the certificate to a trusted authority is incomplete.',
  CHAIN_SIGNATURE_INVALID: 'A certificate in the chain is not validly signed by its issuer.',
  CHAIN_ALGORITHM_UNSUPPORTED: 'A certificate in the chain uses an algorithm this browser cannot check.',
  CERTIFICATE_EXPIRED: 'A certificate in the chain has expired.',
  CERTIFICATE_REVOKED: 'A certificate in the chain was revoked, according to the revocation data in the document.',
  CERTIFICATE_NOT_YET_VALID: 'A certificate in the chain is not valid yet.',
  KEY_USAGE_NOT_SIGNING: 'The signer’s certificate is not meant for signing documents.',
  NOT_CHECKED: 'The certificate could not be checked.',
};

const problemsId: VerifyStrings['problem'] = {
  SIGNATURE_DICTIONARY_MISSING: 'Data tanda tangan tidak ada di dalam berkas.',
  BYTE_RANGE_INVALID: 'Catatan bagian berkas yang ditandatangani rusak, sehingga tanda tangan tidak dapat diperiksa.',
  BYTE_RANGE_NOT_CONTENTS: 'Tanda tangan tidak mencakup dokumen sebagaimana mestinya tanda tangan PDF.',
  RANGE_NOT_REVISION_END: 'Tanda tangan berhenti sebelum akhir versi yang ditandatanganinya: sebagian yang diklaim ditandatangani tidak tercakup.',
  CONTENTS_MISSING: 'Nilai tanda tangan tidak ada.',
  CMS_UNPARSABLE: 'Tanda tangan tidak dapat dibaca: rusak atau formatnya tidak dikenal.',
  CMS_NOT_SIGNED_DATA: 'Tanda tangan tidak dapat dibaca: rusak atau formatnya tidak dikenal.',
  CMS_NO_SIGNER: 'Tanda tangan tidak menyebut penanda tangan.',
  SIGNER_CERTIFICATE_MISSING: 'Sertifikat penanda tangan tidak disertakan dalam tanda tangan.',
  UNSUPPORTED_DIGEST_ALGORITHM: 'Tanda tangan memakai algoritma hash yang tidak didukung pemeriksaan ini: tidak dapat diperiksa di sini.',
  ALGORITHM_UNSUPPORTED: 'Tanda tangan memakai algoritma yang tidak dapat diperiksa peramban ini: tidak dapat dipastikan sah atau tidak.',
  MESSAGE_DIGEST_MISSING: 'Tanda tangan tidak mencatat apa yang ditandatangani.',
  DIGEST_MISMATCH: 'Dokumen diubah setelah ditandatangani.',
  SIGNATURE_INVALID: 'Nilai tanda tangan tidak cocok dengan sertifikat penanda tangan: dipalsukan atau rusak.',
  MODIFIED_AFTER_SIGNING: 'Dokumen diubah setelah ditandatangani dengan cara yang tidak diizinkan tanda tangan; versi yang ditandatangani masih utuh.',
  NOT_TOTAL_DOCUMENT: 'Tanda tangan tidak mencakup seluruh berkas (tambahan sesudahnya tercantum di bagian perubahan).',
  TIMESTAMP_INVALID: 'Stempel waktu pada tanda tangan tidak sah.',
  CHANGES_NOT_CHECKED: 'Perubahan setelah penandatanganan terlalu rumit untuk diperiksa di sini.',
  SIGNATURE_UNREADABLE: 'Tanda tangan tidak dapat dibaca: rusak atau formatnya tidak dikenal.',
  CHAIN_TO_TRUSTED_ROOT: 'Sertifikat berasal dari penyelenggara tepercaya.',
  NO_TRUSTED_ROOTS: 'Tidak ada sertifikat akar tepercaya yang diberikan, sehingga tidak ada sertifikat yang dapat dipercaya.',
  ROOT_NOT_TRUSTED: 'Penerbit sertifikat tidak ada dalam daftar tepercaya.',
  CHAIN_INCOMPLETE: 'Rantai dari sertifikat ke penyelenggara tepercaya tidak lengkap.',
  CHAIN_SIGNATURE_INVALID: 'Ada sertifikat dalam rantai yang tidak ditandatangani dengan sah oleh penerbitnya.',
  CHAIN_ALGORITHM_UNSUPPORTED: 'Ada sertifikat dalam rantai yang memakai algoritma yang tidak dapat diperiksa peramban ini.',
  CERTIFICATE_EXPIRED: 'Ada sertifikat dalam rantai yang sudah kedaluwarsa.',
  CERTIFICATE_REVOKED: 'Ada sertifikat dalam rantai yang telah dicabut, menurut data pencabutan di dalam dokumen.',
  CERTIFICATE_NOT_YET_VALID: 'Ada sertifikat dalam rantai yang belum berlaku.',
  KEY_USAGE_NOT_SIGNING: 'Sertifikat penanda tangan tidak ditujukan untuk menandatangani dokumen.',
  NOT_CHECKED: 'Sertifikat tidak dapat diperiksa.',
};

const en: VerifyStrings = {
  badge: { valid: 'Valid', 'valid-untrusted': 'Valid but untrusted', 'modified-after-signing': 'Modified after signing', invalid: 'Invalid', unknown: 'Cannot be checked', 'no-signature': 'No signature' },
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
    unknown: 'This signature cannot be checked here: nothing is claimed about it, either way.',
  },
  headline: (c, n) => {
    const all = n === 1 ? 'The signature' : `All ${n} signatures`;
    switch (c) {
      case 'valid': return n === 1 ? 'The signature is valid.' : `${all} are valid.`;
      case 'valid-untrusted': return n === 1 ? 'The signature is intact, but its certificate is not from a trusted authority.' : 'The signatures are intact, but not every certificate is from a trusted authority.';
      case 'modified-after-signing': return 'The document was changed after it was signed; the signed version is intact.';
      case 'invalid': return n === 1 ? 'The signature is not valid.' : 'At least one signature is not valid.';
      case 'unknown': return n === 1 ? 'The signature cannot be checked here.' : 'At least one signature cannot be checked here.';
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
    'document-timestamp': 'a document timestamp',
    dss: 'long-term validation data (certificates, revocation data)',
  },
  action: { added: 'added', changed: 'changed', removed: 'removed' },
  changesAfter: (kinds) => `Added, changed or removed after signing: ${kinds}.`,
  documentTimestamp: (tsa) => `Document timestamp by ${tsa}`,
  level: (level) => `PAdES ${level}`,
  levelMeaning: {
    'B-B': 'a basic signature: no timestamp proves when it was made',
    'B-T': 'a timestamp proves when it was made',
    'B-LT': 'timestamped, and the document holds the certificates and revocation data to check it later',
    'B-LTA': 'timestamped, with validation data, and a document timestamp protects them for the long term',
  },
  longTerm: (yes, missing) => (yes ? 'Stays verifiable after its certificates expire.' : `Will not stay verifiable once its certificates expire (${missing}).`),
  missing: { timestamp: 'no timestamp', chain: 'incomplete certificate chain', 'revocation-data': 'revocation data missing' },
  checkedAt: (time, source) =>
    source === 'now' ? `Certificates checked now (${time}).`
    : source === 'option' ? `Certificates checked at ${time}, as requested.`
    : `Certificates checked at ${time}, the time a ${source === 'signature-timestamp' ? 'signature' : 'document'} timestamp proves.`,
  revocation: { good: 'not revoked', revoked: 'revoked', unknown: 'revocation status unknown', 'trust-anchor': 'root' },
  revocationSource: (via, source) => `${via === 'ocsp' ? 'OCSP response' : 'CRL'} ${source === 'dss' ? 'in the document security store' : source === 'adobe-archival' ? 'archived in the signature' : 'in the signature'}`,
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
    'too-complex': 'This PDF is too complex to check here (it may have been made to exhaust the checker).',
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
    level: 'Level',
    longTerm: 'Long-term validation',
    timestamp: 'Timestamp',
    revocation: 'Revocation',
  },
  statedBySigner: 'as stated by the signer',
  timestampFrom: (tsa) => `timestamp from ${tsa}`,
  validity: (from, to) => `${from} to ${to}`,
  coversWholeFile: (yes) => (yes ? 'the whole file' : 'not the whole file'),
  allowed: (yes) => (yes ? 'allowed' : 'not allowed'),
};

const id: VerifyStrings = {
  badge: { valid: 'Sah', 'valid-untrusted': 'Sah, tetapi tidak tepercaya', 'modified-after-signing': 'Diubah setelah ditandatangani', invalid: 'Tidak sah', unknown: 'Tidak dapat diperiksa', 'no-signature': 'Tidak ada tanda tangan' },
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
    unknown: 'Tanda tangan ini tidak dapat diperiksa di sini: tidak ada klaim sah atau tidak sah.',
  },
  headline: (c, n) => {
    switch (c) {
      case 'valid': return n === 1 ? 'Tanda tangan sah.' : `Semua ${n} tanda tangan sah.`;
      case 'valid-untrusted': return n === 1 ? 'Tanda tangan utuh, tetapi sertifikatnya tidak berasal dari penyelenggara tepercaya.' : 'Tanda tangan utuh, tetapi tidak semua sertifikat berasal dari penyelenggara tepercaya.';
      case 'modified-after-signing': return 'Dokumen diubah setelah ditandatangani; versi yang ditandatangani masih utuh.';
      case 'invalid': return n === 1 ? 'Tanda tangan tidak sah.' : 'Setidaknya satu tanda tangan tidak sah.';
      case 'unknown': return n === 1 ? 'Tanda tangan tidak dapat diperiksa di sini.' : 'Setidaknya satu tanda tangan tidak dapat diperiksa di sini.';
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
    'document-timestamp': 'stempel waktu dokumen',
    dss: 'data validasi jangka panjang (sertifikat, data pencabutan)',
  },
  action: { added: 'ditambahkan', changed: 'diubah', removed: 'dihapus' },
  changesAfter: (kinds) => `Ditambahkan, diubah, atau dihapus setelah ditandatangani: ${kinds}.`,
  documentTimestamp: (tsa) => `Stempel waktu dokumen dari ${tsa}`,
  level: (level) => `PAdES ${level}`,
  levelMeaning: {
    'B-B': 'tanda tangan dasar: tidak ada stempel waktu yang membuktikan kapan dibuat',
    'B-T': 'stempel waktu membuktikan kapan tanda tangan dibuat',
    'B-LT': 'berstempel waktu, dan dokumen memuat sertifikat serta data pencabutan untuk memeriksanya kelak',
    'B-LTA': 'berstempel waktu, dengan data validasi, dan stempel waktu dokumen melindunginya untuk jangka panjang',
  },
  longTerm: (yes, missing) => (yes ? 'Tetap dapat diverifikasi setelah sertifikatnya kedaluwarsa.' : `Tidak akan dapat diverifikasi lagi setelah sertifikatnya kedaluwarsa (${missing}).`),
  missing: { timestamp: 'tanpa stempel waktu', chain: 'rantai sertifikat tidak lengkap', 'revocation-data': 'data pencabutan tidak ada' },
  checkedAt: (time, source) =>
    source === 'now' ? `Sertifikat diperiksa sekarang (${time}).`
    : source === 'option' ? `Sertifikat diperiksa pada ${time}, sesuai permintaan.`
    : `Sertifikat diperiksa pada ${time}, waktu yang dibuktikan stempel waktu ${source === 'signature-timestamp' ? 'tanda tangan' : 'dokumen'}.`,
  revocation: { good: 'tidak dicabut', revoked: 'dicabut', unknown: 'status pencabutan tidak diketahui', 'trust-anchor': 'akar' },
  revocationSource: (via, source) => `${via === 'ocsp' ? 'respons OCSP' : 'CRL'} ${source === 'dss' ? 'di penyimpanan keamanan dokumen' : source === 'adobe-archival' ? 'yang diarsipkan dalam tanda tangan' : 'di dalam tanda tangan'}`,
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
    'too-complex': 'PDF ini terlalu rumit untuk diperiksa di sini (mungkin sengaja dibuat untuk melumpuhkan pemeriksa).',
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
    level: 'Tingkat',
    longTerm: 'Validasi jangka panjang',
    timestamp: 'Stempel waktu',
    revocation: 'Pencabutan',
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
  const cannotCheck: (SignatureProblem | TrustReason)[] = ['ALGORITHM_UNSUPPORTED', 'UNSUPPORTED_DIGEST_ALGORITHM', 'CHANGES_NOT_CHECKED', 'CHAIN_ALGORITHM_UNSUPPORTED'];
  if (s.verdict === 'invalid') {
    for (const p of integrity) add(t.problem[p]);
    // An untrusted chain matters little beside a broken signature; an invalid one (expired…) is a reason itself.
    if (s.trust.status === 'invalid' || !out.length) add(trustReason);
    if (!out.length) add(t.verdictReason.invalid);
  } else if (s.verdict === 'unknown') {
    add(t.verdictReason.unknown);
    for (const p of s.problems) if (cannotCheck.includes(p)) add(t.problem[p]);
    if (s.trust.status === 'unknown') add(trustReason);
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
