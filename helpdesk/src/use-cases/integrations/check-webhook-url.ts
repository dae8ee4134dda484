/**
 * An outgoing webhook's URL must be http(s) and must not resolve to a loopback, private or
 * link-local address (infra/private-addresses.ts) unless ALLOW_PRIVATE_WEBHOOK_URLS=true (tests, closed
 * networks). Checked when the webhook is saved and again before every delivery (DNS may change).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../../infra/private-addresses';
import { AppError } from '../../errors';

/** @throws AppError validation_failed naming `url`. */
export async function checkWebhookUrl(url: string, allowPrivate: boolean): Promise<void> {
  const fail = (problem: string) =>
    new AppError('validation_failed', `url: ${problem}`, { fields: { url: problem } });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('must be an http or https URL');
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw fail('must be an http or https URL');
  if (parsed.username || parsed.password) throw fail('must not contain a user name or password');
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((entry) => entry.address);
    } catch {
      throw fail(`the host ${host} could not be resolved`);
    }
  }
  if (addresses.some(isPrivateAddress)) {
    throw fail('points to a loopback, private or link-local address, which webhooks may not reach');
  }
}
