// What floats in the dock over the pages (placer.styles.ts `.dock`): the inspector of the selected box — its
// signer and kind, and its position in the provider's own fields, which take typed values — and the status
// line (loading, password, errors). Floating, they never push the pages: what the person points at stays put.
import { html, nothing, type TemplateResult } from 'lit';
import type { BoxKind, PlacedBox } from '@esign-kit/core';
import type { EsignErrorDetail } from './events.js';
import { kindOf, type Signer } from './signers.js';
import type { PlacerStrings } from './strings.js';

export interface InspectorState {
  t: PlacerStrings;
  box: PlacedBox;
  /** The box's accessible name (kind, number, signer). */
  name: string;
  providerLabel: string;
  /** The box in the provider's fields (empty when the provider refuses it). */
  fields: Record<string, string | number>;
  readonly: boolean;
  error: string;
  signers: readonly Signer[];
  kinds: readonly BoxKind[];
}

export interface InspectorActions {
  /** A field was edited (the form's `change` event). */
  edit(event: Event): void;
  remove(): void;
  assign(patch: { signer?: string; kind?: BoxKind }): void;
}

export function renderInspector(s: InspectorState, a: InspectorActions): TemplateResult {
  const { t, box } = s;
  const kind = kindOf(box);
  return html`<form class="inspector" part="inspector" aria-label=${s.name} @submit=${(e: Event) => e.preventDefault()} @change=${a.edit}>
    <strong>${t.inspector(s.providerLabel)}</strong>
    ${s.signers.length
      ? html`<select class="box-signer" aria-label=${t.signer} ?disabled=${s.readonly || kind === 'meterai'} @change=${(e: Event) => {
            e.stopPropagation();
            a.assign({ signer: (e.target as HTMLSelectElement).value });
          }}>
          ${kind === 'meterai' ? html`<option value="" selected>—</option>` : nothing}
          ${s.signers.map((x, i) => html`<option value=${x.id} ?selected=${x.id === box.signer}>${i + 1}. ${x.name}</option>`)}
        </select>`
      : nothing}
    ${s.signers.length && s.kinds.length > 1
      ? html`<select class="box-kind" aria-label=${t.kind} ?disabled=${s.readonly} @change=${(e: Event) => {
            e.stopPropagation();
            a.assign({ kind: (e.target as HTMLSelectElement).value as BoxKind });
          }}>
          ${s.kinds.map((k) => html`<option value=${k} ?selected=${k === kind}>${t.kinds[k]}</option>`)}
        </select>`
      : nothing}
    ${Object.entries(s.fields).map(([key, value]) => html`<label>${key} <input name=${key} .value=${String(value)} ?readonly=${s.readonly} size="6" /></label>`)}
    ${s.readonly ? nothing : html`<button type="button" @click=${a.remove}>${t.remove}</button>`}
    ${s.error ? html`<span class="inspector-error" role="alert">${s.error}</span>` : nothing}
  </form>`;
}

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
