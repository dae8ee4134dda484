/**
 * Message objects shaped as WPPConnect 2.3's `onMessage` emits them (WAPI `_serializeMessageObj`: the Msg
 * model's own fields plus `id`/`from`/`to`/`chatId` as strings, `sender` contact, `timestamp`, `content`,
 * `isGroupMsg`, `isMedia`, `quotedMsgId`, `mediaData`). Media messages carry a base64 JPEG thumbnail in `body`.
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/message.d.ts
 */
import type { WppAck, WppMessage } from '../src/session/wpp-types';

export const OWN = '201000000000@c.us';
const THUMB = `/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL${'A'.repeat(6000)}`;

let seq = 0;
function msgId(fromMe: boolean, chat: string, participant?: string): string {
  seq++;
  const id = `3EB0${String(seq).padStart(16, '0')}`;
  return participant ? `${fromMe}_${chat}_${id}_${participant}` : `${fromMe}_${chat}_${id}`;
}

function contact(id: string, pushname: string) {
  return {
    id,
    name: undefined,
    shortName: undefined,
    pushname,
    type: 'in',
    isBusiness: false,
    isEnterprise: false,
    isMe: false,
    isMyContact: false,
    isPSA: false,
    isUser: true,
    isWAContact: true,
    profilePicThumbObj: null,
    msgs: null,
  };
}

/** Base fields every serialized message has. */
function base(from: string, type: string, extra: Partial<WppMessage> = {}): WppMessage {
  const t = 1_732_200_000 + seq;
  return {
    id: msgId(false, from),
    viewed: false,
    body: '',
    type,
    t,
    notifyName: 'Mona Ali',
    from,
    to: OWN,
    ack: 1,
    invis: false,
    isNewMsg: true,
    star: false,
    kicNotified: false,
    recvFresh: true,
    isFromTemplate: false,
    broadcast: false,
    mentionedJidList: [],
    groupMentions: [],
    isVcardOverMmsDocument: false,
    isForwarded: false,
    hasReaction: false,
    productHeaderImageRejected: false,
    lastPlaybackProgress: 0,
    isDynamicReplyButtonsMsg: false,
    isCarouselCard: false,
    parentMsgId: null,
    isMdHistoryMsg: false,
    stickerSentTs: 0,
    isAvatar: false,
    lastUpdateFromServerTs: 0,
    invokedBotWid: null,
    bizBotType: null,
    botResponseTargetId: null,
    requiresDirectConnection: null,
    bizContentPlaceholderType: null,
    hostedBizEncStateMismatch: false,
    senderOrRecipientAccountTypeHosted: false,
    placeholderCreatedWhenAccountIsHosted: false,
    links: [],
    chatId: from,
    fromMe: false,
    sender: contact(from, 'Mona Ali'),
    timestamp: t,
    content: '',
    isGroupMsg: false,
    isMedia: false,
    isNotification: false,
    isPSA: false,
    mediaData: {},
    quotedMsgId: undefined,
    ...extra,
  } as WppMessage;
}

function media(from: string, type: string, mimetype: string, size: number, extra: Partial<WppMessage> = {}) {
  return base(from, type, {
    body: THUMB,
    content: THUMB,
    mimetype,
    size,
    filehash: 'kLHqf2Yt3bK7x0m6oZ1Kx8o6oA1xkN4d0r3zVb6r6zQ=',
    encFilehash: 'Y0c3x2+9ZXJ8o0b8bM1b6N7f2h1b5o0p4Yb3lJ1cH1Q=',
    mediaKey: 'b1E3X8qG6l1mZ3cVtU0nRkQ9V2h4Zp8Ws0yF6tH1jKc=',
    mediaKeyTimestamp: 1_732_199_990,
    clientUrl: 'https://mmg.whatsapp.net/v/t62.7118-24/12345_67890_n.enc?ccb=11-4',
    deprecatedMms3Url: 'https://mmg.whatsapp.net/d/f/AbCdEf.enc',
    directPath: '/v/t62.7118-24/12345_67890_n.enc?ccb=11-4',
    isMedia: true,
    isMMS: true,
    mediaData: { type, mediaStage: 'RESOLVED', animationDuration: 0, animatedAsNewMsg: false },
    ...extra,
  });
}

export const fixtures = {
  text: (from = '201001234567@c.us', body = 'Hello, I need a refill') =>
    base(from, 'chat', { body, content: body }),
  image: (from = '201001234567@c.us', size = 2048) =>
    media(from, 'image', 'image/jpeg', size, { caption: 'my prescription', width: 1280, height: 960 }),
  ptt: (from = '201001234567@c.us', size = 3000) =>
    media(from, 'ptt', 'audio/ogg; codecs=opus', size, { duration: '4', waveform: {} }),
  document: (from = '201001234567@c.us', size = 5000) =>
    media(from, 'document', 'application/pdf', size, {
      filename: 'lab-results.pdf',
      pageCount: 2,
      caption: 'results',
    }),
  location: (from = '201001234567@c.us') =>
    base(from, 'location', {
      body: THUMB,
      lat: 30.0444,
      lng: 31.2357,
      loc: 'El Ezaby Pharmacy\n12 Tahrir St, Cairo',
      isLive: false,
    }),
  vcard: (from = '201001234567@c.us') => {
    const card =
      'BEGIN:VCARD\nVERSION:3.0\nN:;Ahmed;;;\nFN:Ahmed\nTEL;type=CELL;waid=201112223334:+20 111 222 3334\nEND:VCARD';
    return base(from, 'vcard', { body: card, content: card, vcardFormattedName: 'Ahmed' });
  },
  listResponse: (from = '201001234567@c.us') =>
    base(from, 'list_response', {
      body: 'Prescription refill',
      listResponse: {
        title: 'Prescription refill',
        listType: 1,
        singleSelectReply: { selectedRowId: 'menu_1' },
      },
    }),
  unknownType: (from = '201001234567@c.us') => base(from, 'poll_creation', { body: '', pollName: 'Which?' }),
  fromLid: (lid: string) => base(lid, 'chat', { body: 'hi from lid', content: 'hi from lid', chatId: lid }),
  group: (group = '120363025123456789@g.us', author = '201005556667@c.us') =>
    base(group, 'chat', {
      body: 'group hello',
      content: 'group hello',
      author,
      isGroupMsg: true,
      chatId: group,
    }),
  statusBroadcast: (author = '201001234567@c.us') =>
    base('status@broadcast', 'image', {
      author,
      broadcast: true,
      isStatusV3: true,
      chatId: 'status@broadcast',
    }),
  own: (to = '201001234567@c.us') => ({
    ...base(OWN, 'chat', { body: 'our reply', to, chatId: to }),
    fromMe: true,
  }),
  quoted: (from = '201001234567@c.us', quotedMsgId = 'true_201001234567@c.us_3EB0AAAA') =>
    base(from, 'chat', { body: 'this one', content: 'this one', quotedMsgId }),
};

/** An ack as `onAck` emits it (`id` is an `Id` object). */
export function ack(messageId: string, value: number, remote = '201001234567@c.us'): WppAck {
  return {
    id: { fromMe: true, remote, id: messageId.split('_')[2] ?? messageId, _serialized: messageId },
    body: 'our reply',
    type: 'chat',
    t: 1_732_200_500,
    from: OWN,
    to: remote,
    self: 'out',
    ack: value,
    invis: false,
    isNewMsg: true,
    star: false,
    mentionedJidList: [],
    isForwarded: false,
    labels: [],
  };
}
