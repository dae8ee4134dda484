-- Scheduled messages and refill reminders (issue 17): a message to a customer sent later by a
-- BullMQ delayed job whose id is the row id, with a sweep for due rows whose job was lost.
--   kind            message (one sending) or refill (medicine, interval_days, remaining sendings)
--   text, template  the text (WPPConnect, or Cloud API inside the 24-hour window) or a Cloud API
--                   template { name, language, parameters }
--   remaining       for a refill, how many sendings are left including this one
--   status          scheduled, then sent exactly once (claimed by an UPDATE ... WHERE status =
--                   'scheduled'), or cancelled (by an agent, or opted_out), or failed (with reason)
-- customers.opted_out_at marks a customer who answered an opt-out word: no reminder nor broadcast.

-- AlterTable
ALTER TABLE "customers" ADD COLUMN "opted_out_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "scheduled_messages" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "customer_id" UUID NOT NULL,
    "ticket_id" UUID,
    "channel_key" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'message',
    "text" TEXT,
    "template" JSONB,
    "medicine" TEXT,
    "interval_days" INTEGER,
    "remaining" INTEGER,
    "send_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "reason" TEXT,
    "sent_message_id" UUID,
    "previous_id" UUID,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scheduled_messages_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "scheduled_messages_kind_check" CHECK ("kind" IN ('message', 'refill')),
    CONSTRAINT "scheduled_messages_status_check" CHECK ("status" IN ('scheduled', 'sent', 'cancelled', 'failed')),
    CONSTRAINT "scheduled_messages_content_check" CHECK ("text" IS NOT NULL OR "template" IS NOT NULL),
    CONSTRAINT "scheduled_messages_interval_check" CHECK ("interval_days" IS NULL OR "interval_days" BETWEEN 1 AND 365),
    CONSTRAINT "scheduled_messages_remaining_check" CHECK ("remaining" IS NULL OR "remaining" >= 1)
);

-- CreateIndex
CREATE INDEX "scheduled_messages_customer_id_send_at_idx" ON "scheduled_messages"("customer_id", "send_at");

-- The sweep of due rows whose delayed job was lost reads only scheduled rows.
CREATE INDEX "scheduled_messages_due_idx" ON "scheduled_messages"("send_at") WHERE "status" = 'scheduled';

-- A refill's next sending is created once per previous one.
CREATE UNIQUE INDEX "scheduled_messages_previous_id_key" ON "scheduled_messages"("previous_id");

-- AddForeignKey
ALTER TABLE "scheduled_messages" ADD CONSTRAINT "scheduled_messages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "scheduled_messages" ADD CONSTRAINT "scheduled_messages_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "scheduled_messages" ADD CONSTRAINT "scheduled_messages_sent_message_id_fkey" FOREIGN KEY ("sent_message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "scheduled_messages" ADD CONSTRAINT "scheduled_messages_previous_id_fkey" FOREIGN KEY ("previous_id") REFERENCES "scheduled_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "scheduled_messages" ADD CONSTRAINT "scheduled_messages_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
