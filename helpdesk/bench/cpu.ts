/**
 * CPU time of the processes on this machine, for splitting the benchmark's CPU between the API,
 * the workers, PostgreSQL, Redis and the benchmark itself (load generator and stand-in sidecar).
 * Reads /proc/<pid>/stat (utime + stime, in clock ticks of 1/100 s on Linux).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by one process (user + system), or 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every process whose command name is `name` (e.g. postgres). */
export function cpuSecondsOf(name: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) total += cpuSeconds(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/**
 * CPU seconds of the whole machine so far, all cores added: `busy` (every state but idle and I/O
 * wait) and `total`, from the first line of /proc/stat (clock ticks of 1/100 s).
 */
export function machineSeconds(): { busy: number; total: number } {
  const ticks = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  // user nice system idle iowait irq softirq steal …: idle and iowait are fields 3 and 4.
  return { busy: (total - ticks[3]! - ticks[4]!) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}
