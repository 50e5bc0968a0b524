/**
 * ZDT test suite (Zitzler, Deb & Thiele 2000, Evolutionary Computation 8(2) 173–195), two
 * objectives, real variables. Definitions and true fronts follow the paper; ZDT3's front pieces
 * are the f1 intervals where 1 − √f1 − f1 sin(10π f1) is non-dominated.
 */
import type { EvaluationBatch, Problem } from '../problem.js';
import { moduleUrl } from '../module-url.js';

export type ZdtName = 'zdt1' | 'zdt2' | 'zdt3' | 'zdt4' | 'zdt6';

export interface ZdtPayload {
  name: ZdtName;
  /** Number of variables; paper defaults: 30 (ZDT1–3), 10 (ZDT4, ZDT6). */
  nVar?: number;
}

export const ZDT_DEFAULT_NVAR: Record<ZdtName, number> = { zdt1: 30, zdt2: 30, zdt3: 30, zdt4: 10, zdt6: 10 };

/** f1 intervals of ZDT3's disconnected front. */
const ZDT3_PIECES: Array<[number, number]> = [
  [0, 0.0830015349],
  [0.1822287280, 0.2577623634],
  [0.4093136748, 0.4538821041],
  [0.6183967944, 0.6525117038],
  [0.8233317983, 0.8518328654],
];

/** Left end of ZDT6's front: f1 = 1 − exp(−4 x1) sin⁶(6π x1) has its minimum over [0, 1] there. */
const ZDT6_F1_MIN = 0.2807753191;

export function createZdt(payload: ZdtPayload): Problem<Float64Array> {
  const { name } = payload;
  if (!(name in ZDT_DEFAULT_NVAR)) throw new Error(`createZdt: unknown problem "${name}"`);
  const nVar = payload.nVar ?? ZDT_DEFAULT_NVAR[name];
  if (!Number.isInteger(nVar) || nVar < 2) throw new Error(`createZdt: nVar must be an integer ≥ 2, got ${nVar}`);
  const lower = new Float64Array(nVar);
  const upper = new Float64Array(nVar).fill(1);
  if (name === 'zdt4') {
    lower.fill(-5, 1);
    upper.fill(5, 1);
  }
  const evaluateRow = ROW[name];
  return {
    name,
    nVar,
    nObj: 2,
    nCon: 0,
    variables: { kind: 'real', lower, upper },
    evaluate({ x, f, count }: EvaluationBatch<Float64Array>): void {
      for (let i = 0; i < count; i++) evaluateRow(x, i * nVar, nVar, f, 2 * i);
    },
    source: { module: moduleUrl('./zdt.js', import.meta.url), exportName: 'createZdt', payload: { name, nVar }, key: `${name}:${nVar}` },
    paretoFront: (nPoints: number) => zdtFront(name, nPoints),
  };
}

type RowFn = (x: Float64Array, o: number, n: number, f: Float64Array, fo: number) => void;

function sumTail(x: Float64Array, o: number, n: number): number {
  let s = 0;
  for (let j = 1; j < n; j++) s += x[o + j];
  return s;
}

const ROW: Record<ZdtName, RowFn> = {
  zdt1(x, o, n, f, fo) {
    const f1 = x[o];
    const g = 1 + (9 * sumTail(x, o, n)) / (n - 1);
    f[fo] = f1;
    f[fo + 1] = g * (1 - Math.sqrt(f1 / g));
  },
  zdt2(x, o, n, f, fo) {
    const f1 = x[o];
    const g = 1 + (9 * sumTail(x, o, n)) / (n - 1);
    const r = f1 / g;
    f[fo] = f1;
    f[fo + 1] = g * (1 - r * r);
  },
  zdt3(x, o, n, f, fo) {
    const f1 = x[o];
    const g = 1 + (9 * sumTail(x, o, n)) / (n - 1);
    const r = f1 / g;
    f[fo] = f1;
    f[fo + 1] = g * (1 - Math.sqrt(r) - r * Math.sin(10 * Math.PI * f1));
  },
  zdt4(x, o, n, f, fo) {
    const f1 = x[o];
    let s = 0;
    for (let j = 1; j < n; j++) {
      const v = x[o + j];
      s += v * v - 10 * Math.cos(4 * Math.PI * v);
    }
    const g = 1 + 10 * (n - 1) + s;
    f[fo] = f1;
    f[fo + 1] = g * (1 - Math.sqrt(f1 / g));
  },
  zdt6(x, o, n, f, fo) {
    const x1 = x[o];
    const f1 = 1 - Math.exp(-4 * x1) * Math.pow(Math.sin(6 * Math.PI * x1), 6);
    const g = 1 + 9 * Math.pow(sumTail(x, o, n) / (n - 1), 0.25);
    const r = f1 / g;
    f[fo] = f1;
    f[fo + 1] = g * (1 - r * r);
  },
};

/** nPoints of the true front (row-major nPoints × 2), evenly spaced in f1 over each piece. */
export function zdtFront(name: ZdtName, nPoints: number): Float64Array {
  const out = new Float64Array(2 * nPoints);
  if (name === 'zdt3') {
    const total = ZDT3_PIECES.reduce((s, [a, b]) => s + (b - a), 0);
    for (let i = 0; i < nPoints; i++) {
      // Spread the points over the pieces in proportion to their f1 length.
      let t = nPoints === 1 ? 0 : (i / (nPoints - 1)) * total;
      let f1 = ZDT3_PIECES[ZDT3_PIECES.length - 1][1];
      for (const [a, b] of ZDT3_PIECES) {
        if (t <= b - a) {
          f1 = a + t;
          break;
        }
        t -= b - a;
      }
      out[2 * i] = f1;
      out[2 * i + 1] = 1 - Math.sqrt(f1) - f1 * Math.sin(10 * Math.PI * f1);
    }
    return out;
  }
  const from = name === 'zdt6' ? ZDT6_F1_MIN : 0;
  for (let i = 0; i < nPoints; i++) {
    const f1 = from + (nPoints === 1 ? 0 : (i / (nPoints - 1)) * (1 - from));
    out[2 * i] = f1;
    out[2 * i + 1] = name === 'zdt2' || name === 'zdt6' ? 1 - f1 * f1 : 1 - Math.sqrt(f1);
  }
  return out;
}
