// GET /api/openapi.json: the OpenAPI 3.1 document of the routes an app answers, generated from their registry
// (registry.ts) with zod's own JSON Schema output (z.toJSONSchema, draft 2020-12, which OpenAPI 3.1 uses):
// request bodies from the schemas the routes validate with, answers from the schemas that describe them.
// Schemas given an id (`.meta({ id })`: Box, ProfileOverrides, StoredDocument, Error…) become components.
import { z } from 'zod';
import { openApiPath, type ApiRegistry, type Operation } from './registry.js';

type JsonSchema = Record<string, unknown>;

/** Where a zod schema stands for a JSON Schema of our own (a multipart field read as JSON, opaque input). */
const shown = new WeakMap<object, JsonSchema>();

/** Documents `schema` as `json` (e.g. `{ $ref: '#/components/schemas/ProfileOverrides' }`); validation is unchanged. */
export function shownAs<T extends z.ZodType>(schema: T, json: JsonSchema): T {
  shown.set(schema, json);
  return schema;
}

/** Components that only a `shownAs` reference names: their zod schemas, converted once into the document. */
const referenced = new Map<string, z.ZodType>();

/** A component referenced by `shownAs` (`{ $ref }` to it), with the zod schema that describes it. */
export function component(id: string, schema: z.ZodType): JsonSchema {
  referenced.set(id, schema);
  return { $ref: `#/components/schemas/${id}` };
}

const SAFE = Number.MAX_SAFE_INTEGER;

/** zod's output made to sit in one document: `$defs` become components, refs follow, noise goes. */
function tidy(value: unknown, components: Record<string, JsonSchema>): unknown {
  if (Array.isArray(value)) return value.map((v) => tidy(v, components));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonSchema = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$schema') continue;
    if (key === '$defs') {
      for (const [id, def] of Object.entries(v as Record<string, unknown>)) components[id] = tidy(def, components) as JsonSchema;
      continue;
    }
    // z.number().int() says "a safe integer": true of every JSON number an API sends, and noise in a document.
    if ((key === 'minimum' && v === -SAFE) || (key === 'maximum' && v === SAFE)) continue;
    if (key === '$ref' && typeof v === 'string') {
      out[key] = v.replace(/^#\/\$defs\//, '#/components/schemas/');
      continue;
    }
    out[key] = tidy(v, components);
  }
  return out;
}

function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      const replacement = shown.get(ctx.zodSchema);
      if (!replacement) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
      Object.assign(ctx.jsonSchema, structuredClone(replacement));
    },
  });
  return tidy(json, components) as JsonSchema;
}

function requestBody(op: Operation, components: Record<string, JsonSchema>) {
  const body = op.body;
  if (!body) return undefined;
  const fields = toSchema(body.schema, 'input', components);
  const content: Record<string, { schema: JsonSchema }> = {};
  if (body.media !== 'multipart') content['application/json'] = { schema: fields };
  if (body.media !== 'json') {
    const files = Object.fromEntries(
      Object.entries(body.files ?? {}).map(([name, f]) => {
        const part = { type: 'string', contentMediaType: f.media, description: f.description };
        return [
          name,
          f.max && f.max > 1 ? { type: 'array', maxItems: f.max, items: { type: 'string', contentMediaType: f.media }, description: f.description } : part,
        ];
      }),
    );
    const required = [
      ...((fields.required as string[] | undefined) ?? []),
      ...Object.entries(body.files ?? {})
        .filter(([, f]) => f.required)
        .map(([name]) => name),
    ];
    content['multipart/form-data'] = {
      schema: { ...fields, properties: { ...(fields.properties as JsonSchema | undefined), ...files }, ...(required.length ? { required } : {}) },
    };
  }
  return { required: body.required ?? true, content };
}

function parameters(op: Operation, components: Record<string, JsonSchema>) {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      const json = toSchema(field as z.ZodType, 'input', components);
      const { description, ...rest } = json;
      list.push({
        name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  if (op.idempotent) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe (1–255 printable ASCII characters, e.g. a UUID, per portal user, remembered 24 h): the same key with the same request answers the first success again (header Idempotent-Replayed: true) without calling the provider; with another request 422; while the first is still running, on any instance, 409 with Retry-After. After an error answer the key may be sent again.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    });
  }
  return list.length ? list : undefined;
}

function operation(op: Operation, components: Record<string, JsonSchema>) {
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    const media = answer.media ?? 'application/json';
    const schema = answer.schema
      ? toSchema(answer.schema, 'output', components)
      : media === 'application/json'
        ? { type: 'object' }
        : media === 'text/html'
          ? undefined
          : { type: 'string', contentMediaType: media };
    responses[status] = { description: answer.description, content: { [media]: schema ? { schema } : {} } };
  }
  for (const status of op.errors ?? []) responses[String(status)] = { $ref: `#/components/responses/E${status}` };
  const params = parameters(op, components);
  const body = requestBody(op, components);
  return {
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    ...(op.public ? { security: [] } : {}),
    ...(params ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

/** The error envelope of every error answer (http/errors.ts). */
const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('A stable kebab-case code to switch on (invalid-input, provider-timeout, wrong-passphrase…)'),
      message: z.string(),
      field: z.string().optional().describe('The request field the error is about'),
      provider: z
        .object({ code: z.string(), message: z.string() })
        .optional()
        .describe("The provider's own code and words (usually Indonesian), scrubbed of secrets"),
      retryable: z.boolean().optional(),
    }),
  })
  .meta({ id: 'Error' });

const DESCRIPTION =
  'Holds every provider credential and talks to BSrE, Peruri and Digisign for the portal. Every /api route except /api/health, /api/trust/roots (and the sandbox-only, loopback-only POST /api/tokens) needs `Authorization: Bearer <token>`: a JWT signed with PORTAL_SECRET (HS256) or ' +
  "the portal's key (PORTAL_PUBLIC_KEY or PORTAL_JWKS_URL: RS256, PS256, ES256/384/512, EdDSA), `sub` = the portal user, `exp` at most 15 minutes ahead; `esign:nik` and `esign:email` (a string or an array) name the provider identities the user may act as, and " +
  '`scope: "esign:org"` allows organisation-level operations (the BSrE seal, Peruri signing system, bulk). Errors are `{ error: { code, message, field?, provider?: { code, message } } }`; 4xx is the caller\'s input (400 invalid input naming the field, also for unknown fields; ' +
  '401 token with field `authorization`; 403 an `Origin` outside PORTAL_ORIGINS with field `origin`, an identity the token does not name (`identity-not-allowed`, field = the body field) or a missing scope (`scope-required`); 429 `too-many-attempts` with Retry-After after 5 wrong ' +
  'OTPs, TOTPs or passphrases for one target; 413 too large; 415 a body that is neither JSON nor multipart), 502/504 a provider failure. Boxes are neutral: `{page (1-based), x, y, width, height}` in PDF user units from the lower-left corner.';

const TAGS = ['system', 'documents', 'bsre', 'peruri', 'digisign', 'webviews', 'flows', 'webhooks'];

/** The OpenAPI 3.1 document of every route described in `registry`. */
export function openApiDocument(registry: ApiRegistry, version: string): Record<string, unknown> {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of registry.operations) (paths[openApiPath(op.fullPath)] ??= {})[op.method] = operation(op, components);
  for (const [id, schema] of referenced) components[id] ??= toSchema(schema, 'output', components);
  const errorSchema = toSchema(errorBody, 'output', components);
  const statuses = [...new Set(registry.operations.flatMap((op) => op.errors ?? []))].sort((a, b) => a - b);
  return {
    openapi: '3.1.0',
    info: { title: 'esign-kit companion server', version, description: DESCRIPTION },
    servers: [{ url: '/' }],
    security: [{ portalToken: [] }],
    tags: TAGS.filter((t) => registry.operations.some((op) => op.tag === t)).map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { portalToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      responses: Object.fromEntries(statuses.map((s) => [`E${s}`, { description: `Error ${s}`, content: { 'application/json': { schema: errorSchema } } }])),
    },
  };
}
