/**
 * Export routes for planning tools: a plan as CSV, a run's front as JSON, and its picture as SVG.
 * Path ids are global IDs (`AllocationPlan`, `OptimizationRun`) or the raw UUIDs.
 */
import type { Database } from '../db/client.js';
import { OBJECTIVES } from '../planning/allocation-types.js';
import { renderParetoSvg } from '../planning/pareto-svg.js';
import { idOfType } from '../schema/builder.js';
import { HttpError, type HttpRoute } from '../server.js';
import { decodeSolutionPlan } from './front-codec.js';
import { allPlanAllocations, formatPlanCsv, getPlan } from './plans.js';
import { getRun, isUuid, type OptimizationRunRow } from './runs.js';

function uuidFromParam(param: string, typename: string): string {
  const id = idOfType(param, typename) ?? param;
  if (!isUuid(id)) throw new HttpError(404, `${typename} ${param} not found`);
  return id;
}

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

export const EXPORT_ROUTES: HttpRoute[] = [
  {
    method: 'GET',
    path: '/plans/:id.csv',
    handle: async ({ database, params }) => {
      const plan = await getPlan(database.db, uuidFromParam(params.id!, 'AllocationPlan'));
      if (!plan) throw new HttpError(404, `AllocationPlan ${params.id} not found`);
      const csv = formatPlanCsv(await allPlanAllocations(database.db, plan.id));
      return new Response(csv, {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="plan-${plan.id}.csv"` },
      });
    },
  },
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
        points: front.solutions.map((s) => s.objectives),
        kneeIndex: front.kneeIndex,
        baselines: front.baselines,
      });
      return new Response(svg, { headers: { 'content-type': 'image/svg+xml; charset=utf-8' } });
    },
  },
];
