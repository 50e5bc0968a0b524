/**
 * Public face of the planning layer. Callers (CLI, GraphQL, jobs) import from here.
 * `optimizeAllocation(modules, apps, options)` → AllocationResult (see allocation-types.ts).
 */
export * from './allocation-types.js';
export { optimizeAllocation, setupAllocation, runAllocation, validateOptimizeOptions, dominatesNatural, type AllocationSetup } from './optimize.js';
export { buildAllocationProblem, computePairCosts, EMPTY_PLAN_FADE_PCT_PER_YEAR, type AllocationProblem } from './allocation-problem.js';
export { deploymentCostUsd, DEFAULT_COST_ASSUMPTIONS, type CostAssumptions } from './cost-model.js';
export { staticPlan, adaptiveGenes, STATIC_SOH_THRESHOLD_PERCENT } from './baselines.js';
export { evaluatePlan, formatComparisonTable, METRIC_DEFINITIONS, type PlanEvaluation, type StrategyComparison } from './comparison.js';
