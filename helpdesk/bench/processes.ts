/**
 * Starts helpdesk processes for the benchmark (`main.ts api` / `main.ts worker`, each its own
 * Node process) and reads their peak memory (VmHWM from /proc: the resident-set high-water mark).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HELPDESK_DIR = fileURLToPath(new URL('../', import.meta.url));

export interface HelpdeskProcess {
  role: 'api' | 'worker';
  child: ChildProcess;
  /** Peak resident memory so far, MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/**
 * Spawns `node --import tsx src/main.ts <role>`.
 * @param env the whole environment of the process (from `benchEnvironment`): nothing else is added.
 * @param helpdeskDir the helpdesk workspace to run (another checkout, for A/B runs); this one by default.
 */
export function startProcess(
  role: 'api' | 'worker',
  env: Record<string, string>,
  helpdeskDir = HELPDESK_DIR,
): HelpdeskProcess {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of each process there (for finding hot spots).
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  // BENCH_NODE_FLAGS (every process), BENCH_API_NODE_FLAGS, BENCH_WORKER_NODE_FLAGS: Node options
  // for the processes, space-separated (e.g. --trace-gc-nvp, to see the collector's pauses in the logs).
  // BENCH_LOG_DIR=<dir> keeps each process's log (its stdout) there as <role>-<pid>.log.
  const logDir = process.env.BENCH_LOG_DIR;
  const child = spawn(
    process.execPath,
    [
      ...profile,
      ...nodeFlags(process.env.BENCH_NODE_FLAGS),
      ...nodeFlags(process.env[role === 'api' ? 'BENCH_API_NODE_FLAGS' : 'BENCH_WORKER_NODE_FLAGS']),
      '--import',
      'tsx',
      'src/main.ts',
      role,
    ],
    {
      cwd: helpdeskDir,
      env,
      stdio: ['ignore', logDir ? 'pipe' : 'ignore', 'inherit'],
    },
  );
  if (logDir) child.stdout?.pipe(createWriteStream(join(logDir, `${role}-${child.pid}.log`)));
  let lastPeak = 0;
  const peakRssMb = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      lastPeak = Math.max(lastPeak, kb / 1024);
    } catch {
      // the process has exited: keep the last reading
    }
    return lastPeak;
  };
  return {
    role,
    child,
    peakRssMb,
    async stop() {
      peakRssMb();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Space-separated Node options from a variable, none when unset. */
function nodeFlags(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

/** Waits until `url` answers 200 (a start takes over 30 s on a loaded machine: tsx compiles the sources). */
export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
