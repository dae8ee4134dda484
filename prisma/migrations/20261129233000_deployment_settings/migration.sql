-- What the deployment's environment said at the last start, where a change must act on stored rows:
-- e.g. BUSINESS_HOURS and BUSINESS_TIMEZONE, whose change re-times the active tickets' response-time
-- targets (use-cases/sla/apply-deployment-business-hours.ts). Read and written with plain SQL only
-- (store/deployment-settings.ts), so it has no Prisma model.
CREATE TABLE "deployment_settings" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "deployment_settings_pkey" PRIMARY KEY ("name")
);
