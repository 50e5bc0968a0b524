/**
 * A self-contained SVG picture of a three-objective Pareto front: the three pairwise projections
 * side by side. Each axis spans the front (a baseline far outside it, such as an infeasible static
 * plan, would otherwise shrink the front to a few pixels); a baseline outside the axes is drawn
 * as a marker on the panel edge pointing towards it, labelled with its values. Every axis has one
 * tick format (fixed decimals from the tick step, a thousands or millions scale named in the axis
 * label) and says which direction is better; labels are placed so that none overlap.
 * Pure: data in, string out (no fonts, scripts or external references, so any browser renders it).
 */

export interface ParetoPicture {
  title: string;
  /** Exactly three objective names, e.g. ['Storage service', 'Mean fade', 'Cost']. */
  objectiveNames: readonly string[];
  /** Unit of each objective, shown on its axis, e.g. 'kWh·yr'. */
  objectiveUnits: readonly string[];
  /** Which way is better per objective (default: minimise all). */
  objectiveSenses?: readonly ('maximize' | 'minimize')[];
  /** Front points: one row per solution, three values each (reporting units). */
  points: readonly (readonly number[])[];
  kneeIndex: number | null;
  /** Reference plans; an infeasible one (breaks a capacity or twin rule) is drawn hollow. */
  baselines: readonly { name: string; objectives: readonly number[]; feasible?: boolean }[];
}

const PANEL_SIZE_PX = 300;
const MARGIN = { left: 92, right: 22, top: 46, bottom: 62 } as const;
const PANEL_GAP_PX = 16;
const LEGEND_ROW_PX = 20;
/** Share of the axis span added on each side of the front's range. */
const AXIS_PAD = 0.04;
const PAIRS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
];
const BASELINE_COLOURS = ['#1b7837', '#762a83', '#e08214', '#2166ac'];
/**
 * Width of a character as a share of the font size, on the wide side for the sans-serif fonts
 * browsers fall back to (DejaVu Sans averages ~0.6 em for mixed text), so estimated boxes
 * contain the rendered ones.
 */
const CHAR_EM = 0.64;

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
  const step = tickStep(min, max, targetCount);
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= last + step * 0.5; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function tickStep(min: number, max: number, targetCount: number): number {
  const span = niceNumber(max - min, false);
  return niceNumber(span / Math.max(1, targetCount - 1), true);
}

function niceNumber(x: number, round: boolean): number {
  const exponent = Math.floor(Math.log10(x));
  const fraction = x / 10 ** exponent;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** One format for all ticks of an axis: a scale (1, thousands, millions) and fixed decimals. */
export interface TickFormat {
  scale: 1 | 1e3 | 1e6;
  scaleName: '' | 'thousands' | 'millions';
  decimals: number;
  format(v: number): string;
}

export function tickFormat(ticks: readonly number[]): TickFormat {
  const maxAbs = Math.max(0, ...ticks.map(Math.abs));
  const scale = maxAbs >= 1e7 ? 1e6 : maxAbs >= 1e4 ? 1e3 : 1;
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) / scale : 1;
  const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  return {
    scale,
    scaleName: scale === 1e6 ? 'millions' : scale === 1e3 ? 'thousands' : '',
    decimals,
    format: (v) => {
      const s = (v / scale).toFixed(decimals);
      return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s.replace('-', '−');
    },
  };
}

/** Kept for callers that format a single value: the axis format of that value alone. */
export function formatTick(v: number): string {
  return tickFormat([v, v + Math.abs(v || 1) / 10]).format(v);
}

interface Scale {
  lo: number;
  hi: number;
  ticks: number[];
  fmt: TickFormat;
  toPx(v: number): number;
}

/** Axis over the front's range, padded a little; ticks are the round values inside it. */
function frontScale(values: number[], fromPx: number, toPx: number): Scale {
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi - lo <= Math.abs(hi) * 1e-12) {
    const pad = hi === 0 ? 1 : Math.abs(hi) * 0.05;
    lo -= pad;
    hi += pad;
  } else {
    const pad = (hi - lo) * AXIS_PAD;
    lo -= pad;
    hi += pad;
  }
  const step = tickStep(lo, hi, 5);
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  const span = hi - lo;
  return { lo, hi, ticks, fmt: tickFormat(ticks.length > 1 ? ticks : [lo, hi]), toPx: (v) => fromPx + ((v - lo) / span) * (toPx - fromPx) };
}

function validate(p: ParetoPicture): void {
  if (p.objectiveNames.length !== 3 || p.objectiveUnits.length !== 3) {
    throw new Error(`pareto picture needs 3 objective names and units, got ${p.objectiveNames.length}/${p.objectiveUnits.length}`);
  }
  if (p.objectiveSenses && p.objectiveSenses.length !== 3) throw new Error(`pareto picture needs 3 objective senses, got ${p.objectiveSenses.length}`);
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

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export function textWidthPx(text: string, fontSize: number): number {
  return text.length * fontSize * CHAR_EM;
}

/**
 * Places a label near (x, y) inside `area`, at the first candidate position whose box meets no
 * placed box; candidates go round the anchor, then further out. Returns the SVG text element.
 */
function placeLabel(placed: Box[], area: Box, x: number, y: number, text: string, colour: string, fontSize = 10, cls = 'label'): string {
  const w = textWidthPx(text, fontSize);
  const h = fontSize + 3;
  const offsets: [number, number][] = [];
  for (let ring = 0; ring < 14; ring++) {
    const d = 8 + ring * (h + 1);
    offsets.push([8, -d], [8, d - h + 4], [-8 - w, -d], [-8 - w, d - h + 4]);
  }
  let chosen: Box | null = null;
  for (const [dx, dy] of offsets) {
    const box = { x: x + dx, y: y + dy, w, h };
    if (box.x < area.x || box.x + box.w > area.x + area.w || box.y < area.y || box.y + box.h > area.y + area.h) continue;
    if (placed.some((b) => overlaps(b, box))) continue;
    chosen = box;
    break;
  }
  // Nowhere free near the anchor: the first free row of the area, near the anchor's side.
  for (let yy = area.y; !chosen && yy + h <= area.y + area.h; yy += h / 2) {
    for (const xx of [Math.min(Math.max(area.x, x - w / 2), area.x + area.w - w), area.x, area.x + area.w - w]) {
      const box = { x: xx, y: yy, w, h };
      if (!placed.some((b) => overlaps(b, box))) {
        chosen = box;
        break;
      }
    }
  }
  if (!chosen) {
    const bottom = Math.max(area.y, ...placed.map((b) => b.y + b.h));
    chosen = { x: Math.max(area.x, area.x + area.w - w), y: bottom + 1, w, h };
  }
  placed.push(chosen);
  return `<text class="${cls}" x="${chosen.x.toFixed(1)}" y="${(chosen.y + fontSize).toFixed(1)}" font-size="${fontSize}" fill="${colour}">${escapeXml(text)}</text>`;
}

function senseOf(p: ParetoPicture, k: number): 'maximize' | 'minimize' {
  return p.objectiveSenses?.[k] ?? 'minimize';
}

function axisLabel(p: ParetoPicture, k: number, fmt: TickFormat): string {
  const unit = fmt.scaleName ? `${p.objectiveUnits[k]}, ${fmt.scaleName}` : p.objectiveUnits[k];
  return `${p.objectiveNames[k]} (${unit}), ${senseOf(p, k) === 'maximize' ? 'higher' : 'lower'} is better`;
}

/** A value off the axes, to three significant digits (it is far from every tick). */
function valueText(p: ParetoPicture, k: number, v: number): string {
  const a = Math.abs(v);
  const [scale, suffix] = a >= 1e6 ? [1e6, 'M'] : a >= 1e4 ? [1e3, 'k'] : [1, ''];
  return `${Number((v / scale).toPrecision(3)).toString().replace('-', '−')}${suffix} ${p.objectiveUnits[k]}`;
}

/** Tick labels that fit: every n-th tick so that neighbouring labels keep a gap. */
function ticksThatFit(s: Scale, spacingPx: number, horizontal: boolean): number[] {
  if (s.ticks.length < 2) return s.ticks;
  const size = horizontal ? Math.max(...s.ticks.map((t) => textWidthPx(s.fmt.format(t), 11))) + 8 : 15;
  const every = Math.max(1, Math.ceil(size / spacingPx));
  return s.ticks.filter((_, i) => i % every === 0);
}

function renderPanel(p: ParetoPicture, xk: number, yk: number, offsetX: number): string {
  const left = offsetX + MARGIN.left;
  const right = left + PANEL_SIZE_PX;
  const top = MARGIN.top;
  const bottom = top + PANEL_SIZE_PX;
  const source = p.points.length > 0 ? p.points : p.baselines.map((b) => b.objectives);
  const xs = frontScale(source.map((r) => r[xk]!), left, right);
  const ys = frontScale(source.map((r) => r[yk]!), bottom, top);
  const area: Box = { x: left + 2, y: top + 2, w: PANEL_SIZE_PX - 4, h: PANEL_SIZE_PX - 4 };
  const placed: Box[] = [];
  const out: string[] = [];
  out.push(`<g class="panel" data-x="${xk}" data-y="${yk}">`);
  out.push(`<rect class="plot-area" x="${left}" y="${top}" width="${PANEL_SIZE_PX}" height="${PANEL_SIZE_PX}" fill="#fafafa" stroke="#444"/>`);
  const xSpacing = xs.ticks.length > 1 ? Math.abs(xs.toPx(xs.ticks[1]!) - xs.toPx(xs.ticks[0]!)) : PANEL_SIZE_PX;
  const ySpacing = ys.ticks.length > 1 ? Math.abs(ys.toPx(ys.ticks[1]!) - ys.toPx(ys.ticks[0]!)) : PANEL_SIZE_PX;
  const xLabelled = new Set(ticksThatFit(xs, xSpacing, true));
  const yLabelled = new Set(ticksThatFit(ys, ySpacing, false));
  for (const t of xs.ticks) {
    const x = xs.toPx(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#e3e3e3"/>`);
    out.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="#444"/>`);
    if (xLabelled.has(t)) out.push(`<text class="tick" x="${x}" y="${bottom + 18}" text-anchor="middle" font-size="11">${escapeXml(xs.fmt.format(t))}</text>`);
  }
  for (const t of ys.ticks) {
    const y = ys.toPx(t).toFixed(1);
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(`<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="#444"/>`);
    if (yLabelled.has(t)) out.push(`<text class="tick" x="${left - 8}" y="${y}" dy="4" text-anchor="end" font-size="11">${escapeXml(ys.fmt.format(t))}</text>`);
  }
  const midX = (left + right) / 2;
  const midY = (top + bottom) / 2;
  out.push(`<text class="x-label" x="${midX}" y="${bottom + 42}" text-anchor="middle" font-size="11">${escapeXml(axisLabel(p, xk, xs.fmt))}</text>`);
  out.push(
    `<text class="y-label" x="${offsetX + 14}" y="${midY}" text-anchor="middle" font-size="11" transform="rotate(-90 ${offsetX + 14} ${midY})">${escapeXml(axisLabel(p, yk, ys.fmt))}</text>`,
  );
  // The corner every objective of this pair improves towards.
  const bx = senseOf(p, xk) === 'maximize' ? right : left;
  const by = senseOf(p, yk) === 'maximize' ? top : bottom;
  const arrowX = bx === right ? -1 : 1;
  const arrowY = by === top ? 1 : -1;
  const tip = [bx + arrowX * 4, by + arrowY * 4];
  const tail = [bx + arrowX * 22, by + arrowY * 22];
  out.push(`<path class="better" d="M${tail[0]} ${tail[1]} L${tip[0]} ${tip[1]} M${tip[0]} ${tip[1]} l${-arrowX * 7} 0 M${tip[0]} ${tip[1]} l0 ${-arrowY * 7}" stroke="#555" stroke-width="1.5" fill="none"/>`);
  placed.push({ x: Math.min(tip[0]!, tail[0]!) - 2, y: Math.min(tip[1]!, tail[1]!) - 2, w: 22, h: 22 });
  const betterText = 'better';
  const bw = textWidthPx(betterText, 10);
  const btx = arrowX < 0 ? tail[0]! - bw - 2 : tail[0]! + 2;
  const bty = arrowY > 0 ? tail[1]! + 2 : tail[1]! - 12;
  placed.push({ x: btx, y: bty, w: bw, h: 13 });
  out.push(`<text class="label better-label" x="${btx.toFixed(1)}" y="${(bty + 10).toFixed(1)}" font-size="10" fill="#555">${betterText}</text>`);

  p.points.forEach((row, i) => {
    if (i === p.kneeIndex) return;
    out.push(`<circle class="front-point" cx="${xs.toPx(row[xk]!).toFixed(1)}" cy="${ys.toPx(row[yk]!).toFixed(1)}" r="3.5" fill="#4a7fb5" fill-opacity="0.75"/>`);
  });
  if (p.kneeIndex !== null) {
    const row = p.points[p.kneeIndex]!;
    const x = xs.toPx(row[xk]!);
    const y = ys.toPx(row[yk]!);
    const d = 7;
    out.push(
      `<path class="knee" d="M${x.toFixed(1)} ${(y - d).toFixed(1)} L${(x + d).toFixed(1)} ${y.toFixed(1)} L${x.toFixed(1)} ${(y + d).toFixed(1)} L${(x - d).toFixed(1)} ${y.toFixed(1)} Z" fill="#d7301f" stroke="#000"/>`,
    );
    out.push(placeLabel(placed, area, x, y, 'knee', '#d7301f'));
  }
  p.baselines.forEach((b, i) => {
    const vx = b.objectives[xk]!;
    const vy = b.objectives[yk]!;
    const colour = BASELINE_COLOURS[i % BASELINE_COLOURS.length];
    const fill = b.feasible === false ? '#fff' : colour;
    const outX = vx < xs.lo ? -1 : vx > xs.hi ? 1 : 0;
    const outY = vy < ys.lo ? -1 : vy > ys.hi ? 1 : 0;
    const inset = 7;
    const x = outX < 0 ? left + inset : outX > 0 ? right - inset : xs.toPx(vx);
    const y = outY < 0 ? bottom - inset : outY > 0 ? top + inset : ys.toPx(vy);
    const name = `${b.name}${b.feasible === false ? ' (infeasible)' : ''}`;
    if (outX === 0 && outY === 0) {
      out.push(
        `<rect class="baseline" data-name="${escapeXml(b.name)}" x="${(x - 5).toFixed(1)}" y="${(y - 5).toFixed(1)}" width="10" height="10" fill="${fill}" stroke="${colour}" stroke-width="2"/>`,
      );
      placed.push({ x: x - 6, y: y - 6, w: 12, h: 12 });
      out.push(placeLabel(placed, area, x, y, name, colour));
      return;
    }
    // Off the axes: a triangle on the edge pointing towards the plan, labelled with its values.
    const ux = outX;
    const uy = -outY; // SVG y grows downward
    const len = Math.hypot(ux, uy);
    const [dx, dy] = [ux / len, uy / len];
    const s = 7;
    const tipX = x + dx * s;
    const tipY = y + dy * s;
    const baseX = x - dx * s * 0.6;
    const baseY = y - dy * s * 0.6;
    const [px, py] = [-dy * s * 0.8, dx * s * 0.8];
    out.push(
      `<path class="baseline baseline-edge" data-name="${escapeXml(b.name)}" d="M${tipX.toFixed(1)} ${tipY.toFixed(1)} L${(baseX + px).toFixed(1)} ${(baseY + py).toFixed(1)} L${(baseX - px).toFixed(1)} ${(baseY - py).toFixed(1)} Z" fill="${fill}" stroke="${colour}" stroke-width="2"/>`,
    );
    placed.push({ x: x - s - 1, y: y - s - 1, w: 2 * s + 2, h: 2 * s + 2 });
    const values = [outX !== 0 ? valueText(p, xk, vx) : null, outY !== 0 ? valueText(p, yk, vy) : null].filter((v) => v !== null);
    out.push(placeLabel(placed, area, x, y, `${name}: ${values.join(', ')}`, colour));
  });
  out.push('</g>');
  return out.join('\n');
}

/** Renders the picture; throws on malformed input (wrong arity, knee outside the front). */
export function renderParetoSvg(p: ParetoPicture): string {
  validate(p);
  const panelWidth = MARGIN.left + PANEL_SIZE_PX + MARGIN.right;
  const width = PAIRS.length * panelWidth + (PAIRS.length - 1) * PANEL_GAP_PX;
  // Legend items laid out left to right, wrapping to a new row when the width is used up.
  const items: { svg: (x: number, y: number) => string; w: number }[] = [];
  items.push({
    w: 16 + textWidthPx(`front (${p.points.length} solutions)`, 11),
    svg: (x, y) => `<circle cx="${x + 4}" cy="${y - 4}" r="4" fill="#4a7fb5"/><text class="legend-label" x="${x + 14}" y="${y}" font-size="11">front (${p.points.length} solutions)</text>`,
  });
  if (p.kneeIndex !== null) {
    items.push({
      w: 16 + textWidthPx('knee', 11),
      svg: (x, y) => `<path d="M${x + 5} ${y - 11} L${x + 12} ${y - 4} L${x + 5} ${y + 3} L${x - 2} ${y - 4} Z" fill="#d7301f"/><text class="legend-label" x="${x + 16}" y="${y}" font-size="11">knee</text>`,
    });
  }
  p.baselines.forEach((b, i) => {
    const colour = BASELINE_COLOURS[i % BASELINE_COLOURS.length];
    const text = `${b.name} baseline${b.feasible === false ? ' (infeasible)' : ''}`;
    items.push({
      w: 16 + textWidthPx(text, 11),
      svg: (x, y) =>
        `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${b.feasible === false ? '#fff' : colour}" stroke="${colour}" stroke-width="2"/><text class="legend-label" x="${x + 16}" y="${y}" font-size="11">${escapeXml(text)}</text>`,
    });
  });
  if (p.baselines.length > 0) {
    const text = 'a baseline outside the axes: on the edge, pointing to it, with its values';
    items.push({
      w: 16 + textWidthPx(text, 11),
      svg: (x, y) => `<path d="M${x + 11} ${y - 4} L${x + 1} ${y - 10} L${x + 1} ${y + 2} Z" fill="#fff" stroke="#555" stroke-width="1.5"/><text class="legend-label" x="${x + 16}" y="${y}" font-size="11">${text}</text>`,
    });
  }
  const legendParts: string[] = [];
  let lx = 16;
  let row = 0;
  const legendTop = MARGIN.top + PANEL_SIZE_PX + MARGIN.bottom + 14;
  for (const it of items) {
    if (lx > 16 && lx + it.w > width - 16) {
      row++;
      lx = 16;
    }
    legendParts.push(it.svg(lx, legendTop + row * LEGEND_ROW_PX));
    lx += it.w + 24;
  }
  const height = legendTop + row * LEGEND_ROW_PX + 14;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
  );
  parts.push(`<title>${escapeXml(p.title)}</title>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text class="title" x="${width / 2}" y="26" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(p.title)}</text>`);
  PAIRS.forEach(([xk, yk], i) => parts.push(renderPanel(p, xk, yk, i * (panelWidth + PANEL_GAP_PX))));
  if (p.points.length === 0) {
    parts.push(`<text class="label" x="${width / 2}" y="${MARGIN.top + PANEL_SIZE_PX / 2}" text-anchor="middle" font-size="14" fill="#a00">empty front</text>`);
  }
  parts.push(`<g class="legend">${legendParts.join('')}</g>`);
  parts.push('</svg>');
  return parts.join('\n');
}
