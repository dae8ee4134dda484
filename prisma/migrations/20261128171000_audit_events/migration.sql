-- Audit log (issue 16, "Audit log"): who did what outside a ticket's own history, that is sign-ins
-- (successful and failed), password changes and resets, agent, channel and team changes.
--   actor_agent_id  the signed-in agent who acted, null when nobody is signed in (a failed sign-in,
--                   the command line). No foreign key: the log outlives a deleted agent.
--   action          e.g. auth.sign_in, auth.sign_in_failed, agent.updated, channel.created
--   subject_type    agent, channel, team
--   subject_id      the subject's id, null when there is none (a failed sign-in for an unknown email)
--   data            the details, e.g. { email } or { changes: { capacity: { before, after } } }
-- Ticket events (assignment, transfer, status) stay in ticket_events, and GET /api/audit merges both.

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "actor_agent_id" UUID,
    "action" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_events_created_at_idx" ON "audit_events"("created_at");

-- CreateIndex
CREATE INDEX "audit_events_actor_agent_id_created_at_idx" ON "audit_events"("actor_agent_id", "created_at");

-- The merged audit query filters ticket events by time, newest first.
-- CreateIndex
CREATE INDEX "ticket_events_created_at_idx" ON "ticket_events"("created_at");

-- The live queue reads each agent's last reply (their newest outbound message).
-- CreateIndex
-- Partial: inbound messages (no agent) are most rows and do not pay for it on insert
CREATE INDEX "messages_agent_id_created_at_idx" ON "messages"("agent_id", "created_at") WHERE "agent_id" IS NOT NULL;
