// Step 3, verify: <esign-verify> checks the signatures in the browser at once (nothing uploaded for that)
// and asks BSrE's verification service through the companion server; the document signed in step 2 is
// handed over by itself, and any PDF can be dropped on the element.
import '@esign-kit/elements';
import type { EsignVerify } from '@esign-kit/elements';
import { token } from './api.js';

const verifier = document.querySelector<EsignVerify>('#verifier')!;
void token().then((t) => (verifier.token = t));

document.addEventListener('demo-signed', (event) => {
  const { bytes } = (event as CustomEvent<{ bytes: Uint8Array; fileName: string }>).detail;
  verifier.data = bytes;
});
