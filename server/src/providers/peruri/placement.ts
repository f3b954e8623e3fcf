// Peruri's signer placement (docs/providers/peruri.md §5.1 `payload.signer[]`): boxes converted through the
// core's `peruri` profile (integer strings), never by hand.
import { optionalString } from '../shared/check.js';
import { convertBoxes, type Placement } from '../shared/coordinates.js';
import { invalid } from '../shared/errors.js';
import type { PeruriSettings } from './operations.js';

// Signer placement (§5.1 `payload.signer[]`): coordinates through the `peruri` profile (integer strings).

export type CertificateLevel = 'NOT_CERTIFIED' | 'NO_CHANGES_ALLOWED';

export type PeruriPlacement =
  | (Placement & { visible?: true; certificateLevel?: CertificateLevel; location?: string; reason?: string })
  | { visible: false; certificateLevel?: CertificateLevel; location?: string; reason?: string };

export interface PeruriSigner {
  isVisualSign: 'YES' | 'NO';
  lowerLeftX?: string;
  lowerLeftY?: string;
  upperRightX?: string;
  upperRightY?: string;
  page?: string;
  certificateLevel: CertificateLevel;
  varLocation?: string;
  varReason?: string;
}

/** Signer entries in the doc's field order. `withReason`: Signing (§5.4) does not list `varReason`. */
export function toPeruriSigners(placement: PeruriPlacement, settings: PeruriSettings, withReason = true, field = 'signer'): PeruriSigner[] {
  const level = placement.certificateLevel ?? 'NOT_CERTIFIED';
  if (level !== 'NOT_CERTIFIED' && level !== 'NO_CHANGES_ALLOWED')
    invalid(`${field}.certificateLevel`, `${field}.certificateLevel must be NOT_CERTIFIED or NO_CHANGES_ALLOWED.`);
  const location = optionalString(placement.location, `${field}.location`, 100);
  const reason = optionalString(placement.reason, `${field}.reason`, 100);
  const tail = {
    certificateLevel: level,
    ...(location !== undefined ? { varLocation: location } : {}),
    ...(withReason && reason !== undefined ? { varReason: reason } : {}),
  };
  if (placement.visible === false) return [{ isVisualSign: 'NO', ...tail }];
  return convertBoxes('peruri', placement, settings.profile, field).map((f) => ({
    isVisualSign: 'YES',
    lowerLeftX: f.lowerLeftX,
    lowerLeftY: f.lowerLeftY,
    upperRightX: f.upperRightX,
    upperRightY: f.upperRightY,
    page: f.page,
    ...tail,
  }));
}
