/**
 * Solutions of a stored front read as plan lines (module → application, envelope, the twin's
 * figures, a reason), and their freezing into immutable plans (`createPlan`). Both read the
 * figures the run scored (src/jobs/run-figures.ts); nothing is simulated on the request path.
 */
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { getApplicationsByIds } from '../db/applications.js';
import { getModulesByIds } from '../db/modules.js';
import { allocationPlans, optimizationRuns, planAllocations, type AllocationPlanRow, type PlanAllocationRow, type StoredFront } from '../db/schema/runs.js';
import { computePairCosts } from '../planning/allocation-problem.js';
import { planRows, toPlanLine, type ModuleInputs, type PlanLine, type PlanRowFigures, type ReasonKind } from '../planning/plan-rows.js';
import { computeTwinMatrixSync, packModules, unpackModule, type PackedModules } from '../twin/matrix.js';
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import { decodeSolutionPlan } from './front-codec.js';
import { loadRunFigures, type StoredRunFigures } from './run-figures.js';
import type { OptimizationRunRow } from './runs.js';

export type { AllocationPlanRow, PlanAllocationRow, PlanLine };

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

interface RunPlanning {
  figures: StoredRunFigures;
  apps: ApplicationSpec[];
  /** True when the run kept no figures and they were recomputed (summary only) from today's modules. */
  recomputed: boolean;
}

/** A finished run's figures are immutable: the last two read are kept (a 100 k-module run is ~40 MB). */
const recent = new Map<string, Promise<RunPlanning>>();

async function runPlanning(db: DbOrTx, run: OptimizationRunRow): Promise<RunPlanning> {
  const key = `${run.id}@${run.finishedAt?.getTime() ?? 0}`;
  let hit = recent.get(key);
  if (!hit) {
    hit = loadRunPlanning(db, run);
    recent.set(key, hit);
    hit.catch(() => recent.delete(key));
    while (recent.size > 2) recent.delete(recent.keys().next().value!);
  }
  return hit;
}

async function loadRunPlanning(db: DbOrTx, run: OptimizationRunRow): Promise<RunPlanning> {
  const front = run.front!;
  const found = await getApplicationsByIds(db, front.applicationIds);
  const byId = new Map(found.map((a) => [a.id, a]));
  const missing = front.applicationIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new Error(`application(s) ${missing.join(', ')} of this run no longer exist`);
  const apps = front.applicationIds.map((id) => byId.get(id)!);
  const stored = await loadRunFigures(db, run.id, front.moduleIds.length);
  if (stored) return { figures: stored, apps, recomputed: false };
  // Runs finished before their figures were kept: a summary-only projection of every pair from
  // the modules as they are now (no trajectories).
  const rows = [];
  for (let i = 0; i < front.moduleIds.length; i += 5000) rows.push(...(await getModulesByIds(db, front.moduleIds.slice(i, i + 5000))));
  const byModuleId = new Map(rows.map((m) => [m.id, m]));
  const modules = front.moduleIds.map((id, i) => {
    const m = byModuleId.get(id);
    if (!m) throw new Error(`module ${front.moduleSerials[i]} of this run no longer exists and the run kept no figures for it`);
    return m;
  });
  const matrix = computeTwinMatrixSync(modules, apps);
  return { figures: { matrix, pairCostUsd: computePairCosts(matrix, apps), inputs: packModules(modules) }, apps, recomputed: true };
}

function inputsAt(p: PackedModules, m: number): ModuleState {
  return unpackModule(p, m);
}

function moduleInputs(p: PackedModules, m: number): ModuleInputs {
  const s = unpackModule(p, m);
  return {
    chemistry: s.chemistry,
    nominalCapacityAh: s.nominalCapacityAh,
    nominalVoltageV: s.nominalVoltageV,
    sohPercent: s.sohPercent,
    internalResistanceMilliohm: s.internalResistanceMilliohm,
    temperatureMinC: s.temperatureMinC,
    temperatureMaxC: s.temperatureMaxC,
    cycleCount: s.cycleCount,
    ageYears: s.ageYears ?? null,
  };
}

/** Lines `from` … `from + count − 1` of solution `index` of a finished run. */
export async function solutionLines(db: DbOrTx, run: OptimizationRunRow, index: number, from = 0, count = Infinity): Promise<PlanLine[]> {
  const front = run.front;
  checkSolutionIndex(front, index);
  const n = front!.moduleSerials.length;
  const end = Math.min(n, from + count);
  if (from >= end) return [];
  const { figures, apps } = await runPlanning(db, run);
  const plan = decodeSolutionPlan(front!.solutions[index]!, n);
  const rows = planRows(figures, apps, (m) => inputsAt(figures.inputs, m), plan, from, end);
  return rows.map((r) => toPlanLine(r, apps, front!.moduleSerials[r.position]!, front!.moduleIds[r.position] || null, moduleInputs(figures.inputs, r.position)));
}

/** Stored columns of a plan line, in the order of the insert below. */
const LINE_COLUMNS: [column: string, type: string, value: (l: PlanLine) => unknown][] = [
  ['position', 'integer', (l) => l.position],
  ['module_id', 'uuid', (l) => l.moduleId],
  ['serial', 'text', (l) => l.serial],
  ['application_id', 'uuid', (l) => l.applicationId],
  ['application_name', 'text', (l) => l.applicationName],
  ['envelope_name', 'text', (l) => l.envelopeName],
  ['soc_window_energy_kwh', 'double precision', (l) => l.figures?.socWindowEnergyKwh ?? null],
  ['rul_years', 'double precision', (l) => l.figures?.rulYears ?? null],
  ['storage_years_kwh_yr', 'double precision', (l) => l.figures?.storageYearsKwhYr ?? null],
  ['fade_pct_per_year', 'double precision', (l) => l.figures?.fadePctPerYear ?? null],
  ['lifetime_energy_mwh', 'double precision', (l) => l.figures?.lifetimeEnergyMwh ?? null],
  ['peak_temperature_c', 'double precision', (l) => l.figures?.peakTemperatureC ?? null],
  ['round_trip_efficiency', 'double precision', (l) => l.figures?.roundTripEfficiency ?? null],
  ['end_of_life_reason', 'text', (l) => l.figures?.endOfLifeReason ?? null],
  ['feasible', 'boolean', (l) => l.figures?.feasible ?? null],
  ['cost_usd', 'double precision', (l) => l.figures?.costUsd ?? 0],
  ['reason_kind', 'text', (l) => l.reasonKind],
  ['reason', 'text', (l) => l.reason],
  ['chemistry', 'text', (l) => l.inputs?.chemistry ?? null],
  ['nominal_capacity_ah', 'double precision', (l) => l.inputs?.nominalCapacityAh ?? null],
  ['nominal_voltage_v', 'double precision', (l) => l.inputs?.nominalVoltageV ?? null],
  ['soh_percent', 'double precision', (l) => l.inputs?.sohPercent ?? null],
  ['internal_resistance_milliohm', 'double precision', (l) => l.inputs?.internalResistanceMilliohm ?? null],
  ['temperature_min_c', 'double precision', (l) => l.inputs?.temperatureMinC ?? null],
  ['temperature_max_c', 'double precision', (l) => l.inputs?.temperatureMaxC ?? null],
  ['cycle_count', 'double precision', (l) => l.inputs?.cycleCount ?? null],
  ['age_years', 'double precision', (l) => l.inputs?.ageYears ?? null],
];

/** Rows per insert statement: one jsonb parameter each, expanded by the database. */
const INSERT_BATCH = 5000;

/**
 * The rows carry their plan's tenant explicitly. Left to its default, `tenant_id` is
 * `relife_tenant()`, which is null on the service's own connection (no tenant set), and then the
 * row trigger `relife_inherit_tenant` looks the tenant up with dynamic SQL over `to_jsonb(NEW)`,
 * once per row: ~80 % of the insert's time at 20 k rows on PGlite. The value given is the one that
 * trigger would find (the plan row's own tenant), and the row-level-security check and the
 * (tenant_id, plan_id) foreign key still hold every row to it.
 */
async function insertLines(db: DbOrTx, planId: string, tenantId: string, lines: readonly PlanLine[]): Promise<void> {
  const names = LINE_COLUMNS.map(([c]) => `"${c}"`).join(', ');
  const record = LINE_COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(', ');
  for (let i = 0; i < lines.length; i += INSERT_BATCH) {
    const batch = lines.slice(i, i + INSERT_BATCH).map((l) => Object.fromEntries(LINE_COLUMNS.map(([c, , v]) => [c, v(l)])));
    await db.execute(
      sql`insert into plan_allocations ("plan_id", "tenant_id", ${sql.raw(names)}) select ${planId}::uuid, ${tenantId}::uuid, ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(${sql.raw(record)})`,
    );
  }
}

/** Freezes solution `index` of a finished run as a plan; it becomes the fleet's active plan. */
export async function createPlan(db: DbOrTx, run: OptimizationRunRow, index: number): Promise<AllocationPlanRow> {
  const front = run.front;
  checkSolutionIndex(front, index);
  const lines = await solutionLines(db, run, index);
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
    await insertLines(tx, plan!.id, plan!.tenantId, lines);
    return plan!;
  });
}

/** A stored plan row as a plan line. */
export function lineFromRow(r: PlanAllocationRow): PlanLine {
  const figures: PlanRowFigures | null =
    r.rulYears === null
      ? null
      : {
          socWindowEnergyKwh: r.socWindowEnergyKwh!,
          rulYears: r.rulYears,
          storageYearsKwhYr: r.storageYearsKwhYr ?? r.socWindowEnergyKwh! * r.rulYears,
          fadePctPerYear: r.fadePctPerYear!,
          lifetimeEnergyMwh: r.lifetimeEnergyMwh!,
          peakTemperatureC: r.peakTemperatureC!,
          roundTripEfficiency: r.roundTripEfficiency!,
          endOfLifeReason: r.endOfLifeReason as PlanRowFigures['endOfLifeReason'],
          feasible: r.feasible!,
          costUsd: r.costUsd ?? 0,
        };
  const inputs: ModuleInputs | null =
    r.chemistry === null
      ? null
      : {
          chemistry: r.chemistry,
          nominalCapacityAh: r.nominalCapacityAh!,
          nominalVoltageV: r.nominalVoltageV!,
          sohPercent: r.sohPercent!,
          internalResistanceMilliohm: r.internalResistanceMilliohm!,
          temperatureMinC: r.temperatureMinC!,
          temperatureMaxC: r.temperatureMaxC!,
          cycleCount: r.cycleCount!,
          ageYears: r.ageYears,
        };
  return {
    position: r.position,
    moduleId: r.moduleId,
    serial: r.serial,
    applicationId: r.applicationId,
    applicationName: r.applicationName,
    envelopeName: r.envelopeName,
    figures,
    reasonKind: (r.reasonKind as ReasonKind | null) ?? null,
    reason: r.reason,
    inputs,
  };
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

export async function pagePlanAllocations(db: DbOrTx, planId: string, afterPosition: number, limit: number): Promise<PlanLine[]> {
  const rows = await db
    .select()
    .from(planAllocations)
    .where(and(eq(planAllocations.planId, planId), gt(planAllocations.position, afterPosition)))
    .orderBy(asc(planAllocations.position))
    .limit(limit);
  return rows.map(lineFromRow);
}

export async function allPlanLines(db: DbOrTx, planId: string): Promise<PlanLine[]> {
  const rows = await db.select().from(planAllocations).where(eq(planAllocations.planId, planId)).orderBy(asc(planAllocations.position));
  return rows.map(lineFromRow);
}

/** The applications of a plan's run, in the run's order, as they are now (for totals and capacity). */
export async function planApplications(db: DbOrTx, plan: AllocationPlanRow): Promise<ApplicationSpec[]> {
  const [row] = await db.select({ applicationIds: optimizationRuns.applicationIds }).from(optimizationRuns).where(eq(optimizationRuns.id, plan.runId));
  if (!row) return [];
  const apps = await getApplicationsByIds(db, row.applicationIds);
  const byId = new Map(apps.map((a) => [a.id, a]));
  return row.applicationIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}
