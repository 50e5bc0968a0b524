/**
 * A plan as JSON: { plan: {title, planId, runId, solutionIndex, knee, objectives, figuresSource,
 * createdAt}, columns: [{name, unit, description}], totals: [...per application, RECYCLE, ALL],
 * modules: [{serial, moduleId, inputs: {...}, application, applicationId, envelope, figures: {...} |
 * null, reasonKind, reason}] }. Names and units as in plan-table.ts; figures rounded as there.
 */
import { fullChargeEnergyKwh, MODULE_INPUT_DECIMALS, roundTo } from '../planning/plan-rows.js';
import { PLAN_COLUMNS, planTotals, type PlanSheet } from './plan-table.js';

export function planJson(sheet: PlanSheet): object {
  return {
    plan: {
      title: sheet.title,
      planId: sheet.planId,
      runId: sheet.runId,
      solutionIndex: sheet.solutionIndex,
      knee: sheet.knee,
      objectives: sheet.objectives,
      figuresSource: sheet.figuresSource,
      createdAt: sheet.createdAt,
    },
    columns: PLAN_COLUMNS.map((c) => ({ name: c.json, unit: c.unit, description: c.description })),
    totals: planTotals(sheet),
    modules: sheet.lines.map((l) => ({
      serial: l.serial,
      moduleId: l.moduleId,
      inputs: l.inputs,
      fullChargeEnergyKwh: l.inputs ? roundTo(fullChargeEnergyKwh(l.inputs), MODULE_INPUT_DECIMALS.fullChargeEnergyKwh) : null,
      application: l.applicationName,
      applicationId: l.applicationId,
      envelope: l.envelopeName,
      figures: l.figures,
      reasonKind: l.reasonKind,
      reason: l.reason,
    })),
  };
}

export function formatPlanJson(sheet: PlanSheet): string {
  return `${JSON.stringify(planJson(sheet))}\n`;
}
