import { css } from 'lit';
import { ACCENT, BACKGROUND, BORDER, COLOR, ERROR, FONT_FAMILY } from '../internal/tokens.js';

// Each property falls back to the kit's design token where there is one, then to its default
// (../internal/tokens.ts); the verdict colours are the verifier's own.
export const verifyStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font: 14px/20px var(--esign-font-family, ${FONT_FAMILY});
    color: var(--esign-verify-color, var(--esign-color, ${COLOR}));
    background: var(--esign-verify-background, var(--esign-background, ${BACKGROUND}));
    --_accent: var(--esign-verify-accent, var(--esign-accent, ${ACCENT}));
    --_border: var(--esign-verify-border, var(--esign-border, ${BORDER}));
    --_valid: var(--esign-verify-valid, #0a6b2a);
    --_untrusted: var(--esign-verify-untrusted, #7a4f00);
    --_modified: var(--esign-verify-modified, #9a3d00);
    --_invalid: var(--esign-verify-invalid, var(--esign-error, ${ERROR}));
    --_neutral: var(--esign-verify-neutral, #4a5160);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .root {
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .dropzone {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 8px 16px;
    padding: 20px 16px;
    border: 2px dashed var(--_border);
    border-radius: 8px;
    text-align: center;
    cursor: pointer;
  }
  .dropzone[data-over] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 8%, transparent);
  }
  .dropzone:focus-within {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .dropzone .choose {
    padding: 2px 12px;
    border: 1px solid var(--_accent);
    border-radius: 4px;
    color: var(--_accent);
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
  button:focus-visible,
  input:focus-visible,
  summary:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  p {
    margin: 0;
  }
  .status {
    color: var(--_neutral);
  }
  .error {
    color: var(--_invalid);
  }
  .password {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .password p {
    flex-basis: 100%;
  }
  .password input {
    font: inherit;
    padding: 2px 6px;
    border: 1px solid var(--_border);
    border-radius: 4px;
  }
  [data-verdict='valid'] {
    --_c: var(--_valid);
  }
  [data-verdict='valid-untrusted'] {
    --_c: var(--_untrusted);
  }
  [data-verdict='modified-after-signing'] {
    --_c: var(--_modified);
  }
  [data-verdict='invalid'] {
    --_c: var(--_invalid);
  }
  [data-verdict='no-signature'],
  [data-verdict='unknown'] {
    --_c: var(--_neutral);
  }
  .level {
    font-weight: 600;
  }
  .revocation {
    margin: 4px 0 0;
    padding-left: 18px;
  }
  .revocation [data-status='revoked'] {
    color: var(--_invalid);
  }
  .summary {
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: 10px 12px;
    border: 1px solid var(--_border);
    border-left: 6px solid var(--_c, var(--_border));
    border-radius: 6px;
  }
  .headline {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    font-weight: 600;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 0 8px;
    border: 1px solid var(--_c, var(--_neutral));
    border-radius: 999px;
    color: var(--_c, var(--_neutral));
    background: color-mix(in srgb, var(--_c, var(--_neutral)) 8%, white);
    font-weight: 600;
    white-space: nowrap;
  }
  .provider,
  .trust {
    color: var(--_neutral);
  }
  .provider[data-agree='false'],
  .disagreement {
    color: var(--_modified);
  }
  .summary ul,
  .card ul {
    margin: 0;
    padding-left: 20px;
  }
  .cards {
    display: flex;
    flex-direction: column;
    gap: 10px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .card {
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: 10px 12px;
    border: 1px solid var(--_border);
    border-left: 6px solid var(--_c, var(--_border));
    border-radius: 6px;
  }
  .card-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
  }
  .signer {
    font-size: 16px;
    font-weight: 600;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0;
  }
  dt {
    color: var(--_neutral);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .marker {
    color: var(--_neutral);
  }
  details summary {
    cursor: pointer;
    color: var(--_accent);
  }
  details[open] summary {
    margin-bottom: 6px;
  }
  code {
    font: 12px/18px ui-monospace, monospace;
    overflow-wrap: anywhere;
  }
`;
