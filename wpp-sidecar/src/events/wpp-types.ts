/**
 * The subset of WPPConnect's message and ack shapes the sidecar reads, kept loose on purpose: WhatsApp
 * Web adds and drops fields between versions, and fields such as `filename`, `lat`/`lng`, `listResponse`
 * or `selectedButtonId` arrive at run time although `Message` does not declare them. They live beside
 * the pure code that turns them into webhook events (this folder); the session and inbound code use
 * them from here.
 *
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/message.d.ts (`Message`)
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/ack.d.ts (`Ack`, `AckType`)
 */

/** A message as `client.onMessage` delivers it (WAPI `_serializeMessageObj`: `id`, `from`, `to` are strings). */
export interface WppMessage {
  id: string;
  type: string;
  from: string;
  to?: string;
  chatId?: string | { _serialized: string };
  author?: string;
  body?: string;
  content?: string;
  caption?: string;
  /** False when WhatsApp filled `caption` itself (a document's filename): the customer typed nothing. */
  isCaptionByUser?: boolean;
  t?: number;
  timestamp?: number;
  fromMe?: boolean;
  isGroupMsg?: boolean;
  isMedia?: boolean;
  isStatusV3?: boolean;
  broadcast?: boolean;
  mimetype?: string;
  size?: number;
  filename?: string;
  notifyName?: string;
  sender?: {
    id?: string | { _serialized?: string };
    pushname?: string;
    name?: string;
    formattedName?: string;
  };
  quotedMsgId?: string | null;
  /**
   * The quoted message's bare id (no `fromMe_chat_` prefix), its author (`…@c.us` / `…@lid`, serialized
   * by WAPI `_serializeMessageObj`) and a copy of it (the Msg model's `quotedMsg`: `type`, `body`, `caption`…).
   * `quotedMsgId` is often empty on real messages: these carry the link.
   */
  quotedStanzaID?: string | null;
  quotedParticipant?: string | null;
  quotedMsg?: Record<string, unknown> | null;
  lat?: number | string | null;
  lng?: number | string | null;
  loc?: string;
  isLive?: boolean;
  isAnimated?: boolean;
  isForwarded?: boolean;
  forwardingScore?: number;
  isViewOnce?: boolean;
  /** Seconds, sometimes a numeric string (`'4'`). */
  duration?: number | string;
  width?: number;
  height?: number;
  pageCount?: number;
  /** The album a photo or video belongs to (wa-js `MsgModel.parentMsgKey`). */
  parentMsgKey?: unknown;
  vcardList?: Array<{ displayName?: string; vcard?: string } | null>;
  /** `protocol` messages: `revoke`, `sender_revoke`, `admin_revoke`, `message_edit`, … */
  subtype?: string | null;
  /** `protocol` messages: the key of the message they act on. */
  protocolMessageKey?: unknown;
  /** Edited messages: when the last edit was sent (ms). wa-js `MsgModel.latestEditSenderTimestampMs`. */
  latestEditSenderTimestampMs?: number | null;
  [key: string]: unknown;
}

/**
 * What `client.onMessageEdit` delivers (wa-js `chat.msg_edited`, fired on `MsgStore` `change:latestEditMsgKey`:
 * `{ chat: msg.to, id: msg.id.toString(), msg }`; WPPConnect serializes `msg` with WAPI `processMessageObj`).
 * `chat` is the message's `to`, so for a customer's message it is our own number: the chat is read from
 * `msg` instead. `msg.body` (or `caption`) is the new text.
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/listener.layer.d.ts (`onMessageEdit`)
 * @see node_modules/@wppconnect/wa-js/dist/chat/events/eventTypes.d.ts (`chat.msg_edited`)
 */
export interface WppEdit {
  chat?: unknown;
  id?: string;
  msg?: WppMessage | null;
  [key: string]: unknown;
}

/**
 * What `client.onRevokedMessage` delivers (wa-js `chat.msg_revoke`, from `protocol` messages of subtype
 * `revoke` / `sender_revoke` / `admin_revoke`): `id` the protocol message, `refId` the deleted message
 * (both `_serialized`), `from`/`to`/`author` Wids (JSON: strings).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/listener.layer.js (`onRevokedMessage`)
 */
export interface WppRevoke {
  author?: unknown;
  from?: unknown;
  to?: unknown;
  id?: unknown;
  refId?: unknown;
  [key: string]: unknown;
}

/**
 * What `client.onReactionMessage` delivers (wa-js `chat.new_reaction`): `id` the reaction's own key,
 * `msgId` the key of the message reacted to, `reactionText` the emoji ('' = removed), `sender` who
 * reacted, `timestamp` (seconds; milliseconds accepted). Keys and Wids cross Puppeteer's binding as JSON:
 * a `MsgKey` as `{ fromMe, remote, id, _serialized }` (or its string), a `Wid` as its string.
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/listener.layer.d.ts (`onReactionMessage`)
 * @see node_modules/@wppconnect/wa-js/dist/chat/events/eventTypes.d.ts (`chat.new_reaction`)
 */
export interface WppReaction {
  id?: unknown;
  msgId?: unknown;
  reactionText?: unknown;
  read?: boolean;
  sender?: unknown;
  orphan?: number;
  orphanReason?: unknown;
  timestamp?: number;
  [key: string]: unknown;
}

/** WPPConnect's `Id` object (`Ack.id`); `_serialized` is `<fromMe>_<chat>_<id>`. */
export interface WppId {
  _serialized: string;
  remote?: string | { _serialized?: string };
  /** True for a message this account sent. */
  fromMe?: boolean;
  id?: string;
}

/**
 * An ack as `client.onAck` delivers it; `ack` follows `AckType` (-7 ... -1 failures, 0 clock, 1 sent, 2
 * received, 3 read, 4 played, 5 peer). WPPConnect fires it for every message whose ack changes
 * (WAPI `waitNewAcknowledgements`: WhatsApp Web's `MsgStore.on('change:ack')`), the customer's messages
 * included; `id.fromMe` tells ours apart.
 */
export interface WppAck {
  id: WppId | string;
  ack: number;
  from?: string;
  to?: string;
  t?: number;
  [key: string]: unknown;
}
