// Digisign's documented ambiguities that change what goes on the wire (providers/dialects.ts explains the
// rule): one switch each, with its variable, default and the seed evidence for both readings.
import type { DialectSwitch } from '../shared/dialect.js';

export interface DigisignDialect {
  /** Send Document: the key of the e-meterai boxes. */
  meteraiField: 'meterai_positions' | 'meterai-positions';
  /** Register `jenis_kelamin`: `Laki-laki`/`Perempuan` or `laki-laki`/`perempuan`. */
  genderCase: 'capitalized' | 'lower';
  /** Change e-mail/phone: the full URL; undefined means `<DIGISIGN_URL>/UPDATE-EP.html`. */
  changeContactUrl: string | undefined;
}

export const DEFAULT_DIGISIGN_DIALECT: Readonly<DigisignDialect> = Object.freeze({
  meteraiField: 'meterai_positions',
  genderCase: 'capitalized',
  changeContactUrl: undefined,
});

export const DIGISIGN_DIALECT_SWITCHES: readonly DialectSwitch[] = [
  {
    variable: 'DIGISIGN_METERAI_FIELD',
    provider: 'digisign',
    setting: 'meteraiField',
    kind: 'enum',
    values: ['meterai_positions', 'meterai-positions'],
    default: 'meterai_positions',
    evidence: 'seed 004 API Send Document (p. 14), Json Field table: `meterai_positions (optional) Array[json string] List of e-meterai locations`',
    alternative: '`meterai-positions`: both examples and the request log of seed 004 API Send Document with e-Meterai (p. 18)',
  },
  {
    variable: 'DIGISIGN_GENDER_CASE',
    provider: 'digisign',
    setting: 'genderCase',
    kind: 'enum',
    values: ['capitalized', 'lower'],
    default: 'capitalized',
    evidence: 'seed 004 API Register (p. 8), Json Field table: `jenis_kelamin` "You must input : Laki-laki for male Perempuan for female"',
    alternative:
      '`lower`: the example of the same section sends `"jenis_kelamin": "laki-laki"`, and so does its log of the request Digisign received ("Example JSON request received in Digisign", line ~178 of the seed text: `<SEND> [jsonfield] {…"jenis_kelamin":"laki-laki"…}`)',
  },
  {
    variable: 'DIGISIGN_CHANGE_CONTACT_URL',
    provider: 'digisign',
    setting: 'changeContactUrl',
    kind: 'url',
    default: '<DIGISIGN_URL>/UPDATE-EP.html',
    evidence: 'seed 004: every other endpoint (API Register, Activation, Send Document, Sign Document, Download) is on `api.tandatanganku.com`',
    alternative: '`https://api.tandatangan.com/UPDATE-EP.html`, as seed 004 API Change Email or No Handphone (p. 32) prints it (another domain)',
  },
];
