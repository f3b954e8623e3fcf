// The status line that floats in the dock over the pages (placer.styles.ts `.dock`): loading progress, the
// password form of an encrypted PDF, and errors — the document's, or what makes `value` incomplete.
import { html, nothing, type TemplateResult } from 'lit';
import type { EsignErrorDetail } from '../internal/events.js';
import type { PlacerStrings } from './strings.js';

export type Status = 'empty' | 'loading' | 'ready' | 'error' | 'password';

export interface StatusState {
  t: PlacerStrings;
  status: Status;
  progress: number | null;
  error: EsignErrorDetail | null;
  problem: EsignErrorDetail | null;
}

export function renderStatus(s: StatusState, submitPassword: (password: string) => void): TemplateResult | typeof nothing {
  const { t } = s;
  if (s.status === 'loading') {
    return html`<div class="status" part="status" role="status">
      <span>${t.loading(s.progress)}</span>
      <progress max="100" .value=${s.progress ?? 0} ?indeterminate=${s.progress === null}></progress>
    </div>`;
  }
  if (s.status === 'password') {
    return html`<form
      class="status password"
      part="status"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        submitPassword(String(new FormData(e.target as HTMLFormElement).get('password') ?? ''));
      }}
    >
      <span role="alert">${s.error?.message}</span>
      <label>${t.password} <input type="password" name="password" autocomplete="off" /></label>
      <button type="submit">${t.open}</button>
    </form>`;
  }
  if (s.status === 'error' && s.error) return html`<div class="status error" part="status" role="alert">${s.error.message}</div>`;
  if (s.problem) return html`<div class="status error" part="status" role="alert">${s.problem.message}</div>`;
  return nothing;
}
