// Security headers on every kind of response the companion server (and its sandbox) gives: API JSON, API
// errors, 404s, PDFs, preflights, the static demo, the sandbox's pages, the providers' simulated web views
// and the Digisign landing (the bridge page). Every response: X-Content-Type-Options nosniff, a
// Referrer-Policy, a CSP. HTML pages: a strict CSP (default-src 'self' or stricter, no inline script unless
// nonce'd or hashed, no eval, no plugins, a base-uri) and frame-ancestors: exactly PORTAL_ORIGINS on the
// bridge page, 'self' and PORTAL_ORIGINS on the web views, 'none' everywhere else. Gaps that live in files
// of other parts of the server are written down as `todo` (reported, not hidden).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encryptRedirectMessage } from '../../../packages/sandbox/src/webviews/index.js';
import { form, makePdf, pdfPart, PORTAL, startKit, type Kit } from './kit.js';

type Csp = Map<string, string[]>;

function parseCsp(header: string): Csp {
  const out: Csp = new Map();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), values);
  }
  return out;
}

/** What makes a page's policy strict; returns the problems found. */
function strictnessProblems(csp: Csp): string[] {
  const problems: string[] = [];
  const def = csp.get('default-src');
  if (!def || !(def.length === 1 && (def[0] === "'self'" || def[0] === "'none'")))
    problems.push(`default-src is ${def?.join(' ') ?? 'missing'}, not 'self' or 'none'`);
  const script = csp.get('script-src') ?? def ?? [];
  const hashed = script.some((s) => /^'(nonce|sha256|sha384|sha512)-/.test(s));
  if (script.includes("'unsafe-inline'") && !hashed) problems.push("script-src allows 'unsafe-inline' without a nonce or hash");
  if (script.includes("'unsafe-eval'")) problems.push("script-src allows 'unsafe-eval'");
  if (script.some((s) => s === '*' || /^(https?|data|blob):$/.test(s))) problems.push(`script-src allows ${script.join(' ')}`);
  const object = csp.get('object-src') ?? def ?? [];
  if (!(object.length === 1 && (object[0] === "'none'" || object[0] === "'self'"))) problems.push('object-src is not restricted');
  if (!csp.has('base-uri')) problems.push('no base-uri');
  if (!csp.has('frame-ancestors')) problems.push('no frame-ancestors');
  return problems;
}

interface Seen {
  name: string;
  status: number;
  headers: Headers;
  body: string;
}

/** Which responses must hold what; `todo` names the file (not the hardening suite's) where a gap is to be fixed. */
type Kind = { html: false; frameAncestors?: string[] } | { html: true; frameAncestors: string[]; todo?: string };

describe('security headers on every response', { timeout: 60000 }, () => {
  let kit: Kit;
  const demoDir = mkdtempSync(join(tmpdir(), 'esign-headers-demo-'));
  const seen: (Seen & { kind: Kind })[] = [];

  before(async () => {
    // A stand-in for dist/demo: the server's headers on static pages do not depend on the page.
    writeFileSync(join(demoDir, 'index.html'), '<!doctype html><html lang="en"><title>demo</title><script type="module" src="./app.js"></script></html>');
    writeFileSync(join(demoDir, 'app.js'), 'document.title = "demo";\n');
    kit = await startKit({ demoDir });
    const auth = kit.auth();
    const json = { ...auth, 'content-type': 'application/json' };
    const get = async (name: string, url: string, kind: Kind, init: RequestInit = {}) => {
      const res = await fetch(url.startsWith('http') ? url : `${kit.base}${url}`, init);
      const body = await res.text();
      seen.push({ name, status: res.status, headers: res.headers, body, kind });
      return { status: res.status, body };
    };
    const api: Kind = { html: false };
    const page = (frameAncestors: string[], todo?: string): Kind => ({ html: true, frameAncestors, ...(todo ? { todo } : {}) });
    const portals = kit.config.portalOrigins;
    const pdf = await makePdf();

    await get('API JSON (public)', '/api/health', api);
    await get('API JSON', '/api/providers', api, { headers: auth });
    await get('OpenAPI document', '/api/openapi.json', api, { headers: auth });
    await get('API error 401', '/api/providers', api);
    await get('API error 400', '/api/bsre/users/status', api, { method: 'POST', headers: json, body: '{"nik":"1"}' });
    await get('API error 403 (foreign origin)', '/api/providers', api, { headers: { ...auth, origin: 'https://evil.example.com' } });
    // Express routes paths without regard to case: the origin check must hold for every spelling it routes.
    await get('API error 403 (foreign origin, /API)', '/API/providers', api, { headers: { ...auth, origin: 'https://evil.example.com' } });
    await get('API error 403 (foreign origin, /Api/…, a POST)', '/Api/Bsre/Users/Status', api, {
      method: 'POST',
      headers: { ...json, origin: 'https://evil.example.com' },
      body: '{"nik":"3171000000000001"}',
    });
    await get('API error 413', '/api/bsre/users/status', api, { method: 'POST', headers: json, body: JSON.stringify({ nik: 'x'.repeat(1_100_000) }) });
    await get('API 404', '/api/no-such-route', api, { headers: auth });
    await get('preflight (allowed origin)', '/api/documents', api, { method: 'OPTIONS', headers: { origin: PORTAL, 'access-control-request-method': 'POST' } });
    await get('preflight (foreign origin)', '/api/documents', api, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    const up = await fetch(`${kit.base}/api/documents`, { method: 'POST', headers: auth, body: form({ file: pdfPart(pdf) }) });
    const { document } = (await up.json()) as { document: { id: string } };
    await get('stored PDF', `/api/documents/${document.id}`, api, { headers: auth });
    await get('calibration PDF', '/api/calibration.pdf', api, { headers: auth });
    // A demo file may be a worker (pdf.js), which runs under its own response's policy: the demo's, never framed.
    await get('static script', '/app.js', { html: false, frameAncestors: ["'none'"] });
    await get('static demo page', '/', page(["'none'"]));
    await get('404 outside the API', '/no-such-page', api);
    await get('sandbox inbox page', '/sandbox/inbox', page(["'none'"]));
    await get('sandbox inbox JSON', '/sandbox/inbox.json', api);

    // The providers' web views (the sandbox's second origin): framed by the portals (and themselves) only.
    const webView: Kind = page(["'self'", ...portals]);
    const order = await fetch(`${kit.base}/api/peruri/documents`, {
      method: 'POST',
      headers: auth,
      body: form({ file: pdfPart(pdf), email: 'siti@peruri.sandbox.test', boxes: JSON.stringify([{ page: 1, x: 100, y: 100, width: 100, height: 50 }]) }),
    });
    const { orderId } = (await order.json()) as { orderId: string };
    await get('document metadata', `/api/documents/${document.id}/meta`, api, { headers: auth });
    await get('Peruri order status', `/api/peruri/documents/${orderId}/status`, api, { headers: auth });
    await get('request inspector trace', `/api/traces/${order.headers.get('x-esign-trace')}`, api, { headers: auth });
    const activation = (await (
      await fetch(`${kit.base}/api/webviews`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ provider: 'peruri', flow: 'activation', email: 'andi@peruri.sandbox.test' }),
      })
    ).json()) as { url: string };
    await get('Peruri activation web view', activation.url, webView);
    await get('Peruri signing web view', `${kit.webViewBase}/peruri/signing.php?orderId=${orderId}`, webView);
    await get('Peruri web view, unknown order', `${kit.webViewBase}/peruri/signing.php?orderId=0`, webView);
    const sent = await fetch(`${kit.base}/api/digisign/documents`, {
      method: 'POST',
      headers: auth,
      body: form({
        file: pdfPart(pdf),
        signers: JSON.stringify([{ name: 'Dewi Anggraini', email: 'dewi@digisign.sandbox.test' }]),
        boxes: JSON.stringify([{ page: 1, x: 60, y: 80, width: 150, height: 70 }]),
      }),
    });
    const { digisignDocumentId } = (await sent.json()) as { digisignDocumentId: string };
    const signing = (await (
      await fetch(`${kit.base}/api/webviews`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ provider: 'digisign', flow: 'signing', email: 'dewi@digisign.sandbox.test', digisignDocumentId }),
      })
    ).json()) as { url: string };
    await get('Digisign signing web view', signing.url, webView);
    await get('Digisign web view, unknown link', `${kit.webViewBase}/digisign/signingpage.html?sgn=nope`, webView);
    await get("Digisign web view's document", `${kit.webViewBase}/digisign/document?sgn=${new URL(signing.url).searchParams.get('sgn')}`, {
      html: false,
      frameAncestors: ["'self'", ...portals],
    });

    // The bridge: the Digisign landing, framed by PORTAL_ORIGINS only.
    const bridge: Kind = page(portals);
    const key = kit.config.providers.digisign!.aesKey!;
    await get(
      'Digisign landing (signed)',
      `/callback/digisign/signing?msg=${encryptRedirectMessage({ result: '00', document_id: digisignDocumentId, email_user: 'dewi@digisign.sandbox.test', status_document: 'complete' }, key)}`,
      bridge,
    );
    await get(
      'Digisign landing (activation, no flow in the path)',
      `/callback/digisign?msg=${encryptRedirectMessage({ result: '00', email_user: 'dewi@digisign.sandbox.test' }, key)}`,
      bridge,
    );
    await get('Digisign landing (wrong key)', `/callback/digisign/signing?msg=${encryptRedirectMessage({ result: '00' }, 'another-16-chars')}`, bridge);
    await get('Digisign landing (no msg)', '/callback/digisign/activation', bridge);
    await get('Digisign landing (unknown flow)', '/callback/digisign/enrol?msg=x', bridge);
  });
  after(async () => {
    await kit?.close();
    rmSync(demoDir, { recursive: true, force: true });
  });

  it('covers every kind of response, with the statuses expected', () => {
    const status = Object.fromEntries(seen.map((s) => [s.name, s.status]));
    assert.ok(seen.length >= 25, `${seen.length} responses`);
    assert.deepEqual(
      [
        status['API error 401'],
        status['API error 400'],
        status['API error 403 (foreign origin)'],
        status['API error 403 (foreign origin, /API)'],
        status['API error 403 (foreign origin, /Api/…, a POST)'],
        status['API error 413'],
        status['API 404'],
        status['preflight (allowed origin)'],
        status['preflight (foreign origin)'],
      ],
      [401, 400, 403, 403, 403, 413, 404, 204, 403],
    );
    for (const name of [
      'Peruri activation web view',
      'Peruri signing web view',
      'Digisign signing web view',
      'Digisign landing (signed)',
      'static demo page',
      'sandbox inbox page',
    ])
      assert.equal(status[name], 200, name);
    assert.deepEqual([status['Digisign landing (wrong key)'], status['Digisign landing (no msg)'], status['Digisign landing (unknown flow)']], [400, 400, 404]);
  });

  it('authenticated JSON answers and API errors are never stored by a cache (Cache-Control: no-store)', () => {
    const names = [
      'API JSON',
      'OpenAPI document',
      'document metadata',
      'Peruri order status',
      'request inspector trace',
      'API error 401',
      'API error 400',
      'API error 403 (foreign origin)',
      'API error 403 (foreign origin, /API)',
      'API error 413',
      'API 404',
    ];
    for (const name of names) {
      const s = seen.find((x) => x.name === name)!;
      assert.ok(s, name);
      // An unsigned order's status is Peruri's failure (422 with its code: seed 003, "Selain "0" = Gagal"), an API error like the others.
      if (!['API error 401', 'API error 400', 'API error 413', 'API 404', 'Peruri order status'].includes(name) && !name.startsWith('API error 403'))
        assert.equal(s.status, 200, `${name}: ${s.body}`);
      if (name === 'Peruri order status') assert.equal(s.status, 422, `${name}: ${s.body}`);
      assert.match(s.headers.get('cache-control') ?? '', /\bno-store\b/, name);
    }
    const stored = seen.find((x) => x.name === 'stored PDF')!;
    assert.match(stored.headers.get('cache-control') ?? '', /\bno-store\b/);
  });

  it('every response: X-Content-Type-Options nosniff, a Referrer-Policy that sends no path, a CSP', () => {
    for (const s of seen) {
      assert.equal(s.headers.get('x-content-type-options'), 'nosniff', s.name);
      assert.match(s.headers.get('referrer-policy') ?? '', /^(no-referrer|same-origin|strict-origin)$/, s.name);
      assert.ok(s.headers.get('content-security-policy'), `${s.name}: no CSP`);
      assert.equal(s.headers.get('x-powered-by'), null, s.name);
    }
  });

  it("API answers, PDFs and scripts: a policy that loads nothing and is framed by no one (a web view's PDF: by its page)", () => {
    for (const s of seen.filter((x) => !x.kind.html)) {
      const csp = parseCsp(s.headers.get('content-security-policy') ?? '');
      if (s.kind.frameAncestors) {
        assert.deepEqual(csp.get('frame-ancestors'), s.kind.frameAncestors, s.name);
        continue;
      }
      assert.deepEqual(csp.get('default-src'), ["'none'"], s.name);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], s.name);
    }
  });

  for (const name of [
    'Peruri activation web view',
    'Peruri signing web view',
    'Peruri web view, unknown order',
    'Digisign signing web view',
    'Digisign web view, unknown link',
    'Digisign landing (signed)',
    'Digisign landing (activation, no flow in the path)',
    'Digisign landing (wrong key)',
    'Digisign landing (no msg)',
    'Digisign landing (unknown flow)',
    'static demo page',
    'sandbox inbox page',
  ]) {
    it(`${name}: a strict CSP, framed only where it must be`, (t) => {
      const s = seen.find((x) => x.name === name)!;
      assert.ok(s.kind.html);
      assert.match(s.headers.get('content-type') ?? '', /^text\/html/, name);
      const csp = parseCsp(s.headers.get('content-security-policy') ?? '');
      const problems = strictnessProblems(csp);
      const ancestors = csp.get('frame-ancestors') ?? [];
      if (s.kind.todo && (problems.length || ancestors.join(' ') !== s.kind.frameAncestors.join(' '))) {
        // A gap in a file this suite does not own: reported as a todo with where to fix it.
        t.todo(`${s.kind.todo} (now: ${s.headers.get('content-security-policy')})`);
        return;
      }
      assert.deepEqual(problems, [], `${name}: ${s.headers.get('content-security-policy')}`);
      assert.deepEqual([...ancestors].sort(), [...s.kind.frameAncestors].sort(), `${name}: frame-ancestors`);
      // Every inline script and style of the page carries the policy's nonce (so the policy does not break it).
      for (const tag of s.body.matchAll(/<(script|style)\b([^>]*)>/g)) {
        if (/\bsrc=/.test(tag[2]!)) continue;
        const nonce = /'nonce-([^']+)'/.exec(csp.get(`${tag[1]}-src`)?.join(' ') ?? '')?.[1];
        assert.ok(nonce && tag[2]!.includes(`nonce="${nonce}"`), `${name}: an inline <${tag[1]}> without the nonce`);
      }
    });
  }

  it('the bridge page posts to PORTAL_ORIGINS only, never to "*"', () => {
    for (const s of seen.filter((x) => x.name.startsWith('Digisign landing'))) {
      assert.ok(!/postMessage\([^)]*['"]\*['"]/.test(s.body), s.name);
      assert.ok(s.body.includes(`var targets = ${JSON.stringify(kit.config.portalOrigins)}`), s.name);
    }
  });
});
