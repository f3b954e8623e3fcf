// JSX types for the elements in React 19, which passes props to custom elements as properties (when the
// element has one) and `on<event-name>` functions as event listeners: `onesign-change` listens to esign-change.
import type { EsignErrorDetail, EsignPlacer, EsignPlacerChangeDetail, EsignPlacerReadyDetail } from '@esign-kit/elements';
import type { HTMLAttributes, RefAttributes } from 'react';

type PlacerProperties = Partial<
  Pick<
    EsignPlacer,
    | 'src'
    | 'data'
    | 'provider'
    | 'profile'
    | 'boxes'
    | 'signers'
    | 'activeSigner'
    | 'activeKind'
    | 'zoom'
    | 'name'
    | 'required'
    | 'minBoxes'
    | 'maxBoxes'
    | 'tag'
    | 'boxWidth'
    | 'boxHeight'
    | 'readonly'
    | 'password'
    | 'workerSrc'
  >
>;

interface PlacerEvents {
  'onesign-ready'?: (event: CustomEvent<EsignPlacerReadyDetail>) => void;
  'onesign-change'?: (event: CustomEvent<EsignPlacerChangeDetail>) => void;
  'onesign-error'?: (event: CustomEvent<EsignErrorDetail>) => void;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'esign-placer': PlacerProperties & PlacerEvents & HTMLAttributes<EsignPlacer> & RefAttributes<EsignPlacer>;
    }
  }
}
