import { describe, expect, it } from 'vitest';
import { evaluatePlan, evaluatePlanObjectives } from '../../src/planning/plan-evaluation.js';
import { computePairCosts } from '../../src/planning/allocation-problem.js';
import type { AllocationPlan } from '../../src/planning/allocation-types.js';
import { Random } from '../../src/solver/index.js';
import { app, randomMatrix } from './fixtures.js';

const apps = [app('grid', 'GRID', 40, 2), app('solar', 'SOLAR', 30, 2), app('backup', 'BACKUP', 35, 1)];
const N = 120;
const matrix = randomMatrix(N, apps, 31, 0.6);
const pairCost = computePairCosts(matrix, apps);

/** Random plans: any (application, envelope) of the matrix, so some are twin-infeasible, over capacity, or empty. */
function randomPlans(count: number, seed: number): AllocationPlan[] {
  const rng = new Random(seed);
  const plans: AllocationPlan[] = [];
  for (let j = 0; j < count; j++) {
    const applicationIndex = new Int16Array(N).fill(-1);
    const envelopeIndex = new Int8Array(N).fill(-1);
    const share = j === 0 ? 0 : rng.next();
    for (let m = 0; m < N; m++) {
      if (rng.next() >= share) continue;
      const a = rng.nextInt(apps.length);
      applicationIndex[m] = a;
      envelopeIndex[m] = rng.nextInt(apps[a].envelopes.length);
    }
    plans.push({ applicationIndex, envelopeIndex });
  }
  return plans;
}

describe('evaluatePlanObjectives (all plans in one pass over the fleet)', () => {
  it('gives evaluatePlan’s objectives bit for bit and its feasibility, plan by plan', () => {
    const plans = randomPlans(60, 7);
    const batch = evaluatePlanObjectives(matrix, apps, pairCost, plans);
    expect(batch).toHaveLength(plans.length);
    let feasible = 0;
    plans.forEach((plan, j) => {
      const one = evaluatePlan(matrix, apps, pairCost, plan, 'nsga2-knee');
      expect(batch[j].objectives).toEqual(one.objectives);
      expect(batch[j].feasible).toBe(one.feasible);
      if (one.feasible) feasible++;
    });
    // The sample holds both kinds, so the feasibility check is exercised both ways.
    expect(feasible).toBeGreaterThan(0);
    expect(feasible).toBeLessThan(plans.length);
  });

  it('rejects an assignment outside the matrix with the module named', () => {
    const [plan] = randomPlans(1, 3);
    plan.applicationIndex[5] = 0;
    plan.envelopeIndex[5] = 9;
    expect(() => evaluatePlanObjectives(matrix, apps, pairCost, [plan])).toThrow(/module 5: assignment \(0, 9\)/);
  });
});
