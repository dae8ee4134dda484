-- Nobody missed: when each agent last read each ticket (their unread customer messages), and the
-- inbox's activity order.

-- CreateTable
CREATE TABLE "ticket_reads" (
    "ticket_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "read_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ticket_reads_pkey" PRIMARY KEY ("ticket_id","agent_id")
);

-- CreateIndex
CREATE INDEX "ticket_reads_agent_id_idx" ON "ticket_reads"("agent_id");

-- AddForeignKey
ALTER TABLE "ticket_reads" ADD CONSTRAINT "ticket_reads_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_reads" ADD CONSTRAINT "ticket_reads_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The inbox's default order (newest customer activity first, tickets without any last, then by
-- number) read straight off an index, so a page of a large "all" view stops after `limit` rows.
-- Prisma's schema language cannot say NULLS LAST, hence only here.
CREATE INDEX "tickets_last_inbound_at_number_idx" ON "tickets"("last_inbound_at" DESC NULLS LAST, "number" DESC);
