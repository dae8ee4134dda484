/**
 * The benchmark's helpdesk processes are configured by the benchmark alone (bench/environment.ts):
 * a `.env` with a first admin and other settings changes nothing in them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { benchEnvironment } from '../../bench/environment';

const HELPDESK_DIR = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG_MODULE = pathToFileURL(join(HELPDESK_DIR, 'src/config.ts')).href;

const SETTINGS = {
  NODE_ENV: 'production',
  DATABASE_POOL_SIZE: '10',
  SIDECAR_API_KEY: 'bench-sidecar-key-5d2c7e9a0b41',
  SIDECAR_WEBHOOK_SECRET: 'bench-webhook-secret-8f3a6c1e27d9',
  CHANNEL_SECRETS_KEY: 'channel-secrets-key-4f7a9c2e8b1d6a3f5e0c7b9d2a4f6e8c',
};

/**
 * Starts a process as main.ts starts (loadDotEnv, then loadConfig) with `env`, reading `dotEnv`
 * as its `.env`; returns the parts of its configuration a `.env` could have changed.
 */
function configurationSeenWith(env: Record<string, string>, dotEnv: string) {
  const directory = mkdtempSync(join(tmpdir(), 'bench-env-'));
  try {
    const dotEnvFile = join(directory, '.env');
    writeFileSync(dotEnvFile, dotEnv);
    const script = `
      const { loadConfig, loadDotEnv } = await import(${JSON.stringify(CONFIG_MODULE)});
      loadDotEnv(new URL(${JSON.stringify(pathToFileURL(dotEnvFile).href)}));
      const config = loadConfig();
      console.log(JSON.stringify({ dotEnvRead: process.env.DOT_ENV_READ, admin: config.admin, poolSize: config.databasePoolSize,
        businessHours: config.businessHours, metricsPort: config.metrics.port, workerNice: config.jobs.workerNice }));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: HELPDESK_DIR,
      env,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const DOT_ENV = [
  'DOT_ENV_READ=yes',
  'ADMIN_EMAIL=admin@pharmacy.test',
  'ADMIN_PASSWORD=a long admin passphrase',
  'DATABASE_POOL_SIZE=2',
  'BUSINESS_HOURS=sat-thu 09:00-17:00',
  'METRICS_PORT=9464',
  'WORKER_NICE=0',
].join('\n');

describe('benchEnvironment', () => {
  it('when the repository has a .env with a first admin, then the helpdesk it configures has none of it', () => {
    const seen = configurationSeenWith(benchEnvironment(SETTINGS), DOT_ENV);
    assert.deepEqual(seen, {
      dotEnvRead: 'yes', // the file was read: what follows is its settings losing, not its absence
      admin: null,
      poolSize: 10,
      businessHours: null,
      metricsPort: null,
      workerNice: 10,
    });
  });

  it("when the caller's shell sets a helpdesk variable, then the benchmark's process does not see it", () => {
    const previous = process.env.ADMIN_EMAIL;
    process.env.ADMIN_EMAIL = 'admin@shell.test';
    try {
      assert.equal(benchEnvironment(SETTINGS).ADMIN_EMAIL, '');
    } finally {
      if (previous === undefined) delete process.env.ADMIN_EMAIL;
      else process.env.ADMIN_EMAIL = previous;
    }
  });

  it('when a setting is misspelt, then it throws naming it', () => {
    assert.throws(() => benchEnvironment({ ...SETTINGS, DATABASE_POOL: '10' }), /DATABASE_POOL/);
  });
});
