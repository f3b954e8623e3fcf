import { fail } from './errors.js';

export const PROFILE_IDS = ['bsre-v1', 'bsre-v2', 'bsre-cloud', 'peruri', 'digisign'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** Where a provider measures y from. x is always measured from the left. */
export type Origin = 'bottom-left' | 'top-left';
/** `corners`: the 3rd/4th fields are the far corner; `size`: they are width and height. */
export type Encoding = 'corners' | 'size';
/** `visual`: the page as displayed (after /Rotate, iText's reading); `user`: the file's own coordinates. */
export type Space = 'visual' | 'user';
/** How corners are rounded to the profile's precision: `outward` never shrinks the box, `inward` never grows it. */
export type Rounding = 'nearest' | 'outward' | 'inward';
/** `user`: provider numbers are user-space units (iText ignores /UserUnit); `points`: scaled by /UserUnit. */
export type Units = 'user' | 'points';

export type NumberFormat = 'number' | 'integer-string' | 'decimal-string';
export type PageFormat = 'number' | 'string' | 'first-last';

/** A provider's coordinate convention, as data. The converters in `convert.ts` read nothing else. */
export interface CoordinateProfile {
  readonly id: ProfileId;
  readonly label: string;
  /** The provider's field names. With `encoding: 'size'`, `xFar`/`yFar` carry width and height. */
  readonly fields: { readonly page: string; readonly x: string; readonly y: string; readonly xFar: string; readonly yFar: string };
  readonly origin: Origin;
  readonly encoding: Encoding;
  readonly space: Space;
  readonly rounding: Rounding;
  /** Decimals kept (0 for integer profiles). */
  readonly decimals: number;
  readonly units: Units;
  /** 1 if the first page is page 1. */
  readonly pageBase: 0 | 1;
  /** Smallest accepted width and height, in points (1/72 inch), whatever the page's UserUnit. */
  readonly minSize: number;
  /** Fixed by the provider's wire format (not overridable). */
  readonly numberFormat: NumberFormat;
  readonly pageFormat: PageFormat;
  /** Longest accepted encoded value, in characters (Peruri's fields are 3 characters long). */
  readonly maxLength: number | null;
  /** Whether two boxes on one page may overlap (Digisign rejects overlaps with result `03`). */
  readonly allowOverlap: boolean;
}

/** What a deployment or an element may change: the parts of a convention a live provider might read differently. */
export interface ProfileOverrides {
  origin?: Origin;
  encoding?: Encoding;
  space?: Space;
  rounding?: Rounding;
  decimals?: number;
  units?: Units;
  pageBase?: 0 | 1;
  minSize?: number;
}

const SIZE_DEFAULTS = { rounding: 'nearest', units: 'user', pageBase: 1, minSize: 10, space: 'visual' } as const;

/**
 * The defaults, with their evidence in ../shared/providers/COORDINATES.md. Each reading of an incomplete
 * provider document is marked; `ProfileOverrides` is how an integrator corrects one after calibrating.
 */
export const PROFILES: Readonly<Record<ProfileId, CoordinateProfile>> = {
  // Esign Client v1 `/api/sign/pdf`: "xAxis/yAxis" + "lebar/tinggi" in pixels (= points at 72 dpi).
  // The v1 figure of BSrE's manual v2.2.1 labels corners (llx,lly)/(urx,ury): `encoding: 'corners'` selects that reading.
  'bsre-v1': {
    ...SIZE_DEFAULTS,
    id: 'bsre-v1',
    label: 'BSrE Esign Client v1',
    fields: { page: 'page', x: 'xAxis', y: 'yAxis', xFar: 'width', yFar: 'height' },
    origin: 'bottom-left',
    encoding: 'size',
    decimals: 2,
    numberFormat: 'number',
    pageFormat: 'number',
    maxLength: null,
    allowOverlap: true,
  },
  // Esign Client v2 `signatureProperties`: the v2 figure draws y=0 at the top and the anchor at the box's top-left.
  'bsre-v2': {
    ...SIZE_DEFAULTS,
    id: 'bsre-v2',
    label: 'BSrE Esign Client v2',
    fields: { page: 'page', x: 'originX', y: 'originY', xFar: 'width', yFar: 'height' },
    origin: 'top-left',
    encoding: 'size',
    decimals: 2,
    numberFormat: 'number',
    pageFormat: 'number',
    maxLength: null,
    allowOverlap: true,
  },
  // The older cloud API: as v1, but the page is only `halaman=pertama|terakhir` (first or last).
  'bsre-cloud': {
    ...SIZE_DEFAULTS,
    id: 'bsre-cloud',
    label: 'BSrE cloud API',
    fields: { page: 'halaman', x: 'xAxis', y: 'yAxis', xFar: 'width', yFar: 'height' },
    origin: 'bottom-left',
    encoding: 'size',
    decimals: 2,
    numberFormat: 'number',
    pageFormat: 'first-last',
    maxLength: null,
    allowOverlap: true,
  },
  // Peruri `signer[]`: strings of length 3 ("454"); decimals have been reported to fail with resultCode 4012.
  peruri: {
    ...SIZE_DEFAULTS,
    id: 'peruri',
    label: 'Peruri Digital Signature',
    fields: { page: 'page', x: 'lowerLeftX', y: 'lowerLeftY', xFar: 'upperRightX', yFar: 'upperRightY' },
    origin: 'bottom-left',
    encoding: 'corners',
    decimals: 0,
    numberFormat: 'integer-string',
    pageFormat: 'string',
    maxLength: 3,
    allowOverlap: true,
  },
  // Digisign `req-sign[]` / `meterai-positions[]`: origin bottom-left and floats are stated; boxes must not overlap (03).
  digisign: {
    ...SIZE_DEFAULTS,
    id: 'digisign',
    label: 'Digisign',
    fields: { page: 'page', x: 'llx', y: 'lly', xFar: 'urx', yFar: 'ury' },
    origin: 'bottom-left',
    encoding: 'corners',
    decimals: 2,
    numberFormat: 'decimal-string',
    pageFormat: 'string',
    maxLength: 30,
    allowOverlap: false,
  },
};

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === 'string' && (PROFILE_IDS as readonly string[]).includes(value);
}

const OVERRIDE_CHOICES = {
  origin: ['bottom-left', 'top-left'],
  encoding: ['corners', 'size'],
  space: ['visual', 'user'],
  rounding: ['nearest', 'outward', 'inward'],
  units: ['user', 'points'],
} as const;

/**
 * Checks overrides that arrive as untyped data (server configuration, an element attribute) and returns
 * them typed. Unknown keys and out-of-range values are errors naming the key.
 */
export function parseProfileOverrides(value: unknown): ProfileOverrides {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail('invalid-profile', 'profile', {
      en: 'Profile overrides must be an object such as {"origin":"bottom-left"}.',
      id: 'Penimpaan profil harus berupa objek, misalnya {"origin":"bottom-left"}.',
    });
  }
  const result: ProfileOverrides = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key in OVERRIDE_CHOICES) {
      const choices: readonly string[] = OVERRIDE_CHOICES[key as keyof typeof OVERRIDE_CHOICES];
      if (typeof raw !== 'string' || !choices.includes(raw)) {
        fail('invalid-profile', key, {
          en: `${key} must be one of ${choices.join(', ')}.`,
          id: `${key} harus salah satu dari ${choices.join(', ')}.`,
        });
      }
      (result as Record<string, unknown>)[key] = raw;
    } else if (key === 'decimals') {
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > 6) {
        fail('invalid-profile', key, { en: 'decimals must be a whole number from 0 to 6.', id: 'decimals harus bilangan bulat 0 sampai 6.' });
      }
      result.decimals = raw;
    } else if (key === 'pageBase') {
      if (raw !== 0 && raw !== 1) {
        fail('invalid-profile', key, { en: 'pageBase must be 0 or 1.', id: 'pageBase harus 0 atau 1.' });
      }
      result.pageBase = raw;
    } else if (key === 'minSize') {
      if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
        fail('invalid-profile', key, { en: 'minSize must be a number of points, 0 or more.', id: 'minSize harus berupa jumlah poin, 0 atau lebih.' });
      }
      result.minSize = raw;
    } else {
      fail('invalid-profile', key, {
        en: `Unknown profile option "${key}"; known options: origin, encoding, space, rounding, decimals, units, pageBase, minSize.`,
        id: `Opsi profil "${key}" tidak dikenal; opsi yang dikenal: origin, encoding, space, rounding, decimals, units, pageBase, minSize.`,
      });
    }
  }
  return result;
}

/** A provider's default convention with the deployment's or element's overrides applied and checked. */
export function resolveProfile<P extends ProfileId>(id: P, overrides: ProfileOverrides = {}): CoordinateProfile & { readonly id: P } {
  if (!isProfileId(id)) {
    fail('invalid-profile', 'provider', {
      en: `Unknown provider profile "${String(id)}"; expected one of ${PROFILE_IDS.join(', ')}.`,
      id: `Profil penyedia "${String(id)}" tidak dikenal; gunakan salah satu dari ${PROFILE_IDS.join(', ')}.`,
    });
  }
  const checked = parseProfileOverrides(overrides);
  const profile = { ...PROFILES[id], ...checked } as CoordinateProfile & { readonly id: P };
  // The wire format caps precision: Peruri's integer strings cannot carry decimals (resultCode 4012),
  // Digisign takes at most two.
  const maxDecimals = profile.numberFormat === 'integer-string' ? 0 : profile.numberFormat === 'decimal-string' ? 2 : 6;
  if (profile.decimals > maxDecimals) {
    fail('invalid-profile', 'decimals', {
      en: `${profile.label} accepts at most ${maxDecimals} decimals.`,
      id: `${profile.label} menerima paling banyak ${maxDecimals} desimal.`,
    });
  }
  return profile;
}
