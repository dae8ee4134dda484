/**
 * Stable event ids: the same WhatsApp message, ack, edit, deletion or reaction always yields the same id, so
 * retries and redeliveries dedupe at the outbox (BullMQ jobId) and at the helpdesk.
 */

/**
 * @param session - SESSION_NAME.
 * @param messageId - WPPConnect serialized message id (`false_2010...@c.us_3EB0...`).
 * @returns `wppconnect:<session>:<messageId>`.
 */
export function messageEventId(session: string, messageId: string): string {
  return `wppconnect:${session}:${messageId}`;
}

/**
 * @param session - SESSION_NAME.
 * @param messageId - serialized id of the acknowledged message.
 * @param ack - WPPConnect `AckType` value.
 * @returns `wppconnect:<session>:ack:<messageId>:<ack>`.
 */
export function ackEventId(session: string, messageId: string, ack: number): string {
  return `wppconnect:${session}:ack:${messageId}:${ack}`;
}

/**
 * @param session - the session (channel) name.
 * @param since - ISO 8601 time the session entered `state`.
 * @param state - the state entered.
 * @returns `wppconnect:<session>:session:<since>:<state>`: one id per change, the same on every retry.
 */
export function sessionEventId(session: string, since: string, state: string): string {
  return `wppconnect:${session}:session:${since}:${state}`;
}

/**
 * @param session - the session (channel) name.
 * @param messageId - serialized id of the edited message.
 * @param editedAtMs - when the edit was made (unix ms): each edit of a message is its own event.
 * @returns `wppconnect:<session>:edit:<messageId>:<unix ms>`.
 */
export function editEventId(session: string, messageId: string, editedAtMs: number): string {
  return `wppconnect:${session}:edit:${messageId}:${editedAtMs}`;
}

/**
 * @param session - the session (channel) name.
 * @param messageId - serialized id of the deleted message (a message is deleted once).
 * @returns `wppconnect:<session>:deletion:<messageId>`.
 */
export function deletionEventId(session: string, messageId: string): string {
  return `wppconnect:${session}:deletion:${messageId}`;
}

/**
 * @param session - the session (channel) name.
 * @param messageId - serialized id of the message reacted to.
 * @param sender - who reacted (their WhatsApp id).
 * @param reactedAtMs - when (unix ms): a changed or removed reaction is a new event.
 * @returns `wppconnect:<session>:reaction:<messageId>:<sender>:<unix ms>`.
 */
export function reactionEventId(
  session: string,
  messageId: string,
  sender: string,
  reactedAtMs: number,
): string {
  return `wppconnect:${session}:reaction:${messageId}:${sender}:${reactedAtMs}`;
}
