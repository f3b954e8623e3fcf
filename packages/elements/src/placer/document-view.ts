// What the parts of the document view (./document-parts.ts: gestures, zoom, navigation, inspector) all read of
// the element: where things are in its shadow root, the boxes, the pages and the scale they are shown at.
import type { PageGeometry } from '@esign-kit/core';
import type { BoxModel } from './box-model.js';
import type { PlacerDom } from './dom.js';

export interface DocumentView {
  dom: PlacerDom;
  /** The boxes and which is selected: every change to a box goes through it. */
  model: BoxModel;
  pages(): readonly PageGeometry[];
  /** CSS pixels per point, after `fit-width`/`fit-page`. */
  scale(): number;
}
