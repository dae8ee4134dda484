import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';
import { outboundRateLimit } from '../../src/jobs/workers';

const CLOUD = {
  WHATSAPP_PROVIDER: 'cloud',
  CLOUD_API_VERSION: 'v23.0',
  CLOUD_API_TOKEN: 'EAAG'.padEnd(40, 'x'),
  CLOUD_API_PHONE_NUMBER_ID: '106540352242922',
  CLOUD_API_APP_SECRET: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  CLOUD_API_VERIFY_TOKEN: 'verify-token-5e6f7a8b9c0d1e2f',
  CHANNEL_SECRETS_KEY: 'channel-secrets-key-4f7a9c2e8b1d6a3f5e0c7b9d2a4f6e8c',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

describe('Cloud API configuration', () => {
  it('when CLOUD_API_BUSINESS_ACCOUNT_ID is set, then it is read, and a non-numeric one is refused naming it', () => {
    assert.equal(
      loadConfig({ ...CLOUD, CLOUD_API_BUSINESS_ACCOUNT_ID: '102290129340398' }).cloud.businessAccountId,
      '102290129340398',
    );
    assert.ok(
      problems({ ...CLOUD, CLOUD_API_BUSINESS_ACCOUNT_ID: 'my-business' }).some((line) =>
        line.includes('CLOUD_API_BUSINESS_ACCOUNT_ID'),
      ),
    );
  });

  it('when the provider is cloud with every setting, then it loads with the documented defaults', () => {
    const config = loadConfig(CLOUD);
    assert.equal(config.provider, 'cloud');
    assert.deepEqual(config.cloud, {
      baseUrl: 'https://graph.facebook.com',
      version: 'v23.0',
      token: CLOUD.CLOUD_API_TOKEN,
      phoneNumberId: '106540352242922',
      businessAccountId: '',
      appSecret: CLOUD.CLOUD_API_APP_SECRET,
      verifyToken: CLOUD.CLOUD_API_VERIFY_TOKEN,
      maxMps: 80,
      timeoutMs: 15000,
    });
  });

  it('when the provider is cloud and settings are missing, then each missing one is named', () => {
    const found = problems({ WHATSAPP_PROVIDER: 'cloud', CLOUD_API_VERSION: 'v23.0' });
    for (const name of [
      'CLOUD_API_TOKEN',
      'CLOUD_API_PHONE_NUMBER_ID',
      'CLOUD_API_APP_SECRET',
      'CLOUD_API_VERIFY_TOKEN',
    ]) {
      assert.ok(
        found.some((line) => line.startsWith(`${name} is required when WHATSAPP_PROVIDER=cloud`)),
        `${name} missing from: ${found.join(' | ')}`,
      );
    }
    assert.ok(!found.some((line) => line.startsWith('SIDECAR_')), 'the sidecar secrets are not required');
  });

  it('when a value has the wrong form, then the variable, the problem and an example are named', () => {
    const found = problems({ ...CLOUD, CLOUD_API_VERSION: '23', CLOUD_API_PHONE_NUMBER_ID: '+15550783881' });
    assert.ok(
      found.some((line) =>
        /^CLOUD_API_VERSION must be a Graph API version such as v23.0 \(example: CLOUD_API_VERSION=v23.0\)$/.test(
          line,
        ),
      ),
    );
    assert.ok(
      found.some((line) =>
        line.startsWith('CLOUD_API_PHONE_NUMBER_ID must be the digits of the phone number id'),
      ),
    );
  });

  it('when a secret is still the example value, then it is refused', () => {
    const found = problems({
      ...CLOUD,
      CLOUD_API_VERIFY_TOKEN: 'replace-with-a-random-string-of-32-characters',
    });
    assert.ok(found.some((line) => line.startsWith('CLOUD_API_VERIFY_TOKEN is still the example value')));
  });

  it('when the provider is wppconnect, then the Cloud API settings are not required', () => {
    const config = loadConfig({
      SIDECAR_API_KEY: 'sidecar-key-9f8e7d6c5b4a3210',
      SIDECAR_WEBHOOK_SECRET: 'webhook-secret-0a1b2c3d',
      CHANNEL_SECRETS_KEY: 'channel-secrets-key-4f7a9c2e8b1d6a3f5e0c7b9d2a4f6e8c',
    });
    assert.equal(config.cloud.token, '');
  });

  it('when CLOUD_API_MAX_MPS is set, then the outbound queue starts at most MPS / 3 send jobs a second', () => {
    assert.deepEqual(outboundRateLimit(loadConfig(CLOUD)), { max: 26, duration: 1000 });
    assert.deepEqual(outboundRateLimit(loadConfig({ ...CLOUD, CLOUD_API_MAX_MPS: '2' })), {
      max: 1,
      duration: 1000,
    });
    assert.equal(
      outboundRateLimit(
        loadConfig({
          SIDECAR_API_KEY: 'sidecar-key-9f8e7d6c5b4a3210',
          SIDECAR_WEBHOOK_SECRET: 'webhook-secret-0a1b2c3d',
          CHANNEL_SECRETS_KEY: 'channel-secrets-key-4f7a9c2e8b1d6a3f5e0c7b9d2a4f6e8c',
        }),
      ),
      null,
    );
  });
});
