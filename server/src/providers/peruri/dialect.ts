// Peruri's documented ambiguities that change what goes on the wire (providers/dialects.ts explains the
// rule): one switch each, with its variable, default and the seed evidence for both readings.
import type { DialectSwitch } from '../shared/dialect.js';

export interface PeruriDialect {
  /** Get OTP Bulk `data[].orderId`: a JSON string or a JSON number. */
  bulkOtpOrderIdType: 'string' | 'number';
  /** Set Signature `signer`: an array of one placement or the placement object. */
  setSignatureSigner: 'array' | 'object';
  /** Send Document `orderType: "SYSTEM"`: beside `email`/`payload`, or inside `payload`. */
  orderTypePlacement: 'param' | 'payload';
}

export const DEFAULT_PERURI_DIALECT: Readonly<PeruriDialect> = Object.freeze({
  bulkOtpOrderIdType: 'string',
  setSignatureSigner: 'array',
  orderTypePlacement: 'param',
});

export const PERURI_DIALECT_SWITCHES: readonly DialectSwitch[] = [
  {
    variable: 'PERURI_BULK_OTP_ORDER_ID_TYPE',
    provider: 'peruri',
    setting: 'bulkOtpOrderIdType',
    kind: 'enum',
    values: ['string', 'number'],
    default: 'string',
    evidence: 'seed 003 Mekanisme Digital Signature (Bulk) §4 API Get OTP Bulk, input table: `orderId string 100 M` (p. 56)',
    alternative: '`number`: the example of the same section sends `{"orderId": 3845}` (digit-only ids only)',
  },
  {
    variable: 'PERURI_SET_SIGNATURE_SIGNER',
    provider: 'peruri',
    setting: 'setSignatureSigner',
    kind: 'enum',
    values: ['array', 'object'],
    default: 'array',
    evidence: 'seed 003 Mekanisme Digital Signature (Bulk) §3 API Set Signature, input table: `signer a-object ~ M Array object penandatangan` (p. 53)',
    alternative: '`object`: the example of the same section sends `"signer": { "isVisualSign": "YES", … }` (p. 54)',
  },
  {
    variable: 'PERURI_ORDER_TYPE_PLACEMENT',
    provider: 'peruri',
    setting: 'orderTypePlacement',
    kind: 'enum',
    values: ['param', 'payload'],
    default: 'param',
    evidence:
      'seed 003 Mekanisme Digital Signature (Signing System) §1: Send Document "ditambahkan parameter orderType = "SYSTEM"" — a parameter beside Send Document\'s own `email`, `payload`, `systemId` (Mekanisme Digital Signature §2)',
    alternative: '`payload`: inside `payload`, beside `fileName` and `base64Document`; the document names no position',
  },
];
