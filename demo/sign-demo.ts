// Step 2, signing: the PDF and boxes of the placer go to the chosen provider's sandbox through the companion
// server's API, one flow per provider and mode — BSrE (passphrase or TOTP; specimen or invisible; the
// organisation's seal), Peruri (one signer in its web view; tier: signers in turn; bulk: several PDFs, one
// OTP), Digisign (one or two signers in its web view; an e-meterai box). Peruri tier and Digisign give the
// placer their signing order: its toolbar lists the signers, and its value is per signer. Codes "sent" by e-mail or SMS are
// read from the sandbox inbox by the "from the inbox" buttons; a real signer reads their phone.
import '@esign-kit/elements';
import type { EsignPlacer, EsignWebview, Signer, SignerValue } from '@esign-kit/elements';
import { drawnImage } from './drawn-image.js';
import { api, documentBytes, inboxCode, token } from './api.js';

export interface SignedDocument {
  id: string;
  fileName: string;
  sha256: string;
}

const placer = document.querySelector<EsignPlacer>('#placer')!;
const form = document.querySelector<HTMLFormElement>('#sign-controls')!;
const status = document.querySelector<HTMLElement>('#sign-status')!;
const slot = document.querySelector<HTMLElement>('#webview-slot')!;
const result = document.querySelector<HTMLElement>('#sign-result')!;
const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
const field = (name: string) => input(name).value.trim();
const checked = (name: string) => form.querySelector<HTMLInputElement>(`[name="${name}"]:checked`)?.value ?? '';
const family = () => (placer.provider.startsWith('bsre') ? 'bsre' : placer.provider);
const say = (text: string) => (status.textContent = text);

/** The boxes as the companion API takes them: neutral PDF user-space rectangles (it converts per provider). */
const boxes = () => placer.boxes.map(({ page, x, y, width, height }) => ({ page, x, y, width, height }));

/** The sandbox's seeded signers (README: the sandbox users), named in the placer's signing order. */
const NAMES: Record<string, string> = {
  'siti@peruri.sandbox.test': 'Siti Rahayu',
  'rina@peruri.sandbox.test': 'Rina Marlina',
  'dewi@digisign.sandbox.test': 'Dewi Anggraini',
  'eko@digisign.sandbox.test': 'Eko Saputra',
};

/** The signing order of the chosen flow: Peruri tier and Digisign have one; the other flows have one anonymous signer. */
function signingOrder(): Signer[] {
  const named = (email: string): Signer => ({ id: email, name: NAMES[email] ?? email });
  if (family() === 'peruri' && checked('peruriMode') === 'tier') return [field('peruriEmail'), field('peruriSecond')].filter(Boolean).map(named);
  if (family() === 'digisign') return [field('digisignEmail'), field('digisignSecond')].filter(Boolean).map(named);
  return [];
}

/**
 * Gives the placer the flow's signing order (its toolbar then lists the signers, and `value` is per signer).
 * Boxes placed before the order was known, or for someone no longer in it, go to the signers who have no box
 * yet, in the order they were placed; with e-meterai ticked, one more becomes the e-meterai box (the demo's
 * choice: the element itself would call them boxes of nobody and ask whose they are).
 */
function syncSigners() {
  const signers = signingOrder();
  if (JSON.stringify(signers) !== JSON.stringify(placer.signers)) placer.signers = signers;
  if (!signers.length) return;
  const ids = new Set(signers.map((s) => s.id));
  const placed = placer.boxes;
  const waiting = signers.filter((s) => !placed.some((b) => b.signer === s.id && b.kind !== 'meterai'));
  let changed = false;
  for (const box of placed) {
    if (box.kind === 'meterai' || (box.signer && ids.has(box.signer))) continue;
    const next = waiting.shift();
    if (next) Object.assign(box, { signer: next.id, kind: 'signature' });
    else if (family() === 'digisign' && input('meterai').checked && !placed.some((b) => b.kind === 'meterai')) {
      box.kind = 'meterai';
      delete box.signer;
    } else continue;
    changed = true;
  }
  if (changed) placer.boxes = placed;
  document.dispatchEvent(new CustomEvent('demo-placer-changed'));
}

/** The placer's per-signer value, once it is complete (else its message, which names the signer). */
async function signerValue(): Promise<SignerValue[]> {
  syncSigners();
  await placer.updateComplete;
  if (!placer.checkValidity()) throw new Error(placer.validationMessage);
  return placer.value as SignerValue[];
}

async function pdf(): Promise<Blob> {
  if (placer.data instanceof Blob) return placer.data;
  if (placer.data) return new Blob([placer.data as BlobPart], { type: 'application/pdf' });
  return (await fetch(placer.src)).blob();
}

/** A specimen for BSrE's visible signature: the signer's name, drawn. */
const specimen = (name: string) =>
  drawnImage(600, 240, '#fff', [
    { text: name, font: 'italic 64px serif', x: 30, y: 130 },
    { text: 'ditandatangani secara elektronik', font: '24px sans-serif', x: 30, y: 190 },
  ]);

/** Offers the stored, signed PDF for download and hands it to step 3 (verify). */
async function signed(documents: SignedDocument[]) {
  const links: (Node | string)[] = ['Signed and stored: '];
  for (const [i, d] of documents.entries()) {
    const bytes = await documentBytes(d.id);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/pdf' }));
    link.download = d.fileName;
    link.textContent = documents.length > 1 ? `Download ${d.fileName}` : 'Download the signed PDF';
    links.push(...(i ? [' · '] : []), link);
    if (i === 0) document.dispatchEvent(new CustomEvent('demo-signed', { detail: { bytes, fileName: d.fileName } }));
  }
  links.push(` (SHA-256 ${documents[0]!.sha256.slice(0, 16)}…). Check it in step 3.`);
  result.replaceChildren(...links);
}

/** Opens a provider's page in <esign-webview> and resolves with the server-confirmed result. */
async function webview(attributes: Record<string, string>): Promise<Record<string, unknown>> {
  const bearer = await token();
  return new Promise((resolve, reject) => {
    const view = document.createElement('esign-webview') as EsignWebview;
    for (const [k, v] of Object.entries(attributes)) view.setAttribute(k, v);
    view.setAttribute('server', '/');
    view.token = bearer;
    view.lang = placer.lang;
    view.addEventListener('esign-complete', (e) => resolve(e.detail.result));
    view.addEventListener('esign-error', (e) => reject(new Error(`${e.detail.code}: ${e.detail.message}`)));
    view.addEventListener('esign-cancel', () => reject(new Error('Cancelled.')));
    slot.replaceChildren(view);
  });
}

async function fromInbox(provider: string, to: string | undefined, since: number, target: string) {
  say('Waiting for the code in the sandbox inbox…');
  const code = await inboxCode(provider, to, since);
  if (!code) throw new Error('No code arrived in the sandbox inbox.');
  input(target).value = code;
  return code;
}

// ---- BSrE ----

async function signBsre() {
  const body = new FormData();
  body.append('file', await pdf(), 'document.pdf');
  body.append('nik', field('nik'));
  if (checked('bsreCredential') === 'totp') body.append('totp', field('bsreTotp'));
  else body.append('passphrase', field('passphrase'));
  if (placer.provider === 'bsre-cloud') body.append('service', 'cloud');
  const appearance = field('bsreAppearance');
  const [box] = boxes();
  if (appearance === 'tag') {
    // tag_koordinat: BSrE finds the marker in the text; the first box, if any, gives the stamp's size.
    body.append('tag', '#');
    body.append('tagSize', JSON.stringify({ width: box?.width ?? 150, height: box?.height ?? 70 }));
    body.append('image', await specimen('Budi Santoso'), 'specimen.png');
  } else if (appearance === 'image' || appearance === 'qr') {
    if (!box) throw new Error('Place a signature box first (or choose an invisible signature).');
    body.append('appearance', appearance);
    body.append('box', JSON.stringify(box));
    if (appearance === 'image') body.append('image', await specimen('Budi Santoso'), 'specimen.png');
    else body.append('linkQR', `${location.origin}/verify/${crypto.randomUUID()}`);
  } else body.append('appearance', 'invisible');
  body.append('reason', 'Persetujuan dokumen');
  body.append('location', 'Jakarta');
  const out = await api('Sign with BSrE', 'POST', '/api/bsre/signatures', body);
  say(`BSrE (${out.api}) signed.`);
  await signed([out.document]);
}

async function requestBsreTotp() {
  const since = Date.now();
  await api('BSrE: send the signing TOTP', 'POST', '/api/bsre/totp', { nik: field('nik') });
  await fromInbox('bsre', undefined, since, 'bsreTotp');
  say('TOTP filled in from the sandbox inbox: press Sign.');
}

async function sealBsre() {
  const idSubscriber = field('sealSubscriber');
  const since = Date.now();
  await api('BSrE seal: request the activation TOTP', 'POST', '/api/bsre/seals/activation', { idSubscriber });
  const activationTotp = await fromInbox('bsre', 'segel@pemkot.sandbox.test', since, 'sealActivation');
  const otpSince = Date.now();
  const otp = await api('BSrE seal: request the seal OTP', 'POST', '/api/bsre/seals/totp', { idSubscriber, activationTotp });
  const body = new FormData();
  body.append('files', await pdf(), 'document.pdf');
  body.append('idSubscriber', idSubscriber);
  // BSrE may answer the seal OTP in its body (held by the server) or send it by e-mail.
  if (!otp.held) body.append('totp', await fromInbox('bsre', 'segel@pemkot.sandbox.test', otpSince, 'sealOtp'));
  const out = await api('BSrE seal: seal the PDF', 'POST', '/api/bsre/seals', body);
  say('Sealed by the organisation (invisible seal).');
  await signed(out.documents);
}

// ---- Peruri ----

async function signPeruri() {
  const mode = checked('peruriMode');
  if (mode === 'tier') return signPeruriTier();
  if (mode === 'bulk') return signPeruriBulk();
  const body = new FormData();
  body.append('file', await pdf(), 'document.pdf');
  body.append('email', field('peruriEmail'));
  if (boxes().length) body.append('boxes', JSON.stringify(boxes()));
  else body.append('visible', 'false');
  const out = await api('Peruri: send the document', 'POST', '/api/peruri/documents', body);
  say(`Peruri order ${out.orderId}: sign it below (the OTP is in the sandbox inbox).`);
  const confirmed = await webview({ provider: 'peruri', flow: 'sign', 'order-id': String(out.orderId) });
  say('The provider confirmed the signature.');
  await offerConfirmed(confirmed);
}

async function signPeruriTier() {
  // The placer's value: one entry per signer in signing order, each with that signer's boxes.
  const order = await signerValue();
  const signers = order.map((entry) => entry.signer!);
  const body = new FormData();
  body.append('file', await pdf(), 'document.pdf');
  body.append('uploader', signers[0]!);
  body.append('signers', JSON.stringify(signers));
  const { orderId } = await api('Peruri tier: send the document with its signers', 'POST', '/api/peruri/tiers', body);
  let last: Record<string, any> = {};
  for (const [i, entry] of order.entries()) {
    const since = Date.now();
    await api(`Peruri tier: OTP for signer ${i + 1}`, 'POST', `/api/peruri/documents/${orderId}/otp`);
    const otpCode = await fromInbox('peruri', entry.signer!, since, 'peruriOtp');
    last = await api(`Peruri tier: signer ${i + 1} signs`, 'POST', `/api/peruri/tiers/${orderId}/signatures`, {
      otpCode,
      boxes: JSON.stringify(entry.boxes),
      location: 'Jakarta',
    });
    say(`Signer ${i + 1} of ${order.length} (${entry.name}) signed.`);
  }
  if (!last.document) throw new Error('Every signer signed, but the document is not stored yet; poll its status.');
  await signed([last.document]);
}

async function signPeruriBulk() {
  const body = new FormData();
  const file = await pdf();
  // Two copies of this PDF: Peruri applies one placement to every file of a bulk upload.
  body.append('files', file, 'document-1.pdf');
  body.append('files', file, 'document-2.pdf');
  body.append('email', field('peruriEmail'));
  if (boxes().length) body.append('boxes', JSON.stringify(boxes()));
  else body.append('visible', 'false');
  const { orderIds } = await api('Peruri bulk: upload the documents', 'POST', '/api/peruri/documents/bulk', body);
  const since = Date.now();
  const { batchId } = await api('Peruri bulk: one OTP for all', 'POST', '/api/peruri/batches', { orderIds });
  const otpCode = await fromInbox('peruri', field('peruriEmail'), since, 'peruriOtp');
  const out = await api('Peruri bulk: sign them all', 'POST', `/api/peruri/batches/${batchId}/signatures`, { otpCode });
  // The links first, then the status line that announces them.
  await signed(out.documents.map((d: { document: SignedDocument }) => d.document));
  say(`Peruri signed ${out.documents.length} documents with one OTP.`);
}

// ---- Digisign ----

async function signDigisign() {
  // The placer's value: one entry per signer (one box each: their req-sign item), then the e-meterai boxes.
  const value = await signerValue();
  const people = value.filter((entry) => entry.kind === 'signature');
  const meterai = value.find((entry) => entry.kind === 'meterai');
  if (input('meterai').checked && !meterai) throw new Error('Place an e-meterai box: choose “e-meterai” in the placer’s toolbar, then draw it.');
  const signers = people.map((entry) => entry.signer!);
  const body = new FormData();
  body.append('file', await pdf(), 'document.pdf');
  body.append('signers', JSON.stringify(people.map((entry, box) => ({ name: entry.name, email: entry.signer, box }))));
  body.append('boxes', JSON.stringify(people.map((entry) => entry.boxes[0])));
  body.append('sequential', JSON.stringify(signers.length > 1));
  // The placer has already refused an e-meterai box over a signature box (Digisign's result 03).
  if (meterai) body.append('meterai', JSON.stringify({ boxes: meterai.boxes, documentType: '4a' }));
  const out = await api('Digisign: send the document', 'POST', '/api/digisign/documents', body);
  let confirmed: Record<string, unknown> = {};
  for (const [i, email] of signers.entries()) {
    say(`Digisign document ${out.digisignDocumentId}: ${email} signs below (signer ${i + 1} of ${signers.length}; OTP in the sandbox inbox).`);
    confirmed = await webview({ provider: 'digisign', flow: 'sign', 'document-id': String(out.digisignDocumentId), email });
  }
  say('The provider confirmed the signature.');
  await offerConfirmed(confirmed);
}

/** After a web view: the element confirmed the outcome with the server, which stored the signed PDF first. */
async function offerConfirmed(confirmed: Record<string, unknown>) {
  const stored = confirmed.document as SignedDocument | undefined;
  if (!stored?.id) throw new Error('The provider confirmed, but no stored document was named.');
  await signed([stored]);
}

// ---- the form ----

/** Shows the options of the provider chosen in step 1, hides the others'. */
function showProviderOptions() {
  for (const set of form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-provider]')) set.hidden = set.dataset.provider !== family();
}

async function run(task: () => Promise<void>) {
  slot.replaceChildren();
  result.replaceChildren();
  try {
    say('Sending…');
    await task();
  } catch (error) {
    say((error as Error).message);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void run(() => (family() === 'bsre' ? signBsre() : family() === 'peruri' ? signPeruri() : signDigisign()));
});
form.addEventListener('change', syncSigners);
form.addEventListener('input', syncSigners);
form.querySelector('#bsre-totp-button')?.addEventListener('click', () => void run(requestBsreTotp));
form.querySelector('#seal-button')?.addEventListener('click', () => void run(sealBsre));
placer.addEventListener('esign-provider-change', showProviderOptions);
document.querySelector('#placer-controls [name=provider]')?.addEventListener('change', () =>
  queueMicrotask(() => {
    showProviderOptions();
    syncSigners();
  }),
);
showProviderOptions();
syncSigners();
