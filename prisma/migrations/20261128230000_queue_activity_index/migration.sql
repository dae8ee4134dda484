-- The waiting queue (the inbox's unassigned view) in its default order: latest customer message
-- first, then highest number, with keyset pages. Without it each page sorted every waiting ticket
-- (4,188 in a seeded year: 219 ms a page), since tickets_waiting is ordered by opening, for
-- assignment, and a scan of tickets_last_inbound_at_number_idx filters every ticket ever. Partial,
-- so it holds only the waiting tickets: assignment or resolution takes a ticket out of it. (An
-- agent's own view needs nothing more: tickets_assignee_id_status_idx finds their few tickets.)
CREATE INDEX "tickets_queue_activity_idx" ON "tickets" ("last_inbound_at" DESC NULLS LAST, "number" DESC)
  WHERE "assignee_id" IS NULL AND "status" IN ('open', 'pending');
