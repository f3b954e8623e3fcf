// `npm start` runs this: load the configuration, build the app, listen.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log/logger.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };

try {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
  const demoDir = `${root}dist/demo`;
  const app = createApp({ config, version, logger, demoDir: existsSync(demoDir) ? demoDir : undefined });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ mode: config.mode, port, dataDir: config.dataDir, providers: Object.keys(config.providers) }, 'listening');
    console.log(`esign-kit companion server (${config.mode}) on http://localhost:${port}`);
    if (config.portalSecretGenerated) console.log('PORTAL_SECRET is not set: a random one was generated for this run; the demo gets tokens from POST /api/tokens (loopback only).');
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
