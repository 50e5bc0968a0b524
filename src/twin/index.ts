/**
 * Public face of the digital twin (pure: no I/O). Callers import from here.
 *  - simulate(module, app, envelope, opts?) → { trajectory, summary }
 *  - modulePrior(module) + simulateSummaryInto(...) for the fast summary-only path
 *  - simulateCellLife(CELL_MODELS[chemistry], profile, { years }) → a fresh cell under a repeating profile (cell-life.ts)
 *  - computeTwinMatrixRange / TwinMatrix (matrix.ts), healthScore (health.ts),
 *    calibrate / predict (calibration/), calibrateModule (module-calibration.ts)
 */
export * from './types.js';
export * from './requirements.js';
export * from './chemistry.js';
export * from './fade.js';
export * from './thermal.js';
export * from './validate.js';
export * from './prior.js';
export * from './simulate.js';
export * from './cell-life.js';
export { CELL_MODELS, cellModelFor } from './models/index.js';
export type { CellModel, CellModelId, ValidRange } from './models/index.js';
export type { SocProfile } from './stressors/day-profile.js';
export * from './matrix.js';
export * from './health.js';
export * from './calibration/index.js';
export { calibrateModule, simulateStoredModule, validateMeasurement, type ModuleMeasurement } from './module-calibration.js';
