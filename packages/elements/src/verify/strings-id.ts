// <esign-verify> in Bahasa Indonesia: statuses, the plain-language reason for each verdict and finding, and the
// sentences describing a disagreement with the provider. Pure data (and the functions that word a number or a finding).
import type { VerifyStrings } from './strings-types.js';

const problems: VerifyStrings['problem'] = {
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

export const id: VerifyStrings = {
  badge: {
    valid: 'Sah',
    'valid-untrusted': 'Sah, tetapi tidak tepercaya',
    'modified-after-signing': 'Diubah setelah ditandatangani',
    invalid: 'Tidak sah',
    unknown: 'Tidak dapat diperiksa',
    'no-signature': 'Tidak ada tanda tangan',
  },
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
    'modified-after-signing': problems.MODIFIED_AFTER_SIGNING,
    invalid: 'Tanda tangan tidak sah.',
    unknown: 'Tanda tangan ini tidak dapat diperiksa di sini: tidak ada klaim sah atau tidak sah.',
  },
  headline: (c, n) => {
    switch (c) {
      case 'valid':
        return n === 1 ? 'Tanda tangan sah.' : `Semua ${n} tanda tangan sah.`;
      case 'valid-untrusted':
        return n === 1
          ? 'Tanda tangan utuh, tetapi sertifikatnya tidak berasal dari penyelenggara tepercaya.'
          : 'Tanda tangan utuh, tetapi tidak semua sertifikat berasal dari penyelenggara tepercaya.';
      case 'modified-after-signing':
        return 'Dokumen diubah setelah ditandatangani; versi yang ditandatangani masih utuh.';
      case 'invalid':
        return n === 1 ? 'Tanda tangan tidak sah.' : 'Setidaknya satu tanda tangan tidak sah.';
      case 'unknown':
        return n === 1 ? 'Tanda tangan tidak dapat diperiksa di sini.' : 'Setidaknya satu tanda tangan tidak dapat diperiksa di sini.';
      case 'no-signature':
        return 'PDF ini tidak ditandatangani.';
    }
  },
  problem: problems,
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
  longTerm: (yes, missing) =>
    yes ? 'Tetap dapat diverifikasi setelah sertifikatnya kedaluwarsa.' : `Tidak akan dapat diverifikasi lagi setelah sertifikatnya kedaluwarsa (${missing}).`,
  missing: { timestamp: 'tanpa stempel waktu', chain: 'rantai sertifikat tidak lengkap', 'revocation-data': 'data pencabutan tidak ada' },
  checkedAt: (time, source) =>
    source === 'now'
      ? `Sertifikat diperiksa sekarang (${time}).`
      : source === 'option'
        ? `Sertifikat diperiksa pada ${time}, sesuai permintaan.`
        : `Sertifikat diperiksa pada ${time}, waktu yang dibuktikan stempel waktu ${source === 'signature-timestamp' ? 'tanda tangan' : 'dokumen'}.`,
  revocation: { good: 'tidak dicabut', revoked: 'dicabut', unknown: 'status pencabutan tidak diketahui', 'trust-anchor': 'akar' },
  revocationSource: (via, source) =>
    `${via === 'ocsp' ? 'respons OCSP' : 'CRL'} ${source === 'dss' ? 'di penyimpanan keamanan dokumen' : source === 'adobe-archival' ? 'yang diarsipkan dalam tanda tangan' : 'di dalam tanda tangan'}`,
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
      case 'signer':
        return `${id.signatureName(d.index, d.field)}: ${p} menyebut penanda tangan “${d.provider}”, pemeriksaan lokal “${d.local}”.`;
      case 'conclusion':
        return `Menurut ${p} dokumen ${id.word[d.provider]}, menurut pemeriksaan lokal ${id.word[d.local]}.`;
      case 'count':
        return `${p} menghitung ${d.provider} tanda tangan, pemeriksaan lokal ${d.local}.`;
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
    source === 'none'
      ? 'Akar tepercaya: tidak ada, sehingga tidak ada sertifikat yang dapat dipercaya.'
      : `Akar tepercaya: ${n} (${source === 'server' ? 'dari server' : 'dari halaman'}).`,
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
