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
  lat?: number;
  lng?: number;
  loc?: string;
  isAnimated?: boolean;
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
