/**
 * Applications: each one's duty, requirements, operating envelopes and economics; its capacity
 * edited directly or scaled to a share of a fleet's usable energy, and its economics edited.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ERROR_FIELDS, gql, unwrap } from '../api.js';
import { kwh, num, pct, withUnit } from '../format.js';
import { ErrorBox, Loading, useAsync } from '../hooks.js';
import type { Application, ApplicationInput } from '../schema.js';
import { listFleets } from './fleets.js';

const APP_FIELDS = `id name kind capacityLimitKwh capacitySharePercent
  duty { cyclesPerDay depthOfDischarge cRate ambientTemperatureC seasonalSwingC dailyTemperatureSwingC socMinPercent socMaxPercent
    socProfile { points { hour socPercent } timeAtSoc { socPercent hours } source } }
  requirements { minSohPercent endOfLifeSohPercent maxResistanceMilliohm endOfLifeResistanceMilliohm maxCellTemperatureC minServiceYears }
  envelopes { name description socMinPercent socMaxPercent dodFactor activeCooling }
  economics { valueUsdPerMwh repurposingCostUsdPerModule integrationCostUsdPerKwh }`;

const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([k]) => k !== '__typename')) as T;

/**
 * The application as `updateApplication` takes it (it replaces every field), with the page's
 * changes: the rest is sent back as read, its daily SOC profile and temperature swing included.
 */
export function applicationInput(a: Application, changes: { capacityLimitKwh: number; economics: Application['economics'] }): ApplicationInput {
  const { socProfile, ...duty } = strip(a.duty);
  return {
    name: a.name,
    kind: a.kind,
    capacityLimitKwh: changes.capacityLimitKwh,
    duty: { ...duty, ...(socProfile ? { socProfile: strip(socProfile) } : {}) },
    requirements: strip(a.requirements),
    envelopes: a.envelopes.map(strip),
    economics: strip(changes.economics),
  };
}

function NumberField({ label, value, onInput, step = 'any', min }: { label: string; value: number; onInput(n: number): void; step?: string; min?: number }) {
  return html`<label>${label}<input type="number" step=${step} min=${min} required value=${value} onInput=${(e: Event) => onInput(Number((e.target as HTMLInputElement).value))} /></label>`;
}

function ApplicationCard({ app, fleets, onSaved }: { app: Application; fleets: { id: string; name: string; totalEnergyKwh: number }[]; onSaved(): void }) {
  // A capacity given as a share of the fleet has no kWh of its own: editing it here fixes it in kWh.
  const [capacity, setCapacity] = useState(app.capacityLimitKwh ?? 0);
  const [economics, setEconomics] = useState(app.economics);
  const [fleetId, setFleetId] = useState(fleets[0]?.id ?? '');
  const [share, setShare] = useState(() => {
    const energy = fleets[0]?.totalEnergyKwh;
    if (app.capacitySharePercent != null) return app.capacitySharePercent;
    return energy && app.capacityLimitKwh != null ? Math.round((app.capacityLimitKwh / energy) * 1000) / 10 : 25;
  });
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const fleet = fleets.find((f) => f.id === fleetId);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      const r: { updateApplication: any } = await gql(`mutation($id: ID!, $input: ApplicationInput!) { updateApplication(id: $id, input: $input) { ${ERROR_FIELDS} ... on MutationUpdateApplicationSuccess { data { id } } } }`, {
        id: app.id,
        input: applicationInput(app, { capacityLimitKwh: capacity, economics }),
      });
      unwrap(r.updateApplication);
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  const d = app.duty;
  const q = app.requirements;
  const id = `app-${app.id}`;
  return html`<section class="card" aria-labelledby=${id}>
    <h2 id=${id}>${app.name} <span class="badge">${app.kind.toLowerCase()}</span></h2>
    <div class="grid cols-3">
      <div>
        <h3>Duty</h3>
        <dl class="facts">
          <dt>Cycles</dt><dd>${withUnit(d.cyclesPerDay, 'per day', 2)}</dd>
          <dt>Depth of discharge</dt><dd>${pct(d.depthOfDischarge * 100, 0)}</dd>
          <dt>C-rate</dt><dd>${withUnit(d.cRate, 'C', 2)}</dd>
          <dt>Ambient</dt><dd>${withUnit(d.ambientTemperatureC, '°C')} ± ${withUnit(d.seasonalSwingC, '°C')} over the year${d.dailyTemperatureSwingC > 0 ? html`, ± ${withUnit(d.dailyTemperatureSwingC, '°C')} over the day` : ''}</dd>
          <dt>SOC window</dt><dd>${pct(d.socMinPercent, 0)} to ${pct(d.socMaxPercent, 0)}</dd>
        </dl>
      </div>
      <div>
        <h3>Requirements</h3>
        <dl class="facts">
          <dt>Acceptance SOH</dt><dd>≥ ${pct(q.minSohPercent, 0)}</dd>
          <dt>Acceptance resistance</dt><dd>≤ ${withUnit(q.maxResistanceMilliohm, 'mΩ')}</dd>
          <dt>End of life</dt><dd>SOH ${pct(q.endOfLifeSohPercent, 0)} or ${withUnit(q.endOfLifeResistanceMilliohm, 'mΩ')}</dd>
          <dt>Max cell temperature</dt><dd>${withUnit(q.maxCellTemperatureC, '°C')}</dd>
          <dt>Minimum service</dt><dd>${withUnit(q.minServiceYears, 'years')}</dd>
        </dl>
      </div>
      <div>
        <h3>Envelopes</h3>
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">SOC (%)</th><th scope="col" class="num">DoD factor</th><th scope="col">Cooling</th></tr></thead>
          <tbody>${app.envelopes.map((v) => html`<tr title=${v.description}><td>${v.name}</td><td>${num(v.socMinPercent, 0)}–${num(v.socMaxPercent, 0)}</td><td class="num">${num(v.dodFactor, 2)}</td><td>${v.activeCooling ? 'active' : 'passive'}</td></tr>`)}</tbody>
        </table>
      </div>
    </div>
    <form onSubmit=${save}>
      <h3>Capacity and economics</h3>
      <div class="form inline" style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end">
        <${NumberField} label="Capacity limit (kWh)" value=${capacity} min=${0} onInput=${setCapacity} />
        <label>Scale to fleet
          <select value=${fleetId} onChange=${(e: Event) => setFleetId((e.target as HTMLSelectElement).value)}>
            ${fleets.map((f) => html`<option value=${f.id}>${f.name} (${kwh(f.totalEnergyKwh, 0)})</option>`)}
          </select>
        </label>
        <${NumberField} label="Share of its energy (%)" value=${share} min=${0} onInput=${setShare} />
        <button type="button" class="secondary" disabled=${!fleet} onClick=${() => fleet && setCapacity(Math.round(((fleet.totalEnergyKwh * share) / 100) * 10) / 10)}>Set capacity to ${fleet ? kwh((fleet.totalEnergyKwh * share) / 100) : '–'}</button>
      </div>
      <div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end;margin-top:8px">
        <${NumberField} label="Energy value (USD/MWh)" value=${economics.valueUsdPerMwh} onInput=${(n: number) => setEconomics({ ...economics, valueUsdPerMwh: n })} />
        <${NumberField} label="Repurposing (USD/module)" value=${economics.repurposingCostUsdPerModule} onInput=${(n: number) => setEconomics({ ...economics, repurposingCostUsdPerModule: n })} />
        <${NumberField} label="Integration (USD/kWh)" value=${economics.integrationCostUsdPerKwh} onInput=${(n: number) => setEconomics({ ...economics, integrationCostUsdPerKwh: n })} />
        <button type="submit">Save ${app.name}</button>
        ${saved && html`<span class="ok" role="status">Saved.</span>`}
      </div>
    </form>
    <${ErrorBox} error=${error} />
  </section>`;
}

export function ApplicationsPage() {
  const data = useAsync(async () => {
    const [r, fleets] = await Promise.all([gql<{ applications: Application[] }>(`{ applications { ${APP_FIELDS} } }`), listFleets()]);
    return { applications: r.applications, fleets };
  }, []);
  if (data.error) return html`<${ErrorBox} error=${data.error} />`;
  if (!data.data) return html`<${Loading} what="applications" />`;
  const total = data.data.applications.reduce((s, a) => s + (a.capacityLimitKwh ?? 0), 0);
  return html`<h1>Applications</h1>
    <p>${data.data.applications.length} second-life applications, capacity ${kwh(total, 1)} in all. A plan deploys at most an application's capacity limit of usable energy to it.</p>
    ${data.data.applications.map((a) => html`<${ApplicationCard} key=${a.id} app=${a} fleets=${data.data!.fleets} onSaved=${data.reload} />`)}`;
}
