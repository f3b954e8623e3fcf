// `npm audit --omit=dev`: no high or critical advisory in what the kit ships (the server's and the packages'
// runtime dependencies). It needs the registry's audit endpoint; where that cannot be reached (no network, a
// registry mirror without the endpoint, a timeout) the test is skipped with the reason, never passed blind.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const TIMEOUT_MS = 60_000;

interface AuditReport {
  auditReportVersion?: number;
  vulnerabilities?: Record<string, { name: string; severity: string; via: unknown[]; range?: string; fixAvailable?: unknown }>;
  metadata?: { vulnerabilities?: Record<'info' | 'low' | 'moderate' | 'high' | 'critical' | 'total', number> };
  /** npm's own failure (for instance the audit endpoint's HTTP error). */
  error?: { code?: string; summary?: string; detail?: string };
  message?: string;
  statusCode?: number;
}

function runAudit(): Promise<{ stdout: string; stderr: string; timedOut: boolean; error?: Error }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { cwd: root, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_fund: 'false', npm_config_update_notifier: 'false' } },
      (error, stdout, stderr) => {
        // npm audit exits 1 when it finds advisories: the JSON decides, not the exit code.
        const timedOut = !!error && (error as NodeJS.ErrnoException & { killed?: boolean }).killed === true;
        resolve({ stdout, stderr, timedOut, ...(error ? { error } : {}) });
      },
    );
  });
}

describe('npm audit --omit=dev', { timeout: TIMEOUT_MS + 10_000 }, () => {
  it('finds no high or critical advisory in the runtime dependencies', async (t) => {
    const { stdout, stderr, timedOut, error } = await runAudit();
    if (timedOut) return t.skip(`the registry's audit endpoint did not answer within ${TIMEOUT_MS / 1000} s`);
    let report: AuditReport;
    try {
      report = JSON.parse(stdout) as AuditReport;
    } catch {
      const why = stderr.split('\n').find((l) => /npm (error|ERR)/.test(l)) ?? error?.message ?? 'no JSON report';
      return t.skip(`npm audit could not run: ${why.trim()}`);
    }
    const counts = report.metadata?.vulnerabilities;
    if (!counts) {
      // No report: npm could not reach the audit endpoint (offline, a mirror that lacks it: HTTP 404/405…).
      const why = report.message ?? report.error?.summary ?? report.error?.code ?? stderr.trim().split('\n').pop() ?? 'unknown error';
      return t.skip(`the registry's audit endpoint is unreachable: ${why}`);
    }
    const serious = Object.values(report.vulnerabilities ?? {}).filter((v) => v.severity === 'high' || v.severity === 'critical');
    assert.deepEqual(
      serious.map((v) => `${v.name} (${v.severity}${v.range ? `, ${v.range}` : ''})`),
      [],
      'high or critical advisories in runtime dependencies (npm audit --omit=dev)',
    );
    assert.equal(counts.high + counts.critical, 0);
  });
});
