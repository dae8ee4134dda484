/**
 * Open a stored attachment for an agent: the ticket's read rule applies (admins, the assignee,
 * or anyone while the ticket waits), or the customer is at hand for the agent (they may read one
 * of that customer's open or pending tickets: the customer panel lists files shared before,
 * domain/customer-files.ts). The file is found only through its database row's storage key, which
 * MediaStorage.pathOf confines to UPLOADS_DIR; nothing from the request reaches the file system.
 * Also names the file for a download: the sender's name when its extension fits the type, else
 * one ending in the type's usual extension.
 */
import { stat } from 'node:fs/promises';
import mime from 'mime-types';
import type { Deps } from '../../context';
import { canReadCustomerFile } from '../../domain/customer-files';
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { findAttachmentWithTicket } from '../../store/attachments';
import { findActiveTicketsOfCustomer } from '../../store/customer-media';

export interface OpenedAttachment {
  /** Absolute path of the stored file (inside UPLOADS_DIR). */
  path: string;
  /** Bytes. */
  size: number;
  /** The stored type as stored, parameters included (e.g. `audio/ogg; codecs=opus`). */
  mimeType: string;
  /** The name to offer: see `downloadFilename`. */
  filename: string;
  /** Hex sha256 of the bytes (a stable ETag). */
  sha256: string;
}

/**
 * @param attachmentId the attachment's id (a UUID, checked by the caller).
 * @throws AppError not_found (unknown id, or the file is gone); forbidden (a ticket of another agent,
 *   and none of that customer's open or pending tickets is the actor's or waiting).
 */
export async function openAttachment(
  deps: Pick<Deps, 'db' | 'pool' | 'storage'>,
  actor: Actor,
  attachmentId: string,
): Promise<OpenedAttachment> {
  const attachment = await findAttachmentWithTicket(deps.db, attachmentId);
  if (!attachment) throw new AppError('not_found', `attachment: no attachment ${attachmentId}`);
  const { ticket } = attachment;
  // The customer's other tickets are looked up only when the file's own ticket is not readable.
  if (
    !canReadTicket(actor, ticket) &&
    !canReadCustomerFile(actor, ticket, await findActiveTicketsOfCustomer(deps.pool, ticket.customerId))
  ) {
    throw new AppError('forbidden', `attachment: it belongs to #${ticket.number}, assigned to another agent`);
  }
  try {
    const path = deps.storage.pathOf(attachment.storageKey);
    const { size } = await stat(path);
    return {
      path,
      size,
      mimeType: attachment.mimeType,
      filename: downloadFilename(
        attachment.originalFilename,
        attachment.mimeType,
        `attachment-${attachmentId.slice(0, 8)}`,
      ),
      sha256: attachment.sha256,
    };
  } catch (error) {
    if (error instanceof AppError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('not_found', 'attachment: the file is no longer stored');
    }
    throw error;
  }
}

/**
 * The extension people expect for a type where mime-types' first one is unusual (it names
 * `audio/ogg` `.oga`, `audio/mpeg` `.mpga`, `audio/aac` `.adts`).
 */
const PREFERRED_EXTENSION: Readonly<Record<string, string>> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
  'audio/x-aac': 'aac',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'video/quicktime': 'mov',
  'image/jpeg': 'jpg',
  'text/plain': 'txt',
};

/** Types that say nothing of the content: a sender's name is kept as it is. */
const GENERIC_TYPES = new Set(['application/octet-stream', 'binary/octet-stream']);

/**
 * The name a download gets.
 * @param filename the sender's file name, or null.
 * @param mimeType the stored type, parameters allowed (`audio/ogg; codecs=opus`).
 * @param fallback the name, without extension, when the sender gave none.
 * @returns the sender's name when its extension is one of the type's (any case) or the type is
 *   generic; else that name (or `fallback`) with the type's usual extension appended
 *   (`voice-note` → `voice-note.ogg`); `.bin` for a type without a known extension.
 */
export function downloadFilename(filename: string | null, mimeType: string, fallback: string): string {
  const essence = mimeType.split(';')[0]!.trim().toLowerCase();
  const name = filename?.trim() || null;
  if (name && GENERIC_TYPES.has(essence)) return name;
  const extensions = mime.extensions[essence] ?? [];
  const dot = name ? name.lastIndexOf('.') : -1;
  if (name && dot > 0 && extensions.includes(name.slice(dot + 1).toLowerCase())) return name;
  const extension = PREFERRED_EXTENSION[essence] ?? (mime.extension(essence) || 'bin');
  return `${name ?? fallback}.${extension}`;
}
