/**
 * CPU time of a 10-year `twin cell` projection per cell model, in a process of its own (run by
 * twin.bench.ts, as BLAST-Lite runs in its own). Inside the bench's process, after the
 * application kernel and the matrix had run, the NMC cell path once took 2.80 ms instead of
 * 1.17–1.19 ms in a fresh process (2026-12-02; V8's compiled code for the shared fade functions
 * depends on what ran before): a fresh process is also how `relife twin cell` runs.
 *
 * Prints one JSON line: { "<model id>": best CPU ms of 15, … } after 3 warm-up rounds of every model
 * (module loading is outside the timed calls, as BLAST-Lite's imports are outside its timing).
 * With `--first MODEL_ID`: { "<model id>": CPU ms } of the first projection in this process, the
 * one `relife twin cell` runs: V8 interprets it until the loop is compiled, and the CPU time counts
 * the compiler's background threads (2026-12-02, loaded machine: 15–42 ms for NCA and LMO against
 * 0.4–0.5 ms once compiled). BLAST-Lite's timed run is also its first in its process.
 */
import { pathToFileURL } from 'node:url';
import { simulateCellLife } from '../src/twin/cell-life.js';
import { CELL_MODELS } from '../src/twin/models/index.js';

/** The bench's day: C/2 charge to 95 % by 07:00, rest until 17:00, C/2 discharge by 0.8, rest; 25 °C; 10-minute points. */
export function benchDayProfile(): { timeS: Float64Array; soc: Float64Array; temperatureC: Float64Array; csv: string } {
  const n = 145;
  const profile = { timeS: new Float64Array(n), soc: new Float64Array(n), temperatureC: new Float64Array(n) };
  const csv = ['time_s,soc,temperature_c'];
  for (let i = 0; i < n; i++) {
    const h = i / 6;
    const soc = h <= 5.4 ? 0.15 : h <= 7 ? 0.15 + (h - 5.4) * 0.5 : h <= 17 ? 0.95 : h <= 18.6 ? 0.95 - (h - 17) * 0.5 : 0.15;
    profile.timeS[i] = i * 600;
    profile.soc[i] = soc;
    profile.temperatureC[i] = 25;
    csv.push(`${i * 600},${soc.toFixed(9)},25`);
  }
  return { ...profile, csv: csv.join('\n') + '\n' };
}

function timeEveryModel(): Record<string, number> {
  const profile = benchDayProfile();
  for (let r = 0; r < 3; r++) for (const m of Object.values(CELL_MODELS)) simulateCellLife(m, profile, { years: 10 });
  const out: Record<string, number> = {};
  for (const m of Object.values(CELL_MODELS)) {
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 15; r++) {
      const c0 = process.cpuUsage();
      simulateCellLife(m, profile, { years: 10 });
      const c = process.cpuUsage(c0);
      best = Math.min(best, (c.user + c.system) / 1000);
    }
    out[m.id] = best;
  }
  return out;
}

function timeFirstCall(id: string): Record<string, number> {
  const m = Object.values(CELL_MODELS).find((x) => x.id === id);
  if (!m) throw new Error(`unknown cell model ${id}`);
  const profile = benchDayProfile();
  const c0 = process.cpuUsage();
  simulateCellLife(m, profile, { years: 10 });
  const c = process.cpuUsage(c0);
  return { [id]: (c.user + c.system) / 1000 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const first = process.argv.indexOf('--first');
  console.log(JSON.stringify(first > 0 ? timeFirstCall(process.argv[first + 1]!) : timeEveryModel()));
}
