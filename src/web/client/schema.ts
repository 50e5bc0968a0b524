/* Generated from schema.graphql by src/web/schema-types.ts: do not edit (npm run schema:print). */

/** Where one module goes: an application under an envelope, or recycling, and why */
export interface Allocation {
  __typename?: 'Allocation';
  application: Application | null;
  applicationName: string | null;
  /** Deployment cost − value of energy delivered, USD; 0 when recycled */
  costUsd: number | null;
  /** Envelope name */
  envelope: string | null;
  /** The module as it is now (null once deleted) */
  module: BatteryModule | null;
  /** Why this application and envelope, or why recycled, from the run’s own figures */
  reason: string;
  /** Null on plans frozen before reasons were kept */
  reasonKind: AllocationReasonKind | null;
  recycled: boolean;
  serial: string;
  twin: AllocationTwinSummary | null;
}

/** An immutable plan: one solution of a run, frozen with the twin’s predictions when it was selected */
export interface AllocationPlan {
  __typename?: 'AllocationPlan';
  /** Module by module, in serial order; at most 500 per page */
  allocations: AllocationPlanAllocationsConnection;
  costUsd: number;
  createdAt: string;
  /** Path of the CSV export on this server */
  csvPath: string;
  fadePctPerYear: number;
  fleet: Fleet;
  id: string;
  /** Path of the JSON export on this server */
  jsonPath: string;
  knee: boolean;
  /** Global ID of the OptimizationRun */
  runId: string;
  solutionIndex: number;
  storageYearsKwhYr: number;
  /** Path of the XLSX export (rows and a summary sheet) on this server */
  xlsxPath: string;
}

export interface AllocationPlanAllocationsConnection {
  __typename?: 'AllocationPlanAllocationsConnection';
  edges: Array<AllocationPlanAllocationsConnectionEdge>;
  pageInfo: PageInfo;
}

export interface AllocationPlanAllocationsConnectionEdge {
  __typename?: 'AllocationPlanAllocationsConnectionEdge';
  cursor: string;
  node: Allocation;
}

/** Which kind of reason an allocation carries (see docs/plans-and-exports.md) */
export type AllocationReasonKind = 'CAPACITY' | 'DEPLOYED' | 'INELIGIBLE' | 'TRADE_OFF';

export interface AllocationTwinSummary {
  __typename?: 'AllocationTwinSummary';
  /** SOH, RESISTANCE, THERMAL or HORIZON */
  endOfLifeReason: string;
  fadePctPerYear: number;
  feasible: boolean;
  lifetimeEnergyMwh: number;
  peakTemperatureC: number;
  roundTripEfficiency: number;
  /** Years until end-of-life SOH, the resistance limit or the thermal limit */
  rulYears: number;
  /** Energy between the envelope's SOC limits at deployment, kWh: what counts against an application's capacity (not nameplate × SOH, see BatteryModule.fullChargeEnergyKwh) */
  socWindowEnergyKwh: number;
  /** socWindowEnergyKwh × rulYears, this module’s share of the storage objective */
  storageYearsKwhYr: number;
}

export interface Application {
  __typename?: 'Application';
  /** Sum of deployed usable energy the application can take, kWh; null when the capacity is a share */
  capacityLimitKwh: number | null;
  /** Capacity as a percent of the usable energy of the planned fleet eligible for this application; null when fixed in kWh */
  capacitySharePercent: number | null;
  duty: DutyProfile;
  economics: Economics;
  envelopes: Array<Envelope>;
  id: string;
  kind: ApplicationKind;
  name: string;
  requirements: Requirements;
}

export interface ApplicationInput {
  /** Fixed capacity, kWh of deployed usable energy; or give capacitySharePercent */
  capacityLimitKwh?: number | null;
  /** Capacity as a percent (0–100] of the fleet’s usable energy eligible for this application */
  capacitySharePercent?: number | null;
  duty: DutyProfileInput;
  economics: EconomicsInput;
  envelopes: Array<EnvelopeInput>;
  kind: ApplicationKind;
  name: string;
  requirements: RequirementsInput;
}

export type ApplicationKind = 'BACKUP' | 'CUSTOM' | 'GRID' | 'MICROGRID' | 'SOLAR';

export interface ApplicationLoad {
  __typename?: 'ApplicationLoad';
  applicationId: string;
  capacityLimitKwh: number;
  deployedKwh: number;
  modules: number;
}

/** Who changed what: one mutation (or token command) of this tenant */
export interface AuditEntry {
  __typename?: 'AuditEntry';
  /** The mutation’s name, `token create` or `token revoke` */
  action: string;
  /** `token:<prefix>`, `env:<prefix>`, `loopback` (protected mode) or `cli` */
  actor: string;
  at: string;
  /** `ok`, or the error type (ValidationError, NotFoundError, ConflictError, error) */
  outcome: string;
  /** The role the actor acted with */
  role: string;
  /** The IDs the action named (its ID arguments) and, under `result`, the ID of what it created or changed; never other input */
  target: unknown;
}

export interface BaselinePoint {
  __typename?: 'BaselinePoint';
  feasible: boolean;
  name: string;
  objectives: Objectives;
}

/** A retired EV battery module as received (one CSV row) */
export interface BatteryModule {
  __typename?: 'BatteryModule';
  ageYears: number | null;
  /** The twin's fitted per-module parameters, when calibrated */
  calibration: unknown | null;
  chemistry: Chemistry;
  /** Equivalent full cycles in first life */
  cycleCount: number;
  /** The fleet this module belongs to */
  fleet: Fleet;
  /** Energy of a full 0–100 % charge today, kWh: nameplate Ah × nominal V × SOH / 1000 (not the SOC-window energy of a twin summary) */
  fullChargeEnergyKwh: number;
  health: HealthBreakdown;
  /** Composite health score 0–100 (SOH, resistance, thermal stability, efficiency, degradation trend) */
  healthScore: number;
  id: string;
  internalResistanceMilliohm: number;
  manufacturer: string | null;
  nominalCapacityAh: number;
  nominalVoltageV: number;
  serial: string;
  /** State of health: present full capacity / nameplate, percent */
  sohPercent: number;
  temperatureMaxC: number;
  temperatureMinC: number;
  /** Projection of this module under an application and one of its envelopes (by name) */
  twin: BatteryModuleTwinResult;
}

export type BatteryModuleTwinResult = BatteryModuleTwinSuccess | ConflictError | NotFoundError | ValidationError;

export interface BatteryModuleTwinSuccess {
  __typename?: 'BatteryModuleTwinSuccess';
  data: TwinProjection;
}

/** What proved a bound: the LP relaxation, or HiGHS’s MILP branch-and-bound (tighter) */
export type BoundMethod = 'LP' | 'MILP';

/** Cell chemistry of a module */
export type Chemistry = 'LFP' | 'LMO' | 'NCA' | 'NMC';

export interface ConflictError {
  __typename?: 'ConflictError';
  message: string;
}

export interface CreateFleetInput {
  description?: string | null;
  name: string;
}

/** The separator of a CSV (detected from the header when not given) */
export type CsvDelimiter = 'COMMA' | 'SEMICOLON' | 'TAB';

/** A day of SOC: time-ordered points (hour 0–24) or hours at each SOC */
export interface DailySocProfile {
  __typename?: 'DailySocProfile';
  points: Array<SocPoint> | null;
  source: string | null;
  timeAtSoc: Array<SocDwell> | null;
}

/** Give points (hour 0 to 24, SOC linear in between) or timeAtSoc (hours adding up to 24), not both */
export interface DailySocProfileInput {
  points?: Array<SocPointInput> | null;
  source?: string | null;
  timeAtSoc?: Array<SocDwellInput> | null;
}

/** How the application uses a battery, averaged over a year */
export interface DutyProfile {
  __typename?: 'DutyProfile';
  ambientTemperatureC: number;
  cRate: number;
  cyclesPerDay: number;
  /** ± amplitude of the daily ambient sine (peak at 15:00), °C; 0: none. Fade rates are averaged over the day with the hour's SOC, and the afternoon peak counts against maxCellTemperatureC */
  dailyTemperatureSwingC: number;
  /** Fraction (0–1] of present capacity */
  depthOfDischarge: number;
  /** ± amplitude of the annual ambient sine */
  seasonalSwingC: number;
  socMaxPercent: number;
  socMinPercent: number;
  /** Time at SOC over a day, over which calendar ageing is averaged; null: spread evenly over the cycled window */
  socProfile: DailySocProfile | null;
}

export interface DutyProfileInput {
  ambientTemperatureC: number;
  cRate: number;
  cyclesPerDay: number;
  /** ± amplitude of the daily ambient sine, °C (0–25; default 0) */
  dailyTemperatureSwingC?: number | null;
  depthOfDischarge: number;
  seasonalSwingC: number;
  socMaxPercent: number;
  socMinPercent: number;
  socProfile?: DailySocProfileInput | null;
}

export interface Economics {
  __typename?: 'Economics';
  integrationCostUsdPerKwh: number;
  repurposingCostUsdPerModule: number;
  valueUsdPerMwh: number;
}

export interface EconomicsInput {
  integrationCostUsdPerKwh: number;
  repurposingCostUsdPerModule: number;
  valueUsdPerMwh: number;
}

/** An operating choice within an application: SOC window / DoD cap and cooling */
export interface Envelope {
  __typename?: 'Envelope';
  activeCooling: boolean;
  description: string;
  dodFactor: number;
  name: string;
  socMaxPercent: number;
  socMinPercent: number;
}

export interface EnvelopeInput {
  activeCooling: boolean;
  description?: string | null;
  dodFactor: number;
  name: string;
  socMaxPercent: number;
  socMinPercent: number;
}

/** An expected failure of a mutation; match the concrete types for details. */
export interface Error {
  message: string;
}

/** A batch of retired modules planned together */
export interface Fleet {
  __typename?: 'Fleet';
  /** The plan selected last for this fleet */
  activePlan: AllocationPlan | null;
  createdAt: string;
  description: string | null;
  id: string;
  moduleCount: number;
  /** Modules by serial; at most 500 per page */
  modules: FleetModulesConnection;
  name: string;
  /** Runs of this fleet, newest first */
  optimizationRuns: Array<OptimizationRun>;
  /** Every plan selected for this fleet, newest first */
  plans: Array<AllocationPlan>;
  /** Sum of the modules’ full-charge energy (nameplate Ah × V × SOH), kWh */
  totalEnergyKwh: number;
}

export interface FleetModulesConnection {
  __typename?: 'FleetModulesConnection';
  edges: Array<FleetModulesConnectionEdge>;
  pageInfo: PageInfo;
  /** Modules matching the filters (all pages) */
  totalCount: number;
}

export interface FleetModulesConnectionEdge {
  __typename?: 'FleetModulesConnectionEdge';
  cursor: string;
  node: BatteryModule;
}

export interface GenerateSyntheticFleetInput {
  /** Number of modules, 1–100000 */
  modules: number;
  name: string;
  seed: number;
  /** Share of thermally stressed fast-ageing modules (default 0.2) */
  stressedFraction?: number | null;
}

/** Composite health score and its parts (each 0–1): score = 100·(0.35·soh + 0.20·resistance + 0.15·thermal + 0.15·efficiency + 0.15·trend); see README “Digital twin” */
export interface HealthBreakdown {
  __typename?: 'HealthBreakdown';
  efficiency: number;
  firstLifeFadePctPerYear: number;
  resistance: number;
  score: number;
  soh: number;
  thermal: number;
  trend: number;
}

export interface ImportModulesInput {
  /** Import values that look like the wrong unit (SOH ≤ 1.5 %, resistance below the floor for the nameplate) as written */
  allowSuspectUnits?: boolean | null;
  /** The module CSV as text (see docs/inputs.md); give csv or file */
  csv?: string | null;
  /** Default: detected from the header */
  delimiter?: CsvDelimiter | null;
  /** Check the whole file and answer as if imported, writing nothing */
  dryRun?: boolean | null;
  /** The module CSV as an uploaded file (multipart request), UTF-8, at most 33554432 bytes */
  file?: File | null;
  /** The fleet to add the modules to; give fleetId or newFleet */
  fleetId?: string | null;
  /** Create this fleet and import into it in one transaction: a rejected file leaves no fleet behind (the name must be free) */
  newFleet?: CreateFleetInput | null;
}

export interface ImportModulesPayload {
  __typename?: 'ImportModulesPayload';
  /** True when the import created the fleet (newFleet) */
  createdFleet: boolean;
  delimiter: CsvDelimiter;
  dryRun: boolean;
  fleet: Fleet;
  /** Modules imported (on a dry run: that would be) */
  importedCount: number;
}

export interface ModuleCalibration {
  __typename?: 'ModuleCalibration';
  ageingFactor: number;
  cycleExponent: number;
  latestCycleCount: number;
  latestSohPercent: number;
  points: number;
  /** Fit RMSE, % of nominal capacity */
  rmsePct: number;
}

export interface ModulePin {
  __typename?: 'ModulePin';
  applicationId: string;
  envelope: string | null;
  /** Serial of the pinned module */
  module: string;
}

export interface ModulePinInput {
  /** One of the run’s applicationIds */
  applicationId: string;
  /** Envelope name; omitted: the feasible envelope with the most storage-years */
  envelope?: string | null;
  /** Serial or BatteryModule ID of a module of the fleet */
  module: string;
}

export interface Mutation {
  __typename?: 'Mutation';
  /** A queued run is cancelled at once; a running one stops at the end of its current generation, keeping its front so far */
  cancelOptimization: MutationCancelOptimizationResult;
  createApplication: MutationCreateApplicationResult;
  createFleet: MutationCreateFleetResult;
  deleteApplication: MutationDeleteApplicationResult;
  /** Deletes a fleet with its modules; returns the deleted global ID */
  deleteFleet: MutationDeleteFleetResult;
  /** Creates a fleet of synthetic retired modules (the reference paper §3A generator) */
  generateSyntheticFleet: MutationGenerateSyntheticFleetResult;
  /** Adds the modules of a CSV to a fleet, or creates a fleet with them (newFleet): all rows or none, every bad row reported */
  importModules: MutationImportModulesResult;
  /** Stores a capacity check of a module and recalibrates that module's twin on all its checks */
  recordMeasurement: MutationRecordMeasurementResult;
  /** Freezes solution `index` of a finished run as an AllocationPlan; it becomes the fleet’s activePlan */
  selectSolution: MutationSelectSolutionResult;
  /** Queues a fleet optimisation; a worker runs it off the request path. Read `warnings` of the answer: capacity that does not fit the fleet, an identical run already active */
  startOptimization: MutationStartOptimizationResult;
  /** Replaces every field of an application */
  updateApplication: MutationUpdateApplicationResult;
}

export type MutationCancelOptimizationResult = ConflictError | MutationCancelOptimizationSuccess | NotFoundError | ValidationError;

export interface MutationCancelOptimizationSuccess {
  __typename?: 'MutationCancelOptimizationSuccess';
  data: OptimizationRun;
}

export type MutationCreateApplicationResult = ConflictError | MutationCreateApplicationSuccess | NotFoundError | ValidationError;

export interface MutationCreateApplicationSuccess {
  __typename?: 'MutationCreateApplicationSuccess';
  data: Application;
}

export type MutationCreateFleetResult = ConflictError | MutationCreateFleetSuccess | NotFoundError | ValidationError;

export interface MutationCreateFleetSuccess {
  __typename?: 'MutationCreateFleetSuccess';
  data: Fleet;
}

export type MutationDeleteApplicationResult = ConflictError | MutationDeleteApplicationSuccess | NotFoundError | ValidationError;

export interface MutationDeleteApplicationSuccess {
  __typename?: 'MutationDeleteApplicationSuccess';
  data: string;
}

export type MutationDeleteFleetResult = ConflictError | MutationDeleteFleetSuccess | NotFoundError | ValidationError;

export interface MutationDeleteFleetSuccess {
  __typename?: 'MutationDeleteFleetSuccess';
  data: string;
}

export type MutationGenerateSyntheticFleetResult = ConflictError | MutationGenerateSyntheticFleetSuccess | NotFoundError | ValidationError;

export interface MutationGenerateSyntheticFleetSuccess {
  __typename?: 'MutationGenerateSyntheticFleetSuccess';
  data: Fleet;
}

export type MutationImportModulesResult = ConflictError | MutationImportModulesSuccess | NotFoundError | ValidationError;

export interface MutationImportModulesSuccess {
  __typename?: 'MutationImportModulesSuccess';
  data: ImportModulesPayload;
}

export type MutationRecordMeasurementResult = ConflictError | MutationRecordMeasurementSuccess | NotFoundError | ValidationError;

export interface MutationRecordMeasurementSuccess {
  __typename?: 'MutationRecordMeasurementSuccess';
  data: RecordMeasurementPayload;
}

export type MutationSelectSolutionResult = ConflictError | MutationSelectSolutionSuccess | NotFoundError | ValidationError;

export interface MutationSelectSolutionSuccess {
  __typename?: 'MutationSelectSolutionSuccess';
  data: AllocationPlan;
}

export type MutationStartOptimizationResult = ConflictError | MutationStartOptimizationSuccess | NotFoundError | ValidationError;

export interface MutationStartOptimizationSuccess {
  __typename?: 'MutationStartOptimizationSuccess';
  data: OptimizationRun;
}

export type MutationUpdateApplicationResult = ConflictError | MutationUpdateApplicationSuccess | NotFoundError | ValidationError;

export interface MutationUpdateApplicationSuccess {
  __typename?: 'MutationUpdateApplicationSuccess';
  data: Application;
}

export interface Node {
  id: string;
}

export interface NotFoundError {
  __typename?: 'NotFoundError';
  id: string;
  message: string;
  typename: string;
}

/** How close the front comes to the best achievable value of one sum objective */
export interface ObjectiveBound {
  __typename?: 'ObjectiveBound';
  /** The front’s best value of this objective */
  bestOnFront: number | null;
  /** Proven bound (upper for storage-years, lower for cost); null when none could be proven */
  bound: number | null;
  /** Shortfall of the best plan against the bound, % of the bound (0 = at the bound) */
  gapPercent: number | null;
  /** The LP relaxation’s value */
  lpBound: number | null;
  /** Shortfall against the LP relaxation, % */
  lpGapPercent: number | null;
  method: BoundMethod | null;
  /** What was solved and what was not (budget, HiGHS failure, infeasible ε) */
  note: string | null;
  /** storageYears (kWh·yr, maximised) or costUsd (USD, minimised) */
  objective: string;
}

/** The three objectives of a plan, in natural sense and units */
export interface Objectives {
  __typename?: 'Objectives';
  /** Lifetime cost relative to recycling everything, USD (minimised) */
  costUsd: number;
  /** Usable-energy-weighted mean fade of deployed modules, %/yr (minimised) */
  fadePctPerYear: number;
  /** Σ usable kWh × RUL years of deployed modules (maximised) */
  storageYearsKwhYr: number;
}

/** Survival of the evolutionary search: NSGA2 (rank and crowding distance) or NSGA3 (reference points, Deb & Jain 2014) */
export type OptimizationAlgorithm = 'NSGA2' | 'NSGA3';

/** What a run reported after one generation */
export interface OptimizationProgress {
  __typename?: 'OptimizationProgress';
  /** Best storage-years and cost so far against their bounds */
  bounds: Array<ProgressBound>;
  elapsedSeconds: number;
  evaluations: number;
  frontSize: number;
  generation: number;
  /** Hypervolume of the feasible front in the normalised objective box (0–1) */
  hypervolume: number;
  /** Status of the run when this generation was recorded (RUNNING); only the closing event of a subscription carries the final status */
  status: OptimizationStatus;
}

/** A fleet optimisation executed by a background worker */
export interface OptimizationRun {
  __typename?: 'OptimizationRun';
  algorithm: OptimizationAlgorithm;
  applications: Array<Application>;
  /** Times a worker took this run (more than 1 after a crash) */
  attempts: number;
  baselines: Array<BaselinePoint>;
  /** Per sum objective: the LP/MILP bound and the front’s gap to it; empty until the run has a front */
  bounds: Array<ObjectiveBound>;
  cancelRequested: boolean;
  /** Static vs adaptive vs the knee of this run’s front, scored by the twin; null until the run has a front */
  comparison: StrategyComparison | null;
  createdAt: string;
  elapsedSeconds: number | null;
  /** Why the run failed */
  error: string | null;
  evaluations: number | null;
  /** Notes of the exact step (points skipped, degradations) */
  exactNotes: Array<string>;
  /** Serials of the modules the input kept out of the allocation */
  excludedModules: Array<string>;
  finishedAt: string | null;
  fleet: Fleet;
  /** The final (or, when cancelled, partial) front; empty while the run is in progress */
  front: Array<Solution>;
  generations: number;
  hypervolume: number | null;
  id: string;
  kneeIndex: number | null;
  /** True when the front is that of a cancelled run */
  partial: boolean | null;
  /** Modules the input held to an application */
  pins: Array<ModulePin>;
  population: number;
  /** Stored progress, oldest first: every recorded generation unless `first` is given */
  progress: Array<OptimizationProgress>;
  /** Generations recorded so far */
  progressCount: number;
  seed: number;
  solution: Solution;
  startedAt: string | null;
  status: OptimizationStatus;
  timeLimitSeconds: number | null;
  /** What to know before trusting the run: capacities that leave most eligible energy undeployed (with the numbers), an identical run already active */
  warnings: Array<string>;
  workers: number;
}

/** QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED (a RUNNING run whose worker died goes back to QUEUED) */
export type OptimizationStatus = 'CANCELLED' | 'FAILED' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED';

export interface PageInfo {
  __typename?: 'PageInfo';
  endCursor: string | null;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
}

/** One problem with an input: CSV row (1-based, the header is row 1) and column, or the input field. */
export interface Problem {
  __typename?: 'Problem';
  column: string | null;
  message: string;
  row: number | null;
  /** The offending value as given */
  value: string | null;
}

/** The archive’s best value of a sum objective against its bound, after one generation */
export interface ProgressBound {
  __typename?: 'ProgressBound';
  bestOnFront: number | null;
  bound: number | null;
  gapPercent: number | null;
  /** storageYears (kWh·yr, maximised) or costUsd (USD, minimised) */
  objective: string;
}

export interface Query {
  __typename?: 'Query';
  application: Application | null;
  /** Every application (few: no paging) */
  applications: Array<Application>;
  /** The tenant’s audit log, newest first (admin role); at most 500 per page */
  auditLog: QueryAuditLogConnection;
  /** Static (SOH > 70 % → grid, else backup) vs adaptive (best twin RUL, greedy under capacity) vs the NSGA-II knee, for a fleet and applications */
  compareStrategies: QueryCompareStrategiesResult;
  /** A fleet by global ID or by name */
  fleet: Fleet | null;
  /** All fleets by name */
  fleets: QueryFleetsConnection;
  node: Node | null;
  nodes: Array<Node | null>;
  optimizationRun: OptimizationRun | null;
}

export interface QueryAuditLogConnection {
  __typename?: 'QueryAuditLogConnection';
  edges: Array<QueryAuditLogConnectionEdge>;
  pageInfo: PageInfo;
}

export interface QueryAuditLogConnectionEdge {
  __typename?: 'QueryAuditLogConnectionEdge';
  cursor: string;
  node: AuditEntry;
}

export type QueryCompareStrategiesResult = ConflictError | NotFoundError | QueryCompareStrategiesSuccess | ValidationError;

export interface QueryCompareStrategiesSuccess {
  __typename?: 'QueryCompareStrategiesSuccess';
  data: StrategyComparison;
}

export interface QueryFleetsConnection {
  __typename?: 'QueryFleetsConnection';
  edges: Array<QueryFleetsConnectionEdge>;
  pageInfo: PageInfo;
}

export interface QueryFleetsConnectionEdge {
  __typename?: 'QueryFleetsConnectionEdge';
  cursor: string;
  node: Fleet;
}

export interface RecordMeasurementInput {
  capacityAh: number;
  /** Equivalent full cycles since the module arrived (second life) */
  cycle?: number | null;
  moduleId: string;
  resistanceMilliohm?: number | null;
  temperatureC?: number | null;
  /** Days since the module arrived */
  timeDays?: number | null;
}

export interface RecordMeasurementPayload {
  __typename?: 'RecordMeasurementPayload';
  calibration: ModuleCalibration;
  measurementCount: number;
  module: BatteryModule;
}

export interface Requirements {
  __typename?: 'Requirements';
  /** In-service limit: life ends when resistance grows past it (default 2 × maxResistanceMilliohm) */
  endOfLifeResistanceMilliohm: number;
  endOfLifeSohPercent: number;
  maxCellTemperatureC: number;
  /** Acceptance screening at deployment */
  maxResistanceMilliohm: number;
  minServiceYears: number;
  minSohPercent: number;
}

export interface RequirementsInput {
  /** Default 2 × maxResistanceMilliohm */
  endOfLifeResistanceMilliohm?: number | null;
  endOfLifeSohPercent: number;
  maxCellTemperatureC: number;
  maxResistanceMilliohm: number;
  minServiceYears: number;
  minSohPercent: number;
}

export interface SocDwell {
  __typename?: 'SocDwell';
  hours: number;
  socPercent: number;
}

export interface SocDwellInput {
  hours: number;
  socPercent: number;
}

export interface SocPoint {
  __typename?: 'SocPoint';
  hour: number;
  socPercent: number;
}

export interface SocPointInput {
  hour: number;
  socPercent: number;
}

/** One solution of a run’s front */
export interface Solution {
  __typename?: 'Solution';
  /** Module by module, in serial order, with the twin's figures and a reason; at most 500 per page */
  allocations: SolutionAllocationsConnection;
  deployedModules: number;
  index: number;
  knee: boolean;
  objectives: Objectives;
}

export interface SolutionAllocationsConnection {
  __typename?: 'SolutionAllocationsConnection';
  edges: Array<SolutionAllocationsConnectionEdge>;
  pageInfo: PageInfo;
}

export interface SolutionAllocationsConnectionEdge {
  __typename?: 'SolutionAllocationsConnectionEdge';
  cursor: string;
  node: Allocation;
}

export interface StartOptimizationInput {
  algorithm?: OptimizationAlgorithm | null;
  applicationIds: Array<string>;
  /** Serials or BatteryModule IDs of modules kept out (reserved, held for tests) */
  excludedModules?: Array<string> | null;
  fleetId: string;
  generations: number;
  /** A key of your choice: starting again with the same key on the same fleet returns the first run instead of a new one */
  idempotencyKey?: string | null;
  /** Modules held to an application (and envelope) */
  pins?: Array<ModulePinInput> | null;
  population: number;
  seed?: number | null;
  timeLimitSeconds?: number | null;
  workers?: number | null;
}

export interface StrategyComparison {
  __typename?: 'StrategyComparison';
  /** Plans on the NSGA-II Pareto front the knee was taken from */
  frontSize: number;
  generations: number;
  /** Of that front, in the normalised objective box (0–1) */
  hypervolume: number;
  population: number;
  seed: number;
  strategies: Array<StrategyMetrics>;
}

/** One strategy’s allocation of the fleet, scored by our twin (Tables 5 & 6 of the reference paper) */
export interface StrategyMetrics {
  __typename?: 'StrategyMetrics';
  applicationLoads: Array<ApplicationLoad>;
  /** deployed modules meeting every twin requirement and fitting their application capacity, % of all modules */
  correctPercent: number;
  /** Σ deployment cost − value of energy delivered, USD (recycling = 0), see cost model */
  costUsd: number;
  deployed: number;
  deployedEnergyKwh: number;
  /** the degradation objective: Σ kWh·fade / Σ kWh */
  energyWeightedFadePctPerYear: number;
  /** mean capacity fade rate of deployed modules, %/yr */
  meanFadePctPerYear: number;
  /** mean RUL of deployed modules in their assigned application, years */
  meanLifespanYears: number;
  /** mean round-trip efficiency of deployed modules (0–1) */
  meanRoundTripEfficiency: number;
  /** deployed modules violating a twin requirement, or overflowing their application capacity (admitted in intake order), % of all modules */
  misallocatedPercent: number;
  modules: number;
  recycled: number;
  /** Σ usable kWh × RUL years over deployed modules */
  storageYearsKwhYr: number;
  /** static, adaptive or nsga2-knee */
  strategy: string;
}

export interface Subscription {
  __typename?: 'Subscription';
  /** Progress of a run, one event per generation (stored ones first), ending with an event whose status is terminal. Served over server-sent events. */
  optimizationProgress: OptimizationProgress;
}

export interface TwinProjection {
  __typename?: 'TwinProjection';
  /** Individual ageing factor used (1 = ages as the fitted cell model) */
  ageingFactor: number;
  /** True when fitted to recorded measurements */
  calibrated: boolean;
  envelope: string;
  summary: TwinSummary;
  trajectory: TwinTrajectory;
}

export interface TwinSummary {
  __typename?: 'TwinSummary';
  /** SOH, RESISTANCE, THERMAL or HORIZON */
  endOfLifeReason: string;
  fadePctPerYear: number;
  feasible: boolean;
  lifetimeEnergyMwh: number;
  peakTemperatureC: number;
  roundTripEfficiency: number;
  /** Years until end-of-life SOH, the resistance limit or the thermal limit */
  rulYears: number;
  /** Energy between the envelope's SOC limits at deployment, kWh: what counts against an application's capacity (not nameplate × SOH, see BatteryModule.fullChargeEnergyKwh) */
  socWindowEnergyKwh: number;
  violations: Array<TwinViolation>;
}

/** Time series of the projection, index 0 at deployment */
export interface TwinTrajectory {
  __typename?: 'TwinTrajectory';
  cumulativeEnergyMwh: Array<number>;
  meanTemperatureC: Array<number>;
  peakTemperatureC: Array<number>;
  resistanceMilliohm: Array<number>;
  roundTripEfficiency: Array<number>;
  /** SOH, percent, 10th percentile (the projection at the 90th percentile of the ageing factor from the population prior and the first life); null when the module is calibrated to its measurements */
  sohP10Percent: Array<number> | null;
  /** SOH, percent, 90th percentile (the projection at the 10th percentile of the ageing factor); null when the module is calibrated */
  sohP90Percent: Array<number> | null;
  /** SOH, percent: the projection at the median ageing factor (P50) */
  sohPercent: Array<number>;
  timeYears: Array<number>;
}

export interface TwinViolation {
  __typename?: 'TwinViolation';
  reason: string;
  /** MIN_SOH, MAX_RESISTANCE, MAX_TEMPERATURE, MIN_SERVICE_YEARS or CHEMISTRY */
  requirement: string;
}

/** The input was rejected; every problem found is listed, nothing was written. */
export interface ValidationError {
  __typename?: 'ValidationError';
  message: string;
  problems: Array<Problem>;
}
