/**
 * Private Redis and PostgreSQL servers for fault tests, so stopping and restarting them disturbs
 * nothing else on the machine. Both run from Debian's binaries on a free loopback port, with
 * their data in a temporary folder.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL: nothing is flushed beyond what the append-only file already holds). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A Redis with append-only persistence, fsync on every write, as production should run it. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'helpdesk-redis-'));
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    await until(
      async () => {
        const redis = new Redis(url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        // A refusal while the server starts rejects connect(); unheard, ioredis would also print it.
        redis.on('error', () => undefined);
        try {
          await redis.connect();
          return (await redis.ping()) === 'PONG';
        } finally {
          redis.disconnect();
        }
      },
      10_000,
      'redis-server',
    );
  };
  const kill = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    kill,
    start,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  /** postgresql:// URL of database `name` on this server. */
  urlOf(name: string): string;
  /** Restarts the server (fast shutdown: open connections are cut). */
  restart(): Promise<void>;
  /** Shuts the server down (fast: open connections are cut), keeping its data for `start()`. */
  shutdown(): Promise<void>;
  /** Starts it again after `shutdown()`, on the same port and data. */
  start(): Promise<void>;
  /**
   * Freezes every process of the server (SIGSTOP): connections stay open and new ones are
   * accepted by the kernel, but nothing answers, as with a server stalled on its disk or host.
   */
  freeze(): void;
  /** Lets a frozen server run again (SIGCONT). */
  thaw(): void;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL cluster (initdb; run as the postgres user when this process is root). */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const version = readdirSync('/usr/lib/postgresql').sort().pop()!;
  const bin = (name: string) => `/usr/lib/postgresql/${version}/bin/${name}`;
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'helpdesk-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    await chmod(dir, 0o777);
    execFileSync('chown', ['postgres', dir]);
  }
  const run = (program: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', bin(program), ...args], { stdio: 'ignore' })
      : execFileSync(bin(program), args, { stdio: 'ignore' });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const ctl = (action: string) =>
    run('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-l',
      join(dir, 'log'),
      '-w',
      '-m',
      'fast',
      action,
    ]);
  ctl('start');
  const urlOf = (name: string) => `postgresql://postgres@127.0.0.1:${port}/${name}`;
  /** Sends `signal` to the postmaster (postmaster.pid's first line) and to every process it started. */
  const signalAll = (signal: 'SIGSTOP' | 'SIGCONT') => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
    for (const pid of [postmaster, ...children]) process.kill(pid, signal);
  };
  return {
    urlOf,
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    async shutdown() {
      ctl('stop');
    },
    async start() {
      ctl('start');
    },
    async restart() {
      ctl('restart');
      await until(
        async () => {
          const client = new pg.Client({ connectionString: urlOf('postgres') });
          await client.connect();
          await client.end();
          return true;
        },
        20_000,
        'postgres after restart',
      );
    },
    async stop() {
      try {
        ctl('stop');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
