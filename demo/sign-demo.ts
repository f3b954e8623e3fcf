// The demo's signing step: the PDF and boxes of the placer go to the chosen provider's sandbox through the
// companion server's API; Peruri and Digisign finish in <esign-webview>, BSrE signs with NIK + passphrase.
// A real portal mints tokens in its backend; the sandbox gives the demo one from a loopback-only route.
import '@esign-kit/elements';
import type { EsignPlacer, EsignWebview } from '@esign-kit/elements';

const placer = document.querySelector<EsignPlacer>('#placer')!;
const form = document.querySelector<HTMLFormElement>('#sign-controls')!;
const status = document.querySelector<HTMLElement>('#sign-status')!;
const slot = document.querySelector<HTMLElement>('#webview-slot')!;
const result = document.querySelector<HTMLElement>('#sign-result')!;
const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();

async function token(): Promise<string> {
  const res = await fetch('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sub":"demo"}' });
  if (!res.ok) throw new Error('No sandbox token (is the server in sandbox mode, on this machine?)');
  return ((await res.json()) as { token: string }).token;
}

async function api(path: string, bearer: string, body: FormData): Promise<Record<string, any>> {
  const res = await fetch(path, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body });
  const json = (await res.json()) as Record<string, any>;
  if (!res.ok) {
    const e = json.error ?? {};
    throw new Error(`${e.code ?? res.status}: ${e.message ?? ''}${e.provider ? ` (${e.provider.code}: ${e.provider.message})` : ''}`);
  }
  return json;
}

async function pdf(): Promise<Blob> {
  if (placer.data instanceof Blob) return placer.data;
  if (placer.data) return new Blob([placer.data as BlobPart], { type: 'application/pdf' });
  return (await fetch(placer.src)).blob();
}

/** A specimen for BSrE's visible signature: the signer's name, drawn on a canvas. */
async function specimen(name: string): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = 600;
  canvas.height = 240;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, 600, 240);
  g.fillStyle = '#0b3d91';
  g.font = 'italic 64px serif';
  g.fillText(name, 30, 130);
  g.font = '24px sans-serif';
  g.fillText('ditandatangani secara elektronik', 30, 190);
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
}

async function offerDownload(bearer: string, documentId: string) {
  const res = await fetch(`/api/documents/${documentId}`, { headers: { authorization: `Bearer ${bearer}` } });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await res.blob());
  link.download = 'signed.pdf';
  link.textContent = 'Download the signed PDF';
  result.replaceChildren('Signed and stored. ', link, ` (SHA-256 ${res.headers.get('x-checksum-sha256')?.slice(0, 16)}…)`);
}

function openWebview(attributes: Record<string, string>, bearer: string) {
  const view = document.createElement('esign-webview') as EsignWebview;
  for (const [k, v] of Object.entries(attributes)) view.setAttribute(k, v);
  view.setAttribute('server', '/');
  view.token = bearer;
  view.lang = placer.lang;
  view.addEventListener('esign-complete', (e) => {
    status.textContent = 'The provider confirmed the signature.';
    const id = e.detail.result.documentId;
    if (typeof id === 'string') void offerDownload(bearer, id);
  });
  view.addEventListener('esign-error', (e) => (status.textContent = `${e.detail.code}: ${e.detail.message}`));
  slot.replaceChildren(view);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  slot.replaceChildren();
  result.replaceChildren();
  const boxes = placer.boxes.map(({ page, x, y, width, height }) => ({ page, x, y, width, height }));
  try {
    status.textContent = 'Sending…';
    const bearer = await token();
    const body = new FormData();
    body.append('file', await pdf(), 'document.pdf');
    if (placer.provider.startsWith('bsre')) {
      body.append('nik', field('nik'));
      body.append('passphrase', field('passphrase'));
      if (placer.provider === 'bsre-cloud') body.append('service', 'cloud');
      if (boxes[0]) {
        body.append('appearance', 'image');
        body.append('image', await specimen('Budi Santoso'), 'specimen.png');
        body.append('box', JSON.stringify(boxes[0]));
      }
      const out = await api('/api/bsre/signatures', bearer, body);
      status.textContent = `BSrE (${out.api}) signed.`;
      await offerDownload(bearer, out.document.id);
    } else if (placer.provider === 'peruri') {
      body.append('email', field('peruriEmail'));
      if (boxes.length) body.append('boxes', JSON.stringify(boxes));
      else body.append('visible', 'false');
      const out = await api('/api/peruri/documents', bearer, body);
      status.textContent = `Peruri order ${out.orderId}: sign it below (the OTP is in the sandbox inbox).`;
      openWebview({ provider: 'peruri', flow: 'sign', 'order-id': String(out.orderId) }, bearer);
    } else {
      if (!boxes[0]) throw new Error('Place a signature box first.');
      const email = field('digisignEmail');
      body.append('signers', JSON.stringify([{ name: email.split('@')[0], email, box: 0 }]));
      body.append('boxes', JSON.stringify(boxes.slice(0, 1)));
      const out = await api('/api/digisign/documents', bearer, body);
      status.textContent = `Digisign document ${out.digisignDocumentId}: sign it below (OTP in the sandbox inbox).`;
      openWebview({ provider: 'digisign', flow: 'sign', 'document-id': String(out.digisignDocumentId), email }, bearer);
    }
  } catch (error) {
    status.textContent = (error as Error).message;
  }
});
