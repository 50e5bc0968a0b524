/** A run's stored front holding one plan (the knee), for tests and benches that select it. */
import type { StoredFront } from '../../src/db/schema/runs.js';
import { encodeSolutionPlan } from '../../src/jobs/front-codec.js';
import { OBJECTIVES } from '../../src/planning/allocation-types.js';

export function oneSolutionFront(
  modules: readonly { id: string; serial: string }[],
  applications: readonly { id: string; envelopes: readonly { name: string }[] }[],
  plan: { applicationIndex: ArrayLike<number>; envelopeIndex: ArrayLike<number> },
  objectives: readonly number[],
): StoredFront {
  return {
    objectiveNames: OBJECTIVES.map((o) => o.name),
    objectiveUnits: OBJECTIVES.map((o) => o.unit),
    moduleIds: modules.map((m) => m.id),
    moduleSerials: modules.map((m) => m.serial),
    applicationIds: applications.map((a) => a.id),
    envelopeNames: applications.map((a) => a.envelopes.map((e) => e.name)),
    solutions: [{ objectives: [...objectives], knee: true, ...encodeSolutionPlan(plan.applicationIndex, plan.envelopeIndex) }],
    kneeIndex: 0,
    baselines: [],
    hypervolume: 0,
    generations: 1,
    partial: false,
  };
}
