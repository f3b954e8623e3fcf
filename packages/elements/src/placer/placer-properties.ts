// <esign-placer>'s attributes and properties: what a page, a form or a framework sets on it, with their defaults
// and their documentation (the Custom Elements Manifest reads both from here). What the element does with them is
// EsignPlacer's (./placer.ts).
import type { PropertyDeclarations } from 'lit';
import type { BoxKind, ProfileId, ProfileOverrides } from '@esign-kit/core';
import { EsignElement } from '../internal/element.js';
import { FormAssociated } from '../internal/form-associated.js';
import type { Signer } from './signers.js';
import { parseZoom, type Zoom } from './zoom.js';

export abstract class PlacerProperties extends FormAssociated(EsignElement) {
  static override properties: PropertyDeclarations = {
    src: { type: String, reflect: true },
    data: { attribute: false },
    provider: { type: String, reflect: true },
    profile: { attribute: false },
    signers: { attribute: false },
    activeSigner: { type: String, attribute: 'active-signer' },
    activeKind: { type: String, attribute: 'active-kind' },
    zoom: { converter: { fromAttribute: parseZoom, toAttribute: (z: Zoom) => String(z) } },
    name: { type: String, reflect: true },
    required: { type: Boolean, reflect: true },
    minBoxes: { type: Number, attribute: 'min-boxes' },
    maxBoxes: { type: Number, attribute: 'max-boxes' },
    tag: { type: String },
    boxWidth: { type: Number, attribute: 'box-width' },
    boxHeight: { type: Number, attribute: 'box-height' },
    readonly: { type: Boolean, reflect: true },
    password: { attribute: false },
    workerSrc: { type: String, attribute: 'worker-src' },
  };

  /** URL of the PDF. */
  declare src: string;
  /** The PDF's bytes, instead of `src`. */
  declare data: ArrayBuffer | Uint8Array | Blob | null;
  /** The provider convention of `value`: `bsre-v1`, `bsre-v2`, `bsre-cloud`, `peruri` or `digisign`. */
  declare provider: ProfileId;
  /** Overrides of the provider's coordinate convention (docs/coordinates.md). */
  declare profile: ProfileOverrides | null;
  /**
   * The signing order: `{ id, name, color?, kind? }[]`, first signer first. With signers, every box belongs
   * to one (`boxes[].signer`) and has a `kind`, boxes are coloured and named by signer, and `value` is given
   * per signer in the provider's shape. Empty: boxes are anonymous signatures and `value` a flat list.
   */
  declare signers: Signer[];
  /** The signer new boxes are for (default: the first signer); chosen in the toolbar. */
  declare activeSigner: string;
  /** The kind of new boxes (`signature`, `qr`, `meterai`: those the provider supports); chosen in the toolbar. */
  declare activeKind: BoxKind;
  /** A number (1 = one CSS pixel per point), `fit-width` or `fit-page`. */
  declare zoom: Zoom;
  /** Form field name: the form submits `value` as JSON under it. */
  declare name: string;
  /** The form is invalid without at least one box. */
  declare required: boolean;
  /** Fewest boxes the form accepts. */
  declare minBoxes: number;
  /** Most boxes the form accepts (default: no limit). */
  declare maxBoxes: number;
  /** BSrE `tag_koordinat` marker (e.g. `#`): preview where the specimen will land. */
  declare tag: string;
  /** Width of a new box, in points. */
  declare boxWidth: number;
  /** Height of a new box, in points. */
  declare boxHeight: number;
  /** Show the boxes without letting anyone change them. */
  declare readonly: boolean;
  /** Password of an encrypted PDF (the element also asks for it itself). */
  declare password: string | undefined;
  /** URL of pdf.js's worker (default: `EsignPlacer.defaultWorkerSrc`, else `pdf.worker.min.mjs` beside the module); never a CDN. */
  declare workerSrc: string;

  constructor() {
    super();
    // Reactive properties are declared above and set here: a class field initialiser would shadow Lit's accessors.
    this.src = '';
    this.data = null;
    this.provider = 'peruri';
    this.profile = null;
    this.signers = [];
    this.activeSigner = '';
    this.activeKind = 'signature';
    this.zoom = 'fit-width';
    this.name = '';
    this.required = false;
    this.minBoxes = 0;
    this.maxBoxes = Number.POSITIVE_INFINITY;
    this.tag = '';
    this.boxWidth = 150;
    this.boxHeight = 75;
    this.readonly = false;
    this.password = undefined;
    this.workerSrc = '';
  }
}
