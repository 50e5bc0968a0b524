-- run_figures (the twin figures a run scored its plans with) is read inside tenant-scoped
-- request transactions: relife_app may use it, and row-level security admits a row only when its
-- run is visible, which the runs' own tenant policy decides.
GRANT SELECT, INSERT, UPDATE, DELETE ON "run_figures" TO relife_app;
--> statement-breakpoint
ALTER TABLE "run_figures" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "run_figures" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "run_figures"
	USING (EXISTS (SELECT 1 FROM "optimization_runs" r WHERE r.id = run_id))
	WITH CHECK (EXISTS (SELECT 1 FROM "optimization_runs" r WHERE r.id = run_id));
