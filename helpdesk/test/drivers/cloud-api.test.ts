/**
 * The driver conformance suite against the Cloud API driver and the stand-in Graph API, fed with
 * Meta-shaped webhooks signed as Meta signs them.
 */
import type { TestHelpdesk } from '../support/harness';
import { startTestHelpdesk } from '../support/harness';
import {
  message,
  messagesValue,
  notification,
  status,
  statusesValue,
  wamid,
  type Sender,
} from '../support/cloud-payloads';
import { runDriverConformance, type Customer, type SentMessage } from './driver-conformance';

const sender = (customer: Customer): Sender => ({
  waId: customer.phone.slice(1),
  userId: `EG.${customer.phone.slice(1)}00`,
  name: customer.name,
});

const graph = (helpdesk: TestHelpdesk) => {
  if (!helpdesk.graph) throw new Error('the helpdesk runs without the stand-in Graph API');
  return helpdesk.graph;
};

runDriverConformance({
  provider: 'cloud',
  acceptedStatus: 200,
  menuShape: 'an interactive list',
  start: () => startTestHelpdesk({ provider: 'cloud' }),
  async postText(helpdesk, customer, text, options = {}) {
    const from = sender(customer);
    const body = message.text(from, text, { id: options.id ?? wamid() });
    return {
      response: await helpdesk.postCloud(notification(messagesValue(from, [body]))),
      providerMessageId: body.id,
    };
  },
  postMenuChoice(helpdesk, customer, option) {
    const from = sender(customer);
    const menu = this.sent(helpdesk, customer).findLast((sent) => sent.kind === 'menu');
    return helpdesk.postCloud(
      notification(
        messagesValue(from, [
          message.listReply(from, { id: option.id, title: option.title }, menu?.providerMessageId),
        ]),
      ),
    );
  },
  postImage(helpdesk, customer, bytes, mediaId) {
    graph(helpdesk).media.set(mediaId, { body: bytes, mimeType: 'image/png' });
    const from = sender(customer);
    return helpdesk.postCloud(
      notification(
        messagesValue(from, [message.image(from, { id: mediaId, bytes, caption: 'my prescription' })]),
      ),
    );
  },
  postStatus(helpdesk, customer, providerMessageId, value, error) {
    return helpdesk.postCloud(
      notification(statusesValue([status(providerMessageId, value, sender(customer), error)])),
    );
  },
  sent(helpdesk, customer): SentMessage[] {
    const to = customer.phone.slice(1);
    return graph(helpdesk)
      .sends.filter((send) => send.to === to && send.wamid)
      .map((send) => {
        if (send.type === 'interactive') {
          const interactive = send.body.interactive as {
            body: { text: string };
            action: { sections: Array<{ rows: Array<{ title: string }> }> };
          };
          return {
            kind: 'menu' as const,
            text: interactive.body.text,
            optionTitles: interactive.action.sections.flatMap((section) =>
              section.rows.map((row) => row.title),
            ),
            providerMessageId: send.wamid!,
          };
        }
        return {
          kind: 'text' as const,
          text: (send.body.text as { body: string }).body,
          providerMessageId: send.wamid!,
        };
      });
  },
  mediaFetches: (helpdesk, mediaId) =>
    graph(helpdesk).requests.filter((request) => request.endsWith(`/${mediaId}`)),
  expectedMediaFetches: (helpdesk, mediaId) => [
    `GET /${graph(helpdesk).version}/${mediaId}`,
    `GET /download/${mediaId}`,
  ],
  violations: (helpdesk) => graph(helpdesk).violations,
});
