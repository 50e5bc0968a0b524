/**
 * A selected plan for planning tools: GET /plans/:id.csv, .json and .xlsx (src/formats/plan-*.ts).
 * The id is an `AllocationPlan` global ID or the raw UUID.
 */
import type { Database } from '../db/client.js';
import { formatPlanCsv } from '../formats/plan-csv.js';
import { formatPlanJson } from '../formats/plan-json.js';
import { planObjectives, type PlanSheet } from '../formats/plan-table.js';
import { allPlanLines, getPlan, planApplications } from '../jobs/plans.js';
import { HttpError } from './errors.js';
import { uuidFromParam } from './params.js';
import type { HttpRoute } from './router.js';

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

export const PLAN_ROUTES: HttpRoute[] = [
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
];
