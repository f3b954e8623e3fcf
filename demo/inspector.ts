// The request inspector: for each step of the demo, the companion API call and every request the companion
// sent to the provider for it (redacted by the server: credentials, one-time codes and documents never
// reach this page). Built with textContent only: provider answers are data, never markup.

// The trace's shape is the server's own (types only: nothing of the server is bundled into the page).
import type { BodyView } from '../server/src/inspector/redact.js';
import type { Exchange, Trace } from '../server/src/inspector/recorder.js';

export type { Trace };

export interface Step {
  step: string;
  call: string;
  status: number;
  trace?: Trace;
}

const list = () => document.querySelector<HTMLOListElement>('#inspector-list');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function bodyText(body: BodyView): string {
  switch (body.kind) {
    case 'none':
      return '(no body)';
    case 'json':
      return JSON.stringify(body.value, null, 2);
    case 'text':
      return body.text ?? '';
    case 'binary':
      return `[${body.type}, ${body.size !== undefined && body.size >= 0 ? `${body.size} bytes` : 'streamed'}]`;
    case 'form':
      return (body.fields ?? [])
        .map((f) =>
          f.file
            ? `${f.name}: [file ${f.file.name}, ${f.file.type || 'unknown type'}, ${f.file.size} bytes]`
            : `${f.name}: ${typeof f.value === 'string' ? f.value : JSON.stringify(f.value)}`,
        )
        .join('\n');
  }
}

function message(head: string, headers: Record<string, string>, body: BodyView): HTMLPreElement {
  const lines = [head, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', bodyText(body)];
  return el('pre', lines.join('\n'));
}

function exchangeItem(x: Exchange): HTMLLIElement {
  const item = el('li');
  const details = el('details');
  const outcome = x.response ? String(x.response.status) : (x.failure ?? 'no answer');
  const summary = el('summary');
  summary.append(
    el('span', x.provider, 'badge'),
    ' ',
    el('code', `${x.method} ${x.url}`),
    ' → ',
    el('strong', outcome, x.response && x.response.status < 400 ? 'ok' : 'bad'),
    ` · ${x.durationMs} ms`,
  );
  details.append(summary, el('h4', 'Request'), message(`${x.method} ${x.url}`, x.request.headers, x.request.body));
  if (x.response) details.append(el('h4', 'Response'), message(`HTTP ${x.response.status}`, x.response.headers, x.response.body));
  item.append(details);
  return item;
}

/** Adds a step at the top of the inspector (newest first). */
export function showTrace(step: Step) {
  const target = list();
  if (!target) return;
  const item = el('li');
  item.dataset.step = step.step;
  const details = el('details');
  details.open = true;
  const summary = el('summary');
  summary.append(el('span', step.step, 'step'), ' ', el('code', step.call), ' ', el('strong', String(step.status), step.status < 400 ? 'ok' : 'bad'));
  details.append(summary);
  const exchanges = step.trace?.exchanges ?? [];
  if (exchanges.length === 0) details.append(el('p', 'Answered by the companion server alone: no provider request.', 'hint'));
  else {
    const inner = el('ol', undefined, 'exchanges');
    inner.append(...exchanges.map(exchangeItem));
    details.append(inner);
  }
  item.append(details);
  // Older steps fold, so the newest stays in view.
  for (const open of target.querySelectorAll<HTMLDetailsElement>(':scope > li > details[open]')) open.open = false;
  target.prepend(item);
}

document.querySelector('#inspector-clear')?.addEventListener('click', () => list()?.replaceChildren());
