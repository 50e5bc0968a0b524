/**
 * A run: live progress over SSE (generation, hypervolume, percent, time left) with cancel; once
 * it has a front, the pairwise scatter of the objectives with baselines and the knee, which way
 * is better on each axis, and a click on a point to see that solution's plan and select it.
 */
import type * as echarts from 'echarts';
import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ERROR_FIELDS, features, gql, subscribe, unwrap, type Features } from '../api.js';
import { Chart, type ChartOption } from '../chart.js';
import { dateTime, duration, num, OBJECTIVES, objectiveValue, pct, withUnit, type ObjectiveKey } from '../format.js';
import { ErrorBox, go, href, Loading, useAsync } from '../hooks.js';
import type { Objectives, OptimizationProgress, OptimizationRun, OptimizationStatus, StrategyMetrics } from '../schema.js';

interface Bound {
  objective: string;
  bound: number | null;
  bestOnFront: number | null;
  gapPercent: number | null;
  method: string;
  note: string | null;
}

type RunView = Pick<
  OptimizationRun,
  'id' | 'status' | 'error' | 'cancelRequested' | 'population' | 'generations' | 'seed' | 'timeLimitSeconds' | 'createdAt' | 'startedAt' | 'finishedAt' | 'elapsedSeconds' | 'evaluations' | 'partial' | 'kneeIndex' | 'hypervolume'
> & {
  fleet: { id: string; name: string; moduleCount: number };
  applications: { id: string; name: string }[];
  front: { index: number; knee: boolean; deployedModules: number; objectives: Objectives }[];
  baselines: { name: string; feasible: boolean; objectives: Objectives }[];
  comparison: { strategies: Pick<StrategyMetrics, 'strategy' | 'deployed' | 'recycled' | 'storageYearsKwhYr' | 'costUsd' | 'energyWeightedFadePctPerYear' | 'meanLifespanYears' | 'misallocatedPercent' | 'correctPercent'>[] } | null;
  warnings?: string[];
  bounds?: Bound[];
};

const OBJ = `storageYearsKwhYr fadePctPerYear costUsd`;

function runQuery(f: Features): string {
  return `query($id: ID!) { optimizationRun(id: $id) {
    id status error cancelRequested population generations seed timeLimitSeconds createdAt startedAt finishedAt elapsedSeconds evaluations partial kneeIndex hypervolume
    fleet { id name moduleCount } applications { id name }
    front { index knee deployedModules objectives { ${OBJ} } }
    baselines { name feasible objectives { ${OBJ} } }
    comparison { strategies { strategy deployed recycled storageYearsKwhYr costUsd energyWeightedFadePctPerYear meanLifespanYears misallocatedPercent correctPercent } }
    ${f.runWarnings ? 'warnings' : ''}
    ${f.runBounds ? 'bounds { objective bound bestOnFront gapPercent method note }' : ''}
  } }`;
}

const TERMINAL: OptimizationStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

type Progress = Pick<OptimizationProgress, 'generation' | 'hypervolume' | 'elapsedSeconds' | 'frontSize' | 'evaluations' | 'status'>;

/** Share of the run done: generations, or the time limit when that comes first. */
export function progressPercent(p: Progress | undefined, run: Pick<RunView, 'generations' | 'timeLimitSeconds' | 'status'>): number {
  if (run.status === 'SUCCEEDED') return 100;
  if (!p) return 0;
  const byGenerations = p.generation / run.generations;
  const byTime = run.timeLimitSeconds ? p.elapsedSeconds / run.timeLimitSeconds : 0;
  return Math.min(100, Math.max(byGenerations, byTime) * 100);
}

function ProgressPanel({ run, onFinished }: { run: RunView; onFinished(): void }) {
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<unknown>();
  const [cancelling, setCancelling] = useState(run.cancelRequested);
  const live = !TERMINAL.includes(run.status);
  useEffect(() => {
    if (!live) return;
    const abort = new AbortController();
    (async () => {
      try {
        for await (const d of subscribe<{ optimizationProgress: Progress }>(
          `subscription($id: ID!) { optimizationProgress(runId: $id) { generation hypervolume elapsedSeconds frontSize evaluations status } }`,
          { id: run.id },
          abort.signal,
        )) {
          setProgress(d.optimizationProgress);
          if (TERMINAL.includes(d.optimizationProgress.status)) break;
        }
        onFinished();
      } catch (err) {
        if (!abort.signal.aborted) setError(err);
      }
    })();
    return () => abort.abort();
  }, [run.id, live]);
  const status = progress && TERMINAL.includes(progress.status) ? progress.status : run.status;
  const percent = progressPercent(progress, { ...run, status });
  const generation = status === 'SUCCEEDED' ? run.generations : (progress?.generation ?? 0);
  const elapsed = progress?.elapsedSeconds ?? run.elapsedSeconds ?? 0;
  const left = progress && percent > 0 && percent < 100 ? (elapsed * (100 - percent)) / percent : null;
  const cancel = async () => {
    setCancelling(true);
    try {
      const r: { cancelOptimization: any } = await gql(`mutation($id: ID!) { cancelOptimization(runId: $id) { ${ERROR_FIELDS} ... on MutationCancelOptimizationSuccess { data { status } } } }`, { id: run.id });
      unwrap(r.cancelOptimization);
    } catch (err) {
      setError(err);
      setCancelling(false);
    }
  };
  return html`<section class="card" aria-labelledby="progress-h">
    <h2 id="progress-h">Progress: ${status.toLowerCase()}</h2>
    <progress max="100" value=${percent} aria-labelledby="progress-text"></progress>
    <p id="progress-text" data-testid="progress-text" aria-live="polite">
      Generation ${generation} of ${run.generations} · hypervolume ${num(progress?.hypervolume ?? run.hypervolume, 3)} (0–1) · <strong>${num(percent, 0)} %</strong>
      ${left !== null ? ` · about ${duration(left)} left` : ''} · elapsed ${duration(elapsed)}${progress && live ? ` · front at this generation: ${num(progress.frontSize, 0)} plans` : ''}
    </p>
    ${live && html`<button type="button" class="danger" disabled=${cancelling} onClick=${cancel}>${cancelling ? 'Cancel requested…' : 'Cancel run'}</button>`}
    ${run.status === 'FAILED' && html`<p class="error">The run failed: ${run.error}</p>`}
    ${run.partial && html`<p class="warning">Cancelled: the front is the one found so far.</p>`}
    <${ErrorBox} error=${error} />
  </section>`;
}

const PAIRS: [number, number][] = [
  [0, 1],
  [0, 2],
  [1, 2],
];

const axisName = (k: number, horizontal: boolean) => {
  const o = OBJECTIVES[k]!;
  const arrow = o.better === 'higher' ? (horizontal ? '→' : '↑') : horizontal ? '←' : '↓';
  return `${o.label} (${o.unit}), ${o.better} is better ${arrow}`;
};

const value = (o: Objectives, k: number) => o[OBJECTIVES[k]!.key as ObjectiveKey];

function tooltipFor(title: string, o: Objectives): string {
  return `<strong>${title}</strong><br/>${OBJECTIVES.map((d) => `${d.label}: ${objectiveValue(d.key, o[d.key])}`).join('<br/>')}`;
}

function pairOption(run: RunView, [i, j]: [number, number], selected: number | null): ChartOption {
  type Item = { value: [number, number]; index?: number; objectives: Objectives; title: string };
  const point = (s: RunView['front'][number]): Item => ({
    value: [value(s.objectives, i), value(s.objectives, j)],
    index: s.index,
    objectives: s.objectives,
    title: `Solution ${s.index}${s.knee ? ' (knee)' : ''}: ${s.deployedModules} modules deployed`,
  });
  const front = run.front.filter((s) => !s.knee).map(point);
  const knee = run.front.filter((s) => s.knee).map(point);
  const chosen = run.front.filter((s) => s.index === selected).map(point);
  const baselines = run.baselines.map((b) => ({ value: [value(b.objectives, i), value(b.objectives, j)], objectives: b.objectives, title: `${b.name} baseline${b.feasible ? '' : ' (infeasible)'}`, name: b.name, feasible: b.feasible }));
  return {
    grid: { left: 78, right: 64, top: 56, bottom: 56 },
    legend: { top: 0, data: ['Front', 'Knee', 'Baselines', 'Selected'] },
    tooltip: { trigger: 'item', formatter: (p: any) => tooltipFor(p.data.title, p.data.objectives) },
    xAxis: { type: 'value', scale: true, name: axisName(i, true), nameLocation: 'middle', nameGap: 32, nameTextStyle: { fontSize: 12 } },
    yAxis: { type: 'value', scale: true, name: axisName(j, false), nameLocation: 'middle', nameGap: 58, nameTextStyle: { fontSize: 12 } },
    series: [
      { name: 'Front', type: 'scatter', symbolSize: 9, itemStyle: { color: '#2f6f9f' }, data: front, cursor: 'pointer' },
      {
        name: 'Baselines',
        type: 'scatter',
        symbol: 'rect',
        symbolSize: 12,
        itemStyle: { color: '#555' },
        label: { show: true, position: 'top', formatter: (p: any) => `${p.data.name}${p.data.feasible ? '' : ' (infeasible)'}`, fontSize: 11 },
        data: baselines.map((b) => ({ ...b, itemStyle: b.feasible ? undefined : { color: '#fff', borderColor: '#555', borderWidth: 2 } })),
      },
      { name: 'Selected', type: 'scatter', symbolSize: 20, itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#f0a202', borderWidth: 3 }, data: chosen, z: 4 },
      { name: 'Knee', type: 'scatter', symbol: 'diamond', symbolSize: 17, itemStyle: { color: '#d1495b' }, data: knee, z: 5, cursor: 'pointer', label: { show: true, position: 'top', formatter: 'knee', fontSize: 11 } },
    ],
  };
}

/** Where the knee is drawn, in CSS pixels within the chart: data-knee-x / data-knee-y. */
function markKnee(run: RunView, [i, j]: [number, number]) {
  return (chart: echarts.ECharts, element: HTMLDivElement) => {
    const knee = run.front.find((s) => s.knee);
    if (!knee) return;
    const px = chart.convertToPixel({ seriesIndex: 3 }, [value(knee.objectives, i), value(knee.objectives, j)]) as number[] | undefined;
    if (!px) return;
    element.dataset.kneeX = String(px[0]);
    element.dataset.kneeY = String(px[1]);
  };
}

type SolutionView = {
  index: number;
  knee: boolean;
  deployedModules: number;
  objectives: Objectives;
  allocations: { edges: { node: { serial: string; applicationName: string | null; envelope: string | null; recycled: boolean; reason?: string; twin: { rulYears: number; socWindowEnergyKwh: number } | null } }[]; pageInfo: { hasNextPage: boolean } };
};

function SolutionPanel({ run, index, f }: { run: RunView; index: number; f: Features }) {
  const sol = useAsync(
    () =>
      gql<{ optimizationRun: { solution: SolutionView } }>(
        `query($id: ID!, $index: Int!) { optimizationRun(id: $id) { solution(index: $index) { index knee deployedModules objectives { ${OBJ} }
          allocations(first: 500) { edges { node { serial applicationName envelope recycled ${f.allocationReason ? 'reason' : ''} twin { rulYears socWindowEnergyKwh } } } pageInfo { hasNextPage } } } } }`,
        { id: run.id, index },
      ).then((r) => r.optimizationRun.solution),
    [run.id, index],
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const select = async () => {
    setBusy(true);
    try {
      const r: { selectSolution: any } = await gql(`mutation($id: ID!, $index: Int!) { selectSolution(runId: $id, index: $index) { ${ERROR_FIELDS} ... on MutationSelectSolutionSuccess { data { id } } } }`, { id: run.id, index });
      go('plans', unwrap<{ id: string }>(r.selectSolution).id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  if (sol.error) return html`<${ErrorBox} error=${sol.error} />`;
  const s = sol.data;
  if (!s) return html`<${Loading} what=${`solution ${index}`} />`;
  const rows = s.allocations.edges.map((e) => e.node);
  const totals = new Map<string, { modules: number; kwh: number }>();
  for (const a of rows) {
    const key = a.recycled ? 'Recycled' : `${a.applicationName}`;
    const t = totals.get(key) ?? { modules: 0, kwh: 0 };
    t.modules++;
    t.kwh += a.recycled ? 0 : (a.twin?.socWindowEnergyKwh ?? 0);
    totals.set(key, t);
  }
  return html`<section class="card" aria-labelledby="solution-h" data-testid="solution-panel">
    <h2 id="solution-h">Solution ${s.index}${s.knee ? html` <span class="badge knee">knee</span>` : ''}</h2>
    <dl class="facts">
      ${OBJECTIVES.map((o) => html`<dt>${o.label} (${o.better} is better)</dt><dd>${objectiveValue(o.key, s.objectives[o.key])}</dd>`)}
      <dt>Deployed</dt><dd>${s.deployedModules} of ${run.fleet.moduleCount} modules</dd>
    </dl>
    <h3>Per application${s.allocations.pageInfo.hasNextPage ? ' (first 500 modules)' : ''}</h3>
    <table>
      <thead><tr><th scope="col">Application</th><th scope="col" class="num">Modules</th><th scope="col" class="num">Usable energy (kWh)</th></tr></thead>
      <tbody>${[...totals].map(([name, t]) => html`<tr><td>${name}</td><td class="num">${t.modules}</td><td class="num">${name === 'Recycled' ? '–' : num(t.kwh, 1)}</td></tr>`)}</tbody>
    </table>
    <p><button type="button" onClick=${select} disabled=${busy}>${busy ? 'Selecting…' : `Select solution ${s.index} as the plan`}</button></p>
    <${ErrorBox} error=${error} />
  </section>`;
}

function FrontPanel({ run, f }: { run: RunView; f: Features }) {
  const knee = run.front.find((s) => s.knee)?.index ?? null;
  const [selected, setSelected] = useState<number | null>(null);
  const options = useMemo(() => PAIRS.map((p) => pairOption(run, p, selected)), [run, selected]);
  const onClick = (p: echarts.ECElementEvent) => {
    const idx = (p.data as { index?: number } | undefined)?.index;
    if (typeof idx === 'number') setSelected(idx);
  };
  return html`<section class="card" aria-labelledby="front-h">
      <h2 id="front-h">Pareto front: ${run.front.length} plans${run.partial ? ' (partial)' : ''}</h2>
      <p class="muted">Each point is a plan no other plan beats on all three objectives. Storage service is maximised; fade and cost are minimised. Cost is relative to recycling every module, so a negative cost is a net gain. Squares: the static and adaptive baselines (hollow when infeasible); red diamond: the knee. Hover for values, click a plan to see it.</p>
      <div class="grid cols-3">
        ${PAIRS.map(
          (pair, k) => html`<div class="chart-wrap"><${Chart} option=${options[k]} height=${340} onClick=${onClick} onRendered=${markKnee(run, pair)} testId=${`front-${pair[0]}-${pair[1]}`}
            label=${`Scatter of ${OBJECTIVES[pair[0]]!.label} against ${OBJECTIVES[pair[1]]!.label} for ${run.front.length} plans${knee !== null ? `, knee is solution ${knee}` : ''}`} /></div>`,
        )}
      </div>
      <details>
        <summary>All plans of the front as a table</summary>
        <table>
          <thead><tr><th scope="col">Plan</th>${OBJECTIVES.map((o) => html`<th scope="col" class="num">${o.label} (${o.unit})</th>`)}<th scope="col" class="num">Deployed modules</th><th scope="col"></th></tr></thead>
          <tbody>
            ${run.front.map(
              (s) => html`<tr class=${s.index === selected ? 'selected' : ''}><td>${s.index}${s.knee ? html` <span class="badge knee">knee</span>` : ''}</td>
                ${OBJECTIVES.map((o) => html`<td class="num">${num(s.objectives[o.key], o.key === 'fadePctPerYear' ? 3 : 0)}</td>`)}
                <td class="num">${s.deployedModules}</td>
                <td><button type="button" class="secondary" onClick=${() => setSelected(s.index)}>View plan ${s.index}</button></td></tr>`,
            )}
          </tbody>
        </table>
      </details>
    </section>
    ${selected !== null && html`<${SolutionPanel} key=${selected} run=${run} index=${selected} f=${f} />`}`;
}

function Comparison({ run }: { run: RunView }) {
  if (!run.comparison) return null;
  return html`<section class="card" aria-labelledby="cmp-h">
    <h2 id="cmp-h">Strategies compared by the twin</h2>
    <table>
      <thead><tr><th scope="col">Strategy</th><th scope="col" class="num">Deployed</th><th scope="col" class="num">Recycled</th><th scope="col" class="num">Storage service (kWh·yr)</th><th scope="col" class="num">Cost (USD)</th>
        <th scope="col" class="num">Fade, energy-weighted (%/yr)</th><th scope="col" class="num">Mean life (years)</th><th scope="col" class="num">Misallocated (%)</th></tr></thead>
      <tbody>${run.comparison.strategies.map(
        (s) => html`<tr><td>${s.strategy}</td><td class="num">${s.deployed}</td><td class="num">${s.recycled}</td><td class="num">${num(s.storageYearsKwhYr, 0)}</td><td class="num">${num(s.costUsd, 0)}</td>
          <td class="num">${num(s.energyWeightedFadePctPerYear, 3)}</td><td class="num">${num(s.meanLifespanYears, 1)}</td><td class="num">${num(s.misallocatedPercent, 1)}</td></tr>`,
      )}</tbody>
    </table>
  </section>`;
}

function Bounds({ bounds }: { bounds: Bound[] }) {
  if (bounds.length === 0) return null;
  const unit = (name: string) => OBJECTIVES.find((o) => o.key === name || name.startsWith(o.key.replace(/KwhYr$/, '')))?.unit ?? '';
  return html`<section class="card" aria-labelledby="bounds-h">
    <h2 id="bounds-h">How far from the best possible</h2>
    <table>
      <thead><tr><th scope="col">Objective</th><th scope="col" class="num">Bound</th><th scope="col" class="num">Best on front</th><th scope="col" class="num">Gap (%)</th><th scope="col">Method</th><th scope="col">Note</th></tr></thead>
      <tbody>${bounds.map((b) => html`<tr><td>${b.objective}</td><td class="num">${withUnit(b.bound, unit(b.objective), 2)}</td><td class="num">${withUnit(b.bestOnFront, unit(b.objective), 2)}</td><td class="num">${pct(b.gapPercent, 2)}</td><td>${b.method}</td><td>${b.note ?? ''}</td></tr>`)}</tbody>
    </table>
  </section>`;
}

export function RunPage({ id }: { id: string }) {
  const data = useAsync(async () => {
    const f = await features();
    const r = await gql<{ optimizationRun: RunView | null }>(runQuery(f), { id });
    return { run: r.optimizationRun, f };
  }, [id]);
  if (data.error) return html`<${ErrorBox} error=${data.error} />`;
  if (!data.data) return html`<${Loading} what="the run" />`;
  const { run, f } = data.data;
  if (!run) return html`<p>Run not found. <a href="#/runs">All runs</a></p>`;
  return html`
    <p><a href="#/runs">Runs</a> /</p>
    <h1>Run of ${run.fleet.name}</h1>
    <p>Fleet <a href=${href('fleets', run.fleet.id)}>${run.fleet.name}</a> (${run.fleet.moduleCount} modules) over ${run.applications.map((a) => a.name).join(', ')};
      population ${run.population}, ${run.generations} generations, seed ${run.seed}${run.timeLimitSeconds ? `, time limit ${duration(run.timeLimitSeconds)}` : ''}. Queued ${dateTime(run.createdAt)}${run.finishedAt ? `, finished ${dateTime(run.finishedAt)}` : ''}${run.evaluations ? `, ${num(run.evaluations, 0)} evaluations` : ''}.</p>
    ${(run.warnings ?? []).map((w) => html`<p class="warning" role="note">${w}</p>`)}
    <${ProgressPanel} run=${run} onFinished=${data.reload} />
    ${run.front.length > 0 && html`<${FrontPanel} run=${run} f=${f} />`}
    <${Bounds} bounds=${run.bounds ?? []} />
    <${Comparison} run=${run} />`;
}

