/**
 * The default prognosis on the four HNEI cells (test/fixtures/hnei/, every check): calibrated on a
 * cell's first life it forecasts the second life no worse than the straight line, its P10–P90
 * holds 70–90 % of the second-life checks (with κ as committed and with κ chosen on the other
 * three cells), and recalibrated with part of the second life it is no worse than the better of
 * the line through every check and the line through the second-life checks. Also on every 3rd
 * check (thinning). The former default (knee combination) fails the recalibration check; a test
 * shows it.
 */
import { describe, expect, it } from 'vitest';
import { calibrate, predict, type CalibrateOptions, type CalibrationPrior, type CapacityCheck } from '../../src/twin/calibration/index.js';
import {
  fitLine,
  leaveOneCellOutCoverage,
  median,
  pooledScore,
  recalibrationSplit,
  rmseOf,
  scoreBand,
  scoreLine,
  splitLives,
  thin,
  type BandScore,
} from '../../src/twin/calibration/evaluate.js';
import type { LineSelection } from '../../src/twin/calibration/select.js';
import { HNEI_TRAIN, hneiCells } from '../helpers/hnei-cells.js';

const PRIOR: CalibrationPrior = { chemistry: 'NMC', temperatureC: 25, dod: 1, cRate: 1.5 };
const cells = hneiCells(HNEI_TRAIN);
const cellsAt = (every: number) => cells.map((c) => splitLives(thin(c.checks, every)));

function score(history: readonly CapacityCheck[], future: readonly CapacityCheck[], opts: CalibrateOptions = {}): BandScore {
  const cal = calibrate(history, PRIOR, { bootstrap: 200, seed: 1, ...opts });
  return scoreBand(future, predict(cal, future.map((p) => p.cycle)));
}

/**
 * Recalibration tolerance: 0.1 point of RMSE on the median over the four cells. The rule picks
 * one of the two lines from the history alone, so on a cell where it picks the other one it can
 * lose to hindsight; 0.1 point is below the spread the line itself shows under thinning on these
 * cells (median 2.52 → 2.58 % from every check to every 3rd) and well below the gaps the former
 * default opened (8.2 vs 2.6 % on cells outside the project).
 */
const RECAL_TOLERANCE = 0.001;

function recalibration(every: number, fraction: number, opts: CalibrateOptions = {}) {
  const out = { rule: [] as number[], all: [] as number[], second: [] as number[], fittedFrom: [] as string[] };
  for (const c of cellsAt(every)) {
    const s = recalibrationSplit(c.firstLife, c.secondLife, fraction);
    expect(s.known.length).toBeGreaterThan(20);
    const cal = calibrate(s.history, PRIOR, { bootstrap: 50, seed: 1, ...(opts.select ? {} : { secondLifeFromCycle: s.secondLifeFromCycle }), ...opts });
    out.rule.push(rmseOf(scoreBand(s.future, predict(cal, s.future.map((p) => p.cycle)))));
    out.all.push(rmseOf(scoreLine(fitLine(s.history), s.future)));
    out.second.push(rmseOf(scoreLine(fitLine(s.known), s.future)));
    if (cal.selection.mode === 'line') out.fittedFrom.push(cal.selection.fittedFrom);
  }
  return out;
}

describe('default prognosis on the four HNEI cells', () => {
  for (const every of [1, 3]) {
    const label = every === 1 ? 'every check' : 'every 3rd check';

    it(`${label}: first life → second life, median P50 RMSE no worse than the straight line; P10–P90 holds 70–90 %`, () => {
      const cells = cellsAt(every);
      const dflt = cells.map((c) => score(c.firstLife, c.secondLife));
      const line = cells.map((c) => rmseOf(scoreLine(fitLine(c.firstLife), c.secondLife)));
      expect(median(dflt.map(rmseOf))).toBeLessThanOrEqual(median(line) + 1e-9);
      const p = pooledScore(dflt);
      expect(p.inside / p.n).toBeGreaterThanOrEqual(0.7);
      expect(p.inside / p.n).toBeLessThanOrEqual(0.9);
    });

    it(`${label}: κ chosen on three cells holds 70–90 % of the fourth's second-life checks (leave-one-cell-out)`, () => {
      const cells = cellsAt(every);
      const grid = Array.from({ length: 11 }, (_, i) => i * 0.05);
      const band = cells.map((c) => grid.map((rateSdFraction) => score(c.firstLife, c.secondLife, { rateSdFraction, bootstrap: 50 })));
      const folds = leaveOneCellOutCoverage(cells, grid.length, (c, g) => band[cells.indexOf(c)]![g]!);
      const held = pooledScore(folds.map((f) => band[f.cell]![f.chosen]!));
      expect(held.inside / held.n).toBeGreaterThanOrEqual(0.7);
      expect(held.inside / held.n).toBeLessThanOrEqual(0.9);
      // κ = 0 (bootstrap and noise only) is far too narrow: the rate term is what makes the band honest.
      const none = pooledScore(band.map((b) => b[0]!));
      expect(none.inside / none.n).toBeLessThan(0.4);
    });

    for (const fraction of [0.25, 0.5]) {
      it(`${label}: recalibrated after ${100 * fraction} % of the second life, no worse than the better of the two lines (median, ±0.1 point)`, () => {
        const r = recalibration(every, fraction);
        const better = Math.min(median(r.all), median(r.second));
        expect(median(r.rule)).toBeLessThanOrEqual(better + RECAL_TOLERANCE);
      });
    }
  }

  it('the former default (knee combination) fails the recalibration check: recalibrated after 25 % of the second life it is worse than the line through every check', () => {
    // Every 3rd check (the cost of 4 combinations); bench/calibration.bench.ts: 3.12 % against
    // 2.60 % (line through every check) and 3.59 % (second-life line); every check 3.78 % vs 2.61 %.
    const recal = recalibration(3, 0.25, { select: 'combined' });
    const better = Math.min(median(recal.all), median(recal.second));
    expect(median(recal.rule)).toBeGreaterThan(better + RECAL_TOLERANCE);
  }, 900_000);
});

describe('recalibration rule on the HNEI cells', () => {
  it('their second lives age at their first lives\' pace: the rule keeps the line through every check (mean z within ±2)', () => {
    for (const fraction of [0.25, 0.5]) {
      for (const c of cellsAt(1)) {
        const s = recalibrationSplit(c.firstLife, c.secondLife, fraction);
        const sel = calibrate(s.history, PRIOR, { bootstrap: 0, secondLifeFromCycle: s.secondLifeFromCycle }).selection as LineSelection;
        expect(sel.fittedFrom).toBe('every-check');
        expect(Math.abs(sel.departureMeanZ!)).toBeLessThan(2);
        expect(sel.reason).toMatch(/within the first life's forecast band/);
      }
    }
  });
});
