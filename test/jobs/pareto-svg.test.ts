import { describe, expect, it } from 'vitest';
import { niceTicks, renderParetoSvg, type ParetoPicture } from '../../src/formats/pareto-svg.js';

function picture(overrides: Partial<ParetoPicture> = {}): ParetoPicture {
  return {
    title: 'Fleet <paper-120> & co',
    objectiveNames: ['Storage service', 'Mean fade', 'Cost'],
    objectiveUnits: ['kWh·yr', '%/yr', 'USD'],
    points: [
      [1000, 2.5, 5000],
      [1500, 3.0, 6000],
      [2000, 3.8, 9000],
      [2400, 4.9, 12000],
    ],
    kneeIndex: 1,
    baselines: [
      { name: 'static', objectives: [900, 4.0, 7000] },
      { name: 'adaptive', objectives: [1700, 3.5, 8000] },
    ],
    ...overrides,
  };
}

const count = (svg: string, needle: string) => svg.split(needle).length - 1;

describe('niceTicks', () => {
  it('covers the range with round, evenly spaced steps', () => {
    const ticks = niceTicks(0.37, 9.2);
    expect(ticks[0]).toBeLessThanOrEqual(0.37);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(9.2);
    const step = ticks[1]! - ticks[0]!;
    expect([1, 2, 5]).toContain(step);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 9);
  });
  it('widens a degenerate range instead of dividing by zero', () => {
    const ticks = niceTicks(42, 42);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks[0]).toBeLessThan(42);
    expect(ticks[ticks.length - 1]).toBeGreaterThan(42);
  });
});

describe('renderParetoSvg', () => {
  it('draws three pairwise panels with every non-knee point, the knee and each baseline in each', () => {
    const svg = renderParetoSvg(picture());
    expect(count(svg, 'class="panel"')).toBe(3);
    expect(count(svg, 'class="front-point"')).toBe(3 * 3);
    expect(count(svg, 'class="knee"')).toBe(3);
    // static (900 kWh·yr) is left of the front's storage range: an edge marker in the two panels
    // with storage on x, a square in the third; adaptive is inside every range.
    expect(count(svg, 'class="baseline baseline-edge" data-name="static"')).toBe(2);
    expect(count(svg, 'class="baseline" data-name="static"')).toBe(1);
    expect(count(svg, 'class="baseline" data-name="adaptive"')).toBe(3);
    expect(svg).toMatch(/static: 900 kWh·yr/);
    expect(svg).toContain('data-x="0" data-y="1"');
    expect(svg).toContain('data-x="0" data-y="2"');
    expect(svg).toContain('data-x="1" data-y="2"');
  });
  it('labels every axis with the objective and its unit', () => {
    const svg = renderParetoSvg(picture());
    expect(count(svg, 'Storage service (kWh·yr)')).toBe(2);
    expect(count(svg, 'Mean fade (%/yr)')).toBe(2);
    // Costs reach 12 000: ticks in thousands, said once in the axis label.
    expect(count(svg, 'Cost (USD, thousands)')).toBe(2);
    expect(count(svg, ', lower is better')).toBe(6);
    const maxSvg = renderParetoSvg(picture({ objectiveSenses: ['maximize', 'minimize', 'minimize'] }));
    expect(count(maxSvg, 'Storage service (kWh·yr), higher is better')).toBe(2);
    expect(count(maxSvg, 'class="better"')).toBe(3);
  });
  it('escapes text so a fleet name cannot break the XML', () => {
    const svg = renderParetoSvg(picture());
    expect(svg).not.toContain('<paper-120>');
    expect(svg).toContain('&#60;paper-120&#62; &#38; co');
  });
  it('places points monotonically: a larger objective value is further right on the x axis', () => {
    const svg = renderParetoSvg(picture({ kneeIndex: null, baselines: [] }));
    const first = svg.slice(svg.indexOf('data-x="0" data-y="1"'));
    const cx = [...first.matchAll(/class="front-point" cx="([\d.]+)" cy="([\d.]+)"/g)].slice(0, 4);
    const xs = cx.map((m) => Number(m[1]));
    const ys = cx.map((m) => Number(m[2]));
    for (let i = 1; i < 4; i++) {
      expect(xs[i]).toBeGreaterThan(xs[i - 1]!);
      expect(ys[i]).toBeLessThan(ys[i - 1]!); // SVG y grows downward; fade grows with storage here
    }
  });
  it('draws an infeasible baseline hollow and says so in the legend', () => {
    const svg = renderParetoSvg(picture({ baselines: [{ name: 'static', objectives: [900, 4.0, 7000], feasible: false }] }));
    expect(count(svg, 'data-name="static"')).toBe(3);
    expect(svg).toMatch(/class="baseline[^"]*" data-name="static"[^>]*fill="#fff"/);
    expect(svg).toContain('static (infeasible): 900 kWh·yr');
    expect(svg).toContain('static baseline (infeasible)');
  });
  it('rejects a knee outside the front and points of the wrong arity', () => {
    expect(() => renderParetoSvg(picture({ kneeIndex: 4 }))).toThrow(/knee index 4/);
    expect(() => renderParetoSvg(picture({ points: [[1, 2]] , kneeIndex: null }))).toThrow(/point 0 has 2 objectives/);
  });
  it('renders an empty front as a picture that says so', () => {
    const svg = renderParetoSvg(picture({ points: [], kneeIndex: null }));
    expect(svg).toContain('empty front');
    expect(count(svg, 'class="front-point"')).toBe(0);
  });
});
