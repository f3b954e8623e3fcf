import { css } from 'lit';
import { ACCENT, BACKGROUND, BORDER, COLOR, ERROR, FONT_FAMILY, SURFACE } from '../internal/tokens.js';

// Each property falls back to the kit's design token, then to the token's default (../internal/tokens.ts).
export const webviewStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: var(--esign-webview-height, 640px);
    min-height: 160px;
    box-sizing: border-box;
    --_border: var(--esign-webview-border, var(--esign-border, ${BORDER}));
    border: 1px solid var(--_border);
    border-radius: 6px;
    overflow: hidden;
    font: 14px/20px var(--esign-font-family, ${FONT_FAMILY});
    color: var(--esign-webview-color, var(--esign-color, ${COLOR}));
    background: var(--esign-webview-background, var(--esign-background, ${BACKGROUND}));
    --_accent: var(--esign-webview-accent, var(--esign-accent, ${ACCENT}));
  }
  :host([hidden]) {
    display: none;
  }
  .status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 6px 10px;
    background: var(--esign-webview-status-background, var(--esign-surface, ${SURFACE}));
    border-bottom: 1px solid var(--_border);
  }
  .status[data-state='error'],
  .status[data-state='timeout'] {
    color: var(--esign-webview-error-color, var(--esign-error, ${ERROR}));
  }
  .status .text {
    flex: 1;
  }
  button {
    font: inherit;
    padding: 2px 12px;
    border: 1px solid var(--_accent);
    border-radius: 4px;
    background: transparent;
    color: var(--_accent);
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  iframe {
    flex: 1;
    width: 100%;
    border: 0;
    background: #fff;
  }
  iframe[hidden] {
    display: none;
  }
`;
