/** The fitted cell model of each accepted chemistry (one file per model in this folder). */
import type { Chemistry } from '../types.js';
import type { CellModel } from './cell-model.js';
import { lfpSonyMurata3Ah } from './lfp-sony-murata-3ah.js';
import { lmoNissanLeaf2ndLife } from './lmo-nissan-leaf-2nd-life.js';
import { ncaPanasonic3Ah } from './nca-panasonic-3ah.js';
import { nmcKokam75Ah } from './nmc-kokam-75ah.js';

export type { CellModel, CellModelId, ValidRange } from './cell-model.js';

export const CELL_MODELS: Readonly<Record<Chemistry, CellModel>> = {
  NMC: nmcKokam75Ah,
  LFP: lfpSonyMurata3Ah,
  NCA: ncaPanasonic3Ah,
  LMO: lmoNissanLeaf2ndLife,
};

export function cellModelFor(chemistry: Chemistry | string): CellModel {
  const m = (CELL_MODELS as Record<string, CellModel>)[chemistry];
  if (!m) throw new Error(`unknown chemistry "${String(chemistry)}" (expected one of ${Object.keys(CELL_MODELS).join(', ')})`);
  return m;
}
