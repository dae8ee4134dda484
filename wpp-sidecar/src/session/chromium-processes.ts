/**
 * Chromium process hygiene for one profile dir (Linux `/proc`): find the processes of a profile (those with
 * `--user-data-dir=<dir>` and all their descendants, e.g. the network service that lacks the flag), kill them,
 * and remove stale `Singleton*` lock symlinks that would otherwise make the next launch fail.
 */
import { lstat, readdir, readFile, readlink, unlink } from 'node:fs/promises';
import path from 'node:path';

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  args: string[];
}

async function readProc(pid: number): Promise<ProcInfo | null> {
  try {
    const [stat, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(after[1]), state: after[0] ?? '?', args: cmdline.split('\0').filter(Boolean) };
  } catch {
    return null;
  }
}

async function listProcesses(): Promise<ProcInfo[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const infos = await Promise.all(entries.filter((e) => /^\d+$/.test(e)).map((e) => readProc(Number(e))));
  return infos.filter((p): p is ProcInfo => p !== null);
}

/**
 * @param profileDir - absolute Chromium `--user-data-dir`.
 * @returns pids of live (non-zombie) processes using it, descendants included; never this process.
 */
export async function findProfileProcesses(profileDir: string): Promise<number[]> {
  const flag = `--user-data-dir=${path.resolve(profileDir)}`;
  const all = await listProcesses();
  const live = all.filter((p) => p.state !== 'Z' && p.pid !== process.pid);
  const found = new Set(live.filter((p) => p.args.includes(flag)).map((p) => p.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of live) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * SIGKILL every process of the profile and wait (up to `waitMs`) until none is left.
 * @returns the pids that were signalled.
 */
export async function killProfileProcesses(profileDir: string, waitMs = 5000): Promise<number[]> {
  const pids = await findProfileProcesses(profileDir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && (await findProfileProcesses(profileDir)).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids;
}

const SINGLETON_FILES = ['SingletonLock', 'SingletonSocket', 'SingletonCookie'];

/**
 * Remove `SingletonLock`/`SingletonSocket`/`SingletonCookie` from a profile when no live process uses it
 * (a browser killed hard leaves them behind, and Chromium then refuses the profile).
 * @returns the names removed; [] when the profile is in use or has no locks.
 */
export async function removeStaleSingletonLocks(profileDir: string): Promise<string[]> {
  if ((await findProfileProcesses(profileDir)).length > 0) return [];
  const removed: string[] = [];
  for (const name of SINGLETON_FILES) {
    const file = path.join(profileDir, name);
    const info = await lstat(file).catch(() => null);
    if (!info) continue;
    await unlink(file).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

/** @returns where a `SingletonLock` symlink points (`<host>-<pid>`), or null. For diagnostics and tests. */
export async function readSingletonLock(profileDir: string): Promise<string | null> {
  return readlink(path.join(profileDir, 'SingletonLock')).catch(() => null);
}
