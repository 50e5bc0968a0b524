/**
 * GraphQL read latency through the real HTTP server: a 500-module page (the cap) and the fleet
 * list with aggregates, over a 20 000-module fleet, on PGlite (and PostgreSQL when
 * RELIFE_BENCH_PG_URL names an empty database).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../src/db/client.js';
import { createFleet } from '../src/db/fleets.js';
import { insertModules } from '../src/db/modules.js';
import { createRelifeServer } from '../src/server.js';
import { generateSyntheticFleet } from '../src/twin/synthetic-fleet.js';
import { writeBenchSection } from './report.js';

const REPEAT = 20;

async function measure(database: Database): Promise<string[]> {
  const fleet = await createFleet(database.db, { name: `bench-${Date.now()}` });
  await insertModules(database.db, fleet.id, generateSyntheticFleet({ size: 20_000, seed: 4 }));
  const server = await createRelifeServer({ database });
  const url = await server.listen(0);
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const cases: [string, string, Record<string, unknown>][] = [
    ['500-module page (serial, SOH, R, full-charge kWh)', `query ($n: String!) { fleet(name: $n) { modules(first: 500, after: "M5000") { edges { node { serial sohPercent internalResistanceMilliohm fullChargeEnergyKwh } } } } }`, { n: fleet.name }],
    ['filtered page + totalCount (SOH 60–70 %)', `query ($n: String!) { fleet(name: $n) { modules(first: 100, sohMinPercent: 60, sohMaxPercent: 70) { totalCount edges { node { serial } } } } }`, { n: fleet.name }],
    ['fleets with moduleCount + totalEnergyKwh', `{ fleets { edges { node { name moduleCount totalEnergyKwh } } } }`, {}],
  ];
  const rows: string[] = [];
  try {
    for (const [label, query, variables] of cases) {
      await gql(query, variables);
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        const t = performance.now();
        await gql(query, variables);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      rows.push(`| ${database.kind} | ${label} | ${times[REPEAT >> 1].toFixed(1)} ms | ${times[REPEAT - 2].toFixed(1)} ms |`);
      console.log(rows.at(-1));
    }
  } finally {
    await server.close();
  }
  return rows;
}

const rows = ['| database | query (20 000-module fleet) | median | p90 |', '|---|---|---:|---:|'];
const pglite = await openDatabase({ inMemory: true });
try {
  rows.push(...(await measure(pglite)));
} finally {
  await pglite.close();
}
if (process.env.RELIFE_BENCH_PG_URL) {
  const pg = await openDatabase({ url: process.env.RELIFE_BENCH_PG_URL });
  try {
    rows.push(...(await measure(pg)));
  } finally {
    await pg.close();
  }
}
writeBenchSection('api', 'GraphQL read latency (HTTP, one client)', rows.join('\n'));
