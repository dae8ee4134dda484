-- WhatsApp message templates of a Cloud API channel (issue 17), copied from Meta's Graph API
-- GET /{version}/{waba-id}/message_templates (fields name, language, category, status, components,
-- https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/).
-- One row per template name and language of a channel. components: the template's components as
-- Meta returns them (HEADER, BODY, FOOTER, BUTTONS). synced_at: when the last sync saw the row.
-- Ids and timestamps have database defaults because helpdesk/src/store/message-templates.ts writes
-- rows with plain SQL.

-- CreateTable
CREATE TABLE "message_templates" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "channel_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "components" JSONB NOT NULL DEFAULT '[]',
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_templates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "message_templates_channel_id_name_language_key" ON "message_templates"("channel_id", "name", "language");

-- AddForeignKey
ALTER TABLE "message_templates" ADD CONSTRAINT "message_templates_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;
