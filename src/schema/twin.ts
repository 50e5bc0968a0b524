/**
 * The digital twin's GraphQL face: `BatteryModule.healthScore` / `health`,
 * `BatteryModule.twin(applicationId, envelope)` (projection with trajectory and summary), and the
 * `recordMeasurement` mutation (stores a capacity check and recalibrates the module).
 */
import { getApplicationsByIds } from '../db/applications.js';
import { getModule, insertMeasurements, loadMeasurements, setModuleCalibration, type StoredModule } from '../db/modules.js';
import { healthBreakdown, type HealthBreakdown } from '../twin/health.js';
import { calibrateModule, simulateStoredModule, type ModuleCalibration, type ModuleMeasurement } from '../twin/module-calibration.js';
import type { Trajectory, TwinProjection } from '../twin/simulate.js';
import type { TwinSummary, Violation } from '../twin/types.js';
import { TwinInputError } from '../twin/validate.js';
import type { ObjectRef } from '@pothos/core';
import { builder, NotFoundError, ValidationError } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { parseGlobalId } from './node-ids.js';
import { BatteryModuleRef } from './module.js';

const HealthRef = builder.objectRef<HealthBreakdown>('HealthBreakdown').implement({
  description:
    'Composite health score and its parts (each 0–1): score = 100·(0.35·soh + 0.20·resistance + 0.15·thermal + 0.15·efficiency + 0.15·trend); see README “Digital twin”',
  fields: (t) => ({
    score: t.exposeFloat('score'),
    soh: t.exposeFloat('soh'),
    resistance: t.exposeFloat('resistance'),
    thermal: t.exposeFloat('thermal'),
    efficiency: t.exposeFloat('efficiency'),
    trend: t.exposeFloat('trend'),
    firstLifeFadePctPerYear: t.exposeFloat('firstLifeFadePctPerYear'),
  }),
});

const ViolationRef = builder.objectRef<Violation>('TwinViolation').implement({
  fields: (t) => ({
    requirement: t.exposeString('requirement', { description: 'MIN_SOH, MAX_RESISTANCE, MAX_TEMPERATURE, MIN_SERVICE_YEARS or CHEMISTRY' }),
    reason: t.exposeString('reason'),
  }),
});

type TwinFigures = Omit<TwinSummary, 'violations'>;

/** The figures of a twin summary, on TwinSummary and on a plan's AllocationTwinSummary alike. */
export function addTwinFigureFields<S extends TwinFigures>(ref: ObjectRef<typeof builder.$inferSchemaTypes, S>): void {
  builder.objectFields(ref, (t) => ({
    socWindowEnergyKwh: t.float({
      description: "Energy between the envelope's SOC limits at deployment, kWh: what counts against an application's capacity (not nameplate × SOH, see BatteryModule.fullChargeEnergyKwh)",
      resolve: (s) => s.usableEnergyKwh,
    }),
    rulYears: t.float({ description: 'Years until end-of-life SOH, the resistance limit or the thermal limit', resolve: (s) => s.rulYears }),
    endOfLifeReason: t.string({ description: 'SOH, RESISTANCE, THERMAL or HORIZON', resolve: (s) => s.endOfLifeReason }),
    fadePctPerYear: t.float({ resolve: (s) => s.fadePctPerYear }),
    lifetimeEnergyMwh: t.float({ resolve: (s) => s.lifetimeEnergyMwh }),
    peakTemperatureC: t.float({ resolve: (s) => s.peakTemperatureC }),
    roundTripEfficiency: t.float({ resolve: (s) => s.roundTripEfficiency }),
    feasible: t.boolean({ resolve: (s) => s.feasible }),
  }));
}

const SummaryRef = builder.objectRef<TwinSummary>('TwinSummary').implement({
  fields: (t) => ({
    violations: t.field({ type: [ViolationRef], resolve: (s) => s.violations }),
  }),
});
addTwinFigureFields(SummaryRef);

const arr = (a: Float64Array): number[] => Array.from(a);

const TrajectoryRef = builder.objectRef<Trajectory>('TwinTrajectory').implement({
  description: 'Time series of the projection, index 0 at deployment',
  fields: (t) => ({
    timeYears: t.floatList({ resolve: (x) => arr(x.timeYears) }),
    sohPercent: t.floatList({ description: 'SOH, percent: the projection at the median ageing factor (P50)', resolve: (x) => arr(x.sohPercent) }),
    sohP10Percent: t.floatList({
      nullable: true,
      description:
        'SOH, percent, 10th percentile (the projection at the 90th percentile of the ageing factor from the population prior and the first life); null when the module is calibrated to its measurements',
      resolve: (x) => (x.sohP10Percent ? arr(x.sohP10Percent) : null),
    }),
    sohP90Percent: t.floatList({
      nullable: true,
      description: 'SOH, percent, 90th percentile (the projection at the 10th percentile of the ageing factor); null when the module is calibrated',
      resolve: (x) => (x.sohP90Percent ? arr(x.sohP90Percent) : null),
    }),
    resistanceMilliohm: t.floatList({ resolve: (x) => arr(x.resistanceMilliohm) }),
    meanTemperatureC: t.floatList({ resolve: (x) => arr(x.meanTemperatureC) }),
    peakTemperatureC: t.floatList({ resolve: (x) => arr(x.peakTemperatureC) }),
    roundTripEfficiency: t.floatList({ resolve: (x) => arr(x.roundTripEfficiency) }),
    cumulativeEnergyMwh: t.floatList({ resolve: (x) => arr(x.cumulativeEnergyMwh) }),
  }),
});

interface ProjectionView extends TwinProjection {
  envelope: string;
  calibrated: boolean;
}

const ProjectionRef = builder.objectRef<ProjectionView>('TwinProjection').implement({
  fields: (t) => ({
    envelope: t.exposeString('envelope'),
    ageingFactor: t.exposeFloat('ageingFactor', { description: 'Individual ageing factor used (1 = ages as the fitted cell model)' }),
    calibrated: t.exposeBoolean('calibrated', { description: 'True when fitted to recorded measurements' }),
    summary: t.field({ type: SummaryRef, resolve: (p) => p.summary }),
    trajectory: t.field({ type: TrajectoryRef, resolve: (p) => p.trajectory }),
  }),
});

function twinInputProblem(error: unknown, field: string | null = null): never {
  if (error instanceof TwinInputError) throw new ValidationError(error.message, [{ row: null, column: field, message: error.message }]);
  throw error;
}

builder.objectFields(BatteryModuleRef, (t) => ({
  healthScore: t.float({
    description: 'Composite health score 0–100 (SOH, resistance, thermal stability, efficiency, degradation trend)',
    resolve: (m) => healthBreakdown(m).score,
  }),
  health: t.field({ type: HealthRef, resolve: (m) => healthBreakdown(m) }),
  twin: t.field({
    type: ProjectionRef,
    description: 'Projection of this module under an application and one of its envelopes (by name)',
    errors: { types: MUTATION_ERRORS },
    args: {
      applicationId: t.arg.id({ required: true }),
      envelope: t.arg.string({ required: true }),
      horizonYears: t.arg.float({ required: false, description: 'Default 20' }),
      stepsPerYear: t.arg.int({ required: false, description: 'Default 12 (monthly)' }),
    },
    resolve: async (m, args, ctx) => {
      const appId = parseGlobalId(String(args.applicationId), 'Application', 'applicationId');
      const app = (await getApplicationsByIds(ctx.db, [appId]))[0];
      if (!app) throw new NotFoundError('Application', String(args.applicationId));
      const env = app.envelopes.find((e) => e.name === args.envelope);
      if (!env) {
        const names = app.envelopes.map((e) => e.name).join(', ');
        throw new ValidationError(`application ${app.name} has no envelope "${args.envelope}"`, [
          { row: null, column: 'envelope', message: `expected one of: ${names}` },
        ]);
      }
      const horizonYears = args.horizonYears ?? 20;
      const stepsPerYear = args.stepsPerYear ?? 12;
      if (!(horizonYears > 0 && horizonYears <= 50)) {
        throw new ValidationError('horizonYears out of range', [{ row: null, column: 'horizonYears', message: `must be in (0, 50], got ${horizonYears}` }]);
      }
      if (!(stepsPerYear >= 1 && stepsPerYear <= 52)) {
        throw new ValidationError('stepsPerYear out of range', [{ row: null, column: 'stepsPerYear', message: `must be in [1, 52], got ${stepsPerYear}` }]);
      }
      try {
        return { ...simulateStoredModule(m, app, env, { horizonYears, stepsPerYear }), envelope: env.name };
      } catch (error) {
        return twinInputProblem(error);
      }
    },
  }),
}));

const RecordMeasurementInput = builder.inputType('RecordMeasurementInput', {
  fields: (t) => ({
    moduleId: t.id({ required: true }),
    cycle: t.float({ required: false, description: 'Equivalent full cycles since the module arrived (second life)' }),
    timeDays: t.float({ required: false, description: 'Days since the module arrived' }),
    capacityAh: t.float({ required: true }),
    resistanceMilliohm: t.float({ required: false }),
    temperatureC: t.float({ required: false }),
  }),
});

interface RecordPayload {
  module: StoredModule;
  measurementCount: number;
  calibration: ModuleCalibration;
}

const CalibrationRef = builder.objectRef<ModuleCalibration>('ModuleCalibration').implement({
  fields: (t) => ({
    ageingFactor: t.exposeFloat('ageingFactor'),
    cycleExponent: t.exposeFloat('cycleExponent'),
    rmsePct: t.exposeFloat('rmsePct', { description: 'Fit RMSE, % of nominal capacity' }),
    points: t.exposeInt('points'),
    latestSohPercent: t.exposeFloat('latestSohPercent'),
    latestCycleCount: t.exposeFloat('latestCycleCount'),
  }),
});

const RecordPayloadRef = builder.objectRef<RecordPayload>('RecordMeasurementPayload').implement({
  fields: (t) => ({
    module: t.field({ type: BatteryModuleRef, resolve: (p) => p.module }),
    measurementCount: t.exposeInt('measurementCount'),
    calibration: t.field({ type: CalibrationRef, resolve: (p) => p.calibration }),
  }),
});

builder.mutationFields((t) => ({
  recordMeasurement: t.field({
    type: RecordPayloadRef,
    description: "Stores a capacity check of a module and recalibrates that module's twin on all its checks",
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: RecordMeasurementInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const moduleId = parseGlobalId(String(input.moduleId), 'BatteryModule', 'moduleId');
      const m = await getModule(ctx.db, moduleId);
      if (!m) throw new NotFoundError('BatteryModule', String(input.moduleId));
      const reading: ModuleMeasurement = {
        cycle: input.cycle ?? null,
        timeDays: input.timeDays ?? null,
        capacityAh: input.capacityAh,
        resistanceMilliohm: input.resistanceMilliohm ?? null,
        temperatureC: input.temperatureC ?? null,
      };
      return ctx.db.transaction(async (tx) => {
        const previous = await loadMeasurements(tx, moduleId);
        const all: ModuleMeasurement[] = [
          ...previous.map((r) => ({
            cycle: r.cycle,
            timeDays: r.timeDays,
            capacityAh: r.capacityAh,
            resistanceMilliohm: r.resistanceMilliohm,
            temperatureC: r.temperatureC,
          })),
          reading,
        ];
        let calibration: ModuleCalibration;
        try {
          calibration = calibrateModule(m, all);
        } catch (error) {
          return twinInputProblem(error, 'input');
        }
        await insertMeasurements(tx, [{ moduleId, ...reading }]);
        await setModuleCalibration(tx, moduleId, calibration as unknown as Record<string, unknown>);
        const updated = (await getModule(tx, moduleId)) ?? m;
        return { module: updated, measurementCount: all.length, calibration };
      });
    },
  }),
}));
