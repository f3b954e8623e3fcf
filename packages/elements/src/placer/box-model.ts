// The boxes and the selection: what a box is (its id, page, position, signer and kind), how it gets there (added
// by the toolbar or `addBox()`, drawn, dragged, typed into the inspector, reassigned), what it is called for a
// person (kind, number, signer; position), and `value` — the boxes in the provider's own fields. Every change
// is announced and reported to the element once (`changed`), which then updates its form state and fires
// `esign-change`. The gestures, the inspector and the public API all change boxes through here.
import type { ReactiveControllerHost } from 'lit';
import {
  CoordinateError,
  isProfileId,
  toProviderFields,
  type Box,
  type BoxKind,
  type CoordinateProfile,
  type NeutralBox,
  type PageGeometry,
  type PlacedBox,
} from '@esign-kit/core';
import type { PlacerValue } from './events.js';
import { isDocumentKind, kindOf, signerValue, signingRules, type Signer } from './signers.js';
import type { PlacerStrings } from './strings.js';

let boxSequence = 0;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A box as a caller gives it: a position at least, an id and an owner if it has them. */
export type BoxInput = Partial<PlacedBox> & { page: number; x: number; y: number; width: number; height: number };

/** What the model needs of the element. */
export interface BoxModelView {
  /** The signing order (empty: anonymous boxes). */
  signers(): readonly Signer[];
  provider(): string;
  activeSigner(): string;
  activeKind(): BoxKind;
  /** Makes the active signer and kind ones the signing order and the provider allow. */
  setActive(signer: string, kind: BoxKind): void;
  t(): PlacerStrings;
  announce(text: string): void;
  /** Boxes changed (`box`: the one that did; null: all of them). */
  changed(box: PlacedBox | null): void;
}

export class BoxModel {
  private list: PlacedBox[] = [];
  /** The selected box's id. */
  selected: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly view: BoxModelView,
  ) {}

  /** The boxes, as they are (callers copy what they hand out). */
  get boxes(): readonly PlacedBox[] {
    return this.list;
  }

  find(id: string | null): PlacedBox | undefined {
    return this.list.find((b) => b.id === id);
  }

  select(id: string | null): void {
    if (id === this.selected) return;
    this.selected = id;
    this.host.requestUpdate();
  }

  /** Replaces every box (the `boxes` property, a form state restored); boxes without an id get one. */
  replace(boxes: readonly BoxInput[]): void {
    this.list = boxes.map((b) => ({ ...b, id: b.id ?? newId() }));
    this.host.requestUpdate();
  }

  /** Removes every box (a form reset). */
  clear(): void {
    this.list = [];
    this.selected = null;
    this.view.changed(null);
  }

  /**
   * Adds a box on `page` and returns its id: `partial` wins; else `size` (points) at `centre` (user space; the
   * page's middle when none of it is in view), kept on the page, for the active signer and kind.
   */
  add(
    partial: Partial<PlacedBox>,
    page: number,
    geometry: PageGeometry,
    centre: { x: number; y: number } | null,
    size: { width: number; height: number },
  ): string {
    const unit = geometry.userUnit;
    const [cx0, cy0, cx1, cy1] = geometry.cropBox;
    const width = Math.min(partial.width ?? size.width / unit, cx1 - cx0);
    const height = Math.min(partial.height ?? size.height / unit, cy1 - cy0);
    const at = centre ?? { x: (cx0 + cx1) / 2, y: (cy0 + cy1) / 2 };
    const box: PlacedBox = {
      ...this.owner(),
      ...partial,
      id: partial.id ?? newId(),
      page,
      width,
      height,
      x: partial.x ?? Math.min(Math.max(at.x - width / 2, cx0), cx1 - width),
      y: partial.y ?? Math.min(Math.max(at.y - height / 2, cy0), cy1 - height),
    };
    this.list = [...this.list, box];
    this.selected = box.id;
    this.view.announce(this.view.t().added(this.name(box), this.describe(box)));
    this.view.changed(box);
    return box.id;
  }

  /** A box moved, resized or drawn (`id` null: a new box, of the active signer and kind), now `box` in user space. */
  place(id: string | null, page: number, box: Box): void {
    if (id !== null) return this.edit(id, { page, ...box });
    const added: PlacedBox = { ...this.owner(), id: newId(), page, ...box };
    this.list = [...this.list, added];
    this.selected = added.id;
    this.view.announce(this.view.t().added(this.name(added), this.describe(added)));
    this.view.changed(added);
  }

  /** A box is now at `position` (dragged, resized, typed into the inspector). */
  edit(id: string, position: NeutralBox): void {
    let updated: PlacedBox | undefined;
    this.list = this.list.map((b) => (b.id === id ? (updated = { ...b, ...position }) : b));
    if (updated) this.view.announce(this.view.t().moved(this.name(updated), this.describe(updated)));
    this.view.changed(updated ?? null);
  }

  /** Gives a box to another signer or makes it another kind (from the inspector); an e-meterai belongs to no signer. */
  assign(id: string, patch: { signer?: string; kind?: BoxKind }): void {
    let updated: PlacedBox | undefined;
    this.list = this.list.map((b) => {
      if (b.id !== id) return b;
      const next: PlacedBox = { ...b, ...patch };
      if (isDocumentKind(kindOf(next))) delete next.signer;
      else if (next.signer === undefined) next.signer = this.view.activeSigner();
      return (updated = next);
    });
    if (!updated) return;
    this.view.announce(this.view.t().moved(this.name(updated), this.describe(updated)));
    this.view.changed(updated);
  }

  /** Removes a box (nothing happens for an unknown id). */
  remove(id: string): void {
    const box = this.find(id);
    if (!box) return;
    const name = this.name(box);
    this.list = this.list.filter((b) => b.id !== id);
    if (this.selected === id) this.selected = null;
    this.view.announce(this.view.t().removed(name));
    this.view.changed(box);
  }

  /** `value`: the boxes in the provider's own fields (per signer with a signing order); refused boxes are left out. */
  value(profile: CoordinateProfile | null, pages: readonly PageGeometry[]): PlacerValue {
    if (!profile || !pages.length) return [];
    const signers = this.view.signers();
    if (signers.length) return signerValue(this.list, signers, pages, profile);
    const out: Record<string, string | number>[] = [];
    for (const box of this.list) {
      try {
        out.push(toProviderFields(box, pages, profile) as unknown as Record<string, string | number>);
      } catch (e) {
        if (!(e instanceof CoordinateError)) throw e;
      }
    }
    return out;
  }

  /** A box's accessible name: its kind and number, its signer's name and its label. */
  name(box: PlacedBox): string {
    const t = this.view.t();
    const signer = this.view.signers().find((s) => s.id === box.signer)?.name;
    return t.boxName(this.list.findIndex((b) => b.id === box.id) + 1, t.kinds[kindOf(box)] ?? t.kinds.signature, signer, box.label);
  }

  /** A box's position, for a person: page, corner and size in points. */
  describe(box: PlacedBox): string {
    return this.view.t().boxPosition(box.page, round1(box.x), round1(box.y), round1(box.width), round1(box.height));
  }

  /** With a signing order: an active signer that is in it, and an active kind the provider takes. */
  settleActive(): void {
    const signers = this.view.signers();
    const provider = this.view.provider();
    let signer = this.view.activeSigner();
    let kind = this.view.activeKind();
    if (!signers.some((s) => s.id === signer)) signer = signers[0]?.id ?? '';
    const kinds = isProfileId(provider) ? signingRules(provider).kinds : ['signature'];
    if (!kinds.includes(kind)) kind = 'signature';
    if (signer !== this.view.activeSigner() || kind !== this.view.activeKind()) this.view.setActive(signer, kind);
  }

  /** Why no box can be placed for the active signer (BSrE's seal request takes no position), or ''. */
  addBlocked(): string {
    const signer = this.view.signers().find((s) => s.id === this.view.activeSigner());
    return signer?.kind === 'seal' ? this.view.t().sealHasNoBox(signer.name) : '';
  }

  /** Who a new box belongs to: the active signer and kind (an e-meterai belongs to the document); nobody without signers. */
  private owner(): Pick<PlacedBox, 'signer' | 'kind'> {
    if (!this.view.signers().length) return {};
    // `signers` may have been set in this very task, before an update settled the active signer.
    this.settleActive();
    const kind = this.view.activeKind();
    return isDocumentKind(kind) ? { kind } : { signer: this.view.activeSigner(), kind };
  }
}

function newId(): string {
  return `box-${++boxSequence}-${Math.random().toString(36).slice(2, 8)}`;
}
