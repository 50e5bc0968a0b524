/** An optimisation result as stored on its run row: objectives, encoded plans, baselines. */
import type { StoredModule } from '../db/modules.js';
import type { StoredFront, StoredObjectiveBound } from '../db/schema/runs.js';
import { OBJECTIVES, type AllocationResult } from '../planning/allocation-types.js';
import { encodeSolutionPlan } from './front-codec.js';

export function toStoredFront(result: AllocationResult, modules: readonly StoredModule[], partial: boolean): StoredFront {
  // The planner keeps the modules in the order it was given them.
  if (result.modules.length !== modules.length) throw new Error(`the planner returned ${result.modules.length} modules for ${modules.length}`);
  return {
    objectiveNames: OBJECTIVES.map((o) => o.name),
    objectiveUnits: OBJECTIVES.map((o) => o.unit),
    moduleIds: modules.map((m) => m.id),
    moduleSerials: modules.map((m) => m.serial),
    applicationIds: result.applications.map((a) => a.id),
    envelopeNames: result.envelopeNames.map((names) => [...names]),
    solutions: result.front.map((s) => ({
      objectives: [...s.objectives],
      knee: s.knee,
      ...encodeSolutionPlan(s.applicationIndex, s.envelopeIndex),
    })),
    kneeIndex: result.front.length > 0 && result.kneeIndex >= 0 ? result.kneeIndex : null,
    baselines: (['static', 'adaptive'] as const).map((name) => ({
      name,
      objectives: [...result.baselines[name].objectives],
      feasible: result.baselines[name].feasible,
    })),
    hypervolume: result.stats.hypervolume,
    comparison: result.comparison,
    bounds: result.bounds.map((b): StoredObjectiveBound => ({ ...b })),
    exactNotes: result.exact?.notes ?? [],
    generations: result.stats.generations,
    partial,
  };
}
