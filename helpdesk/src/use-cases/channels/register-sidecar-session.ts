/**
 * A sidecar sent events of a session that has no channel yet (added on the sidecar with
 * `POST /api/sessions`, or a session restored from its tokens folder), signed with the webhook
 * secret of a sidecar we know: the session becomes a channel of that sidecar (name = the session's
 * name, the sidecar's URL and secrets copied), so nothing it sends is lost and replies leave
 * through it. A channel an admin deleted less than DELETED_CHANNEL_MEMORY_MS ago is not registered
 * again: its session's last events (the logout, the closing states) may still be on their way.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { insertChannel, wasDeletedRecently } from '../../store/channels';
import type { Channel, WppconnectChannel } from '../../whatsapp/channel-directory';

/** How long a deleted channel's session is not registered again, ms (10 minutes). */
export const DELETED_CHANNEL_MEMORY_MS = 10 * 60_000;

/**
 * @param sibling a channel of the sidecar whose secret signed the events.
 * @param session the new session's name.
 * @returns the channel (the one another request registered meanwhile, when so); undefined when the
 *   channel was deleted recently.
 * @throws when the database cannot be written.
 */
export async function registerSidecarSession(
  deps: Pick<Deps, 'pool' | 'secretBox' | 'channels' | 'log'>,
  sibling: WppconnectChannel,
  session: string,
): Promise<Channel | undefined> {
  if (await wasDeletedRecently(deps.pool, 'wppconnect', session, DELETED_CHANNEL_MEMORY_MS)) {
    deps.log.warn({ channel: session }, 'events of a recently deleted channel are not registered again');
    return undefined;
  }
  const names = [session, `${session} (${sibling.settings.sidecarUrl})`, `${session} ${Date.now()}`];
  for (const name of names) {
    try {
      const row = await insertChannel(deps.pool, {
        name,
        provider: 'wppconnect',
        key: session,
        settings: { sidecarUrl: sibling.settings.sidecarUrl, session },
        secrets: deps.secretBox.seal(sibling.secrets),
        enabled: true,
        teamId: null,
        overrides: {},
        configured: false,
      });
      deps.log.info(
        { channelId: row.id, channel: session, sidecarUrl: sibling.settings.sidecarUrl },
        'sidecar session registered as a channel',
      );
      break;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      // Registered meanwhile (another request of the same sidecar): that channel will do.
      if (/wppconnect\.session/.test(error.message)) break;
    }
  }
  await deps.channels.reload();
  return deps.channels.find('wppconnect', session);
}
