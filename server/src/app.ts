// createApp builds the companion server and never listens (main.ts does), so tests drive it directly.
// Order: security headers → request log → CORS → the Digisign callback (public HTML) → /api: the origin check,
// the answer scrubber, parsers, authentication (all but health, the trust roots and the sandbox token route),
// one router per resource (each provider's from its folder, every route added with its description: GET
// /api/openapi.json is made from that registry), JSON 404 → the sandbox simulators (when main.ts mounts the
// sandbox package, loaded in sandbox mode only) → the demo's static files → the error handler.
import express, { type Express, type Request } from 'express';
import { join } from 'node:path';
import type { ServerConfig } from './config.js';
import type { AppContext } from './http/context.js';
import { elementsBundle, ELEMENTS_DIR } from './http/elements-bundle.js';
import { errorHandler, HttpError } from './http/errors.js';
import { scrubAnswers } from './http/answers.js';
import { cors, refuseForeignOrigins } from './http/origins.js';
import { demoPageCsp, securityHeaders } from './http/csp.js';
import { requireAuth } from './http/auth.js';
import { uploads } from './http/uploads.js';
import { openApiDocument } from './http/openapi/document.js';
import { ApiRegistry } from './http/openapi/registry.js';
import { buildCalibrationPdf } from './pdf/calibration.js';
import { bsreRouter } from './providers/bsre/routes.js';
import { callbackRouter } from './providers/digisign/callback.js';
import { digisignRouter } from './providers/digisign/routes.js';
import { documentsRouter } from './http/routes/documents.js';
import { peruriRouter } from './providers/peruri/routes.js';
import { systemRouter } from './http/routes/system.js';
import { trustRouter } from './http/routes/trust.js';
import { verifyRouter } from './http/routes/verify.js';
import { webviewsRouter } from './http/routes/webviews.js';
import { TraceStore } from './inspector/recorder.js';
import { traceRequests, tracesRouter } from './http/routes/traces.js';
import { AttemptLimiter, attemptPolicy } from './auth/attempts.js';
import { PortalTokenVerifier } from './auth/jwt.js';
import { securityWarnings } from './auth/warnings.js';
import { createLogger, requestLogger, type Logger } from './log/logger.js';
import { secretScrubber } from './log/secrets.js';
import { buildProviders, type ProviderBuildOptions, type Providers } from './providers/index.js';
import { DEFAULT_INTAKE_LIMITS, PdfIntake, sharedIntakePool } from './pdf/intake-pool.js';
import { FileAttemptStore, type AttemptStore } from './store/attempts.js';
import { DocumentStore } from './store/documents.js';
import { LandingRecords } from './store/landings.js';
import { loadSandbox } from './sandbox-loader.js';
import { FileStateStore } from './store/file-state.js';
import type { StateStore } from './store/state.js';
import { IdempotencyStore } from './store/idempotency.js';
import { idempotent } from './http/idempotency.js';
import { FlowRecords } from './flows/records.js';
import { Reconciler } from './flows/reconcile.js';
import { flowsRouter } from './flows/routes.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { WebhookOutbox } from './webhooks/outbox.js';
import { webhooksRouter } from './webhooks/routes.js';

export interface AppDeps {
  config: ServerConfig;
  version: string;
  /** The built demo (dist/demo); omitted, the server answers the API only. */
  demoDir?: string | undefined;
  logger?: Logger;
  store?: DocumentStore;
  /** Built from the config when omitted. */
  providers?: Providers;
  /** Passed to buildProviders when `providers` is omitted (tests: retries 0). */
  providerOptions?: Omit<ProviderBuildOptions, 'logger'>;
  /** Mounts the sandbox simulators (sandbox mode); called after /api and before the demo's static files. */
  mountSandbox?: ((app: Express) => void) | undefined;
  /**
   * The sandbox CA's root (PEM), listed by GET /api/trust/roots. Default in sandbox mode: the CA the
   * simulators sign with (DATA_DIR/sandbox/ca), opened on first use; never in live mode.
   */
  sandboxRoot?: (() => Promise<string>) | undefined;
  /** Where wrong guesses are counted (default: files under DATA_DIR/attempts). */
  attemptStore?: AttemptStore;
  /**
   * The state shared by instances (store/state.ts; default: files under DATA_DIR): the Digisign landings, Peruri's
   * OTP sessions, batches and signing-system key, BSrE's held seal OTPs, the provider tokens, the download locks.
   */
  state?: StateStore;
  /** The Idempotency-Key records of the signing and sending routes (default: on `state`). */
  idempotency?: IdempotencyStore;
  /** The clock of the attempt limits (tests move it). */
  now?: () => number;
  /**
   * Starts the background workers: webhook deliveries (webhooks/dispatcher.ts) and reconciliation
   * (flows/reconcile.ts). main.ts does; tests that drive them start them through backgroundOf(app).
   */
  background?: boolean;
}

/** The background workers of an app: started with `background: true`, stopped before the stores close. */
export interface Background {
  dispatcher: WebhookDispatcher | undefined;
  reconciler: Reconciler;
  start(): void;
  stop(): Promise<void>;
}

export const backgroundOf = (app: Express): Background => app.locals.background as Background;

const PUBLIC_API = new Set(['/health', '/tokens']);
/** Public GET routes: liveness, and the trust anchors (public certificates, see routes/trust.ts). */
const PUBLIC_GET = new Set(['/health', '/trust/roots']);

/**
 * The root of the sandbox CA under `dataDir` (the directory the simulators' signing engine uses), read once.
 * The sandbox package is loaded here, lazily (sandbox-loader.ts), so that a live server never loads it.
 */
function sandboxCaRoot(dataDir: string): () => Promise<string> {
  let root: Promise<string> | undefined;
  return () =>
    (root ??= loadSandbox()
      .then((sandbox) => sandbox.sandboxRootCertificate(dataDir))
      .catch((err: unknown) => {
        root = undefined; // try again on the next request
        throw err;
      }));
}

export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  const logger = deps.logger ?? createLogger({ level: config.logLevel, secrets: config.secrets });
  const store = deps.store ?? new DocumentStore(config.dataDir);
  const state = deps.state ?? new FileStateStore(config.dataDir);
  const providers = deps.providers ?? buildProviders(config, { logger, state, ...deps.providerOptions });
  const attempts = new AttemptLimiter(
    deps.attemptStore ?? new FileAttemptStore(config.dataDir),
    attemptPolicy(config.attempts.limit, config.attempts.backoffSeconds),
    deps.now,
  );
  // Every route is described where it is added (http/openapi/registry.ts): GET /api/openapi.json is made from this.
  const idempotency = deps.idempotency ?? new IdempotencyStore(state);
  const registry = new ApiRegistry((route) => idempotent(idempotency, route, logger));
  // Flow records and their webhook events share the state store; the dispatcher sends an event the moment it is written.
  const outbox = new WebhookOutbox(state, config.webhooks.urls);
  const flows = new FlowRecords(state, outbox);
  // Every PDF check reads in the intake's worker threads, within MAX_PDF_PAGES and the deadline.
  const { maxPages, timeoutMs, threads, queue } = config.pdfIntake;
  const intake = new PdfIntake(sharedIntakePool({ threads, queue }), { ...DEFAULT_INTAKE_LIMITS, maxPages, timeoutMs });
  const ctx: AppContext = {
    config,
    store,
    providers,
    logger,
    version: deps.version,
    attempts,
    state,
    landings: new LandingRecords(state),
    scrub: secretScrubber(config.secrets),
    api: registry,
    flows,
    intake,
  };
  const hooks = config.webhooks;
  const dispatcher =
    outbox.enabled && hooks.secret
      ? new WebhookDispatcher(outbox, {
          secret: hooks.secret,
          retryScheduleMs: hooks.retryScheduleMs,
          timeoutMs: hooks.timeoutMs,
          pollMs: hooks.pollMs,
          logger,
        })
      : undefined;
  flows.onEvent = () => dispatcher?.kick();
  const reconciler = new Reconciler(ctx, config.reconcile);
  const background: Background = {
    dispatcher,
    reconciler,
    start() {
      dispatcher?.start();
      reconciler.start();
    },
    async stop() {
      await Promise.all([dispatcher?.stop(), reconciler.stop()]);
    },
  };
  // A generated PORTAL_SECRET verifies the sandbox's own development tokens; in live mode it verifies nothing.
  const verifier = new PortalTokenVerifier({
    secret: config.mode === 'live' && config.portalSecretGenerated ? undefined : config.portalSecret,
    ...config.portalTokens,
  });
  for (const warning of securityWarnings(config)) logger.warn({ warning }, 'security');
  const sandboxRoot = deps.sandboxRoot ?? (config.sandbox ? sandboxCaRoot(config.sandbox.dataDir) : undefined);

  const app = express();
  app.locals.apiRegistry = registry;
  app.locals.background = background;
  if (deps.background) background.start();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders());
  app.use(requestLogger(logger));
  app.use(cors(config.portalOrigins));
  app.use(callbackRouter(ctx));

  const api = express.Router();
  api.use(refuseForeignOrigins(config.portalOrigins));
  api.use(scrubAnswers(config.secrets));
  api.use(express.json({ limit: '1mb' }));
  api.use(
    requireAuth(verifier, config.identityClaims, (req: Request) =>
      req.method === 'GET' ? PUBLIC_GET.has(req.path) : req.method === 'POST' && PUBLIC_API.has(req.path),
    ),
  );
  // PDF parts are spooled to DATA_DIR/uploads while they arrive (http/uploads.ts), never held in memory.
  api.use(uploads(config.maxPdfBytes, join(config.dataDir, 'uploads')));
  // Sandbox only: the request inspector records each request's provider calls (redacted) for the demo.
  // After the parsers, so that the trace is current wherever a route runs.
  if (config.mode === 'sandbox') {
    const traces = new TraceStore(200, config.secrets);
    api.use(traceRequests(traces));
    api.use(tracesRouter(ctx, traces));
  }
  api.use(systemRouter(ctx));
  // On the API router itself: the document of every route described in the registry, made once when first asked.
  const described = registry.router('/api', api);
  let document: Record<string, unknown> | undefined;
  described.get(
    { path: '/openapi.json', tag: 'system', summary: 'This document', answers: { 200: { description: 'OpenAPI 3.1' } }, errors: [401] },
    (_req, res) => {
      res.json((document ??= openApiDocument(registry, deps.version)));
    },
  );
  described.get(
    {
      path: '/calibration.pdf',
      tag: 'system',
      summary: 'The calibration sheet: a labelled grid on a page of each geometry, to sign once on a live provider',
      answers: { 200: { description: 'The PDF', media: 'application/pdf' } },
      errors: [401],
    },
    async (_req, res) => {
      res
        .type('application/pdf')
        .attachment('esign-kit-calibration.pdf')
        .send(Buffer.from(await buildCalibrationPdf()));
    },
  );
  api.use(documentsRouter(ctx));
  api.use(bsreRouter(ctx));
  api.use(peruriRouter(ctx));
  api.use(digisignRouter(ctx));
  api.use(webviewsRouter(ctx));
  api.use(flowsRouter(ctx));
  api.use(webhooksRouter(ctx, () => dispatcher?.kick()));
  api.use(verifyRouter(ctx, sandboxRoot));
  api.use(trustRouter(ctx, sandboxRoot));
  api.use((req) => {
    throw new HttpError('not-found', `No API route ${req.method} ${req.originalUrl.split('?')[0]}.`);
  });
  app.use('/api', api);
  // The built elements, self-hosted (no CDN): <script type="module" src="/esign-kit/esign-kit.js" integrity=…>.
  app.use('/esign-kit', elementsBundle(ELEMENTS_DIR, { origins: config.portalOrigins }));

  if (deps.mountSandbox) deps.mountSandbox(app);
  if (deps.demoDir) {
    const demoCsp = demoPageCsp(config);
    app.use(
      express.static(deps.demoDir, {
        index: 'index.html',
        fallthrough: true,
        // A strict CSP that the demo (pdf.js, the web views) works under, never framed (it mints itself sandbox
        // tokens). On every file, not only the pages: a worker script runs under its own response's policy.
        setHeaders: (res) => {
          res.setHeader('Content-Security-Policy', demoCsp);
        },
      }),
    );
  }
  // Express's own 404 page would carry no error code: answer like the API does.
  app.use((req) => {
    throw new HttpError('not-found', `Nothing at ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(logger));
  return app;
}
