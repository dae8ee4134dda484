/**
 * A broadcast recipient's failure as a reason code and the provider's message
 * (domain/broadcast-reasons.ts), read from the very strings the drivers store: the Cloud API's
 * (made here by graph-errors.ts from Meta's documented bodies), the sidecar's answers and unreachable
 * sidecar (wppconnect.ts's shapes), failed delivery statuses, and the codes stored before a send.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BROADCAST_RECIPIENT_REASONS } from '@whatsapp-helpdesk/contract/api';
import { broadcastRecipientReason } from '../../src/domain/broadcast-reasons';
import { describeGraphError, graphErrorFromResponse } from '../../src/whatsapp/cloud/graph-errors';
import { metaError } from '../support/cloud-payloads';

describe('broadcast recipient reasons', () => {
  it("when Meta refused a send, then the code is Meta's error's and the detail is Meta's words", () => {
    const cases: Array<[number, string, string]> = [
      [131047, 'Re-engagement message', 'outside_customer_service_window'],
      [132000, 'Number of parameters does not match', 'template_parameter_count'],
      [132001, 'Template name does not exist in the translation', 'template_missing'],
      [132015, 'Template is Paused', 'template_paused'],
      [131026, 'Message Undeliverable', 'undeliverable'],
      [131030, 'Recipient phone number not in allowed list', 'recipient_not_allowed'],
      [130429, 'Rate limit hit', 'rate_limited'],
      [190, 'Access token has expired', 'access_token_expired'],
      [131009, 'Parameter value is not valid', 'provider_error'],
    ];
    for (const [code, title, reason] of cases) {
      const stored = graphErrorFromResponse(
        400,
        metaError(code, title, 'the details'),
        'POST /messages',
      ).message;
      const read = broadcastRecipientReason(stored);
      assert.equal(read?.reason, reason, stored);
      assert.equal(
        read?.reasonDetail,
        `Cloud API error ${code}: (#${code}) ${title}: the details (POST /messages, HTTP 400)`,
      );
    }
    // A failed status webhook's error (no HTTP part).
    const status = describeGraphError({
      code: 131026,
      title: 'Message undeliverable',
      details: 'not on WhatsApp',
    });
    assert.deepEqual(broadcastRecipientReason(status), {
      reason: 'undeliverable',
      reasonDetail: 'Cloud API error 131026: Message undeliverable: not on WhatsApp',
    });
  });

  it("when the sidecar refused or was unreachable, then the code is the sidecar's and the detail its message", () => {
    assert.deepEqual(
      broadcastRecipientReason(
        'sidecar /api/sessions/pharmacy/messages: HTTP 400 {"error":"invalid_recipient","message":"to: 12 is not a phone number"}',
      ),
      { reason: 'invalid_recipient', reasonDetail: 'to: 12 is not a phone number' },
    );
    assert.deepEqual(
      broadcastRecipientReason(
        'sidecar /api/sessions/pharmacy/messages: HTTP 503 {"error":"not_connected","message":"session pharmacy is not connected"}',
      ),
      { reason: 'channel_unavailable', reasonDetail: 'session pharmacy is not connected' },
    );
    assert.deepEqual(
      broadcastRecipientReason(
        'sidecar /api/sessions/pharmacy/messages: HTTP 502 {"error":"send_failed","message":"WhatsApp did not accept the message: x"}',
      ),
      { reason: 'provider_error', reasonDetail: 'WhatsApp did not accept the message: x' },
    );
    assert.deepEqual(broadcastRecipientReason('sidecar unreachable: ECONNREFUSED 127.0.0.1:21465'), {
      reason: 'sidecar_unreachable',
      reasonDetail: 'sidecar unreachable: ECONNREFUSED 127.0.0.1:21465',
    });
  });

  it('when a delivery status failed, a channel was gone, or a code was stored, then each has its code', () => {
    assert.deepEqual(broadcastRecipientReason('ack_FAILED'), {
      reason: 'delivery_failed',
      reasonDetail: 'ack_FAILED',
    });
    assert.deepEqual(broadcastRecipientReason('failed (Meta gave no error)'), {
      reason: 'delivery_failed',
      reasonDetail: null,
    });
    assert.equal(
      broadcastRecipientReason('channel "Branch" (pharmacy) is disabled: an admin turned it off')?.reason,
      'channel_unavailable',
    );
    assert.equal(
      broadcastRecipientReason(
        'no wppconnect channel "gone" is known (not in the channels table, or its secrets cannot be read)',
      )?.reason,
      'channel_unavailable',
    );
    for (const code of BROADCAST_RECIPIENT_REASONS) {
      assert.deepEqual(broadcastRecipientReason(code), { reason: code, reasonDetail: null });
    }
    // Stored before the code existed.
    assert.equal(
      broadcastRecipientReason('outside the 24-hour customer-service window: send a template (…)')?.reason,
      'outside_customer_service_window',
    );
    assert.deepEqual(broadcastRecipientReason('something new went wrong'), {
      reason: 'provider_error',
      reasonDetail: 'something new went wrong',
    });
    assert.equal(broadcastRecipientReason(null), null);
  });
});
