/**
 * Why a broadcast recipient was skipped or failed, in the console's language (one text per
 * BROADCAST_RECIPIENT_REASONS code: a code without both texts does not compile), with the
 * provider's own message beneath it as it came (English, left to right) when there is one.
 */
import type { BroadcastRecipient, BroadcastRecipientReason } from '@whatsapp-helpdesk/contract/api';
import type { Words } from '../i18n';

/** The reason's words in the page's language. */
export function reasonText(t: Words, reason: BroadcastRecipientReason): string {
  return t[`recipientReason_${reason}`];
}

/** The reason cell's content: nothing when the recipient has no reason. */
export function BroadcastReason({
  t,
  recipient,
}: {
  t: Words;
  recipient: Pick<BroadcastRecipient, 'reason' | 'reasonDetail'>;
}) {
  if (!recipient.reason) return null;
  return (
    <span className="broadcast-reason" data-reason={recipient.reason}>
      <span>{reasonText(t, recipient.reason)}</span>
      {recipient.reasonDetail && (
        <bdi dir="ltr" className="reason-detail">
          {recipient.reasonDetail}
        </bdi>
      )}
    </span>
  );
}
