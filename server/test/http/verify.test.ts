// POST /api/verify answers the server's own inspection (@esign-kit/verify in an intake worker) beside BSrE's
// verification, with their disagreements (issue #15). Judged against what this code did not write: the sandbox's
// BSrE simulator, which really signs and really verifies; real signed files from pyHanko's test data with their
// truth (test/corpus/verify-peer/truth.json, adjudicated with openssl); the answer's own published schema; and a
// hostile signed file whose inspection outlasts the deadline while /api/health keeps answering.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse } from 'msw';
import { verifyAnswer } from '../../src/verify/answer.js';
import { PdfIntakePool } from '../../src/pdf/intake-pool.js';
import { apiClient, contract, startKit, type Api, type Kit } from '../../../test/node/support/flows.js';
import { signedWithLargeUpdate } from '../../../test/node/hardening/hostile-pdfs.js';
import { ENV, form, mockProviders, useServer } from './helpers.js';

const CORPUS = fileURLToPath(new URL('../../../test/corpus/verify-peer/', import.meta.url));
interface TruthSignature {
  field: string;
  kind: 'cms' | 'doc-timestamp';
  intact: boolean | null;
  coversRevision: boolean | null;
  laterChangesAllowed: boolean | null;
  signerCN: string | null;
}
const truth = JSON.parse(readFileSync(join(CORPUS, 'truth.json'), 'utf8')) as { files: { file: string; signatures: TruthSignature[] }[] };
const LTA = 'pyhanko/internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__pades-lta-dss-indirect-arrs-test.pdf';
const ltaTruth = truth.files.find((f) => f.file === LTA)!;
const lta = () => new Uint8Array(readFileSync(join(CORPUS, 'files', LTA)));

/** A copy with one byte of the first stream's data changed: inside the first signature's range, the structure intact. */
function tampered(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  const at = Buffer.from(copy).indexOf('stream\n') + 'stream\n'.length + 8;
  assert.ok(at > 20, 'nothing to tamper with');
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

/** Every answer of this route must be what GET /api/openapi.json says it is. */
function described(body: unknown) {
  const parsed = verifyAnswer.safeParse(body);
  assert.ok(parsed.success, `the answer breaks its schema: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  return parsed.data;
}

describe('POST /api/verify on the sandbox (BSrE simulator; the sandbox root trusted, as GET /api/trust/roots lists it)', { timeout: 180000 }, () => {
  let kit: Kit;
  let api: Api;
  let signed: Uint8Array;
  let documentId: string;

  before(async () => {
    kit = await startKit();
    const res = await fetch(`${kit.base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    api = apiClient(kit.base, ((await res.json()) as { token: string }).token);
    const f = new FormData();
    f.append('file', new Blob([(await contract()) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'contract.pdf');
    f.append('nik', '3171000000000001');
    f.append('passphrase', 'Sandbox#2024');
    f.append('reason', 'Menyetujui');
    const out = await api.call('/api/bsre/signatures', { method: 'POST', body: f });
    assert.equal(out.status, 201, JSON.stringify(out.body));
    documentId = out.body.document.id;
    signed = (await api.get(`/api/documents/${documentId}`)).body as Uint8Array;
  });
  after(() => {
    kit?.close();
    if (kit) rmSync(kit.dataDir, { recursive: true, force: true });
  });

  it('a sandbox-signed PDF: locally valid and trusted, with its level and signing time; BSrE agrees, no disagreement', async () => {
    const res = await api.postForm('/api/verify', { documentId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { local, provider, providerError, disagreements } = described(res.body);
    assert.equal(local.status, 'signed');
    assert.equal(local.signatures.length, 1);
    const [s] = local.signatures;
    assert.equal(s!.verdict, 'valid', s!.problems.join(', '));
    assert.equal(s!.integrity, 'intact');
    assert.equal(s!.coversWholeFile, true);
    assert.deepEqual(s!.trust, { status: 'trusted', reason: 'CHAIN_TO_TRUSTED_ROOT' });
    assert.equal(s!.signer?.subject.commonName, 'Budi Santoso');
    assert.equal(s!.reason, 'Menyetujui');
    // The sandbox signs PAdES B-B (no timestamp): the level says so, and the long-term validation says what is missing.
    assert.equal(s!.level, s!.timestamp ? 'B-T' : 'B-B');
    assert.ok(s!.ltv?.missing.includes('timestamp') !== !!s!.timestamp, JSON.stringify(s!.ltv));
    assert.ok(s!.signingTime.cms ?? s!.signingTime.dictionary, 'a signing time');
    assert.ok(!Number.isNaN(Date.parse((s!.signingTime.cms ?? s!.signingTime.dictionary)!)));
    // The certificate travels as base64 DER: the same certificate its fingerprint names.
    const der = Buffer.from(s!.signer!.der, 'base64');
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(der).digest('hex'), s!.signer!.fingerprint.toLowerCase());

    assert.equal(providerError, undefined);
    assert.equal(provider?.conclusion, 'valid');
    assert.equal(provider?.signatures[0]?.signer, 'Budi Santoso');
    assert.deepEqual(disagreements, []);
  });

  it('a tampered copy: locally invalid (digest mismatch), and BSrE says invalid beside it', async () => {
    const res = await api.postForm('/api/verify', { file: new Blob([tampered(signed) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { local, provider, disagreements } = described(res.body);
    assert.equal(local.signatures[0]?.verdict, 'invalid');
    assert.equal(local.signatures[0]?.integrity, 'broken');
    assert.ok(local.signatures[0]?.problems.includes('DIGEST_MISMATCH'), local.signatures[0]?.problems.join(', '));
    assert.equal(provider?.conclusion, 'invalid');
    assert.deepEqual(disagreements, []);
  });

  it('a hostile signed file (150 000 objects in an update, all reached from its trailer): the inspection is stopped at the deadline, /api/health answers meanwhile', async (t) => {
    // Objects nothing refers to are not even parsed (packages/verify/src/changes.ts): these are, each of them, so
    // judging the changes takes seconds of work within the default budget.
    const hostile = signedWithLargeUpdate(signed, 150_000, { referenced: true });
    let done = false;
    const probes: number[] = [];
    const poll = (async () => {
      while (!done) {
        const res = await fetch(`${kit.base}/api/health`);
        probes.push(res.status);
        await res.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const res = await api.postForm('/api/verify', { file: new Blob([hostile as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), localOnly: 'true' });
    done = true;
    await poll;
    t.diagnostic(
      `answered ${res.status} ${res.status === 200 ? res.body.local.error?.code : res.body.error?.code}; health answered ${probes.length} probes meanwhile`,
    );
    // The intake reads it within its deadline on a quiet machine, then the inspection's deadline ends it (200,
    // TOO_COMPLEX) — or, on a fast machine, it finishes: the update is a modification, or the budget ran out
    // (unknown). On a loaded machine the intake's deadline may come first (413). Never a 500, never "valid".
    if (res.status === 413) assert.equal(res.body.error.code, 'pdf-time-budget');
    else {
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
      const { local, provider, disagreements } = described(res.body);
      if (local.error) {
        assert.equal(local.error.code, 'TOO_COMPLEX', JSON.stringify(local).slice(0, 300));
        assert.deepEqual(local.signatures, []);
      } else {
        assert.ok(['modified-after-signing', 'unknown'].includes(local.signatures[0]!.verdict), JSON.stringify(local.signatures[0]).slice(0, 300));
      }
      assert.equal(provider, undefined);
      assert.deepEqual(disagreements, []);
    }
    assert.ok(probes.length >= 3, `health was probed ${probes.length} times`);
    assert.ok(
      probes.every((status) => status === 200),
      `health answered ${probes.join(', ')}`,
    );
    // The server is not left behind: the signed file verifies again at once.
    assert.equal((await api.postForm('/api/verify', { documentId, localOnly: 'true' })).body.local.signatures[0].verdict, 'valid');
  });
});

describe("POST /api/verify, live, BSrE v2 mocked, TRUSTED_ROOTS = pyHanko's test root", { timeout: 120000 }, () => {
  const msw = mockProviders();
  const h = useServer({ TRUSTED_ROOTS: join(CORPUS, 'roots/pyhanko.pem') });
  let calls = 0;
  const bsreSays = (body: Record<string, unknown>, status = 200) =>
    msw.use(
      http.post('https://bsre.test/api/v2/verify/pdf', () => {
        calls += 1;
        return HttpResponse.json(body, { status });
      }),
    );
  const alice = {
    conclusion: 'VALID',
    description: 'Dokumen valid',
    signatureCount: 2,
    signatureInformations: [
      { fieldName: 'Sig1', signerName: 'Alice', integrityValid: true, certificateTrusted: true },
      { fieldName: 'SigTS', signerName: 'Time Stamping Authority', integrityValid: true, certificateTrusted: true },
    ],
  };
  const verify = async (fields: Parameters<typeof form>[0]) => {
    const res = await fetch(`${h.s.base}/api/verify`, { method: 'POST', headers: h.s.auth(), body: form(fields) });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) };
  };

  it(`a PAdES-LTA file from pyHanko: the local verdict is what truth.json says, with level, timestamps and revocation data`, async () => {
    bsreSays(alice);
    const res = await verify({ file: lta() });
    assert.equal(res.status, 200, res.text.slice(0, 500));
    const { local, provider } = described(res.body);
    assert.equal(local.status, 'signed');
    assert.equal(local.signatures.length, ltaTruth.signatures.length);
    for (const [i, t] of ltaTruth.signatures.entries()) {
      const s = local.signatures[i]!;
      const where = `${t.field}`;
      assert.equal(s.fieldName, t.field, where);
      assert.equal(s.kind, t.kind === 'doc-timestamp' ? 'document-timestamp' : 'signature', where);
      if (t.signerCN !== null) assert.equal(s.signer?.subject.commonName, t.signerCN, where);
      if (t.intact === true) assert.equal(s.integrity, 'intact', `${where}: ${s.problems.join(', ')}`);
      if (t.coversRevision !== null) assert.equal(s.coversRevision, t.coversRevision, where);
      if (t.laterChangesAllowed !== null) assert.equal(s.changesAllowed, t.laterChangesAllowed, where);
      if (t.intact && t.coversRevision && t.laterChangesAllowed)
        assert.ok(!['invalid', 'modified-after-signing'].includes(s.verdict), `${where}: ${s.verdict} ${s.problems.join(', ')}`);
    }
    const [signature, stamp] = local.signatures;
    // The signature is PAdES B-LTA: a signature timestamp, the /DSS's revocation data, a document timestamp over them.
    assert.equal(signature!.level, 'B-LTA');
    assert.ok(signature!.timestamp && !Number.isNaN(Date.parse(signature!.timestamp.time)));
    assert.equal(signature!.ltv?.longTerm, true, JSON.stringify(signature!.ltv?.missing));
    assert.ok(
      signature!.ltv!.chain.some((c) => c.status === 'good'),
      'revocation data matched to the chain',
    );
    assert.equal(stamp!.timestamp?.imprintMatches, true);
    // The chain reaches the configured root (TRUSTED_ROOTS), which /api/trust/roots lists too.
    assert.ok(signature!.chain.length > 0);
    assert.equal(provider?.conclusion, 'valid');
  });

  it('a tampered copy of it: locally invalid, with BSrE\'s (here mistaken) "valid" beside it as a disagreement on integrity', async () => {
    bsreSays(alice);
    const res = await verify({ file: tampered(lta()) });
    assert.equal(res.status, 200, res.text.slice(0, 500));
    const { local, provider, disagreements } = described(res.body);
    assert.equal(local.signatures[0]?.verdict, 'invalid');
    assert.equal(local.signatures[0]?.integrity, 'broken');
    assert.equal(provider?.conclusion, 'valid');
    const onFirst = disagreements.find((d) => d.kind === 'verdict' && d.index === 0);
    assert.deepEqual(onFirst, { kind: 'verdict', index: 0, field: 'Sig1', providerIndex: 0, local: 'invalid', provider: 'valid', facts: ['integrity'] });
  });

  it("BSrE failing: the local inspection is answered all the same, with the provider's error (its code and words) beside it", async () => {
    bsreSays({ message: 'Sistem sedang dalam pemeliharaan' }, 503);
    const res = await verify({ file: lta() });
    assert.equal(res.status, 200, res.text.slice(0, 500));
    const { local, provider, providerError, disagreements } = described(res.body);
    assert.equal(provider, undefined);
    assert.ok(providerError && providerError.status >= 500, JSON.stringify(providerError));
    assert.match(providerError!.code, /^provider-/);
    assert.equal(local.signatures.length, 2);
    assert.deepEqual(disagreements, []);
  });

  it('localOnly: the file is not sent to BSrE', async () => {
    bsreSays(alice);
    const before = calls;
    const res = await verify({ file: lta(), localOnly: 'true' });
    assert.equal(res.status, 200);
    const answer = described(res.body);
    assert.equal(calls, before);
    assert.equal(answer.provider, undefined);
    assert.equal(answer.providerError, undefined);
    assert.equal(answer.local.signatures.length, 2);
  });

  it('no secret in the answer: not the PDF password, not a credential of the configuration', async () => {
    bsreSays({ ...alice, description: `echo ${ENV.BSRE_PASSWORD}` });
    const res = await verify({ file: lta(), password: 'pdf-password-UNIQUE-2b7e' });
    assert.equal(res.status, 200);
    for (const secret of [
      'pdf-password-UNIQUE-2b7e',
      ENV.BSRE_PASSWORD!,
      ENV.PORTAL_SECRET!,
      ENV.PERURI_API_KEY!,
      ENV.DIGISIGN_TOKEN!,
      ENV.DIGISIGN_AES_KEY!,
    ]) {
      assert.ok(!res.text.includes(secret), `the answer holds ${secret}`);
    }
  });

  it('Peruri and Digisign offer no verification: 400 on provider; a file that is not a PDF: 400, before any inspection', async () => {
    const peruri = await verify({ file: lta(), provider: 'peruri' });
    assert.equal(peruri.status, 400);
    assert.equal(peruri.body.error.field, 'provider');
    const notPdf = await verify({ file: new TextEncoder().encode('nope') });
    assert.equal(notPdf.status, 400);
    assert.equal(notPdf.body.error.code, 'invalid-pdf');
  });

  it('GET /api/openapi.json describes the answer: local, provider, providerError, disagreements', async () => {
    const res = await fetch(`${h.s.base}/api/openapi.json`, { headers: h.s.auth() });
    const doc = (await res.json()) as any;
    const answer = doc.paths['/api/verify'].post.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(answer.properties).sort(), ['disagreements', 'local', 'provider', 'providerError']);
    assert.ok(doc.components.schemas.LocalInspection, 'LocalInspection is a component');
    assert.ok(doc.components.schemas.LocalSignature.properties.level, 'the level is described');
  });
});

describe('the intake pool inspects signatures within its limits (server/src/pdf/intake-pool.ts)', { timeout: 60000 }, () => {
  const pool = new PdfIntakePool({ threads: 1, queue: 2, heapMb: 160 });
  after(() => pool.close());

  it('answers the report as JSON; a file past its work budget is TOO_COMPLEX, one past its deadline ends its worker; the pool goes on', async () => {
    const ok = await pool.inspect(lta(), { trustedRoots: [] });
    assert.ok(ok.ok);
    assert.equal(ok.report.signatures.length, 2);
    assert.equal(typeof ok.report.signatures[0]!.signer?.notBefore, 'string', 'dates as ISO 8601 text');

    const hostile = signedWithLargeUpdate(new Uint8Array(readFileSync(join(CORPUS, 'files/pdfjs/test__pdfs__signed_verified.pdf'))), 150_000, {
      referenced: true,
    });
    // Past its deadline: busy inside one step (opening its 150 000 entries), the worker is ended (the route answers
    // it as TOO_COMPLEX); between steps, the inspection stops itself at its next unit of work. Which one comes
    // first depends on the machine's load.
    const late = await pool.inspect(hostile, { trustedRoots: [] }, { timeoutMs: 300 });
    if (late.ok) assert.deepEqual(late.report.error, { code: 'TOO_COMPLEX', message: 'Inspecting the signatures takes longer than allowed (300 ms).' });
    else assert.deepEqual(late, { ok: false, code: 'pdf-time-budget', message: 'Reading the PDF takes longer than allowed (300 ms).', limit: 300 });

    const budget = await pool.inspect(lta(), { trustedRoots: [], workBudget: 500 });
    assert.ok(budget.ok);
    assert.equal(budget.report.error?.code, 'TOO_COMPLEX');

    const again = await pool.inspect(lta(), { trustedRoots: [] });
    assert.ok(again.ok && again.report.signatures.length === 2);
  });
});
