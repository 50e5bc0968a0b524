/**
 * The standard operators for a problem's variable kind: SBX + polynomial mutation for real
 * variables, uniform crossover + random reset for integer ones.
 */
import type { CrossoverOperator, Genome, MutationOperator, Problem } from '../problem.js';
import { sbx } from './sbx.js';
import { polynomialMutation } from './polynomial-mutation.js';
import { uniformCrossover } from './uniform-crossover.js';
import { randomReset } from './random-reset.js';

export interface OperatorSettings {
  crossoverProbability?: number;
  crossoverEta?: number;
  mutationProbability?: number;
  mutationEta?: number;
}

export function defaultCrossover<G extends Genome>(problem: Problem<G>, o: OperatorSettings): CrossoverOperator<G> {
  const v = problem.variables;
  if (v.kind === 'real') return sbx({ lower: v.lower, upper: v.upper, eta: o.crossoverEta, probability: o.crossoverProbability }) as unknown as CrossoverOperator<G>;
  return uniformCrossover({ nVar: problem.nVar, probability: o.crossoverProbability }) as unknown as CrossoverOperator<G>;
}

export function defaultMutation<G extends Genome>(problem: Problem<G>, o: OperatorSettings): MutationOperator<G> {
  const v = problem.variables;
  if (v.kind === 'real') return polynomialMutation({ lower: v.lower, upper: v.upper, eta: o.mutationEta, probability: o.mutationProbability }) as unknown as MutationOperator<G>;
  return randomReset({ variables: v, nVar: problem.nVar, probability: o.mutationProbability }) as unknown as MutationOperator<G>;
}
