// The demo's converter: a thin page over @esign-kit/core. It does no geometry of its own.
import {
  CoordinateError,
  fromProviderFields,
  pageGeometry,
  parseProfileOverrides,
  resolveProfile,
  toProviderFields,
  userBoxToViewport,
  viewportSize,
  type CoordinateIssue,
  type PageGeometry,
  type ProfileId,
} from '@esign-kit/core';

const PRESETS: Record<string, { mediaBox: string; cropBox: string; rotate: number; userUnit: number }> = {
  a4: { mediaBox: '0 0 595 842', cropBox: '', rotate: 0, userUnit: 1 },
  'a4-90': { mediaBox: '0 0 595 842', cropBox: '', rotate: 90, userUnit: 1 },
  'a4-180': { mediaBox: '0 0 595 842', cropBox: '', rotate: 180, userUnit: 1 },
  'a4-270': { mediaBox: '0 0 595 842', cropBox: '', rotate: 270, userUnit: 1 },
  'letter-crop': { mediaBox: '0 0 612 792', cropBox: '36 36 576 756', rotate: 0, userUnit: 1 },
  offset: { mediaBox: '100 200 700 1000', cropBox: '', rotate: 90, userUnit: 1 },
  userunit: { mediaBox: '0 0 300 400', cropBox: '', rotate: 0, userUnit: 2 },
  landscape: { mediaBox: '0 0 842 595', cropBox: '', rotate: 0, userUnit: 1 },
};

const form = document.querySelector<HTMLFormElement>('#converter')!;
const fieldsOut = document.querySelector<HTMLPreElement>('#fields')!;
const errorsOut = document.querySelector<HTMLUListElement>('#errors')!;
const preview = document.querySelector<SVGSVGElement>('#preview')!;
const viewportOut = document.querySelector<HTMLElement>('#viewport')!;
const backInput = document.querySelector<HTMLTextAreaElement>('#back-input')!;
const backOutput = document.querySelector<HTMLPreElement>('#back-output')!;

const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
const numberOf = (name: string) => Number(input(name).value);
const numbersIn = (text: string) =>
  text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);

function showIssues(list: HTMLElement, issues: readonly CoordinateIssue[]) {
  list.replaceChildren(
    ...issues.map((issue) => {
      const item = document.createElement('li');
      item.textContent = `${issue.field}: ${issue.messages.en}`;
      const id = document.createElement('span');
      id.className = 'id';
      id.lang = 'id';
      id.textContent = issue.messages.id;
      item.append(id);
      return item;
    }),
  );
}

function readState() {
  const overrides = parseProfileOverrides(Object.fromEntries(['origin', 'encoding', 'space', 'rounding'].map((k) => [k, input(k).value]).filter(([, v]) => v)));
  const cropText = input('cropBox').value.trim();
  const geometry = pageGeometry({
    mediaBox: numbersIn(input('mediaBox').value),
    cropBox: cropText ? numbersIn(cropText) : null,
    rotate: numberOf('rotate'),
    userUnit: numberOf('userUnit'),
  });
  const pageCount = Math.max(1, Math.floor(numberOf('pageCount')) || 1);
  const pages: PageGeometry[] = Array.from({ length: pageCount }, () => geometry);
  const profile = resolveProfile(input('provider').value as ProfileId, overrides);
  const box = { page: numberOf('page'), x: numberOf('x'), y: numberOf('y'), width: numberOf('width'), height: numberOf('height') };
  return { geometry, pages, profile, box };
}

function svg<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', name);
  for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, String(v));
  return element;
}

function drawPreview(geometry: PageGeometry, box: { x: number; y: number; width: number; height: number }) {
  const size = viewportSize(geometry, 1);
  const rect = userBoxToViewport(geometry, 1, box);
  // Labels scale with the page so that they read the same on a postcard and on a poster.
  const font = Math.max(size.width, size.height) / 40;
  const margin = font * 2;
  preview.setAttribute('viewBox', `${-margin} ${-margin} ${size.width + 2 * margin} ${size.height + 2 * margin}`);
  const label = svg('text', { x: 0, y: -font / 2, 'font-size': font, fill: '#4a5568' });
  label.textContent = `${Math.round(size.width)} × ${Math.round(size.height)} (displayed, /Rotate ${geometry.rotate})`;
  const boxLabel = svg('text', { x: rect.left + font / 3, y: rect.top + font, 'font-size': font * 0.8, fill: '#0b3d91' });
  boxLabel.textContent = 'signature';
  preview.replaceChildren(
    svg('rect', { x: 0, y: 0, width: size.width, height: size.height, fill: '#fff', stroke: '#94a3b8' }),
    svg('rect', { x: rect.left, y: rect.top, width: rect.width, height: rect.height, fill: 'rgb(11 61 145 / 15%)', stroke: '#0b3d91', 'stroke-width': 2 }),
    label,
    boxLabel,
  );
  viewportOut.textContent = JSON.stringify({ left: round(rect.left), top: round(rect.top), width: round(rect.width), height: round(rect.height) });
}

const round = (n: number) => Math.round(n * 100) / 100;

function convert() {
  try {
    const { geometry, pages, profile, box } = readState();
    drawPreview(geometry, box);
    const fields = toProviderFields(box, pages, profile);
    fieldsOut.textContent = JSON.stringify(fields, null, 2);
    errorsOut.replaceChildren();
    if (document.activeElement !== backInput) {
      backInput.value = JSON.stringify(fields, null, 2);
      convertBack();
    }
  } catch (error) {
    if (!(error instanceof CoordinateError)) throw error;
    fieldsOut.textContent = '';
    showIssues(errorsOut, error.issues);
  }
}

function convertBack() {
  try {
    const { pages, profile } = readState();
    const parsed: unknown = JSON.parse(backInput.value);
    if (typeof parsed !== 'object' || parsed === null) throw new SyntaxError('Expected a JSON object.');
    const box = fromProviderFields(parsed as Record<string, unknown>, pages, profile);
    backOutput.textContent = JSON.stringify({ page: box.page, x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height) }, null, 2);
  } catch (error) {
    if (error instanceof CoordinateError) backOutput.textContent = error.issues.map((i) => `${i.field}: ${i.messages.en}\n  ${i.messages.id}`).join('\n');
    else if (error instanceof SyntaxError) backOutput.textContent = `Not valid JSON: ${error.message}`;
    else throw error;
  }
}

input('preset').addEventListener('change', () => {
  const preset = PRESETS[input('preset').value]!;
  input('mediaBox').value = preset.mediaBox;
  input('cropBox').value = preset.cropBox;
  input('rotate').value = String(preset.rotate);
  input('userUnit').value = String(preset.userUnit);
  convert();
});
form.addEventListener('input', convert);
form.addEventListener('submit', (event) => event.preventDefault());
backInput.addEventListener('input', convertBack);
convert();

const health = document.querySelector<HTMLElement>('#health')!;
fetch('/api/health')
  .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
  .then((body: { mode: string }) => (health.textContent = `server: ${body.mode}`))
  .catch(() => {
    health.textContent = 'server unreachable';
    health.classList.add('down');
  });
