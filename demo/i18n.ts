// The demo page in English or Indonesian: every [data-i18n] text, the page's lang, and the elements' lang
// (the elements carry their own translations). English is written in the HTML; Indonesian is here.
const ID: Record<string, string> = {
  tagline:
    'Tanda tangan elektronik Indonesia untuk portal apa pun: letakkan kotak tanda tangan pada PDF, tanda tangani dengan BSrE, Peruri atau Digisign, lalu periksa PDF yang sudah ditandatangani, semuanya di sandbox bawaan.',
  language: 'Bahasa',
  'nav.place': '1 · Dokumen dan kotak',
  'nav.sign': '2 · Tanda tangan',
  'nav.verify': '3 · Verifikasi',
  'nav.onboarding': '4 · Pendaftaran',
  'nav.converter': 'Konverter koordinat',
  'place.title': '1 · Pilih PDF dan letakkan kotak tanda tangan',
  'place.file': 'PDF',
  'place.sample': 'Contoh',
  'place.provider': 'Penyelenggara',
  'place.tag': 'Tag BSrE',
  'place.lang': 'Bahasa elemen',
  'place.hint':
    'Gambar kotak dengan tetikus, atau pakai “Tambah kotak tanda tangan”; geser, ubah ukuran, atau pakai tombol panah. Ganti penyelenggara untuk melihat kotak yang sama dalam kolom miliknya. Dengan Peruri berjenjang atau Digisign (langkah 2) bilah alat elemen menampilkan para penanda tangan: pilih satu, lalu gambar kotaknya. N menuju kotak berikutnya; Ctrl+roda tetikus atau cubitan memperbesar di tempat yang ditunjuk.',
  'place.value': 'Nilai untuk penyelenggara (yang diterima API-nya)',
  'place.neutral': 'Kotak netral (ruang pengguna PDF)',
  'sign.title': '2 · Tanda tangan di sandbox',
  'sign.hint':
    'PDF dan kotak di atas dikirim ke penyelenggara yang dipilih pada langkah 1 melalui server pendamping. Kode yang "dikirim" lewat e-mail atau SMS ada di kotak masuk sandbox (tombol-tombolnya mengambilkannya). Passphrase dan kata sandi semua pengguna demo: Sandbox#2024.',
  'sign.inbox': 'Buka kotak masuk sandbox',
  'sign.appearance': 'Tampilan',
  'sign.passphrase': 'Passphrase',
  'sign.sendTotp': 'Kirim TOTP (dari kotak masuk)',
  'sign.seal': 'Segel elektronik instansi',
  'sign.sealActivation': 'TOTP aktivasi',
  'sign.sealOtp': 'OTP segel',
  'sign.sealButton': 'Segel PDF ini',
  'sign.peruriSingle': 'Satu penanda tangan, di halaman Peruri',
  'sign.peruriTier': 'Berjenjang: dua penanda tangan bergantian (satu kotak masing-masing)',
  'sign.peruriBulk': 'Massal: dua PDF, satu OTP',
  'sign.signer': 'Penanda tangan',
  'sign.second': 'Penanda tangan kedua (berjenjang)',
  'sign.secondOptional': 'Penanda tangan kedua (opsional)',
  'sign.meterai': 'e-meterai di kotak setelah kotak penanda tangan',
  'sign.button': 'Tanda tangani',
  'verify.title': '3 · Periksa PDF yang ditandatangani',
  'verify.hint':
    'Dokumen yang ditandatangani pada langkah 2 otomatis muncul di sini; letakkan PDF lain untuk memeriksanya. Peramban memeriksa tanda tangan secara lokal seketika; layanan verifikasi BSrE menjawab melalui server pendamping.',
  'onboarding.title': '4 · Pendaftaran: sebelum seseorang bisa menandatangani',
  'onboarding.status': 'Periksa status sertifikat',
  'onboarding.bsreRegister': 'Daftarkan e-mail baru',
  'onboarding.register': 'Daftarkan orang baru, lalu aktivasi',
  'onboarding.activateWho': 'Aktivasi',
  'onboarding.activate': 'Buka halaman aktivasi',
  'inspector.title': 'Yang dikirim ke penyelenggara',
  'inspector.hint':
    'Panggilan setiap langkah ke server pendamping, dan setiap permintaan yang dikirim server pendamping ke penyelenggara, dengan kredensial, kode, dan dokumen disamarkan.',
  'inspector.clear': 'Bersihkan',
};

const english = new Map<Element, string>();

export function setLanguage(lang: 'en' | 'id') {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    if (!english.has(node)) english.set(node, node.textContent ?? '');
    const translated = lang === 'id' ? ID[node.dataset.i18n!] : english.get(node);
    node.textContent = translated ?? english.get(node)!;
    // Which language the label really shows, so that a test can find one left untranslated.
    node.dataset.i18nShown = translated === undefined ? 'en' : lang;
  }
  for (const element of document.querySelectorAll<HTMLElement & { requestUpdate?: () => void }>('esign-placer, esign-webview, esign-verify')) {
    element.lang = lang;
    // `lang` is the global attribute, not a reactive property: ask Lit elements to render again.
    element.requestUpdate?.();
  }
  const placerLang = document.querySelector<HTMLSelectElement>('#placer-controls [name=lang]');
  if (placerLang) placerLang.value = lang;
  const pageLang = document.querySelector<HTMLSelectElement>('#page-lang');
  if (pageLang) pageLang.value = lang;
}

const select = document.querySelector<HTMLSelectElement>('#page-lang');
select?.addEventListener('change', () => setLanguage(select.value === 'id' ? 'id' : 'en'));
// ?lang=id opens the demo in Indonesian (the screenshot tests use it).
if (new URLSearchParams(location.search).get('lang') === 'id') setLanguage('id');
