import { css } from 'lit';
import { ACCENT, BORDER, COLOR, ERROR, FONT_FAMILY, SURFACE } from '../internal/tokens.js';

// Each property falls back to the kit's design token where there is one, then to its default
// (../internal/tokens.ts); the backdrop behind the pages and the tag preview's colour are the placer's own.
// The notes are JavaScript comments, between the sheets, so that they stay out of the shipped CSS.

// The host's own display is the portal's to choose (block, inline-block, a flex or grid item, inside a dialog):
// the element's layout lives on the inner base, which fills whatever height the host gets. Whole-pixel line
// height and control sizes keep the pages at whole-pixel offsets, so that Chrome snaps boxes and canvases alike.
const layout = css`
  :host {
    display: block;
    height: var(--esign-placer-height, 640px);
    min-height: 200px;
    box-sizing: border-box;
    --_border: var(--esign-placer-border, var(--esign-border, ${BORDER}));
    border: 1px solid var(--_border);
    border-radius: 6px;
    overflow: hidden;
    font: 14px/20px var(--esign-font-family, ${FONT_FAMILY});
    color: var(--esign-placer-color, var(--esign-color, ${COLOR}));
    --_accent: var(--esign-placer-accent, var(--esign-accent, ${ACCENT}));
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
  }
  .toolbar,
  .inspector,
  .status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    padding: 6px 8px;
    background: var(--esign-placer-toolbar-background, var(--esign-surface, ${SURFACE}));
  }
  .toolbar {
    flex: none;
    border-bottom: 1px solid var(--_border);
  }
`;

// The area under the toolbar: the scrolling pages, and the dock floating over them. Panels float over the pages
// instead of pushing them: selecting a box or showing a message never moves what the person points at. The dock
// sits clear of the scrollbars, at the bottom or, when the selected box is there, at the top.
const view = css`
  .view {
    position: relative;
    flex: 1 1 0;
    min-height: 120px;
    display: flex;
  }
  .dock {
    position: absolute;
    z-index: 20;
    left: 8px;
    right: calc(var(--_scrollbar-y, 0px) + 8px);
    bottom: calc(var(--_scrollbar-x, 0px) + 8px);
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 6px;
    pointer-events: none;
  }
  .dock.top {
    top: 8px;
    bottom: auto;
  }
  .dock > * {
    pointer-events: auto;
    max-width: 100%;
    box-sizing: border-box;
    border: 1px solid var(--_border);
    border-radius: 6px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 18%);
  }
  .spacer {
    flex: 1;
  }
  button,
  select,
  input {
    font: inherit;
    height: 32px;
    box-sizing: border-box;
  }
  button {
    cursor: pointer;
  }
  .inspector label {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-family: ui-monospace, monospace;
    font-size: 12px;
  }
  .inspector-error,
  .status.error {
    color: var(--esign-placer-error, var(--esign-error, ${ERROR}));
  }
`;

// The scroller is sized by the view, never by its pages (contain: size), so that it scrolls whatever the host's
// display. One finger scrolls natively; two fingers zoom the document (zoom-controller.ts), not the portal's page.
const pages = css`
  .scroller {
    position: relative;
    flex: 1 1 0;
    min-width: 0;
    contain: size;
    overflow: auto;
    background: var(--esign-placer-background, #e6e9ef);
    outline: none;
    touch-action: pan-x pan-y;
    overscroll-behavior: contain;
  }
  .scroller:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .pages {
    position: relative;
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 16px;
    padding: 16px;
    width: max-content;
    min-width: 100%;
    box-sizing: border-box;
  }
  .page {
    position: relative;
    flex: none;
    background: #fff;
    box-shadow: 0 1px 4px rgb(0 0 0 / 25%);
    user-select: none;
    -webkit-user-select: none;
  }
  .canvas-slot {
    position: absolute;
    inset: 0;
  }
  .canvas-slot canvas {
    position: absolute;
    top: 0;
    left: 0;
    display: block;
  }
`;

// Boxes: --_box is the signer's colour (set per box), else the accent.
const boxes = css`
  .box,
  .tag-preview,
  .drawing {
    position: absolute;
    box-sizing: border-box;
  }
  .box {
    border: 2px solid var(--_box, var(--_accent));
    background: var(--esign-placer-box-fill, color-mix(in srgb, var(--_box, var(--_accent)) 12%, transparent));
    touch-action: none;
    cursor: move;
    outline: none;
  }
  :host([readonly]) .box {
    cursor: default;
  }
  .box.selected,
  .box:focus-visible {
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--_box, var(--_accent)) 40%, transparent);
  }
  .box.moving {
    z-index: 10;
    opacity: 0.85;
  }
  .label {
    position: absolute;
    top: 0;
    left: 0;
    max-width: 100%;
    box-sizing: border-box;
    padding: 0 4px;
    overflow: hidden;
    font-size: 12px;
    line-height: 16px;
    white-space: nowrap;
    text-overflow: ellipsis;
    color: #fff;
    background: var(--_box, var(--_accent));
    pointer-events: none;
  }
  .handle {
    position: absolute;
    width: 12px;
    height: 12px;
    background: #fff;
    border: 2px solid var(--_box, var(--_accent));
    border-radius: 50%;
    box-sizing: border-box;
    touch-action: none;
  }
  .handle.n { top: -7px; left: calc(50% - 6px); cursor: ns-resize; }
  .handle.s { bottom: -7px; left: calc(50% - 6px); cursor: ns-resize; }
  .handle.e { right: -7px; top: calc(50% - 6px); cursor: ew-resize; }
  .handle.w { left: -7px; top: calc(50% - 6px); cursor: ew-resize; }
  .handle.n.w { left: -7px; top: -7px; cursor: nwse-resize; }
  .handle.n.e { right: -7px; left: auto; top: -7px; cursor: nesw-resize; }
  .handle.s.w { left: -7px; bottom: -7px; top: auto; cursor: nesw-resize; }
  .handle.s.e { right: -7px; left: auto; bottom: -7px; top: auto; cursor: nwse-resize; }
  .tag-preview {
    border: 2px dashed var(--esign-placer-tag, #b26a00);
    background: rgb(178 106 0 / 8%);
    pointer-events: none;
  }
  .drawing {
    border: 2px dashed var(--_accent);
    pointer-events: none;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (forced-colors: active) {
    .box { border-color: Highlight; }
  }
`;

export const placerStyles = [layout, view, pages, boxes];
