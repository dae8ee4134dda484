/**
 * An admin restarts a WPPConnect channel's session: the sidecar closes its browser and starts it
 * again (`POST /api/sessions/:name/restart`), e.g. after it stuck in `error`. A session the
 * sidecar lost (its profile removed by hand, another sidecar host) is created again, so restart is
 * also the repair.
 */
import type { ChannelView } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { recordAudit } from '../audit/record-audit';
import { requireChannel, requireWppconnect, sessionsOf } from './channel-access';
import { recordSessionAnswer } from './session-answer';

/**
 * @returns the channel with the state the sidecar answered (usually `starting`).
 * @throws AppError not_found; bad_request naming `provider` for a Cloud API channel; provider_error
 *   (502) naming `wppconnect.sidecarUrl` when the sidecar cannot be reached or fails.
 */
export async function restartChannel(
  deps: Pick<Deps, 'pool' | 'config' | 'secretBox' | 'realtime'>,
  channelId: string,
): Promise<ChannelView> {
  const channel = await requireChannel(deps.pool, channelId);
  requireWppconnect(channel, 'restart');
  const sessions = sessionsOf(deps, channel);
  const audit = {
    action: 'channel.restarted',
    subjectType: 'channel',
    subjectId: channelId,
    data: { name: channel.name },
  } as const;
  try {
    const answer = await sessions.restart(channel.key);
    await recordAudit(deps.pool, audit);
    return recordSessionAnswer(deps, channel, answer);
  } catch (error) {
    const lost =
      error instanceof AppError &&
      (error.details as { reason?: string } | undefined)?.reason === 'no_session';
    if (!lost) throw error;
    const created = await sessions.createSession(channel.key);
    await recordAudit(deps.pool, audit);
    return recordSessionAnswer(deps, channel, created.session);
  }
}
