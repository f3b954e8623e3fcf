// What is wrong with the placer's boxes, as its form validity and as `esign-error`: an unknown provider, invalid
// `profile` overrides, the first box the provider refuses, a signing order it refuses, too few or too many
// boxes. Pure: the element passes its state in and sets what comes out.
import {
  CoordinateError,
  isProfileId,
  resolveProfile,
  validateBoxes,
  type CoordinateProfile,
  type PageGeometry,
  type PlacedBox,
  type ProfileOverrides,
} from '@esign-kit/core';
import type { EsignErrorDetail } from '../internal/events.js';
import type { FormValidity } from '../internal/form-associated.js';
import type { Language } from '../internal/localize.js';
import { signerIssues, type Signer } from './signers.js';
import type { PlacerStrings } from './strings.js';

/** The provider's convention with the element's overrides, or the reason there is none (an unknown provider: null). */
export function resolvePlacerProfile(
  provider: string,
  overrides: ProfileOverrides | null,
): { profile: CoordinateProfile | null; error: CoordinateError | null } {
  if (!isProfileId(provider)) return { profile: null, error: null };
  try {
    return { profile: resolveProfile(provider, overrides ?? {}), error: null };
  } catch (error) {
    if (error instanceof CoordinateError) return { profile: null, error };
    throw error;
  }
}

export interface BoxesState {
  provider: string;
  overrides: ProfileOverrides | null;
  boxes: readonly PlacedBox[];
  pages: readonly PageGeometry[];
  signers: readonly Signer[];
  t: PlacerStrings;
  lang: Language;
  /** A box's accessible name (kind, number, signer). */
  boxName(box: PlacedBox): string;
}

/**
 * Why `value` lacks boxes: an unknown provider, invalid `profile` overrides, the first box the provider
 * refuses, or a signing order it refuses (a signer without a box, a kind it has no place for). Each makes
 * the element invalid, so that a form never silently submits less than was placed. Messages name the signer.
 */
export function boxesProblem(s: BoxesState): EsignErrorDetail | null {
  const { t, lang } = s;
  if (!isProfileId(s.provider)) return { code: 'invalid-provider', message: `${t.errors['invalid-provider']} (${String(s.provider)})` };
  const { profile, error } = resolvePlacerProfile(s.provider, s.overrides);
  if (error) return { code: 'invalid-profile', field: error.field, message: `${t.errors['invalid-profile']} ${error.messages[lang]}` };
  const first = profile && s.pages.length ? validateBoxes(s.boxes, s.pages, profile)[0] : undefined;
  if (first) {
    // `boxes.<index>.<field>`: the index in `boxes` (from 0), the field neutral (`width`) or the provider's
    // (`lowerLeftX`); an overlap is about the later box as a whole: `boxes.<index>`.
    const field = first.field === 'boxes' ? `boxes.${first.index}` : `boxes.${first.index}.${first.field}`;
    const box = first.index !== undefined ? s.boxes[first.index] : undefined;
    const whose = s.signers.length && box ? ` ${s.boxName(box)}:` : '';
    return { code: first.code, field, ...(box?.signer ? { signer: box.signer } : {}), message: `${t.invalidBoxes}${whose} ${first.messages[lang]}` };
  }
  // A signer who has no box yet is not an error but a missing value (see boxesValidity), like `required`.
  const issue = signerIssues(s.boxes, s.signers, s.provider).find((i) => i.code !== 'signer-without-box');
  if (!issue) return null;
  return { code: issue.code, field: issue.field, ...(issue.signer ? { signer: issue.signer } : {}), message: `${t.invalidSigners} ${issue.messages[lang]}` };
}

/** The form validity of the boxes: too few or too many, a problem (above), or a signer still without a box. */
export function boxesValidity(
  s: BoxesState & { required: boolean; minBoxes: number; maxBoxes: number; problem: EsignErrorDetail | null; anchor: HTMLElement | undefined },
): FormValidity | null {
  const { t, anchor } = s;
  const count = s.boxes.length;
  if (s.required && count === 0) return { flags: { valueMissing: true }, message: t.required, anchor };
  if (count < s.minBoxes) return { flags: { rangeUnderflow: true }, message: t.minBoxes(s.minBoxes), anchor };
  if (count > s.maxBoxes) return { flags: { rangeOverflow: true }, message: t.maxBoxes(s.maxBoxes), anchor };
  if (s.problem) return { flags: { customError: true }, message: s.problem.message, anchor };
  const missing = isProfileId(s.provider) ? signerIssues(s.boxes, s.signers, s.provider).find((i) => i.code === 'signer-without-box') : undefined;
  if (missing) return { flags: { valueMissing: true }, message: missing.messages[s.lang], anchor };
  return null;
}

/** What the element sets from its boxes: the problem (for `esign-error`) and the form validity. */
export function checkBoxes(s: BoxesState & { required: boolean; minBoxes: number; maxBoxes: number; anchor: HTMLElement | undefined }): {
  problem: EsignErrorDetail | null;
  validity: FormValidity | null;
} {
  const problem = boxesProblem(s);
  return { problem, validity: boxesValidity({ ...s, problem }) };
}
