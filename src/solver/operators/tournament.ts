/**
 * Binary tournament on the crowded-comparison operator (Deb et al. 2002, §III-C): the lower rank
 * wins (ranks already encode constrained domination), then the larger crowding distance, then a
 * coin flip. Contestants are drawn from successive random permutations, so each individual takes
 * part in two tournaments per permutation pair, as in Deb's reference code.
 */
import type { Random } from '../random.js';

/**
 * Fills winners[0..count) with row indices of the N parents (rows 0..N-1). `perm` is scratch of
 * length ≥ N.
 */
export function binaryTournament(rank: Int32Array, crowding: Float64Array, n: number, winners: Int32Array, count: number, perm: Int32Array, rng: Random): void {
  if (n === 1) {
    winners.fill(0, 0, count);
    return;
  }
  let k = n; // forces a fresh permutation
  for (let w = 0; w < count; w++) {
    if (k + 1 >= n) {
      rng.permutation(perm, n);
      k = 0;
    }
    const a = perm[k];
    const b = perm[k + 1];
    k += 2;
    let winner: number;
    if (rank[a] !== rank[b]) winner = rank[a] < rank[b] ? a : b;
    else if (crowding[a] !== crowding[b]) winner = crowding[a] > crowding[b] ? a : b;
    else winner = rng.next() < 0.5 ? a : b;
    winners[w] = winner;
  }
}

/**
 * Binary tournament of constrained NSGA-III (Jain & Deb 2014, IEEE TEVC 18(4) 602–622, §III):
 * a feasible contestant beats an infeasible one, of two infeasible ones the smaller total
 * violation wins, and between two feasible ones a coin flip decides (unconstrained NSGA-III
 * selects parents at random, Deb & Jain 2014, §IV-F). Same pairing scheme as `binaryTournament`.
 */
export function feasibilityTournament(cv: Float64Array, n: number, winners: Int32Array, count: number, perm: Int32Array, rng: Random): void {
  if (n === 1) {
    winners.fill(0, 0, count);
    return;
  }
  let k = n;
  for (let w = 0; w < count; w++) {
    if (k + 1 >= n) {
      rng.permutation(perm, n);
      k = 0;
    }
    const a = perm[k];
    const b = perm[k + 1];
    k += 2;
    winners[w] = cv[a] !== cv[b] ? (cv[a] < cv[b] ? a : b) : rng.next() < 0.5 ? a : b;
  }
}
