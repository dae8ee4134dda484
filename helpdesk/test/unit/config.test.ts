import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

const MINIMAL = {
  WHATSAPP_PROVIDER: 'wppconnect',
  SIDECAR_API_KEY: 'sidecar-key-9f8e7d6c5b4a3210',
  SIDECAR_WEBHOOK_SECRET: 'webhook-secret-0a1b2c3d',
  CHANNEL_SECRETS_KEY: 'channel-secrets-key-4f7a9c2e8b1d6a3f5e0c7b9d2a4f6e8c',
};

/** Asserts loadConfig throws a ConfigError whose message names the variable; returns the error. */
function assertConfigError(env: Record<string, string>, variable: string): ConfigError {
  let caught: unknown;
  assert.throws(() => {
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
      throw error;
    }
  });
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.match(caught.message, new RegExp(`\\b${variable}\\b`));
  assert.ok(
    caught.problems.some((problem) => problem.startsWith(`${variable} `)),
    `no problem line starts with ${variable}: ${caught.problems.join(' | ')}`,
  );
  return caught;
}

describe('loadConfig', () => {
  it('when the env holds only the wppconnect secrets, then it loads with the documented defaults', () => {
    const config = loadConfig(MINIMAL);
    assert.equal(config.port, 8000);
    assert.equal(config.defaultCountry, 'EG');
    assert.equal(config.businessTimeZone, 'Africa/Cairo');
    assert.equal(config.provider, 'wppconnect');
    assert.equal(config.sidecar.apiKey, MINIMAL.SIDECAR_API_KEY);
    assert.equal(config.sidecar.webhookSecret, MINIMAL.SIDECAR_WEBHOOK_SECRET);
    assert.equal(config.businessHours, null);
    assert.equal(config.admin, null);
    assert.equal(config.bot.language, 'auto');
    assert.equal(config.bot.menuMaxAttempts, 3);
    assert.equal(config.bot.welcomeAfterSilenceMs, 24 * 3_600_000);
    assert.equal(config.reopenWindowMs, 1440 * 60_000);
  });

  it('when numbers and business hours are given as strings, then they are converted', () => {
    const config = loadConfig({
      ...MINIMAL,
      HELPDESK_PORT: '9090',
      BUSINESS_HOURS: 'sat-thu 09:00-23:00, fri 14:00-23:00',
      TICKET_REOPEN_WINDOW_MINUTES: '30',
      SIDECAR_URL: 'http://sidecar:21465/',
    });
    assert.equal(config.port, 9090);
    assert.equal(config.reopenWindowMs, 30 * 60_000);
    assert.equal(config.sidecar.url, 'http://sidecar:21465');
    assert.deepEqual(config.businessHours?.[5], [{ start: 14 * 60, end: 23 * 60 }]); // Friday
    assert.deepEqual(config.businessHours?.[6], [{ start: 9 * 60, end: 23 * 60 }]); // Saturday
  });

  it('when SIDECAR_API_KEY is missing, then a ConfigError names SIDECAR_API_KEY', () => {
    const { SIDECAR_API_KEY: _omitted, ...env } = MINIMAL;
    const error = assertConfigError(env, 'SIDECAR_API_KEY');
    assert.ok(!error.message.includes('SIDECAR_WEBHOOK_SECRET'), 'only the missing variable is reported');
  });

  it('when SIDECAR_API_KEY is shorter than 16 characters, then a ConfigError names it', () => {
    assertConfigError({ ...MINIMAL, SIDECAR_API_KEY: 'k'.repeat(15) }, 'SIDECAR_API_KEY');
  });

  for (const [variable, value] of [
    ['SIDECAR_API_KEY', 'a'.repeat(16)],
    ['SIDECAR_API_KEY', 'abababababababababababab'],
    ['SIDECAR_WEBHOOK_SECRET', 'replace-with-a-random-string-of-32-characters'],
    ['SIDECAR_WEBHOOK_SECRET', 'please-changeme-now-0123'],
    ['METRICS_TOKEN', '1111111111111111111111111111'],
  ] as const) {
    it(`when ${variable} is a placeholder or guessable (${value.slice(0, 12)}…), then a ConfigError names it`, () => {
      const error = assertConfigError({ ...MINIMAL, [variable]: value }, variable);
      assert.match(error.message, /example value|too easy to guess/);
    });
  }

  it('when the secrets are random, then they are accepted', () => {
    const config = loadConfig({
      ...MINIMAL,
      SIDECAR_API_KEY: randomBytes(32).toString('hex'),
      METRICS_TOKEN: randomBytes(24).toString('base64url'),
    });
    assert.equal(config.metrics.token?.length, 32);
  });

  it('when SIDECAR_API_KEY is an empty string, then it counts as unset and is reported as missing', () => {
    const error = assertConfigError({ ...MINIMAL, SIDECAR_API_KEY: '' }, 'SIDECAR_API_KEY');
    assert.match(error.message, /SIDECAR_API_KEY is required/);
  });

  it('when optional variables are empty strings, then their defaults apply', () => {
    const config = loadConfig({
      ...MINIMAL,
      HELPDESK_PORT: '',
      DEFAULT_COUNTRY: '',
      BUSINESS_TIMEZONE: '',
      BUSINESS_HOURS: '',
      ADMIN_EMAIL: '',
    });
    assert.equal(config.port, 8000);
    assert.equal(config.defaultCountry, 'EG');
    assert.equal(config.businessTimeZone, 'Africa/Cairo');
    assert.equal(config.businessHours, null);
    assert.equal(config.admin, null);
  });

  it('when the provider is the Cloud API, then the sidecar secrets are not required', () => {
    const config = loadConfig({
      WHATSAPP_PROVIDER: 'cloud',
      CLOUD_API_VERSION: 'v23.0',
      CLOUD_API_TOKEN: 't'.repeat(40),
      CLOUD_API_PHONE_NUMBER_ID: '106540352242922',
      CLOUD_API_APP_SECRET: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      CLOUD_API_VERIFY_TOKEN: 'verify-token-5e6f7a8b9c0d1e2f',
      CHANNEL_SECRETS_KEY: MINIMAL.CHANNEL_SECRETS_KEY,
    });
    assert.equal(config.provider, 'cloud');
  });

  it('when CHANNEL_SECRETS_KEY is missing, then a ConfigError names it and says setup-env creates it', () => {
    const { CHANNEL_SECRETS_KEY: _omitted, ...env } = MINIMAL;
    const error = assertConfigError(env, 'CHANNEL_SECRETS_KEY');
    assert.match(error.message, /CHANNEL_SECRETS_KEY is required/);
  });

  for (const [value, problem] of [
    ['k'.repeat(20) + 'abcdef', /at least 32 characters/],
    ['replace-with-a-random-string-of-64-characters', /example value/],
    ['ab'.repeat(20), /too easy to guess/],
  ] as const) {
    it(`when CHANNEL_SECRETS_KEY is short, a placeholder or guessable (${value.slice(0, 12)}…), then it is refused`, () => {
      const error = assertConfigError({ ...MINIMAL, CHANNEL_SECRETS_KEY: value }, 'CHANNEL_SECRETS_KEY');
      assert.match(error.message, problem);
    });
  }

  it('when the channel variables are unset, then CHANNEL_NAME is "WhatsApp" and SESSION_NAME "default"', () => {
    const config = loadConfig(MINIMAL);
    assert.deepEqual(config.channels, {
      secretsKey: MINIMAL.CHANNEL_SECRETS_KEY,
      name: 'WhatsApp',
      session: 'default',
    });
    const named = loadConfig({ ...MINIMAL, CHANNEL_NAME: 'Nasr City branch', SESSION_NAME: 'branch-2' });
    assert.equal(named.channels.name, 'Nasr City branch');
    assert.equal(named.channels.session, 'branch-2');
    assertConfigError({ ...MINIMAL, SESSION_NAME: 'no spaces' }, 'SESSION_NAME');
  });

  it('when BUSINESS_HOURS cannot be read, then a ConfigError names BUSINESS_HOURS', () => {
    assertConfigError({ ...MINIMAL, BUSINESS_HOURS: 'weekdays nine to five' }, 'BUSINESS_HOURS');
    assertConfigError({ ...MINIMAL, BUSINESS_HOURS: 'mon 09:00-25:00' }, 'BUSINESS_HOURS');
  });

  it('when BUSINESS_TIMEZONE is not an IANA zone, then a ConfigError names BUSINESS_TIMEZONE', () => {
    assertConfigError({ ...MINIMAL, BUSINESS_TIMEZONE: 'Mars/Olympus_Mons' }, 'BUSINESS_TIMEZONE');
  });

  it('when HELPDESK_PORT is not a port number, then a ConfigError names HELPDESK_PORT', () => {
    assertConfigError({ ...MINIMAL, HELPDESK_PORT: '70000' }, 'HELPDESK_PORT');
    assertConfigError({ ...MINIMAL, HELPDESK_PORT: 'eighty' }, 'HELPDESK_PORT');
  });

  it('when INBOUND_SHARDS is not a whole number from 1 to 16, then a ConfigError names it; unset, it is 4', () => {
    assert.equal(loadConfig(MINIMAL).jobs.inboundShards, 4);
    assert.equal(loadConfig({ ...MINIMAL, INBOUND_SHARDS: '16' }).jobs.inboundShards, 16);
    for (const value of ['0', '17', '2.5', 'four'])
      assertConfigError({ ...MINIMAL, INBOUND_SHARDS: value }, 'INBOUND_SHARDS');
  });

  it('when DEFAULT_COUNTRY is not a two-capital-letter code, then a ConfigError names DEFAULT_COUNTRY', () => {
    assertConfigError({ ...MINIMAL, DEFAULT_COUNTRY: 'egypt' }, 'DEFAULT_COUNTRY');
  });

  it('when ADMIN_EMAIL is set without ADMIN_PASSWORD, then a ConfigError names ADMIN_PASSWORD', () => {
    assertConfigError({ ...MINIMAL, ADMIN_EMAIL: 'admin@pharmacy.example' }, 'ADMIN_PASSWORD');
  });
});
