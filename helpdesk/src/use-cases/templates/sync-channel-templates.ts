/**
 * Syncs one Cloud API channel's message templates from Meta's Graph API into message_templates
 * (issue 17): on an admin's request (`POST /api/channels/:id/templates/sync`) and every
 * TEMPLATE_SYNC_MS from the scheduled queue (sync-all-templates.ts). Creating templates stays in
 * Meta's WhatsApp Manager.
 */
import type { TemplateSyncResult } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError, ProviderError } from '../../errors';
import { replaceChannelTemplates } from '../../store/message-templates';
import type { CloudChannel } from '../../whatsapp/channel-directory';
import { GraphClient } from '../../whatsapp/cloud/graph-client';
import { fetchMessageTemplates } from '../../whatsapp/cloud/message-templates';

export type TemplateSyncDependencies = Pick<Deps, 'pool' | 'channels' | 'config'>;

/**
 * Syncs the templates of the channel with id `channelId`.
 * @returns how many templates Meta listed (all stored) and how many stored ones were removed.
 * @throws AppError not_found (no such channel); validation_failed naming `provider` (a WPPConnect
 *   channel: WhatsApp Web has no templates) or `businessAccountId` (not set on the channel);
 *   provider_error (502) with Meta's reason when the Graph API refuses, cannot be reached or
 *   pages elsewhere (nothing stored then).
 */
export async function syncChannelTemplates(
  deps: TemplateSyncDependencies,
  channelId: string,
): Promise<TemplateSyncResult> {
  let channel = deps.channels.list().find((candidate) => candidate.id === channelId);
  if (!channel) {
    await deps.channels.reload();
    channel = deps.channels.list().find((candidate) => candidate.id === channelId);
  }
  if (!channel) throw new AppError('not_found', `channel: no channel ${channelId}`);
  if (channel.provider !== 'cloud') {
    throw new AppError(
      'validation_failed',
      `provider: channel "${channel.name}" is a WPPConnect channel; message templates are a Cloud API feature`,
    );
  }
  try {
    return await syncCloudChannel(deps, channel);
  } catch (error) {
    if (error instanceof ProviderError) {
      throw new AppError(
        'provider_error',
        `templates of channel "${channel.name}" not synced: ${error.message}`,
      );
    }
    throw error;
  }
}

/** Syncs a known Cloud API channel (see `syncChannelTemplates`). */
export async function syncCloudChannel(
  deps: TemplateSyncDependencies,
  channel: CloudChannel,
): Promise<TemplateSyncResult> {
  const businessAccountId = channel.settings.businessAccountId.trim();
  if (!businessAccountId) {
    throw new AppError(
      'validation_failed',
      `businessAccountId: channel "${channel.name}" has no WhatsApp Business Account id; set it to sync templates`,
    );
  }
  const graph = new GraphClient({
    baseUrl: channel.settings.baseUrl,
    version: channel.settings.graphVersion,
    token: channel.secrets.accessToken,
    timeoutMs: deps.config.cloud.timeoutMs,
  });
  const templates = await fetchMessageTemplates(graph, businessAccountId);
  const syncedAt = new Date();
  const removed = await replaceChannelTemplates(deps.pool, channel.id, templates, syncedAt);
  return { channelId: channel.id, templates: templates.length, removed, syncedAt: syncedAt.toISOString() };
}
