/** Application: a second-life use (grid, solar, backup, microgrid, custom); queries and mutations. */
import { deleteApplication, getApplicationByName, getApplicationsByIds, insertApplication, loadApplications, replaceApplication, type ApplicationInput } from '../db/applications.js';
import { isUniqueViolation } from '../db/client.js';
import { endOfLifeResistanceMilliohm } from '../twin/requirements.js';
import { APPLICATION_KINDS, type DailySocProfile, type DutyProfile, type Economics, type Envelope, type Requirements, type SocDwell, type SocPoint } from '../twin/types.js';
import { checkApplication, type ConfiguredApplication } from '../validation/application.js';
import { formatProblem } from '../validation/problem.js';
import { builder, ConflictError, NotFoundError, ValidationError } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { inIdOrder, parseGlobalId, tryParseGlobalId } from './node-ids.js';

export const ApplicationKindEnum = builder.enumType('ApplicationKind', { values: APPLICATION_KINDS });

const SocPointRef = builder.objectRef<SocPoint>('SocPoint').implement({
  fields: (t) => ({ hour: t.exposeFloat('hour'), socPercent: t.exposeFloat('socPercent') }),
});
const SocDwellRef = builder.objectRef<SocDwell>('SocDwell').implement({
  fields: (t) => ({ socPercent: t.exposeFloat('socPercent'), hours: t.exposeFloat('hours') }),
});
const DailySocProfileRef = builder.objectRef<DailySocProfile>('DailySocProfile').implement({
  description: 'A day of SOC: time-ordered points (hour 0–24) or hours at each SOC',
  fields: (t) => ({
    points: t.field({ type: [SocPointRef], nullable: true, resolve: (p) => p.points ?? null }),
    timeAtSoc: t.field({ type: [SocDwellRef], nullable: true, resolve: (p) => p.timeAtSoc ?? null }),
    source: t.string({ nullable: true, resolve: (p) => p.source ?? null }),
  }),
});

const DutyProfileRef = builder.objectRef<DutyProfile>('DutyProfile').implement({
  description: 'How the application uses a battery, averaged over a year',
  fields: (t) => ({
    cyclesPerDay: t.exposeFloat('cyclesPerDay'),
    depthOfDischarge: t.exposeFloat('depthOfDischarge', { description: 'Fraction (0–1] of present capacity' }),
    cRate: t.exposeFloat('cRate'),
    socMinPercent: t.exposeFloat('socMinPercent'),
    socMaxPercent: t.exposeFloat('socMaxPercent'),
    ambientTemperatureC: t.exposeFloat('ambientTemperatureC'),
    seasonalSwingC: t.exposeFloat('seasonalSwingC', { description: '± amplitude of the annual ambient sine' }),
    dailyTemperatureSwingC: t.float({
      description: '± amplitude of the daily ambient sine (peak at 15:00), °C; 0: none. Fade rates are averaged over the day with the hour\'s SOC, and the afternoon peak counts against maxCellTemperatureC',
      resolve: (d) => d.dailyTemperatureSwingC ?? 0,
    }),
    socProfile: t.field({
      type: DailySocProfileRef,
      nullable: true,
      description: 'Time at SOC over a day, over which calendar ageing is averaged; null: spread evenly over the cycled window',
      resolve: (d) => d.socProfile ?? null,
    }),
  }),
});

const RequirementsRef = builder.objectRef<Requirements>('Requirements').implement({
  fields: (t) => ({
    minSohPercent: t.exposeFloat('minSohPercent'),
    maxResistanceMilliohm: t.exposeFloat('maxResistanceMilliohm', { description: 'Acceptance screening at deployment' }),
    endOfLifeResistanceMilliohm: t.float({
      description: 'In-service limit: life ends when resistance grows past it (default 2 × maxResistanceMilliohm)',
      resolve: (r) => endOfLifeResistanceMilliohm(r),
    }),
    maxCellTemperatureC: t.exposeFloat('maxCellTemperatureC'),
    minServiceYears: t.exposeFloat('minServiceYears'),
    endOfLifeSohPercent: t.exposeFloat('endOfLifeSohPercent'),
  }),
});

const EconomicsRef = builder.objectRef<Economics>('Economics').implement({
  fields: (t) => ({
    repurposingCostUsdPerModule: t.exposeFloat('repurposingCostUsdPerModule'),
    integrationCostUsdPerKwh: t.exposeFloat('integrationCostUsdPerKwh'),
    valueUsdPerMwh: t.exposeFloat('valueUsdPerMwh'),
  }),
});

const EnvelopeRef = builder.objectRef<Envelope>('Envelope').implement({
  description: 'An operating choice within an application: SOC window / DoD cap and cooling',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    socMinPercent: t.exposeFloat('socMinPercent'),
    socMaxPercent: t.exposeFloat('socMaxPercent'),
    dodFactor: t.exposeFloat('dodFactor'),
    activeCooling: t.exposeBoolean('activeCooling'),
  }),
});

export const ApplicationRef = builder.loadableNode('Application', {
  id: { resolve: (a: ConfiguredApplication) => a.id },
  load: async (ids: string[], ctx) => inIdOrder(ids, await getApplicationsByIds(ctx.db, ids), 'Application'),
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.field({ type: ApplicationKindEnum, resolve: (a) => a.kind }),
    duty: t.field({ type: DutyProfileRef, resolve: (a) => a.duty }),
    requirements: t.field({ type: RequirementsRef, resolve: (a) => a.requirements }),
    capacityLimitKwh: t.float({
      nullable: true,
      description: 'Sum of deployed usable energy the application can take, kWh; null when the capacity is a share',
      resolve: (a) => (Number.isFinite(a.capacityLimitKwh) && a.capacitySharePercent == null ? a.capacityLimitKwh : null),
    }),
    capacitySharePercent: t.float({
      nullable: true,
      description: 'Capacity as a percent of the usable energy of the planned fleet eligible for this application; null when fixed in kWh',
      resolve: (a) => a.capacitySharePercent ?? null,
    }),
    economics: t.field({ type: EconomicsRef, resolve: (a) => a.economics }),
    envelopes: t.field({ type: [EnvelopeRef], resolve: (a) => a.envelopes }),
  }),
});

builder.queryFields((t) => ({
  applications: t.field({
    type: [ApplicationRef],
    description: 'Every application (few: no paging)',
    resolve: (_root, _args, ctx) => loadApplications(ctx.db),
  }),
  application: t.field({
    type: ApplicationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = tryParseGlobalId(String(args.id), 'Application');
      return id ? ((await getApplicationsByIds(ctx.db, [id]))[0] ?? null) : null;
    },
  }),
}));

const SocPointInput = builder.inputType('SocPointInput', {
  fields: (t) => ({ hour: t.float({ required: true }), socPercent: t.float({ required: true }) }),
});
const SocDwellInput = builder.inputType('SocDwellInput', {
  fields: (t) => ({ socPercent: t.float({ required: true }), hours: t.float({ required: true }) }),
});
const DailySocProfileInput = builder.inputType('DailySocProfileInput', {
  description: 'Give points (hour 0 to 24, SOC linear in between) or timeAtSoc (hours adding up to 24), not both',
  fields: (t) => ({
    points: t.field({ type: [SocPointInput], required: false }),
    timeAtSoc: t.field({ type: [SocDwellInput], required: false }),
    source: t.string({ required: false }),
  }),
});

const DutyProfileInput = builder.inputType('DutyProfileInput', {
  fields: (t) => ({
    cyclesPerDay: t.float({ required: true }),
    depthOfDischarge: t.float({ required: true }),
    cRate: t.float({ required: true }),
    socMinPercent: t.float({ required: true }),
    socMaxPercent: t.float({ required: true }),
    ambientTemperatureC: t.float({ required: true }),
    seasonalSwingC: t.float({ required: true }),
    dailyTemperatureSwingC: t.float({ required: false, description: '± amplitude of the daily ambient sine, °C (0–25; default 0)' }),
    socProfile: t.field({ type: DailySocProfileInput, required: false }),
  }),
});

const RequirementsInput = builder.inputType('RequirementsInput', {
  fields: (t) => ({
    minSohPercent: t.float({ required: true }),
    maxResistanceMilliohm: t.float({ required: true }),
    endOfLifeResistanceMilliohm: t.float({ required: false, description: 'Default 2 × maxResistanceMilliohm' }),
    maxCellTemperatureC: t.float({ required: true }),
    minServiceYears: t.float({ required: true }),
    endOfLifeSohPercent: t.float({ required: true }),
  }),
});

const EconomicsInput = builder.inputType('EconomicsInput', {
  fields: (t) => ({
    repurposingCostUsdPerModule: t.float({ required: true }),
    integrationCostUsdPerKwh: t.float({ required: true }),
    valueUsdPerMwh: t.float({ required: true }),
  }),
});

const EnvelopeInput = builder.inputType('EnvelopeInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    socMinPercent: t.float({ required: true }),
    socMaxPercent: t.float({ required: true }),
    dodFactor: t.float({ required: true }),
    activeCooling: t.boolean({ required: true }),
  }),
});

const ApplicationInputRef = builder.inputType('ApplicationInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: ApplicationKindEnum, required: true }),
    duty: t.field({ type: DutyProfileInput, required: true }),
    requirements: t.field({ type: RequirementsInput, required: true }),
    capacityLimitKwh: t.float({ required: false, description: 'Fixed capacity, kWh of deployed usable energy; or give capacitySharePercent' }),
    capacitySharePercent: t.float({ required: false, description: 'Capacity as a percent (0–100] of the fleet’s usable energy eligible for this application' }),
    economics: t.field({ type: EconomicsInput, required: true }),
    envelopes: t.field({ type: [EnvelopeInput], required: true }),
  }),
});

type ApplicationInputShape = typeof ApplicationInputRef.$inferInput;

/** The checked input (src/validation/application.ts: the same checks as the applications file). */
function toApplicationInput(i: ApplicationInputShape): ApplicationInput {
  const { application, problems } = checkApplication(i);
  if (!application) throw new ValidationError(`application input has ${problems.length} problem(s): ${problems.map(formatProblem).join('; ')}`, problems);
  return application;
}

builder.mutationFields((t) => ({
  createApplication: t.field({
    type: ApplicationRef,
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: ApplicationInputRef, required: true }) },
    resolve: async (_root, args, ctx) => {
      const input = toApplicationInput(args.input);
      if (await getApplicationByName(ctx.db, input.name)) throw new ConflictError(`an application named "${input.name}" already exists`);
      // A savepoint, so a lost race leaves the request's transaction usable for the ConflictError.
      return ctx.db.transaction((tx) => insertApplication(tx, input)).catch((error: unknown) => {
        throw isUniqueViolation(error) ? new ConflictError(`an application named "${input.name}" already exists`) : error;
      });
    },
  }),
  updateApplication: t.field({
    type: ApplicationRef,
    description: 'Replaces every field of an application',
    errors: { types: MUTATION_ERRORS },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: ApplicationInputRef, required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Application', 'id');
      const input = toApplicationInput(args.input);
      const other = await getApplicationByName(ctx.db, input.name);
      if (other && other.id !== id) throw new ConflictError(`an application named "${input.name}" already exists`);
      const updated = await ctx.db.transaction((tx) => replaceApplication(tx, id, input)).catch((error: unknown) => {
        throw isUniqueViolation(error) ? new ConflictError(`an application named "${input.name}" already exists`) : error;
      });
      if (!updated) throw new NotFoundError('Application', String(args.id));
      return updated;
    },
  }),
  deleteApplication: t.field({
    type: 'ID',
    errors: { types: MUTATION_ERRORS },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Application', 'id');
      if (!(await deleteApplication(ctx.db, id))) throw new NotFoundError('Application', String(args.id));
      return String(args.id);
    },
  }),
}));
