// Every string a person reads in <esign-webview>, in English and Bahasa Indonesia.
import type { Catalogue } from '../internal/localize.js';

export interface WebviewStrings {
  title: (provider: string, flow: 'activation' | 'sign') => string;
  loading: string;
  confirming: string;
  done: (flow: 'activation' | 'sign') => string;
  cancelled: string;
  timedOut: string;
  retry: string;
  cancel: string;
  errors: Record<string, string>;
}

const en: WebviewStrings = {
  title: (p, f) => `${p} ${f === 'sign' ? 'signing' : 'activation'}`,
  loading: 'Opening the provider’s page…',
  confirming: 'Checking the result with the server…',
  done: (f) => (f === 'sign' ? 'The document is signed.' : 'The certificate is activated.'),
  cancelled: 'Cancelled.',
  timedOut: 'The page was open too long without finishing.',
  retry: 'Try again',
  cancel: 'Cancel',
  errors: {
    'invalid-attributes': 'The element is missing a required attribute.',
    'network-error': 'The server could not be reached.',
    'http-error': 'The server refused the request.',
    'provider-not-configured': 'This provider is not configured on the server.',
    'origin-mismatch': 'The server gave a web view on an origin it does not announce.',
    'provider-error': 'The provider reported a problem.',
    'not-confirmed': 'The provider said it finished, but the server could not confirm it.',
  },
};

const id: WebviewStrings = {
  title: (p, f) => `${f === 'sign' ? 'Tanda tangan' : 'Aktivasi'} ${p}`,
  loading: 'Membuka halaman penyedia…',
  confirming: 'Memeriksa hasil dengan server…',
  done: (f) => (f === 'sign' ? 'Dokumen sudah ditandatangani.' : 'Sertifikat sudah diaktivasi.'),
  cancelled: 'Dibatalkan.',
  timedOut: 'Halaman terbuka terlalu lama tanpa selesai.',
  retry: 'Coba lagi',
  cancel: 'Batal',
  errors: {
    'invalid-attributes': 'Atribut yang diperlukan elemen ini belum diisi.',
    'network-error': 'Server tidak dapat dihubungi.',
    'http-error': 'Server menolak permintaan.',
    'provider-not-configured': 'Penyedia ini belum dikonfigurasi di server.',
    'origin-mismatch': 'Server memberikan halaman dari origin yang tidak diumumkannya.',
    'provider-error': 'Penyedia melaporkan masalah.',
    'not-confirmed': 'Penyedia menyatakan selesai, tetapi server tidak dapat memastikannya.',
  },
};

export const WEBVIEW_STRINGS = { en, id } satisfies Catalogue<WebviewStrings>;
