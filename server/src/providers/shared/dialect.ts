// A documented ambiguity of a provider's contract, settled per deployment: the record each provider folder
// keeps for its own (bsre/dialect.ts, peruri/dialect.ts, digisign/dialect.ts) and providers/dialects.ts lists.

export type DialectProvider = 'bsre' | 'bsreCloud' | 'peruri' | 'digisign';

export interface DialectSwitch {
  /** The configuration variable (environment or ESIGN_CONFIG file). */
  variable: string;
  provider: DialectProvider;
  /** The key of the provider's dialect (and of its adapter settings). */
  setting: string;
  /** `enum`: one of `values`; `path`: a URL path holding `{nik}`; `url`: an http(s) URL. */
  kind: 'enum' | 'path' | 'url';
  values?: readonly string[];
  /** The default as the documentation shows it. */
  default: string;
  /** Where the default comes from (seed and section; docs/providers/README.md lists the seeds). */
  evidence: string;
  /** The other reading, and where it comes from. */
  alternative: string;
}
