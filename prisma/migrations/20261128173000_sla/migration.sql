-- Response-time targets (SLA, issue 16): policies that match a ticket by category, channel key
-- and team, and the due times the scheduled job "sla-check" writes on each active ticket.
--   sla_policies.first_response_minutes  the first human reply is due this many minutes after
--                                        the ticket opens
--   sla_policies.resolution_minutes      the ticket is due resolved this many minutes after it
--                                        opens or reopens (the API takes hours)
--   sla_policies.business_hours          count only the business hours (BUSINESS_HOURS or the
--                                        channel's override)
--   tickets.sla_policy_id                the policy the due times come from (null: none applies)
--   tickets.sla_started_at               the opening (opened_at or the last reopening) the due
--                                        times count from (null: not computed yet)
--   tickets.*_due_at                     when the target falls due
--   tickets.*_at_risk_at                 when 80 % of the target's time is used
--   tickets.*_breached_at                when the job recorded the breach (once per opening)

-- CreateTable
CREATE TABLE "sla_policies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "category" TEXT,
    "channel_key" TEXT,
    "team_id" UUID,
    "first_response_minutes" INTEGER NOT NULL,
    "resolution_minutes" INTEGER NOT NULL,
    "business_hours" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_policies_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sla_policies_first_response_minutes_check" CHECK ("first_response_minutes" > 0),
    CONSTRAINT "sla_policies_resolution_minutes_check" CHECK ("resolution_minutes" > 0)
);

-- CreateIndex
CREATE UNIQUE INDEX "sla_policies_name_key" ON "sla_policies"("name");

-- CreateIndex
-- One policy per match (category, channel key, team), a missing field counting as "any".
CREATE UNIQUE INDEX "sla_policies_match_key" ON "sla_policies"(COALESCE("category", ''), COALESCE("channel_key", ''), COALESCE("team_id"::text, ''));

-- AddForeignKey
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "tickets"
    ADD COLUMN "sla_policy_id" UUID,
    ADD COLUMN "sla_started_at" TIMESTAMPTZ(3),
    ADD COLUMN "first_response_due_at" TIMESTAMPTZ(3),
    ADD COLUMN "first_response_at_risk_at" TIMESTAMPTZ(3),
    ADD COLUMN "first_response_breached_at" TIMESTAMPTZ(3),
    ADD COLUMN "resolution_due_at" TIMESTAMPTZ(3),
    ADD COLUMN "resolution_at_risk_at" TIMESTAMPTZ(3),
    ADD COLUMN "resolution_breached_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "tickets_sla_policy_id_idx" ON "tickets"("sla_policy_id");

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_sla_policy_id_fkey" FOREIGN KEY ("sla_policy_id") REFERENCES "sla_policies"("id") ON DELETE SET NULL ON UPDATE CASCADE;
