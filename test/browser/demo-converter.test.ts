// The demo's converter page, driven in Chromium like a person: pick a preset, type a box, read the fields.
import { expect, waitUntil } from '@open-wc/testing';

async function openDemo() {
  const frame = document.createElement('iframe');
  frame.src = '/demo/index.html';
  frame.style.width = '1200px';
  frame.style.height = '900px';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const doc = frame.contentDocument!;
  await waitUntil(() => doc.querySelector('#fields')?.textContent?.includes('lowerLeftX'), 'the converter did not start', { timeout: 10000 });
  const set = (name: string, value: string, event = 'input') => {
    const element = doc.querySelector<HTMLInputElement | HTMLSelectElement>(`#converter [name="${name}"]`)!;
    element.value = value;
    element.dispatchEvent(new Event(event, { bubbles: true }));
  };
  const fields = () => JSON.parse(doc.querySelector('#fields')!.textContent || 'null') as unknown;
  return { frame, doc, set, fields };
}

describe('demo converter page', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));

  it("starts with Peruri's own example box on A4", async () => {
    const { fields } = await openDemo();
    expect(fields()).to.deep.equal({ page: '1', lowerLeftX: '454', lowerLeftY: '45', upperRightX: '529', upperRightY: '116' });
  });

  it('follows a rotated preset and a provider switch', async () => {
    const { set, fields, doc } = await openDemo();
    set('preset', 'a4-90', 'change');
    // visual (y, 595 − x): (454,45)→(45,141), (529,116)→(116,66)
    expect(fields()).to.deep.equal({ page: '1', lowerLeftX: '45', lowerLeftY: '66', upperRightX: '116', upperRightY: '141' });
    set('provider', 'bsre-v2');
    expect(fields()).to.deep.equal({ page: 1, originX: 45, originY: 454, width: 71, height: 75 });
    expect(doc.querySelector('#viewport')!.textContent).to.equal('{"left":45,"top":454,"width":71,"height":75}');
    expect(JSON.parse(doc.querySelector('#back-output')!.textContent!)).to.deep.equal({ page: 1, x: 454, y: 45, width: 75, height: 71 });
  });

  it('shows a bad box in English and Indonesian, with the field', async () => {
    const { set, doc } = await openDemo();
    set('x', '560');
    expect(doc.querySelector('#fields')!.textContent).to.equal('');
    const error = doc.querySelector('#errors li')!;
    expect(error.textContent).to.contain('width: The box');
    expect(error.querySelector('[lang="id"]')!.textContent).to.contain('tidak muat');
  });
});
