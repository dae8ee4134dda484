-- Team routing: a ticket transferred to a team waits for that team's members (tickets.team_id),
-- and a team may take the tickets of some categories (teams.categories, values of
-- helpdesk/src/domain/ticket-categories.ts). Deleting a team returns its tickets to the usual
-- routing (set null).

-- AlterTable
ALTER TABLE "teams" ADD COLUMN "categories" TEXT[] NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "tickets" ADD COLUMN "team_id" UUID;

-- CreateIndex
CREATE INDEX "tickets_team_id_idx" ON "tickets"("team_id");

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;
