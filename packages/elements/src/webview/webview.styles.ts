import { css } from 'lit';

export const webviewStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: var(--esign-webview-height, 640px);
    min-height: 160px;
    box-sizing: border-box;
    border: 1px solid var(--esign-webview-border, #c9d1dd);
    border-radius: 6px;
    overflow: hidden;
    font: 14px/20px system-ui, sans-serif;
    color: var(--esign-webview-color, #1d2433);
    background: var(--esign-webview-background, #fff);
    --_accent: var(--esign-webview-accent, #0b57d0);
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
    background: var(--esign-webview-status-background, #f6f8fb);
    border-bottom: 1px solid var(--esign-webview-border, #c9d1dd);
  }
  .status[data-state='error'],
  .status[data-state='timeout'] {
    color: var(--esign-webview-error-color, #a40000);
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
