// What the request inspector shows of a provider exchange: its shape, never its secrets. Pure functions,
// so that what is hidden can be tested on its own. Three layers, like the logs: known secret keys and
// headers are replaced, long base64 runs (documents, images, specimens) are summarised, and the caller's
// configured secret values are scrubbed from the final text whatever field carried them.

/** Keys whose values are credentials or one-time codes in one provider's API or another (case-insensitive). */
const SECRET_KEY =
  /^(authorization|cookie|passphrase|password|pdfpassword|otp|otpcode|totp|token|access_?token|refresh_?token|jwt|secret|client_?secret|api_?key|x-api-key|apikey|aes_?key|key)$/i;

/** A header is a credential when its name says so (Authorization, X-API-Key, apikey, token…). */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|apikey|api-key|token|x-token|x-access-token)$/i;

const BASE64_RUN = /^[A-Za-z0-9+/_-]{200,}={0,2}$/;
/** Longer text is cut, so one exchange never floods the page. */
const MAX_TEXT = 4000;

export const REDACTED = '[redacted]';

function sizeOf(chars: number): string {
  const bytes = Math.floor((chars * 3) / 4);
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`;
}

/** Hides secret keys and summarises base64 payloads anywhere in a JSON value. */
export function redactJson(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[…]';
  if (typeof value === 'string') {
    if (BASE64_RUN.test(value)) return `[base64, ${sizeOf(value.length)}]`;
    return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}… [${value.length} characters]` : value;
  }
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Empty values stay visible: that a field was sent empty is worth seeing, and hides nothing.
      out[k] = SECRET_KEY.test(k) && v !== '' && v !== null ? REDACTED : redactJson(v, depth + 1);
    }
    return out;
  }
  return value;
}

export function redactHeaders(headers: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    // Basic/Bearer: the scheme teaches how the provider authenticates; the credential stays hidden.
    const scheme = /^(basic|bearer)\s/i.exec(value)?.[1];
    out[lower] = SECRET_HEADER.test(lower) ? (scheme ? `${scheme} ${REDACTED}` : REDACTED) : value;
  }
  return out;
}

/** The URL with the values of secret query parameters hidden (BSrE's cloud service takes credentials there). */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '[unreadable URL]';
  }
  for (const key of [...u.searchParams.keys()]) if (SECRET_KEY.test(key)) u.searchParams.set(key, REDACTED);
  // URLSearchParams would encode the brackets; keep the marker readable.
  return u.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

export type BodyView =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'form'; fields: { name: string; value?: unknown; file?: { name: string; type: string; size: number } }[] }
  | { kind: 'binary'; type: string; size: number };

/** Reads a body as JSON when it is JSON, else as (cut) text. */
export function textBody(text: string, contentType: string): BodyView {
  if (/json/i.test(contentType) || /^\s*[{[]/.test(text)) {
    try {
      return { kind: 'json', value: redactJson(JSON.parse(text)) };
    } catch {
      // Not JSON after all (a provider's HTML error page, malformed JSON): show it as text.
    }
  }
  return { kind: 'text', text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… [${text.length} characters]` : text };
}

/** A request body as fetch received it: JSON text, a multipart form, URL-encoded fields or bytes. */
export function requestBody(body: unknown, contentType: string): BodyView {
  if (body === undefined || body === null) return { kind: 'none' };
  if (typeof body === 'string') return textBody(body, contentType);
  if (body instanceof URLSearchParams) return formBody([...body.entries()]);
  if (body instanceof FormData) return formBody([...body.entries()]);
  if (body instanceof Blob) return { kind: 'binary', type: body.type || contentType || 'application/octet-stream', size: body.size };
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) {
    return { kind: 'binary', type: contentType || 'application/octet-stream', size: (body as ArrayBufferLike | ArrayBufferView).byteLength };
  }
  return { kind: 'text', text: '[a stream]' };
}

function formBody(entries: [string, FormDataEntryValue | string][]): BodyView {
  return {
    kind: 'form',
    fields: entries.map(([name, value]) => {
      if (typeof value !== 'string') return { name, file: { name: value.name, type: value.type, size: value.size } };
      if (SECRET_KEY.test(name) && value !== '') return { name, value: REDACTED };
      // BSrE v1 sends some fields as JSON text inside multipart parts.
      if (/^\s*[{[]/.test(value)) {
        const parsed = textBody(value, 'application/json');
        if (parsed.kind === 'json') return { name, value: parsed.value };
      }
      return { name, value: redactJson(value) };
    }),
  };
}
