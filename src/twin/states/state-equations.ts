/**
 * State equations of BLAST-Lite's models (github.com/NREL/BLAST-Lite, degradation_model.py,
 * `_update_power_state`, `_update_power_B_state`, `_update_sigmoid_state`): each state follows a
 * trajectory equation at fixed stress, and a change of stress keeps the state continuous by
 * restarting the trajectory at the virtual time that gives the present value. BLAST-Lite takes one
 * explicit step of the state equation per update interval (a day, or one period of the input);
 * these functions return the same increment, so `cell-life.ts` integrates as the reference does.
 *
 * That explicit step is a numerical scheme, not part of the fitted models: over N equal steps at
 * constant stress a power law y = k·x^p grows by Π(1 + p/n) instead of N^p, which tends to
 * 1/Γ(1 + p) times the closed form (+12.7 % for p = 0.357, −5.5 % for p = 1.128). The application
 * kernel (fade.ts, simulate.ts) integrates the closed forms exactly; docs/twin-models.md gives the
 * size of the difference.
 */

/** Increment of y = k·x^p over dx from y0 (state equation dy/dx = k·p·(y/k)^((p−1)/p)). */
export function powerStateIncrement(y0: number, dx: number, k: number, p: number): number {
  if (dx === 0) return 0;
  if (y0 === 0) return k * Math.exp(p * Math.log(dx));
  // (y0/k)^((p−1)/p) by exp/log: V8's general pow is several times slower on this path.
  return k * p * Math.exp(((p - 1) / p) * Math.log(y0 / k)) * dx;
}

/** Increment of y = (k·x)^p over dx from y0 (dy/dx = p·(k·z)^p/z, z = y^(1/p)/k). */
export function powerBStateIncrement(y0: number, dx: number, k: number, p: number): number {
  if (dx === 0) return 0;
  if (y0 === 0) return (k * dx) ** p;
  const z = y0 ** (1 / p) / k;
  return ((p * (k * z) ** p) / z) * dx;
}

/** Increment of the sigmoid y = 2·y∞·(½ − 1/(1 + exp((k·x)^p))) over dx from y0. */
export function sigmoidStateIncrement(y0: number, dx: number, yInf: number, k: number, p: number): number {
  if (dx === 0) return 0;
  if (y0 === 0) return 2 * yInf * (0.5 - 1 / (1 + Math.exp((k * dx) ** p)));
  const xInv = (1 / k) * Math.log(-((2 * yInf) / (y0 - yInf)) - 1) ** (1 / p);
  const z = (k * xInv) ** p;
  const ez = Math.exp(z);
  return ((2 * yInf * p * ez * z) / (xInv * (ez + 1) ** 2)) * dx;
}
