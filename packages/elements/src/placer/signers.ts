// Signing orders: who signs, what each box is for, and each provider's rules about both. Pure functions over
// the neutral boxes: the element renders, validates and builds `value` through them.
//
// The rules come from the provider documents (/work/shared/providers/):
// - Peruri tier (peruri.md §6): ordered signer e-mails; each signer signs with Signing Tier, whose `signer[]`
//   (the placement) is mandatory, so every signer needs at least one box; no e-meterai, no seal.
// - Digisign (digisign.md §5.2, §5.5): one `req-sign` item per signer carrying exactly one box (llx…page);
//   e-meterai boxes go in `meterai-positions`, belong to the document, and may not overlap a signature (03).
// - BSrE (bsre.md D.1, C): one signature per signing call (one box, or none: invisible); the QR appearance
//   (linkQR) takes a box like a specimen; the organisation's seal (D.5, v2 only) may be VISIBLE or INVISIBLE
//   (`tampilan`), but its request takes no page or coordinates (docs/providers/bsre.md D.5, gap 26): BSrE places
//   it itself, so a seal signer has no box.
import {
  CoordinateError,
  PROFILES,
  toProviderFields,
  type BoxKind,
  type CoordinateProfile,
  type LocalizedMessage,
  type NeutralBox,
  type PageGeometry,
  type PlacedBox,
  type ProfileId,
} from '@esign-kit/core';
import { STRINGS } from './strings.js';

/** A person (or, with `kind: 'seal'`, an organisation) in the signing order. */
export interface Signer {
  /** Identifies the signer in `boxes[].signer` and in `value` (for Peruri and Digisign: their e-mail there). */
  id: string;
  /** Shown on their boxes and in the toolbar, and read out by screen readers. */
  name: string;
  /** Colour of their boxes (any CSS colour); a palette colour by position when absent. */
  color?: string;
  /** `seal`: an organisation's electronic seal (BSrE v2; placed by BSrE, never at a box) instead of a person's signature. */
  kind?: 'signature' | 'seal';
}

/** One entry of `value` when `signers` is set: a signer's boxes of one kind (or the document's e-meterai). */
export interface SignerValue {
  /** The signer's id; `null` for the document's e-meterai boxes. */
  signer: string | null;
  name: string | null;
  kind: BoxKind;
  /** The boxes in the neutral model, as the companion server's routes take them. */
  boxes: NeutralBox[];
  /** The same boxes in the provider's own fields, as its API takes them (one object per box). */
  fields: Record<string, string | number>[];
}

/** Tells an entry of `value` with a signing order from one object of provider fields (a value without one). */
export function isSignerValue(entry: Record<string, string | number> | SignerValue | undefined): entry is SignerValue {
  return !!entry && Array.isArray((entry as SignerValue).fields) && 'kind' in entry;
}

export interface SigningRules {
  /** Kinds a person can place a box of. */
  kinds: readonly BoxKind[];
  /** Boxes each (person) signer needs at least / may have at most. */
  min: number;
  max: number;
  /** Whether an organisation's seal can be in the signing order (placed by the provider: it takes no box). */
  seal: boolean;
}

const SIGNING: Record<ProfileId, SigningRules> = {
  'bsre-v1': { kinds: ['signature', 'qr'], min: 0, max: 1, seal: false },
  'bsre-v2': { kinds: ['signature', 'qr'], min: 0, max: 1, seal: true },
  'bsre-cloud': { kinds: ['signature', 'qr'], min: 0, max: 1, seal: false },
  peruri: { kinds: ['signature'], min: 1, max: Number.POSITIVE_INFINITY, seal: false },
  // One box per signer: each `req-sign[]` entry is one position for one e-mail (docs/providers/digisign.md,
  // Send Document), and what a second entry for the same person means — `ttd2`, or `prf1` initials — is not
  // documented (ambiguity 6 there), so the kit sends one.
  digisign: { kinds: ['signature', 'meterai'], min: 1, max: 1, seal: false },
};

export const signingRules = (provider: ProfileId): SigningRules => SIGNING[provider];

/** Box kinds in the order entries of one signer are listed. */
const KIND_ORDER: readonly BoxKind[] = ['signature', 'qr', 'seal', 'meterai'];

export const kindOf = (box: { kind?: BoxKind | undefined }): BoxKind => box.kind ?? 'signature';

/** Whether a box of this kind belongs to the document rather than to a signer. */
export const isDocumentKind = (kind: BoxKind): boolean => kind === 'meterai';

// Distinguishable on white, with white text readable on each (WCAG AA for the labels).
const PALETTE = ['#0b57d0', '#b3261e', '#146c2e', '#7b1fa2', '#8a5300', '#00695c', '#ad1457', '#37474f'];
export const METERAI_COLOR = '#5d4037';

/** The colour of a signer's boxes: their own, else the palette's by their position in the order. */
export function signerColor(signers: readonly Signer[], id: string | undefined): string | undefined {
  const index = signers.findIndex((s) => s.id === id);
  if (index < 0) return undefined;
  return signers[index]!.color ?? PALETTE[index % PALETTE.length];
}

const KIND_NAMES = { en: STRINGS.en.kinds, id: STRINGS.id.kinds };

export type SignerIssueCode =
  | 'invalid-signer'
  | 'unknown-signer'
  | 'no-signer'
  | 'kind-not-supported'
  | 'seal-not-supported'
  | 'seal-has-no-position'
  | 'signer-without-box'
  | 'too-many-boxes';

export interface SignerIssue {
  code: SignerIssueCode;
  /** `boxes.<index>.signer`, `boxes.<index>.kind`, `signers.<index>` or `signers.<index>.kind`. */
  field: string;
  /** The signer the issue is about, when there is one. */
  signer?: string;
  messages: LocalizedMessage;
}

/**
 * What the provider refuses in a signing order: boxes of unknown or no signers, kinds it has no place for,
 * signers with too few or too many boxes. Every message names the signer. Empty when `signers` is empty
 * (boxes are then anonymous signatures, as without a signing order).
 */
export function signerIssues(boxes: readonly PlacedBox[], signers: readonly Signer[], provider: ProfileId): SignerIssue[] {
  if (!signers.length) return [];
  const rules = SIGNING[provider];
  const label = PROFILES[provider].label;
  const issues: SignerIssue[] = [];
  const byId = new Map(signers.map((s) => [s.id, s]));
  const kindName = (kind: BoxKind) => ({ en: KIND_NAMES.en[kind] ?? String(kind), id: KIND_NAMES.id[kind] ?? String(kind) });
  for (const [j, signer] of signers.entries()) {
    const id: unknown = signer?.id;
    if (typeof id !== 'string' || !id || signers.findIndex((s) => s?.id === id) !== j || typeof signer.name !== 'string' || !signer.name) {
      const field = typeof id !== 'string' || !id || signers.findIndex((s) => s?.id === id) !== j ? 'id' : 'name';
      return [
        {
          code: 'invalid-signer',
          field: `signers.${j}.${field}`,
          messages: {
            en: field === 'id' ? `Signer ${j + 1} needs an id of its own (got ${JSON.stringify(id)}).` : `Signer ${j + 1} (${String(id)}) needs a name.`,
            id:
              field === 'id'
                ? `Penanda tangan ${j + 1} memerlukan id tersendiri (diterima ${JSON.stringify(id)}).`
                : `Penanda tangan ${j + 1} (${String(id)}) memerlukan nama.`,
          },
        },
      ];
    }
    if (signer.kind === 'seal' && !rules.seal) {
      issues.push({
        code: 'seal-not-supported',
        field: `signers.${j}.kind`,
        signer: signer.id,
        messages: {
          en: `${signer.name}: ${label} has no organisation seal in a signing order.`,
          id: `${signer.name}: ${label} tidak mengenal segel organisasi dalam urutan penandatanganan.`,
        },
      });
    }
  }
  for (const [i, box] of boxes.entries()) {
    const kind = kindOf(box);
    const n = i + 1;
    if (!rules.kinds.includes(kind)) {
      const k = kindName(kind);
      const owner = box.signer !== undefined ? byId.get(box.signer)?.name : undefined;
      issues.push({
        code: 'kind-not-supported',
        field: `boxes.${i}.kind`,
        ...(box.signer !== undefined ? { signer: box.signer } : {}),
        messages: {
          en: `Box ${n}${owner ? ` (${owner})` : ''} is a ${k.en} box; ${label} takes ${rules.kinds.map((x) => KIND_NAMES.en[x]).join(' and ')} boxes only.`,
          id: `Kotak ${n}${owner ? ` (${owner})` : ''} adalah kotak ${k.id}; ${label} hanya menerima kotak ${rules.kinds.map((x) => KIND_NAMES.id[x]).join(' dan ')}.`,
        },
      });
      continue;
    }
    if (isDocumentKind(kind)) continue;
    if (box.signer === undefined || box.signer === '') {
      issues.push({
        code: 'no-signer',
        field: `boxes.${i}.signer`,
        messages: { en: `Box ${n} belongs to no signer: choose whose box it is.`, id: `Kotak ${n} belum dimiliki penanda tangan: pilih milik siapa.` },
      });
      continue;
    }
    const signer = byId.get(box.signer);
    if (!signer) {
      issues.push({
        code: 'unknown-signer',
        field: `boxes.${i}.signer`,
        signer: box.signer,
        messages: {
          en: `Box ${n} belongs to "${box.signer}", who is not in the signing order.`,
          id: `Kotak ${n} milik "${box.signer}", yang tidak ada dalam urutan penandatanganan.`,
        },
      });
      continue;
    }
    if (signer.kind === 'seal') {
      issues.push({
        code: 'seal-has-no-position',
        field: `boxes.${i}.signer`,
        signer: signer.id,
        messages: {
          en: `Box ${n}: the seal of ${signer.name} cannot be placed; ${label} documents no position for a seal.`,
          id: `Kotak ${n}: segel ${signer.name} tidak dapat ditempatkan; ${label} tidak mendokumentasikan posisi segel.`,
        },
      });
    }
  }
  for (const [j, signer] of signers.entries()) {
    if (signer.kind === 'seal') continue;
    const count = boxes.filter((b) => b.signer === signer.id && !isDocumentKind(kindOf(b)) && rules.kinds.includes(kindOf(b))).length;
    if (count < rules.min) {
      issues.push({
        code: 'signer-without-box',
        field: `signers.${j}`,
        signer: signer.id,
        messages: {
          en: `${signer.name} has no signature box: ${label} needs one for each signer.`,
          id: `${signer.name} belum memiliki kotak tanda tangan: ${label} memerlukan satu untuk setiap penanda tangan.`,
        },
      });
    } else if (count > rules.max) {
      issues.push({
        code: 'too-many-boxes',
        field: `signers.${j}`,
        signer: signer.id,
        messages: {
          en: `${signer.name} has ${count} boxes: ${label} takes ${rules.max} per signer.`,
          id: `${signer.name} memiliki ${count} kotak: ${label} menerima ${rules.max} untuk setiap penanda tangan.`,
        },
      });
    }
  }
  return issues;
}

const neutral = ({ page, x, y, width, height }: NeutralBox): NeutralBox => ({ page, x, y, width, height });

/**
 * `value` for a signing order: one entry per signer, in signing order (a signer with boxes of two kinds has
 * one entry per kind; a signer without boxes has an entry with none), then the document's e-meterai boxes.
 * Boxes the provider refuses are left out of both `boxes` and `fields` (the element is then invalid).
 */
export function signerValue(
  boxes: readonly PlacedBox[],
  signers: readonly Signer[],
  pages: readonly PageGeometry[],
  profile: CoordinateProfile,
): SignerValue[] {
  const encode = (list: PlacedBox[]): Pick<SignerValue, 'boxes' | 'fields'> => {
    const out: Pick<SignerValue, 'boxes' | 'fields'> = { boxes: [], fields: [] };
    for (const box of list) {
      try {
        out.fields.push(toProviderFields(box, pages, profile) as unknown as Record<string, string | number>);
        out.boxes.push(neutral(box));
      } catch (error) {
        if (!(error instanceof CoordinateError)) throw error;
      }
    }
    return out;
  };
  const entries: SignerValue[] = [];
  for (const signer of signers) {
    const own = boxes.filter((b) => b.signer === signer.id && !isDocumentKind(kindOf(b)));
    const kinds = KIND_ORDER.filter((k) => own.some((b) => kindOf(b) === k));
    if (!kinds.length) entries.push({ signer: signer.id, name: signer.name, kind: signer.kind ?? 'signature', boxes: [], fields: [] });
    for (const kind of kinds) entries.push({ signer: signer.id, name: signer.name, kind, ...encode(own.filter((b) => kindOf(b) === kind)) });
  }
  const meterai = boxes.filter((b) => isDocumentKind(kindOf(b)));
  if (meterai.length) entries.push({ signer: null, name: null, kind: 'meterai', ...encode(meterai) });
  return entries;
}
