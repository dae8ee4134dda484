-- Rollups for the period report (issues 16 and 18): a year's report (150,000 tickets, 2,000,000
-- messages) read from them instead of every message of the year (helpdesk/src/store/reports-period.ts).
--   message_hour_counts     inbound and outbound messages per UTC hour (created_at in
--                           [hour, hour + 1 hour)), one row per hour and writer: the summed rows
--                           of an hour are its counts. The writer is the PostgreSQL backend of the
--                           inserting transaction (pg_backend_pid), so two concurrent inbound
--                           batches never wait on each other's row, whatever their tickets.
--                           The report's series reads whole hours here and the hours its local
--                           days or weeks start in (time zones off the UTC hour) from messages.
--   ticket_message_counts   per ticket: its inbound and outbound messages and the created_at of
--                           its first and last one. The report's breakdown takes a ticket's
--                           counts whole when all its messages are in the period and counts the
--                           messages of the few tickets that cross an edge of the period.
--   tickets.first_agent_reply_at  the report's first response: the first outbound message by an
--                           agent at or after opened_at. Not first_response_at, which the reply
--                           path sets once and which stays on a ticket whose messages a
--                           customers' merge moves away (store/customers-by-identity.ts).
-- Kept in the transaction of every change to messages by the triggers below:
--   insert    statement level with a transition table: one set-based upsert per table per INSERT
--             statement (the inbound path inserts a batch in one statement), rows in key order,
--             tickets updated only when the statement holds an agent's reply
--   delete    statement level (nothing in the helpdesk deletes messages today): counts taken off,
--             the tickets' rows computed again from their messages
--   update    row level, only when ticket_id, created_at, direction or author changes (a customers'
--             merge moves messages to the kept ticket), so delivery status updates stay free
--   truncate  empties the rollups
-- and tickets.first_agent_reply_at again when opened_at changes (nothing changes it today).
-- No foreign keys: a row only counts messages that already reference their ticket, and the check
-- would be one more lookup per row on the inbound path.
-- The functions' bodies are E'' strings with \073 for the semicolon (Prisma's migration adapter
-- splits the file at every semicolon). Like every migration it is applied with the helpdesk
-- stopped, so the backfills at the end and the triggers see the same messages.

CREATE TABLE "message_hour_counts" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "writer" INTEGER NOT NULL,
    "inbound" INTEGER NOT NULL DEFAULT 0,
    "outbound" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "message_hour_counts_pkey" PRIMARY KEY ("hour", "writer")
);

CREATE TABLE "ticket_message_counts" (
    "ticket_id" UUID NOT NULL,
    "inbound" INTEGER NOT NULL DEFAULT 0,
    "outbound" INTEGER NOT NULL DEFAULT 0,
    "first_at" TIMESTAMPTZ(3) NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ticket_message_counts_pkey" PRIMARY KEY ("ticket_id")
);

-- The tickets with messages at or after a period's start (a month's report reads a month's tickets).
CREATE INDEX "ticket_message_counts_last_at_idx" ON "ticket_message_counts" ("last_at") INCLUDE ("first_at", "inbound", "outbound");

ALTER TABLE "tickets" ADD COLUMN "first_agent_reply_at" TIMESTAMPTZ(3);

-- The report's tickets opened in a period (opened_at never changes: updates of tickets stay HOT).
CREATE INDEX "tickets_opened_at_idx" ON "tickets" ("opened_at");

-- The report's surveys sent in a period (set once per survey: other updates of tickets stay HOT).
CREATE INDEX "tickets_csat_requested_at_idx" ON "tickets" ("csat_requested_at");

-- The report's resolutions and reopenings of a period without reading every other event (the
-- inbound path's `opened`, `assigned` and the rest never enter these partial indexes).
CREATE INDEX "ticket_events_resolutions_idx" ON "ticket_events" ("created_at") INCLUDE ("ticket_id")
  WHERE "type" = 'status_changed' AND ("data" ->> 'from') IN ('open', 'pending') AND ("data" ->> 'to') IN ('resolved', 'closed');
CREATE INDEX "ticket_events_reopened_idx" ON "ticket_events" ("created_at") INCLUDE ("ticket_id")
  WHERE "type" = 'reopened';

-- Computes ticket_message_counts and tickets.first_agent_reply_at again for the tickets given.
CREATE FUNCTION report_rollups_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  DELETE FROM ticket_message_counts WHERE ticket_id = ANY(ids)\073
  INSERT INTO ticket_message_counts (ticket_id, inbound, outbound, first_at, last_at)
  SELECT m.ticket_id, count(*) FILTER (WHERE m.direction = ''inbound''), count(*) FILTER (WHERE m.direction = ''outbound''),
         min(m.created_at), max(m.created_at)
    FROM messages m WHERE m.ticket_id = ANY(ids)
   GROUP BY m.ticket_id\073
  UPDATE tickets t
     SET first_agent_reply_at = (SELECT min(r.created_at) FROM messages r
                                  WHERE r.ticket_id = t.id AND r.direction = ''outbound'' AND r.author = ''agent''
                                    AND r.created_at >= t.opened_at)
   WHERE t.id = ANY(ids)
     AND t.first_agent_reply_at IS DISTINCT FROM (SELECT min(r.created_at) FROM messages r
                                  WHERE r.ticket_id = t.id AND r.direction = ''outbound'' AND r.author = ''agent''
                                    AND r.created_at >= t.opened_at)\073
END ';

CREATE FUNCTION report_rollups_insert() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO message_hour_counts AS h (hour, writer, inbound, outbound)
  SELECT date_bin(''1 hour'', n.created_at, timestamptz ''2000-01-01 00:00:00+00''), pg_backend_pid(),
         count(*) FILTER (WHERE n.direction = ''inbound''), count(*) FILTER (WHERE n.direction = ''outbound'')
    FROM new_messages n
   GROUP BY 1
   ORDER BY 1
  ON CONFLICT (hour, writer) DO UPDATE
     SET inbound = h.inbound + excluded.inbound, outbound = h.outbound + excluded.outbound\073
  INSERT INTO ticket_message_counts AS c (ticket_id, inbound, outbound, first_at, last_at)
  SELECT n.ticket_id, count(*) FILTER (WHERE n.direction = ''inbound''), count(*) FILTER (WHERE n.direction = ''outbound''),
         min(n.created_at), max(n.created_at)
    FROM new_messages n
   GROUP BY 1
   ORDER BY 1
  ON CONFLICT (ticket_id) DO UPDATE
     SET inbound = c.inbound + excluded.inbound, outbound = c.outbound + excluded.outbound,
         first_at = least(c.first_at, excluded.first_at), last_at = greatest(c.last_at, excluded.last_at)\073
  IF EXISTS (SELECT 1 FROM new_messages n WHERE n.direction = ''outbound'' AND n.author = ''agent'') THEN
    UPDATE tickets t SET first_agent_reply_at = r.at
      FROM (SELECT n.ticket_id, min(n.created_at) AS at
              FROM new_messages n JOIN tickets o ON o.id = n.ticket_id
             WHERE n.direction = ''outbound'' AND n.author = ''agent'' AND n.created_at >= o.opened_at
             GROUP BY 1) r
     WHERE t.id = r.ticket_id AND (t.first_agent_reply_at IS NULL OR t.first_agent_reply_at > r.at)\073
  END IF\073
  RETURN NULL\073
END ';

CREATE TRIGGER report_rollups_insert AFTER INSERT ON "messages"
  REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_insert();

CREATE FUNCTION report_rollups_delete() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO message_hour_counts AS h (hour, writer, inbound, outbound)
  SELECT date_bin(''1 hour'', o.created_at, timestamptz ''2000-01-01 00:00:00+00''), pg_backend_pid(),
         -count(*) FILTER (WHERE o.direction = ''inbound''), -count(*) FILTER (WHERE o.direction = ''outbound'')
    FROM old_messages o
   GROUP BY 1
   ORDER BY 1
  ON CONFLICT (hour, writer) DO UPDATE
     SET inbound = h.inbound + excluded.inbound, outbound = h.outbound + excluded.outbound\073
  PERFORM report_rollups_refresh(ARRAY(SELECT DISTINCT o.ticket_id FROM old_messages o))\073
  RETURN NULL\073
END ';

CREATE TRIGGER report_rollups_delete AFTER DELETE ON "messages"
  REFERENCING OLD TABLE AS old_messages FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_delete();

CREATE FUNCTION report_rollups_update() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO message_hour_counts AS h (hour, writer, inbound, outbound)
  VALUES (date_bin(''1 hour'', OLD.created_at, timestamptz ''2000-01-01 00:00:00+00''), pg_backend_pid(),
          -(OLD.direction = ''inbound'')::int, -(OLD.direction = ''outbound'')::int)
  ON CONFLICT (hour, writer) DO UPDATE
     SET inbound = h.inbound + excluded.inbound, outbound = h.outbound + excluded.outbound\073
  INSERT INTO message_hour_counts AS h (hour, writer, inbound, outbound)
  VALUES (date_bin(''1 hour'', NEW.created_at, timestamptz ''2000-01-01 00:00:00+00''), pg_backend_pid(),
          (NEW.direction = ''inbound'')::int, (NEW.direction = ''outbound'')::int)
  ON CONFLICT (hour, writer) DO UPDATE
     SET inbound = h.inbound + excluded.inbound, outbound = h.outbound + excluded.outbound\073
  PERFORM report_rollups_refresh(ARRAY[OLD.ticket_id, NEW.ticket_id])\073
  RETURN NULL\073
END ';

CREATE TRIGGER report_rollups_update AFTER UPDATE OF ticket_id, created_at, direction, author ON "messages"
  FOR EACH ROW
  WHEN (OLD.ticket_id IS DISTINCT FROM NEW.ticket_id OR OLD.created_at IS DISTINCT FROM NEW.created_at
        OR OLD.direction IS DISTINCT FROM NEW.direction OR OLD.author IS DISTINCT FROM NEW.author)
  EXECUTE FUNCTION report_rollups_update();

CREATE FUNCTION report_rollups_truncate() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  TRUNCATE message_hour_counts, ticket_message_counts\073
  UPDATE tickets SET first_agent_reply_at = NULL WHERE first_agent_reply_at IS NOT NULL\073
  RETURN NULL\073
END ';

CREATE TRIGGER report_rollups_truncate AFTER TRUNCATE ON "messages"
  FOR EACH STATEMENT EXECUTE FUNCTION report_rollups_truncate();

CREATE FUNCTION report_rollups_opened_at() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  NEW.first_agent_reply_at := (SELECT min(r.created_at) FROM messages r
                                WHERE r.ticket_id = NEW.id AND r.direction = ''outbound'' AND r.author = ''agent''
                                  AND r.created_at >= NEW.opened_at)\073
  RETURN NEW\073
END ';

CREATE TRIGGER report_rollups_opened_at BEFORE UPDATE OF opened_at ON "tickets"
  FOR EACH ROW WHEN (OLD.opened_at IS DISTINCT FROM NEW.opened_at)
  EXECUTE FUNCTION report_rollups_opened_at();

-- The messages stored before this migration (writer 0: no backend of the helpdesk's).
INSERT INTO message_hour_counts (hour, writer, inbound, outbound)
SELECT date_bin('1 hour', m.created_at, timestamptz '2000-01-01 00:00:00+00'), 0,
       count(*) FILTER (WHERE m.direction = 'inbound'), count(*) FILTER (WHERE m.direction = 'outbound')
  FROM messages m
 GROUP BY 1;

INSERT INTO ticket_message_counts (ticket_id, inbound, outbound, first_at, last_at)
SELECT m.ticket_id, count(*) FILTER (WHERE m.direction = 'inbound'), count(*) FILTER (WHERE m.direction = 'outbound'),
       min(m.created_at), max(m.created_at)
  FROM messages m
 GROUP BY 1;

UPDATE tickets t SET first_agent_reply_at = r.at
  FROM (SELECT o.id AS ticket_id, min(m.created_at) AS at
          FROM tickets o JOIN messages m ON m.ticket_id = o.id AND m.direction = 'outbound' AND m.author = 'agent'
                                        AND m.created_at >= o.opened_at
         GROUP BY o.id) r
 WHERE t.id = r.ticket_id;
