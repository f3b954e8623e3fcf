// The Vue 3 example's entry: define the elements, point pdf.js at its worker, mount the app.
import { createApp } from 'vue';
import { EsignPlacer } from '@esign-kit/elements';
// With a bundler, tell pdf.js where its worker is once (Vite emits it beside the app; never a CDN).
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url&no-inline';
import App from './App.vue';

EsignPlacer.defaultWorkerSrc = workerUrl;

createApp(App).mount('#app');
