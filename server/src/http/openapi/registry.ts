// Every API route is registered together with its description: method, path, summary, the request's zod
// schemas (body, path parameters, query) and the answers it gives. The same call adds the Express route and
// the registry entry, so GET /api/openapi.json (document.ts) describes exactly the routes the server answers;
// server/test/app.test.ts compares the app's router stack with this registry, so a route added some other way
// fails it.
import { Router, type Express, type RequestHandler } from 'express';
import type { z } from 'zod';

export type Method = 'get' | 'post';

/** A multipart file part: what it holds. `max` > 1: the part may be repeated up to that many times. */
export interface FilePart {
  description: string;
  /** Its media type, as OpenAPI's `contentMediaType` (application/pdf, image/png…). */
  media: string;
  max?: number;
  /** The route refuses a request without it. */
  required?: boolean;
}

export interface BodyDoc {
  /** The zod schema the route validates the body with (bodyOf). */
  schema: z.ZodType;
  /** `json+multipart`: the same fields as a JSON object or as multipart fields (with the file parts). */
  media: 'json' | 'multipart' | 'json+multipart';
  /** The file parts of a multipart body, by field name. */
  files?: Record<string, FilePart>;
  /** Default true. */
  required?: boolean;
}

export interface AnswerDoc {
  description: string;
  /** The answer's shape (JSON unless `media` says otherwise). */
  schema?: z.ZodType;
  /** Default application/json; `application/pdf`, `text/html`… for the others. */
  media?: string;
}

export interface RouteDoc {
  /** The Express path, relative to where the router is mounted: `/bsre/signatures`, `/peruri/documents/:orderId/otp`. */
  path: string;
  /** The group it is listed under: `system`, `documents`, `bsre`, `peruri`, `digisign`, `webviews`. */
  tag: string;
  /** One sentence: what the route does (required; a route without it does not start). */
  summary: string;
  /** More: the provider flow it follows, what it stores, the documents it cites. */
  description?: string;
  /** Public routes need no portal token (health, trust roots, the sandbox's tokens, the Digisign landing). */
  public?: boolean;
  /** The `:name` parameters of the path, each documented (a path parameter without one does not start). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: BodyDoc;
  /** The successful answers, by HTTP status. */
  answers: Record<number, AnswerDoc>;
  /** The error statuses it may answer (the error body is always the same envelope). */
  errors?: number[];
  /**
   * The route signs or sends a document: it takes an Idempotency-Key header (http/idempotency.ts, run before
   * the route's own handlers), and may answer 409 (in progress) and 422 (the key used for another request).
   */
  idempotent?: boolean;
}

export interface Operation extends RouteDoc {
  method: Method;
  /** The path as the app answers it: the mount and the route's path. */
  fullPath: string;
}

/** The routes of one Express router (mounted at `mount`), each added with its description. */
export class DocumentedRouter {
  constructor(
    private readonly registry: ApiRegistry,
    private readonly mount: string,
    readonly router: Router = Router(),
  ) {}

  get(doc: RouteDoc, ...handlers: RequestHandler[]): this {
    return this.add('get', doc, handlers);
  }

  post(doc: RouteDoc, ...handlers: RequestHandler[]): this {
    return this.add('post', doc, handlers);
  }

  private add(method: Method, doc: RouteDoc, handlers: RequestHandler[]): this {
    const fullPath = `${this.mount}${doc.path}`;
    if (!doc.summary.trim()) throw new Error(`${method.toUpperCase()} ${fullPath} has no summary.`);
    for (const [, name] of doc.path.matchAll(/:(\w+)/g)) {
      if (!doc.params?.shape[name!]) throw new Error(`${method.toUpperCase()} ${fullPath} does not describe its path parameter ${name}.`);
    }
    const guard = doc.idempotent ? this.registry.idempotent?.(fullPath) : undefined;
    const errors = doc.idempotent ? [...new Set([...(doc.errors ?? []), 409, 422])].sort((a, b) => a - b) : doc.errors;
    this.registry.operations.push({ ...doc, ...(errors ? { errors } : {}), method, fullPath });
    this.router[method](doc.path, ...(guard ? [guard] : []), ...handlers);
    return this;
  }
}

/** The described routes of one app. */
export class ApiRegistry {
  readonly operations: Operation[] = [];

  /** `idempotent`: the Idempotency-Key handler of a route, by its full path (app.ts: http/idempotency.ts on the store). */
  constructor(readonly idempotent?: (fullPath: string) => RequestHandler) {}

  /** A router whose routes are described here; `mount` is where the app mounts it (`/api`, or `` for the root). */
  router(mount: string, router?: Router): DocumentedRouter {
    return new DocumentedRouter(this, mount, router);
  }

  /** `METHOD /path` of each described route, the path written as OpenAPI writes it (`{orderId}`). */
  routes(): string[] {
    return this.operations.map((op) => `${op.method.toUpperCase()} ${openApiPath(op.fullPath)}`);
  }
}

/** `/peruri/documents/:orderId/otp` → `/peruri/documents/{orderId}/otp`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

/** The registry an app's routes were described in (app.ts keeps it in app.locals). */
export function apiRegistryOf(app: Express): ApiRegistry {
  const registry = app.locals.apiRegistry as unknown;
  if (!(registry instanceof ApiRegistry)) throw new Error('This app was not built by createApp.');
  return registry;
}
