-- Snooze: a pending ticket returns to open by itself at this time (null: not snoozed). The
-- partial index serves the sweep that ends overdue snoozes whose delayed job was lost.

-- AlterTable
ALTER TABLE "tickets" ADD COLUMN "snoozed_until" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "tickets_snoozed_until_idx" ON "tickets"("snoozed_until") WHERE "snoozed_until" IS NOT NULL;
