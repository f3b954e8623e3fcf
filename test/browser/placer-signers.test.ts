// Signing orders in <esign-placer>: the active signer and kind chosen in the toolbar, boxes coloured and
// named by signer, `value` per signer in each provider's shape, validity messages and events that name the
// signer — in English and Indonesian.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PDFDocument } from 'pdf-lib';
import '@esign-kit/elements';
import { isSignerValue, type EsignPlacer, type SignerValue } from '@esign-kit/elements';
import { boxOf, mountIn, pageOf, unmountAll } from './placer-helpers.js';

const SITI = { id: 'siti@peruri.sandbox.test', name: 'Siti Rahayu' };
const RINA = { id: 'rina@peruri.sandbox.test', name: 'Rina Marlina', color: 'rgb(20, 108, 46)' };

async function placer(provider: string, lang = 'en'): Promise<EsignPlacer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  doc.addPage([595, 842]);
  const element = mountIn('display:block', { provider, zoom: '1', lang });
  const ready = oneEvent(element, 'esign-ready');
  element.data = await doc.save();
  await ready;
  await element.updateComplete;
  return element;
}

const entries = (element: EsignPlacer): SignerValue[] => {
  const value = element.value;
  expect(
    value.every((e) => isSignerValue(e)),
    'value is per signer',
  ).to.be.true;
  return value as SignerValue[];
};

afterEach(unmountAll);

describe('<esign-placer> with a signing order', function () {
  this.timeout(30000);

  it('Peruri tier: one entry per signer in order, each with its boxes; a signer without a box makes it invalid, by name', async () => {
    const element = await placer('peruri');
    element.signers = [SITI, RINA];
    await element.updateComplete;
    // The toolbar offers the signers, first one active.
    const select = element.shadowRoot!.querySelector<HTMLSelectElement>('.signer-select')!;
    expect([...select.options].map((o) => o.textContent)).to.deep.equal(['1. Siti Rahayu', '2. Rina Marlina']);
    expect(element.activeSigner).to.equal(SITI.id);
    expect(element.shadowRoot!.querySelector('.kind-select'), 'Peruri has one kind').to.equal(null);
    expect(element.validity.valueMissing).to.be.true;
    expect(element.validationMessage).to.equal('Siti Rahayu has no signature box: Peruri Digital Signature needs one for each signer.');

    const change = oneEvent(element, 'esign-change');
    element.addBox({ page: 2, x: 60, y: 80, width: 120, height: 60 });
    const { detail } = await change;
    expect(detail.signer).to.deep.equal(SITI);
    expect(detail.box).to.include({ signer: SITI.id, kind: 'signature', page: 2 });
    expect(element.validationMessage).to.match(/^Rina Marlina has no signature box/);

    // The person picks the second signer in the toolbar and draws her box with the mouse.
    select.value = RINA.id;
    select.dispatchEvent(new Event('change'));
    await element.updateComplete;
    expect(element.activeSigner).to.equal(RINA.id);
    element.scrollToPage(2);
    await new Promise((r) => requestAnimationFrame(r));
    const p = pageOf(element, 2).getBoundingClientRect();
    const drawn = oneEvent(element, 'esign-change');
    // Mouse positions are whole pixels; the page may sit at a half pixel.
    const from = [Math.round(p.left + 300), Math.round(p.top + 200)] as const;
    const x = from[0] - p.left;
    const y = 842 - (from[1] - p.top) - 60;
    await executeServerCommand('esign-drag', { from, to: [from[0] + 120, from[1] + 60] });
    expect((await drawn).detail.signer).to.deep.equal(RINA);
    expect(element.validity.valid).to.be.true;
    // The portal may choose too; the toolbar follows, even after the person's own choice.
    element.activeSigner = SITI.id;
    await element.updateComplete;
    expect(select.value).to.equal(SITI.id);
    expect(entries(element)).to.deep.equal([
      {
        signer: SITI.id,
        name: SITI.name,
        kind: 'signature',
        boxes: [{ page: 2, x: 60, y: 80, width: 120, height: 60 }],
        fields: [{ page: '2', lowerLeftX: '60', lowerLeftY: '80', upperRightX: '180', upperRightY: '140' }],
      },
      {
        signer: RINA.id,
        name: RINA.name,
        kind: 'signature',
        boxes: [{ page: 2, x, y, width: 120, height: 60 }],
        fields: [
          {
            page: '2',
            lowerLeftX: String(Math.round(x)),
            lowerLeftY: String(Math.round(y)),
            upperRightX: String(Math.round(x + 120)),
            upperRightY: String(Math.round(y + 60)),
          },
        ],
      },
    ]);
    // Boxes are coloured and named by signer.
    await element.updateComplete;
    const [first, second] = element.boxes;
    expect(getComputedStyle(boxOf(element, second!.id)).borderTopColor).to.equal('rgb(20, 108, 46)');
    expect(getComputedStyle(boxOf(element, first!.id)).borderTopColor).to.not.equal('rgb(20, 108, 46)');
    expect(boxOf(element, first!.id).getAttribute('aria-label')).to.match(/^Signature box 1 of Siti Rahayu, page 2/);
    expect(boxOf(element, second!.id).querySelector('.label')!.textContent).to.equal('2 · Rina Marlina');
    // The form submits the per-signer value.
    expect(JSON.parse(JSON.stringify(element.value))).to.have.length(2);
  });

  it('Digisign: one box per signer plus the e-meterai box of the document; overlaps and a second box are refused, naming the signer', async () => {
    const element = await placer('digisign');
    const DEWI = { id: 'dewi@digisign.sandbox.test', name: 'Dewi Anggraini' };
    const EKO = { id: 'eko@digisign.sandbox.test', name: 'Eko Saputra' };
    element.signers = [DEWI, EKO];
    await element.updateComplete;
    const kinds = element.shadowRoot!.querySelector<HTMLSelectElement>('.kind-select')!;
    expect([...kinds.options].map((o) => o.value)).to.deep.equal(['signature', 'meterai']);
    element.addBox({ page: 1, x: 60, y: 80, width: 150, height: 70 });
    element.activeSigner = EKO.id;
    element.addBox({ page: 1, x: 230, y: 80, width: 150, height: 70 });
    kinds.value = 'meterai';
    kinds.dispatchEvent(new Event('change'));
    await element.updateComplete;
    element.addBox({ page: 1, x: 400, y: 80, width: 100, height: 100 });
    await element.updateComplete;
    expect(element.validity.valid, element.validationMessage).to.be.true;
    const value = entries(element);
    expect(value.map((e) => [e.signer, e.kind, e.fields.length])).to.deep.equal([
      [DEWI.id, 'signature', 1],
      [EKO.id, 'signature', 1],
      [null, 'meterai', 1],
    ]);
    expect(value[2]!.fields[0]).to.deep.equal({ page: '1', llx: '400', lly: '80', urx: '500', ury: '180' });
    const meterai = element.boxes[2]!;
    expect(meterai.signer).to.equal(undefined);
    expect(boxOf(element, meterai.id).getAttribute('aria-label')).to.match(/^E-meterai box 3, page 1/);
    // Assistive technology hears what each box is, and the toolbar is not named like the pages' region.
    expect(boxOf(element, meterai.id).getAttribute('aria-roledescription')).to.equal('e-meterai box');
    expect(boxOf(element, element.boxes[0]!.id).getAttribute('aria-roledescription')).to.equal('signature box');
    const toolbar = element.shadowRoot!.querySelector('[role="toolbar"]')!.getAttribute('aria-label');
    expect(toolbar).to.equal('Document tools');
    expect(element.shadowRoot!.querySelector('[role="region"]')!.getAttribute('aria-label')).to.not.equal(toolbar);

    // A second box for Eko: Digisign takes one per signer.
    kinds.value = 'signature';
    kinds.dispatchEvent(new Event('change'));
    const error = oneEvent(element, 'esign-error');
    element.addBox({ page: 2, x: 60, y: 80, width: 150, height: 70 });
    expect((await error).detail).to.deep.include({ code: 'too-many-boxes', field: 'signers.1', signer: EKO.id });
    expect(element.validationMessage).to.equal('The signing order is not complete: Eko Saputra has 2 boxes: Digisign takes 1 per signer.');
    element.removeBox(element.boxes[3]!.id);
    // The e-meterai over Dewi's signature: result 03 at Digisign; refused here first, naming the box.
    element.boxes = element.boxes.map((b) => (b.kind === 'meterai' ? { ...b, x: 100 } : b));
    await element.updateComplete;
    expect(element.validity.customError).to.be.true;
    expect(element.validationMessage).to.match(/^A signature box is not acceptable to the provider\. E-meterai box 3: Boxes .* overlap/);
  });

  it("BSrE: the organisation seal beside a person's signature; the seal has no box to place", async () => {
    const element = await placer('bsre-v2');
    const BUDI = { id: '3171000000000001', name: 'Budi Santoso' };
    const PEMKOT = { id: 'SANDBOX-SEAL-0001', name: 'Pemerintah Kota Sandbox', kind: 'seal' as const };
    element.signers = [BUDI, PEMKOT];
    await element.updateComplete;
    expect([...element.shadowRoot!.querySelector<HTMLSelectElement>('.kind-select')!.options].map((o) => o.value)).to.deep.equal(['signature', 'qr']);
    element.addBox({ page: 1, x: 60, y: 80, width: 150, height: 70 });
    element.activeSigner = PEMKOT.id;
    await element.updateComplete;
    const add = element.shadowRoot!.querySelector<HTMLButtonElement>('.add')!;
    // Blocked but focusable: the reason is its description (not only a tooltip), and pressing it says why.
    const reason = 'The seal of Pemerintah Kota Sandbox has no box: BSrE places a seal itself (its seal request takes no position).';
    expect(add.getAttribute('aria-disabled')).to.equal('true');
    expect(add.disabled).to.be.false;
    expect(add.title).to.equal(reason);
    expect(element.shadowRoot!.getElementById(add.getAttribute('aria-describedby')!)!.textContent).to.equal(reason);
    add.click();
    await element.updateComplete;
    expect(element.boxes).to.have.length(1);
    expect(element.shadowRoot!.querySelector('[aria-live]')!.textContent).to.contain(reason);
    expect(element.validity.valid, element.validationMessage).to.be.true;
    expect(entries(element)).to.deep.equal([
      {
        signer: BUDI.id,
        name: BUDI.name,
        kind: 'signature',
        boxes: [{ page: 1, x: 60, y: 80, width: 150, height: 70 }],
        fields: [{ page: 1, originX: 60, originY: 692, width: 150, height: 70 }],
      },
      { signer: PEMKOT.id, name: PEMKOT.name, kind: 'seal', boxes: [], fields: [] },
    ]);
    // A box given to the seal anyway (by a script) is refused, naming the organisation.
    element.addBox({ page: 2, x: 60, y: 80, width: 150, height: 70, signer: PEMKOT.id });
    await element.updateComplete;
    expect(element.validationMessage).to.equal(
      'The signing order is not complete: Box 2: the seal of Pemerintah Kota Sandbox cannot be placed; BSrE Esign Client v2 documents no position for a seal.',
    );
    // Peruri has no seal in a signing order.
    element.boxes = element.boxes.slice(0, 1);
    element.provider = 'peruri';
    await element.updateComplete;
    expect(element.validationMessage).to.equal(
      'The signing order is not complete: Pemerintah Kota Sandbox: Peruri Digital Signature has no organisation seal in a signing order.',
    );
  });

  it('the inspector gives a box to another signer or makes it another kind; the keyboard reaches it all', async () => {
    const element = await placer('digisign');
    element.signers = [
      { id: 'a@x.test', name: 'Ani' },
      { id: 'b@x.test', name: 'Bayu' },
    ];
    await element.updateComplete;
    const id = element.addBox({ page: 1, x: 60, y: 80, width: 150, height: 70 });
    await element.updateComplete;
    const signer = element.shadowRoot!.querySelector<HTMLSelectElement>('.inspector .box-signer')!;
    signer.value = 'b@x.test';
    const change = oneEvent(element, 'esign-change');
    signer.dispatchEvent(new Event('change', { bubbles: true }));
    expect((await change).detail.signer).to.deep.equal({ id: 'b@x.test', name: 'Bayu' });
    expect(element.boxes[0]).to.include({ id, signer: 'b@x.test' });
    await element.updateComplete;
    const kind = element.shadowRoot!.querySelector<HTMLSelectElement>('.inspector .box-kind')!;
    kind.value = 'meterai';
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    await element.updateComplete;
    expect(element.boxes[0]!.kind).to.equal('meterai');
    expect(element.boxes[0]!.signer).to.equal(undefined);
    await expect(element).to.be.accessible();
  });

  it('speaks Indonesian: box names and messages name the signer', async () => {
    const element = await placer('peruri', 'id');
    element.signers = [SITI, RINA];
    element.addBox({ page: 1, x: 60, y: 80, width: 120, height: 60 });
    await element.updateComplete;
    expect(element.validationMessage).to.equal(
      'Rina Marlina belum memiliki kotak tanda tangan: Peruri Digital Signature memerlukan satu untuk setiap penanda tangan.',
    );
    expect(boxOf(element, element.boxes[0]!.id).getAttribute('aria-label')).to.match(/^Kotak tanda tangan 1 milik Siti Rahayu, halaman 1/);
    expect(element.shadowRoot!.querySelector<HTMLSelectElement>('.signer-select')!.getAttribute('aria-label')).to.equal('Penanda tangan');
  });

  it('bad signers are refused by field: no id, a repeated id, a box of nobody in the order', async () => {
    const element = await placer('peruri');
    const errors: { code: string; field?: string }[] = [];
    element.addEventListener('esign-error', (e) => errors.push(e.detail));
    element.signers = [SITI, { id: SITI.id, name: 'Again' }];
    await element.updateComplete;
    expect(errors.at(-1)).to.deep.include({ code: 'invalid-signer', field: 'signers.1.id' });
    element.signers = [SITI];
    element.boxes = [{ id: 'x', page: 1, x: 60, y: 80, width: 120, height: 60, signer: 'someone@else.test' }];
    await element.updateComplete;
    expect(errors.at(-1)).to.deep.include({ code: 'unknown-signer', field: 'boxes.0.signer' });
    expect(element.validationMessage).to.match(/"someone@else\.test", who is not in the signing order/);
    // Without signers the same boxes are anonymous again: the flat value of before.
    element.signers = [];
    await element.updateComplete;
    expect(element.validity.valid).to.be.true;
    expect(element.value).to.deep.equal([{ page: '1', lowerLeftX: '60', lowerLeftY: '80', upperRightX: '180', upperRightY: '140' }]);
  });
});
