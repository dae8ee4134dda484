-- Broadcasts (issue 17): an admin sends one text or Cloud API template to a segment of customers,
-- one BullMQ job per recipient in the broadcast queue, throttled by the queue's rate limiter.
--   segment          { labelIds } or { wroteWithinDays } or { phones } as given at creation
--   status           draft, running, paused, done or cancelled
--   rate_per_minute  sends per minute (BullMQ limiter), daily_cap sends per day (WPPConnect)
-- broadcast_recipients: one row per E.164 phone, claimed once (UPDATE ... WHERE status = 'pending')
-- before its outbound message is stored, so a recipient is never sent twice.

-- CreateTable
CREATE TABLE "broadcasts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "channel_key" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "text" TEXT,
    "template" JSONB,
    "segment" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "rate_per_minute" INTEGER NOT NULL,
    "daily_cap" INTEGER,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "broadcasts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "broadcasts_status_check" CHECK ("status" IN ('draft', 'running', 'paused', 'done', 'cancelled')),
    CONSTRAINT "broadcasts_content_check" CHECK ("text" IS NOT NULL OR "template" IS NOT NULL),
    CONSTRAINT "broadcasts_rate_check" CHECK ("rate_per_minute" >= 1),
    CONSTRAINT "broadcasts_daily_cap_check" CHECK ("daily_cap" IS NULL OR "daily_cap" >= 1)
);

-- CreateTable
CREATE TABLE "broadcast_recipients" (
    "broadcast_id" UUID NOT NULL,
    "customer_id" UUID,
    "phone" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "message_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "broadcast_recipients_pkey" PRIMARY KEY ("broadcast_id", "phone"),
    CONSTRAINT "broadcast_recipients_status_check" CHECK ("status" IN ('pending', 'sent', 'delivered', 'read', 'failed', 'skipped'))
);

-- CreateIndex
CREATE INDEX "broadcasts_created_at_idx" ON "broadcasts"("created_at");
CREATE INDEX "broadcast_recipients_message_id_idx" ON "broadcast_recipients"("message_id");

-- AddForeignKey
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_broadcast_id_fkey" FOREIGN KEY ("broadcast_id") REFERENCES "broadcasts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- One broadcast runs at a time: the pace is the broadcast queue's one rate limiter, so a second
-- running broadcast would send at the first one's pace (a Cloud API pace on a WPPConnect number)
CREATE UNIQUE INDEX "broadcasts_one_running" ON "broadcasts" ((true)) WHERE "status" = 'running';
