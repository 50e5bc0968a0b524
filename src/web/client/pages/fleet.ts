/** A fleet: its totals, SOH / resistance / energy histograms, the module table, runs and plans. */
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import { download, gql } from '../api.js';
import { Chart, histogramOption } from '../chart.js';
import { dateTime, histogram, kwh, num, pct } from '../format.js';
import { ErrorBox, href, Loading, useAsync } from '../hooks.js';
import type { AllocationPlan, BatteryModule, Fleet, OptimizationRun } from '../schema.js';
import { importCsvFile } from './fleets.js';

type ModuleRow = Pick<
  BatteryModule,
  'id' | 'serial' | 'chemistry' | 'sohPercent' | 'internalResistanceMilliohm' | 'fullChargeEnergyKwh' | 'healthScore' | 'cycleCount' | 'temperatureMaxC' | 'manufacturer'
>;
type FleetView = Pick<Fleet, 'id' | 'name' | 'description' | 'moduleCount' | 'totalEnergyKwh' | 'createdAt'> & {
  optimizationRuns: Pick<OptimizationRun, 'id' | 'status' | 'createdAt' | 'population' | 'generations' | 'seed'>[];
  plans: Pick<AllocationPlan, 'id' | 'createdAt' | 'solutionIndex' | 'knee' | 'storageYearsKwhYr' | 'costUsd'>[];
  activePlan: Pick<AllocationPlan, 'id'> | null;
};

/** Modules loaded for the histograms and the sortable table; larger fleets show the first ones by serial. */
export const MODULES_SHOWN_MAX = 20_000;

async function loadModules(fleetId: string): Promise<ModuleRow[]> {
  const rows: ModuleRow[] = [];
  let after: string | null = null;
  while (rows.length < MODULES_SHOWN_MAX) {
    const r: { node: { modules: { edges: { node: ModuleRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } = await gql(
      `query($id: ID!, $after: String) { node(id: $id) { ... on Fleet { modules(first: 500, after: $after) {
        edges { node { id serial chemistry sohPercent internalResistanceMilliohm fullChargeEnergyKwh healthScore cycleCount temperatureMaxC manufacturer } }
        pageInfo { hasNextPage endCursor } } } } }`,
      { id: fleetId, after },
    );
    rows.push(...r.node.modules.edges.map((e) => e.node));
    if (!r.node.modules.pageInfo.hasNextPage) break;
    after = r.node.modules.pageInfo.endCursor;
  }
  return rows;
}

const COLUMNS: { key: keyof ModuleRow; label: string; numeric: boolean; digits?: number }[] = [
  { key: 'serial', label: 'Serial', numeric: false },
  { key: 'chemistry', label: 'Chemistry', numeric: false },
  { key: 'sohPercent', label: 'SOH (%)', numeric: true, digits: 1 },
  { key: 'internalResistanceMilliohm', label: 'Resistance (mΩ)', numeric: true, digits: 1 },
  { key: 'fullChargeEnergyKwh', label: 'Full-charge energy (kWh)', numeric: true, digits: 2 },
  { key: 'healthScore', label: 'Health score (0–100)', numeric: true, digits: 1 },
  { key: 'cycleCount', label: 'Cycles (EFC)', numeric: true, digits: 0 },
  { key: 'temperatureMaxC', label: 'Max temp. (°C)', numeric: true, digits: 1 },
];

const PAGE_SIZE = 25;

export function ModuleTable({ modules }: { modules: ModuleRow[] }) {
  const [sort, setSort] = useState<{ key: keyof ModuleRow; descending: boolean }>({ key: 'serial', descending: false });
  const [page, setPage] = useState(0);
  const sorted = useMemo(() => {
    const rows = [...modules];
    const sign = sort.descending ? -1 : 1;
    rows.sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
      return sign * String(x ?? '').localeCompare(String(y ?? ''), 'en', { numeric: true });
    });
    return rows;
  }, [modules, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
  const shown = sorted.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const toggle = (key: keyof ModuleRow) => {
    setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }));
    setPage(0);
  };
  return html`<table data-testid="modules-table">
      <caption class="sr-only">Modules, sorted by ${COLUMNS.find((c) => c.key === sort.key)!.label} ${sort.descending ? 'descending' : 'ascending'}</caption>
      <thead><tr>
        ${COLUMNS.map(
          (c) => html`<th scope="col" class=${c.numeric ? 'num' : ''} aria-sort=${sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" class="sort" onClick=${() => toggle(c.key)}>${c.label}${sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}</button>
          </th>`,
        )}
      </tr></thead>
      <tbody>
        ${shown.map(
          (m) => html`<tr>
            ${COLUMNS.map((c) =>
              c.key === 'serial'
                ? html`<td><a href=${href('modules', m.id)}>${m.serial}</a></td>`
                : html`<td class=${c.numeric ? 'num' : ''}>${c.numeric ? num(m[c.key] as number, c.digits) : (m[c.key] ?? '')}</td>`,
            )}
          </tr>`,
        )}
      </tbody>
    </table>
    <div class="pager">
      <button type="button" class="secondary" disabled=${page === 0} onClick=${() => setPage(page - 1)}>Previous</button>
      <span>Page ${page + 1} of ${pages} (${num(sorted.length, 0)} modules)</span>
      <button type="button" class="secondary" disabled=${page + 1 >= pages} onClick=${() => setPage(page + 1)}>Next</button>
    </div>`;
}

export function FleetPage({ id }: { id: string }) {
  const fleet = useAsync(
    () =>
      gql<{ node: FleetView | null }>(
        `query($id: ID!) { node(id: $id) { ... on Fleet { id name description moduleCount totalEnergyKwh createdAt
          optimizationRuns { id status createdAt population generations seed }
          plans { id createdAt solutionIndex knee storageYearsKwhYr costUsd } activePlan { id } } } }`,
        { id },
      ).then((r) => r.node),
    [id],
  );
  const modules = useAsync(() => loadModules(id), [id]);
  const [uploadError, setUploadError] = useState<unknown>();
  const [uploaded, setUploaded] = useState<string>();
  const f = fleet.data;
  const m = modules.data ?? [];
  const charts = useMemo(
    () => ({
      soh: histogramOption(histogram(m.map((x) => x.sohPercent)), 'State of health (%)'),
      resistance: histogramOption(histogram(m.map((x) => x.internalResistanceMilliohm)), 'Internal resistance (mΩ)'),
      energy: histogramOption(histogram(m.map((x) => x.fullChargeEnergyKwh)), 'Full-charge energy (kWh)', 2),
    }),
    [modules.data],
  );
  if (fleet.error) return html`<${ErrorBox} error=${fleet.error} />`;
  if (!f) return fleet.loading ? html`<${Loading} what="the fleet" />` : html`<p>Fleet not found. <a href="#/fleets">All fleets</a></p>`;
  const meanSoh = m.length ? m.reduce((s, x) => s + x.sohPercent, 0) / m.length : null;
  const upload = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setUploadError(undefined);
    try {
      const r = await importCsvFile(id, file);
      setUploaded(`${r.importedCount} modules imported from ${file.name}`);
      fleet.reload();
      modules.reload();
    } catch (err) {
      setUploadError(err);
    }
    input.value = '';
  };
  return html`
    <p><a href="#/fleets">Fleets</a> /</p>
    <h1>Fleet ${f.name}</h1>
    ${f.description && html`<p>${f.description}</p>`}
    <div class="stats">
      <div class="stat"><div class="value" data-testid="module-count">${num(f.moduleCount, 0)}</div><div class="name">modules</div></div>
      <div class="stat"><div class="value">${kwh(f.totalEnergyKwh)}</div><div class="name">usable energy</div></div>
      <div class="stat"><div class="value">${pct(meanSoh)}</div><div class="name">mean SOH</div></div>
      <div class="stat"><div class="value">${dateTime(f.createdAt)}</div><div class="name">created</div></div>
    </div>
    <p>
      <a href=${href('runs', 'new', 'fleet', f.id)}>Optimise this fleet…</a> ·
      <button type="button" class="secondary" onClick=${() => download(`/fleets/${encodeURIComponent(f.id)}/modules.csv`, `${f.name}-modules.csv`)}>Download modules CSV</button>
      · <label style="display:inline-flex">Add modules from a CSV file <input type="file" accept=".csv,text/csv" onChange=${upload} /></label>
    </p>
    ${uploaded && html`<p class="ok" role="status">${uploaded}</p>`}
    <${ErrorBox} error=${uploadError} />
    ${modules.loading && !modules.data && html`<${Loading} what="modules" />`}
    <${ErrorBox} error=${modules.error} />
    ${modules.data &&
    html`${f.moduleCount > m.length && html`<p class="warning">Histograms and table show the first ${num(m.length, 0)} of ${num(f.moduleCount, 0)} modules by serial.</p>`}
      <div class="grid cols-3">
        <section class="card"><h2>State of health</h2><${Chart} option=${charts.soh} label=${`Histogram of module state of health, percent, ${m.length} modules`} /></section>
        <section class="card"><h2>Internal resistance</h2><${Chart} option=${charts.resistance} label=${`Histogram of module internal resistance, milliohm, ${m.length} modules`} /></section>
        <section class="card"><h2>Usable energy</h2><${Chart} option=${charts.energy} label=${`Histogram of module usable energy, kWh, ${m.length} modules`} /></section>
      </div>
      <section class="card"><h2>Modules</h2><${ModuleTable} modules=${m} /></section>`}
    <div class="grid cols-2">
      <section class="card">
        <h2>Runs</h2>
        ${f.optimizationRuns.length === 0 ? html`<p class="muted">No run yet.</p>` : html`<ul>${f.optimizationRuns.map((r) => html`<li><a href=${href('runs', r.id)}>${dateTime(r.createdAt)}</a>: ${r.status.toLowerCase()}, population ${r.population}, ${r.generations} generations, seed ${r.seed}</li>`)}</ul>`}
      </section>
      <section class="card">
        <h2>Plans</h2>
        ${f.plans.length === 0
          ? html`<p class="muted">No plan selected yet.</p>`
          : html`<ul>${f.plans.map((p) => html`<li><a href=${href('plans', p.id)}>${dateTime(p.createdAt)}</a>: solution ${p.solutionIndex}${p.knee ? ' (knee)' : ''}, ${num(p.storageYearsKwhYr, 0)} kWh·yr, ${num(p.costUsd, 0)} USD${f.activePlan?.id === p.id ? html` <span class="badge">active</span>` : ''}</li>`)}</ul>`}
      </section>
    </div>`;
}
