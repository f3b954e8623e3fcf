// The one place adapters turn neutral boxes into provider fields: always through @esign-kit/core's
// resolveProfile + toProviderList, never by hand (docs/providers/COORDINATES.md).
import {
  resolveProfile,
  toProviderList,
  type NeutralBox,
  type PageGeometry,
  type ProfileId,
  type ProfileOverrides,
  type ProviderFields,
} from '@esign-kit/core';
import { invalid } from './errors.js';

/** Signature boxes in the kit's neutral model, with the geometry of the document they are placed on. */
export interface Placement {
  boxes: readonly (NeutralBox & { id?: string })[];
  /** `readPageGeometries(pdfDoc)` of the document being signed. */
  pages: readonly PageGeometry[];
  /** Per-element overrides on top of the deployment's (`settings.profile`). */
  profile?: ProfileOverrides;
}

export function convertBoxes<P extends ProfileId>(id: P, placement: Placement, deployment: ProfileOverrides | undefined, field = 'boxes'): ProviderFields<P>[] {
  if (!placement || !Array.isArray(placement.boxes) || placement.boxes.length === 0) invalid(field, `${field} must hold at least one box.`);
  if (!Array.isArray(placement.pages) || placement.pages.length === 0) invalid(`${field}.pages`, `${field}.pages must hold the geometry of every page.`);
  const profile = resolveProfile(id, { ...deployment, ...placement.profile });
  return toProviderList(placement.boxes, placement.pages, profile);
}
