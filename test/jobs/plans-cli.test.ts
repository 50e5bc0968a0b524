/**
 * `relife optimize --plan-csv / --plan-json / --plan-xlsx --pick` as a user runs it (child
 * process) on a generated fleet: a reason on every row, no figure with more than 6 decimals, the
 * picked solution is the one asked for, and the end-of-run summary on stdout.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { relife } from '../helpers/cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relife-plan-cli-'));
  expect(relife('generate', '--modules', '200', '--seed', '8', '--out', join(dir, 'fleet.csv')).status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const numeric = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

describe('relife optimize --plan-csv', () => {
  it('writes a plan with a reason on every row and no figure with more than 6 decimals, and prints a summary', () => {
    const csv = join(dir, 'plan.csv');
    const result = join(dir, 'result.json');
    const r = relife('optimize', '--fleet', join(dir, 'fleet.csv'), '--population', '20', '--generations', '15', '--seed', '2', '--out', result, '--plan-csv', csv, '--plan-json', join(dir, 'plan.json'), '--plan-xlsx', join(dir, 'plan.xlsx'), '--pick', 'min-cost');
    // Not a terminal: quiet but for warnings (the default capacities leave most of this fleet undeployed).
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('relife: warning:'))).toEqual([]);
    expect(r.status).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(csv, 'utf8'), { columns: true });
    const modules = rows.filter((x) => x.row_type === 'module');
    expect(modules).toHaveLength(200);
    for (const row of modules) {
      expect(row.reason.trim().length, row.serial).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(row)) {
        if (k === 'serial' || k === 'reason' || !numeric.test(v)) continue;
        expect(/e/i.test(v) || (v.split('.')[1]?.length ?? 0) > 6, `${row.serial} ${k}=${v}`).toBe(false);
      }
    }
    // --pick min-cost: the solution of least cost on the front.
    const front = JSON.parse(readFileSync(result, 'utf8')).front as { objectives: number[]; assignment: (string | null)[] }[];
    const minCost = front.reduce((b, s, i) => (s.objectives[2]! < front[b]!.objectives[2]! ? i : b), 0);
    const deployed = modules.filter((m) => m.application !== 'RECYCLE').length;
    expect(deployed).toBe(front[minCost]!.assignment.filter((a) => a !== null).length);
    expect(r.stdout).toContain(`picked solution ${minCost} (min-cost`);
    expect(r.stdout).toMatch(new RegExp(`deployed ${deployed}, recycled ${200 - deployed} of 200 modules`));
    for (const name of ['storageYears', 'fadePctPerYear', 'costUsd', 'RECYCLE', 'ALL', 'higher is better']) expect(r.stdout).toContain(name);
    const json = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(json.plan.solutionIndex).toBe(minCost);
    expect(json.modules).toHaveLength(200);
    expect(statSync(join(dir, 'plan.xlsx')).size).toBeGreaterThan(5_000);
  }, 300_000);

  it('picks by index and by name, and refuses a pick that does not exist', () => {
    const bad = relife('optimize', '--fleet', join(dir, 'fleet.csv'), '--population', '8', '--generations', '2', '--seed', '2', '--plan-csv', join(dir, 'x.csv'), '--pick', 'cheapest');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--pick must be one of knee, max-storage, min-cost, min-fade or a solution index, got "cheapest"');
    const far = relife('optimize', '--fleet', join(dir, 'fleet.csv'), '--population', '8', '--generations', '2', '--seed', '2', '--plan-csv', join(dir, 'x.csv'), '--pick', '999');
    expect(far.status).not.toBe(0);
    expect(far.stderr).toMatch(/--pick 999: the front has solutions 0–\d+/);
    const first = relife('optimize', '--fleet', join(dir, 'fleet.csv'), '--population', '8', '--generations', '2', '--seed', '2', '--plan-csv', join(dir, 'y.csv'), '--pick', 'max-storage');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('picked solution 0 (max-storage');
  }, 300_000);
});
