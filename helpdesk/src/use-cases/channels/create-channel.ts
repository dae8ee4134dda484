/**
 * An admin adds a WhatsApp number (SPEC section 9). WPPConnect: once the row is written the sidecar
 * is asked to create the session (one it has already is fine); when it refuses the key or name, or
 * cannot be reached, the row is removed again, so nothing is left behind. Cloud API: the settings are stored as given (`POST /api/channels/:id/test` checks them
 * against Meta). Secrets are sealed with CHANNEL_SECRETS_KEY before they reach the database; the
 * channel directory is reloaded so webhooks and replies find the channel at once.
 */
import type { ChannelView, channelCreateBodySchema } from '@whatsapp-helpdesk/contract/api';
import type { z } from 'zod';
import type { Deps } from '../../context';
import { deleteChannel, insertChannel, type NewChannel } from '../../store/channels';
import { SidecarSessions } from '../../whatsapp/sidecar-sessions';
import { recordAudit } from '../audit/record-audit';
import { announceChannel } from './announce-channel';
import { channelView } from './channel-view';
import { checkTeam, mergeOverrides } from './check-channel-fields';

/** The create body as validated by the contract (`ChannelCreateBody` after parsing). */
export type ValidChannelCreate = z.output<typeof channelCreateBodySchema>;

/** Where a Cloud API channel talks to when the body names no base URL. */
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
/** The Graph version when neither the body nor CLOUD_API_VERSION names one. */
export const DEFAULT_GRAPH_VERSION = 'v23.0';

/**
 * Adds a channel.
 * @param body the validated create body (one provider part; `teamId`, `overrides`, `enabled` optional).
 * @returns the channel as an admin sees it (never its secrets).
 * @throws AppError validation_failed naming `teamId`, `overrides.…`, `wppconnect.session` or
 *   `wppconnect.apiKey` (the sidecar refused them); conflict naming `name`, `wppconnect.session` or
 *   `cloud.phoneNumberId` when taken; provider_error (502) naming `wppconnect.sidecarUrl` when the
 *   sidecar cannot be reached or fails.
 */
export async function createChannel(
  deps: Pick<Deps, 'db' | 'pool' | 'config' | 'secretBox' | 'channels' | 'log' | 'realtime'>,
  body: ValidChannelCreate,
): Promise<ChannelView> {
  await checkTeam(deps.db, body.teamId);
  const overrides = mergeOverrides({}, body.overrides);
  const box = deps.secretBox;
  let row: NewChannel;
  if (body.provider === 'wppconnect') {
    const part = body.wppconnect;
    row = {
      name: body.name,
      provider: 'wppconnect',
      key: part.session,
      settings: { sidecarUrl: part.sidecarUrl, session: part.session },
      secrets: box.seal({ apiKey: part.apiKey, webhookSecret: part.webhookSecret }),
      enabled: body.enabled ?? true,
      teamId: body.teamId ?? null,
      overrides,
      configured: false,
    };
  } else {
    const part = body.cloud;
    row = {
      name: body.name,
      provider: 'cloud',
      key: part.phoneNumberId,
      settings: {
        phoneNumberId: part.phoneNumberId,
        businessAccountId: part.businessAccountId,
        graphVersion: part.graphVersion ?? (deps.config.cloud.version || DEFAULT_GRAPH_VERSION),
        baseUrl: part.baseUrl ?? DEFAULT_GRAPH_BASE_URL,
      },
      secrets: box.seal({
        accessToken: part.accessToken,
        appSecret: part.appSecret,
        verifyToken: part.verifyToken,
      }),
      enabled: body.enabled ?? true,
      teamId: body.teamId ?? null,
      overrides,
      configured: false,
    };
  }
  // The row first: the sidecar's first state events (which register a session they find without a
  // channel) then find this channel rather than racing it. Taken names and keys fail here (409).
  const inserted = await insertChannel(deps.pool, row);
  if (body.provider === 'wppconnect') {
    const sessions = new SidecarSessions({
      sidecarUrl: body.wppconnect.sidecarUrl,
      apiKey: body.wppconnect.apiKey,
      timeoutMs: deps.config.sidecar.timeoutMs,
    });
    try {
      await sessions.createSession(body.wppconnect.session);
    } catch (error) {
      // Nothing half-written: the sidecar refused or cannot be reached, the row goes again.
      await deleteChannel(deps.pool, inserted.id).catch((cleanup: unknown) => {
        deps.log.error(
          { err: cleanup, channel: inserted.key },
          'channels: could not remove a refused channel',
        );
      });
      throw error;
    }
  }
  await deps.channels.reload();
  await announceChannel(deps, inserted);
  await recordAudit(deps.pool, {
    action: 'channel.created',
    subjectType: 'channel',
    subjectId: inserted.id,
    data: { name: inserted.name, provider: inserted.provider, key: inserted.key },
  });
  return channelView(inserted, true);
}
