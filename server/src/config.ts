// The server's configuration from the environment, checked once at start. Each bad value gets its own
// message naming the variable, and start-up stops before anything listens.
export type Mode = 'sandbox' | 'live';

export interface ServerConfig {
  mode: Mode;
  port: number;
  host: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const problems: string[] = [];
  const mode = (env.ESIGN_MODE ?? 'sandbox').trim();
  if (mode !== 'sandbox' && mode !== 'live') problems.push(`ESIGN_MODE must be "sandbox" or "live" (got "${mode}").`);
  const portText = (env.PORT ?? '8080').trim();
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) problems.push(`PORT must be a whole number from 0 to 65535 (got "${portText}").`);
  const host = (env.HOST ?? '0.0.0.0').trim();
  if (!host) problems.push('HOST must not be empty.');
  if (problems.length) throw new ConfigError(problems);
  return { mode: mode as Mode, port, host };
}
