/**
 * An admin logs a WPPConnect channel out: the sidecar unlinks the phone and clears the session's
 * profile (`POST /api/sessions/:name/logout`); the session pairs again, so a new QR follows (to
 * link another phone to this channel).
 */
import type { ChannelView } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { recordAudit } from '../audit/record-audit';
import { requireChannel, requireWppconnect, sessionsOf } from './channel-access';
import { recordSessionAnswer } from './session-answer';

/**
 * @returns the channel with the state the sidecar answered.
 * @throws AppError not_found; bad_request naming `provider` for a Cloud API channel; conflict when
 *   the sidecar has no such session; provider_error (502) when it cannot be reached or fails.
 */
export async function logoutChannel(
  deps: Pick<Deps, 'pool' | 'config' | 'secretBox' | 'realtime'>,
  channelId: string,
): Promise<ChannelView> {
  const channel = await requireChannel(deps.pool, channelId);
  requireWppconnect(channel, 'log out');
  const answer = await sessionsOf(deps, channel).logout(channel.key);
  await recordAudit(deps.pool, {
    action: 'channel.logged_out',
    subjectType: 'channel',
    subjectId: channelId,
    data: { name: channel.name },
  });
  return recordSessionAnswer(deps, channel, answer);
}
