-- Channels: the WhatsApp numbers the helpdesk serves (WPPConnect sessions and Cloud API phone
-- number ids, several of either provider at once), and teams of agents a channel may route to.
-- Ids and timestamps have database defaults because helpdesk/src/store/channels.ts writes rows
-- with plain SQL as well as through Prisma.

-- CreateTable
CREATE TABLE "teams" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "teams_name_key" ON "teams"("name");

-- CreateTable
CREATE TABLE "team_members" (
    "team_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,

    CONSTRAINT "team_members_pkey" PRIMARY KEY ("team_id","agent_id")
);

-- CreateIndex
CREATE INDEX "team_members_agent_id_idx" ON "team_members"("agent_id");

-- AddForeignKey
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
-- key: what tickets.channel and messages.channel hold (the sidecar session name or the Cloud API
-- phone number id). settings: the provider's non-secret settings. secrets: AES-256-GCM ciphertext
-- (base64 of iv, tag and ciphertext of the JSON secrets, helpdesk/src/infra/secret-box.ts).
-- configured: true for the channel the environment describes (upserted on start).
CREATE TABLE "channels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "secrets" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "team_id" UUID,
    "overrides" JSONB NOT NULL DEFAULT '{}',
    "configured" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'starting',
    "phone" TEXT,
    "state_since" TIMESTAMPTZ(3),
    "state_detail" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channels_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "channels_provider_check" CHECK ("provider" IN ('wppconnect', 'cloud'))
);

-- CreateIndex
CREATE UNIQUE INDEX "channels_name_key" ON "channels"("name");

-- CreateIndex
CREATE UNIQUE INDEX "channels_provider_key_key" ON "channels"("provider", "key");

-- CreateIndex
CREATE INDEX "channels_team_id_idx" ON "channels"("team_id");

-- AddForeignKey
ALTER TABLE "channels" ADD CONSTRAINT "channels_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A deleted channel is remembered for a while: its sidecar session's last events, already on their
-- way, must not register it again (see use-cases/channels/register-sidecar-session.ts)
CREATE TABLE "channel_tombstones" (
    "provider" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "deleted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_tombstones_pkey" PRIMARY KEY ("provider", "key")
);
