/**
 * Which solution of a front a planner means by `knee`, `max-storage`, `min-cost`, `min-fade` or
 * an index. Ties break towards the lower index (the front is sorted by storage-years, best first).
 */
import type { FrontSolution } from './allocation-types.js';

export const PICKS = ['knee', 'max-storage', 'min-cost', 'min-fade'] as const;
export type SolutionPick = (typeof PICKS)[number] | number;

export function parsePick(text: string): SolutionPick {
  if ((PICKS as readonly string[]).includes(text)) return text as SolutionPick;
  if (/^\d+$/.test(text)) return Number(text);
  throw new Error(`--pick must be one of ${PICKS.join(', ')} or a solution index, got "${text}"`);
}

export function pickSolution(front: readonly Pick<FrontSolution, 'objectives'>[], kneeIndex: number, pick: SolutionPick): number {
  if (front.length === 0) throw new Error('the front is empty: there is no solution to pick');
  if (typeof pick === 'number') {
    if (!Number.isInteger(pick) || pick < 0 || pick >= front.length) throw new Error(`--pick ${pick}: the front has solutions 0–${front.length - 1}`);
    return pick;
  }
  if (pick === 'knee') return kneeIndex >= 0 && kneeIndex < front.length ? kneeIndex : 0;
  const k = pick === 'max-storage' ? 0 : pick === 'min-fade' ? 1 : 2;
  const better = (x: number, y: number) => (k === 0 ? x > y : x < y);
  let best = 0;
  for (let i = 1; i < front.length; i++) if (better(front[i]!.objectives[k], front[best]!.objectives[k])) best = i;
  return best;
}
