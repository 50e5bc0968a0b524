/**
 * `relife twin predict --history CELL.csv --chemistry NMC|LFP|NCA|LMO --nominal-ah X --temperature-c T
 *   --dod D --c-rate C --calibrate-fraction F [--eol-fraction E] [--bootstrap B]
 *   [--select line|combined|in-history|fixed] [--second-life-from-cycle N | --retire-fraction R] --out PRED.json`
 * calibrates on the first fraction F of the history rows and writes P10/P50/P90 capacity for every
 * cycle of the history and beyond, to end of life (default 50 % of nominal), with what the
 * calibration chose and why.
 * `--select line` (default): the line form with its band; when the calibrated rows reach into the
 * second life (from `--second-life-from-cycle`, or else the first calibrated row below
 * `--retire-fraction` of nominal, default 0.8) the recalibration rule decides which checks the line
 * goes through. `combined`, `in-history`, `fixed`: the knee form's settings (docs/calibration.md).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { num } from './common.js';

export async function predictCommand(argv: string[], usage: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      history: { type: 'string' },
      chemistry: { type: 'string' },
      'nominal-ah': { type: 'string' },
      'temperature-c': { type: 'string' },
      dod: { type: 'string' },
      'c-rate': { type: 'string' },
      'calibrate-fraction': { type: 'string' },
      'eol-fraction': { type: 'string' },
      bootstrap: { type: 'string' },
      select: { type: 'string' },
      'second-life-from-cycle': { type: 'string' },
      'retire-fraction': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.history || !values.out) {
    (values.help ? console.log : console.error)(usage);
    return values.help ? 0 : 2;
  }
  const { calibrate, predict, SELECTION_MODES } = await import('../twin/calibration/index.js');
  const { CHEMISTRIES } = await import('../twin/types.js');
  const chemistry = (values.chemistry ?? '').toUpperCase();
  if (!(CHEMISTRIES as readonly string[]).includes(chemistry)) {
    throw new Error(`unknown chemistry "${values.chemistry ?? ''}" (--chemistry ${CHEMISTRIES.join('|')})`);
  }
  const nominalAh = num('nominal-ah', values['nominal-ah'], 1e-6, 1e6);
  const temperatureC = num('temperature-c', values['temperature-c'], -40, 90);
  const dod = num('dod', values.dod, 1e-6, 1);
  const cRate = num('c-rate', values['c-rate'], 1e-6, 20);
  const fraction = num('calibrate-fraction', values['calibrate-fraction'], 1e-6, 1);
  const eol = values['eol-fraction'] ? num('eol-fraction', values['eol-fraction'], 0.05, 0.99) : 0.5;
  const bootstrap = values.bootstrap ? num('bootstrap', values.bootstrap, 0, 5000) : 200;
  const select = (values.select ?? 'line') as (typeof SELECTION_MODES)[number];
  if (!SELECTION_MODES.includes(select)) throw new Error(`--select must be ${SELECTION_MODES.join(', ')}; got "${values.select}"`);
  if (values['second-life-from-cycle'] != null && values['retire-fraction'] != null) {
    throw new Error('give --second-life-from-cycle or --retire-fraction, not both');
  }
  if (select !== 'line' && (values['second-life-from-cycle'] != null || values['retire-fraction'] != null)) {
    throw new Error(`--second-life-from-cycle and --retire-fraction apply to --select line (this is ${select})`);
  }
  const retireFraction = values['retire-fraction'] ? num('retire-fraction', values['retire-fraction'], 0.05, 1) : 0.8;

  const rows: Record<string, string>[] = parse(await readFile(values.history, 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
  if (rows.length === 0) throw new Error(`${values.history}: empty history (need columns cycle,capacity_ah)`);
  for (const col of ['cycle', 'capacity_ah']) {
    if (!(col in rows[0]!)) throw new Error(`${values.history}: missing column "${col}" (need cycle,capacity_ah[,temperature_c])`);
  }
  const history = rows.map((r, i) => {
    const cycle = Number(r.cycle);
    const capacityAh = Number(r.capacity_ah);
    if (r.cycle === '' || !Number.isFinite(cycle)) throw new Error(`${values.history} row ${i + 2}: cycle "${r.cycle}" is not a number`);
    if (r.capacity_ah === '' || !Number.isFinite(capacityAh)) throw new Error(`${values.history} row ${i + 2}: capacity_ah "${r.capacity_ah}" is not a number`);
    if (capacityAh < 0) throw new Error(`${values.history} row ${i + 2}: negative capacity_ah ${capacityAh}`);
    const t = r.temperature_c === undefined || r.temperature_c === '' ? null : Number(r.temperature_c);
    return { cycle, relativeCapacity: capacityAh / nominalAh, temperatureC: t };
  });
  const nCal = Math.max(3, Math.floor(history.length * fraction));
  const calibrated = history.slice(0, nCal);
  // The second life starts where given, else at the first calibrated check below the retirement capacity.
  let secondLifeFromCycle: number | null = null;
  if (select === 'line') {
    if (values['second-life-from-cycle'] != null) secondLifeFromCycle = num('second-life-from-cycle', values['second-life-from-cycle'], 0, 1e9);
    else secondLifeFromCycle = calibrated.find((h) => h.relativeCapacity < retireFraction)?.cycle ?? null;
  }
  const cal = calibrate(calibrated, { chemistry: chemistry as 'NMC', temperatureC, dod, cRate }, { bootstrap, select, secondLifeFromCycle });

  // Every history cycle, then onwards at the history's median spacing until P50 reaches end of life.
  const cycles = history.map((h) => h.cycle);
  const gaps = cycles.slice(1).map((c, i) => c - cycles[i]!).sort((a, b) => a - b);
  const step = Math.max(1, gaps[Math.floor(gaps.length / 2)] ?? 1);
  let pred = predict(cal, cycles);
  const maxCycle = cycles[cycles.length - 1]! * 10 + 1000;
  let next = cycles[cycles.length - 1]!;
  while (pred.p50[pred.p50.length - 1]! > eol && next < maxCycle) {
    const extra: number[] = [];
    for (let k = 0; k < 200; k++) extra.push((next += step));
    pred = predict(cal, [...cycles, ...extra]);
    cycles.push(...extra);
  }
  let last = pred.p50.findIndex((q, i) => i >= history.length && q <= eol);
  if (last < 0) last = pred.p50.length - 1;
  const cut = (xs: number[]) => xs.slice(0, last + 1);
  const ah = (xs: number[]) => cut(xs).map((q) => q * nominalAh);
  const sel = cal.selection;
  const selection =
    sel.mode === 'line'
      ? {
          mode: sel.mode,
          fittedFrom: sel.fittedFrom,
          secondLifeFromCycle: sel.secondLifeFromCycle,
          secondLifeChecks: sel.secondLifeChecks,
          departureMeanZ: sel.departureMeanZ,
          rollingOrigin: sel.rollingOrigin,
          rateSdFraction: cal.rateSdFraction,
          reason: sel.reason,
        }
      : sel.mode === 'combined'
        ? {
            mode: sel.mode,
            reason: 'knee form: equal-weight combination of the 12 grid settings and the line (nothing chosen)',
            members: sel.members.map((m, k) => ({
              kind: m.kind,
              forgettingSpanFraction: m.kind === 'knee' && Number.isFinite(m.forgettingSpanFraction) ? m.forgettingSpanFraction : null,
              tauMaxCycles: m.kind === 'knee' ? m.tauMaxCycles : null,
              weight: cal.combination!.weights[k],
              parameters: Array.from(cal.combination!.members[k]!.theta),
            })),
          }
        : {
            mode: sel.mode,
            forgettingSpanFraction: Number.isFinite(sel.forgettingSpanFraction) ? sel.forgettingSpanFraction : null,
            tauMaxCycles: sel.tauMaxCycles,
            fallback: sel.validation?.fallback ?? false,
            reason:
              sel.mode === 'fixed'
                ? 'knee form at its fixed settings'
                : sel.validation?.fallback
                  ? 'knee form: too few checks for rolling-origin validation, fixed settings used'
                  : 'knee form: setting with the lowest rolling-origin error inside the history',
          };
  const out = {
    cycles: cut(pred.cycles),
    p50CapacityAh: ah(pred.p50),
    p10CapacityAh: ah(pred.p10),
    p90CapacityAh: ah(pred.p90),
    calibration: {
      rows: nCal,
      chemistry,
      form: cal.form,
      // line: [intercept, slope per 1000 cycles]; knee: [q0, A, ln τ, b, a] (src/twin/calibration/knee.ts); combined: null (see selection.members).
      parameters: cal.combination ? null : Array.from(cal.theta),
      fittedChecks: cal.points,
      capacityOffset: cal.capacityOffset,
      fitRmsePct: cal.rmse * 100,
      selection,
    },
  };
  await writeFile(values.out, JSON.stringify(out));
  console.error(
    `relife twin: calibrated on ${nCal}/${history.length} rows (${cal.form}; ${selection.reason}; fit RMSE ${(cal.rmse * 100).toFixed(2)} %), predicted ${out.cycles.length} cycles → ${values.out}`,
  );
  return 0;
}
