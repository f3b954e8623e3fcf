// A form control's plumbing, mixed into an element (as Material Web's `mixinFormAssociated` and Web Awesome's
// form-associated base do it): `static formAssociated`, the ElementInternals, the form API a page calls
// (`form`, `validity`, `checkValidity()`…), and the callbacks the browser calls (reset, state restore,
// disabled), each handed to a hook of the element. The element says what it submits and what is wrong with it
// through `updateForm()`, whenever that changes — synchronously, so that a `change` listener or a `submit`
// reads the current value and validity, not the one of the previous update.
import type { LitElement } from 'lit';

/** What a form control submits, or keeps as its state: a string, a file, several entries, or nothing. */
export type FormValue = string | File | FormData | null;

/** What is wrong with the control: the ValidityState flags, the message, and the element the browser points at. */
export interface FormValidity {
  flags: ValidityStateFlags;
  message: string;
  anchor?: HTMLElement | undefined;
}

/** The form API the mixin adds, and the hooks an element overrides (the type of the mixin's class). */
export declare abstract class FormAssociatedElement {
  static readonly formAssociated: true;
  readonly form: HTMLFormElement | null;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  checkValidity(): boolean;
  reportValidity(): boolean;
  formResetCallback(): void;
  formStateRestoreCallback(state: string | File | FormData | null, reason: 'restore' | 'autocomplete'): void;
  formDisabledCallback(disabled: boolean): void;
  protected readonly internals: ElementInternals;
  protected updateForm(value: FormValue, state: FormValue, validity: FormValidity | null): void;
  /** Hooks the element implements (each optional): a form reset, a state restored, a fieldset disabled. */
  protected resetForm?(): void;
  protected restoreForm?(state: string | File | FormData): void;
  protected disableForm?(disabled: boolean): void;
}

// A mixin's constructor must take `any[]` (TypeScript's rule for mixin classes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T> = abstract new (...args: any[]) => T;

/** The class the mixin returns: the base's, with the form API (instance) and `formAssociated` (static). */
export type FormAssociatedConstructor<T> = T & Constructor<FormAssociatedElement> & { readonly formAssociated: true };

export function FormAssociated<T extends Constructor<LitElement>>(Base: T): FormAssociatedConstructor<T> {
  abstract class FormAssociatedMixin extends Base {
    static readonly formAssociated = true;
    protected readonly internals: ElementInternals = this.attachInternals();

    /** The form the element belongs to. */
    get form(): HTMLFormElement | null {
      return this.internals.form;
    }
    /** What is wrong, if anything, as the browser's ValidityState (the element's description lists its flags). */
    get validity(): ValidityState {
      return this.internals.validity;
    }
    /** What is wrong, in the element's language. */
    get validationMessage(): string {
      return this.internals.validationMessage;
    }
    /** Whether the form validates this element. */
    get willValidate(): boolean {
      return this.internals.willValidate;
    }
    /** Whether the element is valid; fires `invalid` when it is not. */
    checkValidity(): boolean {
      return this.internals.checkValidity();
    }
    /** Like `checkValidity()`, and shows the message to the person. */
    reportValidity(): boolean {
      return this.internals.reportValidity();
    }

    formResetCallback(): void {
      this.resetForm?.();
    }
    formStateRestoreCallback(state: string | File | FormData | null): void {
      if (state !== null) this.restoreForm?.(state);
    }
    formDisabledCallback(disabled: boolean): void {
      this.disableForm?.(disabled);
    }

    /** Sets what the form submits (`value`), what the browser restores (`state`) and what is wrong (null: nothing). */
    protected updateForm(value: FormValue, state: FormValue, validity: FormValidity | null): void {
      this.internals.setFormValue(value, state);
      if (validity) this.internals.setValidity(validity.flags, validity.message, validity.anchor);
      else this.internals.setValidity({});
    }

    /** The form was reset: go back to the initial value. */
    protected resetForm?(): void;
    /** The browser restores a state `updateForm` set (back-forward navigation, autofill). */
    protected restoreForm?(state: string | File | FormData): void;
    /** A disabled fieldset or form disables the element (or enables it again). */
    protected disableForm?(disabled: boolean): void;
  }
  // The declared class above is the mixin's type: a class expression's protected members cannot be exported.
  return FormAssociatedMixin as unknown as FormAssociatedConstructor<T>;
}
