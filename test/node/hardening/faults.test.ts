// Faults between the companion server and the providers, and of the companion server itself. The sandbox
// providers run in this process behind a fault proxy (test/node/support/fault-proxy.ts) that, per request,
// holds, fails, cuts, resets or trickles an answer or sets the sandbox's own failure headers. For each fault
// the caller gets a typed error (the status and code of server/src/http/errors.ts) or a correct retry — only
// of calls that are safe to repeat: a signing is never sent twice — and no acknowledged signed document is
// lost or stored twice. The last part kills the companion server (a child process, kill -9) between and
// during steps and restarts it on the same data directory: checksums are compared after every restart.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { Base64Text, fromBase64, isBase64, jsonObject } from '../../../server/src/providers/shared/check.js';
import type { PeruriOperation } from '../../../server/src/providers/adapters.js';
import { readJsonSettingAside } from '../../../server/src/providers/shared/large-json.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import {
  apiClient,
  auditStore,
  BSRE_SIGNERS,
  bsreSign,
  companionEnv,
  contract,
  DIGISIGN_SIGNERS,
  digisignDownload,
  digisignSend,
  digisignSignerSigns,
  expectStatus,
  freePort,
  PASSPHRASE,
  peruriOtp,
  peruriSend,
  peruriSign,
  portalToken,
  providersWith,
  sha256,
  sleep,
  spawnCompanion,
  startCompanion,
  startSandboxHost,
  trustSandboxRoot,
  verifyWithPdfsig,
  type Api,
  type ApiResponse,
  type ChildCompanion,
  type InProcessCompanion,
  type ProviderTimeouts,
  type SandboxHost,
} from '../support/flows.js';

/**
 * The companion's provider timeouts in this suite: generous by default (a loaded machine must not turn a
 * signing into a timeout), short only where a timeout is the point — for calls light enough to finish well
 * within it when nothing is wrong.
 */
const DEFAULT_TIMEOUT_MS = 20_000;
const SHORT_TIMEOUT_MS = 1500;

const PATHS = {
  bsreSign: '/sandbox/bsre/api/v2/sign/pdf',
  bsreStatus: '/sandbox/bsre/api/v2/user/check/status',
  bsreCloudSign: /\/sandbox\/bsre\/api\/v2\/entity\/sign\/[0-9a-f]+\?/,
  peruriJwt: '/getJsonWebToken/',
  peruri: (op: string) => `/digitalSignatureFullJwtSandbox/1.0/${op}/v1`,
  digisignSend: '/sandbox/digisign/SendDocMitraAT.html',
  digisignDownload: '/sandbox/digisign/DWMITRA.html',
};

function expectError(res: ApiResponse, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body?.error?.code, code, JSON.stringify(res.body));
}

describe('faults between the companion server and the providers', { timeout: 120_000 }, () => {
  let sandbox: SandboxHost;
  let proxy: FaultProxy;
  let companion: InProcessCompanion;
  let api: Api;
  /** Added to the Peruri client's clock (to let its JWT run out). */
  let clockSkew = 0;
  const timeouts: ProviderTimeouts = { bsre: DEFAULT_TIMEOUT_MS, peruri: {}, digisign: {} };
  /** Runs `fn` with a short timeout for BSrE calls, or for one Peruri operation. */
  async function shortTimeout<T>(what: 'bsre' | PeruriOperation, fn: () => Promise<T>): Promise<T> {
    if (what === 'bsre') timeouts.bsre = SHORT_TIMEOUT_MS;
    else timeouts.peruri[what] = SHORT_TIMEOUT_MS;
    try {
      return await fn();
    } finally {
      timeouts.bsre = DEFAULT_TIMEOUT_MS;
      for (const op of Object.keys(timeouts.peruri) as PeruriOperation[]) delete timeouts.peruri[op];
    }
  }

  const stored = () => auditStore(companion.dataDir).documents;
  const storedFor = (ref: string) => stored().filter((d) => d.meta.providerRef === ref);
  const calls = (path: string | RegExp) => proxy.count(path);

  /** Peruri up to a ready OTP: the order and the code the signer received. */
  async function peruriReady(email = 'siti@peruri.sandbox.test'): Promise<{ orderId: string; code: string }> {
    const sent = expectStatus(await peruriSend(api, { pdf: await contract(), email }), 201, 'peruri send');
    const orderId = sent.body.orderId as string;
    const otp = await peruriOtp(api, sandbox.url, orderId, email);
    expectStatus(otp.res, 201, 'peruri otp');
    return { orderId, code: otp.code! };
  }

  before(async () => {
    sandbox = await startSandboxHost();
    proxy = await startFaultProxy(sandbox.origin);
    companion = await startCompanion(sandbox, proxy.url, (config) =>
      providersWith(config, { timeouts, retries: 2, retryDelayMs: 50, peruriNow: () => Date.now() + clockSkew }),
    );
    api = apiClient(companion.base, portalToken('faults'));
  });
  afterEach(() => proxy.clear());
  after(async () => {
    await companion?.close();
    await proxy?.close();
    await sandbox?.close();
    if (companion) rmSync(companion.dataDir, { recursive: true, force: true });
    if (sandbox) rmSync(sandbox.dataDir, { recursive: true, force: true });
  });

  describe('a provider that does not answer in time', () => {
    it('a signing is sent once and answered 504 provider-timeout; nothing is stored', async () => {
      const before = stored().length;
      const n = calls(PATHS.bsreSign);
      const pdf = await contract();
      proxy.add(PATHS.bsreSign, { kind: 'inject', headers: { 'X-Sandbox-Fail': 'timeout' } });
      const res = await shortTimeout('bsre', () => bsreSign(api, { pdf }));
      expectError(res, 504, 'provider-timeout');
      assert.equal(res.body.error.retryable, false, 'whether BSrE signed is unknown: not "retry now"');
      assert.equal(calls(PATHS.bsreSign) - n, 1, 'a signing must not be sent twice');
      assert.equal(stored().length, before);
    });

    it('a read is retried after a timeout and succeeds', async () => {
      const n = calls(PATHS.bsreStatus);
      proxy.add(PATHS.bsreStatus, { kind: 'hang' });
      const res = await shortTimeout('bsre', () => api.postJson('/api/bsre/users/status', { nik: BSRE_SIGNERS[0].nik }));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'ISSUE');
      assert.equal(calls(PATHS.bsreStatus) - n, 2);
    });
  });

  describe('5xx answers', () => {
    it('a read answered 503 by the sandbox is retried and succeeds', async () => {
      const n = calls(PATHS.bsreStatus);
      proxy.add(PATHS.bsreStatus, { kind: 'inject', headers: { 'X-Sandbox-Fail': '503' } });
      const res = await api.postJson('/api/bsre/users/status', { nik: BSRE_SIGNERS[0].nik });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(calls(PATHS.bsreStatus) - n, 2);
    });

    it('a signing answered 500 is a 502 provider-http-error with the provider status, sent once', async () => {
      const before = stored().length;
      const n = calls(PATHS.bsreSign);
      proxy.add(PATHS.bsreSign, { kind: 'inject', headers: { 'X-Sandbox-Fail': '500' } });
      const res = await bsreSign(api, { pdf: await contract() });
      expectError(res, 502, 'provider-http-error');
      assert.equal(res.body.error.provider.code, '500');
      assert.equal(calls(PATHS.bsreSign) - n, 1);
      assert.equal(stored().length, before);
    });

    it('a gateway 502 after BSrE signed: typed 502, the signing is not repeated, nothing stored', async () => {
      const before = stored().length;
      const n = calls(PATHS.bsreSign);
      proxy.add(PATHS.bsreSign, { kind: 'replace', status: 502, body: '<html><h1>502 Bad Gateway</h1></html>', headers: { 'content-type': 'text/html' } });
      const res = await bsreSign(api, { pdf: await contract() });
      expectError(res, 502, 'provider-http-error');
      assert.equal(res.body.error.retryable, false, 'whether BSrE signed behind the gateway is unknown: not "retry now"');
      assert.equal(calls(PATHS.bsreSign) - n, 1, 'a 502 is retried for reads only');
      assert.equal(stored().length, before);
    });

    it('Peruri: the signed-document download answered 503 once is retried; stored once', async () => {
      const { orderId, code } = await peruriReady();
      const n = calls(PATHS.peruri('downloadDocument'));
      proxy.add(PATHS.peruri('downloadDocument'), { kind: 'inject', headers: { 'X-Sandbox-Fail': '503' } });
      const signed = await peruriSign(api, orderId, code);
      assert.equal(signed.status, 201, JSON.stringify(signed.body));
      assert.ok(signed.body.document, JSON.stringify(signed.body));
      assert.equal(calls(PATHS.peruri('downloadDocument')) - n, 2);
      assert.equal(storedFor(orderId).length, 1);
    });

    it('Digisign: sending a document answered 503 is a typed 502, sent once; sending it again works', async () => {
      const n = calls(PATHS.digisignSend);
      const documentId = `ft${randomBytes(6).toString('hex')}`;
      proxy.add(PATHS.digisignSend, { kind: 'inject', headers: { 'X-Sandbox-Fail': '503' } });
      const failed = await digisignSend(api, { pdf: await contract(), signers: [DIGISIGN_SIGNERS[0]], documentId });
      expectError(failed, 502, 'provider-http-error');
      assert.equal(calls(PATHS.digisignSend) - n, 1);
      const sent = await digisignSend(api, { pdf: await contract(), signers: [DIGISIGN_SIGNERS[0]], documentId });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
    });
  });

  describe('malformed JSON', () => {
    it('a signing answered with cut JSON is a 502 provider-bad-response; nothing stored', async () => {
      const before = stored().length;
      const n = calls(PATHS.bsreSign);
      proxy.add(PATHS.bsreSign, { kind: 'malformed-json' });
      const res = await bsreSign(api, { pdf: await contract() });
      expectError(res, 502, 'provider-bad-response');
      assert.equal(calls(PATHS.bsreSign) - n, 1);
      assert.equal(stored().length, before);
    });

    it('Peruri: an unreadable Get OTP answer is a 502 provider-bad-response; asking again finishes the flow', async () => {
      const email = 'rina@peruri.sandbox.test';
      const sent = expectStatus(await peruriSend(api, { pdf: await contract(), email }), 201, 'peruri send');
      const orderId = sent.body.orderId as string;
      proxy.add(PATHS.peruri('getOtp'), { kind: 'replace', body: '{"resultCode":"0","data":{"token":' });
      expectError(await api.postJson(`/api/peruri/documents/${orderId}/otp`), 502, 'provider-bad-response');
      const otp = await peruriOtp(api, sandbox.url, orderId, email);
      assert.equal(otp.res.status, 201, JSON.stringify(otp.res.body));
      const signed = await peruriSign(api, orderId, otp.code!);
      assert.equal(signed.status, 201, JSON.stringify(signed.body));
      assert.equal(storedFor(orderId).length, 1);
    });
  });

  describe('a connection reset in the middle of an answer', () => {
    it('Peruri: a download reset once is retried; the document is stored once, as Peruri has it', async () => {
      const { orderId, code } = await peruriReady();
      const n = calls(PATHS.peruri('downloadDocument'));
      proxy.add(PATHS.peruri('downloadDocument'), { kind: 'reset', afterBytes: 2000 });
      const signed = await peruriSign(api, orderId, code);
      assert.equal(signed.status, 201, JSON.stringify(signed.body));
      assert.equal(calls(PATHS.peruri('downloadDocument')) - n, 2);
      const [doc] = storedFor(orderId);
      assert.equal(storedFor(orderId).length, 1);
      assert.equal(doc!.fileSha256, signed.body.document.sha256);
      const file = (await api.get(`/api/documents/${doc!.id}`)).body as Uint8Array;
      assert.equal(sha256(file), signed.body.document.sha256);
    });

    it('Peruri: a download reset on every attempt: "signed, not stored yet" with a typed error; the status route stores it once', async () => {
      const { orderId, code } = await peruriReady();
      proxy.add(PATHS.peruri('downloadDocument'), { kind: 'reset', afterBytes: 1000 }, 3);
      const signed = await peruriSign(api, orderId, code);
      assert.equal(signed.status, 201, JSON.stringify(signed.body));
      assert.equal(signed.body.signed, true);
      assert.equal(signed.body.document, null);
      assert.equal(signed.body.error.code, 'provider-unreachable');
      assert.equal(storedFor(orderId).length, 0);
      proxy.clear();
      const status = await api.get(`/api/peruri/documents/${orderId}/status`);
      assert.equal(status.status, 200, JSON.stringify(status.body));
      assert.equal(status.body.signed, true);
      const again = await api.get(`/api/peruri/documents/${orderId}/status`);
      assert.equal(again.body.document.id, status.body.document.id);
      assert.equal(storedFor(orderId).length, 1);
    });

    it('a signing whose answer is reset is a 502 provider-unreachable, not sent again; nothing stored', async () => {
      const before = stored().length;
      const n = calls(PATHS.bsreSign);
      proxy.add(PATHS.bsreSign, { kind: 'reset', afterBytes: 1000 });
      const res = await bsreSign(api, { pdf: await contract() });
      expectError(res, 502, 'provider-unreachable');
      assert.equal(res.body.error.retryable, false);
      assert.equal(calls(PATHS.bsreSign) - n, 1);
      assert.equal(stored().length, before);
    });

    it('Digisign: a download reset once is retried; downloading again gives the same stored document', async () => {
      const sent = expectStatus(await digisignSend(api, { pdf: await contract(), signers: [DIGISIGN_SIGNERS[1]] }), 201, 'digisign send');
      const documentId = sent.body.digisignDocumentId as string;
      await digisignSignerSigns(api, sandbox.url, documentId, DIGISIGN_SIGNERS[1]);
      const n = calls(PATHS.digisignDownload);
      proxy.add(PATHS.digisignDownload, { kind: 'reset', afterBytes: 3000 });
      const first = await digisignDownload(api, documentId);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(calls(PATHS.digisignDownload) - n, 2);
      const second = await digisignDownload(api, documentId);
      assert.equal(second.status, 201, JSON.stringify(second.body));
      assert.equal(second.body.document.id, first.body.document.id, 'the same bytes for the same Digisign document are stored once');
      assert.equal(storedFor(documentId).length, 1);
    });
  });

  describe('a slow body', () => {
    it('within the timeout: a signing answered over ~0.6 s succeeds and is stored', async () => {
      const pdf = await contract();
      proxy.add(PATHS.bsreSign, { kind: 'trickle', chunks: 8, intervalMs: 80 });
      const res = await bsreSign(api, { pdf });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(stored().find((d) => d.id === res.body.document.id)?.fileSha256, res.body.document.sha256);
    });

    it('above the timeout: a signing is a 504 provider-timeout, sent once, nothing stored', async () => {
      const before = stored().length;
      const n = calls(PATHS.bsreSign);
      const pdf = await contract();
      proxy.add(PATHS.bsreSign, { kind: 'trickle', chunks: 10, intervalMs: 500 });
      const res = await shortTimeout('bsre', () => bsreSign(api, { pdf }));
      expectError(res, 504, 'provider-timeout');
      assert.equal(calls(PATHS.bsreSign) - n, 1);
      assert.equal(stored().length, before);
    });

    it('above the timeout once: the Peruri download is retried and the document stored once', async () => {
      const { orderId, code } = await peruriReady();
      const n = calls(PATHS.peruri('downloadDocument'));
      proxy.add(PATHS.peruri('downloadDocument'), { kind: 'trickle', chunks: 10, intervalMs: 500 });
      const signed = await shortTimeout('downloadDocument', () => peruriSign(api, orderId, code));
      assert.equal(signed.status, 201, JSON.stringify(signed.body));
      assert.ok(signed.body.document, JSON.stringify(signed.body));
      assert.equal(calls(PATHS.peruri('downloadDocument')) - n, 2);
      assert.equal(storedFor(orderId).length, 1);
    });
  });

  describe('a token that expires mid-flow', () => {
    it('Peruri revokes every JWT between two steps: the call is refused once, the JWT refreshed, the call repeated', async () => {
      const email = 'siti@peruri.sandbox.test';
      const sent = expectStatus(await peruriSend(api, { pdf: await contract(), email }), 201, 'peruri send');
      const orderId = sent.body.orderId as string;
      // The provider rotates its signing key: every JWT issued so far is refused with 401.
      const state = sandbox.context.state;
      state.data.secret = randomBytes(32).toString('hex');
      state.save();
      const mark = proxy.log.length;
      const otp = await peruriOtp(api, sandbox.url, orderId, email);
      assert.equal(otp.res.status, 201, JSON.stringify(otp.res.body));
      const seen = proxy.log
        .slice(mark)
        .map((e) => `${e.path.includes('getOtp') ? 'getOtp' : e.path.includes('getJsonWebToken') ? 'jwt' : e.path} ${e.status}`);
      assert.deepEqual(seen, ['getOtp 401', 'jwt 200', 'getOtp 200']);
      const signed = await peruriSign(api, orderId, otp.code!);
      assert.equal(signed.status, 201, JSON.stringify(signed.body));
      assert.equal(storedFor(orderId).length, 1);
    });

    it('Peruri refuses the fresh JWT too: a typed 502 provider-unauthorized after exactly one refresh', async () => {
      const email = 'rina@peruri.sandbox.test';
      const sent = expectStatus(await peruriSend(api, { pdf: await contract(), email }), 201, 'peruri send');
      const orderId = sent.body.orderId as string;
      const n = calls(PATHS.peruri('getOtp'));
      const jwt = calls(PATHS.peruriJwt);
      proxy.add(PATHS.peruri('getOtp'), { kind: 'inject', headers: { 'X-Sandbox-Fail': '401' } }, Infinity);
      expectError(await api.postJson(`/api/peruri/documents/${orderId}/otp`), 502, 'provider-unauthorized');
      assert.equal(calls(PATHS.peruri('getOtp')) - n, 2);
      assert.equal(calls(PATHS.peruriJwt) - jwt, 1);
    });

    it("the JWT's day runs out on the companion's clock: a new one is fetched before the call, no refusal", async () => {
      const { orderId } = await peruriReady();
      clockSkew = 24 * 60 * 60 * 1000;
      try {
        const mark = proxy.log.length;
        const status = await api.get(`/api/peruri/documents/${orderId}/status`);
        // Not signed yet: Peruri's non-"0" answer is a failure with its own code (seed 003), not "signed: false".
        assert.equal(status.status, 422, JSON.stringify(status.body));
        assert.equal(status.body.error.provider.code, '2');
        const seen = proxy.log.slice(mark).map((e) => `${e.path.includes('getJsonWebToken') ? 'jwt' : 'checkDocumentStatus'} ${e.status}`);
        assert.deepEqual(seen, ['jwt 200', 'checkDocumentStatus 200']);
      } finally {
        clockSkew = 0;
      }
    });

    it('BSrE cloud: the OAuth token expires between the sign request and the signing: refreshed once, signed once, stored', async () => {
      const before = stored().length;
      const mark = proxy.log.length;
      proxy.add(PATHS.bsreCloudSign, {
        kind: 'before',
        hook: () => {
          sandbox.context.state.data.bsre.cloudTokens = {};
          sandbox.context.state.save();
        },
      });
      const res = await bsreSign(api, { pdf: await contract(), extra: { service: 'cloud' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const signs = proxy.log
        .slice(mark)
        .filter((e) => PATHS.bsreCloudSign.test(e.path))
        .map((e) => e.status);
      assert.deepEqual(signs, [401, 200], 'refused for the token, then signed once');
      assert.equal(stored().length, before + 1);
    });

    it('Digisign refuses the partner token (result 55): a typed 502 provider-auth-failed, sent once, nothing stored', async () => {
      const before = stored().length;
      const n = calls(PATHS.digisignSend);
      proxy.add(PATHS.digisignSend, { kind: 'inject', headers: { authorization: 'Bearer expired-token' } });
      const res = await digisignSend(api, { pdf: await contract(), signers: [DIGISIGN_SIGNERS[0]] });
      expectError(res, 502, 'provider-auth-failed');
      assert.equal(res.body.error.provider.code, '55');
      assert.equal(calls(PATHS.digisignSend) - n, 1);
      assert.equal(stored().length, before);
    });
  });

  describe('large answers, read as they arrive', () => {
    /** Values as a parser sees them: long base64 strings (plain or set aside) as their decoded bytes. */
    const seen = (v: unknown): unknown => {
      if (v instanceof Base64Text || (typeof v === 'string' && v.length > 4096)) {
        const t = v as string | Base64Text;
        return isBase64(t) ? { bytes: sha256(fromBase64(t)) } : { text: t.toString() };
      }
      if (Array.isArray(v)) return v.map(seen);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, seen(x)]));
      return v;
    };
    const streamOf = (bytes: Uint8Array, cuts: number[]) => {
      const pieces = [...cuts, bytes.byteLength].map((end, k, all) => bytes.subarray(k ? all[k - 1] : 0, end));
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = pieces.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      });
    };

    it('decoding base64 strings while they arrive gives what JSON.parse gives, wherever the chunks split', async () => {
      const b64 = (n: number) => randomBytes(n).toString('base64');
      const long = b64(90_000);
      const cases: Record<string, string> = {
        'padding none': JSON.stringify({ time: 12, file: [b64(90_000)] }),
        'padding one': JSON.stringify({ time: 12, file: [b64(90_001)] }),
        'padding two': JSON.stringify({ time: 12, file: [b64(90_002)], note: 'a "quoted" \\ text ✓' }),
        'two documents': JSON.stringify({ resultCode: '0', data: { a: b64(70_000), b: [b64(200_000)] } }),
        'not base64 halfway': JSON.stringify({ file: [`${long.slice(0, 80_000)} ${long.slice(80_000)}`] }),
        'escaped slashes': JSON.stringify({ file: [long] }).replace(/\//g, '\\/'),
        'not whole quads': JSON.stringify({ file: [`${long}A`] }),
        '= inside': JSON.stringify({ file: [`${long.slice(0, 80_000)}=${long.slice(80_001)}`] }),
        small: JSON.stringify({ resultCode: '0', resultDesc: 'Success' }),
      };
      for (const [name, text] of Object.entries(cases)) {
        const bytes = new Uint8Array(Buffer.from(text));
        const expected = seen(JSON.parse(text));
        for (let trial = 0; trial < 12; trial++) {
          const cuts = [...new Set(Array.from({ length: trial % 4 === 0 ? 0 : trial }, () => Math.floor(Math.random() * bytes.byteLength)))].sort(
            (a, b) => a - b,
          );
          const body = await readJsonSettingAside(streamOf(bytes, cuts), trial % 2 ? bytes.byteLength : undefined);
          assert.deepEqual(seen(jsonObject('bsre', 'test', body)), expected, `${name}, cut at ${cuts.join(', ')}`);
        }
        // And the same answer handed whole to the parser (the in-place path of jsonObject).
        assert.deepEqual(seen(jsonObject('bsre', 'test', new Uint8Array(Buffer.from(text.padEnd(1024 * 1024 + 16))))), expected, `${name}, whole`);
      }
      for (const cut of [20, 70_000, cases['padding none']!.length - 1]) {
        const body = await readJsonSettingAside(streamOf(new Uint8Array(Buffer.from(cases['padding none']!.slice(0, cut))), []), undefined);
        assert.throws(() => jsonObject('bsre', 'test', body), /not JSON/, 'a cut answer stays unreadable');
      }
    });

    it('a 3 MB document goes out streamed and comes back decoded as it arrives: Peruri stores exactly its signed file', async () => {
      const doc = await PDFDocument.create();
      const font = await doc.embedFont(StandardFonts.Helvetica);
      const page = doc.addPage([595.28, 841.89]);
      page.drawText('Lampiran (uji)', { x: 60, y: 780, size: 14, font });
      doc.addPage([595.28, 841.89]);
      page.node.setXObject(
        PDFName.of('Blob'),
        doc.context.register(
          doc.context.stream(randomBytes(3 * 2 ** 20), {
            Type: 'XObject',
            Subtype: 'Image',
            Width: 1,
            Height: 1,
            ColorSpace: 'DeviceGray',
            BitsPerComponent: 8,
          }),
        ),
      );
      const pdf = await doc.save({ useObjectStreams: false });
      const email = 'siti@peruri.sandbox.test';
      const sent = expectStatus(await peruriSend(api, { pdf, email }), 201, 'peruri send');
      const orderId = sent.body.orderId as string;
      const order = sandbox.context.state.data.peruri.orders[orderId]!;
      assert.equal(sha256(sandbox.context.state.getFile(order.file)), sha256(pdf), 'the sandbox received the PDF as sent');
      const otp = await peruriOtp(api, sandbox.url, orderId, email);
      // The download answer (4 MB of base64 in JSON) trickles in small pieces.
      proxy.add(PATHS.peruri('downloadDocument'), { kind: 'trickle', chunks: 40, intervalMs: 5 });
      const signed = await peruriSign(api, orderId, otp.code!);
      assert.equal(signed.status, 201, JSON.stringify(signed.body));
      assert.equal(signed.body.document.sha256, sha256(sandbox.context.state.getFile(sandbox.context.state.data.peruri.orders[orderId]!.file)));
      assert.equal(storedFor(orderId)[0]?.fileSha256, signed.body.document.sha256);
    });
  });
});

describe('the companion server killed (kill -9) and restarted on its data directory', { timeout: 180_000 }, () => {
  let sandbox: SandboxHost;
  let proxy: FaultProxy;
  let companion: ChildCompanion;
  let env: Record<string, string>;
  let api: Api;
  let nssDir: string;
  const work = mkdtempSync(join(tmpdir(), 'esign-crash-'));
  const dataDir = join(work, 'data');

  const restart = async () => {
    await companion.crash();
    companion = await spawnCompanion(env);
  };
  const storedFor = (ref: string) => auditStore(dataDir).documents.filter((d) => d.meta.providerRef === ref);

  async function expectValid(id: string, signers: string[]) {
    const file = join(work, `${id}.pdf`);
    writeFileSync(file, (await api.get(`/api/documents/${id}`)).body as Uint8Array);
    const report = await verifyWithPdfsig(file, nssDir);
    assert.deepEqual(
      report.signatures.map((s) => s.commonName),
      signers,
    );
    for (const s of report.signatures) assert.match(s.validation, /Signature is Valid/);
    assert.equal(report.signatures.at(-1)?.total, true);
  }

  before(async () => {
    sandbox = await startSandboxHost();
    proxy = await startFaultProxy(sandbox.origin);
    const port = await freePort();
    env = companionEnv({ port, dataDir, providers: proxy.url, sandbox, logLevel: 'warn' });
    sandbox.setRedirect(`http://127.0.0.1:${port}/callback/digisign`);
    companion = await spawnCompanion(env);
    api = apiClient(companion.base, portalToken('crash'));
    nssDir = await trustSandboxRoot(sandbox.context, join(work, 'nss'));
  });
  afterEach(() => proxy.clear());
  after(async () => {
    await companion?.crash();
    await proxy?.close();
    await sandbox?.close();
    rmSync(work, { recursive: true, force: true });
    if (sandbox) rmSync(sandbox.dataDir, { recursive: true, force: true });
  });

  it('Peruri: killed after the send and after the signing: the flow finishes, the signed document survives unchanged', async () => {
    const email = 'siti@peruri.sandbox.test';
    const sent = expectStatus(await peruriSend(api, { pdf: await contract(), email }), 201, 'peruri send');
    const orderId = sent.body.orderId as string;
    await restart();
    const otp = await peruriOtp(api, sandbox.url, orderId, email);
    assert.equal(otp.res.status, 201, JSON.stringify(otp.res.body));
    const signed = await peruriSign(api, orderId, otp.code!);
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    const { id, sha256: announced } = signed.body.document as { id: string; sha256: string };
    await restart();
    const got = await api.get(`/api/documents/${id}`);
    assert.equal(got.status, 200);
    assert.equal(sha256(got.body as Uint8Array), announced);
    assert.equal(got.headers.get('x-checksum-sha256'), announced);
    const status = await api.get(`/api/peruri/documents/${orderId}/status`);
    assert.equal(status.body.document.id, id, 'the status names the stored document, it does not fetch another');
    assert.equal(storedFor(orderId).length, 1);
    await expectValid(id, ['Siti Rahayu']);
  });

  it('Peruri: killed while the signed PDF downloads: signed once at Peruri, nothing half-stored, stored once after the restart', async () => {
    const email = 'rina@peruri.sandbox.test';
    const sent = expectStatus(await peruriSend(api, { pdf: await contract(), email }), 201, 'peruri send');
    const orderId = sent.body.orderId as string;
    const otp = await peruriOtp(api, sandbox.url, orderId, email);
    const signings = proxy.count(PATHS.peruri('signing'));
    const downloads = proxy.count(PATHS.peruri('downloadDocument'));
    proxy.add(PATHS.peruri('downloadDocument'), { kind: 'hang', forward: true }, Infinity);
    const pending = peruriSign(api, orderId, otp.code!).then(
      (res) => res,
      (err: Error) => err,
    );
    for (let i = 0; i < 400 && proxy.count(PATHS.peruri('downloadDocument')) === downloads; i++) await sleep(25);
    assert.ok(proxy.count(PATHS.peruri('downloadDocument')) > downloads, 'the download never started');
    await restart();
    assert.ok((await pending) instanceof Error, 'the caller was told nothing');
    proxy.clear();
    assert.equal(storedFor(orderId).length, 0);
    // Repeating the signing is refused with a typed error (the OTP session died with the process) and signs nothing.
    expectError(await peruriSign(api, orderId, otp.code!), 400, 'invalid-input');
    assert.equal(proxy.count(PATHS.peruri('signing')) - signings, 1, 'signed once at Peruri');
    const status = await api.get(`/api/peruri/documents/${orderId}/status`);
    assert.equal(status.status, 200, JSON.stringify(status.body));
    assert.equal(status.body.signed, true);
    const again = await api.get(`/api/peruri/documents/${orderId}/status`);
    assert.equal(again.body.document.id, status.body.document.id);
    assert.equal(storedFor(orderId).length, 1);
    await expectValid(status.body.document.id as string, ['Rina Marlina']);
  });

  it('Digisign: killed between the signers and after the download: the document is stored once, unchanged', async () => {
    const sent = expectStatus(await digisignSend(api, { pdf: await contract(), signers: DIGISIGN_SIGNERS }), 201, 'digisign send');
    const documentId = sent.body.digisignDocumentId as string;
    await restart();
    await digisignSignerSigns(api, sandbox.url, documentId, DIGISIGN_SIGNERS[0]);
    await restart();
    await digisignSignerSigns(api, sandbox.url, documentId, DIGISIGN_SIGNERS[1]);
    const downloaded = await digisignDownload(api, documentId);
    assert.equal(downloaded.status, 201, JSON.stringify(downloaded.body));
    const { id, sha256: announced } = downloaded.body.document as { id: string; sha256: string };
    await restart();
    assert.equal(sha256((await api.get(`/api/documents/${id}`)).body as Uint8Array), announced);
    const again = await digisignDownload(api, documentId);
    assert.equal(again.body.document.id, id, 'downloading again after the restart gives the stored document');
    assert.equal(storedFor(documentId).length, 1);
    await expectValid(
      id,
      DIGISIGN_SIGNERS.map((s) => s.name),
    );
  });

  it('BSrE: killed during signing requests (3 rounds): no partial file, every acknowledged document survives with its checksum', async (t) => {
    // A few MB of incompressible content, so that storing takes long enough to be interrupted now and then.
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('Lampiran (uji)', { x: 60, y: 780, size: 14, font });
    page.node.setXObject(
      PDFName.of('Blob'),
      doc.context.register(
        doc.context.stream(randomBytes(2 * 2 ** 20), { Type: 'XObject', Subtype: 'Image', Width: 1, Height: 1, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }),
      ),
    );
    const pdf = await doc.save({ useObjectStreams: false });
    const acknowledged = new Map<string, { sha: string; signer: string }>();
    const interrupted: string[] = [];
    const sign = (signer: (typeof BSRE_SIGNERS)[number]) =>
      bsreSign(api, { pdf, nik: signer.nik, passphrase: PASSPHRASE }).then(
        (res) => {
          if (res.status === 201) acknowledged.set(res.body.document.id as string, { sha: res.body.document.sha256 as string, signer: signer.name });
          return res.status;
        },
        () => 'interrupted',
      );
    // One signing from upload to stored answer, to spread the next ones over every phase.
    const t0 = performance.now();
    assert.equal(await sign(BSRE_SIGNERS[0]), 201);
    const span = performance.now() - t0;
    const reached = () => proxy.count(PATHS.bsreSign);
    const answered = () => proxy.log.filter((e) => e.path.includes(PATHS.bsreSign) && e.status !== undefined).length;
    // A document being stored is a PDF without its record yet (or a record's temporary file).
    const writing = () => {
      const names = readdirSync(join(dataDir, 'documents'));
      return names.some((n) => n.endsWith('.tmp') || (n.endsWith('.pdf') && !names.includes(n.replace(/\.pdf$/, '.json'))));
    };
    // When each round's kill comes: as soon as a signed PDF is being written to the store; a little after
    // BSrE answered the second signing of the round (decoding, storing, answering); while BSrE is signing.
    const moments = [
      { when: () => writing(), jitter: 0 },
      { when: (r0: number, a0: number) => answered() > a0 + 1, jitter: 60 },
      { when: (r0: number) => reached() > r0 + 1, jitter: 0 },
    ];
    for (let round = 0; round < 3; round++) {
      const signer = BSRE_SIGNERS[round % BSRE_SIGNERS.length]!;
      const [r0, a0] = [reached(), answered()];
      // Four signings started a quarter of a signing apart, so that they are in different phases.
      const requests = Array.from({ length: 4 }, (_, k) => sleep((k * span) / 4).then(() => sign(signer)));
      const moment = moments[round]!;
      for (let i = 0; i < 20_000 && !moment.when(r0, a0); i++) await sleep(i < 5000 ? 0 : 2);
      await sleep(Math.random() * moment.jitter);
      await companion.crash();
      const outcomes = await Promise.all(requests);
      const left = auditStore(dataDir).leftovers;
      interrupted.push(`round ${round + 1}: ${outcomes.join(', ')}; left behind by the crash: ${left.length ? left.join(', ') : 'nothing'}`);
      companion = await spawnCompanion(env);
      const audit = auditStore(dataDir);
      assert.deepEqual(audit.leftovers, [], 'the restart leaves no partial file');
      for (const d of audit.documents) assert.equal(d.fileSha256, d.meta.sha256, `document ${d.id} does not match its checksum`);
      for (const [id, { sha }] of acknowledged) {
        const got = await api.get(`/api/documents/${id}`);
        assert.equal(got.status, 200, `acknowledged document ${id} is lost`);
        assert.equal(sha256(got.body as Uint8Array), sha);
      }
      // Nothing stored twice for one request (identical signings within one second may give identical bytes).
      const signedByBsre = audit.documents.filter((d) => d.meta.source === 'bsre').length;
      assert.ok(signedByBsre <= 1 + 4 * (round + 1), `${signedByBsre} documents for ${1 + 4 * (round + 1)} signings`);
    }
    t.diagnostic(`kill -9 during signing: ${acknowledged.size} acknowledged and kept; ${interrupted.join(' | ')}`);
    for (const [id, { signer }] of [...acknowledged].slice(0, 3)) await expectValid(id, [signer]);
  });
});
