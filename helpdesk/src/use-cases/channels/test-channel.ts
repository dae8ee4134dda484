/**
 * An admin checks that a channel's settings and secrets work. Cloud API: Meta's Graph API must
 * show the phone number id to the access token (`GET /<version>/<id>?fields=display_phone_number,
 * verified_name`). WPPConnect: the sidecar must take the API key and hold the session
 * (`GET /api/sessions/:name`); ok once reached, whatever the session's state (which `detail` says).
 */
import type { ChannelTestResult } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { checkPhoneNumber } from '../../whatsapp/cloud/check-phone-number';
import { openSecrets, requireChannel, sessionsOf } from './channel-access';

/**
 * @returns `{ ok, detail, phone }`: ok false with the reason (never an error status) when the
 *   provider refuses or cannot be reached.
 * @throws AppError not_found.
 */
export async function testChannel(
  deps: Pick<Deps, 'pool' | 'config' | 'secretBox'>,
  channelId: string,
): Promise<ChannelTestResult> {
  const channel = await requireChannel(deps.pool, channelId);
  if (channel.provider === 'cloud') {
    const secrets = openSecrets(deps, channel);
    return checkPhoneNumber({
      baseUrl: String(channel.settings.baseUrl ?? ''),
      graphVersion: String(channel.settings.graphVersion ?? ''),
      phoneNumberId: channel.key,
      accessToken: String(secrets.accessToken ?? ''),
      timeoutMs: deps.config.cloud.timeoutMs,
    });
  }
  try {
    const session = await sessionsOf(deps, channel).getSession(channel.key);
    if (!session) {
      return {
        ok: false,
        detail: `the sidecar at ${String(channel.settings.sidecarUrl)} has no session "${channel.key}"; restart the channel to create it`,
        phone: null,
      };
    }
    return {
      ok: true,
      detail: `the sidecar holds session "${channel.key}" (state: ${session.state}${session.detail ? `, ${session.detail}` : ''})`,
      phone: session.phone,
    };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, detail: error.message, phone: null };
    throw error;
  }
}
