-- Message kinds (issue 12, "Messages as WhatsApp really sends them"): what a customer's message
-- carries besides its text, and what happens to it afterwards.
--   quoted             the quoted message as the provider described it (providerMessageId,
--                      participant, fromMe, type, text), for inbound and agent replies alike
--   quoted_message_id  our stored message it quotes, when known (reply_to keeps the provider id)
--   contacts           shared contact cards (name, org, phones with waId, the vCard text)
--   location           latitude, longitude, name, address, live, url
--   details            forwarded, view-once, album, duration, size, pages, list and button
--                      replies, interactive (flows) payloads
--   edited_at, edits   the latest edit's time and the earlier versions, oldest first
--   deleted_at         when the customer deleted it for everyone (its text and media are kept)
--   reactions          the customer's reactions, one per sender (emoji, by, sender, at)
-- message_changes is the log of edits, deletions and reactions as they arrived: the webhook
-- event id makes a redelivered change apply once, and a change whose message was never stored
-- is kept there (message_id null) rather than dropped.

-- AlterTable
ALTER TABLE "messages"
    ADD COLUMN "quoted" JSONB,
    ADD COLUMN "quoted_message_id" UUID,
    ADD COLUMN "contacts" JSONB,
    ADD COLUMN "location" JSONB,
    ADD COLUMN "details" JSONB,
    ADD COLUMN "edited_at" TIMESTAMPTZ(3),
    ADD COLUMN "edits" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "deleted_at" TIMESTAMPTZ(3),
    ADD COLUMN "reactions" JSONB NOT NULL DEFAULT '[]';

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_quoted_message_id_fkey" FOREIGN KEY ("quoted_message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "message_changes" (
    "id" BIGSERIAL NOT NULL,
    "event_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "provider_message_id" TEXT NOT NULL,
    "message_id" UUID,
    "data" JSONB NOT NULL,
    "happened_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_changes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "message_changes_kind_check" CHECK ("kind" IN ('edit', 'deletion', 'reaction'))
);

-- CreateIndex
CREATE UNIQUE INDEX "message_changes_event_id_key" ON "message_changes"("event_id");

-- CreateIndex
CREATE INDEX "message_changes_message_id_idx" ON "message_changes"("message_id");

-- Changes still waiting for their message, by the provider's id of it.
CREATE INDEX "message_changes_unmatched_idx" ON "message_changes"("provider", "provider_message_id") WHERE "message_id" IS NULL;

-- AddForeignKey
ALTER TABLE "message_changes" ADD CONSTRAINT "message_changes_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
