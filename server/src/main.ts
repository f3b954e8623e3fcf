// `npm start` runs this: load the configuration, recover the document store after a crash, build the app,
// listen. In sandbox mode the simulators' package is loaded (dynamic import, sandbox-loader.ts); a live server
// never loads it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { backgroundOf, createApp } from './app.js';
import { securityWarnings } from './auth/warnings.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log/logger.js';
import { loadSandbox } from './sandbox-loader.js';
import { openStores } from './store/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };

// `node server/src/main.ts doctor …`: check the configuration against the providers, then leave (doctor/cli.ts).
if (process.argv[2] === 'doctor') {
  const { doctorMain } = await import('./doctor/cli.js');
  process.exit(await doctorMain(process.argv.slice(3)));
}

try {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
  const demoDir = `${root}dist/demo`;
  const sandbox = config.sandbox;
  const simulators = sandbox ? await loadSandbox() : undefined;
  // PostgreSQL when DATABASE_URL is set (migrated here, before anything is answered), else files under DATA_DIR.
  const stores = await openStores({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger }).catch((err: Error) => {
    console.error(`The store cannot be opened (${config.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR'}): ${err.message}`);
    process.exit(1);
  });
  // A crash (kill -9, power loss) may have left unfinished writes: none was ever acknowledged. Clean up and
  // restore the provider-reference index before anything is answered.
  const store = stores.documents;
  const recovered = await store.recover();
  if (recovered.removed.length || recovered.refsRestored)
    logger.warn({ removed: recovered.removed.length, refsRestored: recovered.refsRestored }, 'document store recovered after an unclean stop');
  const app = createApp({
    config,
    version,
    logger,
    store,
    state: stores.state,
    idempotency: stores.idempotency,
    attemptStore: stores.attempts,
    // The demo is a sandbox tool (it mints itself tokens from the loopback route): never served live.
    demoDir: sandbox && existsSync(demoDir) ? demoDir : undefined,
    // Sandbox mode: the simulators answer under /sandbox on this server; the adapters reach them over HTTP.
    mountSandbox: sandbox && simulators ? (a) => a.use('/sandbox', simulators.createSandboxRouter(sandbox)) : undefined,
    // Webhook deliveries and reconciliation of flows left waiting (flows/reconcile.ts, webhooks/dispatcher.ts).
    background: true,
  });
  // The providers' web views run on a second origin, so that the portal's cross-origin handling is real.
  const webViews = sandbox && simulators ? simulators.createSandboxWebViewApp(sandbox).listen(sandbox.webViewPort, config.host) : undefined;
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ mode: config.mode, port, store: stores.kind, dataDir: config.dataDir, providers: Object.keys(config.providers) }, 'listening');
    console.log(`esign-kit companion server (${config.mode}) on http://localhost:${port}`);
    if (sandbox) console.log(`Sandbox providers under http://localhost:${port}/sandbox (OTP inbox: /sandbox/inbox); web views on ${sandbox.webViewUrl}`);
    if (config.portalSecretGenerated && sandbox)
      console.log('PORTAL_SECRET is not set: a random one was generated for this run; the demo gets tokens from POST /api/tokens (loopback only).');
    for (const warning of securityWarnings(config)) console.warn(`WARNING: ${warning}`);
  });
  const stop = () => {
    webViews?.close();
    server.close(() => {
      void backgroundOf(app)
        .stop()
        .then(() => stores.close())
        .finally(() => process.exit(0));
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
