import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { fleets, modules } from './fleets.js';
import { applications } from './applications.js';

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
  /** Static / adaptive / NSGA-II knee scored by the twin (Tables 5 & 6 metrics, src/planning/comparison.ts). */
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
    fleetId: uuid('fleet_id')
      .notNull()
      .references(() => fleets.id, { onDelete: 'cascade' }),
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    check('optimization_runs_status', sql`${t.status} in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')`),
    check('optimization_runs_algorithm', sql`${t.algorithm} in ('nsga2', 'nsga3')`),
    check('optimization_runs_sizes', sql`${t.population} >= 4 and ${t.generations} >= 1 and ${t.workers} >= 1`),
    index('optimization_runs_claim_idx').on(t.status, t.createdAt),
    index('optimization_runs_fleet_idx').on(t.fleetId, t.createdAt),
  ],
);

/** What the run reported after each generation; streamed to subscribers. */
export const runProgress = pgTable(
  'run_progress',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    evaluations: integer('evaluations').notNull(),
    hypervolume: doublePrecision('hypervolume').notNull(),
    frontSize: integer('front_size').notNull(),
    elapsedSeconds: doublePrecision('elapsed_seconds').notNull(),
    /** The archive's best storage-years and cost against their bounds at this generation. */
    bounds: jsonb('bounds').$type<{ objective: string; bound: number | null; bestOnFront: number | null; gapPercent: number | null }[]>(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.generation] })],
);

/** The latest resumable solver state of a run (one row per run, overwritten). */
export const runCheckpoints = pgTable('run_checkpoints', {
  runId: uuid('run_id')
    .primaryKey()
    .references(() => optimizationRuns.id, { onDelete: 'cascade' }),
  generation: integer('generation').notNull(),
  state: jsonb('state').$type<unknown>().notNull(),
  savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A chosen solution frozen as a plan. Immutable once written: the fleet's active plan is its most
 * recently selected one, and earlier plans stay as they were.
 */
export const allocationPlans = pgTable(
  'allocation_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fleetId: uuid('fleet_id')
      .notNull()
      .references(() => fleets.id, { onDelete: 'cascade' }),
    runId: uuid('run_id')
      .notNull()
      .references(() => optimizationRuns.id, { onDelete: 'cascade' }),
    solutionIndex: integer('solution_index').notNull(),
    objectives: jsonb('objectives').$type<number[]>().notNull(),
    objectiveNames: jsonb('objective_names').$type<string[]>().notNull(),
    isKnee: boolean('is_knee').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('allocation_plans_fleet_idx').on(t.fleetId, t.createdAt)],
);

/** One module's line of a plan, with the twin's prediction as it was when the plan was chosen. */
export const planAllocations = pgTable(
  'plan_allocations',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => allocationPlans.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    moduleId: uuid('module_id').references(() => modules.id, { onDelete: 'set null' }),
    serial: text('serial').notNull(),
    /** Null when the module is sent to recycling. */
    applicationId: uuid('application_id').references(() => applications.id, { onDelete: 'set null' }),
    applicationName: text('application_name'),
    envelopeName: text('envelope_name'),
    usableEnergyKwh: doublePrecision('usable_energy_kwh'),
    rulYears: doublePrecision('rul_years'),
    fadePctPerYear: doublePrecision('fade_pct_per_year'),
    lifetimeEnergyMwh: doublePrecision('lifetime_energy_mwh'),
    peakTemperatureC: doublePrecision('peak_temperature_c'),
    roundTripEfficiency: doublePrecision('round_trip_efficiency'),
    endOfLifeReason: text('end_of_life_reason'),
    feasible: boolean('feasible'),
    costUsd: doublePrecision('cost_usd'),
  },
  (t) => [primaryKey({ columns: [t.planId, t.position] })],
);

export type OptimizationRunRow = typeof optimizationRuns.$inferSelect;
export type RunProgressRow = typeof runProgress.$inferSelect;
export type AllocationPlanRow = typeof allocationPlans.$inferSelect;
export type PlanAllocationRow = typeof planAllocations.$inferSelect;
