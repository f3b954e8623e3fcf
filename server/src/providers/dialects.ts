// The provider documents disagree with themselves in ten places that change what goes on the wire. Each is
// a deployment setting ("dialect"): one record per switch, with its variable, the adapter setting it fills,
// its values, the default and the seed evidence for it, and the other reading. config.ts validates the
// variables with these records, providers/index.ts hands the values to the adapters, the sandbox
// simulators accept exactly the dialect selected (the sandbox README), and docs/configuration.md
// lists them (server/test/adapters/dialects.test.ts keeps it in step).
//
// The rule for the defaults: where a field table or request schema and a worked example disagree, the
// table wins (issue #14: BSrE v2 sends `totp`, as its schema, not `otp`, as two hand-written examples).
//
// Each provider folder keeps its own switches (bsre/dialect.ts, peruri/dialect.ts, digisign/dialect.ts);
// this module lists them in one order, the order of docs/configuration.md's table.
import { BSRE_DIALECT_SWITCHES, DEFAULT_BSRE_CLOUD_DIALECT, DEFAULT_BSRE_DIALECT, type BsreCloudDialect, type BsreDialect } from './bsre/dialect.js';
import { DEFAULT_DIGISIGN_DIALECT, DIGISIGN_DIALECT_SWITCHES, type DigisignDialect } from './digisign/dialect.js';
import { DEFAULT_PERURI_DIALECT, PERURI_DIALECT_SWITCHES, type PeruriDialect } from './peruri/dialect.js';
import type { DialectSwitch } from './shared/dialect.js';

export type { BsreCloudDialect, BsreDialect } from './bsre/dialect.js';
export { V1_STATUS_PATH } from './bsre/dialect.js';
export type { DigisignDialect } from './digisign/dialect.js';
export type { PeruriDialect } from './peruri/dialect.js';
export type { DialectProvider, DialectSwitch } from './shared/dialect.js';

export interface Dialects {
  bsre: BsreDialect;
  bsreCloud: BsreCloudDialect;
  peruri: PeruriDialect;
  digisign: DigisignDialect;
}

export const DEFAULT_DIALECTS: Readonly<Dialects> = Object.freeze({
  bsre: DEFAULT_BSRE_DIALECT,
  bsreCloud: DEFAULT_BSRE_CLOUD_DIALECT,
  peruri: DEFAULT_PERURI_DIALECT,
  digisign: DEFAULT_DIGISIGN_DIALECT,
}) as Dialects;

export const DIALECT_SWITCHES: readonly DialectSwitch[] = [...BSRE_DIALECT_SWITCHES, ...PERURI_DIALECT_SWITCHES, ...DIGISIGN_DIALECT_SWITCHES];
