/**
 * A Cloud API channel added to a running test helpdesk (as an admin would on the numbers page):
 * a stand-in Graph API for one number of one WhatsApp Business Account, holding the given
 * message templates, and the `channels` row that points at it with its secrets sealed. The
 * integration tests of templates, broadcasts and reminders start from it.
 */

import { insertChannel } from '../../src/store/channels';
import { APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, WABA_ID } from './cloud-payloads';
import type { TestHelpdesk } from './harness';
import { startStandInGraphApi, type StandInGraphApi, type StandInTemplate } from './stand-in-graph-api';

/**
 * @param helpdesk a started test helpdesk (its channel directory is reloaded here).
 * @param templates the templates the stand-in lists (Meta's shape, "WhatsApp Business Account —
 *   Message Templates"); none by default.
 * @returns the stand-in Graph API (close it in `after`) and the channel's id.
 */
export async function addCloudChannel(
  helpdesk: TestHelpdesk,
  templates: readonly StandInTemplate[] = [],
): Promise<{ graph: StandInGraphApi; channelId: string }> {
  const graph = await startStandInGraphApi({ phoneNumberId: PHONE_NUMBER_ID, businessAccountId: WABA_ID });
  graph.templates.push(...templates);
  const channel = await insertChannel(helpdesk.context.pool, {
    enabled: true,
    teamId: null,
    overrides: {},
    configured: false,
    name: 'Cloud number',
    provider: 'cloud',
    key: PHONE_NUMBER_ID,
    settings: {
      phoneNumberId: PHONE_NUMBER_ID,
      businessAccountId: WABA_ID,
      graphVersion: graph.version,
      baseUrl: graph.url,
    },
    secrets: helpdesk.context.secretBox.seal({
      accessToken: graph.token,
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
    }),
  });
  await helpdesk.context.channels.reload();
  return { graph, channelId: channel.id };
}
