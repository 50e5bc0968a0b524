ALTER TABLE "applications" ALTER COLUMN "capacity_limit_kwh" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "capacity_share_percent" double precision;--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_capacity_positive";--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_capacity_one" CHECK (("applications"."capacity_limit_kwh" > 0 and "applications"."capacity_share_percent" is null) or ("applications"."capacity_limit_kwh" is null and "applications"."capacity_share_percent" > 0 and "applications"."capacity_share_percent" <= 100));--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD COLUMN "warnings" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "optimization_runs_idempotency_idx" ON "optimization_runs" USING btree ("fleet_id","idempotency_key");
