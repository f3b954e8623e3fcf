/**
 * Typed errors of the coordinate core. Every error names a stable `code`, the `field` it is about
 * and a message in English and in Bahasa Indonesia, so a portal can show either and switch on the code.
 */

export type CoordinateErrorCode =
  | 'invalid-geometry'
  | 'invalid-profile'
  | 'not-finite'
  | 'not-a-number'
  | 'not-integer'
  | 'page-out-of-range'
  | 'page-not-first-or-last'
  | 'size-not-positive'
  | 'size-too-small'
  | 'box-outside-page'
  | 'value-too-large'
  | 'overlap';

export interface LocalizedMessage {
  /** English. */
  en: string;
  /** Bahasa Indonesia. */
  id: string;
}

export interface CoordinateIssue {
  code: CoordinateErrorCode;
  /** The field at fault: a neutral field (`page`, `x`, `width`…), a provider field (`lowerLeftX`…) or a profile option. */
  field: string;
  /** English message (the same as `messages.en`). */
  message: string;
  messages: LocalizedMessage;
  /** Position of the box in the list that was checked, when the issue is about one box. */
  index?: number;
  /** The box's `id`, when it has one. */
  boxId?: string;
}

export function issue(code: CoordinateErrorCode, field: string, messages: LocalizedMessage, where: { index?: number; boxId?: string } = {}): CoordinateIssue {
  const result: CoordinateIssue = { code, field, message: messages.en, messages };
  if (where.index !== undefined) result.index = where.index;
  if (where.boxId !== undefined) result.boxId = where.boxId;
  return result;
}

/** Thrown by converters and constructors; `issues` holds every problem found, the first one is also on the error itself. */
export class CoordinateError extends Error {
  readonly code: CoordinateErrorCode;
  readonly field: string;
  readonly messages: LocalizedMessage;
  readonly issues: readonly CoordinateIssue[];

  constructor(issues: readonly CoordinateIssue[]) {
    const first = issues[0];
    if (!first) throw new TypeError('CoordinateError needs at least one issue');
    super(first.message);
    this.name = 'CoordinateError';
    this.code = first.code;
    this.field = first.field;
    this.messages = first.messages;
    this.issues = issues;
  }
}

export function fail(code: CoordinateErrorCode, field: string, messages: LocalizedMessage, where: { index?: number; boxId?: string } = {}): never {
  throw new CoordinateError([issue(code, field, messages, where)]);
}
