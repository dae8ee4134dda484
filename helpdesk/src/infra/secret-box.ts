/**
 * Encryption of the channels' secrets at rest (API keys, webhook secrets, access tokens, app
 * secrets): AES-256-GCM (authenticated: a changed byte or another key is detected, never decrypted
 * into garbage) with a 256-bit key derived from CHANNEL_SECRETS_KEY by HKDF-SHA256 (RFC 5869), a
 * fresh random 12-byte IV per value (NIST SP 800-38D's recommended IV length) and GCM's 16-byte
 * authentication tag. A sealed value is the base64 of `iv (12 bytes) | tag (16 bytes) | ciphertext`
 * of the value's JSON, what `channels.secrets` holds.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** HKDF's salt and info: fixed, so the same CHANNEL_SECRETS_KEY always gives the same key. */
const HKDF_SALT = 'whatsapp-helpdesk';
const HKDF_INFO = 'channel-secrets/aes-256-gcm/v1';

/** A sealed value cannot be opened: another CHANNEL_SECRETS_KEY sealed it, or it was changed. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** Seals and opens JSON values with one key (see the module comment). */
export class SecretBox {
  private readonly key: Buffer;

  /** @param secretsKey CHANNEL_SECRETS_KEY (at least 32 characters, checked by the configuration). */
  constructor(secretsKey: string) {
    if (!secretsKey) throw new SecretBoxError('CHANNEL_SECRETS_KEY is empty');
    this.key = Buffer.from(hkdfSync('sha256', secretsKey, HKDF_SALT, HKDF_INFO, 32));
  }

  /**
   * @param value any JSON-serialisable value (a channel's secrets object).
   * @returns base64 of iv | tag | ciphertext; two seals of one value differ (random IV).
   */
  seal(value: object): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /**
   * @param text what `seal` returned.
   * @returns the value sealed.
   * @throws SecretBoxError when the text is not a sealed value, was changed, or was sealed with
   *   another CHANNEL_SECRETS_KEY (the message says so; it never contains the secrets).
   */
  open(text: string): Record<string, unknown> {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) {
      throw new SecretBoxError('channel secrets are not an encrypted value (too short)');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    let plaintext: string;
    try {
      plaintext = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'channel secrets cannot be decrypted: CHANNEL_SECRETS_KEY is not the key they were ' +
          'encrypted with, or the stored value was changed',
      );
    }
    const value: unknown = JSON.parse(plaintext);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SecretBoxError('channel secrets do not hold an object');
    }
    return value as Record<string, unknown>;
  }
}
