/**
 * A run's Pareto front for planning tools: GET /runs/:id/front.json and its picture,
 * GET /runs/:id/pareto.svg. The id is an `OptimizationRun` global ID or the raw UUID. Live
 * progress is not here: it is the GraphQL subscription `optimizationProgress` (SSE at /graphql).
 */
import type { Database } from '../db/client.js';
import { decodeSolutionPlan } from '../jobs/front-codec.js';
import { getRun, type OptimizationRunRow } from '../jobs/runs.js';
import { OBJECTIVES } from '../planning/allocation-types.js';
import { renderParetoSvg } from '../formats/pareto-svg.js';
import { HttpError } from './errors.js';
import { uuidFromParam } from './params.js';
import type { HttpRoute } from './router.js';

async function runFromParam(database: Database, param: string): Promise<OptimizationRunRow> {
  const run = await getRun(database.db, uuidFromParam(param, 'OptimizationRun'));
  if (!run) throw new HttpError(404, `OptimizationRun ${param} not found`);
  return run;
}

function finishedFront(run: OptimizationRunRow) {
  if (!run.front) throw new HttpError(409, `run ${run.id} is ${run.status} and has no front yet`);
  return run.front;
}

/** Human-readable axis names for the reporting objectives (units come from OBJECTIVES). */
const AXIS_NAMES: Record<string, string> = {
  storageYears: 'Storage service',
  fadePctPerYear: 'Mean capacity fade',
  costUsd: 'Lifetime cost',
};

export const RUN_ROUTES: HttpRoute[] = [
  {
    method: 'GET',
    path: '/runs/:id/front.json',
    handle: async ({ database, params }) => {
      const run = await runFromParam(database, params.id!);
      const front = finishedFront(run);
      return Response.json({
        runId: run.id,
        status: run.status,
        partial: front.partial,
        objectives: front.objectiveNames.map((name, k) => ({
          name,
          unit: front.objectiveUnits[k],
          sense: OBJECTIVES.find((o) => o.name === name)?.sense ?? null,
        })),
        kneeIndex: front.kneeIndex,
        hypervolume: front.hypervolume,
        baselines: front.baselines,
        comparison: front.comparison ?? null,
        applicationIds: front.applicationIds,
        envelopeNames: front.envelopeNames,
        modules: front.moduleSerials,
        solutions: front.solutions.map((s, index) => {
          const plan = decodeSolutionPlan(s, front.moduleSerials.length);
          return {
            index,
            objectives: s.objectives,
            knee: s.knee,
            applicationIndex: Array.from(plan.applicationIndex),
            envelopeIndex: Array.from(plan.envelopeIndex),
          };
        }),
      });
    },
  },
  {
    method: 'GET',
    path: '/runs/:id/pareto.svg',
    handle: async ({ database, params }) => {
      const run = await runFromParam(database, params.id!);
      const front = finishedFront(run);
      const svg = renderParetoSvg({
        title: `Pareto front of run ${run.id.slice(0, 8)} (${front.solutions.length} solutions${front.partial ? ', partial' : ''})`,
        objectiveNames: front.objectiveNames.map((n) => AXIS_NAMES[n] ?? n),
        objectiveUnits: front.objectiveUnits,
        objectiveSenses: front.objectiveNames.map((n) => OBJECTIVES.find((o) => o.name === n)?.sense ?? 'minimize'),
        points: front.solutions.map((s) => s.objectives),
        kneeIndex: front.kneeIndex,
        baselines: front.baselines,
      });
      return new Response(svg, { headers: { 'content-type': 'image/svg+xml; charset=utf-8' } });
    },
  },
];
