/**
 * DTLZ1 and DTLZ2 (Deb, Thiele, Laumanns & Zitzler 2005, "Scalable test problems for
 * evolutionary multiobjective optimization", in Evolutionary Multiobjective Optimization,
 * Springer, 105–145), M objectives, n = M + k − 1 variables in [0, 1]; k = 5 (DTLZ1) and
 * 10 (DTLZ2) as recommended there. True fronts: the simplex Σ f = 0.5 (DTLZ1) and the unit
 * sphere octant Σ f² = 1 (DTLZ2), sampled on a Das–Dennis lattice.
 */
import type { EvaluationBatch, Problem } from '../problem.js';
import { moduleUrl } from '../module-url.js';

export type DtlzName = 'dtlz1' | 'dtlz2';

export interface DtlzPayload {
  name: DtlzName;
  nObj?: number;
  nVar?: number;
}

export function createDtlz(payload: DtlzPayload): Problem<Float64Array> {
  const { name } = payload;
  if (name !== 'dtlz1' && name !== 'dtlz2') throw new Error(`createDtlz: unknown problem "${name}"`);
  const nObj = payload.nObj ?? 3;
  const nVar = payload.nVar ?? nObj + (name === 'dtlz1' ? 5 : 10) - 1;
  if (!Number.isInteger(nObj) || nObj < 2) throw new Error(`createDtlz: nObj must be an integer ≥ 2, got ${nObj}`);
  if (!Number.isInteger(nVar) || nVar < nObj) throw new Error(`createDtlz: nVar must be an integer ≥ nObj=${nObj}, got ${nVar}`);
  const k = nVar - nObj + 1;
  const m = nObj;
  const evaluate = ({ x, f, count }: EvaluationBatch<Float64Array>): void => {
    for (let i = 0; i < count; i++) {
      const o = i * nVar;
      const fo = i * m;
      let g = 0;
      if (name === 'dtlz1') {
        for (let j = nVar - k; j < nVar; j++) {
          const d = x[o + j] - 0.5;
          g += d * d - Math.cos(20 * Math.PI * d);
        }
        g = 100 * (k + g);
        for (let obj = 0; obj < m; obj++) {
          let v = 0.5 * (1 + g);
          for (let j = 0; j < m - 1 - obj; j++) v *= x[o + j];
          if (obj > 0) v *= 1 - x[o + m - 1 - obj];
          f[fo + obj] = v;
        }
      } else {
        for (let j = nVar - k; j < nVar; j++) {
          const d = x[o + j] - 0.5;
          g += d * d;
        }
        for (let obj = 0; obj < m; obj++) {
          let v = 1 + g;
          for (let j = 0; j < m - 1 - obj; j++) v *= Math.cos((x[o + j] * Math.PI) / 2);
          if (obj > 0) v *= Math.sin((x[o + m - 1 - obj] * Math.PI) / 2);
          f[fo + obj] = v;
        }
      }
    }
  };
  return {
    name,
    nVar,
    nObj,
    nCon: 0,
    variables: { kind: 'real', lower: new Float64Array(nVar), upper: new Float64Array(nVar).fill(1) },
    evaluate,
    source: { module: moduleUrl('./dtlz.js', import.meta.url), exportName: 'createDtlz', payload: { name, nObj, nVar }, key: `${name}:${nObj}:${nVar}` },
    paretoFront: (nPoints: number) => dtlzFront(name, nObj, nPoints),
  };
}

/** Das–Dennis lattice with the fewest partitions H giving at least nPoints points on the simplex. */
export function simplexLattice(nObj: number, nPoints: number): Float64Array {
  let h = 1;
  while (binomial(h + nObj - 1, nObj - 1) < nPoints) h++;
  const rows: number[][] = [];
  const current = new Array<number>(nObj).fill(0);
  const recurse = (j: number, left: number): void => {
    if (j === nObj - 1) {
      current[j] = left / h;
      rows.push(current.slice());
      return;
    }
    for (let v = 0; v <= left; v++) {
      current[j] = v / h;
      recurse(j + 1, left - v);
    }
  };
  recurse(0, h);
  return Float64Array.from(rows.flat());
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

export function dtlzFront(name: DtlzName, nObj: number, nPoints: number): Float64Array {
  const w = simplexLattice(nObj, nPoints);
  const n = w.length / nObj;
  for (let i = 0; i < n; i++) {
    if (name === 'dtlz1') {
      for (let j = 0; j < nObj; j++) w[i * nObj + j] *= 0.5;
    } else {
      let norm = 0;
      for (let j = 0; j < nObj; j++) norm += w[i * nObj + j] ** 2;
      norm = Math.sqrt(norm);
      for (let j = 0; j < nObj; j++) w[i * nObj + j] /= norm;
    }
  }
  return w;
}
