/** Application: a second-life use (grid, solar, backup, microgrid, custom); queries and mutations. */
import { deleteApplication, getApplicationByName, getApplicationsByIds, insertApplication, loadApplications, replaceApplication, type ApplicationInput } from '../db/applications.js';
import { isUniqueViolation } from '../db/client.js';
import { endOfLifeResistanceMilliohm } from '../twin/requirements.js';
import { APPLICATION_KINDS, type ApplicationSpec, type DailySocProfile, type DutyProfile, type Economics, type Envelope, type Requirements, type SocDwell, type SocPoint } from '../twin/types.js';
import { socProfileProblems } from '../twin/validate.js';
import { builder, ConflictError, NotFoundError, ValidationError, type Problem } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { inIdOrder, parseGlobalId, tryParseGlobalId } from './loaders.js';

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
  id: { resolve: (a: ApplicationSpec) => a.id },
  load: async (ids: string[], ctx) => inIdOrder(ids, await getApplicationsByIds(ctx.db, ids), 'Application'),
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.field({ type: ApplicationKindEnum, resolve: (a) => a.kind }),
    duty: t.field({ type: DutyProfileRef, resolve: (a) => a.duty }),
    requirements: t.field({ type: RequirementsRef, resolve: (a) => a.requirements }),
    capacityLimitKwh: t.exposeFloat('capacityLimitKwh', { description: 'Sum of deployed usable energy the application can take' }),
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
    capacityLimitKwh: t.float({ required: true }),
    economics: t.field({ type: EconomicsInput, required: true }),
    envelopes: t.field({ type: [EnvelopeInput], required: true }),
  }),
});

type Range = [min: number, max: number, minOpen?: boolean];

const ENVELOPE_RANGES: Record<'socMinPercent' | 'socMaxPercent' | 'dodFactor', Range> = {
  socMinPercent: [0, 100],
  socMaxPercent: [0, 100],
  dodFactor: [0, 1, true],
};

const DUTY_RANGES: Record<Exclude<keyof DutyProfile, 'socProfile'>, Range> = {
  cyclesPerDay: [0, 24],
  depthOfDischarge: [0, 1, true],
  cRate: [0, 10, true],
  socMinPercent: [0, 100],
  socMaxPercent: [0, 100],
  ambientTemperatureC: [-50, 60],
  seasonalSwingC: [0, 40],
};
const REQUIREMENT_RANGES: Record<Exclude<keyof Requirements, 'endOfLifeResistanceMilliohm'>, Range> = {
  minSohPercent: [0, 100],
  maxResistanceMilliohm: [0, 1e6, true],
  maxCellTemperatureC: [-20, 120],
  minServiceYears: [0, 50],
  endOfLifeSohPercent: [0, 100],
};
const ECONOMICS_RANGES: Record<keyof Economics, Range> = {
  repurposingCostUsdPerModule: [0, 1e7],
  integrationCostUsdPerKwh: [0, 1e6],
  valueUsdPerMwh: [0, 1e7],
};

function checkRanges<K extends string>(value: { [P in NoInfer<K>]: number }, ranges: Record<K, Range>, prefix: string, out: Problem[]): void {
  for (const key of Object.keys(ranges) as K[]) {
    const v = value[key];
    const [min, max, minOpen] = ranges[key];
    const column = `${prefix}.${key}`;
    if (!Number.isFinite(v)) out.push({ row: null, column, message: `must be a finite number, got ${v}` });
    else if (v > max || (minOpen ? v <= min : v < min)) out.push({ row: null, column, message: `must be in ${minOpen ? '(' : '['}${min}, ${max}], got ${v}` });
  }
}

/** Every problem with an application input (field paths as `column`). */
export function applicationProblems(a: ApplicationInput): Problem[] {
  const out: Problem[] = [];
  const name = a.name.trim();
  if (name.length === 0 || name.length > 200) out.push({ row: null, column: 'name', message: 'must be 1–200 characters' });
  checkRanges(a.duty, DUTY_RANGES, 'duty', out);
  for (const p of socProfileProblems(a.duty)) out.push({ row: null, column: p.field, message: p.message });
  if (a.duty.socMinPercent >= a.duty.socMaxPercent) out.push({ row: null, column: 'duty.socMinPercent', message: `must be below socMaxPercent (${a.duty.socMaxPercent}), got ${a.duty.socMinPercent}` });
  checkRanges(a.requirements, REQUIREMENT_RANGES, 'requirements', out);
  if (a.requirements.endOfLifeSohPercent > a.requirements.minSohPercent) {
    out.push({ row: null, column: 'requirements.endOfLifeSohPercent', message: `must not exceed minSohPercent (${a.requirements.minSohPercent}), got ${a.requirements.endOfLifeSohPercent}` });
  }
  const eolR = a.requirements.endOfLifeResistanceMilliohm;
  if (eolR != null && !(Number.isFinite(eolR) && eolR >= a.requirements.maxResistanceMilliohm && eolR <= 1e6)) {
    out.push({ row: null, column: 'requirements.endOfLifeResistanceMilliohm', message: `must be a finite number from maxResistanceMilliohm (${a.requirements.maxResistanceMilliohm}) to 1000000, got ${eolR}` });
  }
  if (!Number.isFinite(a.capacityLimitKwh) || a.capacityLimitKwh <= 0) out.push({ row: null, column: 'capacityLimitKwh', message: `must be a positive finite number, got ${a.capacityLimitKwh}` });
  checkRanges(a.economics, ECONOMICS_RANGES, 'economics', out);
  if (a.envelopes.length === 0) out.push({ row: null, column: 'envelopes', message: 'at least one envelope is required' });
  const seen = new Set<string>();
  a.envelopes.forEach((e, i) => {
    const p = `envelopes[${i}]`;
    if (e.name.trim() === '') out.push({ row: null, column: `${p}.name`, message: 'must not be empty' });
    if (seen.has(e.name)) out.push({ row: null, column: `${p}.name`, message: `duplicate envelope name "${e.name}"` });
    seen.add(e.name);
    checkRanges(e, ENVELOPE_RANGES, p, out);
    if (e.socMinPercent >= e.socMaxPercent) out.push({ row: null, column: `${p}.socMinPercent`, message: `must be below socMaxPercent (${e.socMaxPercent}), got ${e.socMinPercent}` });
  });
  return out;
}

type ApplicationInputShape = typeof ApplicationInputRef.$inferInput;

/** An omitted in-service resistance limit is stored absent, so the twin's default applies. */
function withoutNullEndOfLifeResistance(r: ApplicationInputShape['requirements']): Requirements {
  const { endOfLifeResistanceMilliohm, ...rest } = r;
  return endOfLifeResistanceMilliohm == null ? rest : { ...rest, endOfLifeResistanceMilliohm };
}

/** GraphQL nulls of an omitted profile are stored absent; a given profile keeps only its given form. */
function withoutNullSocProfile(d: ApplicationInputShape['duty']): DutyProfile {
  const { socProfile, ...rest } = d;
  if (socProfile == null) return rest;
  const p: DailySocProfile = {};
  if (socProfile.points != null) p.points = socProfile.points.map((q) => ({ hour: q.hour, socPercent: q.socPercent }));
  if (socProfile.timeAtSoc != null) p.timeAtSoc = socProfile.timeAtSoc.map((q) => ({ socPercent: q.socPercent, hours: q.hours }));
  if (socProfile.source != null) p.source = socProfile.source;
  return { ...rest, socProfile: p };
}

function toApplicationInput(i: ApplicationInputShape): ApplicationInput {
  const input: ApplicationInput = {
    name: i.name.trim(),
    kind: i.kind,
    duty: withoutNullSocProfile(i.duty),
    requirements: withoutNullEndOfLifeResistance(i.requirements),
    capacityLimitKwh: i.capacityLimitKwh,
    economics: { ...i.economics },
    envelopes: i.envelopes.map((e) => ({ ...e, description: e.description ?? '' })),
  };
  const problems = applicationProblems(input);
  if (problems.length > 0) throw new ValidationError(`application input has ${problems.length} problem(s)`, problems);
  return input;
}

builder.mutationFields((t) => ({
  createApplication: t.field({
    type: ApplicationRef,
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: ApplicationInputRef, required: true }) },
    resolve: async (_root, args, ctx) => {
      const input = toApplicationInput(args.input);
      if (await getApplicationByName(ctx.db, input.name)) throw new ConflictError(`an application named "${input.name}" already exists`);
      return insertApplication(ctx.db, input).catch((error: unknown) => {
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
      const updated = await replaceApplication(ctx.db, id, input).catch((error: unknown) => {
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
