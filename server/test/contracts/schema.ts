// The shape of a seed-derived contract, and the checker that holds a built request against it.
//
// A contract is written from the provider documents (../shared/seeds/), field by field, each with its
// citation — never from the adapters. Where a document contradicts itself, the contract keeps both readings
// and names the deployment setting that selects one (server/src/providers/dialects.ts). The checker is
// closed-world: every key a request carries must be in the contract, so a misnamed key (`otp` for `totp`)
// fails as surely as a missing one.
import type { ProviderRequest } from '../../src/providers/adapters.js';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null' | 'base64' | 'file';

/** When a conditional field is required (or a rule applies): all the clauses hold. */
export interface Condition {
  /** A key of the object holding the field (`tampilan` beside `imageBase64`)… */
  sibling?: string;
  /** …or a path from the body's root (`sequence_option` for `req-sign[].signing_seq`). */
  root?: string;
  equals?: unknown;
  /** The key is present (true) or absent (false). */
  present?: boolean;
  /** Every clause must hold. */
  all?: Condition[];
}

export interface Field {
  /** Dotted path inside the body (after the wrapper); `[]` stands for every element of an array. */
  path: string;
  type: FieldType | readonly FieldType[];
  /** `true` = M (mandatory), `false` = O, a condition = C. */
  required: boolean | Condition;
  /** The document's maximum length (characters) of a string. */
  maxLength?: number;
  /** The only values the document allows. */
  values?: readonly unknown[];
  /** A format the document states (`dd-MM-yyyy`, 16 digits…). */
  pattern?: RegExp;
  /** For `file` parts: the media types the document allows. */
  contentTypes?: readonly string[];
  /** Document and section. */
  source: string;
  /** What the document leaves open about this field, and how the contract reads it. */
  note?: string;
}

export interface Header {
  name: string;
  value: string | RegExp;
  source: string;
}

/** A rule over several fields: exactly one (or at least one) of them is present. */
export interface OneOf {
  paths: readonly string[];
  exactly: boolean;
  when?: Condition;
  source: string;
}

/** What a deployment setting changes in this operation when it holds one value. */
export interface Reading {
  /** The request path instead of the operation's (e.g. BSRE_V1_USER_STATUS_PATH). */
  path?: string | RegExp;
  /** The origin the request must go to, when the reading fixes one (DIGISIGN_CHANGE_CONTACT_URL). */
  origin?: string;
  /** Fields added for this reading (the operation lists neither reading's). */
  fields?: Field[];
  headers?: Header[];
  /** `oneOf` rules that hold for this reading. */
  oneOf?: OneOf[];
  source: string;
}

export interface Operation {
  /** The adapter's operation name (`ProviderRequest.operation`), e.g. `bsre.v2.signPdf`. */
  id: string;
  /** The section the operation is documented in. */
  source: string;
  method: 'GET' | 'POST';
  /** The path under the base URL (a RegExp where it holds an id); absent when every reading gives one. */
  path?: string | RegExp;
  /**
   * Where the fields travel: a JSON body, multipart text fields (and files), the query string, Digisign's
   * multipart `jsonfield` holding a JSON string, or nowhere.
   */
  body: 'json' | 'multipart' | 'query' | 'jsonfield' | 'none';
  /** The single key the JSON is wrapped in (`param`, `requestSigning`, `JSONFile`…). */
  wrapper?: string;
  headers: Header[];
  /** Headers that must not be sent (Peruri's Get JWT carries no Authorization). */
  absentHeaders?: { name: string; source: string }[];
  fields: Field[];
  /** Multipart file parts, by part name. */
  files?: Field[];
  oneOf?: OneOf[];
  /** Per deployment setting (variable), per value: what changes. */
  readings?: Record<string, Record<string, Reading>>;
}

/** The deployment settings a check is made under: variable → value. */
export type Selection = Record<string, string>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The operation as it stands under a selection: the readings' fields, headers, rules and path folded in. */
export function resolve(op: Operation, selection: Selection): Operation & { path: string | RegExp; origin?: string } {
  let path = op.path;
  let origin: string | undefined;
  const fields = [...op.fields];
  const headers = [...op.headers];
  const oneOf = [...(op.oneOf ?? [])];
  for (const [variable, byValue] of Object.entries(op.readings ?? {})) {
    const value = selection[variable];
    if (value === undefined) throw new Error(`${op.id}: no value selected for ${variable}`);
    const r = byValue[value];
    if (!r) throw new Error(`${op.id}: ${variable}=${value} is not a reading the contract records`);
    if (r.path !== undefined) path = r.path;
    if (r.origin !== undefined) origin = r.origin;
    fields.push(...(r.fields ?? []));
    headers.push(...(r.headers ?? []));
    oneOf.push(...(r.oneOf ?? []));
  }
  if (path === undefined) throw new Error(`${op.id}: no path`);
  return { ...op, path, fields, headers, oneOf, ...(origin !== undefined ? { origin } : {}) };
}

/** The values at a path with `[]` (each with the object holding it). */
function at(root: unknown, path: string): { value: unknown; parent: Record<string, unknown> | undefined; present: boolean; where: string }[] {
  let nodes: { value: unknown; parent: Record<string, unknown> | undefined; present: boolean; where: string }[] = [
    { value: root, parent: undefined, present: true, where: '' },
  ];
  for (const part of path.split('.')) {
    const isArray = part.endsWith('[]');
    const key = isArray ? part.slice(0, -2) : part;
    const next: typeof nodes = [];
    for (const n of nodes) {
      const obj = n.value;
      if (!n.present || !isRecord(obj)) continue;
      const present = Object.prototype.hasOwnProperty.call(obj, key);
      const value = obj[key];
      const where = n.where ? `${n.where}.${key}` : key;
      if (!isArray) next.push({ value, parent: obj, present, where });
      else if (Array.isArray(value)) value.forEach((v, i) => next.push({ value: v, parent: obj, present: true, where: `${where}[${i}]` }));
    }
    nodes = next;
  }
  return nodes;
}

function holds(c: Condition, parent: Record<string, unknown> | undefined, root: unknown): boolean {
  if (c.all) return c.all.every((x) => holds(x, parent, root));
  const key = c.sibling ?? c.root;
  if (key === undefined) return true;
  const found =
    c.sibling !== undefined ? [{ value: parent?.[key], present: parent !== undefined && Object.prototype.hasOwnProperty.call(parent, key) }] : at(root, key);
  const { value, present } = found[0] ?? { value: undefined, present: false };
  if (c.present !== undefined && present !== c.present) return false;
  if ('equals' in c && value !== c.equals) return false;
  return true;
}

function typeOk(t: FieldType, v: unknown, textual: boolean): boolean {
  if (textual) {
    // Query strings and multipart text fields carry text: a number or boolean is written as one.
    if (typeof v !== 'string') return t === 'file' && v instanceof Blob;
    switch (t) {
      case 'string':
        return true;
      case 'number':
        return /^-?\d+(\.\d+)?$/.test(v);
      case 'integer':
        return /^-?\d+$/.test(v);
      case 'boolean':
        return v === 'true' || v === 'false';
      default:
        return false;
    }
  }
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return isRecord(v);
    case 'array':
      return Array.isArray(v);
    case 'null':
      return v === null;
    case 'base64':
      return typeof v === 'string' && v.length > 0 && BASE64.test(v);
    case 'file':
      return false;
  }
}

/** Every key path the body carries, `[]` for array elements (`signatureProperties[].tampilan`). */
function keysOf(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => keysOf(v, `${prefix}[]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return [p, ...keysOf(v, p)];
  });
}

/** The body's fields as an object, the way the provider reads them. */
export function bodyOf(
  op: Operation,
  request: ProviderRequest,
): { fields: unknown; files: Map<string, { contentType: string; size: number }>; problems: string[] } {
  const problems: string[] = [];
  const files = new Map<string, { contentType: string; size: number }>();
  const b = request.body;
  let fields: unknown = {};
  const unwrap = (v: unknown) => {
    if (!op.wrapper) return v;
    if (!isRecord(v) || Object.keys(v).length !== 1 || !(op.wrapper in v)) {
      problems.push(`the body must be wrapped in one "${op.wrapper}" key (${op.source})`);
      return {};
    }
    return v[op.wrapper];
  };
  switch (op.body) {
    case 'json':
      if (b.kind !== 'json') problems.push(`the body must be JSON, not ${b.kind}`);
      else fields = unwrap(JSON.parse(JSON.stringify(b.value)));
      break;
    case 'query':
      if (b.kind !== 'none' && b.kind !== 'multipart') problems.push(`the fields travel in the query; the body must be empty or the file (not ${b.kind})`);
      fields = Object.fromEntries(new URL(request.url).searchParams);
      if (b.kind === 'multipart') {
        if (Object.keys(b.fields).length) problems.push(`the fields travel in the query, not as multipart fields: ${Object.keys(b.fields).join(', ')}`);
        for (const f of b.files) files.set(f.field, { contentType: f.contentType, size: f.data.byteLength });
      }
      break;
    case 'multipart':
    case 'jsonfield':
      if (b.kind !== 'multipart') {
        problems.push(`the body must be multipart/form-data, not ${b.kind}`);
        break;
      }
      for (const f of b.files) files.set(f.field, { contentType: f.contentType, size: f.data.byteLength });
      if (op.body === 'multipart') fields = { ...b.fields };
      else {
        const extra = Object.keys(b.fields).filter((k) => k !== 'jsonfield');
        if (extra.length) problems.push(`multipart fields other than jsonfield: ${extra.join(', ')}`);
        try {
          fields = unwrap(JSON.parse(b.fields.jsonfield ?? ''));
        } catch {
          problems.push('jsonfield is not a JSON string');
        }
      }
      break;
    case 'none':
      if (b.kind !== 'none') problems.push(`the operation has no body (got ${b.kind})`);
      if (new URL(request.url).search) problems.push('the operation has no query string');
      break;
  }
  return { fields, files, problems };
}

/** Every way `request` departs from the contract under `selection`; empty when it keeps it. */
export function check(contract: Operation, request: ProviderRequest, selection: Selection = {}): string[] {
  const op = resolve(contract, selection);
  const problems: string[] = [];
  if (request.operation !== op.id) problems.push(`operation ${request.operation}, the contract is ${op.id}`);
  if (request.method !== op.method) problems.push(`method ${request.method}, expected ${op.method} (${op.source})`);
  const pathname = decodeURI(new URL(request.url).pathname);
  const pathOk = typeof op.path === 'string' ? pathname.endsWith(op.path) : op.path.test(pathname);
  if (!pathOk) problems.push(`path ${pathname}, expected …${String(op.path)} (${op.source})`);
  if (op.origin !== undefined && new URL(request.url).origin !== op.origin)
    problems.push(`origin ${new URL(request.url).origin}, expected ${op.origin} (${op.source})`);

  const headers = new Headers(request.headers);
  for (const h of op.headers) {
    const v = headers.get(h.name);
    if (v === null) problems.push(`header ${h.name} is missing (${h.source})`);
    else if (typeof h.value === 'string' ? v !== h.value : !h.value.test(v))
      problems.push(`header ${h.name} is "${v}", expected ${String(h.value)} (${h.source})`);
  }
  for (const h of op.absentHeaders ?? []) if (headers.has(h.name)) problems.push(`header ${h.name} must not be sent (${h.source})`);

  const { fields: body, files, problems: shape } = bodyOf(op, request);
  problems.push(...shape);
  const textual = op.body === 'query' || op.body === 'multipart';

  for (const f of op.fields) {
    const found = at(body, f.path);
    for (const n of found) {
      const required = typeof f.required === 'boolean' ? f.required : holds(f.required, n.parent, body);
      if (!n.present) {
        if (required) problems.push(`${n.where} is required (${f.source})`);
        continue;
      }
      const types = (Array.isArray(f.type) ? f.type : [f.type]) as FieldType[];
      if (!types.some((t) => typeOk(t, n.value, textual))) {
        problems.push(`${n.where} is ${JSON.stringify(n.value)?.slice(0, 40)}, expected ${types.join(' or ')} (${f.source})`);
        continue;
      }
      if (f.values && !f.values.includes(n.value))
        problems.push(`${n.where} is ${JSON.stringify(n.value)}, expected one of ${JSON.stringify(f.values)} (${f.source})`);
      if (f.maxLength !== undefined && typeof n.value === 'string' && [...n.value].length > f.maxLength)
        problems.push(`${n.where} is longer than ${f.maxLength} (${f.source})`);
      if (f.pattern && typeof n.value === 'string' && !f.pattern.test(n.value))
        problems.push(`${n.where} "${n.value}" does not match ${String(f.pattern)} (${f.source})`);
    }
  }

  // Closed world: every key sent is in the contract.
  const known = new Set(op.fields.map((f) => f.path));
  for (const k of keysOf(body)) if (!known.has(k)) problems.push(`${k} is not in the contract (${op.source})`);

  for (const f of op.files ?? []) {
    const part = files.get(f.path);
    const required = typeof f.required === 'boolean' ? f.required : holds(f.required, isRecord(body) ? body : undefined, body);
    if (!part) {
      if (required) problems.push(`file part ${f.path} is required (${f.source})`);
      continue;
    }
    if (f.contentTypes && !f.contentTypes.includes(part.contentType))
      problems.push(`file part ${f.path} is ${part.contentType}, expected ${f.contentTypes.join(' or ')} (${f.source})`);
  }
  const knownFiles = new Set((op.files ?? []).map((f) => f.path));
  for (const name of files.keys()) if (!knownFiles.has(name)) problems.push(`file part ${name} is not in the contract (${op.source})`);

  for (const rule of op.oneOf ?? []) {
    if (rule.when && !holds(rule.when, isRecord(body) ? body : undefined, body)) continue;
    const present = rule.paths.filter((p) => at(body, p).some((n) => n.present));
    if (rule.exactly ? present.length !== 1 : present.length === 0) {
      problems.push(`${rule.exactly ? 'exactly' : 'at least'} one of ${rule.paths.join(', ')} (got ${present.join(', ') || 'none'}) (${rule.source})`);
    }
  }
  return problems;
}
