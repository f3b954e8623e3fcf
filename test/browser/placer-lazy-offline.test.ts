// <esign-placer>'s document view comes in a chunk of its own (placer/document.ts), fetched with the first
// document. When that fetch fails (the network dropped, a deployment that lost the file), the document fails as
// a network error, said in the element and with esign-error, and nothing of the document is shown or can be
// used; the next document fetches the chunk again. A page of its own: the chunk is not loaded before.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { PDFDocument } from 'pdf-lib';
import '@esign-kit/elements';
import { WORKER } from './placer-helpers.js';

async function onePage(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  return doc.save();
}

describe('<esign-placer> when its document view cannot be fetched', function () {
  this.timeout(60000);

  it('fails the document as a network error, shows nothing of it, and fetches the view again for the next one', async () => {
    await executeServerCommand('esign-block-urls', { patterns: ['*/placer/document.*'] });
    const element = document.createElement('esign-placer');
    element.setAttribute('worker-src', WORKER);
    element.style.cssText = '--esign-placer-height: 500px; width: 700px';
    document.body.append(element);
    try {
      const failed = oneEvent(element, 'esign-error');
      element.data = await onePage();
      const { detail } = await failed;
      expect(detail.code).to.equal('network-error');
      await element.updateComplete;
      const root = element.shadowRoot!;
      expect(root.querySelector('.status.error')?.textContent).to.contain(detail.message);
      expect(root.querySelector('.page'), 'no page shown').to.equal(null);
      expect(root.querySelector<HTMLButtonElement>('.add')!.disabled, 'nothing to add a box to').to.equal(true);
      expect(element.pageCount).to.equal(0);

      await executeServerCommand('esign-block-urls', { patterns: [] });
      const outcome = Promise.race([
        oneEvent(element, 'esign-ready').then((e) => `ready: ${e.detail.pageCount} page`),
        oneEvent(element, 'esign-error').then((e) => `error: ${e.detail.code}`),
      ]);
      element.data = await onePage();
      expect(await outcome).to.equal('ready: 1 page');
      await element.updateComplete;
      expect(root.querySelector('.page'), 'the page is shown').to.exist;
      element.addBox();
      await element.updateComplete;
      expect(root.querySelector('.inspector'), 'the inspector of the new box').to.exist;
    } finally {
      await executeServerCommand('esign-block-urls', { patterns: [] });
      element.remove();
    }
  });
});
