/**
 * Where the sidecar reads its files from: the repository's `.env` (the one the helpdesk reads too,
 * README "one `.env` at the repository root serves both"), real environment variables winning over it,
 * and relative TOKENS_DIR / UPLOADS_DIR taken from the repository root whatever the process's cwd
 * (`npm run sidecar` runs in wpp-sidecar/).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DOTENV_PATH, loadConfig, loadDotEnv, REPO_ROOT } from '../src/config';
import { API_KEY, WEBHOOK_SECRET } from './helpers';

const SIDECAR_DIR = path.join(REPO_ROOT, 'wpp-sidecar');

describe('sidecar configuration: the .env file', () => {
  let dir: string;
  const names = ['H6_DOTENV_ONLY_IN_FILE', 'H6_DOTENV_ALSO_IN_ENV'];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sidecar-dotenv-'));
  });

  after(async () => {
    for (const name of names) delete process.env[name];
    await rm(dir, { recursive: true, force: true });
  });

  it('when a .env file is loaded, then its variables are set and variables already in the environment win', async () => {
    const file = path.join(dir, '.env');
    await writeFile(file, 'H6_DOTENV_ONLY_IN_FILE=from-file\nH6_DOTENV_ALSO_IN_ENV=from-file\n');
    process.env.H6_DOTENV_ALSO_IN_ENV = 'from-environment';
    assert.equal(loadDotEnv(file), file);
    assert.equal(process.env.H6_DOTENV_ONLY_IN_FILE, 'from-file');
    assert.equal(process.env.H6_DOTENV_ALSO_IN_ENV, 'from-environment');
  });

  it('when there is no .env file, then nothing is loaded and nothing fails', () => {
    assert.equal(loadDotEnv(path.join(dir, 'missing.env')), null);
  });

  it('when the default .env is used, then it is the repository root one (the helpdesk reads the same file)', () => {
    assert.equal(DOTENV_PATH, path.join(REPO_ROOT, '.env'));
    assert.equal(path.resolve(SIDECAR_DIR, '..', '.env'), DOTENV_PATH);
  });

  it('when `npm run sidecar` starts it in wpp-sidecar/ with a bad setting, then the error says which .env it read', async () => {
    // Real variables win over the file, so the short secret fails whatever the repository's .env holds.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: SIDECAR_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SIDECAR_API_KEY: 'short' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1, stderr);
    assert.match(stderr, /SIDECAR_API_KEY .*at least 16 characters/);
    assert.ok(stderr.includes(DOTENV_PATH), `names ${DOTENV_PATH}: ${stderr}`);
  });
});

describe('sidecar configuration: relative directories', () => {
  const VALID = { SIDECAR_API_KEY: API_KEY, SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET };
  let cwd: string;

  before(() => {
    cwd = process.cwd();
    // As under `npm run sidecar`: the process runs in wpp-sidecar/.
    process.chdir(SIDECAR_DIR);
  });

  after(() => process.chdir(cwd));

  it('when TOKENS_DIR and UPLOADS_DIR are relative, then they are under the repository root, not the cwd', () => {
    const config = loadConfig({ ...VALID, TOKENS_DIR: 'tokens', UPLOADS_DIR: './data/uploads' });
    assert.equal(config.tokensDir, path.join(REPO_ROOT, 'tokens'));
    assert.equal(config.mediaDir, path.join(REPO_ROOT, 'data', 'uploads', 'sidecar'));
    assert.equal(config.uploadTmpDir, path.join(REPO_ROOT, 'data', 'uploads', 'sidecar-incoming'));
  });

  it('when they are unset, then they are tokens/ and uploads/ at the repository root', () => {
    const config = loadConfig(VALID);
    assert.equal(config.tokensDir, path.join(REPO_ROOT, 'tokens'));
    assert.equal(config.mediaDir, path.join(REPO_ROOT, 'uploads', 'sidecar'));
  });

  it('when they are absolute, then they are used as given', () => {
    const config = loadConfig({
      ...VALID,
      TOKENS_DIR: '/srv/helpdesk/tokens',
      UPLOADS_DIR: '/srv/helpdesk/uploads',
    });
    assert.equal(config.tokensDir, '/srv/helpdesk/tokens');
    assert.equal(config.mediaDir, '/srv/helpdesk/uploads/sidecar');
  });
});
