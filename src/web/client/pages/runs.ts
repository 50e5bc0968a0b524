/** Runs: start an optimisation of a fleet over chosen applications; every run so far. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ERROR_FIELDS, features, gql, unwrap } from '../api.js';
import { dateTime, kwh, num } from '../format.js';
import { ErrorBox, go, href, Loading, useAsync } from '../hooks.js';
import type { Application, Fleet, OptimizationRun, StartOptimizationInput } from '../schema.js';

type RunRow = Pick<OptimizationRun, 'id' | 'status' | 'createdAt' | 'population' | 'generations' | 'seed' | 'hypervolume'>;
type FleetRuns = Pick<Fleet, 'id' | 'name' | 'moduleCount' | 'totalEnergyKwh'> & { optimizationRuns: RunRow[] };

export function RunsPage({ fleetId }: { fleetId?: string }) {
  const data = useAsync(async () => {
    const [r, f] = await Promise.all([
      gql<{ fleets: { edges: { node: FleetRuns }[] }; applications: Pick<Application, 'id' | 'name' | 'capacityLimitKwh'>[] }>(
        `{ fleets(first: 100) { edges { node { id name moduleCount totalEnergyKwh optimizationRuns { id status createdAt population generations seed hypervolume } } } }
           applications { id name capacityLimitKwh } }`,
      ),
      features(),
    ]);
    return { fleets: r.fleets.edges.map((e) => e.node), applications: r.applications, features: f };
  }, []);
  const [fleet, setFleet] = useState(fleetId ?? '');
  const [apps, setApps] = useState<Set<string> | null>(null);
  const [population, setPopulation] = useState(40);
  const [generations, setGenerations] = useState(60);
  const [seed, setSeed] = useState(1);
  const [algorithm, setAlgorithm] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (data.error) return html`<${ErrorBox} error=${data.error} />`;
  if (!data.data) return html`<${Loading} what="runs" />`;
  const { fleets, applications, features: f } = data.data;
  const chosenFleet = fleet || fleets[0]?.id || '';
  const chosenApps = apps ?? new Set(applications.map((a) => a.id));
  const algorithms = f.algorithms;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const input: Omit<StartOptimizationInput, 'algorithm'> & { algorithm?: string } = {
        fleetId: chosenFleet,
        applicationIds: applications.filter((a) => chosenApps.has(a.id)).map((a) => a.id),
        population,
        generations,
        seed,
      };
      if (algorithms && algorithm) input.algorithm = algorithm;
      const r: { startOptimization: any } = await gql(`mutation($input: StartOptimizationInput!) { startOptimization(input: $input) { ${ERROR_FIELDS} ... on MutationStartOptimizationSuccess { data { id } } } }`, { input });
      go('runs', unwrap<{ id: string }>(r.startOptimization).id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const intInput = (name: string, label: string, value: number, set: (n: number) => void, min: number, max: number) =>
    html`<label>${label}<input type="number" name=${name} required min=${min} max=${max} step="1" value=${value} onInput=${(e: Event) => set(Number((e.target as HTMLInputElement).value))} /></label>`;
  const runs = fleets.flatMap((fl) => fl.optimizationRuns.map((r) => ({ ...r, fleet: fl }))).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return html`<h1>Runs</h1>
    <section class="card" aria-labelledby="start-h">
      <h2 id="start-h">Start an optimisation</h2>
      <form onSubmit=${submit}>
        <div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end">
          <label>Fleet
            <select name="fleet" value=${chosenFleet} onChange=${(e: Event) => setFleet((e.target as HTMLSelectElement).value)}>
              ${fleets.map((fl) => html`<option value=${fl.id}>${fl.name} (${num(fl.moduleCount, 0)} modules, ${kwh(fl.totalEnergyKwh, 0)})</option>`)}
            </select>
          </label>
          ${intInput('population', 'Population (4–10 000)', population, setPopulation, 4, 10000)}
          ${intInput('generations', 'Generations (1–100 000)', generations, setGenerations, 1, 100000)}
          ${intInput('seed', 'Seed', seed, setSeed, -2147483648, 2147483647)}
          ${algorithms &&
          html`<label>Algorithm
            <select name="algorithm" value=${algorithm} onChange=${(e: Event) => setAlgorithm((e.target as HTMLSelectElement).value)}>
              <option value="">default</option>
              ${algorithms.map((a) => html`<option value=${a}>${a}</option>`)}
            </select></label>`}
        </div>
        <fieldset style="margin-top:10px;border:1px solid var(--line);border-radius:4px">
          <legend>Applications</legend>
          ${applications.map(
            (a) => html`<label class="check"><input type="checkbox" name="application" value=${a.id} checked=${chosenApps.has(a.id)} onChange=${(e: Event) => {
              const next = new Set(chosenApps);
              if ((e.target as HTMLInputElement).checked) next.add(a.id);
              else next.delete(a.id);
              setApps(next);
            }} /> ${a.name} (capacity ${kwh(a.capacityLimitKwh)})</label>`,
          )}
        </fieldset>
        <p><button type="submit" disabled=${busy || !chosenFleet || chosenApps.size === 0}>${busy ? 'Starting…' : 'Start run'}</button></p>
      </form>
      <${ErrorBox} error=${error} />
    </section>
    <section class="card" aria-labelledby="list-h">
      <h2 id="list-h">All runs</h2>
      <table>
        <thead><tr><th scope="col">Started</th><th scope="col">Fleet</th><th scope="col">Status</th><th scope="col" class="num">Population</th><th scope="col" class="num">Generations</th><th scope="col" class="num">Seed</th><th scope="col" class="num">Hypervolume (0–1)</th></tr></thead>
        <tbody>
          ${runs.map(
            (r) => html`<tr><td><a href=${href('runs', r.id)}>${dateTime(r.createdAt)}</a></td><td>${r.fleet.name}</td><td>${r.status.toLowerCase()}</td>
              <td class="num">${r.population}</td><td class="num">${r.generations}</td><td class="num">${r.seed}</td><td class="num">${num(r.hypervolume, 3)}</td></tr>`,
          )}
          ${runs.length === 0 && html`<tr><td colspan="7" class="muted">No run yet.</td></tr>`}
        </tbody>
      </table>
    </section>`;
}
