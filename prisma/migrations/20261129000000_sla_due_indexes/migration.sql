-- Breaches recorded within about a second of their due time (issue 16): the scheduled job
-- "sla-timing" (every second) also records the breaches whose due time passed in the last few
-- seconds, as a range of these indexes. Each holds only the active tickets whose breach of that
-- kind is not recorded yet, so its size follows the open queue, not the tickets' history, and a
-- recorded breach leaves it.
--   tickets_first_response_due_unbreached_idx  first_response_due_at of active tickets with no
--                                              first-response breach recorded
--   tickets_resolution_due_unbreached_idx      resolution_due_at of active tickets with no
--                                              resolution breach recorded

-- CreateIndex
CREATE INDEX "tickets_first_response_due_unbreached_idx" ON "tickets"("first_response_due_at")
    WHERE "status" IN ('open', 'pending') AND "first_response_breached_at" IS NULL;

-- CreateIndex
CREATE INDEX "tickets_resolution_due_unbreached_idx" ON "tickets"("resolution_due_at")
    WHERE "status" IN ('open', 'pending') AND "resolution_breached_at" IS NULL;
