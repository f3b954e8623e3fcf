// The placer's per-signer `value`, round-tripped through the companion server's routes into the sandbox
// providers (real PAdES signing), for each provider's signing order: Peruri tier (signers in turn), Digisign
// (two signers in their web views, and an e-meterai box), BSrE (a person's signature, then the organisation's
// seal). Judged by independent tools: poppler's pdftoppm says where each signer's stamp landed (inside that
// signer's box, and nowhere else on the page), pdfsig who signed, in which order.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PDFDocument } from 'pdf-lib';
import '@esign-kit/elements';
import type { NeutralBox } from '@esign-kit/core';
import type { EsignPlacer, EsignWebview, SignerValue } from '@esign-kit/elements';
import { inkIn, mountIn, pdftoppm, unmountAll } from './placer-helpers.js';
import { api, frame, kit, next, open, pdfsig, type Kit } from './webview-helpers.js';

const PAGE: [number, number] = [595, 842];

/** Two blank A4 pages: any ink pdftoppm finds afterwards is a stamp. */
async function blank(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage(PAGE);
  doc.addPage(PAGE);
  return doc.save();
}

async function placer(provider: string, data: Uint8Array): Promise<EsignPlacer> {
  const element = mountIn('display:block', { provider, zoom: '0.75' });
  const ready = oneEvent(element, 'esign-ready');
  element.data = data;
  await ready;
  return element;
}

const pdfBlob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' });

async function stored(k: Kit, documentId: string): Promise<Uint8Array> {
  const res = await fetch(`${k.base}/api/documents/${encodeURIComponent(documentId)}`, { headers: { authorization: `Bearer ${k.token}` } });
  expect(res.status, `GET /api/documents/${documentId}`).to.equal(200);
  return new Uint8Array(await res.arrayBuffer());
}

const code = (provider: string, to: string) => executeServerCommand('esign-kit-inbox', { provider, to }) as Promise<string | null>;

/**
 * Every stamp is inside its signer's box and every box of a stamped signer has ink; the rest of each page is
 * blank. pdftoppm renders at 72 dpi (one pixel per point) on an unrotated A4 page: a box's pixels are
 * [x, 842 − y − height, x + width, 842 − y].
 */
async function expectStampsIn(pdf: Uint8Array, stamped: NeutralBox[]) {
  for (const page of [1, 2]) {
    const image = await pdftoppm(pdf, page);
    expect([image.width, image.height]).to.deep.equal(PAGE);
    const region = (b: NeutralBox): [number, number, number, number] => [b.x, PAGE[1] - b.y - b.height, b.x + b.width, PAGE[1] - b.y];
    const all = inkIn(image);
    let inside = 0;
    for (const box of stamped.filter((b) => b.page === page)) {
      const ink = inkIn(image, region(box));
      expect(ink.count, `no stamp in the box at (${box.x}, ${box.y}) on page ${page}`).to.be.greaterThan(0.02 * box.width * box.height);
      inside += ink.count;
    }
    // A pixel of anti-aliasing at a stamp's edge may fall just outside its box; nothing else may.
    const grown = stamped.filter((b) => b.page === page).map((b) => region({ ...b, x: b.x - 1, y: b.y - 1, width: b.width + 2, height: b.height + 2 }));
    const near = grown.reduce((n, r) => n + inkIn(image, r).count, 0);
    expect(all.count - near, `ink outside the boxes on page ${page}`).to.equal(0);
    expect(inside).to.be.at.least(0.95 * near);
  }
}

afterEach(unmountAll);

describe('a signing order from <esign-placer> to the sandbox and back', function () {
  this.timeout(120000);
  let k: Kit;
  before(async () => {
    k = await kit();
  });

  it('Peruri tier: the signers in value order, each signing with their own boxes', async () => {
    const bytes = await blank();
    const element = await placer('peruri', bytes);
    element.signers = [
      { id: 'siti@peruri.sandbox.test', name: 'Siti Rahayu' },
      { id: 'rina@peruri.sandbox.test', name: 'Rina Marlina' },
    ];
    // Rina's boxes first on purpose: the signing order, not the placing order, decides.
    element.addBox({ page: 2, x: 330, y: 90, width: 110, height: 70, signer: 'rina@peruri.sandbox.test' });
    element.addBox({ page: 1, x: 60, y: 500, width: 120, height: 60, signer: 'siti@peruri.sandbox.test' });
    element.addBox({ page: 2, x: 60, y: 90, width: 120, height: 60, signer: 'siti@peruri.sandbox.test' });
    await element.updateComplete;
    expect(element.validity.valid, element.validationMessage).to.be.true;
    const value = element.value as SignerValue[];
    expect(value.map((e) => [e.signer, e.fields.length])).to.deep.equal([
      ['siti@peruri.sandbox.test', 2],
      ['rina@peruri.sandbox.test', 1],
    ]);

    const form = new FormData();
    form.append('file', pdfBlob(bytes), 'perjanjian.pdf');
    form.append('uploader', value[0]!.signer!);
    form.append('signers', JSON.stringify(value.map((e) => e.signer)));
    const sent = await api(k, '/api/peruri/tiers', { method: 'POST', body: form });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    let last: any;
    for (const entry of value) {
      expect((await api(k, `/api/peruri/documents/${sent.body.orderId}/otp`, { method: 'POST' })).status).to.equal(201);
      const otpCode = await code('peruri', entry.signer!);
      last = await api(k, `/api/peruri/tiers/${sent.body.orderId}/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ otpCode, boxes: entry.boxes, location: 'Jakarta' }),
      });
      expect(last.status, JSON.stringify(last.body)).to.equal(201);
    }
    expect(last.body.complete).to.equal(true);
    const signed = await stored(k, last.body.document.id);
    await expectStampsIn(
      signed,
      value.flatMap((e) => e.boxes),
    );
    // One signature per box (each `signer[]` item of Signing Tier), the signers in the order of `value`.
    const report = await pdfsig(last.body.document.id);
    expect(report.signatures.map((s) => s.commonName)).to.deep.equal(['Siti Rahayu', 'Siti Rahayu', 'Rina Marlina']);
    expect(report.signatures.every((s) => /Signature is Valid/.test(s.validation))).to.be.true;
  });

  it("Digisign: two signers, one box each, and the document's e-meterai box, signed in their web views", async () => {
    const bytes = await blank();
    const element = await placer('digisign', bytes);
    element.signers = [
      { id: 'dewi@digisign.sandbox.test', name: 'Dewi Anggraini' },
      { id: 'eko@digisign.sandbox.test', name: 'Eko Saputra' },
    ];
    element.addBox({ page: 1, x: 60, y: 80, width: 150, height: 70, signer: 'dewi@digisign.sandbox.test' });
    element.addBox({ page: 2, x: 300, y: 400, width: 150, height: 70, signer: 'eko@digisign.sandbox.test' });
    element.addBox({ page: 1, x: 380, y: 80, width: 100, height: 100, kind: 'meterai' });
    await element.updateComplete;
    expect(element.validity.valid, element.validationMessage).to.be.true;
    const value = element.value as SignerValue[];
    const people = value.filter((e) => e.kind === 'signature');
    const meterai = value.find((e) => e.kind === 'meterai')!;
    expect(people.map((e) => e.signer)).to.deep.equal(['dewi@digisign.sandbox.test', 'eko@digisign.sandbox.test']);
    expect(meterai.signer).to.equal(null);

    const form = new FormData();
    form.append('file', pdfBlob(bytes), 'kontrak.pdf');
    form.append('signers', JSON.stringify(people.map((e, i) => ({ name: e.name, email: e.signer, box: i }))));
    form.append('boxes', JSON.stringify(people.map((e) => e.boxes[0])));
    form.append('sequential', 'true');
    form.append('meterai', JSON.stringify({ boxes: meterai.boxes, documentType: '4a' }));
    const sent = await api(k, '/api/digisign/documents', { method: 'POST', body: form });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    let documentId = '';
    for (const entry of people) {
      const view: EsignWebview = await open({
        provider: 'digisign',
        flow: 'sign',
        'document-id': sent.body.digisignDocumentId,
        email: entry.signer!,
        server: k.base,
        token: k.token,
      });
      const complete = next(view, 'esign-complete', 60000);
      await frame(view, [
        { waitFor: 'button[name=action][value=otp]' },
        { waitForText: 'Dokumen ini dibubuhi Meterai Elektronik' },
        { submit: 'button[name=action][value=otp]' },
        { waitForText: 'OTP telah dikirim' },
      ]);
      const otp = await code('digisign', entry.signer!);
      await frame(view, [
        { type: ['input[name=otp]', otp!] },
        { type: ['input[name=password]', 'Sandbox#2024'] },
        { check: 'input[name=consent_sign]' },
        { check: 'input[name=consent_meterai]' },
        { click: 'form:last-of-type button:not([name])' },
      ]);
      documentId = (await complete).result.documentId;
      view.remove();
    }
    const signed = await stored(k, documentId);
    // The sandbox affixes the e-meterai in its box with the first signing (packages/sandbox/README.md), then each
    // signer signs in theirs.
    await expectStampsIn(signed, [...people.flatMap((e) => e.boxes), ...meterai.boxes]);
    const report = await pdfsig(documentId);
    expect(report.signatures.map((s) => s.commonName)).to.deep.equal(['Meterai Elektronik Sandbox', 'Dewi Anggraini', 'Eko Saputra']);
  });

  it("BSrE: a person's signature at their box, then the organisation's (invisible) seal", async () => {
    const bytes = await blank();
    const element = await placer('bsre-v2', bytes);
    element.signers = [
      { id: '3171000000000001', name: 'Budi Santoso' },
      { id: 'SANDBOX-SEAL-0001', name: 'Pemerintah Kota Sandbox', kind: 'seal' },
    ];
    element.addBox({ page: 2, x: 200, y: 300, width: 160, height: 80, signer: '3171000000000001' });
    await element.updateComplete;
    expect(element.validity.valid, element.validationMessage).to.be.true;
    const [person, seal] = element.value as SignerValue[];
    expect([person!.kind, seal!.kind, seal!.boxes]).to.deep.equal(['signature', 'seal', []]);

    // The specimen: ink over the whole image, so that the stamp fills its box.
    const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 160 });
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, 320, 160);
    g.strokeStyle = '#123';
    g.lineWidth = 6;
    g.strokeRect(8, 8, 304, 144);
    g.font = 'italic 48px serif';
    g.fillStyle = '#123';
    g.fillText('Budi', 80, 100);
    const specimen = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/png'));

    const form = new FormData();
    form.append('file', pdfBlob(bytes), 'surat.pdf');
    form.append('nik', person!.signer!);
    form.append('passphrase', 'Sandbox#2024');
    form.append('appearance', 'image');
    form.append('box', JSON.stringify(person!.boxes[0]));
    form.append('image', specimen, 'specimen.png');
    const signed = await api(k, '/api/bsre/signatures', { method: 'POST', body: form });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(201);

    const idSubscriber = seal!.signer!;
    const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await api(k, '/api/bsre/seals/activation', json({ idSubscriber }))).status).to.equal(201);
    const activationTotp = await code('bsre', 'segel@pemkot.sandbox.test');
    const otp = await api(k, '/api/bsre/seals/totp', json({ idSubscriber, activationTotp }));
    expect(otp.status, JSON.stringify(otp.body)).to.equal(201);
    const sealForm = new FormData();
    sealForm.append('documentId', signed.body.document.id);
    sealForm.append('idSubscriber', idSubscriber);
    if (!otp.body.held) sealForm.append('totp', (await code('bsre', 'segel@pemkot.sandbox.test'))!);
    const sealed = await api(k, '/api/bsre/seals', { method: 'POST', body: sealForm });
    expect(sealed.status, JSON.stringify(sealed.body)).to.equal(201);
    const documentId = sealed.body.documents[0].id;
    await expectStampsIn(await stored(k, documentId), person!.boxes);
    const report = await pdfsig(documentId);
    expect(report.signatures).to.have.length(2);
    expect(report.signatures[0]!.commonName).to.equal('Budi Santoso');
    expect(report.signatures[1]!.commonName).to.match(/Pemerintah Kota Sandbox/);
  });
});
