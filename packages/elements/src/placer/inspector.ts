// The inspector of the selected box, floating in the dock over the pages (placer.styles.ts `.dock`): its
// signer and kind, its position in the provider's own fields — which take typed values, checked by the core's
// `fromProviderFields` — and Remove. A component of its own: it keeps its state (why the last typed value was
// refused) and renders its template into the element's shadow root, where its controls stay reachable for
// `::part(inspector)`, for the element's focus handling, and for tests.
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import {
  CoordinateError,
  PROFILES,
  fromProviderFields,
  toProviderFields,
  type BoxKind,
  type CoordinateProfile,
  type PageGeometry,
  type PlacedBox,
} from '@esign-kit/core';
import type { Language } from '../internal/localize.js';
import type { BoxModel } from './box-model.js';
import { kindOf, signingRules, type Signer } from './signers.js';
import type { PlacerStrings } from './strings.js';

/** What the inspector needs of the element. */
export interface InspectorView {
  /** The boxes and which is selected; a typed position, a new signer or kind, Remove go through it. */
  model: BoxModel;
  t(): PlacerStrings;
  lang(): Language;
  /** Whether the document is shown (the inspector is not, before). */
  shown(): boolean;
  profile(): CoordinateProfile | null;
  pages(): readonly PageGeometry[];
  readonly(): boolean;
  signers(): readonly Signer[];
}

export class BoxInspector {
  /** Why the last typed value was refused (`field: reason`), until a value is accepted. */
  private error = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly view: InspectorView,
  ) {}

  render(): TemplateResult | typeof nothing {
    const v = this.view;
    const { model } = v;
    const box = model.find(model.selected);
    const profile = v.profile();
    if (!box || !profile || !v.shown()) return nothing;
    let fields: Record<string, string | number>;
    try {
      fields = toProviderFields(box, v.pages(), profile) as unknown as Record<string, string | number>;
    } catch (error) {
      if (!(error instanceof CoordinateError)) throw error;
      // The provider refuses the box as it is: its fields are empty until a position it takes is typed.
      fields = {};
    }
    const t = v.t();
    const readonly = v.readonly();
    const signers = v.signers();
    const kinds = signingRules(profile.id).kinds;
    const kind = kindOf(box);
    const assign = (patch: { signer?: string; kind?: BoxKind }) => (e: Event) => {
      e.stopPropagation();
      model.assign(box.id, patch);
    };
    const chosen = (e: Event) => (e.target as HTMLSelectElement).value;
    return html`<form class="inspector" part="inspector" aria-label=${model.name(box)} @submit=${(e: Event) => e.preventDefault()} @change=${(e: Event) => this.edit(e, box, profile)}>
      <strong>${t.inspector(PROFILES[profile.id].label)}</strong>
      ${
        signers.length
          ? html`<select class="box-signer" aria-label=${t.signer} ?disabled=${readonly || kind === 'meterai'} @change=${(e: Event) => assign({ signer: chosen(e) })(e)}>
            ${kind === 'meterai' ? html`<option value="" selected>—</option>` : nothing}
            ${signers.map((x, i) => html`<option value=${x.id} ?selected=${x.id === box.signer}>${i + 1}. ${x.name}</option>`)}
          </select>`
          : nothing
      }
      ${
        signers.length && kinds.length > 1
          ? html`<select class="box-kind" aria-label=${t.kind} ?disabled=${readonly} @change=${(e: Event) => assign({ kind: chosen(e) as BoxKind })(e)}>
            ${kinds.map((k) => html`<option value=${k} ?selected=${k === kind}>${t.kinds[k]}</option>`)}
          </select>`
          : nothing
      }
      ${Object.entries(fields).map(([key, value]) => html`<label>${key} <input name=${key} .value=${String(value)} ?readonly=${readonly} size="6" /></label>`)}
      ${readonly ? nothing : html`<button type="button" @click=${() => model.remove(box.id)}>${t.remove}</button>`}
      ${this.error ? html`<span class="inspector-error" role="alert">${this.error}</span>` : nothing}
    </form>`;
  }

  /** A field was edited (the form's `change`): the box moves there, or the field is named with the reason. */
  private edit(event: Event, box: PlacedBox, profile: CoordinateProfile): void {
    const form = (event.currentTarget as HTMLElement).closest('form')!;
    const fields = Object.fromEntries(new FormData(form).entries());
    try {
      const position = fromProviderFields(fields, this.view.pages(), profile);
      this.error = '';
      this.view.model.edit(box.id, position);
    } catch (error) {
      if (!(error instanceof CoordinateError)) throw error;
      this.error = `${error.field}: ${error.messages[this.view.lang()]}`;
      this.host.requestUpdate();
    }
  }
}
