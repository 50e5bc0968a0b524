/**
 * Which optional parts of the API a server has, from one introspection query: newer servers add
 * fields the pages light up when present (allocation reasons, run warnings and bounds, the
 * algorithm of a run, multipart CSV upload, a calibration band).
 */
/** Optional parts of the API this server has (older servers lack them). */
export interface Features {
  allocationReason: boolean;
  runWarnings: boolean;
  runBounds: boolean;
  /** Values of StartOptimizationInput.algorithm, or null when runs take no algorithm. */
  algorithms: string[] | null;
  /** ImportModulesInput.file (multipart upload) exists. */
  importFile: boolean;
  /** TwinTrajectory fields holding the lower/upper SOH band of a calibrated module, if any. */
  sohBand: [string, string] | null;
}

export interface IntroType {
  fields?: { name: string }[] | null;
  inputFields?: { name: string; type: IntroTypeRef }[] | null;
}
export interface IntroTypeRef {
  kind: string;
  name: string | null;
  enumValues?: { name: string }[] | null;
  ofType?: IntroTypeRef | null;
}

export const FEATURES_QUERY = `{
  allocation: __type(name: "Allocation") { fields { name } }
  run: __type(name: "OptimizationRun") { fields { name } }
  start: __type(name: "StartOptimizationInput") { inputFields { name type { kind name enumValues { name } ofType { kind name enumValues { name } } } } }
  importInput: __type(name: "ImportModulesInput") { inputFields { name type { kind name } } }
  trajectory: __type(name: "TwinTrajectory") { fields { name } }
}`;

export function featuresFrom(r: Record<string, IntroType | null>): Features {
  const fields = (t: IntroType | null | undefined) => new Set((t?.fields ?? []).map((f) => f.name));
  const allocation = fields(r.allocation);
  const run = fields(r.run);
  const algorithm = r.start?.inputFields?.find((f) => f.name === 'algorithm');
  const enumType = algorithm ? (algorithm.type.enumValues ? algorithm.type : algorithm.type.ofType) : null;
  const trajectory = [...fields(r.trajectory)];
  const lower = trajectory.find((f) => /^soh.*(p10|lower|low)/i.test(f));
  const upper = trajectory.find((f) => /^soh.*(p90|upper|high)/i.test(f));
  return {
    allocationReason: allocation.has('reason'),
    runWarnings: run.has('warnings'),
    runBounds: run.has('bounds'),
    algorithms: enumType?.enumValues?.map((v) => v.name) ?? null,
    importFile: !!r.importInput?.inputFields?.some((f) => f.name === 'file'),
    sohBand: lower && upper ? [lower, upper] : null,
  };
}

