-- Canned responses ("fast replies"): shared ones (no owner, admins keep them) and each agent's
-- personal ones.

-- CreateTable
CREATE TABLE "canned_responses" (
    "id" UUID NOT NULL,
    "owner_agent_id" UUID,
    "shortcut" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "language" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "canned_responses_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "canned_responses_language_check" CHECK ("language" IS NULL OR "language" IN ('ar', 'en')),
    CONSTRAINT "canned_responses_body_length_check" CHECK (char_length("body") <= 4096)
);

-- CreateIndex
CREATE INDEX "canned_responses_owner_agent_id_idx" ON "canned_responses"("owner_agent_id");

-- A shortcut is unique per owner, and among the shared ones (whose owner is null, which a plain
-- unique index would treat as all different), which the Prisma schema language cannot say.
CREATE UNIQUE INDEX "canned_responses_personal_shortcut_key" ON "canned_responses"("owner_agent_id", "shortcut") WHERE "owner_agent_id" IS NOT NULL;
CREATE UNIQUE INDEX "canned_responses_shared_shortcut_key" ON "canned_responses"("shortcut") WHERE "owner_agent_id" IS NULL;

-- AddForeignKey
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_owner_agent_id_fkey" FOREIGN KEY ("owner_agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
