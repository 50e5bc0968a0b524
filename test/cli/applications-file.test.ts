/**
 * Pinned and excluded modules in the applications file of `relife optimize|compare
 * --applications APPS.json`, as a user runs the commands (child processes): honoured by every plan
 * of the front beside `--pin` / `--exclude`, and every mistake refused before anything runs, named
 * by its place in the file (`pins[1].envelope`, `excludedModules[0]`) and the module.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultApplications } from '../../src/demo/default-applications.js';
import { relife } from '../helpers/cli.js';

let dir: string;
let fleet: string;
let rows: { serial: string; sohPercent: number }[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relife-apps-file-'));
  fleet = join(dir, 'fleet.csv');
  const g = relife('generate', '--modules', '80', '--seed', '9', '--out', fleet);
  expect(g.status, g.stderr).toBe(0);
  const [header, ...lines] = readFileSync(fleet, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  rows = lines.map((l) => {
    const v = l.split(',');
    return { serial: v[cols.indexOf('serial')]!, sohPercent: Number(v[cols.indexOf('soh_percent')]) };
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function appsFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const optimize = (apps: string, ...extra: string[]) =>
  relife('optimize', '--fleet', fleet, '--applications', apps, '--population', '16', '--generations', '8', '--seed', '2', ...extra);

describe('pins and exclusions in the applications file', () => {
  it('are honoured by every plan of the front, together with --pin and --exclude', () => {
    const [a, b, c, d] = rows.map((r) => r.serial);
    const apps = appsFile('pins.json', {
      applications: defaultApplications(),
      pins: [{ module: a, application: 'backup' }],
      excludedModules: [b],
    });
    const out = join(dir, 'result.json');
    const r = optimize(apps, '--out', out, '--pin', `${c}=backup/float-85`, '--exclude', d!);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.restrictions).toEqual({ pinned: 2, excluded: 2 });
    expect(result.front.length).toBeGreaterThan(0);
    for (const s of result.front) {
      expect(s.assignment.slice(0, 4)).toEqual(['backup', null, 'backup', null]);
      expect(s.envelope[2]).toBe('float-85');
    }
  }, 240_000);

  it('refuses a malformed list, naming each place in the file, before reading the twin', () => {
    const [a, b] = rows.map((r) => r.serial);
    const apps = appsFile('bad-shape.json', {
      applications: defaultApplications(),
      pins: [{ module: a, application: 'nowhere' }, { module: b, application: 'grid', envelope: 'arctic' }, { application: 'grid' }, { module: b, application: 'solar', note: 'x' }],
      excludedModules: [a, 42],
      exclude: [b],
    });
    const r = optimize(apps, '--out', join(dir, 'never.json'));
    expect(r.status).toBe(1);
    const err = r.stderr;
    expect(err).toContain(`${apps}: invalid applications file`);
    expect(err).toContain("pins[0].application: expected the id of one of this file's applications (grid, solar, backup, microgrid)");
    expect(err).toContain('pins[1].envelope: grid has no such envelope (it has standard, gentle, passive)');
    expect(err).toContain('pins[2].module: expected the serial of a module of the fleet');
    expect(err).toContain('pins[3].note: unknown field "note" (expected module, application, envelope)');
    expect(err).toContain(`excludedModules[0]: module ${a} is already listed at pins[0]`);
    expect(err).toContain('excludedModules[1]: expected the serial of a module of the fleet');
    expect(err).toContain('exclude: unknown field "exclude": did you mean excludedModules?');
    expect(() => readFileSync(join(dir, 'never.json'))).toThrow();
  }, 120_000);

  it('refuses a module not in the fleet, a pin where the twin finds the module unfit and pins over capacity, naming the module', () => {
    const weak = rows.find((r) => r.sohPercent < 70)!; // below the 70 % grid storage accepts
    const [a, b, c] = rows.filter((r) => r.sohPercent >= 60 && r !== weak).map((r) => r.serial);
    const apps = defaultApplications().map((x) => (x.id === 'backup' ? { ...x, capacityLimitKwh: 1 } : x));
    const file = appsFile('bad-fleet.json', {
      applications: apps,
      pins: [{ module: 'NOPE-1', application: 'grid' }, { module: weak.serial, application: 'grid', envelope: 'standard' }, { module: a, application: 'backup' }, { module: b, application: 'backup' }],
      excludedModules: ['GHOST-7', c],
    });
    const r = optimize(file, '--out', join(dir, 'never.json'));
    expect(r.status).toBe(1);
    const err = r.stderr;
    expect(err).toContain(`${file}: invalid applications file`);
    expect(err).toContain('pins[0]: module "NOPE-1" is not in the fleet');
    expect(err).toMatch(new RegExp(`pins\\[1\\]: module ${weak.serial} cannot be pinned to grid / standard: .*SOH ${weak.sohPercent.toFixed(1)} %`));
    expect(err).toMatch(new RegExp(`pins: modules pinned to backup \\(${a}, ${b}\\) need [\\d.]+ kWh, over its capacity limit of 1 kWh`));
    expect(err).toContain('excludedModules[0]: module "GHOST-7" is not in the fleet');
    expect(err).not.toContain(`module ${c}`);
    // relife compare reads the same file and refuses it the same way.
    const cmp = relife('compare', '--fleet', fleet, '--applications', file, '--population', '8', '--generations', '2');
    expect(cmp.status).toBe(1);
    expect(cmp.stderr).toContain('pins[0]: module "NOPE-1" is not in the fleet');
  }, 120_000);
});
