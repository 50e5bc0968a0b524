/**
 * CSV import throughput on embedded PGlite (in memory): parse + validate, then insert in one
 * transaction, for a generated fleet exported to CSV. Also the export side.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/client.js';
import { createFleet } from '../src/db/fleets.js';
import { insertModules, loadFleetModules } from '../src/db/modules.js';
import { parseModulesCsv } from '../src/planning/modules-csv.js';
import { formatModulesCsv } from '../src/formats/modules-csv.js';
import { generateSyntheticFleet } from '../src/demo/synthetic-fleet.js';
import { writeBenchSection } from './report.js';

const sizes = (process.env.RELIFE_BENCH_IMPORT_SIZES ?? '1000,20000').split(',').map(Number);
const rows: string[] = ['| modules | CSV size | generate | parse + validate | insert (1 tx) | load + format CSV |', '|---:|---:|---:|---:|---:|---:|'];
const database = await openDatabase({ inMemory: true });
try {
  for (const size of sizes) {
    let t = performance.now();
    const fleet = generateSyntheticFleet({ size, seed: 11 });
    const generateMs = performance.now() - t;
    const csv = formatModulesCsv(fleet);
    t = performance.now();
    const parsed = parseModulesCsv(csv);
    const parseMs = performance.now() - t;
    if (!parsed.ok) throw new Error(`generated CSV rejected: ${parsed.problems[0].message}`);
    const row = await createFleet(database.db, { name: `bench-${size}` });
    t = performance.now();
    await database.db.transaction((tx) => insertModules(tx, row.id, parsed.modules));
    const insertMs = performance.now() - t;
    t = performance.now();
    const back = formatModulesCsv(await loadFleetModules(database.db, row.id));
    const exportMs = performance.now() - t;
    if (back.length !== csv.length) throw new Error('export differs in length from the imported CSV');
    const line = `| ${size} | ${(csv.length / 1024).toFixed(0)} KiB | ${generateMs.toFixed(0)} ms | ${parseMs.toFixed(0)} ms | ${insertMs.toFixed(0)} ms | ${exportMs.toFixed(0)} ms |`;
    console.log(line);
    rows.push(line);
  }
} finally {
  await database.close();
}
writeBenchSection('import', 'Module CSV import/export (PGlite in memory)', rows.join('\n'));
