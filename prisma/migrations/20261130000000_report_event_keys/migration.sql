-- The period report's breakdown without joining a year's facts to their tickets (issue 18: a year
-- within 500 ms). Every fact of the breakdown is credited to its ticket's agent, team, category or
-- channel, and joining 150,000 message counts and 160,000 resolutions and reopenings to tickets
-- was most of a year's breakdown. The rollups now carry their ticket's keys:
--   report_events           one row per resolution (status_changed from open or pending to
--                           resolved or closed) and per reopening of ticket_events, with its time,
--                           its ticket's opened_at and keys, and the resolution's duration in
--                           seconds from opened_at (a generated column: the breakdown's
--                           percentiles read it instead of computing 160,000 numeric epochs).
--                           Kept by row triggers on ticket_events (inserts, updates, deletes,
--                           truncate): the other events never enter it, and the WHEN clauses keep
--                           their inserts free.
--   ticket_message_counts   gains the ticket's keys, written with the row (the insert trigger on
--                           messages reads them from tickets) and never on conflict.
--   tickets.first_response_seconds  the report's first response in seconds (first_agent_reply_at
--                           minus opened_at, as the breakdown computed it): a generated column,
--                           not indexed (updates of tickets stay HOT). Adding it rewrites tickets.
-- Keys: assignee_id, team_id, provider, channel, category, as the ticket has them now. A change to
-- any of them (an assignment, a transfer, a category) or to opened_at updates the ticket's rows of
-- both tables (row trigger on tickets, only when one of them changes: other updates stay free).
-- The paths that store a resolution or a reopening update their ticket first in the same
-- transaction, so a concurrent reassignment waits for them and then finds their row.
-- The functions' bodies are E'' strings with \073 for the semicolon (Prisma's migration adapter
-- splits the file at every semicolon). Applied with the helpdesk stopped, like every migration.

CREATE TABLE "report_events" (
    "event_id" BIGINT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "reopened" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "assignee_id" UUID,
    "team_id" UUID,
    "provider" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "category" TEXT,
    "seconds" DOUBLE PRECISION NOT NULL GENERATED ALWAYS AS (extract(epoch FROM "at" - "opened_at")::float8) STORED,

    CONSTRAINT "report_events_pkey" PRIMARY KEY ("event_id")
);

-- A period's events read from the index alone, and a ticket's rows when its keys change.
CREATE INDEX "report_events_at_idx" ON "report_events" ("at")
  INCLUDE ("reopened", "opened_at", "assignee_id", "team_id", "provider", "channel", "category", "seconds");
CREATE INDEX "report_events_ticket_id_idx" ON "report_events" ("ticket_id");

ALTER TABLE "tickets" ADD COLUMN "first_response_seconds" DOUBLE PRECISION
  GENERATED ALWAYS AS (extract(epoch FROM "first_agent_reply_at" - "opened_at")::float8) STORED;

ALTER TABLE "ticket_message_counts" ADD COLUMN "assignee_id" UUID,
  ADD COLUMN "team_id" UUID,
  ADD COLUMN "provider" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "channel" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "category" TEXT;

-- The event's row of report_events, if it is a resolution or a reopening.
CREATE FUNCTION report_events_add(e ticket_events) RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO report_events (event_id, ticket_id, reopened, at, opened_at, assignee_id, team_id, provider, channel, category)
  SELECT e.id, e.ticket_id, e.type = ''reopened'', e.created_at, t.opened_at, t.assignee_id, t.team_id, t.provider,
         t.channel, t.category
    FROM tickets t
   WHERE t.id = e.ticket_id
     AND (e.type = ''reopened''
          OR (e.type = ''status_changed'' AND (e.data ->> ''from'') IN (''open'', ''pending'')
              AND (e.data ->> ''to'') IN (''resolved'', ''closed'')))\073
END ';

CREATE FUNCTION report_events_insert() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM report_events_add(NEW)\073
  RETURN NULL\073
END ';

CREATE TRIGGER report_events_insert AFTER INSERT ON "ticket_events"
  FOR EACH ROW WHEN (NEW.type IN ('status_changed', 'reopened'))
  EXECUTE FUNCTION report_events_insert();

CREATE FUNCTION report_events_change() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  DELETE FROM report_events WHERE event_id = OLD.id\073
  IF TG_OP = ''UPDATE'' THEN
    PERFORM report_events_add(NEW)\073
  END IF\073
  RETURN NULL\073
END ';

CREATE TRIGGER report_events_update AFTER UPDATE OF id, ticket_id, type, data, created_at ON "ticket_events"
  FOR EACH ROW
  WHEN ((OLD.type IN ('status_changed', 'reopened') OR NEW.type IN ('status_changed', 'reopened'))
        AND (OLD.id, OLD.ticket_id, OLD.type, OLD.data, OLD.created_at)
            IS DISTINCT FROM (NEW.id, NEW.ticket_id, NEW.type, NEW.data, NEW.created_at))
  EXECUTE FUNCTION report_events_change();

CREATE TRIGGER report_events_delete AFTER DELETE ON "ticket_events"
  FOR EACH ROW WHEN (OLD.type IN ('status_changed', 'reopened'))
  EXECUTE FUNCTION report_events_change();

CREATE FUNCTION report_events_truncate() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  TRUNCATE report_events\073
  RETURN NULL\073
END ';

CREATE TRIGGER report_events_truncate AFTER TRUNCATE ON "ticket_events"
  FOR EACH STATEMENT EXECUTE FUNCTION report_events_truncate();

CREATE FUNCTION report_ticket_keys() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE ticket_message_counts
     SET assignee_id = NEW.assignee_id, team_id = NEW.team_id, provider = NEW.provider, channel = NEW.channel,
         category = NEW.category
   WHERE ticket_id = NEW.id\073
  UPDATE report_events
     SET opened_at = NEW.opened_at, assignee_id = NEW.assignee_id, team_id = NEW.team_id, provider = NEW.provider,
         channel = NEW.channel, category = NEW.category
   WHERE ticket_id = NEW.id\073
  RETURN NULL\073
END ';

CREATE TRIGGER report_ticket_keys AFTER UPDATE OF assignee_id, team_id, provider, channel, category, opened_at ON "tickets"
  FOR EACH ROW
  WHEN ((OLD.assignee_id, OLD.team_id, OLD.provider, OLD.channel, OLD.category, OLD.opened_at)
        IS DISTINCT FROM (NEW.assignee_id, NEW.team_id, NEW.provider, NEW.channel, NEW.category, NEW.opened_at))
  EXECUTE FUNCTION report_ticket_keys();

-- As in 20261129000000_report_rollups, the ticket's keys written with a new row, and the tickets
-- updated before ticket_message_counts: every path then locks a ticket before its counts' row (the
-- inbound path locks its ticket first, report_ticket_keys runs under the ticket's lock), so a
-- first agent reply and a reassignment of the same ticket never wait on each other in a circle.
CREATE OR REPLACE FUNCTION report_rollups_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  UPDATE tickets t
     SET first_agent_reply_at = (SELECT min(r.created_at) FROM messages r
                                  WHERE r.ticket_id = t.id AND r.direction = ''outbound'' AND r.author = ''agent''
                                    AND r.created_at >= t.opened_at)
   WHERE t.id = ANY(ids)
     AND t.first_agent_reply_at IS DISTINCT FROM (SELECT min(r.created_at) FROM messages r
                                  WHERE r.ticket_id = t.id AND r.direction = ''outbound'' AND r.author = ''agent''
                                    AND r.created_at >= t.opened_at)\073
  DELETE FROM ticket_message_counts WHERE ticket_id = ANY(ids)\073
  INSERT INTO ticket_message_counts (ticket_id, inbound, outbound, first_at, last_at, assignee_id, team_id, provider,
                                     channel, category)
  SELECT m.ticket_id, m.inbound, m.outbound, m.first_at, m.last_at, t.assignee_id, t.team_id, t.provider, t.channel,
         t.category
    FROM (SELECT m.ticket_id, count(*) FILTER (WHERE m.direction = ''inbound'') AS inbound,
                 count(*) FILTER (WHERE m.direction = ''outbound'') AS outbound,
                 min(m.created_at) AS first_at, max(m.created_at) AS last_at
            FROM messages m WHERE m.ticket_id = ANY(ids)
           GROUP BY m.ticket_id) m
    JOIN tickets t ON t.id = m.ticket_id\073
END ';

CREATE OR REPLACE FUNCTION report_rollups_insert() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF EXISTS (SELECT 1 FROM new_messages n WHERE n.direction = ''outbound'' AND n.author = ''agent'') THEN
    UPDATE tickets t SET first_agent_reply_at = r.at
      FROM (SELECT n.ticket_id, min(n.created_at) AS at
              FROM new_messages n JOIN tickets o ON o.id = n.ticket_id
             WHERE n.direction = ''outbound'' AND n.author = ''agent'' AND n.created_at >= o.opened_at
             GROUP BY 1) r
     WHERE t.id = r.ticket_id AND (t.first_agent_reply_at IS NULL OR t.first_agent_reply_at > r.at)\073
  END IF\073
  INSERT INTO message_hour_counts AS h (hour, writer, inbound, outbound)
  SELECT date_bin(''1 hour'', n.created_at, timestamptz ''2000-01-01 00:00:00+00''), pg_backend_pid(),
         count(*) FILTER (WHERE n.direction = ''inbound''), count(*) FILTER (WHERE n.direction = ''outbound'')
    FROM new_messages n
   GROUP BY 1
   ORDER BY 1
  ON CONFLICT (hour, writer) DO UPDATE
     SET inbound = h.inbound + excluded.inbound, outbound = h.outbound + excluded.outbound\073
  INSERT INTO ticket_message_counts AS c (ticket_id, inbound, outbound, first_at, last_at, assignee_id, team_id,
                                          provider, channel, category)
  SELECT n.ticket_id, n.inbound, n.outbound, n.first_at, n.last_at, t.assignee_id, t.team_id, t.provider, t.channel,
         t.category
    FROM (SELECT n.ticket_id, count(*) FILTER (WHERE n.direction = ''inbound'') AS inbound,
                 count(*) FILTER (WHERE n.direction = ''outbound'') AS outbound,
                 min(n.created_at) AS first_at, max(n.created_at) AS last_at
            FROM new_messages n
           GROUP BY 1) n
    JOIN tickets t ON t.id = n.ticket_id
   ORDER BY 1
  ON CONFLICT (ticket_id) DO UPDATE
     SET inbound = c.inbound + excluded.inbound, outbound = c.outbound + excluded.outbound,
         first_at = least(c.first_at, excluded.first_at), last_at = greatest(c.last_at, excluded.last_at)\073
  RETURN NULL\073
END ';

-- The rows stored before this migration.
UPDATE ticket_message_counts c
   SET assignee_id = t.assignee_id, team_id = t.team_id, provider = t.provider, channel = t.channel, category = t.category
  FROM tickets t
 WHERE t.id = c.ticket_id;

ALTER TABLE "ticket_message_counts" ALTER COLUMN "provider" DROP DEFAULT, ALTER COLUMN "channel" DROP DEFAULT;

INSERT INTO report_events (event_id, ticket_id, reopened, at, opened_at, assignee_id, team_id, provider, channel, category)
SELECT e.id, e.ticket_id, e.type = 'reopened', e.created_at, t.opened_at, t.assignee_id, t.team_id, t.provider,
       t.channel, t.category
  FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
 WHERE e.type = 'reopened'
    OR (e.type = 'status_changed' AND (e.data ->> 'from') IN ('open', 'pending') AND (e.data ->> 'to') IN ('resolved', 'closed'));
