// `npm run doctor` (or `node server/src/main.ts doctor` in a deployment): checks a configuration against the
// world before the first user does — without signing, registering or changing anything. Per configured
// provider: DNS, the TLS handshake (or TCP on a loopback http URL), authentication through a read-only
// call, and the clock against the provider's `Date`; then the web-view origins and PUBLIC_URL, which
// Digisign redirects browsers to. One line per check, with what to do when it fails.
import { lookup } from 'node:dns/promises';
import { isIP, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { ProviderError, type FetchLike } from '../providers/adapters.js';
import type { ServerConfig } from '../config.js';
import { createLogger } from '../log/logger.js';
import { providerText, secretScrubber } from '../log/secrets.js';
import { buildProviders } from '../providers/index.js';

export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface DoctorCheck {
  /** `peruri`, `bsre`, `bsre-cloud`, `digisign`, `server`. */
  subject: string;
  /** `DNS`, `TLS`, `TCP`, `auth`, `clock`, `web view`, `PUBLIC_URL`, `redirect`. */
  check: string;
  status: CheckStatus;
  /** What was found (or why it was not checked). */
  detail: string;
  /** What to do about a failure. */
  fix?: string;
}

export interface DoctorOptions {
  /** A NIK of a user registered at the Esign Client, for its read-only user-status call (Basic auth). */
  nik?: string;
  /** Per network step. Default 10 s. */
  timeoutMs?: number;
  /** The largest clock difference that passes. Default 60 s (Peruri's one-day JWT, OTP lifetimes and TLS need a true clock). */
  maxSkewMs?: number;
  now?: () => number;
}

/** The demo user of the sandbox (README, Demo users): a NIK that is always there. */
export const SANDBOX_NIK = '3171000000000001';

interface Target {
  subject: string;
  url: URL;
  variable: string;
}

/** The error code a network failure carries, wherever in its causes it is. */
function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('provider-') && code !== 'ERR_ASSERTION') return code;
  }
  return undefined;
}

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;

/** Provider words and error texts at most PROVIDER_TEXT_MAX characters (scrubbed with the whole report, runDoctor). */
const capped = (text: string) => providerText(text, (t) => t);

/** A network failure in words, with the fix. */
function describe(err: unknown, what: string, timeoutMs: number, variable: string): { detail: string; fix: string } {
  const code = codeOf(err);
  if (code === 'ECONNREFUSED')
    return { detail: `${what}: connection refused`, fix: `nothing listens there: check ${variable} (host and port) and that the service is up` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { detail: `${what}: the name does not resolve (${code})`, fix: `check ${variable} and this server's DNS` };
  if (code === 'ETIMEDOUT' || code === 'doctor-timeout' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return {
      detail: `${what}: no answer within ${timeoutMs} ms`,
      fix: 'a firewall, proxy or allow-list drops the traffic: open the route from this server (the provider may also need to allow its IP)',
    };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return { detail: `${what}: the connection was reset`, fix: 'a proxy or the provider closed the connection: check TLS interception and allow-lists' };
  if (code && CERT_CODES.test(code)) {
    return {
      detail: `${what}: the certificate is not trusted (${code})`,
      fix: `the URL in ${variable} must present a certificate chain this server trusts: fix the host name, or give the provider's CA with NODE_EXTRA_CA_CERTS`,
    };
  }
  const message = capped(err instanceof Error ? err.message : String(err));
  return { detail: `${what}: ${code ? `${code}, ` : ''}${message}`, fix: `check ${variable}` };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'doctor-timeout' })), ms);
    promise.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

async function dnsCheck(t: Target, timeoutMs: number): Promise<DoctorCheck> {
  const host = hostOf(t.url);
  if (isIP(host)) return { subject: t.subject, check: 'DNS', status: 'ok', detail: `${host} is an IP address` };
  try {
    const addresses = await withTimeout(lookup(host, { all: true }), timeoutMs);
    return { subject: t.subject, check: 'DNS', status: 'ok', detail: `${host} → ${addresses.map((a) => a.address).join(', ')}` };
  } catch (err) {
    return { subject: t.subject, check: 'DNS', status: 'fail', ...describe(err, host, timeoutMs, t.variable) };
  }
}

/** The TLS handshake with the system's trust (and NODE_EXTRA_CA_CERTS); TCP only for a loopback http URL. */
async function transportCheck(t: Target, timeoutMs: number, now: () => number): Promise<DoctorCheck> {
  const host = hostOf(t.url);
  const port = portOf(t.url);
  const where = `${host}:${port}`;
  if (t.url.protocol === 'http:') {
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          const s = tcpConnect({ host, port }, () => (s.end(), resolve()));
          s.once('error', reject);
        }),
        timeoutMs,
      );
      return { subject: t.subject, check: 'TCP', status: 'ok', detail: `${where} accepts connections (plain http: loopback only)` };
    } catch (err) {
      return { subject: t.subject, check: 'TCP', status: 'fail', ...describe(err, where, timeoutMs, t.variable) };
    }
  }
  let socket: TLSSocket | undefined;
  try {
    const info = await withTimeout(
      new Promise<{ protocol: string; subject: string; until: number }>((resolve, reject) => {
        socket = tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: true }, () => {
          const cert = socket!.getPeerCertificate();
          resolve({ protocol: socket!.getProtocol() ?? 'TLS', subject: cert.subject?.CN ? String(cert.subject.CN) : host, until: Date.parse(cert.valid_to) });
          socket!.end();
        });
        socket.once('error', reject);
      }),
      timeoutMs,
    );
    const days = Math.floor((info.until - now()) / 86_400_000);
    const soon = Number.isFinite(days) && days < 21;
    return {
      subject: t.subject,
      check: 'TLS',
      status: 'ok',
      detail: `${where} ${info.protocol}, certificate ${info.subject}${Number.isFinite(days) ? `, valid ${days} more days` : ''}${soon ? ' (renewal due: tell the provider)' : ''}`,
    };
  } catch (err) {
    socket?.destroy();
    return { subject: t.subject, check: 'TLS', status: 'fail', ...describe(err, where, timeoutMs, t.variable) };
  }
}

/** A read-only call that proves the credentials, with the provider's `Date` kept for the clock check. */
interface AuthProbe {
  target: Target;
  run: () => Promise<string>;
  credentialFix: string;
}

function authFailure(err: unknown, probe: AuthProbe, timeoutMs: number): DoctorCheck {
  const base = { subject: probe.target.subject, check: 'auth', status: 'fail' as const };
  if (err instanceof ProviderError) {
    if (err.code === 'provider-unauthorized' || err.code === 'provider-auth-failed' || err.providerCode === '401' || err.providerCode === '403') {
      return {
        ...base,
        detail: `credentials refused (${err.providerCode ? `${/^\d{3}$/.test(err.providerCode) ? 'HTTP ' : 'result '}${err.providerCode}` : err.code})${err.providerMessage ? `: ${capped(err.providerMessage)}` : ''}`,
        fix: probe.credentialFix,
      };
    }
    if (err.code === 'provider-timeout')
      return {
        ...base,
        ...describe(Object.assign(new Error('timeout'), { code: 'doctor-timeout' }), 'the authentication call', timeoutMs, probe.target.variable),
      };
    if (err.code === 'provider-unreachable') return { ...base, ...describe(err, 'the authentication call', timeoutMs, probe.target.variable) };
    return {
      ...base,
      detail: `${capped(err.message)}${err.providerCode ? ` (${err.providerCode}${err.providerMessage ? `: ${capped(err.providerMessage)}` : ''})` : ''}`,
      fix: `check ${probe.target.variable}: the answer is not what the provider's document describes (a path, a gateway or a proxy in between)`,
    };
  }
  return { ...base, ...describe(err, 'the authentication call', timeoutMs, probe.target.variable) };
}

function clockCheck(subject: string, date: string | undefined, at: number, maxSkewMs: number): DoctorCheck {
  const theirs = date ? Date.parse(date) : Number.NaN;
  if (!Number.isFinite(theirs)) return { subject, check: 'clock', status: 'skip', detail: 'the provider sent no Date header' };
  // Date has a one-second resolution: half a second either way is no skew.
  const skew = at - theirs - 500;
  const seconds = Math.round(skew / 1000);
  if (Math.abs(skew) <= maxSkewMs)
    return { subject, check: 'clock', status: 'ok', detail: `within ${Math.max(1, Math.abs(seconds))} s of the provider's clock` };
  return {
    subject,
    check: 'clock',
    status: 'fail',
    detail: `this server's clock is ${Math.abs(seconds)} s ${seconds > 0 ? 'ahead of' : 'behind'} the provider's (Date: ${date})`,
    fix: 'synchronise this server with NTP (e.g. timedatectl set-ntp true): tokens, OTPs and certificates are checked against the time',
  };
}

/** Any HTTP answer over a sound connection: the origin is reachable from here. */
async function reachable(subject: string, check: string, url: string, variable: string, timeoutMs: number): Promise<DoctorCheck> {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return { subject, check, status: 'ok', detail: `${new URL(url).origin} answers (HTTP ${res.status})` };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return {
      subject,
      check,
      status: 'fail',
      ...describe(timedOut ? Object.assign(new Error('timeout'), { code: 'doctor-timeout' }) : err, new URL(url).origin, timeoutMs, variable),
    };
  }
}

export async function runDoctor(config: ServerConfig, options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxSkewMs = options.maxSkewMs ?? 60_000;
  const now = options.now ?? Date.now;
  // The provider's Date of each answer, by origin, and when it arrived.
  const dates = new Map<string, { date: string | undefined; at: number }>();
  const recording: FetchLike = async (input, init) => {
    const res = await globalThis.fetch(input, init);
    dates.set(new URL(input).origin, { date: res.headers.get('date') ?? undefined, at: now() });
    return res;
  };
  const providers = buildProviders(config, {
    logger: createLogger({ level: 'silent' }),
    fetch: recording,
    retries: 0,
    timeouts: { bsre: timeoutMs, peruri: { getJsonWebToken: timeoutMs }, digisign: { downloadBase64: timeoutMs } },
  });
  const p = config.providers;
  const probes: AuthProbe[] = [];
  const out: DoctorCheck[] = [];

  if (p.bsre && providers.bsre) {
    const b = providers.bsre;
    const nik = options.nik ?? (config.mode === 'sandbox' ? SANDBOX_NIK : undefined);
    const target: Target = { subject: 'bsre', url: new URL(p.bsre.url), variable: 'BSRE_URL' };
    probes.push({
      target,
      credentialFix:
        'check BSRE_USERNAME and BSRE_PASSWORD against the Esign Client admin UI (API Credentials: enabled, and this server\'s IP as "IP Endpoint Aplikasi")',
      run: nik
        ? async () => {
            const s = b.api === 'v2' ? await b.client.userStatus({ nik }) : await b.client.v1UserStatus({ nik });
            return `Basic credential accepted: user status of NIK …${nik.slice(-4)} is ${s.status} (API ${b.api})`;
          }
        : async () => {
            throw Object.assign(new Error('skip'), {
              skip: 'give the NIK of a registered user (npm run doctor -- --nik <16 digits>) to check the Basic credential with a user-status call',
            });
          },
    });
  }
  if (p.bsreCloud && providers.bsreCloud) {
    const c = providers.bsreCloud;
    probes.push({
      target: { subject: 'bsre-cloud', url: new URL(p.bsreCloud.url), variable: 'BSRE_CLOUD_URL' },
      credentialFix: 'check BSRE_CLOUD_CLIENT_ID and BSRE_CLOUD_CLIENT_SECRET',
      run: async () => {
        await c.client.tokens.get();
        return 'OAuth client credentials accepted (access token issued)';
      },
    });
  }
  if (p.peruri && providers.peruri) {
    const c = providers.peruri;
    probes.push({
      target: { subject: 'peruri', url: new URL(p.peruri.url), variable: 'PERURI_URL' },
      credentialFix:
        'check PERURI_API_KEY (x-Gateway-APIKey from the Peruri API Portal), PERURI_SYSTEM_ID and PERURI_ENVIRONMENT (sandbox and production gateways differ)',
      run: async () => {
        await c.client.tokens.get();
        return 'JWT issued for the systemId (Get JSON Web Token)';
      },
    });
  }
  if (p.digisign && providers.digisign) {
    const c = providers.digisign;
    probes.push({
      target: { subject: 'digisign', url: new URL(p.digisign.url), variable: 'DIGISIGN_URL' },
      credentialFix: 'check DIGISIGN_TOKEN and DIGISIGN_USERID (the partner admin e-mail registered at Digisign)',
      run: async () => {
        // Read-only: the Base64 download of a document id nobody uses. "05 file tidak ditemukan" proves the
        // token and userid were accepted; "55" is their refusal (seed 004 API Response Code, General Response).
        try {
          await c.client.downloadBase64({ documentId: 'esign-kit-doctor' });
          return 'token and userid accepted';
        } catch (err) {
          if (err instanceof ProviderError && err.code === 'document-not-found')
            return `token and userid accepted (a probe download answered result ${err.providerCode ?? '05'}: no such document)`;
          throw err;
        }
      },
    });
  }

  for (const probe of probes) {
    const { target } = probe;
    const dns = await dnsCheck(target, timeoutMs);
    out.push(dns);
    if (dns.status !== 'ok') {
      out.push({ subject: target.subject, check: 'auth', status: 'skip', detail: 'not run: the name does not resolve' });
      continue;
    }
    const transport = await transportCheck(target, timeoutMs, now);
    out.push(transport);
    if (transport.status !== 'ok') {
      out.push({ subject: target.subject, check: 'auth', status: 'skip', detail: `not run: ${transport.check} failed` });
      continue;
    }
    try {
      out.push({ subject: target.subject, check: 'auth', status: 'ok', detail: await probe.run() });
    } catch (err) {
      const skip = (err as { skip?: string }).skip;
      if (skip) {
        out.push({ subject: target.subject, check: 'auth', status: 'skip', detail: skip });
      } else out.push(authFailure(err, probe, timeoutMs));
    }
    const seen = dates.get(target.url.origin);
    out.push(
      seen
        ? clockCheck(target.subject, seen.date, seen.at, maxSkewMs)
        : { subject: target.subject, check: 'clock', status: 'skip', detail: 'no answer to read a Date from' },
    );
  }

  // The web views a portal frames: reachable from here (the browser needs them too; this is the least).
  if (p.peruri?.webViewUrl) out.push(await reachable('peruri', 'web view', p.peruri.webViewUrl, 'PERURI_WEBVIEW_URL', timeoutMs));
  if (p.digisign) out.push(await reachable('digisign', 'web view', p.digisign.webViewOrigin, 'DIGISIGN_WEBVIEW_ORIGIN', timeoutMs));

  // PUBLIC_URL: this server as portals and Digisign's redirects reach it (the server must be running).
  const health = `${config.publicUrl}/api/health`;
  try {
    const res = await fetch(health, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => undefined)) as { status?: string; mode?: string } | undefined;
    if (res.status === 200 && body?.status === 'ok') {
      out.push({
        subject: 'server',
        check: 'PUBLIC_URL',
        status: 'ok',
        detail: `${config.publicUrl} reaches a running esign-kit server (${body.mode ?? '?'} mode)`,
      });
      if (body.mode !== undefined && body.mode !== config.mode) {
        out.push({
          subject: 'server',
          check: 'PUBLIC_URL',
          status: 'fail',
          detail: `the server there runs in ${body.mode} mode, this configuration is ${config.mode}`,
          fix: 'PUBLIC_URL points at another deployment, or the server was started with another configuration',
        });
      }
    } else {
      out.push({
        subject: 'server',
        check: 'PUBLIC_URL',
        status: 'fail',
        detail: `${health} answered HTTP ${res.status}, not this server's health`,
        fix: 'the reverse proxy must forward PUBLIC_URL (all of /api and /callback) to this server',
      });
    }
  } catch (err) {
    out.push({
      subject: 'server',
      check: 'PUBLIC_URL',
      status: 'fail',
      ...describe(err, config.publicUrl, timeoutMs, 'PUBLIC_URL'),
      fix: "start the server (npm start, or your service) and make PUBLIC_URL reach it: portals and Digisign's redirects use it",
    });
  }
  if (p.digisign) {
    // Digisign sends the browser to <PUBLIC_URL>/callback/digisign?msg=…: without msg the landing answers 400.
    const landing = `${config.publicUrl}/callback/digisign`;
    try {
      const res = await fetch(landing, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      const html = (res.headers.get('content-type') ?? '').startsWith('text/html');
      await res.body?.cancel();
      if (res.status === 400 && html)
        out.push({ subject: 'digisign', check: 'redirect', status: 'ok', detail: `${landing} is the redirect landing (tell Digisign this URL)` });
      else if (res.status === 503)
        out.push({
          subject: 'digisign',
          check: 'redirect',
          status: 'fail',
          detail: `${landing}: the running server has no DIGISIGN_AES_KEY`,
          fix: 'set DIGISIGN_AES_KEY (the 16-character key Digisign shares) and restart',
        });
      else
        out.push({
          subject: 'digisign',
          check: 'redirect',
          status: 'fail',
          detail: `${landing} answered HTTP ${res.status}, not the landing page`,
          fix: 'the reverse proxy must forward /callback/digisign to this server',
        });
    } catch (err) {
      out.push({ subject: 'digisign', check: 'redirect', status: 'fail', ...describe(err, landing, timeoutMs, 'PUBLIC_URL') });
    }
  }
  if (config.mode === 'sandbox') {
    // The sandbox providers are this server's own routes: a refused connection means it is not running.
    for (const c of out)
      if (c.status === 'fail' && c.detail.endsWith('connection refused'))
        c.fix = 'the sandbox providers run inside the companion server: start it (npm start) with this configuration, then run the doctor again';
  }
  // The details carry provider words and error texts (a gateway may echo the request, credentials and all) and
  // go to a terminal or a CI log: scrubbed of every secret (configured and issued during these checks), as the
  // server's answers are (http/answers.ts).
  const scrub = secretScrubber(config.secrets);
  return out.map((c) => ({ ...c, detail: scrub(c.detail), ...(c.fix !== undefined ? { fix: scrub(c.fix) } : {}) }));
}

/** One line per check; a failure carries its fix. */
export function formatDoctor(checks: readonly DoctorCheck[]): string {
  const mark: Record<CheckStatus, string> = { ok: 'ok  ', fail: 'FAIL', skip: 'skip' };
  const width = Math.max(...checks.map((c) => `${c.subject} ${c.check}`.length), 10);
  const lines = checks.map(
    (c) => `${mark[c.status]}  ${`${c.subject} ${c.check}`.padEnd(width)}  ${c.detail}${c.status === 'fail' && c.fix ? ` — fix: ${c.fix}` : ''}`,
  );
  const failed = checks.filter((c) => c.status === 'fail').length;
  lines.push(`doctor: ${checks.length} checks, ${failed} failed, ${checks.filter((c) => c.status === 'skip').length} skipped`);
  return lines.join('\n');
}
