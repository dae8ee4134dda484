/**
 * The QR to pair a WPPConnect channel (WhatsApp → Linked devices), as the sidecar holds it while
 * the session waits for a scan. WhatsApp replaces it every 20 seconds or so: the console fetches
 * again at `expiresAt`, and the `channel.state` event says when the scan succeeded.
 */
import type { ChannelQr } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { requireChannel, requireWppconnect, sessionsOf } from './channel-access';

/**
 * @returns `{ qr: "data:image/png;base64,…", expiresAt }`.
 * @throws AppError not_found; bad_request naming `provider` for a Cloud API channel; conflict
 *   (details.reason `not_waiting_for_scan`, with the state) when the session is not waiting for a
 *   scan, or `no_session` when the sidecar lost it; provider_error (502) when the sidecar cannot be
 *   reached.
 */
export async function getChannelQr(
  deps: Pick<Deps, 'pool' | 'config' | 'secretBox'>,
  channelId: string,
): Promise<ChannelQr> {
  const channel = await requireChannel(deps.pool, channelId);
  requireWppconnect(channel, 'a QR');
  const sessions = sessionsOf(deps, channel);
  const qr = await sessions.qrCode(channel.key);
  if (qr) return qr;
  const session = await sessions.getSession(channel.key).catch(() => null);
  const state = session?.state ?? channel.state;
  throw new AppError(
    'conflict',
    state === 'connected'
      ? `qr: "${channel.name}" is already connected${session?.phone ? ` (${session.phone})` : ''}; log out first to pair another phone`
      : `qr: "${channel.name}" is not waiting for a scan (state: ${state}); try again in a few seconds`,
    { reason: 'not_waiting_for_scan', state },
  );
}
