CREATE TABLE "allocation_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fleet_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"solution_index" integer NOT NULL,
	"objectives" jsonb NOT NULL,
	"objective_names" jsonb NOT NULL,
	"is_knee" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "optimization_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fleet_id" uuid NOT NULL,
	"application_ids" jsonb NOT NULL,
	"population" integer NOT NULL,
	"generations" integer NOT NULL,
	"seed" integer NOT NULL,
	"workers" integer NOT NULL,
	"time_limit_seconds" double precision,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"front" jsonb,
	"evaluations" integer,
	"elapsed_seconds" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "optimization_runs_status" CHECK ("optimization_runs"."status" in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
	CONSTRAINT "optimization_runs_sizes" CHECK ("optimization_runs"."population" >= 4 and "optimization_runs"."generations" >= 1 and "optimization_runs"."workers" >= 1)
);
--> statement-breakpoint
CREATE TABLE "plan_allocations" (
	"plan_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"module_id" uuid,
	"serial" text NOT NULL,
	"application_id" uuid,
	"application_name" text,
	"envelope_name" text,
	"usable_energy_kwh" double precision,
	"rul_years" double precision,
	"fade_pct_per_year" double precision,
	"lifetime_energy_mwh" double precision,
	"peak_temperature_c" double precision,
	"round_trip_efficiency" double precision,
	"end_of_life_reason" text,
	"feasible" boolean,
	"cost_usd" double precision,
	CONSTRAINT "plan_allocations_plan_id_position_pk" PRIMARY KEY("plan_id","position")
);
--> statement-breakpoint
CREATE TABLE "run_checkpoints" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"generation" integer NOT NULL,
	"state" jsonb NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_progress" (
	"run_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"evaluations" integer NOT NULL,
	"hypervolume" double precision NOT NULL,
	"front_size" integer NOT NULL,
	"elapsed_seconds" double precision NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_progress_run_id_generation_pk" PRIMARY KEY("run_id","generation")
);
--> statement-breakpoint
ALTER TABLE "allocation_plans" ADD CONSTRAINT "allocation_plans_fleet_id_fleets_id_fk" FOREIGN KEY ("fleet_id") REFERENCES "public"."fleets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_plans" ADD CONSTRAINT "allocation_plans_run_id_optimization_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD CONSTRAINT "optimization_runs_fleet_id_fleets_id_fk" FOREIGN KEY ("fleet_id") REFERENCES "public"."fleets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD CONSTRAINT "plan_allocations_plan_id_allocation_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."allocation_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD CONSTRAINT "plan_allocations_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD CONSTRAINT "plan_allocations_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_checkpoints" ADD CONSTRAINT "run_checkpoints_run_id_optimization_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_progress" ADD CONSTRAINT "run_progress_run_id_optimization_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allocation_plans_fleet_idx" ON "allocation_plans" USING btree ("fleet_id","created_at");--> statement-breakpoint
CREATE INDEX "optimization_runs_claim_idx" ON "optimization_runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "optimization_runs_fleet_idx" ON "optimization_runs" USING btree ("fleet_id","created_at");