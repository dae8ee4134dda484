/**
 * The parts of a thread message beyond its text and media, as the agents' API gives them
 * (contract/src/api/messages.ts, issue 12): the quoted message, edits, the deletion, reactions,
 * contact cards, the location and the provider's details (forwarded, view-once, album, duration,
 * list/button/interactive replies). `messageParts` reads them with safe defaults, so a message
 * from an older server (fields missing) renders as before. Pure.
 */
import type {
  MessageDetails,
  MessageLocation,
  QuotedMessage,
  SharedContact,
} from '@whatsapp-helpdesk/contract/api';
import type { Message } from '../../api';

export type QuotedPart = QuotedMessage;
/** An earlier version of an edited message. */
export type EditPart = Message['edits'][number];
export type ReactionPart = Message['reactions'][number];
export type ContactPart = SharedContact;
export type ContactPhonePart = SharedContact['phones'][number];
export type LocationPart = MessageLocation;
export type DetailsPart = MessageDetails;

export interface MessageParts {
  quoted: QuotedPart | null;
  editedAt: string | null;
  /** Earlier versions, oldest first (the message's `text` is the current one). */
  edits: EditPart[];
  deletedAt: string | null;
  /** Without removed reactions (empty emoji). */
  reactions: ReactionPart[];
  contacts: ContactPart[] | null;
  location: LocationPart | null;
  details: DetailsPart | null;
}

type Loose = Partial<Record<keyof MessageParts, unknown>>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The message's parts with defaults: nothing quoted, no edits, no reactions, no details. */
export function messageParts(message: Message): MessageParts {
  const loose = message as Omit<Message, keyof MessageParts> & Loose;
  const location = isObject(loose.location) ? loose.location : null;
  const latitude = finite(location?.latitude);
  const longitude = finite(location?.longitude);
  return {
    quoted: isObject(loose.quoted) ? (loose.quoted as unknown as QuotedPart) : null,
    editedAt: text(loose.editedAt),
    edits: Array.isArray(loose.edits) ? (loose.edits as EditPart[]) : [],
    deletedAt: text(loose.deletedAt),
    reactions: Array.isArray(loose.reactions)
      ? (loose.reactions as ReactionPart[]).filter((reaction) => reaction.emoji)
      : [],
    contacts: Array.isArray(loose.contacts) ? (loose.contacts as ContactPart[]) : null,
    // A location without both coordinates is no place on a map (never 0,0).
    location:
      location && latitude !== null && longitude !== null
        ? {
            latitude,
            longitude,
            name: text(location.name),
            address: text(location.address),
            live: location.live === true,
            url: text(location.url),
          }
        : null,
    details: isObject(loose.details) ? (loose.details as unknown as DetailsPart) : null,
  };
}

/** The album a message belongs to (consecutive photos and videos sent together), or null. */
export function albumIdOf(message: Message): string | null {
  return messageParts(message).details?.albumId ?? null;
}
