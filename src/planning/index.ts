/**
 * Public face of the planning layer. Callers (CLI, GraphQL, jobs) import from here.
 * `optimizeAllocation(modules, apps, options)` → AllocationResult (see allocation-types.ts).
 */
export * from './allocation-types.js';
