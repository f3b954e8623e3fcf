// Step 4, onboarding: before someone can sign, each provider must know them. BSrE: look up a NIK's
// certificate status, register an e-mail (Esign Client v2). Peruri: register with KTP data and photo, then
// activate (e-KYC and specimen) in Peruri's activation web view. Digisign: register with KTP photo and
// selfie, then activate in Digisign's web view. New people get random NIKs, phones and e-mails so that the
// sandbox, which remembers who registered, accepts them every time.
import '@esign-kit/elements';
import type { EsignWebview } from '@esign-kit/elements';
import { drawnImage } from './drawn-image.js';
import { actAlsoAs, api, token } from './api.js';

const form = document.querySelector<HTMLFormElement>('#onboarding')!;
const status = document.querySelector<HTMLElement>('#onboarding-status')!;
const slot = document.querySelector<HTMLElement>('#onboarding-webview')!;
const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
const field = (name: string) => input(name).value.trim();
const say = (text: string) => (status.textContent = text);

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
/** A NIK-shaped number: a Jakarta region code, a birth date, a serial (never the sandbox's failure triggers). */
const newNik = () => `317101${digits(6)}${digits(3)}1`;

/** A stand-in KTP photo or selfie: a drawn card, as JPEG (selfies must be JPEG ≤ 500 KB) or PNG. */
const photo = (label: string, type: 'image/jpeg' | 'image/png') =>
  drawnImage(
    480,
    300,
    '#cfe3f7',
    [
      { text: label, font: 'bold 28px sans-serif', x: 24, y: 60 },
      { text: 'SANDBOX - bukan dokumen asli', font: '18px sans-serif', x: 24, y: 270 },
    ],
    type,
  );

async function activate(provider: 'peruri' | 'digisign', email: string) {
  const bearer = await token();
  const view = document.createElement('esign-webview') as EsignWebview;
  view.setAttribute('provider', provider);
  view.setAttribute('flow', 'activation');
  view.setAttribute('email', email);
  view.setAttribute('server', '/');
  view.lang = document.documentElement.lang === 'id' ? 'id' : 'en';
  view.token = bearer;
  view.addEventListener('esign-complete', () => say(`${email} is activated at ${provider === 'peruri' ? 'Peruri' : 'Digisign'} and can sign.`));
  view.addEventListener('esign-error', (e) => say(`${e.detail.code}: ${e.detail.message}`));
  slot.replaceChildren(view);
  say(`Activation for ${email}: follow the provider's page below (codes are in the sandbox inbox).`);
}

const actions: Record<string, () => Promise<void>> = {
  async 'bsre-status'() {
    // The person looks up the NIK they typed: in a real portal, only their own (the token names it).
    actAlsoAs({ nik: field('bsreNik') });
    const out = await api('BSrE: user status', 'POST', '/api/bsre/users/status', { nik: field('bsreNik') });
    say(`BSrE status of ${field('bsreNik')}: ${out.status}${out.canSign ? ' (can sign)' : ' (cannot sign)'}${out.message ? ` — ${out.message}` : ''}`);
  },
  async 'bsre-register'() {
    const email = `pegawai-${digits(6)}@instansi.sandbox.test`;
    actAlsoAs({ email });
    const out = await api('BSrE: register', 'POST', '/api/bsre/users', { name: 'Pegawai Baru', email });
    say(`BSrE registered ${email}${out.message ? `: ${out.message}` : ''}. BSrE continues the verification with the person.`);
  },
  async 'peruri-register'() {
    const email = `warga-${digits(6)}@peruri.sandbox.test`;
    const body = new FormData();
    const fields = {
      name: 'Warga Baru',
      phone: `0813${digits(8)}`,
      email,
      nik: newNik(),
      address: 'Jl. Merdeka 1',
      city: 'Jakarta Pusat',
      province: 'DKI Jakarta',
      gender: 'F',
      placeOfBirth: 'Bandung',
      dateOfBirth: '1990-05-17',
    };
    actAlsoAs(fields);
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    body.append('ktpPhoto', await photo('KTP Warga Baru', 'image/png'), 'ktp.png');
    await api('Peruri: register', 'POST', '/api/peruri/users', body);
    input('peruriActivate').value = email;
    await activate('peruri', email);
  },
  async 'peruri-activate'() {
    actAlsoAs({ email: field('peruriActivate') });
    await activate('peruri', field('peruriActivate'));
  },
  async 'digisign-register'() {
    const email = `warga-${digits(6)}@digisign.sandbox.test`;
    const body = new FormData();
    const fields = { name: 'Warga Baru', phone: `0814${digits(8)}`, birthDate: '1991-08-17', nik: newNik(), placeOfBirth: 'Surabaya', email, gender: 'female' };
    actAlsoAs(fields);
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    body.append('ktpPhoto', await photo('KTP Warga Baru', 'image/jpeg'), 'ktp.jpg');
    body.append('selfie', await photo('Swafoto', 'image/jpeg'), 'selfie.jpg');
    await api('Digisign: register', 'POST', '/api/digisign/users', body);
    input('digisignActivate').value = email;
    await activate('digisign', email);
  },
  async 'digisign-activate'() {
    actAlsoAs({ email: field('digisignActivate') });
    await activate('digisign', field('digisignActivate'));
  },
};

form.addEventListener('click', (event) => {
  const action = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset.action;
  const run = action ? actions[action] : undefined;
  if (!run) return;
  event.preventDefault();
  slot.replaceChildren();
  say('Sending…');
  run().catch((error: Error) => say(error.message));
});
form.addEventListener('submit', (event) => event.preventDefault());
