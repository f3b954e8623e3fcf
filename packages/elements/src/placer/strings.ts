// Every string a person reads, in English and Bahasa Indonesia. Strings that take numbers are functions.
import type { Catalogue } from '../internal/localize.js';

export interface PlacerStrings {
  addBox: string;
  zoomIn: string;
  zoomOut: string;
  zoom: string;
  fitWidth: string;
  fitPage: string;
  pageOf: (page: number, count: number) => string;
  loading: (percent: number | null) => string;
  /** A box's accessible name: its kind and number, its signer's name and its label, when it has them. */
  boxName: (index: number, kind: string, signer?: string, label?: string) => string;
  /** Names of box kinds, for the kind list and box names. */
  kinds: Record<'signature' | 'seal' | 'meterai' | 'qr', string>;
  signer: string;
  kind: string;
  /** Why a seal signer gets no box: BSrE's seal request takes no position. */
  sealHasNoBox: (name: string) => string;
  /** The role of a box for assistive technology (`aria-roledescription`), by kind. */
  boxRole: (kind: 'signature' | 'seal' | 'meterai' | 'qr') => string;
  /** The toolbar's accessible name (the pages' region is `pages`). */
  toolbar: string;
  page: string;
  pageInput: (count: number) => string;
  nextBox: string;
  previousBox: string;
  noBoxes: string;
  boxOf: (index: number, count: number, name: string) => string;
  pages: string;
  invalidSigners: string;
  boxPosition: (page: number, x: number, y: number, width: number, height: number) => string;
  boxHelp: string;
  added: (name: string, position: string) => string;
  moved: (name: string, position: string) => string;
  removed: (name: string) => string;
  remove: string;
  inspector: (provider: string) => string;
  tagPreview: (tag: string) => string;
  tagNotFound: (tag: string) => string;
  required: string;
  minBoxes: (n: number) => string;
  maxBoxes: (n: number) => string;
  invalidBoxes: string;
  passwordPrompt: string;
  passwordIncorrect: string;
  password: string;
  open: string;
  errors: Record<
    'invalid-pdf' | 'http-error' | 'network-error' | 'worker-failed' | 'render-failed' | 'invalid-provider' | 'invalid-profile' | 'no-source',
    string
  >;
  httpStatus: (status: number) => string;
}

const en: PlacerStrings = {
  addBox: 'Add signature box',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  zoom: 'Zoom',
  fitWidth: 'Fit width',
  fitPage: 'Fit page',
  pageOf: (p, n) => `Page ${p} of ${n}`,
  loading: (pct) => (pct === null ? 'Loading PDF…' : `Loading PDF… ${pct}%`),
  boxName: (i, kind, signer, label) => `${kind[0]!.toUpperCase()}${kind.slice(1)} box ${i}${signer ? ` of ${signer}` : ''}${label ? `: ${label}` : ''}`,
  kinds: { signature: 'signature', seal: 'seal', meterai: 'e-meterai', qr: 'QR' },
  signer: 'Signer',
  kind: 'Box',
  sealHasNoBox: (name) => `The seal of ${name} has no box: BSrE places a seal itself (its seal request takes no position).`,
  boxRole: (kind) => `${{ signature: 'signature', seal: 'seal', meterai: 'e-meterai', qr: 'QR' }[kind]} box`,
  toolbar: 'Document tools',
  page: 'Page',
  pageInput: (n) => `Page (1 to ${n})`,
  nextBox: 'Next box',
  previousBox: 'Previous box',
  noBoxes: 'No box has been placed yet.',
  boxOf: (i, n, name) => `${name} (${i} of ${n}).`,
  pages: 'Document pages',
  invalidSigners: 'The signing order is not complete:',
  boxPosition: (p, x, y, w, h) => `page ${p}, x ${x} pt, y ${y} pt, ${w} × ${h} pt`,
  boxHelp:
    'Arrow keys move by 1 pt (Shift: 10 pt), Alt+arrows resize, Delete removes. N goes to the next box, Shift+N to the previous one; + and − zoom (Ctrl+wheel or a pinch zooms where you point).',
  added: (name, pos) => `${name} added: ${pos}.`,
  moved: (name, pos) => `${name}: ${pos}.`,
  removed: (name) => `${name} removed.`,
  remove: 'Remove',
  inspector: (provider) => `Position in ${provider} fields`,
  tagPreview: (tag) => `Specimen at tag ${tag}`,
  tagNotFound: (tag) => `The tag "${tag}" does not occur in the document's text.`,
  required: 'Place at least one signature box.',
  minBoxes: (n) => `Place at least ${n} signature boxes.`,
  maxBoxes: (n) => `Place at most ${n} signature box${n === 1 ? '' : 'es'}.`,
  invalidBoxes: 'A signature box is not acceptable to the provider.',
  passwordPrompt: 'This PDF is protected by a password.',
  passwordIncorrect: 'The password is not correct. Try again.',
  password: 'Password',
  open: 'Open',
  errors: {
    'invalid-pdf': 'This file is not a readable PDF (it may be damaged or truncated).',
    'http-error': 'The PDF could not be downloaded.',
    'network-error': 'The PDF could not be downloaded: the network failed.',
    'worker-failed': 'The PDF reader could not start (check worker-src).',
    'render-failed': 'A page could not be drawn.',
    'invalid-provider': 'Unknown provider.',
    'invalid-profile': 'The coordinate profile is not valid:',
    'no-source': 'No PDF given.',
  },
  httpStatus: (s) => `The server answered HTTP ${s}.`,
};

const id: PlacerStrings = {
  addBox: 'Tambah kotak tanda tangan',
  zoomIn: 'Perbesar',
  zoomOut: 'Perkecil',
  zoom: 'Zoom',
  fitWidth: 'Sesuai lebar',
  fitPage: 'Sesuai halaman',
  pageOf: (p, n) => `Halaman ${p} dari ${n}`,
  loading: (pct) => (pct === null ? 'Memuat PDF…' : `Memuat PDF… ${pct}%`),
  boxName: (i, kind, signer, label) => `Kotak ${kind} ${i}${signer ? ` milik ${signer}` : ''}${label ? `: ${label}` : ''}`,
  kinds: { signature: 'tanda tangan', seal: 'segel', meterai: 'e-meterai', qr: 'QR' },
  signer: 'Penanda tangan',
  kind: 'Kotak',
  sealHasNoBox: (name) => `Segel ${name} tidak memakai kotak: BSrE menempatkan segel sendiri (permintaan segelnya tidak menerima posisi).`,
  boxRole: (kind) => `kotak ${{ signature: 'tanda tangan', seal: 'segel', meterai: 'e-meterai', qr: 'QR' }[kind]}`,
  toolbar: 'Alat dokumen',
  page: 'Halaman',
  pageInput: (n) => `Halaman (1 sampai ${n})`,
  nextBox: 'Kotak berikutnya',
  previousBox: 'Kotak sebelumnya',
  noBoxes: 'Belum ada kotak yang ditempatkan.',
  boxOf: (i, n, name) => `${name} (${i} dari ${n}).`,
  pages: 'Halaman dokumen',
  invalidSigners: 'Urutan penandatanganan belum lengkap:',
  boxPosition: (p, x, y, w, h) => `halaman ${p}, x ${x} pt, y ${y} pt, ${w} × ${h} pt`,
  boxHelp:
    'Tombol panah menggeser 1 pt (Shift: 10 pt), Alt+panah mengubah ukuran, Delete menghapus. N menuju kotak berikutnya, Shift+N kotak sebelumnya; + dan − memperbesar atau memperkecil (Ctrl+roda tetikus atau cubitan memperbesar di tempat yang ditunjuk).',
  added: (name, pos) => `${name} ditambahkan: ${pos}.`,
  moved: (name, pos) => `${name}: ${pos}.`,
  removed: (name) => `${name} dihapus.`,
  remove: 'Hapus',
  inspector: (provider) => `Posisi dalam kolom ${provider}`,
  tagPreview: (tag) => `Spesimen pada tag ${tag}`,
  tagNotFound: (tag) => `Tag "${tag}" tidak ditemukan dalam teks dokumen.`,
  required: 'Tempatkan setidaknya satu kotak tanda tangan.',
  minBoxes: (n) => `Tempatkan setidaknya ${n} kotak tanda tangan.`,
  maxBoxes: (n) => `Tempatkan paling banyak ${n} kotak tanda tangan.`,
  invalidBoxes: 'Ada kotak tanda tangan yang tidak diterima penyedia.',
  passwordPrompt: 'PDF ini dilindungi kata sandi.',
  passwordIncorrect: 'Kata sandi salah. Coba lagi.',
  password: 'Kata sandi',
  open: 'Buka',
  errors: {
    'invalid-pdf': 'Berkas ini bukan PDF yang dapat dibaca (mungkin rusak atau terpotong).',
    'http-error': 'PDF tidak dapat diunduh.',
    'network-error': 'PDF tidak dapat diunduh: jaringan gagal.',
    'worker-failed': 'Pembaca PDF tidak dapat dijalankan (periksa worker-src).',
    'render-failed': 'Sebuah halaman tidak dapat digambar.',
    'invalid-provider': 'Penyedia tidak dikenal.',
    'invalid-profile': 'Profil koordinat tidak valid:',
    'no-source': 'Tidak ada PDF.',
  },
  httpStatus: (s) => `Server menjawab HTTP ${s}.`,
};

export const STRINGS = { en, id } satisfies Catalogue<PlacerStrings>;
