/**
 * The HNEI cells of the fixtures (test/fixtures/hnei/README.md: source and licence), read the
 * one way tests and benchmarks read them: `cell,cycle,relative_capacity` rows → one list of
 * capacity checks per cell, cells and checks in file order.
 */
import { readFileSync } from 'node:fs';
import type { CapacityCheck } from '../../src/twin/calibration/index.js';

/** Every check of the four cells (the training file). */
export const HNEI_TRAIN = new URL('../fixtures/hnei/real-cells-train.csv', import.meta.url);
/** A committed subset of cells 0 and 2 (test/fixtures/hnei-cells-subset.md). */
export const HNEI_SUBSET = new URL('../fixtures/hnei-cells-subset.csv', import.meta.url);
/** Every third check of the four cells (test/twin/fixtures/hnei-four-cells-every-third.md). */
export const HNEI_EVERY_THIRD = new URL('../twin/fixtures/hnei-four-cells-every-third.csv', import.meta.url);

export interface HneiCell {
  id: number;
  checks: CapacityCheck[];
}

export function hneiCells(file: URL): HneiCell[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  if (header?.trim() !== 'cell,cycle,relative_capacity') throw new Error(`${file.pathname}: expected the header cell,cycle,relative_capacity, got "${header}"`);
  const cells = new Map<number, CapacityCheck[]>();
  for (const line of lines) {
    const [cell, cycle, relativeCapacity] = line.split(',').map(Number) as [number, number, number];
    let checks = cells.get(cell);
    if (!checks) cells.set(cell, (checks = []));
    checks.push({ cycle, relativeCapacity });
  }
  return [...cells].map(([id, checks]) => ({ id, checks }));
}

/** The checks of one cell. */
export function hneiCell(file: URL, id: number): CapacityCheck[] {
  const cell = hneiCells(file).find((c) => c.id === id);
  if (!cell) throw new Error(`${file.pathname}: no cell ${id}`);
  return cell.checks;
}
