-- Transactional outbox for outgoing webhooks (issue 17).
--   webhook_outbox       one row per ticket or message event an enabled outgoing webhook subscribes
--                        to, written by the triggers below in the same transaction as the change
--                        itself (so a committed change always has its event, whatever happens to
--                        Redis or to the process afterwards). The workers' relay
--                        (helpdesk/src/jobs/webhook-jobs.ts) claims rows with FOR UPDATE SKIP
--                        LOCKED, records their webhook_deliveries and deletes them in one
--                        transaction, then enqueues the BullMQ delivery jobs.
--     event_id           the event's id in the POSTed body, from its source row: message.created
--                        carries the message id, ticket.created the ticket id, ticket.status and ticket.assigned
--                        the ticket_events id (one event, one id, whoever relays it)
--     source_type        the ticket_events type the event comes from (null for messages)
--     agent_id           the ticket event's agent (who acted)
--     facts              what the body's data is built from (message direction, author and type,
--                        or the ticket event's data)
--   webhook_deliveries.body  the exact JSON body POSTed and signed, so a delivery whose job was
--                        never enqueued can be enqueued again by the sweep (null on older rows)
--
-- The functions' bodies are E'' strings with \073 for the semicolon: Prisma's migration adapter
-- splits the file at every semicolon, dollar-quoted bodies included.
--
-- The triggers are statement level with transition tables: one EXISTS over outgoing_webhooks
-- per statement, and nothing per row when no enabled webhook subscribes to the event types (the
-- inbound path inserts its messages and ticket events in batches).
-- Which ticket events make which webhook event (as the realtime events they replace did):
--   status_changed                                      ticket.status
--   assigned, transferred, unassigned, team_transferred ticket.assigned
-- A message's insert makes message.created (except the bot's automatic answers the inbound path
-- stores in the same statement as the customer's messages, which were never announced), and
-- ticket.created when it is its ticket's first.

-- CreateTable
CREATE TABLE "webhook_outbox" (
    "id" BIGSERIAL NOT NULL,
    "event_type" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "ticket_number" INTEGER NOT NULL,
    "source_type" TEXT,
    "agent_id" UUID,
    "facts" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_outbox_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "webhook_deliveries" ADD COLUMN "body" TEXT;

-- The sweep of deliveries recorded but never enqueued reads pending ones by age.
CREATE INDEX "webhook_deliveries_pending_created_at_idx" ON "webhook_deliveries"("created_at") WHERE "status" = 'pending';

CREATE FUNCTION webhook_outbox_messages() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NOT EXISTS (SELECT 1 FROM outgoing_webhooks
                  WHERE enabled AND events && ARRAY[''message.created'', ''ticket.created'']) THEN
    RETURN NULL\073
  END IF\073
  IF EXISTS (SELECT 1 FROM outgoing_webhooks WHERE enabled AND ''ticket.created'' = ANY(events)) THEN
    -- The ticket''s first message (by created_at, then id) is among the rows just inserted.
    INSERT INTO webhook_outbox (event_type, event_id, ticket_id, ticket_number, facts, occurred_at)
    SELECT ''ticket.created'', ''ticket.created:'' || f.ticket_id, f.ticket_id, t.number,
           jsonb_build_object(''firstMessageId'', f.id), f.created_at
      FROM (SELECT DISTINCT ON (n.ticket_id) n.ticket_id, n.id, n.created_at
              FROM new_messages n ORDER BY n.ticket_id, n.created_at, n.id) f
      JOIN tickets t ON t.id = f.ticket_id
     WHERE (SELECT m.id FROM messages m WHERE m.ticket_id = f.ticket_id
             ORDER BY m.created_at, m.id LIMIT 1) = f.id
     ORDER BY f.created_at, f.id\073
  END IF\073
  IF EXISTS (SELECT 1 FROM outgoing_webhooks WHERE enabled AND ''message.created'' = ANY(events)) THEN
    INSERT INTO webhook_outbox (event_type, event_id, ticket_id, ticket_number, facts, occurred_at)
    SELECT ''message.created'', ''message.created:'' || n.id, n.ticket_id, t.number,
           jsonb_build_object(''messageId'', n.id, ''direction'', n.direction, ''author'', n.author, ''type'', n.type),
           n.created_at
      FROM new_messages n JOIN tickets t ON t.id = n.ticket_id
     -- Not the bot''s automatic answers stored in the statement of the customer''s messages they
     -- answer (menu, welcome, after hours, auto-replies): never announced as message.created.
     WHERE n.author <> ''bot'' OR NOT EXISTS (SELECT 1 FROM new_messages i WHERE i.direction = ''inbound'')
     ORDER BY n.created_at, n.id\073
  END IF\073
  RETURN NULL\073
END ';

CREATE TRIGGER webhook_outbox_messages AFTER INSERT ON "messages"
  REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION webhook_outbox_messages();

CREATE FUNCTION webhook_outbox_ticket_events() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NOT EXISTS (SELECT 1 FROM outgoing_webhooks
                  WHERE enabled AND events && ARRAY[''ticket.status'', ''ticket.assigned'']) THEN
    RETURN NULL\073
  END IF\073
  INSERT INTO webhook_outbox (event_type, event_id, ticket_id, ticket_number, source_type, agent_id, facts, occurred_at)
  SELECT e.event_type, e.event_type || '':'' || n.id, n.ticket_id, t.number, n.type, n.agent_id,
         coalesce(n.data, ''{}''::jsonb), n.created_at
    FROM new_events n
    CROSS JOIN LATERAL (SELECT CASE WHEN n.type = ''status_changed'' THEN ''ticket.status''
                                    WHEN n.type IN (''assigned'', ''transferred'', ''unassigned'', ''team_transferred'')
                                    THEN ''ticket.assigned'' END AS event_type) e
    JOIN tickets t ON t.id = n.ticket_id
   WHERE e.event_type IS NOT NULL
     AND EXISTS (SELECT 1 FROM outgoing_webhooks w WHERE w.enabled AND e.event_type = ANY(w.events))
   ORDER BY n.id\073
  RETURN NULL\073
END ';

CREATE TRIGGER webhook_outbox_ticket_events AFTER INSERT ON "ticket_events"
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION webhook_outbox_ticket_events();
