/**
 * The driver conformance suite against the WPPConnect driver and the stand-in sidecar.
 */
import { startTestHelpdesk, textEvent } from '../support/harness';
import { runDriverConformance, type SentMessage } from './driver-conformance';

runDriverConformance({
  provider: 'wppconnect',
  acceptedStatus: 202,
  menuShape: 'a numbered text',
  start: () => startTestHelpdesk(),
  async postText(helpdesk, customer, text, options = {}) {
    const event = textEvent(customer.phone, text, {
      name: customer.name,
      ...(options.id ? { id: options.id } : {}),
    });
    return {
      response: await helpdesk.postWppconnect(event),
      providerMessageId: event.message.providerMessageId,
    };
  },
  postMenuChoice(helpdesk, customer, option) {
    return helpdesk.postWppconnect(textEvent(customer.phone, String(option.number), { name: customer.name }));
  },
  postImage(helpdesk, customer, bytes, mediaId) {
    helpdesk.sidecar.media.set(mediaId, { body: bytes, mimeType: 'image/png' });
    const event = textEvent(customer.phone, '', { name: customer.name });
    Object.assign(event.message, {
      type: 'image',
      text: null,
      caption: 'my prescription',
      media: {
        id: mediaId,
        mimeType: 'image/png',
        filename: null,
        size: bytes.length,
        sha256: null,
        url: `${helpdesk.sidecar.url}/api/media/${mediaId}`,
      },
    });
    return helpdesk.postWppconnect(event);
  },
  postStatus(helpdesk, _customer, providerMessageId, status, error) {
    return helpdesk.postWppconnect({
      eventId: `wppconnect:pharmacy:${providerMessageId}:${status}`,
      type: 'status',
      status: {
        provider: 'wppconnect',
        channel: 'pharmacy',
        providerMessageId,
        status,
        error: error ? { code: error.code, message: `${error.title}: ${error.details}` } : null,
        timestamp: new Date().toISOString(),
      },
    });
  },
  sent(helpdesk, customer): SentMessage[] {
    return helpdesk.sidecar.sends
      .filter((send) => send.to === customer.phone)
      .map((send) => {
        const lines = (send.text ?? '').split('\n');
        const options = lines.filter((line) => /^\d+\. /.test(line));
        return options.length
          ? {
              kind: 'menu' as const,
              text: send.text ?? '',
              optionTitles: options.map((line) => line.replace(/^\d+\. /, '')),
              providerMessageId: send.id,
            }
          : { kind: 'text' as const, text: send.text ?? '', providerMessageId: send.id };
      });
  },
  mediaFetches: (helpdesk, mediaId) =>
    helpdesk.sidecar.mediaFetches
      .filter((fetch) => fetch.id === mediaId)
      .map((fetch) => `GET ${fetch.route}`),
  // Through the session the message came in on (its channel), whatever media.url names.
  expectedMediaFetches: (_helpdesk, mediaId) => [`GET /api/sessions/pharmacy/media/${mediaId}`],
  violations: () => [],
});
