/**
 * The periodic template sync (the scheduled queue's `template-sync` job, every TEMPLATE_SYNC_MS):
 * every enabled Cloud API channel with a WhatsApp Business Account id, one after another; a
 * channel that fails is logged and the others still sync.
 */
import type { Deps } from '../../context';
import { syncCloudChannel, type TemplateSyncDependencies } from './sync-channel-templates';

/** @returns how many channels synced. */
export async function syncAllTemplates(deps: TemplateSyncDependencies & Pick<Deps, 'log'>): Promise<number> {
  let synced = 0;
  for (const channel of deps.channels.list()) {
    if (channel.provider !== 'cloud' || !channel.enabled || !channel.settings.businessAccountId.trim())
      continue;
    try {
      const result = await syncCloudChannel(deps, channel);
      deps.log.info({ channel: channel.key, templates: result.templates }, 'message templates synced');
      synced += 1;
    } catch (error) {
      deps.log.warn({ channel: channel.key, err: error }, 'message templates not synced');
    }
  }
  return synced;
}
