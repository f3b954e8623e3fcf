// Three companion instances (child processes running server/src/main.ts) on one PostgreSQL database, behind a
// small round-robin load balancer on loopback, against the sandbox providers behind a logging proxy (the record
// of what reached a provider). Flows of the three providers run 32 at a time — each step of a flow through
// whichever instance the balancer picks, so an OTP is requested through one and used through another — while
// one instance is killed with SIGKILL and restarted. Then: every acknowledged document is stored once, with the
// checksum it was announced with, and pdfsig finds it valid and trusted; no signing reached a provider twice.
//
// 200 flows, as issue #17 asks (about a minute on 2 cores).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  apiClient,
  BSRE_SIGNERS,
  companionEnv,
  contract,
  DIGISIGN_SIGNERS,
  digisignFlow,
  expectStatus,
  freePort,
  latestCode,
  PERURI_SIGNERS,
  peruriFlow,
  peruriSend,
  peruriSign,
  pool,
  portalToken,
  sha256,
  sleep,
  spawnCompanion,
  startSandboxHost,
  trustSandboxRoot,
  verifyWithPdfsig,
  type ApiResponse,
  type ChildCompanion,
  type SandboxHost,
} from '../../../test/node/support/flows.js';
import { startFaultProxy, type FaultProxy } from '../../../test/node/support/fault-proxy.js';
import { freshDatabase, testDatabase } from '../../../test/node/support/postgres.js';

const database = testDatabase();
const FLOWS = 200;
const PARALLEL = 32;

/**
 * Round-robin over `backends()`, as a load balancer with connect-failure retry does: a request an instance
 * refused to connect never reached it and goes to the next; one cut after it was sent is answered 502.
 */
async function roundRobin(backends: () => string[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const list = backends();
    for (let tried = 0; tried < list.length; tried++) {
      const target = new URL(list[next++ % list.length]!);
      const outcome = await new Promise<'refused' | 'done'>((resolve) => {
        const out = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host, 'content-length': String(body.byteLength) },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => resolve('done'));
            answer.on('error', () => {
              res.destroy();
              resolve('done');
            });
          },
        );
        out.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'ECONNREFUSED') return resolve('refused');
          if (!res.headersSent)
            res
              .writeHead(502, { 'content-type': 'application/json' })
              .end(JSON.stringify({ error: { code: 'bad-gateway', message: `instance lost: ${err.code}` } }));
          else res.destroy();
          resolve('done');
        });
        out.end(body);
      });
      if (outcome === 'done') return;
    }
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'no-instance', message: 'no instance answers' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('three instances on one PostgreSQL behind a round-robin balancer, one killed mid-load', { skip: database.skip, timeout: 600_000 }, () => {
  let sandbox: SandboxHost;
  let proxy: FaultProxy;
  let lb: { url: string; server: Server };
  let admin: pg.Pool;
  let drop: () => Promise<void>;
  const envs: Record<string, string>[] = [];
  const instances: (ChildCompanion | undefined)[] = [];
  const work = mkdtempSync(join(tmpdir(), 'esign-instances-'));

  before(async () => {
    sandbox = await startSandboxHost();
    proxy = await startFaultProxy(sandbox.origin);
    const db = await freshDatabase(database.url!);
    drop = db.drop;
    admin = new pg.Pool({ connectionString: db.url, max: 2 });
    lb = await roundRobin(() => instances.filter((c): c is ChildCompanion => c !== undefined).map((c) => c.base));
    sandbox.setRedirect(`${lb.url}/callback/digisign`);
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const env = companionEnv({
        port,
        dataDir: join(work, `data-${i}`),
        providers: proxy.url,
        sandbox,
        logLevel: 'warn',
        extra: { DATABASE_URL: db.url, PUBLIC_URL: lb.url, PORTAL_ORIGINS: lb.url },
      });
      envs.push(env);
      // One at a time: the first migrates, the others find the schema there.
      instances.push(await spawnCompanion(env));
    }
  });
  after(async () => {
    for (const c of instances) await c?.stop();
    lb?.server.closeAllConnections();
    lb?.server.close();
    await proxy?.close();
    await sandbox?.close();
    await admin?.end();
    await drop?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('an OTP requested through one instance signs through another', async () => {
    const [one, two] = instances.map((c) => apiClient(c!.base, portalToken('cross')));
    const signer = PERURI_SIGNERS[1];
    const orderId = expectStatus(await peruriSend(one!, { pdf: await contract(), email: signer.email }), 201, 'send through instance 1').body.orderId as string;
    expectStatus(await one!.postJson(`/api/peruri/documents/${orderId}/otp`), 201, 'OTP through instance 1');
    const code = await latestCode(sandbox.url, 'peruri', signer.email);
    const signed = expectStatus(await peruriSign(two!, orderId, code), 201, 'sign through instance 2');
    assert.ok(signed.body.document?.id, JSON.stringify(signed.body));
  });

  it(`${FLOWS} flows, ${PARALLEL} at a time, one instance killed and restarted: acknowledged documents stored once and valid, no signing sent twice`, async () => {
    const pdf = await contract('Perjanjian tiga instans (uji)');
    const api = apiClient(lb.url, portalToken('instances'));
    const calls = () => ({
      bsre: proxy.count('/api/v2/sign/pdf', 'POST'),
      peruri: proxy.count('/1.0/signing/v1', 'POST'),
      digisign: proxy.count('/SendDocMitraAT.html', 'POST'),
    });
    const callsBefore = calls();
    const kinds = ['bsre', 'peruri', 'digisign'] as const;
    const plans = Array.from({ length: FLOWS }, (_, i) => {
      const kind = kinds[i % 3]!;
      const n = Math.floor(i / 3);
      if (kind === 'bsre') {
        const signer = BSRE_SIGNERS[n % BSRE_SIGNERS.length]!;
        const run = () =>
          api.call('/api/bsre/signatures', {
            method: 'POST',
            headers: { 'Idempotency-Key': `flow-${i}` },
            body: (() => {
              const form = new FormData();
              form.append('nik', signer.nik);
              form.append('passphrase', 'Sandbox#2024');
              form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'contract.pdf');
              return form;
            })(),
          });
        return { kind, signers: [signer.name], run };
      }
      if (kind === 'peruri') {
        const signer = PERURI_SIGNERS[n % PERURI_SIGNERS.length]!;
        return { kind, signers: [signer.name], run: async () => (await peruriFlow(api, sandbox.url, { pdf, email: signer.email })).signed };
      }
      const signer = DIGISIGN_SIGNERS[n % DIGISIGN_SIGNERS.length]!;
      return { kind, signers: [signer.name], run: async () => (await digisignFlow(api, sandbox.url, { pdf, signers: [signer] })).downloaded };
    });

    let finished = 0;
    let killedAt = -1;
    // Once a third of the flows are done, instance 2 dies (kill -9) with requests in flight, and comes back.
    const chaos = (async () => {
      while (finished < FLOWS / 3) await sleep(50);
      killedAt = finished;
      const victim = instances[1]!;
      instances[1] = undefined;
      await victim.crash();
      await sleep(500);
      instances[1] = await spawnCompanion(envs[1]!);
    })();
    const results = await pool(plans, PARALLEL, async (p) => {
      try {
        const res: ApiResponse = await p.run();
        return { res, error: undefined as string | undefined };
      } catch (error) {
        return { res: undefined, error: (error as Error).message };
      } finally {
        finished++;
      }
    });
    await chaos;

    const acknowledged = results.flatMap((r, i) =>
      r.res && r.res.status >= 200 && r.res.status < 300 && r.res.body.document ? [{ i, document: r.res.body.document as { id: string; sha256: string } }] : [],
    );
    const failures = results.flatMap((r, i) =>
      r.error
        ? [`#${i} ${plans[i]!.kind}: ${r.error}`]
        : r.res!.status >= 300
          ? [`#${i} ${plans[i]!.kind}: HTTP ${r.res!.status} ${JSON.stringify(r.res!.body)}`]
          : [],
    );
    console.log(`instances: ${acknowledged.length}/${FLOWS} flows acknowledged; instance 2 killed after ${killedAt}; ${failures.length} lost with it`);
    assert.ok(killedAt > 0, 'the instance was killed during the load');
    // Only requests in flight on the killed instance may fail: the balancer's 502 for them, nothing else.
    for (const f of failures) assert.match(f, /502|instance lost|bad-gateway/, f);
    assert.ok(acknowledged.length >= FLOWS - PARALLEL, `${acknowledged.length} acknowledged`);

    // Stored once: one row per acknowledged id, with its checksum; no provider document stored twice.
    assert.equal(new Set(acknowledged.map((a) => a.document.id)).size, acknowledged.length, 'two flows were answered with the same document');
    const { rows } = await admin.query<{ id: string; sha256: string; source: string; provider_ref: string | null }>(
      'SELECT id, sha256, source, provider_ref FROM esign_documents WHERE stored_at IS NOT NULL AND owner = (SELECT owner FROM esign_documents WHERE id = $1)',
      [acknowledged[0]!.document.id],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const { document } of acknowledged) assert.equal(byId.get(document.id)?.sha256, document.sha256, `document ${document.id} stored with its checksum`);
    const refs = rows.filter((r) => r.provider_ref !== null).map((r) => `${r.source}:${r.provider_ref}`);
    assert.equal(new Set(refs).size, refs.length, 'a provider document was stored twice');
    const unfinished = await admin.query("SELECT id FROM esign_documents WHERE stored_at IS NULL AND created_at < now() - interval '1 hour'");
    assert.equal(unfinished.rowCount, 0);

    // No signing sent twice: each flow signs at most once at its provider.
    const sent = calls();
    for (const kind of kinds) {
      const flows = plans.filter((p) => p.kind === kind).length;
      assert.ok(sent[kind] - callsBefore[kind] <= flows, `${kind}: ${sent[kind] - callsBefore[kind]} signings for ${flows} flows`);
    }

    // pdfsig on every acknowledged document, read back through the balancer (any instance).
    const nssDir = await trustSandboxRoot(sandbox.context, join(work, 'nss'));
    const problems: string[] = [];
    await pool(acknowledged, 4, async ({ i, document }) => {
      const got = await api.get(`/api/documents/${document.id}`);
      if (got.status !== 200 || sha256(got.body as Uint8Array) !== document.sha256) {
        problems.push(`#${i} ${document.id}: HTTP ${got.status}`);
        return;
      }
      const file = join(work, `${document.id}.pdf`);
      writeFileSync(file, got.body as Uint8Array);
      const report = await verifyWithPdfsig(file, nssDir);
      const names = report.signatures.map((s) => s.commonName);
      const bad = report.signatures.filter((s) => !/Signature is Valid/.test(s.validation) || !/Certificate is Trusted/.test(s.certificate));
      if (bad.length || JSON.stringify(names) !== JSON.stringify(plans[i]!.signers))
        problems.push(`#${i} ${plans[i]!.kind} ${document.id}: ${JSON.stringify(report.signatures)}`);
    });
    assert.deepEqual(problems, []);
  });
});
