/**
 * The `ticket_notes` table: agents' internal notes on a ticket (never sent to the customer).
 */
import type { Database } from './database';
import type { PersonRef } from './tickets-read';

export interface NoteView {
  id: string;
  body: string;
  agent: PersonRef | null;
  createdAt: Date;
}

const withAgent = { agent: { select: { id: true, name: true } } } as const;

/** Stores a note by `agentId` on a ticket. @returns the note with its author. */
export async function insertTicketNote(
  db: Database,
  note: { ticketId: string; agentId: string; body: string },
): Promise<NoteView> {
  const created = await db.ticketNote.create({ data: note, include: withAgent });
  return { id: created.id, body: created.body, agent: created.agent, createdAt: created.createdAt };
}

/** A ticket's notes, oldest first. */
export async function listTicketNotes(db: Database, ticketId: string): Promise<NoteView[]> {
  const notes = await db.ticketNote.findMany({
    where: { ticketId },
    orderBy: { createdAt: 'asc' },
    include: withAgent,
  });
  return notes.map((note) => ({
    id: note.id,
    body: note.body,
    agent: note.agent,
    createdAt: note.createdAt,
  }));
}
