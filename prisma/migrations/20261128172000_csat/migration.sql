-- Satisfaction survey (CSAT, issue 16): when an agent resolves a ticket the customer is asked to
-- rate the help from 1 to 5, once per ticket.
--   csat_requested_at  when the question was queued (null: never asked)
--   csat_score         the customer's rating, 1 (poor) to 5 (excellent)
--   csat_comment       words the customer wrote after the rating, if any
--   csat_answered_at   when the rating arrived

-- AlterTable
ALTER TABLE "tickets"
    ADD COLUMN "csat_requested_at" TIMESTAMPTZ(3),
    ADD COLUMN "csat_score" SMALLINT,
    ADD COLUMN "csat_comment" TEXT,
    ADD COLUMN "csat_answered_at" TIMESTAMPTZ(3),
    ADD CONSTRAINT "tickets_csat_score_check" CHECK ("csat_score" BETWEEN 1 AND 5);
