/**
 * Crowding distance (Deb et al. 2002, IEEE TEC 6(2), §III-B): for each objective, members of a
 * front sorted by that objective get (f[next] − f[prev]) / (f_max − f_min) added; the two
 * boundary members get +∞. An objective with f_max = f_min over the front adds nothing.
 */

/**
 * Writes crowding[row] for the `count` rows listed in members[start..start+count) (one front).
 * `order` is scratch of length ≥ count.
 */
export function crowdingDistance(f: Float64Array, nObj: number, members: Int32Array, start: number, count: number, crowding: Float64Array, order: Int32Array): void {
  for (let i = 0; i < count; i++) crowding[members[start + i]] = 0;
  if (count <= 2) {
    for (let i = 0; i < count; i++) crowding[members[start + i]] = Number.POSITIVE_INFINITY;
    return;
  }
  const view = order.subarray(0, count);
  for (let m = 0; m < nObj; m++) {
    for (let i = 0; i < count; i++) view[i] = members[start + i];
    view.sort((a, b) => f[a * nObj + m] - f[b * nObj + m] || a - b);
    const lo = f[view[0] * nObj + m];
    const hi = f[view[count - 1] * nObj + m];
    crowding[view[0]] = Number.POSITIVE_INFINITY;
    crowding[view[count - 1]] = Number.POSITIVE_INFINITY;
    const range = hi - lo;
    if (!(range > 0)) continue;
    for (let i = 1; i < count - 1; i++) {
      const row = view[i];
      crowding[row] += (f[view[i + 1] * nObj + m] - f[view[i - 1] * nObj + m]) / range;
    }
  }
}
