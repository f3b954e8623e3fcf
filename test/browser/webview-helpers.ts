// Shared by the <esign-webview> tests: the companion server with the sandbox, started by the runner's
// `esign-kit-server` plugin on its own loopback ports (web-test-runner.config.mjs).
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { executeServerCommand } from '@web/test-runner-commands';
import type { EsignWebview } from '@esign-kit/elements';

export interface Kit {
  base: string;
  webViewBase: string;
  token: string;
}

export const kit = (): Promise<Kit> => executeServerCommand<Kit, Record<string, never>>('esign-kit-server', {}) as Promise<Kit>;

export async function api(k: Kit, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${k.base}${path}`, { ...init, headers: { authorization: `Bearer ${k.token}`, ...(init.headers ?? {}) } });
  return { status: res.status, body: await res.json().catch(() => null) };
}

export async function contract(title: string): Promise<Blob> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595.28, 841.89]).drawText(title, { x: 60, y: 780, size: 14, font });
  return new Blob([(await doc.save()) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' });
}

/** A Peruri order for one signer with one visible box; returns the orderId. */
export async function peruriOrder(k: Kit, email: string): Promise<string> {
  const form = new FormData();
  form.append('file', await contract('Perjanjian Peruri (uji web view)'), 'contract.pdf');
  form.append('email', email);
  form.append('boxes', JSON.stringify([{ page: 1, x: 400, y: 60, width: 75, height: 71 }]));
  const sent = await api(k, '/api/peruri/documents', { method: 'POST', body: form });
  if (sent.status !== 201) throw new Error(JSON.stringify(sent.body));
  return sent.body.orderId;
}

/** A Digisign document for one signer; returns its id. */
export async function digisignDocument(k: Kit, email: string, name: string): Promise<string> {
  const form = new FormData();
  form.append('file', await contract('Perjanjian Digisign (uji web view)'), 'contract.pdf');
  form.append('signers', JSON.stringify([{ name, email, box: 0 }]));
  form.append('boxes', JSON.stringify([{ page: 1, x: 60, y: 80, width: 150, height: 70 }]));
  const sent = await api(k, '/api/digisign/documents', { method: 'POST', body: form });
  if (sent.status !== 201) throw new Error(JSON.stringify(sent.body));
  return sent.body.digisignDocumentId;
}

export type FrameStep =
  | { waitFor: string }
  | { click: string }
  | { submit: string }
  | { type: [string, string] }
  | { check: string }
  | { waitForText: string }
  | { evaluate: string };

/**
 * Drives the cross-origin iframe whose window.name is `name` with puppeteer (the `esign-frame` command,
 * web-test-runner.config.mjs): the steps' results. A command answers within its budget (a browser command fails
 * after 20 s); a wait still unmet then is asked again from that step until `ms` has passed, then fails with what
 * the frame shows.
 */
export async function frameSteps(name: string, steps: FrameStep[], ms = 60_000): Promise<unknown[]> {
  const until = Date.now() + ms;
  const results: unknown[] = [];
  for (let rest = steps; ;) {
    const answer = (await executeServerCommand('esign-frame', { name, steps: rest })) as {
      results: unknown[];
      next: number | null;
      url: string | null;
      shows?: string;
    };
    results.push(...answer.results);
    if (answer.next === null) return results;
    rest = rest.slice(answer.next);
    if (Date.now() > until)
      throw new Error(`frame ${name}: ${JSON.stringify(rest[0])} not met within ${ms} ms; ${answer.url ?? 'the frame'} shows: ${answer.shows}`);
  }
}

/** Drives the element's cross-origin iframe (found by its window.name, which carries the channel). */
export const frame = (el: EsignWebview, steps: FrameStep[]): Promise<unknown[]> => frameSteps(el.frame!.name, steps);

export const inbox = (provider: 'peruri' | 'digisign', to: string) => executeServerCommand('esign-kit-inbox', { provider, to }) as Promise<string | null>;

export interface PdfsigReport {
  signatures: { validation: string; certificate: string; total: boolean; commonName: string }[];
}
export const pdfsig = (documentId: string) => executeServerCommand('esign-kit-verify', { documentId }) as Promise<PdfsigReport>;
/** A Digisign redirect msg, encrypted with `key` (default: the sandbox's own partner key). */
export const encryptRedirect = (payload: Record<string, unknown>, key?: string) =>
  executeServerCommand('esign-kit-encrypt', { payload, key }) as Promise<string>;

/** Resolves with the event's detail, rejects on esign-error (with its detail) when `type` is not esign-error. */
export function next<T = any>(el: EventTarget, type: string, ms = 30000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const w = el as unknown as { status?: string; ignoredMessages?: number };
      reject(new Error(`no ${type} within ${ms} ms (status ${w.status}, ${w.ignoredMessages} ignored)`));
    }, ms);
    const done = (e: Event) => {
      clearTimeout(timer);
      el.removeEventListener(type, done);
      el.removeEventListener('esign-error', failed);
      resolve((e as CustomEvent<T>).detail);
    };
    const failed = (e: Event) => {
      if (type === 'esign-error') return;
      clearTimeout(timer);
      el.removeEventListener(type, done);
      el.removeEventListener('esign-error', failed);
      reject(new Error(`esign-error instead of ${type}: ${JSON.stringify((e as CustomEvent).detail)}`));
    };
    el.addEventListener(type, done);
    el.addEventListener('esign-error', failed);
  });
}

/** Creates an element with these attributes, appended to the body; resolves once esign-ready fired. */
export async function open(attrs: Record<string, string>, container: HTMLElement = document.body): Promise<EsignWebview> {
  const el = document.createElement('esign-webview');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const ready = next(el, 'esign-ready');
  container.append(el);
  await ready;
  return el;
}

/** Peruri signing.php: OTP from the sandbox inbox, then sign. */
export async function peruriSign(el: EsignWebview, email: string): Promise<void> {
  await frame(el, [{ waitFor: '#otp' }, { click: '#otp' }, { waitForText: 'OTP dikirim' }]);
  const code = await inbox('peruri', email);
  if (!code) throw new Error('no OTP');
  await frame(el, [{ type: ['#code', code] }, { click: '#sign' }]);
}

/** Digisign signingpage.html: OTP from the inbox, password, consent, sign (→ redirect to the landing page). */
export async function digisignSign(el: EsignWebview, email: string): Promise<void> {
  await frame(el, [{ waitFor: 'button[name=action][value=otp]' }, { submit: 'button[name=action][value=otp]' }, { waitForText: 'OTP telah dikirim' }]);
  const code = await inbox('digisign', email);
  if (!code) throw new Error('no OTP');
  await frame(el, [
    { type: ['input[name=otp]', code] },
    { type: ['input[name=password]', 'Sandbox#2024'] },
    { check: 'input[name=consent_sign]' },
    { click: 'form:last-of-type button:not([name])' },
  ]);
}

export async function expectTrusted(documentId: string, signer: string): Promise<PdfsigReport> {
  const report = await pdfsig(documentId);
  const last = report.signatures.at(-1);
  if (!last) throw new Error('no signature');
  if (!/Signature is Valid/.test(last.validation) || !/Certificate is Trusted/.test(last.certificate) || !last.total || last.commonName !== signer) {
    throw new Error(`pdfsig: ${JSON.stringify(last)}`);
  }
  return report;
}
