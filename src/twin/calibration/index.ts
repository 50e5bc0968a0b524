/**
 * Calibration of measured capacity histories, one file per piece:
 *   history.ts    the checks and what every form shares
 *   line.ts       line form (default) and its band's rate uncertainty κ
 *   knee.ts       knee form (break-in, linear, self-reinforcing loss)
 *   blast-form.ts the chemistry's BLAST-Lite model with fitted factor and exponent
 *   fitter.ts     bounded Levenberg–Marquardt
 *   bootstrap.ts  moving-block bootstrap bands
 *   select.ts     recalibration rule, knee settings, combination
 *   calibrate.ts  calibrate / predict
 *   evaluate.ts   scoring against what followed (bench and tests)
 *   stored.ts     a module's stored calibration, read without the calibrator
 */
export { calibrate, predict, type CalibrateOptions, type CalibrationForm, type CalibrationPrior, type CalibrationResult, type Prediction, type PredictOptions } from './calibrate.js';
export type { CapacityCheck } from './history.js';
export { LINE_RATE_SD_FRACTION, leastSquaresLine } from './line.js';
export {
  COMBINATION_MEMBERS,
  DEPARTURE_MEAN_Z,
  FIXED_POINT,
  MIN_SECOND_LIFE_CHECKS,
  SELECTION_GRID,
  SELECTION_MODES,
  chooseLineWindow,
  type CalibrationSelection,
  type CombinationMember,
  type CombinedSelection,
  type GridPoint,
  type LineSelection,
  type PointSelection,
  type SelectionMode,
} from './select.js';
export { moduleAtLatestCheck, parseModuleCalibration, type ModuleCalibration } from './stored.js';
