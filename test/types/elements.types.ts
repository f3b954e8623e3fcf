// Type-level tests, checked by `tsc --noEmit -p tsconfig.json` (npm test's first step) and never run: the tags
// are in HTMLElementTagNameMap and the events in HTMLElementEventMap, so that TypeScript users get the element
// classes from querySelector/createElement and typed `event.detail` from addEventListener, without casts.
import type { PlacedBox } from '@esign-kit/core';
import {
  isSignerValue,
  type EsignErrorDetail,
  type EsignPlacer,
  type EsignPlacerChangeDetail,
  type EsignWebview,
  type EsignWebviewCompleteDetail,
} from '@esign-kit/elements';
// One element alone, through the package's `./esign-*.js` subpath export.
import type { EsignWebview as WebviewAlone } from '@esign-kit/elements/esign-webview.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_: T): void => {};

export function tagNames(): void {
  const placer = document.querySelector('esign-placer');
  expectType<Equal<typeof placer, EsignPlacer | null>>(true);
  const webview = document.createElement('esign-webview');
  expectType<Equal<typeof webview, EsignWebview>>(true);
  expectType<Equal<WebviewAlone, EsignWebview>>(true);
  // @ts-expect-error an element's own API, not any
  placer?.noSuchMethod();
}

export function events(placer: EsignPlacer, webview: EsignWebview): void {
  placer.addEventListener('esign-change', (event) => {
    expectType<Equal<typeof event, CustomEvent<EsignPlacerChangeDetail>>>(true);
    const boxes: PlacedBox[] = event.detail.boxes;
    // value: one object of provider fields per box, or (with `signers`) one entry per signer.
    const entry = event.detail.value[0];
    const first: string | number | undefined = entry && !isSignerValue(entry) ? entry.lowerLeftX : undefined;
    const perSigner: string | number | undefined = isSignerValue(entry) ? entry.fields[0]?.lowerLeftX : undefined;
    const signer: string | undefined = event.detail.signer?.name;
    void boxes;
    void first;
    void perSigner;
    void signer;
    // @ts-expect-error detail is typed, not any
    void event.detail.noSuchField;
  });
  placer.addEventListener('esign-error', (event) => {
    expectType<Equal<typeof event.detail, EsignErrorDetail>>(true);
    const code: string = event.detail.code;
    void code;
  });
  // Bubbling: a form (any element) listening for its placer's changes gets the same types.
  placer.form?.addEventListener('esign-change', (event) => void event.detail.boxes.length);
  webview.addEventListener('esign-complete', (event) => {
    expectType<Equal<typeof event.detail, EsignWebviewCompleteDetail>>(true);
    const confirmed: true = event.detail.confirmed;
    void confirmed;
  });
  // The events bubble and are composed: a listener on document or window gets the same types.
  document.addEventListener('esign-change', (event) => {
    expectType<Equal<typeof event.detail, EsignPlacerChangeDetail>>(true);
  });
  window.addEventListener('esign-complete', (event) => {
    expectType<Equal<typeof event.detail, EsignWebviewCompleteDetail>>(true);
  });
  // esign-ready is shared by the placer and the web view: the detail is a union, told apart by its fields.
  placer.addEventListener('esign-ready', (event) => {
    if ('pageCount' in event.detail) {
      const pages: number = event.detail.pageCount;
      void pages;
    }
  });
}
