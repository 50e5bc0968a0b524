/**
 * Export routes for planning tools: a plan as CSV, JSON or XLSX (src/formats/plan-*.ts), a run's
 * front as JSON, and its picture as SVG. Path ids are global IDs (`AllocationPlan`,
 * `OptimizationRun`) or the raw UUIDs.
 */
import type { Database } from '../db/client.js';
import { OBJECTIVES } from '../planning/allocation-types.js';
import { renderParetoSvg } from '../planning/pareto-svg.js';
import { HttpError } from '../http/errors.js';
import { idOfType } from '../ids.js';
import type { HttpRoute } from '../server.js';
import { decodeSolutionPlan } from './front-codec.js';
import { formatPlanCsv } from '../formats/plan-csv.js';
import { formatPlanJson } from '../formats/plan-json.js';
import { planObjectives, type PlanSheet } from '../formats/plan-table.js';
import { allPlanLines, getPlan, planApplications } from './plans.js';
import { isUuid } from '../ids.js';
import { getRun, type OptimizationRunRow } from './runs.js';

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

async function planSheetFromParam(database: Database, param: string): Promise<PlanSheet> {
  const plan = await getPlan(database.db, uuidFromParam(param, 'AllocationPlan'));
  if (!plan) throw new HttpError(404, `AllocationPlan ${param} not found`);
  const [lines, apps] = await Promise.all([allPlanLines(database.db, plan.id), planApplications(database.db, plan)]);
  return {
    title: `Plan ${plan.id.slice(0, 8)}: solution ${plan.solutionIndex}${plan.isKnee ? ' (knee)' : ''} of run ${plan.runId.slice(0, 8)}`,
    planId: plan.id,
    runId: plan.runId,
    solutionIndex: plan.solutionIndex,
    knee: plan.isKnee,
    objectives: planObjectives(plan.objectiveNames, plan.objectives),
    figuresSource: lines.some((l) => l.reasonKind === null) ? 'twin figures frozen when the plan was selected' : 'the twin figures the run scored, frozen when the plan was selected',
    createdAt: plan.createdAt.toISOString(),
    applications: apps.map((a) => ({ id: a.id, name: a.name, capacityLimitKwh: a.capacityLimitKwh })),
    lines,
  };
}

const attachment = (type: string, name: string) => ({ 'content-type': type, 'content-disposition': `attachment; filename="${name}"` });

export const EXPORT_ROUTES: HttpRoute[] = [
  {
    method: 'GET',
    path: '/plans/:id.csv',
    handle: async ({ database, params }) => {
      const sheet = await planSheetFromParam(database, params.id!);
      return new Response(formatPlanCsv(sheet), { headers: attachment('text/csv; charset=utf-8', `plan-${sheet.planId}.csv`) });
    },
  },
  {
    method: 'GET',
    path: '/plans/:id.json',
    handle: async ({ database, params }) => {
      const sheet = await planSheetFromParam(database, params.id!);
      return new Response(formatPlanJson(sheet), { headers: attachment('application/json; charset=utf-8', `plan-${sheet.planId}.json`) });
    },
  },
  {
    method: 'GET',
    path: '/plans/:id.xlsx',
    handle: async ({ database, params }) => {
      const sheet = await planSheetFromParam(database, params.id!);
      const { formatPlanXlsx } = await import('../formats/plan-xlsx.js');
      const body = await formatPlanXlsx(sheet);
      return new Response(new Uint8Array(body), { headers: attachment('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `plan-${sheet.planId}.xlsx`) });
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
        objectiveSenses: front.objectiveNames.map((n) => OBJECTIVES.find((o) => o.name === n)?.sense ?? 'minimize'),
        points: front.solutions.map((s) => s.objectives),
        kneeIndex: front.kneeIndex,
        baselines: front.baselines,
      });
      return new Response(svg, { headers: { 'content-type': 'image/svg+xml; charset=utf-8' } });
    },
  },
];
