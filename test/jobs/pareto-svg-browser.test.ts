/**
 * pareto.svg as a browser draws it, for the fronts of real runs at 50 and 20,000 modules (default
 * applications, whose capacity leaves the static baseline infeasible and far from the front):
 * no two text boxes overlap, the front spans most of each plot area, one tick format per axis,
 * the better direction is marked, and a baseline outside the axes sits on the edge with values.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { OBJECTIVES } from '../../src/planning/allocation-types.js';
import { optimizeAllocation } from '../../src/planning/optimize.js';
import { renderParetoSvg } from '../../src/formats/pareto-svg.js';
import { defaultApplications } from '../../src/demo/default-applications.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';

const HAS_CHROMIUM = existsSync('/usr/bin/chromium');

interface Drawn {
  texts: { cls: string; text: string; x: number; y: number; w: number; h: number }[];
  panels: { area: [number, number, number, number]; points: [number, number, number, number] | null }[];
  ticks: string[][];
  better: number;
  edgeMarkers: number;
}

async function draw(browser: Browser, svg: string): Promise<Drawn> {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return await page.evaluate(() => {
      const rect = (e: Element) => e.getBoundingClientRect();
      const texts = [...document.querySelectorAll('text')].map((t) => {
        const r = rect(t);
        return { cls: t.getAttribute('class') ?? '', text: t.textContent ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
      });
      const panels = [...document.querySelectorAll('g.panel')].map((g) => {
        const a = rect(g.querySelector('rect.plot-area')!);
        const marks = [...g.querySelectorAll('circle.front-point, path.knee')].map(rect);
        const cx = marks.map((m) => m.x + m.width / 2);
        const cy = marks.map((m) => m.y + m.height / 2);
        return {
          area: [a.x, a.y, a.width, a.height] as [number, number, number, number],
          points: marks.length ? ([Math.min(...cx), Math.min(...cy), Math.max(...cx), Math.max(...cy)] as [number, number, number, number]) : null,
        };
      });
      const ticks = [...document.querySelectorAll('g.panel')].flatMap((g) => {
        const all = [...g.querySelectorAll('text.tick')] as SVGTextElement[];
        const xTicks = all.filter((t) => t.getAttribute('text-anchor') === 'middle').map((t) => t.textContent ?? '');
        const yTicks = all.filter((t) => t.getAttribute('text-anchor') === 'end').map((t) => t.textContent ?? '');
        return [xTicks, yTicks];
      });
      return { texts, panels, ticks, better: document.querySelectorAll('path.better').length, edgeMarkers: document.querySelectorAll('.baseline-edge').length };
    });
  } finally {
    await page.close();
  }
}

async function runPicture(modules: number, population: number, generations: number) {
  const result = await optimizeAllocation(generateSyntheticFleet({ size: modules, seed: 21 }), defaultApplications(), { population, generations, seed: 4 });
  return {
    result,
    svg: renderParetoSvg({
      title: `Pareto front, ${modules} modules`,
      objectiveNames: ['Storage service', 'Mean capacity fade', 'Lifetime cost'],
      objectiveUnits: OBJECTIVES.map((o) => o.unit),
      objectiveSenses: OBJECTIVES.map((o) => o.sense),
      points: result.front.map((s) => s.objectives),
      kneeIndex: result.kneeIndex >= 0 ? result.kneeIndex : null,
      baselines: (['static', 'adaptive'] as const).map((name) => ({ name, objectives: result.baselines[name].objectives, feasible: result.baselines[name].feasible })),
    }),
  };
}

const decimals = (s: string) => (s.includes('.') ? s.split('.')[1]!.length : 0);

describe.runIf(HAS_CHROMIUM || process.env.CI === 'true')('pareto.svg in headless chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const [modules, population, generations] of [
    [50, 24, 30],
    [20_000, 8, 2],
  ] as const) {
    it(`holds up on the front of a ${modules}-module run`, async () => {
      const { result, svg } = await runPicture(modules, population, generations);
      expect(result.front.length).toBeGreaterThan(1);
      const d = await draw(browser, svg);

      // No two labels overlap (a 0.5 px tolerance for anti-aliased edges).
      const boxes = d.texts.filter((t) => t.w > 0 && t.h > 0);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          const overlap = a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
          expect(overlap, `"${a.text}" overlaps "${b.text}"`).toBe(false);
        }
      }
      // The front spans most of each plot area in both directions (it is what sets the axes).
      for (const p of d.panels) {
        const [, , w, h] = p.area;
        const [x0, y0, x1, y1] = p.points!;
        expect((x1 - x0) / w).toBeGreaterThan(0.8);
        expect((y1 - y0) / h).toBeGreaterThan(0.8);
      }
      // One tick format per axis: the same number of decimals on every tick, no exponents or suffixes.
      for (const axis of d.ticks) {
        expect(axis.length).toBeGreaterThanOrEqual(2);
        expect(new Set(axis.map(decimals)).size).toBe(1);
        for (const t of axis) expect(t).toMatch(/^[−]?\d+(\.\d+)?$/);
      }
      // Which way is better: an arrow per panel and on every axis label.
      expect(d.better).toBe(3);
      const axisLabels = d.texts.filter((t) => t.cls === 'x-label' || t.cls === 'y-label');
      expect(axisLabels).toHaveLength(6);
      for (const l of axisLabels) expect(l.text).toMatch(/(higher|lower) is better/);
      expect(axisLabels.filter((l) => l.text.startsWith('Storage service')).every((l) => l.text.includes('higher is better'))).toBe(true);
      // A baseline outside the front's range is an edge marker labelled with its values.
      const outside = (['static', 'adaptive'] as const).filter((name) => {
        const o = result.baselines[name].objectives;
        return o.some((v, k) => {
          const vals = result.front.map((s) => s.objectives[k]);
          const lo = Math.min(...vals);
          const hi = Math.max(...vals);
          const pad = (hi - lo) * 0.04 || Math.abs(hi) * 0.05 || 1;
          return v < lo - pad || v > hi + pad;
        });
      });
      if (outside.length > 0) {
        expect(d.edgeMarkers).toBeGreaterThan(0);
        const labels = d.texts.filter((t) => outside.some((n) => t.text.startsWith(`${n}`) && t.text.includes(':')));
        expect(labels.length).toBeGreaterThan(0);
        for (const l of labels) expect(l.text).toMatch(/\d/);
      }
      if (modules === 20_000) {
        expect(result.baselines.static.feasible).toBe(false);
        expect(outside).toContain('static');
      }
    }, 300_000);
  }
});
