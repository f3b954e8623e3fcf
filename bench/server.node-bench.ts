// Server benchmark (npm run bench; runs in Node): the companion server (server/src/main.ts, a child process)
// signing through BSrE v2 against the sandbox provider (another child process, so that neither's work or
// memory is counted in the other), from this process as the clients.
// - Throughput at 1, 8 and 32 concurrent clients, in signed documents per second: POST /api/bsre/signatures
//   through the companion (upload, checks, the provider call, the durable store, the answer) against the same
//   signing asked of the sandbox's BSrE v2 route directly, in the same run; the ratio is the companion's cost.
// - Peak RSS of the companion while it signs one 50 MB PDF through BSrE v2 (base64 in JSON both ways),
//   beyond its resident size just before, as a multiple of the file size (VmHWM, reset before the request);
//   the median of 3 fresh companion processes (the first large request of a process is the one that counts:
//   later ones reuse pages the allocator kept).
// Prints one JSON line last. With --provider, this file is the sandbox provider's process.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import {
  apiClient,
  BSRE_SIGNERS,
  bsreSign,
  companionEnv,
  contract,
  freePort,
  PASSPHRASE,
  portalToken,
  ROOT,
  SANDBOX_CREDENTIALS,
  sleep,
  spawnCompanion,
  startSandboxHost,
  type ChildCompanion,
} from '../test/node/support/flows.js';

const MB = 2 ** 20;
const LEVELS = [1, 8, 32];
const ROUND_MS = 3000;
const ROUNDS = 2;
const BIG_RUNS = 3;

if (process.argv.includes('--provider')) {
  // The sandbox providers, alone in this process; they live as long as the benchmark does.
  const host = await startSandboxHost();
  process.send!({ origin: host.origin, webUrl: host.webUrl });
  process.on('disconnect', () => {
    void host.close().finally(() => {
      rmSync(host.dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
} else {
  await bench();
}

async function startProvider(): Promise<{ origin: string; webUrl: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'bench/server.node-bench.ts', '--provider'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const where = await new Promise<{ origin: string; webUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { origin: string; webUrl: string }));
    child.once('exit', (code) => reject(new Error(`the sandbox provider exited (${code})`)));
  });
  return { ...where, stop: () => child.disconnect() };
}

/** Runs `once` from `clients` concurrent loops for `ms`; completed documents (every answer must be a success). */
async function drive(clients: number, ms: number, once: () => Promise<void>): Promise<{ docs: number; ms: number }> {
  let docs = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        await once();
        docs++;
      }
    }),
  );
  return { docs, ms: performance.now() - t0 };
}

async function bigPdf(bytes: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('Lampiran besar (50 MB)', { x: 60, y: 780, size: 14 });
  // Incompressible bytes in an image-like stream: a realistic scanned-document size.
  const payload = doc.context.stream(randomBytes(bytes - 4096), { Type: 'XObject', Subtype: 'Image', Width: 1, Height: 1, ColorSpace: 'DeviceGray', BitsPerComponent: 8 });
  page.node.setXObject(PDFName.of('Big'), doc.context.register(payload));
  return doc.save({ useObjectStreams: false });
}

async function peakDuring(companion: ChildCompanion, run: () => Promise<void>): Promise<{ before: number; peak: number; ms: number; method: string }> {
  await companion.memory(); // full collections first
  const before = companion.status().rss;
  const reset = companion.resetPeak();
  let sampled = before;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, companion.status().rss);
  }, 5);
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  clearInterval(timer);
  const peak = reset ? Math.max(companion.status().hwm, sampled) : Math.max(sampled, companion.status().rss);
  return { before, peak, ms, method: reset ? 'VmHWM' : 'VmRSS sampled every 5 ms' };
}

async function bench() {
  const provider = await startProvider();
  const work = mkdtempSync(join(tmpdir(), 'esign-bench-server-'));
  const basic = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.bsreUsername}:${SANDBOX_CREDENTIALS.bsrePassword}`).toString('base64')}`;
  const signer = BSRE_SIGNERS[0];
  const small = await contract('Perjanjian (bench)');
  /** A companion of its own (a fresh process, its own data directory) against the provider process. */
  const companionOf = async (name: string) => {
    const port = await freePort();
    const env = companionEnv({ port, dataDir: join(work, name), providers: provider.origin, sandbox: { webUrl: provider.webUrl }, extra: { MAX_PDF_BYTES: String(64 * MB) } });
    const companion = await spawnCompanion(env, { gc: true });
    const api = apiClient(companion.base, portalToken('bench'));
    const through = async () => {
      const res = await bsreSign(api, { pdf: small, nik: signer.nik });
      if (res.status !== 201) throw new Error(`the companion answered ${res.status}: ${JSON.stringify(res.body)}`);
    };
    return { companion, api, through };
  };
  const directBody = JSON.stringify({ nik: signer.nik, passphrase: PASSPHRASE, file: [Buffer.from(small).toString('base64')], signatureProperties: [{ tampilan: 'INVISIBLE' }] });
  const direct = async () => {
    const res = await fetch(`${provider.origin}/sandbox/bsre/api/v2/sign/pdf`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: directBody });
    const out = (await res.json()) as { file?: string[] };
    if (res.status !== 200 || out.file?.length !== 1) throw new Error(`the sandbox answered ${res.status}`);
  };
  const stops: (() => Promise<void>)[] = [];
  try {
    const throughput = [];
    // `--memory-only`: skip the throughput rounds (while working on memory).
    if (!process.argv.includes('--memory-only')) {
      const { companion, through } = await companionOf('throughput');
      stops.push(() => companion.stop());
      // Warm-up: both paths, a few times each.
      for (let i = 0; i < 10; i++) {
        await direct();
        await through();
      }
      for (const clients of LEVELS) {
        const sum = { direct: { docs: 0, ms: 0 }, companion: { docs: 0, ms: 0 } };
        // Alternating rounds, so that a slow moment of the machine falls on both.
        for (let round = 0; round < ROUNDS; round++) {
          for (const [name, fn] of [['direct', direct], ['companion', through]] as const) {
            const r = await drive(clients, ROUND_MS, fn);
            sum[name].docs += r.docs;
            sum[name].ms += r.ms;
            await sleep(200);
          }
        }
        const directRate = (sum.direct.docs * 1000) / sum.direct.ms;
        const companionRate = (sum.companion.docs * 1000) / sum.companion.ms;
        throughput.push({ clients, directDocsPerSec: +directRate.toFixed(1), companionDocsPerSec: +companionRate.toFixed(1), ratio: +(companionRate / directRate).toFixed(2) });
      }
      await companion.stop();
    }

    const big = await bigPdf(50 * MB);
    const runs = [];
    for (let run = 0; run < BIG_RUNS; run++) {
      const { companion, api, through } = await companionOf(`big-${run}`);
      stops.push(() => companion.stop());
      for (let i = 0; i < 5; i++) await through();
      const mem = await peakDuring(companion, async () => {
        const res = await bsreSign(api, { pdf: big, nik: signer.nik });
        if (res.status !== 201) throw new Error(`signing 50 MB: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        if (!(res.body.document.size > big.byteLength)) throw new Error('the signed 50 MB document is smaller than the file');
      });
      runs.push(mem);
      await companion.stop();
    }
    const byGrowth = [...runs].sort((a, b) => a.peak - a.before - (b.peak - b.before));
    const mem = byGrowth[Math.floor(byGrowth.length / 2)]!;
    console.log(
      JSON.stringify({
        smallPdfBytes: small.byteLength,
        roundMs: ROUND_MS,
        rounds: ROUNDS,
        throughput,
        bigPdfBytes: big.byteLength,
        bigSignMs: Math.round(mem.ms),
        companionRssBeforeMB: +(mem.before / MB).toFixed(1),
        companionPeakRssMB: +(mem.peak / MB).toFixed(1),
        peakRssXFile: +((mem.peak - mem.before) / big.byteLength).toFixed(2),
        peakRssXFileRuns: runs.map((r) => +((r.peak - r.before) / big.byteLength).toFixed(2)),
        peakMethod: mem.method,
      }),
    );
  } finally {
    for (const stop of stops) await stop();
    provider.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
