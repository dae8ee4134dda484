/**
 * The outbox's ordering keys (lanes): events of one lane are delivered in the order they entered the outbox,
 * lanes do not wait for each other (outbox.ts). A chat of a session is a lane; a session's own state changes
 * are another.
 */
import { createHash } from 'node:crypto';
import type { SidecarWebhookEvent } from '@whatsapp-helpdesk/contract/sidecar-events';

/**
 * The lane an event is ordered in when the caller names none: a session event in its session's lane, a
 * message, status, edit, deletion or reaction in its channel's lane of unknown chats (the inbound handler
 * names the chat).
 */
export function laneOf(event: SidecarWebhookEvent): string {
  switch (event.type) {
    case 'session':
      return sessionLane(event.channel);
    case 'message':
      return chatLane(event.message.channel, 'unknown');
    case 'status':
      return chatLane(event.status.channel, 'unknown');
    case 'edit':
      return chatLane(event.edit.channel, 'unknown');
    case 'deletion':
      return chatLane(event.deletion.channel, 'unknown');
    case 'reaction':
      return chatLane(event.reaction.channel, 'unknown');
  }
}

/**
 * The lane of one chat of one session: its messages and statuses keep their order. A chat id longer than
 * 128 characters (never a real one) is replaced by its SHA-256, to keep Redis keys short.
 */
export function chatLane(channel: string, chat: string): string {
  const id = chat.length > 128 ? createHash('sha256').update(chat).digest('hex') : chat;
  return `chat:${channel}/${id}`;
}

/** The lane of one session's state changes. */
export function sessionLane(channel: string): string {
  return `session:${channel}`;
}
