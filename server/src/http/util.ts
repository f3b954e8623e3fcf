import { parseProfileOverrides, type ProfileOverrides } from '@esign-kit/core';

/** Drops undefined values so an object fits optional properties under exactOptionalPropertyTypes. */
export function opt<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Per-request coordinate profile overrides, checked by the core (CoordinateError → 400 with its field). */
export function profileOf(value: unknown): { profile?: ProfileOverrides } {
  if (value === undefined) return {};
  return { profile: parseProfileOverrides(value) };
}
