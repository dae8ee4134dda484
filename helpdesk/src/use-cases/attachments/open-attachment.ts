/**
 * Open a stored attachment for an agent: the ticket's read rule applies (admins, the assignee,
 * or anyone while the ticket waits), and the file is found only through its database row's
 * storage key, which MediaStorage.pathOf confines to UPLOADS_DIR; nothing from the request reaches
 * the file system.
 */
import type { Readable } from 'node:stream';
import type { Deps } from '../../context';
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { findAttachmentWithTicket } from '../../store/attachments';

export interface OpenedAttachment {
  stream: Readable;
  /** Bytes. */
  size: number;
  mimeType: string;
  /** The sender's file name, if any. */
  filename: string | null;
  /** Hex sha256 of the bytes (a stable ETag). */
  sha256: string;
}

/**
 * @param attachmentId the attachment's id (a UUID, checked by the caller).
 * @throws AppError not_found (unknown id, or the file is gone); forbidden (a ticket of another agent).
 */
export async function openAttachment(
  deps: Pick<Deps, 'db' | 'storage'>,
  actor: Actor,
  attachmentId: string,
): Promise<OpenedAttachment> {
  const attachment = await findAttachmentWithTicket(deps.db, attachmentId);
  if (!attachment) throw new AppError('not_found', `attachment: no attachment ${attachmentId}`);
  const { ticket } = attachment;
  if (!canReadTicket(actor, ticket)) {
    throw new AppError('forbidden', `attachment: it belongs to #${ticket.number}, assigned to another agent`);
  }
  try {
    const { stream, size } = await deps.storage.open(attachment.storageKey);
    return {
      stream,
      size,
      mimeType: attachment.mimeType,
      filename: attachment.originalFilename,
      sha256: attachment.sha256,
    };
  } catch (error) {
    if (error instanceof AppError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('not_found', 'attachment: the file is no longer stored');
    }
    throw error;
  }
}
