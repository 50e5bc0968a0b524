/**
 * A plan: its objectives, totals per application, the allocation table with each module's reason
 * (filter by application and by recycled), and downloads as CSV, JSON and XLSX.
 */
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import { download, features, gql, routeExists } from '../api.js';
import { dateTime, num, OBJECTIVES, objectiveValue } from '../format.js';
import { ErrorBox, href, Loading, useAsync } from '../hooks.js';
import type { AllocationPlan } from '../schema.js';

type Row = {
  serial: string;
  applicationName: string | null;
  envelope: string | null;
  recycled: boolean;
  costUsd: number | null;
  reason?: string;
  module: { id: string } | null;
  twin: { rulYears: number; socWindowEnergyKwh: number; fadePctPerYear: number; lifetimeEnergyMwh: number; endOfLifeReason: string; feasible: boolean } | null;
};
type PlanView = Pick<AllocationPlan, 'id' | 'runId' | 'solutionIndex' | 'knee' | 'storageYearsKwhYr' | 'fadePctPerYear' | 'costUsd' | 'createdAt' | 'csvPath'> & { fleet: { id: string; name: string } };

const RECYCLED = 'Recycled';
const PAGE = 50;

async function loadPlan(id: string) {
  const f = await features();
  const rows: Row[] = [];
  let plan: PlanView | null = null;
  let after: string | null = null;
  for (;;) {
    const r: { node: (PlanView & { allocations: { edges: { node: Row }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }) | null } = await gql(
      `query($id: ID!, $after: String) { node(id: $id) { ... on AllocationPlan { id runId solutionIndex knee storageYearsKwhYr fadePctPerYear costUsd createdAt csvPath fleet { id name }
        allocations(first: 500, after: $after) { edges { node { serial applicationName envelope recycled costUsd ${f.allocationReason ? 'reason' : ''} module { id }
          twin { rulYears socWindowEnergyKwh fadePctPerYear lifetimeEnergyMwh endOfLifeReason feasible } } } pageInfo { hasNextPage endCursor } } } } }`,
      { id, after },
    );
    if (!r.node) return null;
    plan = r.node;
    rows.push(...r.node.allocations.edges.map((e) => e.node));
    if (!r.node.allocations.pageInfo.hasNextPage) break;
    after = r.node.allocations.pageInfo.endCursor;
  }
  const base = `/plans/${encodeURIComponent(plan!.id)}`;
  const [json, xlsx] = await Promise.all([routeExists(`${base}.json`), routeExists(`${base}.xlsx`)]);
  return { plan: plan!, rows, hasReason: f.allocationReason, downloads: { csv: plan!.csvPath, json: json ? `${base}.json` : null, xlsx: xlsx ? `${base}.xlsx` : null } };
}

export function PlanPage({ id }: { id: string }) {
  const data = useAsync(() => loadPlan(id), [id]);
  const [application, setApplication] = useState('');
  const [recycled, setRecycled] = useState('all');
  const [page, setPage] = useState(0);
  const [error, setError] = useState<unknown>();
  const rows = data.data?.rows ?? [];
  const totals = useMemo(() => {
    const m = new Map<string, { modules: number; kwh: number; kwhYr: number; cost: number }>();
    for (const r of rows) {
      const key = r.recycled ? RECYCLED : (r.applicationName ?? '?');
      const t = m.get(key) ?? { modules: 0, kwh: 0, kwhYr: 0, cost: 0 };
      t.modules++;
      if (!r.recycled && r.twin) {
        t.kwh += r.twin.socWindowEnergyKwh;
        t.kwhYr += r.twin.socWindowEnergyKwh * r.twin.rulYears;
      }
      t.cost += r.costUsd ?? 0;
      m.set(key, t);
    }
    return [...m].sort(([a], [b]) => (a === RECYCLED ? 1 : b === RECYCLED ? -1 : a.localeCompare(b)));
  }, [rows]);
  const filtered = useMemo(
    () => rows.filter((r) => (!application || (application === RECYCLED ? r.recycled : r.applicationName === application)) && (recycled === 'all' || (recycled === 'yes') === r.recycled)),
    [rows, application, recycled],
  );
  if (data.error) return html`<${ErrorBox} error=${data.error} />`;
  if (!data.data) return html`<${Loading} what="the plan" />`;
  const { plan, downloads, hasReason } = data.data;
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE));
  const shown = filtered.slice(page * PAGE, (page + 1) * PAGE);
  const get = (path: string, ext: string) => () => download(path, `plan-${plan.id}.${ext}`).catch(setError);
  return html`
    <p><a href="#/runs">Runs</a> / <a href=${href('runs', plan.runId)}>run</a> /</p>
    <h1>Plan for ${plan.fleet.name}: solution ${plan.solutionIndex}${plan.knee ? ' (knee)' : ''}</h1>
    <p>Selected ${dateTime(plan.createdAt)}; frozen with the twin's predictions at that time. Fleet <a href=${href('fleets', plan.fleet.id)}>${plan.fleet.name}</a>.</p>
    <div class="stats">
      ${OBJECTIVES.map((o) => html`<div class="stat"><div class="value">${objectiveValue(o.key, plan[o.key])}</div><div class="name">${o.label} (${o.better} is better)</div></div>`)}
    </div>
    <p>
      <button type="button" onClick=${get(downloads.csv, 'csv')}>Download CSV</button>
      ${downloads.json && html` <button type="button" class="secondary" onClick=${get(downloads.json, 'json')}>Download JSON</button>`}
      ${downloads.xlsx && html` <button type="button" class="secondary" onClick=${get(downloads.xlsx, 'xlsx')}>Download XLSX</button>`}
    </p>
    <${ErrorBox} error=${error} />
    <section class="card" aria-labelledby="totals-h">
      <h2 id="totals-h">Totals per application</h2>
      <table data-testid="plan-totals">
        <thead><tr><th scope="col">Application</th><th scope="col" class="num">Modules</th><th scope="col" class="num">Usable energy in envelopes (kWh)</th><th scope="col" class="num">Storage service (kWh·yr)</th><th scope="col" class="num">Cost (USD)</th></tr></thead>
        <tbody>${totals.map(([name, t]) => html`<tr><td>${name}</td><td class="num">${t.modules}</td><td class="num">${name === RECYCLED ? '–' : num(t.kwh, 1)}</td><td class="num">${name === RECYCLED ? '–' : num(t.kwhYr, 0)}</td><td class="num">${num(t.cost, 0)}</td></tr>`)}</tbody>
      </table>
    </section>
    <section class="card" aria-labelledby="alloc-h">
      <h2 id="alloc-h">Allocation, module by module</h2>
      <form class="inline" onSubmit=${(e: Event) => e.preventDefault()}>
        <label>Application
          <select name="application" value=${application} onChange=${(e: Event) => { setApplication((e.target as HTMLSelectElement).value); setPage(0); }}>
            <option value="">All</option>
            ${totals.map(([name]) => html`<option value=${name}>${name}</option>`)}
          </select>
        </label>
        <label>Recycled
          <select name="recycled" value=${recycled} onChange=${(e: Event) => { setRecycled((e.target as HTMLSelectElement).value); setPage(0); }}>
            <option value="all">All modules</option>
            <option value="no">Deployed only</option>
            <option value="yes">Recycled only</option>
          </select>
        </label>
        <span role="status">${filtered.length} of ${rows.length} modules</span>
      </form>
      <table data-testid="allocations-table">
        <thead><tr><th scope="col">Serial</th><th scope="col">Application</th><th scope="col">Envelope</th><th scope="col" class="num">Usable energy in its envelope (kWh)</th><th scope="col" class="num">Remaining life (years)</th>
          <th scope="col" class="num">Fade (%/yr)</th><th scope="col">End of life</th><th scope="col" class="num">Cost (USD)</th>${hasReason && html`<th scope="col">Reason</th>`}</tr></thead>
        <tbody>
          ${shown.map(
            (r) => html`<tr>
              <td>${r.module ? html`<a href=${href('modules', r.module.id)}>${r.serial}</a>` : r.serial}</td>
              <td>${r.recycled ? 'recycled' : r.applicationName}</td><td>${r.envelope ?? '–'}</td>
              <td class="num">${num(r.twin?.socWindowEnergyKwh, 2)}</td><td class="num">${r.recycled ? '–' : num(r.twin?.rulYears, 1)}</td>
              <td class="num">${r.recycled ? '–' : num(r.twin?.fadePctPerYear, 2)}</td><td>${r.recycled ? '–' : (r.twin?.endOfLifeReason ?? '–')}</td>
              <td class="num">${num(r.costUsd, 0)}</td>${hasReason && html`<td>${r.reason}</td>`}
            </tr>`,
          )}
        </tbody>
      </table>
      <div class="pager">
        <button type="button" class="secondary" disabled=${page === 0} onClick=${() => setPage(page - 1)}>Previous</button>
        <span>Page ${page + 1} of ${pages}</span>
        <button type="button" class="secondary" disabled=${page + 1 >= pages} onClick=${() => setPage(page + 1)}>Next</button>
      </div>
    </section>`;
}
