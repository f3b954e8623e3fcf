// Load, bounded and on loopback only: 200 sign flows across BSrE, Peruri and Digisign, 32 at a time, through
// the companion server (a child process running server/src/main.ts, so that its memory is its own) against
// the sandbox providers (in this process). Every flow must answer 2xx, every signed document must be stored
// exactly once with the checksum it was announced with, pdfsig must find every one valid, total and trusted,
// and the companion's heap must come back to its baseline after a full collection. Figures are printed, not
// timed: performance is the benchmark's business (npm run bench).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  apiClient,
  auditStore,
  BSRE_SIGNERS,
  bsreSign,
  companionEnv,
  contract,
  DIGISIGN_SIGNERS,
  digisignFlow,
  freePort,
  PERURI_SIGNERS,
  peruriFlow,
  pool,
  portalToken,
  sleep,
  spawnCompanion,
  startSandboxHost,
  trustSandboxRoot,
  verifyWithPdfsig,
  type ApiResponse,
  type ChildCompanion,
  type SandboxHost,
} from '../support/flows.js';

const FLOWS = 200;
const PARALLEL = 32;
const MB = 2 ** 20;
/** The heap may keep this much more than at the start after a full collection (caches, JIT code, pools). */
const HEAP_SLACK = 40 * MB;

interface Planned {
  kind: 'bsre' | 'peruri' | 'digisign';
  /** Common names pdfsig must find, in signing order. */
  signers: string[];
  run: () => Promise<ApiResponse>;
}

describe('load: 200 sign flows, 32 in parallel, through the companion server (child process)', { timeout: 300_000 }, () => {
  let sandbox: SandboxHost;
  let companion: ChildCompanion;
  let nssDir: string;
  const work = mkdtempSync(join(tmpdir(), 'esign-load-'));
  const dataDir = join(work, 'data');

  before(async () => {
    sandbox = await startSandboxHost();
    const port = await freePort();
    sandbox.setRedirect(`http://127.0.0.1:${port}/callback/digisign`);
    companion = await spawnCompanion(companionEnv({ port, dataDir, providers: sandbox.origin, sandbox, logLevel: 'warn' }), { gc: true });
    nssDir = await trustSandboxRoot(sandbox.context, join(work, 'nss'));
  });
  after(async () => {
    await companion?.stop();
    await sandbox?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('every flow answers 2xx; every document is stored once, pdfsig-valid; memory returns to its baseline', async (t) => {
    const pdf = await contract('Perjanjian beban (uji)');
    const plan = (api: ReturnType<typeof apiClient>, i: number): Planned => {
      const kind = (['bsre', 'peruri', 'digisign'] as const)[i % 3]!;
      const n = Math.floor(i / 3);
      if (kind === 'bsre') {
        const signer = BSRE_SIGNERS[n % BSRE_SIGNERS.length]!;
        return { kind, signers: [signer.name], run: () => bsreSign(api, { pdf, nik: signer.nik }) };
      }
      if (kind === 'peruri') {
        const signer = PERURI_SIGNERS[n % PERURI_SIGNERS.length]!;
        return { kind, signers: [signer.name], run: async () => (await peruriFlow(api, sandbox.url, { pdf, email: signer.email })).signed };
      }
      // One signer, the other, or both (two signatures in one document).
      const signers = n % 3 === 2 ? [...DIGISIGN_SIGNERS] : [DIGISIGN_SIGNERS[n % 3]!];
      return { kind, signers: signers.map((s) => s.name), run: async () => (await digisignFlow(api, sandbox.url, { pdf, signers })).downloaded };
    };

    // Warm-up (one flow of each kind, another portal user), then the baseline after full collections.
    const warm = apiClient(companion.base, portalToken('warm-up'));
    for (let i = 0; i < 3; i++) {
      const res = await plan(warm, i).run();
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const baseline = await companion.memory();
    const rssBefore = companion.status().rss;

    // 32 portal users signing at once, as a portal's users do: one user's share of the PDF intake is capped
    // (server/src/pdf/intake-pool.ts), so that one user cannot hold every place.
    const users = Array.from({ length: PARALLEL }, (_, u) => apiClient(companion.base, portalToken(`load-${u}`)));
    const plans = Array.from({ length: FLOWS }, (_, i) => plan(users[i % PARALLEL]!, i));
    const started = performance.now();
    const results = await pool(plans, PARALLEL, async (p) => {
      try {
        const res = await p.run();
        return { res, error: undefined };
      } catch (error) {
        return { res: undefined, error: error as Error };
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const peakRss = companion.status().hwm;

    const failures = results.flatMap((r, i) =>
      r.error
        ? [`#${i} ${plans[i]!.kind}: ${r.error.message}`]
        : r.res!.status < 200 || r.res!.status >= 300
          ? [`#${i} ${plans[i]!.kind}: HTTP ${r.res!.status} ${JSON.stringify(r.res!.body)}`]
          : [],
    );
    assert.deepEqual(failures, [], `${failures.length} flows failed`);

    // Stored exactly once, with the checksum each answer announced.
    const announced = results.map((r) => r.res!.body.document as { id: string; sha256: string });
    assert.equal(new Set(announced.map((d) => d.id)).size, FLOWS, 'two flows were answered with the same document');
    // A write still in flight (reconciliation stores in the background, e.g. a Digisign order whose signers all
    // signed) has its PDF there without its record for a moment: a leftover is one that stays.
    let audit = auditStore(dataDir);
    for (let waited = 0; audit.leftovers.length && waited < 10_000; waited += 100) {
      await sleep(100);
      audit = auditStore(dataDir);
    }
    assert.deepEqual(audit.leftovers, []);
    const mine = audit.documents.filter((d) => d.meta.owner.startsWith('load-'));
    assert.equal(mine.length, FLOWS, `${mine.length} documents stored for ${FLOWS} flows`);
    const byId = new Map(mine.map((d) => [d.id, d]));
    for (const d of announced) {
      const stored = byId.get(d.id);
      assert.ok(stored, `document ${d.id} was announced but is not stored`);
      assert.equal(stored.meta.sha256, d.sha256);
      assert.equal(stored.fileSha256, d.sha256, `document ${d.id} does not match its checksum on disk`);
    }
    const refs = mine.filter((d) => d.meta.providerRef !== undefined).map((d) => `${d.meta.source}:${d.meta.providerRef}`);
    assert.equal(new Set(refs).size, refs.length, 'a provider document was stored twice');

    // pdfsig on every one: valid, trusted, the whole file signed, by the expected signers.
    const problems: string[] = [];
    await pool(announced, 4, async (d, i) => {
      const report = await verifyWithPdfsig(join(dataDir, 'documents', `${d.id}.pdf`), nssDir);
      const expected = plans[i]!.signers;
      const names = report.signatures.map((s) => s.commonName);
      const bad = report.signatures.filter((s) => !/Signature is Valid/.test(s.validation) || !/Certificate is Trusted/.test(s.certificate));
      if (bad.length || JSON.stringify(names) !== JSON.stringify(expected) || !report.signatures.at(-1)?.total) {
        problems.push(`#${i} ${plans[i]!.kind} ${d.id}: ${JSON.stringify(report.signatures)}`);
      }
    });
    assert.deepEqual(problems, []);

    // Memory: back to the baseline once the flows are over.
    const end = await companion.memory();
    const mb = (n: number) => (n / MB).toFixed(1);
    t.diagnostic(
      `load: ${FLOWS} flows (${PARALLEL} in parallel) in ${seconds.toFixed(1)} s = ${(FLOWS / seconds).toFixed(1)} flows/s; ` +
        `companion heap ${mb(baseline.heapUsed)} → ${mb(end.heapUsed)} MB, arrayBuffers ${mb(baseline.arrayBuffers)} → ${mb(end.arrayBuffers)} MB, ` +
        `RSS ${mb(rssBefore)} MB before, peak ${mb(peakRss)} MB, ${mb(companion.status().rss)} MB after`,
    );
    assert.ok(end.heapUsed <= baseline.heapUsed + HEAP_SLACK, `heap ${mb(end.heapUsed)} MB after, ${mb(baseline.heapUsed)} MB before`);
    assert.ok(end.arrayBuffers <= baseline.arrayBuffers + 16 * MB, `arrayBuffers ${mb(end.arrayBuffers)} MB after, ${mb(baseline.arrayBuffers)} MB before`);
  });
});
