/**
 * Customer media (prescription photos) lands in one git-ignored folder: a relative UPLOADS_DIR is
 * the repository root's, as the sidecar's is, and git ignores every `uploads/` and `tokens/`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MINIMAL = {
  SIDECAR_API_KEY: 'sidecar-key-9f8e7d6c5b4a3210',
  SIDECAR_WEBHOOK_SECRET: 'webhook-secret-0a1b2c3d',
  CHANNEL_SECRETS_KEY: 'channel-secrets-key-4f7a9c2e8b1d6a3f5e0c7b9d2a4f6e8c',
};

/** Whether git ignores `path` (relative to the repository root); nothing needs to exist there. */
function ignored(path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '--no-index', '--quiet', path], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('where media is stored', () => {
  it('when UPLOADS_DIR is relative, then the helpdesk uses the repository root folder, whatever the working directory', () => {
    assert.equal(loadConfig({ ...MINIMAL, UPLOADS_DIR: 'uploads' }).uploadsDir, join(ROOT, 'uploads'));
    assert.equal(loadConfig(MINIMAL).uploadsDir, join(ROOT, 'uploads'));
    assert.equal(loadConfig({ ...MINIMAL, UPLOADS_DIR: '/srv/media' }).uploadsDir, '/srv/media');
  });

  it('when a service or a test writes uploads/ or tokens/ anywhere, then git ignores it but keeps the root .gitkeep files', () => {
    for (const path of [
      'uploads/3f2a.jpg',
      'uploads/sidecar/3f2a.jpg',
      'helpdesk/uploads/3f2a.jpg',
      'wpp-sidecar/uploads/3f2a.pdf',
      'tokens/default/Default/Cookies',
      'wpp-sidecar/tokens/default/Default/Cookies',
    ]) {
      assert.ok(ignored(path), `${path} is not git-ignored`);
    }
    assert.ok(!ignored('uploads/.gitkeep'), 'uploads/.gitkeep is ignored');
    assert.ok(!ignored('tokens/.gitkeep'), 'tokens/.gitkeep is ignored');
  });

  it('when .env.example is copied to .env, then UPLOADS_DIR is set once for both services', () => {
    const lines = readFileSync(join(ROOT, '.env.example'), 'utf8').match(/^UPLOADS_DIR=.*$/gm) ?? [];
    assert.deepEqual(lines, ['UPLOADS_DIR=uploads']);
  });
});
