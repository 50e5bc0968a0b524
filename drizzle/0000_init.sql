CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"duty" jsonb NOT NULL,
	"requirements" jsonb NOT NULL,
	"economics" jsonb NOT NULL,
	"envelopes" jsonb NOT NULL,
	"capacity_limit_kwh" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_name_unique" UNIQUE("name"),
	CONSTRAINT "applications_kind" CHECK ("applications"."kind" in ('GRID', 'SOLAR', 'BACKUP', 'MICROGRID', 'CUSTOM')),
	CONSTRAINT "applications_capacity_positive" CHECK ("applications"."capacity_limit_kwh" > 0)
);
--> statement-breakpoint
CREATE TABLE "fleets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fleets_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "modules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fleet_id" uuid NOT NULL,
	"serial" text NOT NULL,
	"chemistry" text NOT NULL,
	"nominal_capacity_ah" double precision NOT NULL,
	"nominal_voltage_v" double precision NOT NULL,
	"soh_percent" double precision NOT NULL,
	"internal_resistance_mohm" double precision NOT NULL,
	"temp_min_c" double precision NOT NULL,
	"temp_max_c" double precision NOT NULL,
	"cycle_count" integer NOT NULL,
	"manufacturer" text,
	"age_years" double precision,
	"calibration" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "modules_fleet_serial_unique" UNIQUE("fleet_id","serial"),
	CONSTRAINT "modules_soh_range" CHECK ("modules"."soh_percent" >= 0 and "modules"."soh_percent" <= 100),
	CONSTRAINT "modules_resistance_nonneg" CHECK ("modules"."internal_resistance_mohm" >= 0),
	CONSTRAINT "modules_temp_order" CHECK ("modules"."temp_min_c" <= "modules"."temp_max_c"),
	CONSTRAINT "modules_chemistry" CHECK ("modules"."chemistry" in ('NMC', 'LFP', 'NCA', 'LMO'))
);
--> statement-breakpoint
CREATE TABLE "measurements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "measurements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"module_id" uuid NOT NULL,
	"cycle" double precision,
	"time_days" double precision,
	"capacity_ah" double precision NOT NULL,
	"resistance_mohm" double precision,
	"temperature_c" double precision,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "modules" ADD CONSTRAINT "modules_fleet_id_fleets_id_fk" FOREIGN KEY ("fleet_id") REFERENCES "public"."fleets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "modules_fleet_soh_idx" ON "modules" USING btree ("fleet_id","soh_percent");--> statement-breakpoint
CREATE INDEX "measurements_module_idx" ON "measurements" USING btree ("module_id","cycle");