-- Tenants, API tokens, the audit log, and a tenant column with row-level security on every
-- tenant-owned table. Requests run as the non-owner role relife_app with the per-transaction
-- setting relife.tenant; the policies below are the database's own wall between tenants.
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_name_unique" UNIQUE("name"),
	CONSTRAINT "tenants_name_format" CHECK ("name" ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$')
);
--> statement-breakpoint
INSERT INTO "tenants" ("id", "name") VALUES ('00000000-0000-4000-8000-000000000001', 'default');
--> statement-breakpoint
CREATE FUNCTION relife_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('relife.tenant', true), '')::uuid $$;
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE cascade,
	"role" text NOT NULL,
	"label" text,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "api_tokens_role" CHECK ("role" in ('viewer', 'planner', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"tenant_id" uuid NOT NULL DEFAULT coalesce(relife_tenant(), '00000000-0000-4000-8000-000000000001') REFERENCES "tenants"("id") ON DELETE cascade,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"action" text NOT NULL,
	"target" jsonb NOT NULL,
	"outcome" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_log_tenant_at_idx" ON "audit_log" USING btree ("tenant_id", "at");
--> statement-breakpoint
-- Existing rows go to the default tenant; new top-level rows take the request's tenant (or the
-- default tenant on the system path), child rows take their parent's (trigger below).
ALTER TABLE "fleets" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001' REFERENCES "tenants"("id");
--> statement-breakpoint
ALTER TABLE "fleets" ALTER COLUMN "tenant_id" SET DEFAULT coalesce(relife_tenant(), '00000000-0000-4000-8000-000000000001');
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001' REFERENCES "tenants"("id");
--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "tenant_id" SET DEFAULT coalesce(relife_tenant(), '00000000-0000-4000-8000-000000000001');
--> statement-breakpoint
ALTER TABLE "fleets" DROP CONSTRAINT "fleets_name_unique";
--> statement-breakpoint
ALTER TABLE "fleets" ADD CONSTRAINT "fleets_tenant_name_unique" UNIQUE("tenant_id", "name");
--> statement-breakpoint
ALTER TABLE "fleets" ADD CONSTRAINT "fleets_tenant_id_unique" UNIQUE("tenant_id", "id");
--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_name_unique";
--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_tenant_name_unique" UNIQUE("tenant_id", "name");
--> statement-breakpoint
CREATE FUNCTION relife_inherit_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.tenant_id IS NULL THEN
		EXECUTE format('SELECT tenant_id FROM %I WHERE id = $1', TG_ARGV[0]) INTO NEW.tenant_id USING (to_jsonb(NEW) ->> TG_ARGV[1])::uuid;
	END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
ALTER TABLE "modules" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
--> statement-breakpoint
ALTER TABLE "measurements" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
--> statement-breakpoint
ALTER TABLE "run_progress" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
--> statement-breakpoint
ALTER TABLE "run_checkpoints" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
--> statement-breakpoint
ALTER TABLE "allocation_plans" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD COLUMN "tenant_id" uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
--> statement-breakpoint
ALTER TABLE "modules" ALTER COLUMN "tenant_id" SET DEFAULT relife_tenant();
--> statement-breakpoint
ALTER TABLE "measurements" ALTER COLUMN "tenant_id" SET DEFAULT relife_tenant();
--> statement-breakpoint
ALTER TABLE "optimization_runs" ALTER COLUMN "tenant_id" SET DEFAULT relife_tenant();
--> statement-breakpoint
ALTER TABLE "run_progress" ALTER COLUMN "tenant_id" SET DEFAULT relife_tenant();
--> statement-breakpoint
ALTER TABLE "run_checkpoints" ALTER COLUMN "tenant_id" SET DEFAULT relife_tenant();
--> statement-breakpoint
ALTER TABLE "allocation_plans" ALTER COLUMN "tenant_id" SET DEFAULT relife_tenant();
--> statement-breakpoint
ALTER TABLE "plan_allocations" ALTER COLUMN "tenant_id" SET DEFAULT relife_tenant();
--> statement-breakpoint
CREATE TRIGGER "modules_tenant" BEFORE INSERT ON "modules" FOR EACH ROW EXECUTE FUNCTION relife_inherit_tenant('fleets', 'fleet_id');
--> statement-breakpoint
CREATE TRIGGER "measurements_tenant" BEFORE INSERT ON "measurements" FOR EACH ROW EXECUTE FUNCTION relife_inherit_tenant('modules', 'module_id');
--> statement-breakpoint
CREATE TRIGGER "optimization_runs_tenant" BEFORE INSERT ON "optimization_runs" FOR EACH ROW EXECUTE FUNCTION relife_inherit_tenant('fleets', 'fleet_id');
--> statement-breakpoint
CREATE TRIGGER "run_progress_tenant" BEFORE INSERT ON "run_progress" FOR EACH ROW EXECUTE FUNCTION relife_inherit_tenant('optimization_runs', 'run_id');
--> statement-breakpoint
CREATE TRIGGER "run_checkpoints_tenant" BEFORE INSERT ON "run_checkpoints" FOR EACH ROW EXECUTE FUNCTION relife_inherit_tenant('optimization_runs', 'run_id');
--> statement-breakpoint
CREATE TRIGGER "allocation_plans_tenant" BEFORE INSERT ON "allocation_plans" FOR EACH ROW EXECUTE FUNCTION relife_inherit_tenant('fleets', 'fleet_id');
--> statement-breakpoint
CREATE TRIGGER "plan_allocations_tenant" BEFORE INSERT ON "plan_allocations" FOR EACH ROW EXECUTE FUNCTION relife_inherit_tenant('allocation_plans', 'plan_id');
--> statement-breakpoint
ALTER TABLE "modules" ADD CONSTRAINT "modules_tenant_id_unique" UNIQUE("tenant_id", "id");
--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD CONSTRAINT "optimization_runs_tenant_id_unique" UNIQUE("tenant_id", "id");
--> statement-breakpoint
ALTER TABLE "allocation_plans" ADD CONSTRAINT "allocation_plans_tenant_id_unique" UNIQUE("tenant_id", "id");
--> statement-breakpoint
-- A child row can only point at a parent of its own tenant (the single-column keys they replace
-- would accept another tenant's parent id).
ALTER TABLE "modules" DROP CONSTRAINT "modules_fleet_id_fleets_id_fk";
--> statement-breakpoint
ALTER TABLE "modules" ADD CONSTRAINT "modules_tenant_fleet_fk" FOREIGN KEY ("tenant_id", "fleet_id") REFERENCES "fleets"("tenant_id", "id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "measurements" DROP CONSTRAINT "measurements_module_id_modules_id_fk";
--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_tenant_module_fk" FOREIGN KEY ("tenant_id", "module_id") REFERENCES "modules"("tenant_id", "id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "optimization_runs" DROP CONSTRAINT "optimization_runs_fleet_id_fleets_id_fk";
--> statement-breakpoint
ALTER TABLE "optimization_runs" ADD CONSTRAINT "optimization_runs_tenant_fleet_fk" FOREIGN KEY ("tenant_id", "fleet_id") REFERENCES "fleets"("tenant_id", "id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "run_progress" DROP CONSTRAINT "run_progress_run_id_optimization_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "run_progress" ADD CONSTRAINT "run_progress_tenant_run_fk" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "optimization_runs"("tenant_id", "id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "run_checkpoints" DROP CONSTRAINT "run_checkpoints_run_id_optimization_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "run_checkpoints" ADD CONSTRAINT "run_checkpoints_tenant_run_fk" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "optimization_runs"("tenant_id", "id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "allocation_plans" DROP CONSTRAINT "allocation_plans_fleet_id_fleets_id_fk";
--> statement-breakpoint
ALTER TABLE "allocation_plans" ADD CONSTRAINT "allocation_plans_tenant_fleet_fk" FOREIGN KEY ("tenant_id", "fleet_id") REFERENCES "fleets"("tenant_id", "id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "allocation_plans" DROP CONSTRAINT "allocation_plans_run_id_optimization_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "allocation_plans" ADD CONSTRAINT "allocation_plans_tenant_run_fk" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "optimization_runs"("tenant_id", "id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "plan_allocations" DROP CONSTRAINT "plan_allocations_plan_id_allocation_plans_id_fk";
--> statement-breakpoint
ALTER TABLE "plan_allocations" ADD CONSTRAINT "plan_allocations_tenant_plan_fk" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "allocation_plans"("tenant_id", "id") ON DELETE cascade;
--> statement-breakpoint
-- The request role: no login, owns nothing, so the policies bind it. Roles are cluster-wide:
-- several databases of one server share it, hence the guards.
DO $$ BEGIN
	CREATE ROLE relife_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$ BEGIN
	IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
		EXECUTE format('GRANT relife_app TO %I', current_user);
	END IF;
EXCEPTION WHEN duplicate_object OR insufficient_privilege THEN
	RAISE WARNING 'relife: could not grant relife_app to %; grant it so that requests can SET ROLE', current_user;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO relife_app;
--> statement-breakpoint
GRANT SELECT ON "tenants" TO relife_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "fleets", "applications", "modules", "measurements", "optimization_runs", "run_progress", "run_checkpoints", "allocation_plans", "plan_allocations" TO relife_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON "audit_log" TO relife_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE "measurements_id_seq", "audit_log_id_seq" TO relife_app;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['fleets', 'applications', 'modules', 'measurements', 'optimization_runs', 'run_progress', 'run_checkpoints', 'allocation_plans', 'plan_allocations', 'audit_log'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
		-- relife_app sees and writes its tenant only; another role (the service's own connection:
		-- job claims, recovery, migrations) sees every tenant while no tenant is set.
		EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
			USING (tenant_id = relife_tenant() OR (relife_tenant() IS NULL AND current_user <> 'relife_app'))
			WITH CHECK (tenant_id = relife_tenant() OR (relife_tenant() IS NULL AND current_user <> 'relife_app'))$p$, t);
	END LOOP;
END $$;
--> statement-breakpoint
ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tenants" USING (id = relife_tenant() OR (relife_tenant() IS NULL AND current_user <> 'relife_app'));
