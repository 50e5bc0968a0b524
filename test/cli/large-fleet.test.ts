/**
 * A 20,000-module fleet with the default applications through `relife optimize --plan-csv`, as a
 * planner runs it: the capacities (sized for the 120-module demo) are warned about with the
 * numbers, every row of the plan CSV has a reason, no figure has more than 6 decimals, and the
 * end-of-run summary shows its figures rounded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relife } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relife-large-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

describe('relife optimize on 20,000 modules with the default applications', () => {
  it('warns about capacity and writes a plan CSV with a reason on every row and at most 6 decimals', () => {
    const fleet = join(dir, 'fleet.csv');
    expect(relife('generate', '--modules', '20000', '--seed', '1', '--out', fleet).status).toBe(0);
    const plan = join(dir, 'plan.csv');
    const r = relife('optimize', '--fleet', fleet, '--population', '8', '--generations', '2', '--seed', '1', '--workers', '2', '--plan-csv', plan);
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('relife: warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/capacity leaves most eligible energy undeployed: the applications take at most 145\.0 kWh of the \d+\.\d kWh eligible in this fleet \(0\.\d %\), so at least 99\.\d % of it is recycled \(Grid storage 35\.0 kWh of \d+\.\d kWh eligible, /);

    const rows: Record<string, string>[] = parse(readFileSync(plan, 'utf8'), { columns: true });
    expect(rows.filter((x) => x.row_type === 'module')).toHaveLength(20_000);
    expect(rows.filter((x) => x.row_type === 'total').map((x) => x.application)).toEqual(['Grid storage', 'Solar storage', 'Residential backup', 'Rural microgrid', 'RECYCLE', 'ALL']);
    const withoutReason = rows.filter((x) => x.reason!.trim() === '').map((x) => `${x.row_type} ${x.serial || x.application}`);
    expect(withoutReason).toEqual([]);
    const tooPrecise: string[] = [];
    for (const row of rows) {
      for (const [k, v] of Object.entries(row)) {
        if (k === 'serial' || k === 'reason' || !NUMBER.test(v)) continue;
        if (/e/i.test(v) || (v.split('.')[1]?.length ?? 0) > 6) tooPrecise.push(`${row.serial || row.application} ${k}=${v}`);
      }
    }
    expect(tooPrecise).toEqual([]);
    // Every recycled module says why: not eligible anywhere, no room, or a trade-off.
    const kinds = new Set(rows.filter((x) => x.row_type === 'module' && x.application === 'RECYCLE').map((x) => x.reason_kind));
    for (const k of kinds) expect(['INELIGIBLE', 'CAPACITY', 'TRADE_OFF']).toContain(k);

    // The summary's figures are rounded too (the bounds to the cent).
    const figures = r.stdout.match(/-?\d+\.\d+/g) ?? [];
    expect(figures.filter((f) => f.split('.')[1]!.length > 4)).toEqual([]);
    expect(r.stdout).toMatch(/storageYears\s+bound -?\d+\.\d{2}  best on front -?\d+\.\d{2}  gap \d+\.\d{2} %/);
  }, 600_000);
});
