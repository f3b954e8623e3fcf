// The shapes every provider adapter shares: a request is plain data built by a pure function, sent by
// transport.ts, and the answer goes back through a pure parser. Nothing here touches the network.

export type ProviderId = 'bsre' | 'peruri' | 'digisign';

export type HttpMethod = 'GET' | 'POST';

export interface MultipartFile {
  /** The multipart field name, exactly as the provider expects it (`fotoktp`, `file`, `imageTTD`…). */
  field: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
}

/** What goes on the wire. `json` is serialised with JSON.stringify; `multipart` keeps field order. */
export type RequestBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; fields: Record<string, string> }
  | { kind: 'multipart'; fields: Record<string, string>; files: MultipartFile[] };

export interface ProviderRequest {
  provider: ProviderId;
  /** Our name of the operation (`peruri.sendDocument`…), for logs and errors; never a secret. */
  operation: string;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body: RequestBody;
  /** Safe to send twice (reads, downloads that can be repeated). Only these are retried by the transport. */
  idempotent: boolean;
  /** The provider's recommended client timeout for this call, when it has one (Digisign §1.2). */
  timeoutMs?: number;
}

/** A provider's raw answer, as the parsers take it. */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}
