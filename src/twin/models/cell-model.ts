/**
 * What every fitted cell model of the twin declares beside its equations (BLAST-Lite layout: one
 * file per model, `src/twin/models/*.ts`): parameters, source, valid range, limitations, and the
 * stressors → rates → states → outputs functions `cell-life.ts` runs over a repeating profile.
 */
import type { Chemistry } from '../types.js';
import type { IntervalStressors } from '../stressors/day-profile.js';

export type CellModelId = 'nmc-kokam-75ah' | 'lfp-sony-murata-3ah' | 'nca-panasonic-3ah' | 'lmo-nissan-leaf-2nd-life';

/** Conditions of the ageing tests the model was fitted on (BLAST-Lite `experimental_range`). */
export interface ValidRange {
  cyclingTemperatureC: readonly [number, number];
  calendarTemperatureC: readonly [number, number];
  dod: readonly [number, number];
  soc: readonly [number, number];
  maxChargeCRate: number;
  maxDischargeCRate: number;
}

export interface CellModel {
  id: CellModelId;
  chemistry: Chemistry;
  label: string;
  /** Papers of the data and of the model, and the BLAST-Lite file it is published in. */
  sources: readonly string[];
  validRange: ValidRange;
  limitations: readonly string[];
  /** `proxy`: the model has no resistance growth; the twin's stand-in is described in `resistanceProxy`. */
  resistance: 'fitted' | 'proxy';
  resistanceProxy?: string;
  /** Capacity of the cell when the model's clock starts, as a fraction of new (second-life LMO: 0.7). */
  startCapacityOfNew: number;
  stateNames: readonly string[];
  rateNames: readonly string[];
  /** Time-averaged rates of one update interval. */
  rates(s: IntervalStressors, out: Float64Array): void;
  /** Doubles of `carry` the model's state steps keep between intervals (states/state-equations.ts `POWER_CARRY` per carried power law). */
  carrySize: number;
  /** Advance the states over one interval (BLAST-Lite's update, see states/state-equations.ts); `carry` starts as zeros. */
  updateStates(states: Float64Array, rates: Float64Array, s: IntervalStressors, carry: Float64Array): void;
  /** [relative capacity, relative resistance], both 1 at the model's start. */
  outputs(states: Float64Array, out: Float64Array): void;
}
