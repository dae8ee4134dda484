/** Stored files of messages: an attachment's row with what reading it needs to know of its ticket. */
import type { Database } from './database';

/** An attachment's row and the ticket of its message. */
export interface AttachmentWithTicket {
  id: string;
  /** Where MediaStorage keeps the file (relative to UPLOADS_DIR). */
  storageKey: string;
  mimeType: string;
  /** Bytes. */
  size: number;
  sha256: string;
  originalFilename: string | null;
  ticket: { number: number; assigneeId: string | null; customerId: string };
}

/** The attachment with this id and its ticket, or null. */
export async function findAttachmentWithTicket(
  db: Database,
  attachmentId: string,
): Promise<AttachmentWithTicket | null> {
  const attachment = await db.attachment.findUnique({
    where: { id: attachmentId },
    include: {
      message: { select: { ticket: { select: { number: true, assigneeId: true, customerId: true } } } },
    },
  });
  if (!attachment) return null;
  return {
    id: attachment.id,
    storageKey: attachment.storageKey,
    mimeType: attachment.mimeType,
    size: attachment.size,
    sha256: attachment.sha256,
    originalFilename: attachment.originalFilename,
    ticket: attachment.message.ticket,
  };
}
