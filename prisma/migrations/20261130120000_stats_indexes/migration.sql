-- The team statistics (GET /api/stats, store/reports-team.ts) take the median first response and
-- resolution of the tickets first answered and resolved in a period. Without an index on either
-- column each read every ticket: on a year of data (150,000 tickets, npm run bench:scale) the
-- store took 55 ms for the statistics of 30 days, 22 - 24 ms with these two ranges. Each column
-- is written once or twice in the life of a ticket, and the updates of tickets at every inbound
-- message are not HOT anyway (last_inbound_at is indexed), so each index adds one entry to those.
CREATE INDEX IF NOT EXISTS "tickets_first_response_at_idx" ON "tickets" ("first_response_at");
CREATE INDEX IF NOT EXISTS "tickets_resolved_at_idx" ON "tickets" ("resolved_at");
