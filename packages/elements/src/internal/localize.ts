// The elements speak English and Bahasa Indonesia. Each element has one typed catalogue per language (an
// interface of its strings, with functions for the strings that take numbers or names); this controller picks
// the catalogue of the element's language and falls back to English for a language, or a string, it lacks —
// as Shoelace's and Web Awesome's LocalizeController do. The language follows `lang` on the element, else on
// its closest ancestor, else the page's; a change of `lang` on the element or on <html> renders it again.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type Language = 'en' | 'id';

/** A language's strings: every one English has, or (a partial translation) some of them. */
export type Catalogue<S> = { en: S } & { [L in Exclude<Language, 'en'>]?: Partial<S> };

/** The element's language: its `lang`, else the nearest ancestor's, else the document's; Indonesian or English. */
export function languageOf(element: Element): Language {
  const lang = (element.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language).toLowerCase();
  // `in` is the code Indonesian had before ISO 639 renamed it (old Java and Android locales still send it).
  return lang.startsWith('id') || lang.startsWith('in') ? 'id' : 'en';
}

/** One catalogue per language with English filled in where a translation is missing a string. */
export function withFallback<S extends object>(catalogue: Catalogue<S>): Record<Language, S> {
  return { en: catalogue.en, id: { ...catalogue.en, ...catalogue.id } };
}

export class LocalizeController<S extends object> implements ReactiveController {
  private readonly catalogues: Record<Language, S>;
  private observer: MutationObserver | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    catalogue: Catalogue<S>,
  ) {
    this.catalogues = withFallback(catalogue);
    host.addController(this);
  }

  /** The element's language now. */
  get lang(): Language {
    return languageOf(this.host);
  }

  /** The strings in the element's language. */
  get t(): S {
    return this.catalogues[this.lang];
  }

  /** The strings of a language, whatever the element's (messages written for logs and developers are English). */
  strings(lang: Language): S {
    return this.catalogues[lang];
  }

  hostConnected(): void {
    this.observer ??= new MutationObserver(() => this.host.requestUpdate());
    this.observer.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
  }
}
