// <esign-placer> in React 19: properties and events straight through JSX, no wrapper component.
// The JSX types of the elements are in esign-jsx.ts (a module augmentation of React's JSX namespace).
import { StrictMode, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { EsignPlacer, type EsignPlacerChangeDetail } from '@esign-kit/elements';
// With a bundler, tell pdf.js where its worker is once (Vite emits it beside the app; never a CDN).
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url&no-inline';

EsignPlacer.defaultWorkerSrc = workerUrl;

function App() {
  const [change, setChange] = useState<EsignPlacerChangeDetail | null>(null);
  const [submitted, setSubmitted] = useState<Record<string, FormDataEntryValue> | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(Object.fromEntries(new FormData(event.currentTarget)));
  };

  return (
    <form onSubmit={submit}>
      <h1>esign-kit in React 19</h1>
      <p>Draw a signature box on the contract, then submit.</p>
      {/* boxWidth and boxHeight are set as numbers on the element's properties; onesign-change listens to esign-change. */}
      <esign-placer
        name="boxes"
        required
        provider="peruri"
        src="../samples/contract.pdf"
        boxWidth={160}
        boxHeight={80}
        onesign-change={(event) => setChange(event.detail)}
      />
      <p>Last esign-change (Peruri fields):</p>
      <pre id="last-change">{change ? JSON.stringify(change.value) : ''}</pre>
      <button type="submit">Submit</button>
      <p>Submitted form data:</p>
      <pre id="submitted">{submitted ? JSON.stringify(submitted) : ''}</pre>
    </form>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
