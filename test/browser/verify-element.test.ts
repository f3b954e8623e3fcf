// <esign-verify> in Chromium against the real companion server and its sandbox (started by the runner's
// `esign-kit-server` plugin): a PDF signed by the sandbox's BSrE, then the same file trusted (roots from
// GET /api/trust/roots) and untrusted, tampered, updated after signing, with a damaged signature dictionary,
// unsigned, not a PDF, truncated and encrypted (qpdf). Every signed file's verdicts are checked against
// poppler's pdfsig (the runner's `esign-kit-verify`, which trusts the sandbox root), and BSrE's result and
// the disagreements between the two are checked as shown. No uncaught error or rejection is allowed.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '@esign-kit/elements';
import { EsignVerify, type EsignVerifiedDetail, type EsignVerifyErrorDetail } from '@esign-kit/elements';
import type { SignatureReport } from '@esign-kit/verify';
import { api, contract, kit, pdfsig, type Kit, type PdfsigReport } from './webview-helpers.js';

interface Call {
  url: string;
  method: string;
  body: BodyInit | null | undefined;
}

const latin1 = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');
const fromLatin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};
const base64 = (b: Uint8Array) => btoa(latin1(b));

/** What pdfsig prints for a signature of our report (poppler's wording; as test/node/verify.test.ts). */
function asPdfsig(s: SignatureReport) {
  return {
    validation: s.problems.includes('BYTE_RANGE_INVALID')
      ? 'Signature has not yet been verified.'
      : !s.digest.matches
        ? 'Digest Mismatch.'
        : s.signatureValid
          ? 'Signature is Valid.'
          : 'Signature is Invalid.',
    total: s.coversWholeFile,
    certificate: s.trust.status === 'trusted' ? 'Certificate is Trusted.' : "Certificate issuer isn't Trusted.",
  };
}

function expectAgrees(signatures: SignatureReport[], theirs: PdfsigReport, name: string) {
  expect(signatures.length, `${name}: signature count`).to.equal(theirs.signatures.length);
  signatures.forEach((s, i) => {
    const p = theirs.signatures[i]!;
    const ours = asPdfsig(s);
    expect(ours.validation, `${name}: validation`).to.equal(p.validation);
    expect(ours.total, `${name}: total document signed`).to.equal(p.total);
    // pdfsig checks the certificate only once the signature itself verified.
    if (p.certificate) expect(ours.certificate, `${name}: certificate`).to.equal(p.certificate);
    if (p.commonName && p.commonName !== '(null)') expect(s.signer?.subject.commonName).to.equal(p.commonName);
  });
}

/**
 * An incremental update that adds a text annotation to the first page (the page is written again with it in
 * /Annots): the signed revision is intact, visible content was added after it. (An annotation nothing refers to
 * would change nothing a reader sees: pyHanko, and so the local check, ignore such orphans.)
 */
function appendUpdate(pdf: Uint8Array): Uint8Array {
  const text = latin1(pdf);
  const last = (re: RegExp) => [...text.matchAll(re)].at(-1);
  const root = last(/\/Root\s+(\d+)\s+(\d+)\s+R/g)!;
  const size = Number(last(/\/Size\s+(\d+)/g)![1]);
  const prev = Number(last(/startxref\s+(\d+)/g)![1]);
  const page = last(/(\d+) 0 obj\s*(<<(?:(?!endobj)[\s\S])*?\/Type\s*\/Page\b(?!s)(?:(?!endobj)[\s\S])*?)endobj/g)!;
  const annotation = `${size} 0 R`;
  const pageBody = /\/Annots\s*\[/.test(page[2]!)
    ? page[2]!.replace(/\/Annots\s*\[/, `/Annots [${annotation} `)
    : page[2]!.replace('<<', `<< /Annots [${annotation}]`);
  const objects = [
    `${page[1]} 0 obj\n${pageBody}endobj\n`,
    `${size} 0 obj\n<< /Type /Annot /Subtype /Text /Rect [20 20 40 40] /P ${page[1]} 0 R /Contents (catatan setelah tanda tangan) >>\nendobj\n`,
  ];
  const pageAt = pdf.length + 1;
  const annotationAt = pageAt + objects[0]!.length;
  const body = `\n${objects.join('')}`;
  const xrefAt = pdf.length + body.length;
  const entry = (at: number) => `${String(at).padStart(10, '0')} 00000 n \n`;
  const tail = `xref\n${page[1]} 1\n${entry(pageAt)}${size} 1\n${entry(annotationAt)}trailer\n<< /Size ${size + 1} /Root ${root[1]} ${root[2]} R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return concat(pdf, fromLatin1(body + tail));
}

describe('<esign-verify> against the companion server and the sandbox', function () {
  this.timeout(60000);
  let k: Kit;
  let signed: Uint8Array;
  let signedId: string;
  const calls: Call[] = [];
  const uncaught: string[] = [];
  let gate: Promise<void> | null = null;
  const realFetch = window.fetch;
  const onError = (e: ErrorEvent) => uncaught.push(`error: ${e.message}`);
  const onRejection = (e: PromiseRejectionEvent) => uncaught.push(`unhandledrejection: ${String(e.reason?.stack ?? e.reason)}`);

  /** Stores a PDF on the server (POST /api/documents) so that pdfsig can judge it. */
  async function store(bytes: Uint8Array, name: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), `${name}.pdf`);
    const res = await api(k, '/api/documents', { method: 'POST', body: form });
    if (res.status !== 201) throw new Error(`${name}: ${JSON.stringify(res.body)}`);
    return res.body.document.id;
  }

  /** An element with these properties, appended; its events are recorded. */
  function mount(props: Partial<EsignVerify> & { lang?: string } = {}) {
    const el = document.createElement('esign-verify');
    const events: { type: string; detail: any }[] = [];
    for (const type of ['esign-verified', 'esign-error']) el.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
    const { lang, ...rest } = props;
    if (lang) el.setAttribute('lang', lang);
    Object.assign(el, { server: k.base, token: k.token, ...rest });
    document.body.append(el);
    return { el, events };
  }

  function next<T>(el: EventTarget, type: string, ms = 30000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
      el.addEventListener(
        type,
        (e) => {
          clearTimeout(timer);
          resolve((e as CustomEvent<T>).detail);
        },
        { once: true },
      );
    });
  }

  async function check(bytes: Uint8Array, props: Partial<EsignVerify> & { lang?: string } = {}) {
    const { el, events } = mount(props);
    const verified = next<EsignVerifiedDetail>(el, 'esign-verified');
    el.data = bytes;
    const detail = await verified;
    await el.updateComplete;
    return { el, events, detail };
  }

  const shadow = (el: EsignVerify) => el.shadowRoot!;
  const text = (el: EsignVerify, selector: string) => Array.from(shadow(el).querySelectorAll(selector), (n) => n.textContent!.replace(/\s+/g, ' ').trim());
  const verifyCalls = () => calls.filter((c) => c.url.includes('/api/verify'));

  before(async () => {
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      calls.push({ url, method: init?.method ?? 'GET', body: init?.body });
      if (gate && url.includes('/api/verify')) await gate;
      return realFetch(input, init);
    };
    k = await kit();
    const form = new FormData();
    form.append('file', await contract('Surat keputusan (uji verifikasi)'), 'keputusan.pdf');
    form.append('nik', '3171000000000001');
    form.append('passphrase', 'Sandbox#2024');
    form.append('reason', 'Menyetujui');
    form.append('location', 'Jakarta');
    const res = await api(k, '/api/bsre/signatures', { method: 'POST', body: form });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    signedId = res.body.document.id;
    signed = new Uint8Array(await (await realFetch(`${k.base}/api/documents/${signedId}`, { headers: { authorization: `Bearer ${k.token}` } })).arrayBuffer());
  });
  after(() => {
    window.fetch = realFetch;
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });
  beforeEach(() => {
    calls.length = 0;
    gate = null;
  });
  afterEach(() => {
    for (const el of document.querySelectorAll('esign-verify')) el.remove();
    expect(uncaught, 'no uncaught error or rejection').to.deep.equal([]);
  });

  it('is defined and typed in HTMLElementTagNameMap', () => {
    expect(document.createElement('esign-verify')).to.be.instanceOf(EsignVerify);
  });

  it('the sandbox-signed PDF: valid and trusted (the sandbox root from /api/trust/roots), as pdfsig says; the local result first, then BSrE agrees', async () => {
    let release!: () => void;
    gate = new Promise<void>((r) => (release = r));
    const { el, events } = mount({ lang: 'en' });
    const verified = next<EsignVerifiedDetail>(el, 'esign-verified');
    el.data = signed;
    // The local result is shown while BSrE's answer is held back.
    for (let i = 0; i < 200 && el.status !== 'asking'; i++) await new Promise((r) => setTimeout(r, 25));
    expect(el.status).to.equal('asking');
    await el.updateComplete;
    expect(text(el, '[part=card] [part=badge]')).to.deep.equal(['✓Valid']);
    expect(text(el, '[part=summary]')[0]).to.contain('Asking BSrE…');
    expect(el.report?.local.signatures[0]?.verdict).to.equal('valid');
    expect(events).to.deep.equal([], 'nothing fired before BSrE answered');
    release();
    const detail = await verified;
    await el.updateComplete;

    const [s] = detail.local.signatures;
    expect(s!.verdict).to.equal('valid');
    expect(s!.signer?.subject.commonName).to.equal('Budi Santoso');
    expect(s!.trust.status).to.equal('trusted');
    expectAgrees(detail.local.signatures, await pdfsig(signedId), 'signed');
    expect(detail.provider?.conclusion).to.equal('valid');
    expect(detail.disagreements).to.deep.equal([]);
    expect(el.report).to.equal(detail);
    expect(events.map((e) => e.type)).to.deep.equal(['esign-verified']);

    // The trust list came from the server (once, without uploading anything), then the file went to /api/verify.
    const roots = calls.filter((c) => c.url.endsWith('/api/trust/roots'));
    expect(roots).to.have.length(1);
    expect(verifyCalls()).to.have.length(1);
    expect(verifyCalls()[0]!.body).to.be.instanceOf(FormData);
    expect(((verifyCalls()[0]!.body as FormData).get('file') as File).size).to.equal(signed.length);

    const card = text(el, '[part=card]')[0]!;
    for (const part of [
      'Budi Santoso',
      'Valid',
      'The signature is valid and the certificate comes from a trusted authority.',
      'Menyetujui',
      'Jakarta',
      'as stated by the signer',
      'esign-kit Sandbox Signing CA',
      'BSrE: valid',
    ]) {
      expect(card).to.contain(part);
    }
    const summary = text(el, '[part=summary]')[0]!;
    expect(summary).to.contain('The signature is valid.');
    expect(summary).to.contain('Trusted roots: 1 (from the server).');
    expect(summary).to.contain('BSrE agrees: valid.');
    // A second check reuses the trust list.
    calls.length = 0;
    const again = next<EsignVerifiedDetail>(el, 'esign-verified');
    await el.verify(new Blob([signed as Uint8Array<ArrayBuffer>]));
    await again;
    expect(calls.filter((c) => c.url.endsWith('/api/trust/roots'))).to.have.length(0);
  });

  it('without trusted roots: "valid but untrusted" (not invalid), and BSrE trusting it is shown as a disagreement', async () => {
    const { el, detail } = await check(signed, { trustedRoots: [], lang: 'en' });
    const [s] = detail.local.signatures;
    expect(s!.verdict).to.equal('valid-untrusted');
    expect(asPdfsig(s!).validation).to.equal('Signature is Valid.');
    expect(text(el, '[part=card] [part=badge]')).to.deep.equal(['!Valid but untrusted']);
    const card = text(el, '[part=card]')[0]!;
    expect(card).to.contain('The signature is intact, but the certificate is not from a trusted authority.');
    expect(card).to.contain('No trusted root certificates were given');
    expect(
      calls.filter((c) => c.url.endsWith('/api/trust/roots')),
      'the page gave the roots',
    ).to.have.length(0);
    expect(detail.provider?.conclusion).to.equal('valid');
    expect(detail.disagreements).to.have.length(1);
    expect(detail.disagreements[0]).to.deep.include({ kind: 'verdict', local: 'valid-untrusted', provider: 'valid', facts: ['trust'] });
    expect(detail.disagreements[0]!.message).to.equal(
      'Signature 1 (Signature1): BSrE says valid, the local check says valid but untrusted (they disagree on whether the certificate is trusted).',
    );
    const summary = text(el, '[part=summary]')[0]!;
    expect(summary).to.contain('Trusted roots: none');
    expect(summary).to.contain('BSrE says valid, and disagrees with the local check:');
    expect(text(el, '[part=disagreements] li')).to.deep.equal([detail.disagreements[0]!.message]);
  });

  it('tampered (one byte in the signed range): invalid, "the document was changed", as pdfsig and BSrE say', async () => {
    const tampered = new Uint8Array(signed);
    // The binary comment on the second line: inside the first signed range, and the file still parses.
    const at = signed.indexOf(0x25, 1) + 1;
    expect(tampered[at]! >= 0x80).to.equal(true);
    tampered[at] = tampered[at] === 0x81 ? 0x82 : 0x81;
    const { el, detail } = await check(tampered, { lang: 'en' });
    const [s] = detail.local.signatures;
    expect(s!.verdict).to.equal('invalid');
    expect(s!.problems).to.include('DIGEST_MISMATCH');
    expectAgrees(detail.local.signatures, await pdfsig(await store(tampered, 'tampered')), 'tampered');
    expect(text(el, '[part=card] [part=badge]')).to.deep.equal(['✗Invalid']);
    expect(text(el, '[part=card] .reasons')[0]).to.equal('The document was changed after it was signed.');
    expect(detail.provider?.conclusion).to.equal('invalid');
    expect(detail.disagreements).to.deep.equal([]);
  });

  it('an update appended after signing: "modified after signing" (the signed part intact), as pdfsig says; BSrE does not see it', async () => {
    const updated = appendUpdate(signed);
    const { el, detail } = await check(updated, { lang: 'en' });
    const [s] = detail.local.signatures;
    expect(s!.verdict).to.equal('modified-after-signing');
    expect(s!.changes.map((c) => [c.kind, c.allowed])).to.deep.include(['annotation', false]);
    expectAgrees(detail.local.signatures, await pdfsig(await store(updated, 'updated')), 'updated');
    expect(text(el, '[part=card] [part=badge]')).to.deep.equal(['✎Modified after signing']);
    expect(text(el, '[part=card] .reasons')[0]).to.contain('Added, changed or removed after signing: an annotation');
    // BSrE checks the signed bytes only: it calls the file valid, and the element says where they differ.
    expect(detail.provider?.conclusion).to.equal('valid');
    expect(detail.disagreements.map((d) => d.kind)).to.deep.equal(['verdict']);
    expect(detail.disagreements[0]!.message).to.contain('BSrE says valid, the local check says modified after signing');
    expect(text(el, '[part=card] .disagreement')).to.have.length(1);

    // Bytes appended outside any update: the same verdict, as pdfsig says.
    const trailing = concat(signed, fromLatin1('\n% ditambahkan kemudian\n'));
    const second = await check(trailing);
    expect(second.detail.local.signatures[0]!.verdict).to.equal('modified-after-signing');
    expectAgrees(second.detail.local.signatures, await pdfsig(await store(trailing, 'trailing')), 'trailing');
  });

  it('a damaged signature dictionary (a /ByteRange past the end): the card says invalid and why, as pdfsig says', async () => {
    const text0 = latin1(signed);
    const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text0)!;
    const last = range[4]!;
    const damaged = fromLatin1(text0.replace(range[0], range[0].replace(new RegExp(`${last}(\\s*)\\]$`), `${'9'.repeat(last.length)}$1]`)));
    expect(damaged.length).to.equal(signed.length);
    const { el, detail } = await check(damaged, { lang: 'en' });
    const [s] = detail.local.signatures;
    expect(s!.verdict).to.equal('invalid');
    expect(s!.problems).to.include('BYTE_RANGE_INVALID');
    expectAgrees(detail.local.signatures, await pdfsig(await store(damaged, 'damaged-byterange')), 'damaged-byterange');
    expect(text(el, '[part=card] .reasons')[0]).to.equal('The record of which bytes the signature covers is damaged, so the signature cannot be checked.');
  });

  it('unsigned: "No signature" is a result, not an error; nothing is uploaded; pdfsig finds none either', async () => {
    const unsigned = new Uint8Array(await (await contract('Tanpa tanda tangan')).arrayBuffer());
    const { el, events, detail } = await check(unsigned, { lang: 'en' });
    expect(detail.local.status).to.equal('no-signature');
    expect(detail.provider).to.equal(undefined);
    expect(events.map((e) => e.type)).to.deep.equal(['esign-verified']);
    expect(verifyCalls()).to.have.length(0);
    expect(text(el, '[part=summary] [part=badge]')).to.deep.equal(['–No signature']);
    expect(text(el, '[part=summary]')[0]).to.contain('This PDF is not signed.');
    expect(shadow(el).querySelector('[part=error]')).to.equal(null);
    expect(shadow(el).querySelectorAll('[part=card]')).to.have.length(0);
    const id = await store(unsigned, 'unsigned');
    // pdfsig exits with an error for a file without signatures (the runner's command then fails).
    expect(
      await pdfsig(id).then(
        () => 'signatures',
        (err: Error) => String(err?.message ?? err),
      ),
    ).to.contain('Command failed: pdfsig');
  });

  it('not a PDF, truncated: a clear message inside and esign-error, no esign-verified, nothing uploaded', async () => {
    for (const [bytes, code, message] of [
      [new TextEncoder().encode('<html><body>bukan PDF</body></html>'), 'not-a-pdf', 'This file is not a PDF.'],
      [signed.subarray(0, 2000), 'truncated', 'This PDF is incomplete (cut short): download or copy it again.'],
    ] as const) {
      const { el, events } = mount({ lang: 'en' });
      const error = next<EsignVerifyErrorDetail>(el, 'esign-error');
      el.data = bytes;
      expect(await error).to.deep.equal({ code, stage: 'input', message });
      await el.updateComplete;
      expect(el.status).to.equal('error');
      expect(text(el, '[part=error]')).to.deep.equal([message]);
      expect(shadow(el).querySelector('[part=error]')!.getAttribute('role')).to.equal('alert');
      expect(events.map((e) => e.type)).to.deep.equal(['esign-error']);
      expect(el.report).to.equal(null);
    }
    expect(verifyCalls()).to.have.length(0);
    // In Indonesian.
    const { el } = mount({ lang: 'id' });
    const error = next<EsignVerifyErrorDetail>(el, 'esign-error');
    el.data = new TextEncoder().encode('bukan pdf');
    expect((await error).message).to.equal('Berkas ini bukan PDF.');
  });

  it('encrypted (qpdf): asks for the password, says when it is wrong, shows the result with the right one (and gives it to BSrE)', async () => {
    const encrypted = Uint8Array.from(
      atob(
        await executeServerCommand<string, { pdf: string; user: string; owner: string }>('esign-encrypt', {
          pdf: base64(signed),
          user: 'rahasia',
          owner: 'pemilik',
        }),
      ),
      (c) => c.charCodeAt(0),
    );
    const { el, events } = mount({ lang: 'en' });
    const asked = next<EsignVerifyErrorDetail>(el, 'esign-error');
    el.data = encrypted;
    expect(await asked).to.deep.include({ code: 'password-required', stage: 'input' });
    await el.updateComplete;
    expect(el.status).to.equal('password');
    const form = shadow(el).querySelector<HTMLFormElement>('[part=password]')!;
    expect(form.textContent).to.contain('This PDF is protected with a password.');
    const submit = async (password: string) => {
      const input = shadow(el).querySelector<HTMLInputElement>('[part=password] input[type=password]')!;
      input.value = password;
      shadow(el).querySelector<HTMLFormElement>('[part=password]')!.requestSubmit();
    };
    const wrong = next<EsignVerifyErrorDetail>(el, 'esign-error');
    await submit('salah');
    expect(await wrong).to.deep.include({ code: 'password-incorrect' });
    await el.updateComplete;
    expect(text(el, '[part=password] [role=alert]')).to.deep.equal(['The password is not correct.']);
    // The same wrong password again is checked again (and refused again).
    const wrongAgain = next<EsignVerifyErrorDetail>(el, 'esign-error');
    await submit('salah');
    expect(await wrongAgain).to.deep.include({ code: 'password-incorrect' });
    expect(verifyCalls()).to.have.length(0);
    const verified = next<EsignVerifiedDetail>(el, 'esign-verified');
    await submit('rahasia');
    const detail = await verified;
    expect(detail.local.status).to.equal('signed');
    expect(detail.local.encrypted).to.equal(true);
    expect(detail.local.signatures[0]!.signer?.subject.commonName).to.equal('Budi Santoso');
    expect(detail.local.signatures[0]!.reason).to.equal('Menyetujui');
    await el.updateComplete;
    expect(shadow(el).querySelectorAll('[part=card]')).to.have.length(1);
    expect(verifyCalls()).to.have.length(1);
    expect((verifyCalls()[0]!.body as FormData).get('password')).to.equal('rahasia');
    // Whatever BSrE makes of it, the outcome is shown (its verdict, or why it could not answer).
    expect(detail.provider !== undefined || detail.providerError !== undefined).to.equal(true);
    expect(events.filter((e) => e.type === 'esign-error').map((e) => e.detail.code)).to.deep.equal([
      'password-required',
      'password-incorrect',
      'password-incorrect',
      ...(detail.providerError ? [detail.providerError.code] : []),
    ]);
  });

  it('local-only: no request to /api/verify (the trust list still comes from the server); no server: no request at all', async () => {
    const { el, detail } = await check(signed, { localOnly: true, lang: 'en' });
    expect(el.hasAttribute('local-only')).to.equal(true);
    expect(detail.local.signatures[0]!.verdict).to.equal('valid');
    expect(detail.provider).to.equal(undefined);
    expect(verifyCalls()).to.have.length(0);
    expect(calls.filter((c) => c.url.endsWith('/api/trust/roots'))).to.have.length(1);
    expect(text(el, '[part=summary]')[0]).to.contain('Checked in this browser only. The file was not uploaded.');

    calls.length = 0;
    const alone = await check(signed, { server: '', token: '', lang: 'en' });
    expect(alone.detail.local.signatures[0]!.verdict).to.equal('valid-untrusted');
    expect(calls).to.deep.equal([]);
    expect(text(alone.el, '[part=summary]')[0]).to.contain('Trusted roots: none');
  });

  it('the local-only attribute in markup', async () => {
    const wrapper = document.createElement('div');
    wrapper.innerHTML = `<esign-verify local-only server="${k.base}"></esign-verify>`;
    document.body.append(wrapper);
    const el = wrapper.querySelector('esign-verify')!;
    const verified = next<EsignVerifiedDetail>(el, 'esign-verified');
    el.data = signed;
    await verified;
    expect(el.localOnly).to.equal(true);
    expect(verifyCalls()).to.have.length(0);
    wrapper.remove();
  });

  it('a refused provider call: the local result still arrives (esign-verified with providerError) and esign-error says why', async () => {
    const { el, events, detail } = await check(signed, { token: 'not-a-token', lang: 'en' });
    expect(detail.local.signatures[0]!.verdict).to.equal('valid');
    expect(detail.provider).to.equal(undefined);
    expect(detail.providerError).to.deep.include({ code: 'provider-error', stage: 'provider', status: 401 });
    expect(events.map((e) => e.type)).to.deep.equal(['esign-error', 'esign-verified']);
    expect(text(el, '[part=summary]')[0]).to.contain('BSrE could not be asked:');
    expect(text(el, '[part=card] [part=badge]')).to.deep.equal(['✓Valid']);
  });

  it('an unreachable trust list: esign-error (stage trust), certificates shown as untrusted, the check goes on', async () => {
    const { el, events, detail } = await check(signed, { server: 'http://127.0.0.1:9/', localOnly: true, lang: 'en' });
    expect(detail.local.signatures[0]!.verdict).to.equal('valid-untrusted');
    expect(events.map((e) => [e.type, e.detail.stage])).to.deep.equal([
      ['esign-error', 'trust'],
      ['esign-verified', undefined],
    ]);
    expect(text(el, '[part=summary]')[0]).to.contain('The trusted roots could not be loaded from the server');
  });

  it('src, a picked file, a dropped file, verify(), reset(), and roots given as PEM', async () => {
    const { roots } = await (await realFetch(`${k.base}/api/trust/roots`)).json();
    const pem = roots[0].pem as string;
    const { el } = mount({ localOnly: true, trustedRoots: [pem], lang: 'en' });
    const url = URL.createObjectURL(new Blob([signed as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }));
    let verified = next<EsignVerifiedDetail>(el, 'esign-verified');
    el.src = url;
    expect((await verified).local.signatures[0]!.verdict).to.equal('valid');
    URL.revokeObjectURL(url);
    await el.updateComplete;
    expect(text(el, '[part=summary]')[0]).to.contain('Trusted roots: 1 (given by the page).');

    const missing = next<EsignVerifyErrorDetail>(el, 'esign-error');
    el.src = `${k.base}/no-such-file.pdf`;
    expect(await missing).to.deep.include({ code: 'http-error', status: 404, stage: 'input' });

    const file = new File([signed as Uint8Array<ArrayBuffer>], 'keputusan-signed.pdf', { type: 'application/pdf' });
    const input = shadow(el).querySelector<HTMLInputElement>('[part=dropzone] input[type=file]')!;
    expect(input.accept).to.contain('application/pdf');
    const picked = new DataTransfer();
    picked.items.add(file);
    input.files = picked.files;
    verified = next<EsignVerifiedDetail>(el, 'esign-verified');
    input.dispatchEvent(new Event('change', { bubbles: true }));
    expect((await verified).local.signatures).to.have.length(1);

    const unsigned = new File([await contract('Dijatuhkan')], 'dropped.pdf', { type: 'application/pdf' });
    const dropped = new DataTransfer();
    dropped.items.add(unsigned);
    verified = next<EsignVerifiedDetail>(el, 'esign-verified');
    shadow(el)
      .querySelector('[part=dropzone]')!
      .dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true, composed: true }));
    expect((await verified).local.status).to.equal('no-signature');

    const result = await el.verify(signed);
    expect(result?.local.signatures[0]?.verdict).to.equal('valid');
    expect(el.report).to.equal(result);
    el.reset();
    await el.updateComplete;
    expect(el.status).to.equal('idle');
    expect(el.report).to.equal(null);
    expect(shadow(el).querySelector('[part=summary]')).to.equal(null);
    expect(await el.verify('not bytes' as unknown as Blob)).to.equal(null);
    expect(el.status).to.equal('error');
  });

  it('in Indonesian: statuses and reasons', async () => {
    const { el } = await check(signed, { trustedRoots: [], localOnly: true, lang: 'id' });
    expect(text(el, '[part=card] [part=badge]')).to.deep.equal(['!Sah, tetapi tidak tepercaya']);
    expect(text(el, '[part=card] .reasons')[0]).to.contain('Tanda tangan utuh, tetapi sertifikatnya tidak berasal dari penyelenggara tepercaya.');
    expect(text(el, '[part=summary]')[0]).to.contain('Diperiksa di peramban ini saja.');
  });

  it('shows certificate details in a disclosure, is themable, and passes an accessibility audit', async () => {
    const { el } = await check(signed, { lang: 'en' });
    const details = shadow(el).querySelector<HTMLDetailsElement>('[part=card] [part=details]')!;
    expect(details.open).to.equal(false);
    details.open = true;
    const textOf = details.textContent!.replace(/\s+/g, ' ');
    for (const part of [
      'Serial number',
      'Certificate validity',
      'SHA-256',
      'Certificate chain',
      'CN=Budi Santoso',
      'esign-kit Sandbox Signing CA',
      'Changes after signing',
      'the whole file',
    ]) {
      expect(textOf).to.contain(part);
    }
    el.style.setProperty('--esign-verify-valid', 'rgb(1, 100, 3)');
    await el.updateComplete;
    expect(getComputedStyle(shadow(el).querySelector('[part=card] [part=badge]')!).color).to.equal('rgb(1, 100, 3)');
    expect(shadow(el).querySelector('.live')!.getAttribute('aria-live')).to.equal('polite');
    await expect(el).to.be.accessible();
  });
});
