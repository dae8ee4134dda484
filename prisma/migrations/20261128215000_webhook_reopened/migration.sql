-- Outgoing webhooks: a ticket a customer reopens (a `reopened` ticket event, written by the inbound
-- path when a customer writes to a ticket resolved within the reopen window) is announced as
-- ticket.status, resolved to open with the reason customer_replied, as an agent's reopen
-- (status_changed) already is. Only resolved tickets are reopened that way (domain/ticket-lifecycle.ts
-- chooseTicket), so the previous status is known. Same trigger as 20261128210000_webhook_outbox
-- otherwise (the bodies use \073 for the semicolon, see that migration).

CREATE OR REPLACE FUNCTION webhook_outbox_ticket_events() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NOT EXISTS (SELECT 1 FROM outgoing_webhooks
                  WHERE enabled AND events && ARRAY[''ticket.status'', ''ticket.assigned'']) THEN
    RETURN NULL\073
  END IF\073
  INSERT INTO webhook_outbox (event_type, event_id, ticket_id, ticket_number, source_type, agent_id, facts, occurred_at)
  SELECT e.event_type, e.event_type || '':'' || n.id, n.ticket_id, t.number, n.type, n.agent_id,
         CASE WHEN n.type = ''reopened''
              THEN jsonb_build_object(''from'', ''resolved'', ''to'', ''open'', ''reason'', ''customer_replied'')
              ELSE coalesce(n.data, ''{}''::jsonb) END,
         n.created_at
    FROM new_events n
    CROSS JOIN LATERAL (SELECT CASE WHEN n.type IN (''status_changed'', ''reopened'') THEN ''ticket.status''
                                    WHEN n.type IN (''assigned'', ''transferred'', ''unassigned'', ''team_transferred'')
                                    THEN ''ticket.assigned'' END AS event_type) e
    JOIN tickets t ON t.id = n.ticket_id
   WHERE e.event_type IS NOT NULL
     AND EXISTS (SELECT 1 FROM outgoing_webhooks w WHERE w.enabled AND e.event_type = ANY(w.events))
   ORDER BY n.id\073
  RETURN NULL\073
END ';
