ALTER TABLE "optimization_runs" ADD COLUMN "algorithm" text DEFAULT 'nsga2' NOT NULL;--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD COLUMN "pins" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD COLUMN "excluded_modules" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD CONSTRAINT "optimization_runs_algorithm" CHECK ("optimization_runs"."algorithm" in ('nsga2', 'nsga3'));--> statement-breakpoint
ALTER TABLE "run_progress" ADD COLUMN "bounds" jsonb;
