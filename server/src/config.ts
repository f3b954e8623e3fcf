// The server's configuration from the environment (and an optional JSON file with the same keys, named
// by ESIGN_CONFIG; the environment wins), checked once at start. Each bad value gets its own message
// naming the variable — never its value, which may be a secret — and start-up stops before anything
// listens. In sandbox mode every provider defaults to the simulators this same server mounts under
// /sandbox, with credentials generated once and kept under DATA_DIR so a restart keeps them.
import { X509Certificate, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CoordinateError, parseProfileOverrides, type ProfileOverrides } from '@esign-kit/core';
import { publicKeyFromPem } from './auth/jwt.js';
import { DEFAULT_INTAKE_LIMITS, DEFAULT_INTAKE_POOL } from './pdf/intake-pool.js';
import { bsreSecrets, readBsreCloudConfig, readBsreConfig, type BsreCloudConfig, type BsreConfig } from './providers/bsre/config.js';
import { DEFAULT_DIALECTS, DIALECT_SWITCHES, V1_STATUS_PATH, type DialectProvider, type Dialects } from './providers/dialects.js';
import { digisignSecrets, readDigisignConfig, type DigisignConfig } from './providers/digisign/config.js';
import { webhookKey } from './webhooks/signature.js';
import { peruriSecrets, readPeruriConfig, type PeruriConfig } from './providers/peruri/config.js';

export type { BsreCloudConfig, BsreConfig } from './providers/bsre/config.js';
export type { DigisignConfig } from './providers/digisign/config.js';
export { peruriPathVariable, type PeruriConfig } from './providers/peruri/config.js';

export type Mode = 'sandbox' | 'live';

/** What the sandbox simulators need (the lead passes this to createSandboxRouter / createSandboxWebViewApp). */
export interface SandboxConfig {
  dataDir: string;
  publicUrl: string;
  webViewUrl: string;
  webViewPort: number;
  portalOrigins: string[];
  /** Where the sandbox Digisign pages redirect with ?msg= (this server's landing, either flow). */
  digisignRedirectUrl: string;
  /**
   * The deployment's settings of the documented ambiguities and its coordinate profiles: the simulators
   * accept exactly the dialect the adapters speak (sandbox/README.md). Absent: the defaults.
   */
  dialects?: Dialects;
  profiles?: SandboxProfiles;
  credentials: {
    bsreUsername: string;
    bsrePassword: string;
    bsreCloudClientId: string;
    bsreCloudClientSecret: string;
    peruriApiKey: string;
    peruriSystemId: string;
    digisignToken: string;
    digisignUserId: string;
    digisignAesKey: string;
  };
}

/** The deployment's coordinate profile overrides, as the sandbox reads them back. */
export interface SandboxProfiles {
  bsreV1?: ProfileOverrides;
  bsreV2?: ProfileOverrides;
  bsreCloud?: ProfileOverrides;
  peruri?: ProfileOverrides;
  digisign?: ProfileOverrides;
}

/** A certificate this deployment trusts as an anchor for signature checks (TRUSTED_ROOTS). */
export interface TrustedRootConfig {
  pem: string;
  /** RFC 4514-like, most specific first: `CN=…, O=…, C=ID`. */
  subject: string;
  /** SHA-256 of the DER, lower-case hexadecimal (as @esign-kit/verify's CertificateInfo.fingerprint). */
  fingerprint: string;
  /** The file it was read from (resolved). */
  path: string;
}

export interface PortalTokenConfig {
  /** PORTAL_PUBLIC_KEY: a PEM public key (RS256/PS256, ES256/384/512, EdDSA). */
  publicKey?: string;
  /** PORTAL_JWKS_URL: the portal's JWKS. */
  jwksUrl?: string;
  /** PORTAL_TOKEN_ISSUER: the `iss` every token must carry. */
  issuer?: string;
  /** PORTAL_TOKEN_AUDIENCE: an `aud` every token must carry. */
  audience?: string;
}

export interface ServerConfig {
  mode: Mode;
  port: number;
  host: string;
  dataDir: string;
  /** DATABASE_URL (postgres://…): documents and state in PostgreSQL instead of DATA_DIR (server/src/store). */
  databaseUrl?: string;
  publicUrl: string;
  portalOrigins: string[];
  portalSecret: string;
  /** True when PORTAL_SECRET was not set and a random one was made at start (then it verifies nothing in live mode). */
  portalSecretGenerated: boolean;
  /** Asymmetric portal keys and the iss/aud every token must carry (auth/jwt.ts). */
  portalTokens: PortalTokenConfig;
  /** IDENTITY_CLAIMS: whether tokens must name the identities and scope their user acts with (auth/identity.ts). */
  identityClaims: boolean;
  /** ATTEMPT_LIMIT, ATTEMPT_BACKOFF_SECONDS: the limits on guessing OTPs, TOTPs and passphrases (auth/attempts.ts). */
  attempts: { limit: number; backoffSeconds: number };
  maxPdfBytes: number;
  /** The PDF intake (server/src/pdf/intake-pool.ts): pages per document, worker threads, queue, deadline per file. */
  pdfIntake: { maxPages: number; threads: number; queue: number; timeoutMs: number };
  logLevel: string;
  /** Extra trust anchors for signature checks (GET /api/trust/roots, <esign-verify>); empty when unset. */
  trustedRoots: TrustedRootConfig[];
  /** Each provider's own settings (providers/<provider>/config.ts). */
  providers: {
    bsre?: BsreConfig;
    bsreCloud?: BsreCloudConfig;
    peruri?: PeruriConfig;
    digisign?: DigisignConfig;
  };
  /** WEBHOOK_*: where the portal's backend hears of each flow's outcome (webhooks/); `urls` empty: no events. */
  webhooks: WebhookConfig;
  /** RECONCILE_*, FLOW_EXPIRY_HOURS: the worker that finishes flows left waiting (flows/reconcile.ts). */
  reconcile: ReconcileConfig;
  /** Present in sandbox mode only. */
  sandbox?: SandboxConfig;
  /** Every secret value, for the log scrubber's last line of defence. */
  secrets: string[];
}

export interface WebhookConfig {
  urls: string[];
  /** `whsec_` + base64 (Standard Webhooks); set whenever `urls` is. */
  secret?: string;
  /** The waits between attempts (ms), the Standard Webhooks schedule by default (about 27 hours in all). */
  retryScheduleMs: number[];
  timeoutMs: number;
  pollMs: number;
}

export interface ReconcileConfig {
  intervalMs: number;
  maxBackoffMs: number;
  expiryMs: number;
  leaseMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * What a provider's configuration reader (providers/<provider>/config.ts) reads the variables with: each check
 * adds its own problem (naming the variable, never its value) and answers undefined, so that every bad value
 * is reported at once.
 */
export interface ConfigReader {
  /** Sandbox mode: the providers default to this server's simulators, and http URLs are allowed. */
  readonly sandbox: boolean;
  /** A variable (environment over the ESIGN_CONFIG file), trimmed; undefined when unset or empty. */
  get(name: string): string | undefined;
  /** A variable, or in sandbox mode the simulators' default for it. */
  val(name: string): string | undefined;
  /** An http(s) URL without user info (https in live mode, but for loopback), trailing slashes removed. */
  url(name: string, value: string | undefined): string | undefined;
  /** `base` with the coordinate profile overrides of variable `name` (JSON) as `key`, when it is set. */
  withProfile<T extends object>(base: T, key: keyof T & string, name: string): T;
  /** A provider is all or nothing: none of its variables (not configured) or every required one. */
  group(names: string[], label: string): boolean;
  problem(message: string): void;
}

function readConfigFile(path: string, problems: string[]): Env {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    problems.push(`ESIGN_CONFIG names a file that cannot be read as JSON (${(e as NodeJS.ErrnoException).code ?? 'invalid JSON'}).`);
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('ESIGN_CONFIG must name a JSON file holding one object of variables.');
    return {};
  }
  const env: Env = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') env[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') env[key] = String(v);
    else if (typeof v === 'object' && v !== null) env[key] = JSON.stringify(v);
    else problems.push(`${key} in the config file must be a string, number or object.`);
  }
  return env;
}

function persistentSandboxCredentials(dataDir: string): SandboxConfig['credentials'] {
  const file = join(dataDir, 'sandbox-credentials.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SandboxConfig['credentials'];
    if (saved && typeof saved.digisignAesKey === 'string' && saved.digisignAesKey.length === 16) return saved;
  }
  const r = (n: number) => randomBytes(n).toString('hex');
  const creds: SandboxConfig['credentials'] = {
    bsreUsername: `sandbox-${r(4)}`,
    bsrePassword: r(16),
    bsreCloudClientId: `sandbox-${r(4)}`,
    bsreCloudClientSecret: r(16),
    peruriApiKey: r(16),
    peruriSystemId: 'ESIGNKIT-SANDBOX',
    digisignToken: r(24),
    digisignUserId: 'partner@sandbox.esign-kit.test',
    digisignAesKey: r(8),
  };
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(creds, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
  chmodSync(file, 0o600);
  return creds;
}

/** A certificate read from PEM or DER: its PEM, subject (most specific first), fingerprint and whether it is a CA. */
export function describeCertificate(input: string | Uint8Array): { pem: string; subject: string; fingerprint: string; ca: boolean } {
  const certificate = new X509Certificate(typeof input === 'string' ? input : Buffer.from(input));
  return {
    pem: certificate.toString(),
    subject: certificate.subject.split('\n').reverse().join(', '),
    fingerprint: certificate.fingerprint256.replace(/:/g, '').toLowerCase(),
    ca: certificate.ca,
  };
}

/**
 * TRUSTED_ROOTS: comma-separated paths of certificate files (PEM, one or several certificates, or one DER
 * certificate). Each must be a CA certificate: a signer's own certificate given by mistake would make every
 * signature it made look trusted. One problem per bad entry; duplicates are kept once.
 */
function readTrustedRoots(text: string | undefined, cwd: string, problems: string[]): TrustedRootConfig[] {
  const out: TrustedRootConfig[] = [];
  const entries = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  entries.forEach((entry, i) => {
    const label = `TRUSTED_ROOTS entry ${i + 1} (${entry})`;
    const path = isAbsolute(entry) ? entry : resolve(cwd, entry);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      problems.push(`${label} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}).`);
      return;
    }
    const blocks = bytes.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
    const inputs: (string | Uint8Array)[] = blocks ?? [new Uint8Array(bytes)];
    inputs.forEach((input, j) => {
      const which = inputs.length > 1 ? `${label}, certificate ${j + 1},` : label;
      let described: ReturnType<typeof describeCertificate>;
      try {
        described = describeCertificate(input);
      } catch {
        problems.push(blocks ? `${which} is not a readable certificate.` : `${label} holds no certificate (PEM "-----BEGIN CERTIFICATE-----" or DER).`);
        return;
      }
      if (!described.ca) {
        problems.push(`${which} is not a CA certificate (${described.subject}): give the root or issuing CA, not a signer's certificate.`);
        return;
      }
      if (!out.some((r) => r.fingerprint === described.fingerprint))
        out.push({ pem: described.pem, subject: described.subject, fingerprint: described.fingerprint, path });
    });
  });
  return out;
}

/**
 * PORTAL_PUBLIC_KEY (PEM text, `\n` escapes allowed, or the path of a PEM file), PORTAL_JWKS_URL (https, or
 * http on loopback), PORTAL_TOKEN_ISSUER and PORTAL_TOKEN_AUDIENCE. One asymmetric source at most.
 */
function readPortalTokenConfig(
  get: (name: string) => string | undefined,
  url: (name: string, value: string | undefined) => string | undefined,
  cwd: string,
  problems: string[],
): PortalTokenConfig {
  const out: PortalTokenConfig = {};
  const keyText = get('PORTAL_PUBLIC_KEY');
  if (keyText !== undefined) {
    let pem: string | undefined = keyText.replace(/\\n/g, '\n');
    if (!pem.includes('-----BEGIN')) {
      try {
        pem = readFileSync(isAbsolute(keyText) ? keyText : resolve(cwd, keyText), 'utf8');
      } catch (e) {
        problems.push(`PORTAL_PUBLIC_KEY is neither a PEM key nor a readable file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}).`);
        pem = undefined;
      }
    }
    if (pem !== undefined) {
      try {
        out.publicKey = publicKeyFromPem(pem).export({ type: 'spki', format: 'pem' }).toString();
      } catch (e) {
        problems.push(`PORTAL_PUBLIC_KEY is not a usable public key: ${(e as Error).message}`);
      }
    }
  }
  const jwks = url('PORTAL_JWKS_URL', get('PORTAL_JWKS_URL'));
  if (jwks !== undefined) out.jwksUrl = jwks;
  if (out.publicKey !== undefined && out.jwksUrl !== undefined) problems.push('Set PORTAL_PUBLIC_KEY or PORTAL_JWKS_URL, not both.');
  const issuer = get('PORTAL_TOKEN_ISSUER');
  const audience = get('PORTAL_TOKEN_AUDIENCE');
  if (issuer !== undefined) out.issuer = issuer;
  if (audience !== undefined) out.audience = audience;
  return out;
}

export interface LoadConfigOptions {
  /** Base for a relative DATA_DIR. Default the working directory. */
  cwd?: string;
}

/** The checks every reader uses; each adds its own problem and answers a fallback or undefined. */
class Reader implements ConfigReader {
  /** In sandbox mode, the simulators' values for the provider variables (set once the credentials are known). */
  readonly defaults: Env = {};

  constructor(
    private readonly env: Env,
    readonly problems: string[],
    readonly sandbox: boolean,
  ) {}

  /** A variable as given (HOST may be set to an empty string, which is a problem rather than "unset"). */
  raw(name: string): string | undefined {
    return this.env[name];
  }

  get(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  val(name: string): string | undefined {
    return this.get(name) ?? this.defaults[name];
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  url(name: string, value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      if (u.username || u.password) {
        this.problem(`${name} must not carry a user name or password.`);
        return undefined;
      }
      if (!this.sandbox && u.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) {
        this.problem(`${name} must be an https URL in live mode.`);
        return undefined;
      }
      return value.replace(/\/+$/, '');
    } catch {
      this.problem(`${name} must be an http(s) URL.`);
      return undefined;
    }
  }

  whole(name: string, fallback: number, min: number, max: number): number {
    const text = this.get(name) ?? String(fallback);
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) {
      this.problem(`${name} must be a whole number from ${min} to ${max}.`);
      return fallback;
    }
    return n;
  }

  profile(name: string): ProfileOverrides | undefined {
    const text = this.get(name);
    if (text === undefined) return undefined;
    try {
      return parseProfileOverrides(JSON.parse(text));
    } catch (e) {
      this.problem(e instanceof CoordinateError ? `${name}: ${e.message}` : `${name} must be a JSON object such as {"origin":"top-left"}.`);
      return undefined;
    }
  }

  withProfile<T extends object>(base: T, key: keyof T & string, name: string): T {
    const p = this.profile(name);
    return p ? { ...base, [key]: p } : base;
  }

  group(names: string[], label: string): boolean {
    const missing = names.filter((n) => this.val(n) === undefined);
    if (missing.length === names.length) return false;
    if (missing.length) {
      for (const n of missing)
        this.problem(
          `${n} is required when ${label} is configured (${names.filter((x) => !missing.includes(x)).join(', ')} ${names.length - missing.length === 1 ? 'is' : 'are'} set).`,
        );
      return false;
    }
    return true;
  }
}

/** ESIGN_MODE, PORT, HOST, DATA_DIR and PUBLIC_URL. */
function readServer(r: Reader, mode: string, cwd: string) {
  const portText = r.get('PORT') ?? '8080';
  const port = Number(portText);
  const portOk = /^\d+$/.test(portText) && port <= 65535;
  if (!portOk) r.problem(`PORT must be a whole number from 0 to 65535 (got "${portText}").`);
  const defaultPort = portOk ? port : 8080;
  // The sandbox serves an inbox of every OTP it "sends": keep it on this machine unless HOST says otherwise.
  const hostText = r.raw('HOST');
  const host = hostText === undefined ? (r.sandbox ? '127.0.0.1' : '0.0.0.0') : hostText.trim();
  if (!host) r.problem('HOST must not be empty.');
  const dataDirText = r.get('DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirText) ? dataDirText : resolve(cwd, dataDirText);
  const databaseUrl = r.get('DATABASE_URL');
  let databasePassword: string | undefined;
  if (databaseUrl !== undefined) {
    try {
      const u = new URL(databaseUrl);
      if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error('scheme');
      databasePassword = decodeURIComponent(u.password) || undefined;
    } catch {
      r.problem('DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:5432/database.');
    }
  }
  const publicUrl = r.url('PUBLIC_URL', r.get('PUBLIC_URL')) ?? `http://localhost:${defaultPort}`;
  if (!r.sandbox && !r.get('PUBLIC_URL')) r.problem('PUBLIC_URL is required in live mode (the address portals and Digisign redirects reach this server at).');
  return { mode: mode as Mode, port, defaultPort, host, dataDir, databaseUrl, databasePassword, publicUrl };
}

/** PORTAL_ORIGINS, PORTAL_SECRET, the asymmetric portal keys and IDENTITY_CLAIMS: who may call, with which tokens. */
function readPortal(r: Reader, publicUrl: string, cwd: string) {
  const originsText = r.get('PORTAL_ORIGINS');
  const portalOrigins: string[] = [];
  for (const raw of (originsText ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    try {
      const u = new URL(raw);
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== raw.replace(/\/+$/, '')) throw new Error('not an origin');
      portalOrigins.push(u.origin);
    } catch {
      r.problem(`PORTAL_ORIGINS must be a comma-separated list of origins such as https://portal.example.go.id (one entry is not).`);
      break;
    }
  }
  if (!portalOrigins.length && originsText === undefined) {
    if (r.sandbox) {
      // The demo is served by this server; a browser may reach it as localhost or 127.0.0.1.
      const own = new URL(publicUrl);
      portalOrigins.push(own.origin);
      if (own.hostname === 'localhost') portalOrigins.push(`${own.protocol}//127.0.0.1${own.port ? `:${own.port}` : ''}`);
    } else r.problem('PORTAL_ORIGINS is required in live mode (the portals allowed to call this server).');
  }

  let portalSecret = r.get('PORTAL_SECRET');
  let portalSecretGenerated = false;
  if (portalSecret !== undefined && Buffer.byteLength(portalSecret) < 32) r.problem('PORTAL_SECRET must be at least 32 characters long.');
  const portalTokens = readPortalTokenConfig(
    (name) => r.get(name),
    (name, value) => r.url(name, value),
    cwd,
    r.problems,
  );
  if (portalSecret === undefined) {
    if (r.sandbox || portalTokens.publicKey !== undefined || portalTokens.jwksUrl !== undefined) {
      // Sandbox: the key of the demo's development tokens. Live with asymmetric keys: never used (HS256 refused).
      portalSecret = randomBytes(32).toString('base64url');
      portalSecretGenerated = true;
    } else
      r.problem('PORTAL_SECRET is required in live mode (the HS256 key portals sign their tokens with), unless PORTAL_PUBLIC_KEY or PORTAL_JWKS_URL is set.');
  }
  const identityText = (r.get('IDENTITY_CLAIMS') ?? 'on').toLowerCase();
  if (identityText !== 'on' && identityText !== 'off') r.problem(`IDENTITY_CLAIMS must be "on" or "off" (got "${identityText}").`);
  return { portalOrigins, portalSecret: portalSecret ?? '', portalSecretGenerated, portalTokens, identityClaims: identityText !== 'off' };
}

/** The limits: guessing (ATTEMPT_*), PDF size and intake (MAX_PDF_*, PDF_INTAKE_*), and LOG_LEVEL. */
function readLimits(r: Reader) {
  const attempts = { limit: r.whole('ATTEMPT_LIMIT', 5, 1, 100), backoffSeconds: r.whole('ATTEMPT_BACKOFF_SECONDS', 60, 1, 86_400) };
  const maxText = r.get('MAX_PDF_BYTES') ?? String(20 * 1024 * 1024);
  const maxPdfBytes = Number(maxText);
  if (!/^\d+$/.test(maxText) || maxPdfBytes < 1024) r.problem('MAX_PDF_BYTES must be a whole number of bytes, at least 1024.');
  const pdfIntake = {
    maxPages: r.whole('MAX_PDF_PAGES', DEFAULT_INTAKE_LIMITS.maxPages!, 1, 1_000_000),
    threads: r.whole('PDF_INTAKE_THREADS', DEFAULT_INTAKE_POOL.threads, 1, 64),
    queue: r.whole('PDF_INTAKE_QUEUE', DEFAULT_INTAKE_POOL.queue, 0, 10_000),
    timeoutMs: r.whole('PDF_INTAKE_TIMEOUT_MS', DEFAULT_INTAKE_LIMITS.timeoutMs, 1, 600_000),
  };
  const logLevel = r.get('LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    r.problem('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.');
  return { attempts, maxPdfBytes, pdfIntake, logLevel };
}

/** Standard Webhooks' retry schedule (seconds): immediately, then after these waits. */
export const DEFAULT_WEBHOOK_RETRY_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

/** WEBHOOK_URL (comma-separated), WEBHOOK_SECRET, WEBHOOK_RETRY_SECONDS, WEBHOOK_TIMEOUT_MS, WEBHOOK_POLL_MS. */
function readWebhooks(r: Reader): WebhookConfig {
  const urls = (r.get('WEBHOOK_URL') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .map((u) => r.url('WEBHOOK_URL', u))
    .filter((u): u is string => u !== undefined);
  const secret = r.get('WEBHOOK_SECRET');
  if (urls.length && secret === undefined)
    r.problem('WEBHOOK_SECRET is required with WEBHOOK_URL ("whsec_" + base64 of 24 to 64 random bytes, as Standard Webhooks).');
  if (secret !== undefined) {
    try {
      webhookKey(secret);
    } catch (err) {
      r.problem(`WEBHOOK_SECRET: ${(err as Error).message}`);
    }
  }
  const retryText = r.get('WEBHOOK_RETRY_SECONDS');
  let retry = DEFAULT_WEBHOOK_RETRY_SECONDS;
  if (retryText !== undefined) {
    const parts = retryText.split(',').map((x) => x.trim());
    if (parts.every((x) => /^\d+(\.\d+)?$/.test(x))) retry = parts.map(Number);
    else r.problem('WEBHOOK_RETRY_SECONDS must be comma-separated numbers of seconds (the waits between attempts).');
  }
  return {
    urls,
    ...(secret !== undefined ? { secret } : {}),
    retryScheduleMs: retry.map((x) => Math.round(x * 1000)),
    timeoutMs: r.whole('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    pollMs: r.whole('WEBHOOK_POLL_MS', 1000, 10, 600_000),
  };
}

/** RECONCILE_INTERVAL_SECONDS, RECONCILE_MAX_BACKOFF_SECONDS, RECONCILE_LEASE_SECONDS, FLOW_EXPIRY_HOURS. */
function readReconcile(r: Reader): ReconcileConfig {
  return {
    intervalMs: r.whole('RECONCILE_INTERVAL_SECONDS', 30, 1, 86_400) * 1000,
    maxBackoffMs: r.whole('RECONCILE_MAX_BACKOFF_SECONDS', 3600, 1, 86_400) * 1000,
    leaseMs: r.whole('RECONCILE_LEASE_SECONDS', 120, 5, 3600) * 1000,
    expiryMs: r.whole('FLOW_EXPIRY_HOURS', 72, 1, 24 * 90) * 3_600_000,
  };
}

/**
 * The documented ambiguities (providers/dialects.ts): one variable per switch, checked like every other,
 * whether or not its provider is configured (a typo is reported, never ignored).
 */
function readDialects(r: Reader): Dialects {
  const dialectOf = <P extends DialectProvider>(provider: P): Dialects[P] => {
    const out: Record<string, unknown> = { ...DEFAULT_DIALECTS[provider] };
    for (const sw of DIALECT_SWITCHES) {
      if (sw.provider !== provider) continue;
      const v = r.get(sw.variable);
      if (v === undefined) continue;
      if (sw.kind === 'enum') {
        if (sw.values!.includes(v)) out[sw.setting] = v;
        else r.problem(`${sw.variable} must be ${sw.values!.map((x) => `"${x}"`).join(' or ')} (got "${v}").`);
      } else if (sw.kind === 'path') {
        if (V1_STATUS_PATH.test(v)) out[sw.setting] = v;
        else r.problem(`${sw.variable} must be a path starting with "/" that holds {nik} once, such as /api/user/status/{nik}.`);
      } else {
        const u = r.url(sw.variable, v);
        if (u) out[sw.setting] = u;
      }
    }
    return out as unknown as Dialects[P];
  };
  return { bsre: dialectOf('bsre'), bsreCloud: dialectOf('bsreCloud'), peruri: dialectOf('peruri'), digisign: dialectOf('digisign') };
}

/**
 * Sandbox mode: every provider points at this server's simulators unless the variables say otherwise, with
 * credentials generated once under DATA_DIR (the reader's defaults), and what the simulators need to know.
 */
function readSandbox(r: Reader, server: ReturnType<typeof readServer>, portalOrigins: string[]): Omit<SandboxConfig, 'dialects' | 'profiles'> | undefined {
  const { dataDir, publicUrl, defaultPort } = server;
  const webViewPort = defaultPort === 0 ? 0 : defaultPort + 1;
  const webViewUrl = r.get('SANDBOX_WEBVIEW_URL') ?? `http://localhost:${webViewPort}`;
  if (!r.sandbox || r.problems.some((p) => p.startsWith('DATA_DIR'))) return undefined;
  let creds: SandboxConfig['credentials'];
  try {
    creds = persistentSandboxCredentials(dataDir);
  } catch (e) {
    r.problem(`DATA_DIR must be a writable directory (${(e as NodeJS.ErrnoException).code ?? 'unreadable sandbox credentials'}).`);
    return undefined;
  }
  Object.assign(r.defaults, {
    BSRE_URL: `${publicUrl}/sandbox/bsre`,
    BSRE_USERNAME: creds.bsreUsername,
    BSRE_PASSWORD: creds.bsrePassword,
    BSRE_API: 'v2',
    BSRE_CLOUD_URL: `${publicUrl}/sandbox/bsre`,
    BSRE_CLOUD_CLIENT_ID: creds.bsreCloudClientId,
    BSRE_CLOUD_CLIENT_SECRET: creds.bsreCloudClientSecret,
    PERURI_URL: `${publicUrl}/sandbox/peruri`,
    PERURI_API_KEY: creds.peruriApiKey,
    PERURI_SYSTEM_ID: creds.peruriSystemId,
    PERURI_WEBVIEW_URL: `${webViewUrl}/peruri`,
    DIGISIGN_URL: `${publicUrl}/sandbox/digisign`,
    DIGISIGN_TOKEN: creds.digisignToken,
    DIGISIGN_USERID: creds.digisignUserId,
    DIGISIGN_AES_KEY: creds.digisignAesKey,
    DIGISIGN_WEBVIEW_ORIGIN: new URL(webViewUrl).origin,
  });
  return { dataDir, publicUrl, webViewUrl, webViewPort, portalOrigins, digisignRedirectUrl: `${publicUrl}/callback/digisign`, credentials: creds };
}

/** The deployment's coordinate profile overrides, which the simulators read coordinates back with. */
function sandboxProfiles(providers: ServerConfig['providers']): SandboxProfiles {
  const profiles: SandboxProfiles = {};
  if (providers.bsre?.profileV1) profiles.bsreV1 = providers.bsre.profileV1;
  if (providers.bsre?.profileV2) profiles.bsreV2 = providers.bsre.profileV2;
  if (providers.bsreCloud?.profile) profiles.bsreCloud = providers.bsreCloud.profile;
  if (providers.peruri?.profile) profiles.peruri = providers.peruri.profile;
  if (providers.digisign?.profile) profiles.digisign = providers.digisign.profile;
  return profiles;
}

/**
 * The configuration: the general part (server, portal, limits, trust roots, dialects, the sandbox's defaults),
 * then each provider's own variables, read by its folder (providers/<provider>/config.ts). Every problem is
 * collected before one ConfigError lists them all.
 */
export function loadConfig(processEnv: Env = process.env, options: LoadConfigOptions = {}): ServerConfig {
  const problems: string[] = [];
  const fileEnv = processEnv.ESIGN_CONFIG ? readConfigFile(processEnv.ESIGN_CONFIG, problems) : {};
  const env: Env = { ...fileEnv };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env[k] = v;
  const modeText = env.ESIGN_MODE?.trim() || 'sandbox';
  if (modeText !== 'sandbox' && modeText !== 'live') problems.push(`ESIGN_MODE must be "sandbox" or "live" (got "${modeText}").`);
  const r = new Reader(env, problems, modeText !== 'live');
  const cwd = options.cwd ?? process.cwd();

  const server = readServer(r, modeText, cwd);
  const portal = readPortal(r, server.publicUrl, cwd);
  const limits = readLimits(r);
  const trustedRoots = readTrustedRoots(r.get('TRUSTED_ROOTS'), cwd, problems);
  const dialects = readDialects(r);
  const sandbox = readSandbox(r, server, portal.portalOrigins);
  const webhooks = readWebhooks(r);
  const reconcile = readReconcile(r);

  const providers: ServerConfig['providers'] = {};
  const bsre = readBsreConfig(r, dialects.bsre);
  if (bsre) providers.bsre = bsre;
  const bsreCloud = readBsreCloudConfig(r, dialects.bsreCloud);
  if (bsreCloud) providers.bsreCloud = bsreCloud;
  const peruri = readPeruriConfig(r, dialects.peruri);
  if (peruri) providers.peruri = peruri;
  const digisign = readDigisignConfig(r, dialects.digisign);
  if (digisign) providers.digisign = digisign;

  if (problems.length) throw new ConfigError(problems);
  const secrets = [
    portal.portalSecret,
    ...bsreSecrets(providers.bsre, providers.bsreCloud),
    ...peruriSecrets(providers.peruri),
    ...digisignSecrets(providers.digisign),
    server.databaseUrl,
    server.databasePassword,
    webhooks.secret,
    webhooks.secret?.slice('whsec_'.length),
  ].filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const { mode, port, host, dataDir, databaseUrl, publicUrl } = server;
  const config: ServerConfig = {
    mode,
    port,
    host,
    dataDir,
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    publicUrl,
    ...portal,
    ...limits,
    trustedRoots,
    providers,
    webhooks,
    reconcile,
    secrets,
  };
  // The simulators read the deployment's settings back: the dialects, and the coordinate profiles.
  if (sandbox) config.sandbox = { ...sandbox, dialects, profiles: sandboxProfiles(providers) };
  // The secret must not leak through util.inspect or JSON.stringify of the whole config.
  for (const key of ['portalSecret', 'secrets', 'databaseUrl'] as const) if (key in config) Object.defineProperty(config, key, { enumerable: false });
  if (webhooks.secret !== undefined) Object.defineProperty(webhooks, 'secret', { enumerable: false });
  return config;
}
