/** Fleets: every fleet with its size and energy; import a module CSV; generate a synthetic fleet. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ERROR_FIELDS, features, gql, gqlMultipart, unwrap } from '../api.js';
import { kwh, num } from '../format.js';
import { ErrorBox, go, href, Loading, useAsync } from '../hooks.js';
import type { Fleet, ImportModulesPayload } from '../schema.js';

type FleetRow = Pick<Fleet, 'id' | 'name' | 'description' | 'moduleCount' | 'totalEnergyKwh' | 'createdAt'>;

export async function listFleets(): Promise<FleetRow[]> {
  const rows: FleetRow[] = [];
  let after: string | null = null;
  for (;;) {
    const r: { fleets: { edges: { node: FleetRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gql(
      `query($after: String) { fleets(first: 100, after: $after) { edges { node { id name description moduleCount totalEnergyKwh createdAt } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    rows.push(...r.fleets.edges.map((e) => e.node));
    if (!r.fleets.pageInfo.hasNextPage) return rows;
    after = r.fleets.pageInfo.endCursor;
  }
}

const IMPORT_MUTATION = (withFile: boolean) => `mutation($input: ImportModulesInput!) { importModules(input: $input) {
  ${ERROR_FIELDS} ... on MutationImportModulesSuccess { data { importedCount fleet { id moduleCount } } } } }`;

/**
 * Sends the CSV as a multipart file when the server takes one, else as the `csv` text field, into
 * an existing fleet (its id) or a new one (`{ newFleet: { name } }`: created with the import, in
 * one transaction, so a rejected file leaves no fleet).
 */
export async function importCsvFile(
  into: string | { newFleet: { name: string } },
  file: File,
): Promise<Pick<ImportModulesPayload, 'importedCount'> & { fleet: { id: string } }> {
  const target = typeof into === 'string' ? { fleetId: into } : into;
  const f = await features();
  const r: { importModules: any } = f.importFile
    ? await gqlMultipart(IMPORT_MUTATION(true), { input: { ...target, file: null } }, { 'input.file': file })
    : await gql(IMPORT_MUTATION(false), { input: { ...target, csv: await file.text() } });
  return unwrap(r.importModules);
}

function ImportForm({ fleets, onDone }: { fleets: FleetRow[]; onDone(id: string): void }) {
  const [target, setTarget] = useState('');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      // A new fleet is created by the import itself: a rejected file creates nothing.
      const r = await importCsvFile(target || { newFleet: { name: name.trim() } }, file);
      onDone(r.fleet.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="card" aria-labelledby="import-h">
    <h2 id="import-h">Import modules from a CSV file</h2>
    <p class="muted">Columns: serial, chemistry, nominal_capacity_ah, nominal_voltage_v, soh_percent, internal_resistance_mohm, temp_min_c, temp_max_c, cycle_count (manufacturer, age_years optional). All rows are imported or none.</p>
    <form class="inline" onSubmit=${submit}>
      <label>Into fleet
        <select name="fleet" value=${target} onChange=${(e: Event) => setTarget((e.target as HTMLSelectElement).value)}>
          <option value="">New fleet…</option>
          ${fleets.map((f) => html`<option value=${f.id}>${f.name}</option>`)}
        </select>
      </label>
      ${!target && html`<label>New fleet name <input type="text" name="fleetName" required value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} /></label>`}
      <label>CSV file <input type="file" name="csvFile" accept=".csv,text/csv" required onChange=${(e: Event) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} /></label>
      <button type="submit" disabled=${busy || !file}>${busy ? 'Importing…' : 'Import'}</button>
    </form>
    <${ErrorBox} error=${error} />
  </section>`;
}

function GenerateForm({ onDone }: { onDone(id: string): void }) {
  const [name, setName] = useState('synthetic-500');
  const [modules, setModules] = useState(500);
  const [seed, setSeed] = useState(1);
  const [stressed, setStressed] = useState(20);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r: { generateSyntheticFleet: any } = await gql(
        `mutation($input: GenerateSyntheticFleetInput!) { generateSyntheticFleet(input: $input) { ${ERROR_FIELDS} ... on MutationGenerateSyntheticFleetSuccess { data { id } } } }`,
        { input: { name: name.trim(), modules, seed, stressedFraction: stressed / 100 } },
      );
      onDone(unwrap<{ id: string }>(r.generateSyntheticFleet).id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const numberInput = (value: number, set: (n: number) => void, attrs: Record<string, unknown>) =>
    html`<input type="number" required value=${value} onInput=${(e: Event) => set(Number((e.target as HTMLInputElement).value))} ...${attrs} />`;
  return html`<section class="card" aria-labelledby="gen-h">
    <h2 id="gen-h">Generate a synthetic fleet</h2>
    <p class="muted">Retired modules from the reference paper's generator: SOH uniform 55–80 %, cycle count and resistance following the ageing model, a share of thermally stressed fast agers.</p>
    <form class="inline" onSubmit=${submit}>
      <label>Name <input type="text" name="name" required value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} /></label>
      <label>Modules (1–100 000) ${numberInput(modules, setModules, { name: 'modules', min: 1, max: 100000 })}</label>
      <label>Seed ${numberInput(seed, setSeed, { name: 'seed', step: 1 })}</label>
      <label>Thermally stressed, % ${numberInput(stressed, setStressed, { name: 'stressed', min: 0, max: 100 })}</label>
      <button type="submit" disabled=${busy}>${busy ? 'Generating…' : 'Generate'}</button>
    </form>
    <${ErrorBox} error=${error} />
  </section>`;
}

export function FleetsPage() {
  const fleets = useAsync(listFleets, []);
  const list = fleets.data ?? [];
  const total = list.reduce((s, f) => s + f.totalEnergyKwh, 0);
  return html`
    <h1>Fleets</h1>
    <section class="card" aria-labelledby="fleets-h">
      <h2 id="fleets-h">Fleets of retired modules</h2>
      ${fleets.loading && !fleets.data && html`<${Loading} what="fleets" />`}
      <${ErrorBox} error=${fleets.error} />
      ${fleets.data &&
      html`<div class="stats">
          <div class="stat"><div class="value">${list.length}</div><div class="name">fleets</div></div>
          <div class="stat"><div class="value">${num(list.reduce((s, f) => s + f.moduleCount, 0), 0)}</div><div class="name">modules</div></div>
          <div class="stat"><div class="value">${kwh(total)}</div><div class="name">usable energy</div></div>
        </div>
        <table data-testid="fleets-table">
          <thead><tr><th scope="col">Fleet</th><th scope="col">Description</th><th scope="col" class="num">Modules</th><th scope="col" class="num">Usable energy (kWh)</th></tr></thead>
          <tbody>
            ${list.map(
              (f) => html`<tr>
                <td><a href=${href('fleets', f.id)}>${f.name}</a></td>
                <td>${f.description ?? ''}</td>
                <td class="num">${num(f.moduleCount, 0)}</td>
                <td class="num">${num(f.totalEnergyKwh, 1)}</td>
              </tr>`,
            )}
            ${list.length === 0 && html`<tr><td colspan="4" class="muted">No fleet yet: import a CSV or generate one below.</td></tr>`}
          </tbody>
        </table>`}
    </section>
    <${ImportForm} fleets=${list} onDone=${(id: string) => go('fleets', id)} />
    <${GenerateForm} onDone=${(id: string) => go('fleets', id)} />`;
}
