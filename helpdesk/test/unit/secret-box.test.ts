/**
 * The channels' secrets at rest (infra/secret-box.ts): AES-256-GCM with a key derived from
 * CHANNEL_SECRETS_KEY by HKDF-SHA256, a random 12-byte IV per value and GCM's tag.
 */
import assert from 'node:assert/strict';
import { createDecipheriv, hkdfSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { SecretBox, SecretBoxError } from '../../src/infra/secret-box';

const KEY = 'channel-secrets-key-4f7a9c2e8b1d6a3f5e0c7b9d2a4f6e8c';
const SECRETS = { apiKey: 'sidecar-api-key-0123456789', webhookSecret: 'سر-الويبهوك-secret-42' };

describe('SecretBox', () => {
  it('when a value is sealed, then opening it gives it back, and the sealed text holds no plaintext', () => {
    const box = new SecretBox(KEY);
    const sealed = box.seal(SECRETS);
    assert.deepEqual(box.open(sealed), SECRETS);
    assert.ok(!sealed.includes('sidecar-api-key'), 'not in the base64');
    const bytes = Buffer.from(sealed, 'base64');
    assert.ok(!bytes.includes(Buffer.from('sidecar-api-key')), 'not in the bytes');
    assert.ok(!bytes.includes(Buffer.from('secret-42')));
  });

  it('when the same value is sealed twice, then the texts differ (a fresh IV each time)', () => {
    const box = new SecretBox(KEY);
    const first = box.seal(SECRETS);
    const second = box.seal(SECRETS);
    assert.notEqual(first, second);
    assert.notDeepEqual(
      Buffer.from(first, 'base64').subarray(0, 12),
      Buffer.from(second, 'base64').subarray(0, 12),
    );
  });

  it('when the layout is read as documented (iv 12 | tag 16 | ciphertext), then AES-256-GCM with the HKDF key opens it', () => {
    const bytes = Buffer.from(new SecretBox(KEY).seal(SECRETS), 'base64');
    const key = Buffer.from(
      hkdfSync('sha256', KEY, 'whatsapp-helpdesk', 'channel-secrets/aes-256-gcm/v1', 32),
    );
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const plaintext = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString();
    assert.deepEqual(JSON.parse(plaintext), SECRETS);
  });

  it('when another key opens a sealed value, then it fails clearly naming CHANNEL_SECRETS_KEY, never leaking the value', () => {
    const sealed = new SecretBox(KEY).seal(SECRETS);
    const other = new SecretBox('another-channel-secrets-key-9b8a7c6d5e4f3a2b1c0d');
    assert.throws(
      () => other.open(sealed),
      (error: unknown) =>
        error instanceof SecretBoxError &&
        /CHANNEL_SECRETS_KEY is not the key they were encrypted with/.test(error.message) &&
        !error.message.includes('sidecar-api-key'),
    );
  });

  it('when a sealed value was changed or is not one, then opening it fails', () => {
    const box = new SecretBox(KEY);
    const bytes = Buffer.from(box.seal(SECRETS), 'base64');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    assert.throws(() => box.open(bytes.toString('base64')), SecretBoxError);
    assert.throws(() => box.open('c2hvcnQ='), /not an encrypted value/);
  });
});
