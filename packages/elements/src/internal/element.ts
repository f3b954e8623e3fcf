// What every element of the kit shares, below the three of them (as Material Web's `internal/` and Web Awesome's
// base element): the language it speaks and the polite live region it announces through. Events go out through
// `fire` (./events.ts); strings through a LocalizeController (./localize.ts); server calls through ServerClient
// (./server-client.ts); runs that a newer one cancels through RunController (./run-controller.ts).
//
// Conventions of the elements' classes: private members are `private _x` (TypeScript `private`, and an
// underscore, as Lit's documentation writes private reactive state: it keeps `_status` apart from a public
// `status` getter, and tells a reader at the call site that the member is not API). Reactive properties are
// declared in `static properties` and assigned in the constructor (a class field would shadow Lit's accessor).
import { LitElement } from 'lit';
import { languageOf, type Language } from './localize.js';

export abstract class EsignElement extends LitElement {
  /** The element's language: `lang` on it or its closest ancestor, else the page's (Indonesian or English). */
  protected get language(): Language {
    return languageOf(this);
  }

  /**
   * Says `text` to screen readers once, through the element's `.live` region (role status, aria-live polite).
   * The region is written directly, not through a template binding, so that the same message twice is
   * announced twice and a re-render announces nothing.
   */
  protected announce(text: string): void {
    const region = this.renderRoot?.querySelector('.live');
    if (region) region.textContent = text;
  }
}
