// The server's configuration from the environment (and an optional JSON file with the same keys, named
// by ESIGN_CONFIG; the environment wins), checked once at start. Each bad value gets its own message
// naming the variable — never its value, which may be a secret — and start-up stops before anything
// listens. In sandbox mode every provider defaults to the simulators this same server mounts under
// /sandbox, with credentials generated once and kept under DATA_DIR so a restart keeps them.
import { X509Certificate, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CoordinateError, parseProfileOverrides, type ProfileOverrides } from '@esign-kit/core';
import { DEFAULT_DIALECTS, DIALECT_SWITCHES, PERURI_OPERATIONS, V1_STATUS_PATH, type BsreCloudDialect, type BsreDialect, type DialectProvider, type Dialects, type DigisignDialect, type PeruriDialect, type PeruriOperation } from './providers/adapters.js';
import { publicKeyFromPem } from './auth/jwt.js';
import { DEFAULT_INTAKE_LIMITS, DEFAULT_INTAKE_POOL } from './pdf/intake-pool.js';

export type Mode = 'sandbox' | 'live';

export interface BsreConfig {
  url: string;
  username: string;
  password: string;
  api: 'v1' | 'v2';
  profileV1?: ProfileOverrides;
  profileV2?: ProfileOverrides;
  /** The documented ambiguities this deployment settles (providers/dialects.ts). */
  dialect: BsreDialect;
}

export interface BsreCloudConfig {
  url: string;
  clientId: string;
  clientSecret: string;
  profile?: ProfileOverrides;
  dialect: BsreCloudDialect;
}

export interface PeruriConfig {
  url: string;
  apiKey: string;
  systemId: string;
  webViewUrl: string | undefined;
  environment: 'sandbox' | 'production';
  paths: Partial<Record<PeruriOperation, string>>;
  profile?: ProfileOverrides;
  dialect: PeruriDialect;
}

export interface DigisignConfig {
  url: string;
  token: string;
  userId: string;
  aesKey: string | undefined;
  /** Where Digisign's activation and signing pages live (the origin a portal frames). */
  webViewOrigin: string;
  profile?: ProfileOverrides;
  dialect: DigisignDialect;
}

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
  providers: {
    bsre?: BsreConfig;
    bsreCloud?: BsreCloudConfig;
    peruri?: PeruriConfig;
    digisign?: DigisignConfig;
  };
  /** Present in sandbox mode only. */
  sandbox?: SandboxConfig;
  /** Every secret value, for the log scrubber's last line of defence. */
  secrets: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** PERURI_PATH_SEND_DOCUMENT for sendDocument, and so on. */
export const peruriPathVariable = (op: PeruriOperation) => `PERURI_PATH_${op.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

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
  const entries = (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
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
      if (!out.some((r) => r.fingerprint === described.fingerprint)) out.push({ pem: described.pem, subject: described.subject, fingerprint: described.fingerprint, path });
    });
  });
  return out;
}

/**
 * PORTAL_PUBLIC_KEY (PEM text, `\n` escapes allowed, or the path of a PEM file), PORTAL_JWKS_URL (https, or
 * http on loopback), PORTAL_TOKEN_ISSUER and PORTAL_TOKEN_AUDIENCE. One asymmetric source at most.
 */
function readPortalTokenConfig(get: (name: string) => string | undefined, url: (name: string, value: string | undefined) => string | undefined, cwd: string, problems: string[]): PortalTokenConfig {
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

export function loadConfig(processEnv: Env = process.env, options: LoadConfigOptions = {}): ServerConfig {
  const problems: string[] = [];
  const fileEnv = processEnv.ESIGN_CONFIG ? readConfigFile(processEnv.ESIGN_CONFIG, problems) : {};
  const env: Env = { ...fileEnv };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env[k] = v;
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  const mode = get('ESIGN_MODE') ?? 'sandbox';
  if (mode !== 'sandbox' && mode !== 'live') problems.push(`ESIGN_MODE must be "sandbox" or "live" (got "${mode}").`);
  const sandbox = mode !== 'live';

  const portText = get('PORT') ?? '8080';
  const port = Number(portText);
  const portOk = /^\d+$/.test(portText) && port <= 65535;
  if (!portOk) problems.push(`PORT must be a whole number from 0 to 65535 (got "${portText}").`);
  const defaultPort = portOk ? port : 8080;
  // The sandbox serves an inbox of every OTP it "sends": keep it on this machine unless HOST says otherwise.
  const host = env.HOST === undefined ? (sandbox ? '127.0.0.1' : '0.0.0.0') : env.HOST.trim();
  if (!host) problems.push('HOST must not be empty.');
  const dataDirText = get('DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirText) ? dataDirText : resolve(options.cwd ?? process.cwd(), dataDirText);

  const url = (name: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      if (u.username || u.password) {
        problems.push(`${name} must not carry a user name or password.`);
        return undefined;
      }
      if (!sandbox && u.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) {
        problems.push(`${name} must be an https URL in live mode.`);
        return undefined;
      }
      return value.replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL.`);
      return undefined;
    }
  };

  const publicUrl = url('PUBLIC_URL', get('PUBLIC_URL')) ?? `http://localhost:${defaultPort}`;
  if (!sandbox && !get('PUBLIC_URL')) problems.push('PUBLIC_URL is required in live mode (the address portals and Digisign redirects reach this server at).');

  const originsText = get('PORTAL_ORIGINS');
  const portalOrigins: string[] = [];
  for (const raw of (originsText ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      const u = new URL(raw);
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== raw.replace(/\/+$/, '')) throw new Error('not an origin');
      portalOrigins.push(u.origin);
    } catch {
      problems.push(`PORTAL_ORIGINS must be a comma-separated list of origins such as https://portal.example.go.id (one entry is not).`);
      break;
    }
  }
  if (!portalOrigins.length && originsText === undefined) {
    if (sandbox) {
      // The demo is served by this server; a browser may reach it as localhost or 127.0.0.1.
      const own = new URL(publicUrl);
      portalOrigins.push(own.origin);
      if (own.hostname === 'localhost') portalOrigins.push(`${own.protocol}//127.0.0.1${own.port ? `:${own.port}` : ''}`);
    }
    else problems.push('PORTAL_ORIGINS is required in live mode (the portals allowed to call this server).');
  }

  let portalSecret = get('PORTAL_SECRET');
  let portalSecretGenerated = false;
  if (portalSecret !== undefined && Buffer.byteLength(portalSecret) < 32) {
    problems.push('PORTAL_SECRET must be at least 32 characters long.');
  }
  const portalTokens = readPortalTokenConfig(get, url, options.cwd ?? process.cwd(), problems);
  if (portalSecret === undefined) {
    if (sandbox || portalTokens.publicKey !== undefined || portalTokens.jwksUrl !== undefined) {
      // Sandbox: the key of the demo's development tokens. Live with asymmetric keys: never used (HS256 refused).
      portalSecret = randomBytes(32).toString('base64url');
      portalSecretGenerated = true;
    } else problems.push('PORTAL_SECRET is required in live mode (the HS256 key portals sign their tokens with), unless PORTAL_PUBLIC_KEY or PORTAL_JWKS_URL is set.');
  }
  const identityText = (get('IDENTITY_CLAIMS') ?? 'on').toLowerCase();
  if (identityText !== 'on' && identityText !== 'off') problems.push(`IDENTITY_CLAIMS must be "on" or "off" (got "${identityText}").`);
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const text = get(name) ?? String(fallback);
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}.`);
      return fallback;
    }
    return n;
  };
  const attempts = { limit: whole('ATTEMPT_LIMIT', 5, 1, 100), backoffSeconds: whole('ATTEMPT_BACKOFF_SECONDS', 60, 1, 86_400) };

  const maxText = get('MAX_PDF_BYTES') ?? String(20 * 1024 * 1024);
  const maxPdfBytes = Number(maxText);
  if (!/^\d+$/.test(maxText) || maxPdfBytes < 1024) problems.push('MAX_PDF_BYTES must be a whole number of bytes, at least 1024.');
  const pdfIntake = {
    maxPages: whole('MAX_PDF_PAGES', DEFAULT_INTAKE_LIMITS.maxPages!, 1, 1_000_000),
    threads: whole('PDF_INTAKE_THREADS', DEFAULT_INTAKE_POOL.threads, 1, 64),
    queue: whole('PDF_INTAKE_QUEUE', DEFAULT_INTAKE_POOL.queue, 0, 10_000),
    timeoutMs: whole('PDF_INTAKE_TIMEOUT_MS', DEFAULT_INTAKE_LIMITS.timeoutMs, 1, 600_000),
  };
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.');
  const trustedRoots = readTrustedRoots(get('TRUSTED_ROOTS'), options.cwd ?? process.cwd(), problems);

  const profile = (name: string): ProfileOverrides | undefined => {
    const text = get(name);
    if (text === undefined) return undefined;
    try {
      return parseProfileOverrides(JSON.parse(text));
    } catch (e) {
      problems.push(e instanceof CoordinateError ? `${name}: ${e.message}` : `${name} must be a JSON object such as {"origin":"top-left"}.`);
      return undefined;
    }
  };
  const withProfile = <T extends object>(base: T, key: string, name: string) => {
    const p = profile(name);
    return p ? { ...base, [key]: p } : base;
  };

  // The documented ambiguities (providers/dialects.ts): one variable per switch, checked like every other,
  // whether or not its provider is configured (a typo is reported, never ignored).
  const dialectOf = <P extends DialectProvider>(provider: P): Dialects[P] => {
    const out: Record<string, unknown> = { ...DEFAULT_DIALECTS[provider] };
    for (const sw of DIALECT_SWITCHES) {
      if (sw.provider !== provider) continue;
      const v = get(sw.variable);
      if (v === undefined) continue;
      if (sw.kind === 'enum') {
        if (sw.values!.includes(v)) out[sw.setting] = v;
        else problems.push(`${sw.variable} must be ${sw.values!.map((x) => `"${x}"`).join(' or ')} (got "${v}").`);
      } else if (sw.kind === 'path') {
        if (V1_STATUS_PATH.test(v)) out[sw.setting] = v;
        else problems.push(`${sw.variable} must be a path starting with "/" that holds {nik} once, such as /api/user/status/{nik}.`);
      } else {
        const u = url(sw.variable, v);
        if (u) out[sw.setting] = u;
      }
    }
    return out as unknown as Dialects[P];
  };
  const dialects: Dialects = { bsre: dialectOf('bsre'), bsreCloud: dialectOf('bsreCloud'), peruri: dialectOf('peruri'), digisign: dialectOf('digisign') };

  // Sandbox: every provider points at this server's simulators unless the variables say otherwise.
  const webViewPort = defaultPort === 0 ? 0 : defaultPort + 1;
  const sandboxWebView = get('SANDBOX_WEBVIEW_URL') ?? `http://localhost:${webViewPort}`;
  let sandboxConfig: SandboxConfig | undefined;
  const defaults: Env = {};
  if (sandbox && !problems.some((p) => p.startsWith('DATA_DIR'))) {
    let creds: SandboxConfig['credentials'] | undefined;
    try {
      creds = persistentSandboxCredentials(dataDir);
    } catch (e) {
      problems.push(`DATA_DIR must be a writable directory (${(e as NodeJS.ErrnoException).code ?? 'unreadable sandbox credentials'}).`);
    }
    if (creds) {
      Object.assign(defaults, {
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
        PERURI_WEBVIEW_URL: `${sandboxWebView}/peruri`,
        DIGISIGN_URL: `${publicUrl}/sandbox/digisign`,
        DIGISIGN_TOKEN: creds.digisignToken,
        DIGISIGN_USERID: creds.digisignUserId,
        DIGISIGN_AES_KEY: creds.digisignAesKey,
        DIGISIGN_WEBVIEW_ORIGIN: new URL(sandboxWebView).origin,
      });
      sandboxConfig = { dataDir, publicUrl, webViewUrl: sandboxWebView, webViewPort, portalOrigins, digisignRedirectUrl: `${publicUrl}/callback/digisign`, credentials: creds };
    }
  }
  const val = (name: string) => get(name) ?? defaults[name];

  /** A provider is all or nothing: none of its variables (not configured) or every required one. */
  const group = (names: string[], label: string): boolean => {
    const missing = names.filter((n) => val(n) === undefined);
    if (missing.length === names.length) return false;
    if (missing.length) {
      for (const n of missing) problems.push(`${n} is required when ${label} is configured (${names.filter((x) => !missing.includes(x)).join(', ')} ${names.length - missing.length === 1 ? 'is' : 'are'} set).`);
      return false;
    }
    return true;
  };

  const providers: ServerConfig['providers'] = {};
  if (group(['BSRE_URL', 'BSRE_USERNAME', 'BSRE_PASSWORD'], 'BSrE Esign Client')) {
    const api = val('BSRE_API') ?? 'v2';
    if (api !== 'v1' && api !== 'v2') problems.push(`BSRE_API must be "v1" or "v2" (got "${api}").`);
    const u = url('BSRE_URL', val('BSRE_URL'));
    if (u) {
      let c: BsreConfig = { url: u, username: val('BSRE_USERNAME')!, password: val('BSRE_PASSWORD')!, api: api === 'v1' ? 'v1' : 'v2', dialect: dialects.bsre };
      c = withProfile(c, 'profileV1', 'BSRE_PROFILE_V1');
      c = withProfile(c, 'profileV2', 'BSRE_PROFILE_V2');
      providers.bsre = c;
    }
  }
  if (group(['BSRE_CLOUD_URL', 'BSRE_CLOUD_CLIENT_ID', 'BSRE_CLOUD_CLIENT_SECRET'], 'BSrE cloud')) {
    const u = url('BSRE_CLOUD_URL', val('BSRE_CLOUD_URL'));
    if (u) providers.bsreCloud = withProfile({ url: u, clientId: val('BSRE_CLOUD_CLIENT_ID')!, clientSecret: val('BSRE_CLOUD_CLIENT_SECRET')!, dialect: dialects.bsreCloud }, 'profile', 'BSRE_CLOUD_PROFILE');
  }
  if (group(['PERURI_URL', 'PERURI_API_KEY', 'PERURI_SYSTEM_ID'], 'Peruri')) {
    const u = url('PERURI_URL', val('PERURI_URL'));
    const wv = url('PERURI_WEBVIEW_URL', val('PERURI_WEBVIEW_URL'));
    const environment = val('PERURI_ENVIRONMENT') ?? (sandbox ? 'sandbox' : 'production');
    if (environment !== 'sandbox' && environment !== 'production') problems.push(`PERURI_ENVIRONMENT must be "sandbox" or "production" (got "${environment}").`);
    const paths: Partial<Record<PeruriOperation, string>> = {};
    for (const op of PERURI_OPERATIONS) {
      const p = get(peruriPathVariable(op));
      if (p === undefined) continue;
      if (!/^\/[A-Za-z0-9._~\-/]*$/.test(p)) problems.push(`${peruriPathVariable(op)} must be a path starting with "/".`);
      else paths[op] = p;
    }
    if (u) {
      providers.peruri = withProfile(
        { url: u, apiKey: val('PERURI_API_KEY')!, systemId: val('PERURI_SYSTEM_ID')!, webViewUrl: wv, environment: environment === 'production' ? 'production' : 'sandbox', paths, dialect: dialects.peruri } as PeruriConfig,
        'profile',
        'PERURI_PROFILE',
      );
    }
  }
  if (group(['DIGISIGN_URL', 'DIGISIGN_TOKEN', 'DIGISIGN_USERID'], 'Digisign')) {
    const u = url('DIGISIGN_URL', val('DIGISIGN_URL'));
    const userId = val('DIGISIGN_USERID')!;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(userId)) problems.push('DIGISIGN_USERID must be the partner admin e-mail address.');
    const aesKey = val('DIGISIGN_AES_KEY');
    if (aesKey !== undefined && Buffer.byteLength(aesKey) !== 16) problems.push('DIGISIGN_AES_KEY must be exactly 16 characters (the AES-128 key Digisign shares).');
    const wvText = url('DIGISIGN_WEBVIEW_ORIGIN', val('DIGISIGN_WEBVIEW_ORIGIN') ?? 'https://wv.tandatanganku.com');
    if (u && wvText) {
      providers.digisign = withProfile(
        { url: u, token: val('DIGISIGN_TOKEN')!, userId, aesKey, webViewOrigin: new URL(wvText).origin, dialect: dialects.digisign } as DigisignConfig,
        'profile',
        'DIGISIGN_PROFILE',
      );
    }
  }

  if (problems.length) throw new ConfigError(problems);
  const secrets = [
    portalSecret!,
    providers.bsre?.password,
    // The Basic credentials as a whole and the names beside the secrets: an echo of a request must not show them.
    providers.bsre && Buffer.from(`${providers.bsre.username}:${providers.bsre.password}`).toString('base64'),
    providers.bsre?.username,
    providers.bsreCloud?.clientId,
    providers.bsreCloud?.clientSecret,
    providers.peruri?.apiKey,
    providers.digisign?.token,
    providers.digisign?.aesKey,
  ].filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const config: ServerConfig = {
    mode: mode as Mode,
    port,
    host,
    dataDir,
    publicUrl,
    portalOrigins,
    portalSecret: portalSecret!,
    portalSecretGenerated,
    portalTokens,
    identityClaims: identityText !== 'off',
    attempts,
    maxPdfBytes,
    pdfIntake,
    logLevel,
    trustedRoots,
    providers,
    secrets,
  };
  if (sandboxConfig) {
    // The simulators read the deployment's settings back: the dialects, and the coordinate profiles.
    const profiles: SandboxProfiles = {};
    if (providers.bsre?.profileV1) profiles.bsreV1 = providers.bsre.profileV1;
    if (providers.bsre?.profileV2) profiles.bsreV2 = providers.bsre.profileV2;
    if (providers.bsreCloud?.profile) profiles.bsreCloud = providers.bsreCloud.profile;
    if (providers.peruri?.profile) profiles.peruri = providers.peruri.profile;
    if (providers.digisign?.profile) profiles.digisign = providers.digisign.profile;
    config.sandbox = { ...sandboxConfig, dialects, profiles };
  }
  // The secret must not leak through util.inspect or JSON.stringify of the whole config.
  for (const key of ['portalSecret', 'secrets'] as const) Object.defineProperty(config, key, { enumerable: false });
  return config;
}
