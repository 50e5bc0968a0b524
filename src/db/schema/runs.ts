import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { fleets, modules } from './fleets.js';
import { applications } from './applications.js';
import { tenantIdColumn } from './tenants.js';

export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One solution of a stored front: its objectives (reporting units and sense) and its plan. */
export interface StoredSolution {
  /** Same order as `StoredFront.objectiveNames`. */
  objectives: number[];
  knee: boolean;
  /**
   * Per module (in `moduleIds` order): index into `applicationIds`, -1 = recycle; int16
   * little-endian, base64 (see src/jobs/front-codec.ts).
   */
  applicationIndexBase64: string;
  /** Per module: index into that application's `envelopeNames`, -1 = none; int8, base64. */
  envelopeIndexBase64: string;
}

export interface StoredFront {
  objectiveNames: string[];
  objectiveUnits: string[];
  /** Module ids and serials in plan order, so a plan reads back even if the fleet later changes. */
  moduleIds: string[];
  moduleSerials: string[];
  applicationIds: string[];
  envelopeNames: string[][];
  solutions: StoredSolution[];
  kneeIndex: number | null;
  /** Reference plans drawn on the picture (static / adaptive baselines), same objective order. */
  baselines: { name: string; objectives: number[]; feasible: boolean }[];
  hypervolume: number;
  generations: number;
  /** Static / adaptive / NSGA-II knee scored by the twin (Tables 5 & 6 metrics, src/planning/plan-evaluation.ts). */
  comparison?: object[];
  /** True when the run was cancelled and this is the front of its last population. */
  partial: boolean;
  /** Per sum objective: the proven bound and the front's gap to it (absent on runs stored before bounds existed). */
  bounds?: StoredObjectiveBound[];
  /** Notes of the exact step (points skipped, degradations). */
  exactNotes?: string[];
}

export interface StoredObjectiveBound {
  objective: string;
  bound: number | null;
  bestOnFront: number | null;
  gapPercent: number | null;
  method: 'MILP' | 'LP' | null;
  lpBound: number | null;
  lpGapPercent: number | null;
  note: string | null;
}

/** A pin of the run's input: module (id or serial), application id, optional envelope name. */
export interface StoredPin {
  module: string;
  application: string;
  envelope?: string;
}

/**
 * One optimisation run and its lifecycle. The row is the source of truth for the state machine
 * (QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED) and for liveness: a worker owning a RUNNING
 * run renews `leaseExpiresAt`; a run whose lease lapsed is claimable again (crash recovery).
 */
export const optimizationRuns = pgTable(
  'optimization_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantIdColumn(),
    fleetId: uuid('fleet_id').notNull(),
    applicationIds: jsonb('application_ids').$type<string[]>().notNull(),
    population: integer('population').notNull(),
    generations: integer('generations').notNull(),
    seed: integer('seed').notNull(),
    workers: integer('workers').notNull(),
    timeLimitSeconds: doublePrecision('time_limit_seconds'),
    algorithm: text('algorithm').$type<'nsga2' | 'nsga3'>().notNull().default('nsga2'),
    pins: jsonb('pins').$type<StoredPin[]>().notNull().default([]),
    excludedModules: jsonb('excluded_modules').$type<string[]>().notNull().default([]),
    status: text('status').$type<RunStatus>().notNull().default('QUEUED'),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    front: jsonb('front').$type<StoredFront>(),
    evaluations: integer('evaluations'),
    elapsedSeconds: doublePrecision('elapsed_seconds'),
    /** What the planner should know before trusting the run (capacity that does not fit, a duplicate). */
    warnings: jsonb('warnings').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** Client-chosen key: a second start with the same key on the same fleet returns the first run. */
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ name: 'optimization_runs_tenant_fleet_fk', columns: [t.tenantId, t.fleetId], foreignColumns: [fleets.tenantId, fleets.id] }).onDelete('cascade'),
    unique('optimization_runs_tenant_id_unique').on(t.tenantId, t.id),
    check('optimization_runs_status', sql`${t.status} in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')`),
    check('optimization_runs_algorithm', sql`${t.algorithm} in ('nsga2', 'nsga3')`),
    check('optimization_runs_sizes', sql`${t.population} >= 4 and ${t.generations} >= 1 and ${t.workers} >= 1`),
    index('optimization_runs_claim_idx').on(t.status, t.createdAt),
    index('optimization_runs_fleet_idx').on(t.fleetId, t.createdAt),
    uniqueIndex('optimization_runs_idempotency_idx').on(t.fleetId, t.idempotencyKey),
  ],
);

/** What the run reported after each generation; streamed to subscribers. */
export const runProgress = pgTable(
  'run_progress',
  {
    runId: uuid('run_id').notNull(),
    tenantId: tenantIdColumn(),
    generation: integer('generation').notNull(),
    evaluations: integer('evaluations').notNull(),
    hypervolume: doublePrecision('hypervolume').notNull(),
    frontSize: integer('front_size').notNull(),
    elapsedSeconds: doublePrecision('elapsed_seconds').notNull(),
    /** The archive's best storage-years and cost against their bounds at this generation. */
    bounds: jsonb('bounds').$type<{ objective: string; bound: number | null; bestOnFront: number | null; gapPercent: number | null }[]>(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.generation] }),
    foreignKey({ name: 'run_progress_tenant_run_fk', columns: [t.tenantId, t.runId], foreignColumns: [optimizationRuns.tenantId, optimizationRuns.id] }).onDelete('cascade'),
  ],
);

/** The latest resumable solver state of a run (one row per run, overwritten). */
export const runCheckpoints = pgTable(
  'run_checkpoints',
  {
    runId: uuid('run_id').primaryKey(),
    tenantId: tenantIdColumn(),
    generation: integer('generation').notNull(),
    state: jsonb('state').$type<unknown>().notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [foreignKey({ name: 'run_checkpoints_tenant_run_fk', columns: [t.tenantId, t.runId], foreignColumns: [optimizationRuns.tenantId, optimizationRuns.id] }).onDelete('cascade')],
);

/**
 * A chosen solution frozen as a plan. Immutable once written: the fleet's active plan is its most
 * recently selected one, and earlier plans stay as they were.
 */
export const allocationPlans = pgTable(
  'allocation_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantIdColumn(),
    fleetId: uuid('fleet_id').notNull(),
    runId: uuid('run_id').notNull(),
    solutionIndex: integer('solution_index').notNull(),
    objectives: jsonb('objectives').$type<number[]>().notNull(),
    objectiveNames: jsonb('objective_names').$type<string[]>().notNull(),
    isKnee: boolean('is_knee').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'allocation_plans_tenant_fleet_fk', columns: [t.tenantId, t.fleetId], foreignColumns: [fleets.tenantId, fleets.id] }).onDelete('cascade'),
    foreignKey({ name: 'allocation_plans_tenant_run_fk', columns: [t.tenantId, t.runId], foreignColumns: [optimizationRuns.tenantId, optimizationRuns.id] }).onDelete('cascade'),
    unique('allocation_plans_tenant_id_unique').on(t.tenantId, t.id),
    index('allocation_plans_fleet_idx').on(t.fleetId, t.createdAt),
  ],
);

/** One module's line of a plan, with the twin's prediction as it was when the plan was chosen. */
export const planAllocations = pgTable(
  'plan_allocations',
  {
    planId: uuid('plan_id').notNull(),
    tenantId: tenantIdColumn(),
    position: integer('position').notNull(),
    moduleId: uuid('module_id').references(() => modules.id, { onDelete: 'set null' }),
    serial: text('serial').notNull(),
    /** Null when the module is sent to recycling. */
    applicationId: uuid('application_id').references(() => applications.id, { onDelete: 'set null' }),
    applicationName: text('application_name'),
    envelopeName: text('envelope_name'),
    /** Energy between the envelope's SOC limits at deployment (what counts against capacity). */
    socWindowEnergyKwh: doublePrecision('soc_window_energy_kwh'),
    rulYears: doublePrecision('rul_years'),
    /** socWindowEnergyKwh × rulYears. */
    storageYearsKwhYr: doublePrecision('storage_years_kwh_yr'),
    fadePctPerYear: doublePrecision('fade_pct_per_year'),
    lifetimeEnergyMwh: doublePrecision('lifetime_energy_mwh'),
    peakTemperatureC: doublePrecision('peak_temperature_c'),
    roundTripEfficiency: doublePrecision('round_trip_efficiency'),
    endOfLifeReason: text('end_of_life_reason'),
    feasible: boolean('feasible'),
    costUsd: doublePrecision('cost_usd'),
    /** DEPLOYED, INELIGIBLE, CAPACITY or TRADE_OFF (src/planning/plan-rows.ts); null on plans frozen before reasons. */
    reasonKind: text('reason_kind'),
    reason: text('reason').notNull().default(''),
    /** The module's inputs as the run projected from them (latest check for a calibrated module). */
    chemistry: text('chemistry'),
    nominalCapacityAh: doublePrecision('nominal_capacity_ah'),
    nominalVoltageV: doublePrecision('nominal_voltage_v'),
    sohPercent: doublePrecision('soh_percent'),
    internalResistanceMilliohm: doublePrecision('internal_resistance_milliohm'),
    temperatureMinC: doublePrecision('temperature_min_c'),
    temperatureMaxC: doublePrecision('temperature_max_c'),
    cycleCount: doublePrecision('cycle_count'),
    ageYears: doublePrecision('age_years'),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.position] }),
    foreignKey({ name: 'plan_allocations_tenant_plan_fk', columns: [t.tenantId, t.planId], foreignColumns: [allocationPlans.tenantId, allocationPlans.id] }).onDelete('cascade'),
  ],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * The twin figures a finished run scored its plans with, in module chunks (binary layout in
 * src/jobs/run-figures.ts): plans are frozen from these, not from a new simulation.
 */
export const runFigures = pgTable(
  'run_figures',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.id, { onDelete: 'cascade' }),
    moduleStart: integer('module_start').notNull(),
    moduleCount: integer('module_count').notNull(),
    nApps: integer('n_apps').notNull(),
    nEnvelopes: integer('n_envelopes').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.moduleStart] })],
);

export type OptimizationRunRow = typeof optimizationRuns.$inferSelect;
export type RunProgressRow = typeof runProgress.$inferSelect;
export type AllocationPlanRow = typeof allocationPlans.$inferSelect;
export type PlanAllocationRow = typeof planAllocations.$inferSelect;
export type RunFiguresRow = typeof runFigures.$inferSelect;
