/**
 * RESULT.json and PROBLEM.json of `relife optimize`, written as streams: a 100 k-module front of
 * 200 plans is ~40 MB of JSON, too much for one JSON.stringify string at 1 M modules.
 *
 * RESULT.json: { modules: [serial…], applications: [id…], objectives: [{name, unit, sense,
 *   description}], front: [{ objectives: [kWh·yr, %/yr, USD], assignment: [application id | null
 *   per module], envelope: [envelope name | null per module], knee }], baselines: { static,
 *   adaptive: { objectives, feasible, assignment, envelope, metrics } }, comparison: [...],
 *   bounds: [{ objective, bound, bestOnFront, gapPercent, method, lpBound, lpGapPercent, note }],
 *   exact: { anchors, notes } | null, restrictions: { pinned, excluded },
 *   stats: { evaluations, seconds, hypervolume, generations, twinMatrixSeconds, exactSeconds, cancelled } }
 *
 * PROBLEM.json (--emit-problem): { capacityKwh: { id: limit }, objectives: [...],
 *   emptyPlanFadePctPerYear, pairs: [{ module, application, envelope, usableEnergyKwh, rulYears,
 *   fadePctPerYear, costUsd, feasible }] } — every real (application, envelope) slot of every
 *   module, so a plan can be re-scored without Relife.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ApplicationSpec } from '../twin/types.js';
import { OBJECTIVES, type AllocationPlan, type AllocationResult, type TwinMatrixLike } from '../planning/allocation-types.js';
import { EMPTY_PLAN_FADE_PCT_PER_YEAR } from '../planning/allocation-problem.js';

class JsonOut {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  async write(s: string): Promise<void> {
    this.buffer.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

function planIds(plan: AllocationPlan, apps: ApplicationSpec[]): { assignment: string; envelope: string } {
  const n = plan.applicationIndex.length;
  const a: string[] = new Array(n);
  const e: string[] = new Array(n);
  for (let m = 0; m < n; m++) {
    const k = plan.applicationIndex[m];
    a[m] = k < 0 ? 'null' : JSON.stringify(apps[k].id);
    e[m] = k < 0 ? 'null' : JSON.stringify(apps[k].envelopes[plan.envelopeIndex[m]].name);
  }
  return { assignment: `[${a.join(',')}]`, envelope: `[${e.join(',')}]` };
}

export async function writeResultJson(path: string, r: AllocationResult): Promise<void> {
  const out = new JsonOut(path);
  const apps = r.applications;
  await out.write(`{"modules":${JSON.stringify(r.modules)},\n"applications":${JSON.stringify(apps.map((a) => a.id))},\n`);
  await out.write(`"objectives":${JSON.stringify(OBJECTIVES)},\n"front":[`);
  for (let i = 0; i < r.front.length; i++) {
    const s = r.front[i];
    const ids = planIds(s, apps);
    await out.write(`${i ? ',' : ''}\n{"objectives":${JSON.stringify(s.objectives)},"knee":${s.knee},"assignment":${ids.assignment},"envelope":${ids.envelope}}`);
  }
  await out.write('],\n"baselines":{');
  const names = ['static', 'adaptive'] as const;
  for (let i = 0; i < names.length; i++) {
    const b = r.baselines[names[i]];
    const ids = planIds(b, apps);
    await out.write(
      `${i ? ',' : ''}\n${JSON.stringify(names[i])}:{"objectives":${JSON.stringify(b.objectives)},"feasible":${b.feasible},"metrics":${JSON.stringify(b.metrics)},"assignment":${ids.assignment},"envelope":${ids.envelope}}`,
    );
  }
  await out.write(`},\n"comparison":${JSON.stringify(r.comparison)},\n"bounds":${JSON.stringify(r.bounds)},\n"exact":${JSON.stringify(r.exact)},\n"restrictions":${JSON.stringify(r.restrictions)},\n"stats":${JSON.stringify(r.stats)}}\n`);
  await out.close();
}

export async function writeProblemJson(
  path: string,
  modules: readonly { serial: string }[],
  apps: ApplicationSpec[],
  matrix: TwinMatrixLike,
  pairCostUsd: Float64Array,
): Promise<void> {
  const out = new JsonOut(path);
  const capacity = Object.fromEntries(apps.map((a) => [a.id, a.capacityLimitKwh]));
  await out.write(`{"capacityKwh":${JSON.stringify(capacity)},\n"objectives":${JSON.stringify(OBJECTIVES)},\n`);
  await out.write(`"emptyPlanFadePctPerYear":${EMPTY_PLAN_FADE_PCT_PER_YEAR},\n"pairs":[`);
  let first = true;
  for (let m = 0; m < matrix.nModules; m++) {
    for (let a = 0; a < matrix.nApps; a++) {
      for (let e = 0; e < apps[a].envelopes.length; e++) {
        const i = (m * matrix.nApps + a) * matrix.nEnvelopes + e;
        const pair = {
          module: modules[m].serial,
          application: apps[a].id,
          envelope: apps[a].envelopes[e].name,
          usableEnergyKwh: matrix.usableEnergyKwh[i],
          rulYears: matrix.rulYears[i],
          fadePctPerYear: matrix.fadePctPerYear[i],
          costUsd: pairCostUsd[i],
          feasible: matrix.feasible[i] === 1,
        };
        await out.write(`${first ? '' : ','}\n${JSON.stringify(pair)}`);
        first = false;
      }
    }
  }
  await out.write(']}\n');
  await out.close();
}
