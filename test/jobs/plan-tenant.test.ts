/**
 * Plan rows carry their plan's tenant, whichever handle freezes the plan: the service's own
 * (no tenant set, where the column default is null) or a tenant-scoped request transaction; rows
 * of one tenant stay invisible to another, and a row naming another tenant is refused.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { insertApplication } from '../../src/db/applications.js';
import { createFleet } from '../../src/db/fleets.js';
import { insertModules, loadFleetModules } from '../../src/db/modules.js';
import { optimizationRuns, planAllocations } from '../../src/db/schema/runs.js';
import { DEFAULT_TENANT_ID, withTenant } from '../../src/db/tenant-scope.js';
import { ensureTenant } from '../../src/db/tenants.js';
import { DEFAULT_APPLICATIONS } from '../../src/demo/default-applications.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';
import { createPlan } from '../../src/jobs/plans.js';
import { getRun, insertRun, type OptimizationRunRow } from '../../src/jobs/runs.js';
import { databaseTargets } from '../helpers/databases.js';
import { oneSolutionFront } from '../helpers/one-solution-front.js';

describe.each(databaseTargets())('plan rows and tenants on $name', (target) => {
  let database: Database;
  let tenantId: string;
  let run: OptimizationRunRow;
  const N = 24;

  beforeAll(async () => {
    database = await target.open();
    const db = database.db;
    tenantId = (await ensureTenant(db, 'plan-rows-b')).tenant.id;
    run = await withTenant(db, tenantId, async (tx) => {
      const fleet = await createFleet(tx, { name: 'plan-rows' });
      await insertModules(tx, fleet.id, generateSyntheticFleet({ size: N, seed: 5 }));
      const modules = await loadFleetModules(tx, fleet.id);
      const apps = [];
      for (const a of DEFAULT_APPLICATIONS.slice(0, 2)) apps.push(await insertApplication(tx, { ...a, name: `${a.name} plan-rows` }));
      const r = await insertRun(tx, { fleetId: fleet.id, applicationIds: apps.map((a) => a.id), population: 4, generations: 1, seed: 1, workers: 1, timeLimitSeconds: null });
      // Every third module to the first application's first envelope, the rest recycled.
      const applicationIndex = Int32Array.from(modules, (_, i) => (i % 3 === 0 ? 0 : -1));
      const envelopeIndex = Int32Array.from(modules, () => 0);
      await tx
        .update(optimizationRuns)
        .set({
          status: 'SUCCEEDED',
          finishedAt: new Date(),
          front: oneSolutionFront(modules, apps, { applicationIndex, envelopeIndex }, [0, 0, 0]),
        })
        .where(eq(optimizationRuns.id, r.id));
      return (await getRun(tx, r.id))!;
    });
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  const tenantsOf = async (planId: string) =>
    (await database.db.selectDistinct({ tenantId: planAllocations.tenantId }).from(planAllocations).where(eq(planAllocations.planId, planId))).map((r) => r.tenantId);

  it('gives every row the plan’s tenant when the plan is frozen on the service’s own handle', async () => {
    const plan = await createPlan(database.db, run, 0);
    expect(plan.tenantId).toBe(tenantId);
    expect(await tenantsOf(plan.id)).toEqual([tenantId]);
    const [{ n }] = (await database.db.select({ n: sql<number>`count(*)::int` }).from(planAllocations).where(eq(planAllocations.planId, plan.id))) as [{ n: number }];
    expect(n).toBe(N);
  });

  it('gives every row the plan’s tenant inside the tenant’s request transaction, and hides them from another tenant', async () => {
    const plan = await withTenant(database.db, tenantId, (tx) => createPlan(tx, run, 0));
    expect(await tenantsOf(plan.id)).toEqual([tenantId]);
    const seen = await withTenant(database.db, DEFAULT_TENANT_ID, (tx) => tx.select().from(planAllocations).where(eq(planAllocations.planId, plan.id)));
    expect(seen).toEqual([]);
  });

  it('refuses a plan row that names another tenant than the request’s', async () => {
    const plan = await createPlan(database.db, run, 0);
    await expect(
      withTenant(database.db, DEFAULT_TENANT_ID, (tx) => tx.insert(planAllocations).values({ planId: plan.id, tenantId, position: N + 1, serial: 'X', reason: '' })),
    ).rejects.toThrow();
    await expect(
      withTenant(database.db, tenantId, (tx) => tx.insert(planAllocations).values({ planId: plan.id, tenantId: DEFAULT_TENANT_ID, position: N + 2, serial: 'X', reason: '' })),
    ).rejects.toThrow();
    expect(await tenantsOf(plan.id)).toEqual([tenantId]);
  });
});
