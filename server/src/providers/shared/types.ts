// The shapes every provider adapter shares: a request is plain data built by a pure function, sent by
// transport.ts, and the answer goes back through a pure parser. Nothing here touches the network.
import { readFileSync } from 'node:fs';

export type ProviderId = 'bsre' | 'peruri' | 'digisign';

export type HttpMethod = 'GET' | 'POST';

export interface MultipartFile {
  /** The multipart field name, exactly as the provider expects it (`fotoktp`, `file`, `imageTTD`…). */
  field: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
}

/**
 * Bytes a JSON body carries as a base64 string (a PDF in BSrE v2 `file[]`, Peruri `base64Document`). The
 * clients build their requests with these; the transport writes the base64 while it sends, a few MB at a
 * time, so that a large PDF never exists as one base64 string nor as a serialised copy of one. JSON.stringify
 * writes the string (toJSON), so the body means exactly what a plain string would.
 */
export class Base64Bytes {
  constructor(readonly bytes: Uint8Array) {}
  /** Characters of the base64 text. */
  get base64Length(): number {
    return Math.ceil(this.bytes.byteLength / 3) * 4;
  }
  toJSON(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('base64');
  }
}

/**
 * A PDF that stays in a file (an upload spooled to disk, http/uploads.ts) until the transport sends it: its
 * base64 is written while sending, read from the file a piece at a time, so that the upload is never held in
 * memory beside the signed PDF that comes back. JSON.stringify (a pure builder's test, a log) reads it whole.
 */
export class FileBytes {
  constructor(
    readonly path: string,
    readonly size: number,
  ) {}
  get base64Length(): number {
    return Math.ceil(this.size / 3) * 4;
  }
  toJSON(): string {
    return readFileSync(this.path).toString('base64');
  }
}

/**
 * A document a provider answered as base64, decoded while the answer arrived straight into a temporary file
 * of an AnswerSpool (answer-spool.ts), never held in memory: its SHA-256 was computed while it was written,
 * and its first bytes are kept so that a parser can tell a PDF without reading the file. A document store
 * takes it over with putFile (store/document-model.ts).
 */
export class SpooledFile extends FileBytes {
  constructor(
    path: string,
    size: number,
    /** Hex SHA-256 of the file's bytes. */
    readonly sha256: string,
    /** The file's first bytes (up to 8). */
    readonly head: Uint8Array,
  ) {
    super(path, size);
  }
}

/** How a request builder writes a PDF into a JSON body: a base64 string (the pure builders), or bytes the transport encodes while sending (the clients). */
export type Base64Encoder = (bytes: Uint8Array) => string | Base64Bytes;
/** The clients' encoder: the transport writes the base64 while sending. */
export const encodeWhileSending: Base64Encoder = (bytes) => new Base64Bytes(bytes);

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
  /** The provider's recommended client timeout for this call, when it has one (docs/providers/digisign.md §1.2). */
  timeoutMs?: number;
}

/** A provider's raw answer, as the parsers take it. */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}
