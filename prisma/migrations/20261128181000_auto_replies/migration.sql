-- Auto-replies (issue 17): keyword rules the bot answers before a human takes the ticket.
--   auto_reply_rules.channel_key  the channel the rule applies to (null: every channel)
--   auto_reply_rules.keywords     words or phrases, matched whole after Arabic normalisation
--   auto_reply_rules.reply        the reply text in each language, {"ar": "...", "en": "..."}
--   auto_reply_rules.position     the order rules are tried in (lowest first, the first match wins)

-- CreateTable
CREATE TABLE "auto_reply_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "channel_key" TEXT,
    "keywords" TEXT[] NOT NULL,
    "reply" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auto_reply_rules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "auto_reply_rules_position_idx" ON "auto_reply_rules"("position");
