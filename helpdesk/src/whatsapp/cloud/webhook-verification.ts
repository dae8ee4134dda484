/**
 * The two checks Meta's webhooks need (Meta, Graph API "Webhooks" — "Getting started": "Verification
 * requests" and "Event notifications", "Validating payloads"):
 * - the subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` must
 *   answer the challenge when the verify token is ours;
 * - each notification's `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body with the
 *   app secret, compared in constant time.
 */
import { AppError } from '../../errors';
import { hmacSha256Hex, headerValue, safeEqual } from '../webhook-signature';

/**
 * Answers Meta's verification request.
 * @param query the request's query parameters (`hub.mode`, `hub.verify_token`, `hub.challenge`).
 * @param verifyToken CLOUD_API_VERIFY_TOKEN, the string entered in the app's webhook settings.
 * @returns the `hub.challenge` value, to be echoed as the plain-text body of a 200.
 * @throws AppError forbidden (403) when the mode is not `subscribe`, the token differs (compared in
 *   constant time) or the challenge is missing.
 */
export function answerVerificationRequest(query: Record<string, unknown>, verifyToken: string): string {
  const mode = typeof query['hub.mode'] === 'string' ? query['hub.mode'] : '';
  const token = typeof query['hub.verify_token'] === 'string' ? query['hub.verify_token'] : '';
  const challenge = typeof query['hub.challenge'] === 'string' ? query['hub.challenge'] : '';
  if (mode !== 'subscribe' || !safeEqual(token, verifyToken)) {
    throw new AppError('forbidden', 'webhook verification failed: hub.mode or hub.verify_token is wrong');
  }
  if (!challenge || challenge.length > 1024) {
    throw new AppError('forbidden', 'webhook verification failed: hub.challenge is missing');
  }
  return challenge;
}

/**
 * Checks `X-Hub-Signature-256` against the HMAC-SHA256 of the raw body keyed with the app secret.
 * @param headers the request headers (lower-case names, as node gives them).
 * @param rawBody the body's bytes exactly as received.
 * @param appSecret CLOUD_API_APP_SECRET.
 * @throws AppError unauthorized (401) when the header is missing or does not match.
 */
export function verifyHubSignature(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  appSecret: string,
): void {
  const signature = headerValue(headers, 'x-hub-signature-256');
  if (!signature) throw new AppError('unauthorized', 'missing X-Hub-Signature-256 header');
  const expected = `sha256=${hmacSha256Hex(appSecret, rawBody)}`;
  if (!safeEqual(signature.trim().toLowerCase(), expected)) {
    throw new AppError('unauthorized', 'invalid X-Hub-Signature-256 signature');
  }
}
