// A fresh page that shows a PDF's first page in <esign-placer>, the way a portal would: the element's module
// in the page, the element in the HTML with its `src`. Reports the time since this page's navigation began,
// when the first page's canvas is in the element.
import '@esign-kit/elements/esign-placer.js';

const params = new URLSearchParams(location.search);
const element = document.createElement('esign-placer');
element.setAttribute('worker-src', params.get('worker')!);
element.setAttribute('zoom', '1');
element.style.cssText = '--esign-placer-height: 700px; width: 800px';
element.setAttribute('src', params.get('pdf')!);
document.body.append(element);
// The renderer puts the canvas into its page once drawn: hear it at once, not at the next frame.
new MutationObserver((_, observer) => {
  if (element.renderCount === 0) return;
  observer.disconnect();
  parent.postMessage({ bench: 'cold', mode: 'placer', ms: performance.now() }, location.origin);
}).observe(element.shadowRoot!, { childList: true, subtree: true });
