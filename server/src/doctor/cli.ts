// The doctor's command line: `npm run doctor [-- --nik <NIK>] [--timeout <s>] [--max-skew <s>]`, or
// `node --import tsx server/src/main.ts doctor …` in a deployment. Reads the configuration exactly as the
// server does (environment, ESIGN_CONFIG), prints one line per check, exits 1 on any failure.
import { ConfigError, loadConfig } from '../config.js';
import { formatDoctor, runDoctor, type DoctorOptions } from './index.js';

const USAGE = 'usage: doctor [--nik <16-digit NIK of a registered BSrE user>] [--timeout <seconds>] [--max-skew <seconds>]';

export function parseDoctorArgs(argv: readonly string[]): DoctorOptions {
  const options: DoctorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const seconds = () => {
      const n = Number(value);
      if (!value || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a number of seconds.\n${USAGE}`);
      i++;
      return n * 1000;
    };
    if (flag === '--nik') {
      if (!value || !/^\d{16}$/.test(value)) throw new Error(`--nik needs a 16-digit NIK.\n${USAGE}`);
      options.nik = value;
      i++;
    } else if (flag === '--timeout') options.timeoutMs = seconds();
    else if (flag === '--max-skew') options.maxSkewMs = seconds();
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  return options;
}

/** Runs the doctor; resolves with the exit status (0 when no check failed). */
export async function doctorMain(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  write: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  let options: DoctorOptions;
  try {
    options = parseDoctorArgs(argv);
  } catch (e) {
    write(`${(e as Error).message}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      write(`${e.message}\ndoctor: the configuration does not load; nothing was checked\n`);
      return 1;
    }
    throw e;
  }
  write(`esign-kit doctor — ${config.mode} mode, providers: ${Object.keys(config.providers).join(', ') || 'none'}\n`);
  const checks = await runDoctor(config, options);
  write(`${formatDoctor(checks)}\n`);
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
