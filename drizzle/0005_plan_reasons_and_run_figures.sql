ALTER TABLE "plan_allocations" RENAME COLUMN "usable_energy_kwh" TO "soc_window_energy_kwh";--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "storage_years_kwh_yr" double precision;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "reason_kind" text;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "reason" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "chemistry" text;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "nominal_capacity_ah" double precision;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "nominal_voltage_v" double precision;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "soh_percent" double precision;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "internal_resistance_milliohm" double precision;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "temperature_min_c" double precision;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "temperature_max_c" double precision;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "cycle_count" double precision;--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "age_years" double precision;--> statement-breakpoint
CREATE TABLE "run_figures" (
	"run_id" uuid NOT NULL,
	"module_start" integer NOT NULL,
	"module_count" integer NOT NULL,
	"n_apps" integer NOT NULL,
	"n_envelopes" integer NOT NULL,
	"data" bytea NOT NULL,
	CONSTRAINT "run_figures_run_id_module_start_pk" PRIMARY KEY("run_id","module_start")
);
--> statement-breakpoint
ALTER TABLE "run_figures" ADD CONSTRAINT "run_figures_run_id_optimization_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("id") ON DELETE cascade ON UPDATE no action;
