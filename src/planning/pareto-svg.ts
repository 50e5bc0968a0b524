/**
 * A self-contained SVG picture of a three-objective Pareto front: the three pairwise projections
 * side by side, each with ticked axes labelled with the objective name and unit, the front's
 * points, the knee solution highlighted and reference plans (baselines) drawn as labelled markers.
 * Pure: data in, string out (no fonts, scripts or external references, so any browser renders it).
 */

export interface ParetoPicture {
  title: string;
  /** Exactly three objective names, e.g. ['Storage service', 'Mean fade', 'Cost']. */
  objectiveNames: readonly string[];
  /** Unit of each objective, shown on its axis, e.g. 'kWh·yr'. */
  objectiveUnits: readonly string[];
  /** Front points: one row per solution, three values each (reporting units). */
  points: readonly (readonly number[])[];
  kneeIndex: number | null;
  /** Reference plans; an infeasible one (breaks a capacity or twin rule) is drawn hollow. */
  baselines: readonly { name: string; objectives: readonly number[]; feasible?: boolean }[];
}

const PANEL_SIZE_PX = 300;
const MARGIN = { left: 78, right: 18, top: 42, bottom: 58 } as const;
const PANEL_GAP_PX = 16;
const LEGEND_HEIGHT_PX = 34;
const PAIRS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
];
const BASELINE_COLOURS = ['#1b7837', '#762a83', '#e08214', '#2166ac'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round numbers for axis ticks covering [min, max] (Heckbert's "nice numbers", Graphics Gems 1990). */
export function niceTicks(min: number, max: number, targetCount = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.05;
    min -= pad;
    max += pad;
  }
  const span = niceNumber(max - min, false);
  const step = niceNumber(span / Math.max(1, targetCount - 1), true);
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= last + step * 0.5; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function niceNumber(x: number, round: boolean): number {
  const exponent = Math.floor(Math.log10(x));
  const fraction = x / 10 ** exponent;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(1);
  if (a >= 1e3) return `${Number((v / 1e3).toPrecision(4))}k`;
  return String(Number(v.toPrecision(4)));
}

interface Scale {
  ticks: number[];
  toPx(v: number): number;
}

function linearScale(values: number[], fromPx: number, toPx: number): Scale {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const ticks = niceTicks(lo, hi);
  const t0 = ticks[0] ?? lo;
  const t1 = ticks[ticks.length - 1] ?? hi;
  const span = t1 - t0 || 1;
  return { ticks, toPx: (v) => fromPx + ((v - t0) / span) * (toPx - fromPx) };
}

function validate(p: ParetoPicture): void {
  if (p.objectiveNames.length !== 3 || p.objectiveUnits.length !== 3) {
    throw new Error(`pareto picture needs 3 objective names and units, got ${p.objectiveNames.length}/${p.objectiveUnits.length}`);
  }
  p.points.forEach((row, i) => {
    if (row.length !== 3) throw new Error(`pareto picture: point ${i} has ${row.length} objectives, expected 3`);
  });
  p.baselines.forEach((b) => {
    if (b.objectives.length !== 3) throw new Error(`pareto picture: baseline "${b.name}" has ${b.objectives.length} objectives, expected 3`);
  });
  if (p.kneeIndex !== null && (p.kneeIndex < 0 || p.kneeIndex >= p.points.length)) {
    throw new Error(`pareto picture: knee index ${p.kneeIndex} outside the front (size ${p.points.length})`);
  }
}

/** A small label beside a marker, on the side with room so it is not clipped by the panel edge. */
function labelNear(x: number, y: number, left: number, right: number, text: string, colour: string): string {
  const towardsLeft = x > left + (right - left) * 0.65;
  const lx = towardsLeft ? x - 8 : x + 8;
  return `<text x="${lx.toFixed(1)}" y="${(y - 6).toFixed(1)}" font-size="10" fill="${colour}" text-anchor="${towardsLeft ? 'end' : 'start'}">${escapeXml(text)}</text>`;
}

function axisLabel(p: ParetoPicture, k: number): string {
  return `${p.objectiveNames[k]} (${p.objectiveUnits[k]})`;
}

function renderPanel(p: ParetoPicture, xk: number, yk: number, offsetX: number): string {
  const left = offsetX + MARGIN.left;
  const right = offsetX + MARGIN.left + PANEL_SIZE_PX;
  const top = MARGIN.top;
  const bottom = MARGIN.top + PANEL_SIZE_PX;
  const all = [...p.points, ...p.baselines.map((b) => b.objectives)];
  const xs = linearScale(all.map((r) => r[xk]!), left, right);
  const ys = linearScale(all.map((r) => r[yk]!), bottom, top);
  const out: string[] = [];
  out.push(`<g class="panel" data-x="${xk}" data-y="${yk}">`);
  out.push(`<rect x="${left}" y="${top}" width="${PANEL_SIZE_PX}" height="${PANEL_SIZE_PX}" fill="#fafafa" stroke="#444"/>`);
  for (const t of xs.ticks) {
    const x = xs.toPx(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#e3e3e3"/>`);
    out.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="#444"/>`);
    out.push(`<text x="${x}" y="${bottom + 18}" text-anchor="middle" font-size="11">${escapeXml(formatTick(t))}</text>`);
  }
  for (const t of ys.ticks) {
    const y = ys.toPx(t).toFixed(1);
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(`<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="#444"/>`);
    out.push(`<text x="${left - 8}" y="${y}" dy="4" text-anchor="end" font-size="11">${escapeXml(formatTick(t))}</text>`);
  }
  const midX = (left + right) / 2;
  const midY = (top + bottom) / 2;
  out.push(`<text class="x-label" x="${midX}" y="${bottom + 40}" text-anchor="middle" font-size="12">${escapeXml(axisLabel(p, xk))}</text>`);
  out.push(
    `<text class="y-label" x="${offsetX + 16}" y="${midY}" text-anchor="middle" font-size="12" transform="rotate(-90 ${offsetX + 16} ${midY})">${escapeXml(axisLabel(p, yk))}</text>`,
  );
  p.points.forEach((row, i) => {
    if (i === p.kneeIndex) return;
    out.push(`<circle class="front-point" cx="${xs.toPx(row[xk]!).toFixed(1)}" cy="${ys.toPx(row[yk]!).toFixed(1)}" r="3.5" fill="#4a7fb5" fill-opacity="0.75"/>`);
  });
  p.baselines.forEach((b, i) => {
    const x = xs.toPx(b.objectives[xk]!);
    const y = ys.toPx(b.objectives[yk]!);
    const colour = BASELINE_COLOURS[i % BASELINE_COLOURS.length];
    const fill = b.feasible === false ? '#fff' : colour;
    out.push(
      `<rect class="baseline" data-name="${escapeXml(b.name)}" x="${(x - 5).toFixed(1)}" y="${(y - 5).toFixed(1)}" width="10" height="10" fill="${fill}" stroke="${colour}" stroke-width="2"/>`,
    );
    out.push(labelNear(x, y, left, right, b.name, colour));
  });
  if (p.kneeIndex !== null) {
    const row = p.points[p.kneeIndex]!;
    const x = xs.toPx(row[xk]!);
    const y = ys.toPx(row[yk]!);
    const d = 7;
    out.push(
      `<path class="knee" d="M${x.toFixed(1)} ${(y - d).toFixed(1)} L${(x + d).toFixed(1)} ${y.toFixed(1)} L${x.toFixed(1)} ${(y + d).toFixed(1)} L${(x - d).toFixed(1)} ${y.toFixed(1)} Z" fill="#d7301f" stroke="#000"/>`,
    );
    out.push(labelNear(x, y + 20, left, right, 'knee', '#d7301f'));
  }
  out.push('</g>');
  return out.join('\n');
}

/** Renders the picture; throws on malformed input (wrong arity, knee outside the front). */
export function renderParetoSvg(p: ParetoPicture): string {
  validate(p);
  const panelWidth = MARGIN.left + PANEL_SIZE_PX + MARGIN.right;
  const width = PAIRS.length * panelWidth + (PAIRS.length - 1) * PANEL_GAP_PX;
  const height = MARGIN.top + PANEL_SIZE_PX + MARGIN.bottom + LEGEND_HEIGHT_PX;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
  );
  parts.push(`<title>${escapeXml(p.title)}</title>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(p.title)}</text>`);
  PAIRS.forEach(([xk, yk], i) => parts.push(renderPanel(p, xk, yk, i * (panelWidth + PANEL_GAP_PX))));
  const ly = height - 14;
  const legend: string[] = [
    `<circle cx="20" cy="${ly - 4}" r="4" fill="#4a7fb5"/><text x="30" y="${ly}" font-size="11">front (${p.points.length} solutions)</text>`,
  ];
  let lx = 190;
  if (p.kneeIndex !== null) {
    legend.push(`<path d="M${lx} ${ly - 11} L${lx + 7} ${ly - 4} L${lx} ${ly + 3} L${lx - 7} ${ly - 4} Z" fill="#d7301f"/><text x="${lx + 12}" y="${ly}" font-size="11">knee</text>`);
    lx += 70;
  }
  p.baselines.forEach((b, i) => {
    legend.push(
      `<rect x="${lx - 5}" y="${ly - 9}" width="10" height="10" fill="${b.feasible === false ? '#fff' : BASELINE_COLOURS[i % BASELINE_COLOURS.length]}" stroke="${BASELINE_COLOURS[i % BASELINE_COLOURS.length]}" stroke-width="2"/><text x="${lx + 10}" y="${ly}" font-size="11">${escapeXml(b.name)} baseline${b.feasible === false ? ' (infeasible)' : ''}</text>`,
    );
    lx += 40 + 7 * (b.name.length + 9 + (b.feasible === false ? 13 : 0));
  });
  if (p.points.length === 0) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="14" fill="#a00">empty front</text>`);
  }
  parts.push(`<g class="legend">${legend.join('')}</g>`);
  parts.push('</svg>');
  return parts.join('\n');
}
