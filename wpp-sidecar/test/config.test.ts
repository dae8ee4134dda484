/**
 * Configuration: secrets that are placeholders or guessable stop the sidecar at start-up with an error
 * naming the variable (no default or example secret works); WEBHOOK_MAX_BYTES follows the helpdesk's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config';
import { DEFAULT_WEBHOOK_MAX_BYTES } from '../src/events/webhook-limits';
import { API_KEY, WEBHOOK_SECRET } from './helpers';

const VALID = {
  SIDECAR_API_KEY: API_KEY,
  SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
};

/** The problem reported for `name` when it is set to `value`, or null when the config loads. */
function problemFor(name: string, value: string): string | null {
  try {
    loadConfig({ ...VALID, [name]: value });
    return null;
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    const line = error.message.split('\n').find((l) => l.trim().startsWith(`${name} `));
    assert.ok(line, `the error names ${name}: ${error.message}`);
    return line.trim();
  }
}

describe('sidecar configuration: secrets', () => {
  const SECRETS = ['SIDECAR_API_KEY', 'SIDECAR_WEBHOOK_SECRET', 'METRICS_TOKEN'];

  it('when a secret is a .env.example placeholder, then start-up fails naming the variable', () => {
    for (const name of SECRETS) {
      for (const value of [
        'replace-with-a-random-string-of-32-characters',
        'replace-with-another-random-string-of-32-characters',
        'CHANGEME-please-0123456789',
        'change-me-to-something-random',
      ]) {
        assert.match(
          problemFor(name, value) ?? 'accepted',
          /example value from \.env\.example/,
          `${name}=${value}`,
        );
      }
    }
  });

  it('when a secret is long but guessable (16 "a"s, a short repeated pattern), then start-up fails naming the variable', () => {
    for (const name of SECRETS) {
      for (const value of [
        'a'.repeat(16),
        'a'.repeat(64),
        'abababababababab',
        'abcabcabcabcabcabcabc',
        '1111122222111112222',
      ]) {
        assert.match(problemFor(name, value) ?? 'accepted', /too easy to guess/, `${name}=${value}`);
      }
    }
  });

  it('when a secret is shorter than 16 characters, then start-up fails naming the variable', () => {
    for (const name of SECRETS) {
      assert.match(problemFor(name, 'x7Kq2') ?? 'accepted', /at least 16 characters/, name);
    }
  });

  it('when a required secret is missing, then start-up fails naming it', () => {
    assert.throws(
      () => loadConfig({ SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET }),
      /SIDECAR_API_KEY is required/,
    );
  });

  it('when secrets are random values, then they are accepted', () => {
    for (const name of SECRETS) {
      for (const value of [
        '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', // openssl rand -hex 32
        '3c9a1f0e7b2d4a58', // openssl rand -hex 8
        'Yq3+0vZ9mTn8Lw5Rb1Kx6A==', // openssl rand -base64 16
        API_KEY,
      ]) {
        assert.equal(problemFor(name, value), null, `${name}=${value}`);
      }
    }
  });
});

describe('sidecar configuration: webhook size', () => {
  it('when WEBHOOK_MAX_BYTES is unset, then it is the helpdesk default of 1 MiB; when set, it is used', () => {
    assert.equal(loadConfig(VALID).webhookMaxBytes, DEFAULT_WEBHOOK_MAX_BYTES);
    assert.equal(DEFAULT_WEBHOOK_MAX_BYTES, 1_048_576);
    assert.equal(loadConfig({ ...VALID, WEBHOOK_MAX_BYTES: '524288' }).webhookMaxBytes, 524_288);
    assert.throws(() => loadConfig({ ...VALID, WEBHOOK_MAX_BYTES: '100' }), /WEBHOOK_MAX_BYTES/);
  });
});
