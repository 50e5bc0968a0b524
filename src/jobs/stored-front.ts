/** An optimisation result as stored on its run row: objectives, encoded plans, baselines. */
import type { StoredModule } from '../db/modules.js';
import type { StoredFront } from '../db/schema/runs.js';
import { OBJECTIVES, type AllocationResult } from '../planning/allocation-types.js';
import { encodeSolutionPlan } from './front-codec.js';

export function toStoredFront(result: AllocationResult, modules: readonly StoredModule[], partial: boolean): StoredFront {
  const bySerialOrId = new Map<string, StoredModule>();
  for (const m of modules) {
    bySerialOrId.set(m.serial, m);
    bySerialOrId.set(m.id, m);
  }
  return {
    objectiveNames: OBJECTIVES.map((o) => o.name),
    objectiveUnits: OBJECTIVES.map((o) => o.unit),
    moduleIds: result.modules.map((key) => bySerialOrId.get(key)?.id ?? ''),
    moduleSerials: result.modules.map((key) => bySerialOrId.get(key)?.serial ?? key),
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
    generations: result.stats.generations,
    partial,
  };
}
