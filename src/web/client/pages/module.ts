/**
 * A module: its intake data, health score and parts, and its twin's projection under each
 * application (SOH and resistance over the years, why life ends, the calibration band if any).
 */
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import { features, gql, type Features } from '../api.js';
import { Chart, type ChartOption } from '../chart.js';
import { num, pct, withUnit } from '../format.js';
import { ErrorBox, href, Loading, useAsync } from '../hooks.js';
import type { Application, BatteryModule, HealthBreakdown, TwinProjection, TwinSummary } from '../schema.js';

type ModuleView = Omit<BatteryModule, 'twin' | 'fleet' | 'health'> & { fleet: { id: string; name: string }; health: HealthBreakdown };
type AppView = Pick<Application, 'id' | 'name' | 'kind'> & { envelopes: { name: string; description: string }[]; requirements: { endOfLifeSohPercent: number; endOfLifeResistanceMilliohm: number } };
type Projection = Pick<TwinProjection, 'envelope' | 'calibrated' | 'ageingFactor'> & {
  summary: TwinSummary;
  trajectory: { timeYears: number[]; sohPercent: number[]; resistanceMilliohm: number[] } & Record<string, number[]>;
};
type TwinAnswer = { __typename: string; message?: string; data?: Projection };

const EOL_REASON: Record<string, string> = {
  SOH: 'capacity reaches the end-of-life SOH',
  RESISTANCE: 'resistance reaches the in-service limit',
  THERMAL: 'cell temperature exceeds the limit',
  HORIZON: 'still in service at the 20-year horizon',
};

const COLORS = ['#2f6f9f', '#d1495b', '#edae49', '#00798c', '#6a4c93', '#3e8914'];

async function loadProjections(moduleId: string, apps: AppView[], envelopes: Record<string, string>, f: Features): Promise<Record<string, TwinAnswer>> {
  if (apps.length === 0) return {};
  const band = f.sohBand ? ` ${f.sohBand[0]} ${f.sohBand[1]}` : '';
  const parts = apps.map(
    (a, i) => `a${i}: twin(applicationId: "${a.id}", envelope: ${JSON.stringify(envelopes[a.id] ?? a.envelopes[0]?.name ?? '')}) {
      __typename ... on Error { message }
      ... on BatteryModuleTwinSuccess { data { envelope calibrated ageingFactor
        summary { rulYears endOfLifeReason feasible fadePctPerYear lifetimeEnergyMwh peakTemperatureC roundTripEfficiency socWindowEnergyKwh violations { requirement reason } }
        trajectory { timeYears sohPercent resistanceMilliohm${band} } } } }`,
  );
  const r = await gql<{ node: Record<string, TwinAnswer> }>(`query($id: ID!) { node(id: $id) { ... on BatteryModule { ${parts.join('\n')} } } }`, { id: moduleId });
  return Object.fromEntries(apps.map((a, i) => [a.id, r.node[`a${i}`]!]));
}

function lineOption(apps: AppView[], projections: Record<string, TwinAnswer>, field: 'sohPercent' | 'resistanceMilliohm', yName: string, band: [string, string] | null, limit: (a: AppView) => number): ChartOption {
  const series: any[] = [];
  apps.forEach((a, i) => {
    const p = projections[a.id]?.data;
    if (!p) return;
    const t = p.trajectory.timeYears;
    const color = COLORS[i % COLORS.length];
    series.push({
      name: a.name,
      type: 'line',
      showSymbol: false,
      lineStyle: { color, width: 2 },
      itemStyle: { color },
      data: t.map((x, k) => [x, p.trajectory[field][k]]),
      markLine: { silent: true, symbol: 'none', lineStyle: { color, type: 'dashed', width: 1 }, label: { formatter: `${a.name} limit`, fontSize: 10 }, data: [{ yAxis: limit(a) }] },
    });
    if (band && field === 'sohPercent' && p.calibrated && p.trajectory[band[0]] && p.trajectory[band[1]]) {
      const lo = p.trajectory[band[0]]!;
      const hi = p.trajectory[band[1]]!;
      series.push({ name: `${a.name} band (lower)`, type: 'line', stack: `band-${i}`, showSymbol: false, lineStyle: { opacity: 0 }, data: t.map((x, k) => [x, lo[k]]), tooltip: { show: false } });
      series.push({ name: `${a.name} calibration band`, type: 'line', stack: `band-${i}`, showSymbol: false, lineStyle: { opacity: 0 }, areaStyle: { color, opacity: 0.15 }, data: t.map((x, k) => [x, hi[k]! - lo[k]!]), tooltip: { show: false } });
    }
  });
  return {
    grid: { left: 64, right: 24, top: 40, bottom: 48 },
    legend: { top: 0, data: apps.map((a) => a.name) },
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${num(Number(v), 2)} ${field === 'sohPercent' ? '%' : 'mΩ'}` },
    xAxis: { type: 'value', name: 'Years in second life', nameLocation: 'middle', nameGap: 30, min: 0 },
    yAxis: { type: 'value', name: yName, nameLocation: 'middle', nameGap: 44, scale: true },
    series,
  };
}

export function ModulePage({ id }: { id: string }) {
  const base = useAsync(async () => {
    const [r, f] = await Promise.all([
      gql<{ node: ModuleView | null; applications: AppView[] }>(
        `query($id: ID!) { node(id: $id) { ... on BatteryModule { id serial chemistry manufacturer nominalCapacityAh nominalVoltageV sohPercent internalResistanceMilliohm
          temperatureMinC temperatureMaxC cycleCount ageYears fullChargeEnergyKwh healthScore calibration fleet { id name }
          health { score soh resistance thermal efficiency trend firstLifeFadePctPerYear } } }
          applications { id name kind envelopes { name description } requirements { endOfLifeSohPercent endOfLifeResistanceMilliohm } } }`,
        { id },
      ),
      features(),
    ]);
    return { module: r.node, applications: r.applications, features: f };
  }, [id]);
  const [envelopes, setEnvelopes] = useState<Record<string, string>>({});
  const apps = base.data?.applications ?? [];
  const projections = useAsync((): Promise<Record<string, TwinAnswer>> => (base.data?.module ? loadProjections(id, apps, envelopes, base.data.features) : Promise.resolve({})), [base.data, JSON.stringify(envelopes)]);
  const band = base.data?.features.sohBand ?? null;
  const charts = useMemo(
    () =>
      projections.data && {
        soh: lineOption(apps, projections.data, 'sohPercent', 'State of health (%)', band, (a) => a.requirements.endOfLifeSohPercent),
        resistance: lineOption(apps, projections.data, 'resistanceMilliohm', 'Internal resistance (mΩ)', null, (a) => a.requirements.endOfLifeResistanceMilliohm),
      },
    [projections.data],
  );
  if (base.error) return html`<${ErrorBox} error=${base.error} />`;
  if (!base.data) return html`<${Loading} what="the module" />`;
  const m = base.data.module;
  if (!m) return html`<p>Module not found. <a href="#/fleets">Fleets</a></p>`;
  const cal = m.calibration as { rmsePct?: number; points?: number; ageingFactor?: number } | null;
  const h = m.health;
  return html`
    <p><a href="#/fleets">Fleets</a> / <a href=${href('fleets', m.fleet.id)}>${m.fleet.name}</a> /</p>
    <h1>Module ${m.serial}</h1>
    <div class="grid cols-2">
      <section class="card" aria-labelledby="data-h">
        <h2 id="data-h">As received</h2>
        <dl class="facts">
          <dt>Chemistry</dt><dd>${m.chemistry}</dd>
          <dt>Manufacturer</dt><dd>${m.manufacturer ?? '–'}</dd>
          <dt>Nameplate</dt><dd>${withUnit(m.nominalCapacityAh, 'Ah')}, ${withUnit(m.nominalVoltageV, 'V')}</dd>
          <dt>State of health</dt><dd>${pct(m.sohPercent)}</dd>
          <dt>Usable energy</dt><dd>${withUnit(m.fullChargeEnergyKwh, 'kWh', 2)}</dd>
          <dt>Internal resistance</dt><dd>${withUnit(m.internalResistanceMilliohm, 'mΩ')}</dd>
          <dt>First-life temperature</dt><dd>${withUnit(m.temperatureMinC, '°C')} to ${withUnit(m.temperatureMaxC, '°C')}</dd>
          <dt>Cycles</dt><dd>${num(m.cycleCount, 0)} EFC</dd>
          <dt>Age</dt><dd>${m.ageYears === null ? '–' : withUnit(m.ageYears, 'years')}</dd>
          <dt>Calibration</dt><dd>${cal ? `fitted to ${cal.points ?? '?'} checks, RMSE ${num(cal.rmsePct, 2)} % of nominal capacity, ageing factor ${num(cal.ageingFactor, 2)}` : 'none (projection from the first-life ageing factor)'}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="health-h">
        <h2 id="health-h">Health score ${num(m.healthScore, 1)} / 100</h2>
        <table>
          <thead><tr><th scope="col">Part (weight)</th><th scope="col" class="num">Score (0–1)</th></tr></thead>
          <tbody>
            <tr><td>State of health (35 %)</td><td class="num">${num(h.soh, 2)}</td></tr>
            <tr><td>Resistance (20 %)</td><td class="num">${num(h.resistance, 2)}</td></tr>
            <tr><td>Thermal stability (15 %)</td><td class="num">${num(h.thermal, 2)}</td></tr>
            <tr><td>Efficiency (15 %)</td><td class="num">${num(h.efficiency, 2)}</td></tr>
            <tr><td>Degradation trend (15 %): first life ${withUnit(h.firstLifeFadePctPerYear, '%/yr', 2)}</td><td class="num">${num(h.trend, 2)}</td></tr>
          </tbody>
        </table>
      </section>
    </div>
    <section class="card" aria-labelledby="proj-h">
      <h2 id="proj-h">Twin projection under each application</h2>
      <${ErrorBox} error=${projections.error} />
      ${projections.loading && html`<${Loading} what="projections" />`}
      ${charts &&
      html`<div class="grid cols-2">
        <${Chart} option=${charts.soh} height=${300} label=${`Projected state of health in percent over years, one line per application${band ? ', with the calibration band' : ''}`} />
        <${Chart} option=${charts.resistance} height=${300} label="Projected internal resistance in milliohm over years, one line per application" />
      </div>`}
      ${!band && html`<p class="muted">No calibration band: the service projects a single curve${cal ? '' : ' and this module has no recorded checks'}.</p>`}
      <table>
        <thead><tr><th scope="col">Application</th><th scope="col">Envelope</th><th scope="col" class="num">Remaining life (years)</th><th scope="col">End of life</th><th scope="col" class="num">Fade (%/yr)</th><th scope="col" class="num">Lifetime energy (MWh)</th><th scope="col" class="num">Peak temp. (°C)</th><th scope="col">Feasible</th></tr></thead>
        <tbody>
          ${apps.map((a) => {
            const p = projections.data?.[a.id];
            const s = p?.data?.summary;
            return html`<tr>
              <td>${a.name}</td>
              <td><label class="sr-only" for=${`env-${a.id}`}>Envelope for ${a.name}</label>
                <select id=${`env-${a.id}`} value=${envelopes[a.id] ?? a.envelopes[0]?.name} onChange=${(e: Event) => setEnvelopes({ ...envelopes, [a.id]: (e.target as HTMLSelectElement).value })}>
                  ${a.envelopes.map((v) => html`<option value=${v.name} title=${v.description}>${v.name}</option>`)}
                </select></td>
              ${s
                ? html`<td class="num">${num(s.rulYears, 1)}</td><td>${s.endOfLifeReason}: ${EOL_REASON[s.endOfLifeReason] ?? ''}</td><td class="num">${num(s.fadePctPerYear, 2)}</td><td class="num">${num(s.lifetimeEnergyMwh, 2)}</td><td class="num">${num(s.peakTemperatureC, 1)}</td>
                    <td>${s.feasible ? 'yes' : html`no: ${s.violations.map((v) => v.reason).join('; ')}`}</td>`
                : html`<td colspan="6" class="muted">${p?.message ?? ''}</td>`}
            </tr>`;
          })}
        </tbody>
      </table>
    </section>`;
}
