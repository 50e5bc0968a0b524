/**
 * Solutions of a stored front read as allocations (module → application, envelope, the twin's
 * prediction, cost), and their freezing into immutable plans (`selectSolution`).
 */
import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { getApplicationsByIds } from '../db/applications.js';
import { getModulesByIds, type StoredModule } from '../db/modules.js';
import { allocationPlans, planAllocations, type AllocationPlanRow, type PlanAllocationRow, type StoredFront } from '../db/schema/runs.js';
import { deploymentCostUsd } from '../planning/cost-model.js';
import { simulateStoredModule } from '../twin/module-calibration.js';
import type { ApplicationSpec, TwinSummary } from '../twin/types.js';
import { decodeSolutionPlan } from './front-codec.js';
import type { OptimizationRunRow } from './runs.js';

export type { AllocationPlanRow, PlanAllocationRow };

export interface Allocation {
  position: number;
  moduleId: string | null;
  serial: string;
  /** Null when the module goes to recycling. */
  application: ApplicationSpec | null;
  envelopeName: string | null;
  twin: TwinSummary | null;
  costUsd: number | null;
}

export class SolutionIndexError extends Error {
  constructor(
    readonly index: number,
    readonly frontSize: number,
  ) {
    super(frontSize === 0 ? `solution ${index}: the run has no front` : `solution ${index}: index must be 0–${frontSize - 1}`);
    this.name = 'SolutionIndexError';
  }
}

export function checkSolutionIndex(front: StoredFront | null, index: number): void {
  const size = front?.solutions.length ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new SolutionIndexError(index, size);
}

/** Allocations `from` … `from + count - 1` of one solution, with the twin's prediction for each. */
export async function solutionAllocations(db: DbOrTx, front: StoredFront, index: number, from = 0, count = Infinity): Promise<Allocation[]> {
  checkSolutionIndex(front, index);
  const plan = decodeSolutionPlan(front.solutions[index]!, front.moduleSerials.length);
  const end = Math.min(front.moduleSerials.length, from + count);
  if (from >= end) return [];
  const ids = front.moduleIds.slice(from, end).filter((id) => id !== '');
  const moduleById = new Map<string, StoredModule>((await getModulesByIds(db, ids)).map((m) => [m.id, m]));
  const apps = await getApplicationsByIds(db, front.applicationIds);
  const appById = new Map(apps.map((a) => [a.id, a]));
  const out: Allocation[] = [];
  for (let i = from; i < end; i++) {
    const moduleId = front.moduleIds[i] || null;
    const module = moduleId ? moduleById.get(moduleId) : undefined;
    const a = plan.applicationIndex[i]!;
    const e = plan.envelopeIndex[i]!;
    const app = a >= 0 ? (appById.get(front.applicationIds[a]!) ?? null) : null;
    if (a >= 0 && !app) throw new Error(`application ${front.applicationIds[a]} of this solution no longer exists`);
    const envelopeName = a >= 0 ? (front.envelopeNames[a]?.[e] ?? null) : null;
    const envelope = app && envelopeName ? app.envelopes.find((x) => x.name === envelopeName) : undefined;
    let twin: TwinSummary | null = null;
    let costUsd: number | null = a >= 0 ? null : 0;
    if (module && app && envelope) {
      twin = simulateStoredModule(module, app, envelope).summary;
      costUsd = deploymentCostUsd(app, envelope, twin);
    }
    out.push({ position: i, moduleId: module?.id ?? null, serial: front.moduleSerials[i]!, application: app, envelopeName, twin, costUsd });
  }
  return out;
}

/** Freezes solution `index` of a finished run as a plan; it becomes the fleet's active plan. */
export async function createPlan(db: DbOrTx, run: OptimizationRunRow, index: number): Promise<AllocationPlanRow> {
  const front = run.front;
  checkSolutionIndex(front, index);
  const allocations = await solutionAllocations(db, front!, index);
  const solution = front!.solutions[index]!;
  return db.transaction(async (tx) => {
    const [plan] = await tx
      .insert(allocationPlans)
      .values({
        fleetId: run.fleetId,
        runId: run.id,
        solutionIndex: index,
        objectives: solution.objectives,
        objectiveNames: front!.objectiveNames,
        isKnee: solution.knee,
      })
      .returning();
    const rows = allocations.map((a) => ({
      planId: plan!.id,
      position: a.position,
      moduleId: a.moduleId,
      serial: a.serial,
      applicationId: a.application?.id ?? null,
      applicationName: a.application?.name ?? null,
      envelopeName: a.envelopeName,
      usableEnergyKwh: a.twin?.usableEnergyKwh ?? null,
      rulYears: a.twin?.rulYears ?? null,
      fadePctPerYear: a.twin?.fadePctPerYear ?? null,
      lifetimeEnergyMwh: a.twin?.lifetimeEnergyMwh ?? null,
      peakTemperatureC: a.twin?.peakTemperatureC ?? null,
      roundTripEfficiency: a.twin?.roundTripEfficiency ?? null,
      endOfLifeReason: a.twin?.endOfLifeReason ?? null,
      feasible: a.twin?.feasible ?? null,
      costUsd: a.costUsd,
    }));
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(planAllocations).values(rows.slice(i, i + 1000));
    return plan!;
  });
}

export async function getPlan(db: DbOrTx, id: string): Promise<AllocationPlanRow | undefined> {
  const [row] = await db.select().from(allocationPlans).where(eq(allocationPlans.id, id));
  return row;
}

export async function getPlansByIds(db: DbOrTx, ids: readonly string[]): Promise<AllocationPlanRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(allocationPlans).where(inArray(allocationPlans.id, [...ids]));
}

/** The fleet's active plan: the one selected last. */
export async function activePlan(db: DbOrTx, fleetId: string): Promise<AllocationPlanRow | undefined> {
  const [row] = await db
    .select()
    .from(allocationPlans)
    .where(eq(allocationPlans.fleetId, fleetId))
    .orderBy(desc(allocationPlans.createdAt), desc(allocationPlans.id))
    .limit(1);
  return row;
}

export async function fleetPlans(db: DbOrTx, fleetId: string): Promise<AllocationPlanRow[]> {
  return db.select().from(allocationPlans).where(eq(allocationPlans.fleetId, fleetId)).orderBy(desc(allocationPlans.createdAt));
}

export async function pagePlanAllocations(db: DbOrTx, planId: string, afterPosition: number, limit: number): Promise<PlanAllocationRow[]> {
  return db
    .select()
    .from(planAllocations)
    .where(and(eq(planAllocations.planId, planId), gt(planAllocations.position, afterPosition)))
    .orderBy(asc(planAllocations.position))
    .limit(limit);
}

export async function allPlanAllocations(db: DbOrTx, planId: string): Promise<PlanAllocationRow[]> {
  return db.select().from(planAllocations).where(eq(planAllocations.planId, planId)).orderBy(asc(planAllocations.position));
}

export const PLAN_CSV_COLUMNS = [
  'serial',
  'application',
  'envelope',
  'usable_energy_kwh',
  'rul_years',
  'fade_pct_per_year',
  'lifetime_energy_mwh',
  'peak_temperature_c',
  'round_trip_efficiency',
  'end_of_life_reason',
  'feasible',
  'cost_usd',
] as const;

function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The plan as CSV for planning tools; recycled modules have application `RECYCLE` and empty figures. */
export function formatPlanCsv(rows: readonly PlanAllocationRow[]): string {
  const lines = [PLAN_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.serial,
        r.applicationName ?? 'RECYCLE',
        r.envelopeName,
        r.usableEnergyKwh,
        r.rulYears,
        r.fadePctPerYear,
        r.lifetimeEnergyMwh,
        r.peakTemperatureC,
        r.roundTripEfficiency,
        r.endOfLifeReason,
        r.feasible,
        r.costUsd,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
