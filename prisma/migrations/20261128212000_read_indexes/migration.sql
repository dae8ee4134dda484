-- Indexes for the agents' API and the reports at a year of data (issue 18, about 2,000,000
-- messages). Each one is an insertion on a write path, so there are three, each with its reason
-- (figures in BENCHMARKS.md, "Query plans at a year of data").

-- The period report counts a period's messages per ticket (store/reports-period.ts) and the
-- message search reads matches newest first (store/search.ts). Without it both read the whole
-- messages table. Covering (ticket_id, direction) so the report's count never touches the table.
-- A BRIN index would be cheaper to keep but gives neither the order nor an index-only read.
-- Messages are appended in created_at order, so each insertion lands on the rightmost page.
CREATE INDEX "messages_created_at_idx" ON "messages" ("created_at") INCLUDE ("ticket_id", "direction");

-- An agent's replies to a ticket: the report's first response (the first one at or after the
-- opening) and the inbox's waiting time (the latest one). Partial, so customers' and the bot's
-- messages, the inbound path's writes, never enter it.
CREATE INDEX "messages_agent_replies_idx" ON "messages" ("ticket_id", "created_at")
  WHERE "direction" = 'outbound' AND "author" = 'agent';

-- The customer directory's order (newest first, keyset pages on created_at and id): without it
-- each page sorts every customer. created_at never changes, so the inbound path's update of
-- customers.last_inbound_at stays a HOT update and never touches this index.
CREATE INDEX "customers_created_at_id_idx" ON "customers" ("created_at", "id");
