/**
 * The `ticket_notes` table: agents' internal notes on a ticket (never sent to the customer).
 */
import type { Database } from './database';
import { rows, type Queryable } from './sql';
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
export async function listTicketNotes(db: Queryable, ticketId: string): Promise<NoteView[]> {
  return rows<NoteView>(
    db,
    `SELECT n.id, n.body, n.created_at AS "createdAt",
            CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id, 'name', a.name) END AS agent
       FROM ticket_notes n LEFT JOIN agents a ON a.id = n.agent_id
      WHERE n.ticket_id = $1::uuid
      ORDER BY n.created_at, n.id`,
    [ticketId],
    'ticket-notes',
  );
}
