/**
 * `relife generate | optimize | compare` as a user runs them (child processes), and an independent
 * audit of RESULT.json against PROBLEM.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { relife } from '../helpers/cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relife-planning-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('relife generate / optimize / compare', () => {
  it('optimize writes a RESULT.json whose plans re-score exactly from PROBLEM.json', () => {
    const fleet = join(dir, 'fleet.csv');
    expect(relife('generate', '--modules', '300', '--seed', '5', '--out', fleet).status).toBe(0);
    expect(readFileSync(fleet, 'utf8').trim().split('\n')).toHaveLength(301);
    const out = join(dir, 'result.json');
    const problem = join(dir, 'problem.json');
    const r = relife('optimize', '--fleet', fleet, '--population', '24', '--generations', '20', '--seed', '3', '--out', out, '--emit-problem', problem);
    // Not a terminal: quiet but for warnings (the default capacities leave most of this fleet undeployed).
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('relife: warning:'))).toEqual([]);
    expect(r.status).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    const prob = JSON.parse(readFileSync(problem, 'utf8'));
    expect(result.applications).toEqual(['grid', 'solar', 'backup', 'microgrid']);
    expect(result.objectives.map((o: any) => `${o.name}:${o.sense}`)).toEqual(['storageYears:maximize', 'fadePctPerYear:minimize', 'costUsd:minimize']);
    expect(Object.keys(result.stats)).toEqual(expect.arrayContaining(['evaluations', 'seconds', 'hypervolume']));
    expect(result.front.filter((s: any) => s.knee)).toHaveLength(1);
    const pairs = new Map<string, any>(prob.pairs.map((p: any) => [`${p.module}|${p.application}|${p.envelope}`, p]));
    for (const s of result.front) {
      expect(s.assignment).toHaveLength(300);
      let sy = 0;
      let kf = 0;
      let kwh = 0;
      let cost = 0;
      const loads: Record<string, number> = {};
      s.assignment.forEach((app: string | null, m: number) => {
        if (app === null) return expect(s.envelope[m]).toBeNull();
        const p = pairs.get(`${result.modules[m]}|${app}|${s.envelope[m]}`);
        expect(p.feasible).toBe(true);
        sy += p.usableEnergyKwh * p.rulYears;
        kf += p.usableEnergyKwh * p.fadePctPerYear;
        kwh += p.usableEnergyKwh;
        cost += p.costUsd;
        loads[app] = (loads[app] ?? 0) + p.usableEnergyKwh;
      });
      for (const [app, load] of Object.entries(loads)) expect(load).toBeLessThanOrEqual(prob.capacityKwh[app] + 1e-9);
      expect(s.objectives[0]).toBeCloseTo(sy, 6);
      expect(s.objectives[1]).toBeCloseTo(kf / kwh, 9);
      expect(s.objectives[2]).toBeCloseTo(cost, 6);
    }
  });

  it('compare prints the three strategies as a table and as JSON', () => {
    const fleet = join(dir, 'fleet.csv');
    const table = relife('compare', '--fleet', fleet, '--population', '16', '--generations', '10');
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^static\s/m);
    expect(table.stdout).toMatch(/^adaptive\s/m);
    expect(table.stdout).toMatch(/^nsga2-knee\s/m);
    const json = JSON.parse(relife('compare', '--fleet', fleet, '--population', '16', '--generations', '10', '--format', 'json').stdout);
    expect(json.strategies.map((s: any) => s.strategy)).toEqual(['static', 'adaptive', 'nsga2-knee']);
    expect(json.definitions.misallocatedPercent).toMatch(/capacity/);
  });

  it('reports a bad applications file with the place and value, and bad options by name', () => {
    const fleet = join(dir, 'fleet.csv');
    const apps = join(dir, 'apps.json');
    writeFileSync(apps, JSON.stringify([{ name: 'Grid', kind: 'GRID', duty: { cyclesPerDay: 'x' }, capacityLimitKwh: -1, envelopes: [] }]));
    const r = relife('optimize', '--fleet', fleet, '--applications', apps, '--population', '8', '--generations', '2', '--seed', '1', '--out', join(dir, 'x.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('applications[0].duty.cyclesPerDay: must be a finite number, got "x"');
    expect(r.stderr).toContain('applications[0].capacityLimitKwh');
    expect(r.stderr).toContain('applications[0].envelopes');
    const p = relife('optimize', '--fleet', fleet, '--population', '2', '--generations', '2', '--seed', '1', '--out', join(dir, 'x.json'));
    expect(p.status).toBe(1);
    expect(p.stderr).toContain('--population must be an integer in 4..10000, got "2"');
  });
});

describe('relife optimize: pins, exclusions, algorithm and bounds', () => {
  it('honours --pin and --exclude, runs --algorithm nsga3, and writes the bounds to RESULT.json', () => {
    const fleet = join(dir, 'fleet-pins.csv');
    expect(relife('generate', '--modules', '80', '--seed', '9', '--out', fleet).status).toBe(0);
    const serials = readFileSync(fleet, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
    const out = join(dir, 'result-pins.json');
    const r = relife('optimize', '--fleet', fleet, '--population', '16', '--generations', '10', '--seed', '2', '--out', out,
      '--algorithm', 'nsga3', '--pin', `${serials[0]}=backup`, '--exclude', serials[1]!);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.restrictions).toEqual({ pinned: 1, excluded: 1 });
    for (const s of result.front) {
      expect(s.assignment[0]).toBe('backup');
      expect(s.assignment[1]).toBeNull();
    }
    expect(result.bounds.map((b: any) => b.objective)).toEqual(['storageYears', 'costUsd']);
    const [sy, cost] = result.bounds;
    expect(sy.bestOnFront).toBeLessThanOrEqual(sy.bound + 1e-6);
    expect(cost.bestOnFront).toBeGreaterThanOrEqual(cost.bound - 1e-6);
    expect(sy.gapPercent).toBeCloseTo((100 * (sy.bound - sy.bestOnFront)) / Math.abs(sy.bound), 9);
    expect(typeof result.stats.exactSeconds).toBe('number');
  }, 180_000);

  it('refuses a pin to an unknown application, and a bad --algorithm, naming them', () => {
    const fleet = join(dir, 'fleet-pins.csv');
    const out = join(dir, 'never.json');
    const bad = relife('optimize', '--fleet', fleet, '--population', '8', '--generations', '2', '--seed', '1', '--out', out, '--pin', 'NOPE=grid', '--pin', 'X=nowhere');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('module "NOPE" is not in the fleet');
    const alg = relife('optimize', '--fleet', fleet, '--population', '8', '--generations', '2', '--seed', '1', '--out', out, '--algorithm', 'spea2');
    expect(alg.status).not.toBe(0);
    expect(alg.stderr).toContain('--algorithm must be nsga2 or nsga3, got "spea2"');
  }, 120_000);
});
