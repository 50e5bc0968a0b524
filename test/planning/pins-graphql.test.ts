/**
 * Allocation run inputs through a real server process on each database: the algorithm, pinned
 * and excluded modules (validated before anything is queued, honoured by the run's front), and
 * the run's bounds with the front's gap to them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';
import { startServerProcess, waitFor, type ServerProcess } from '../jobs/server-process.js';

const START = `mutation($input: StartOptimizationInput!) { startOptimization(input: $input) {
  __typename ... on MutationStartOptimizationSuccess { data { id } } ... on Error { message } ... on ValidationError { problems { column message } } } }`;

describe.each(databaseTargets())('run inputs and bounds on $name', (target) => {
  let database: Database | undefined;
  let dataDir: string | undefined;
  let server: ServerProcess;
  let fleetId: string;
  let apps: { id: string; kind: string }[];
  let modules: { serial: string; sohPercent: number }[];

  beforeAll(async () => {
    if (target.name === 'postgres') database = await target.open();
    else dataDir = mkdtempSync(join(tmpdir(), 'relife-pins-'));
    server = await startServerProcess({ ...(database ? { databaseUrl: database.url! } : { dataDir: dataDir! }) });
    apps = (await server.gql(`{ applications { id kind } }`)).data.applications;
    const fleet = await server.gql(
      `mutation { generateSyntheticFleet(input: { name: "pins-small", modules: 24, seed: 5 }) { ... on MutationGenerateSyntheticFleetSuccess { data { id } } ... on Error { message } } }`,
    );
    fleetId = fleet.data.generateSyntheticFleet.data.id;
    const page = await server.gql(`query($id: ID!) { node(id: $id) { ... on Fleet { modules(first: 100) { edges { node { serial sohPercent } } } } } }`, { id: fleetId });
    modules = page.data.node.modules.edges.map((e: { node: { serial: string; sohPercent: number } }) => e.node);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('refuses a pin the twin finds infeasible and an unknown module, naming them, and queues nothing', async () => {
    const grid = apps.find((a) => a.kind === 'GRID')!;
    const weakest = [...modules].sort((a, b) => a.sohPercent - b.sohPercent)[0]!;
    const r = await server.gql(START, {
      input: {
        fleetId,
        applicationIds: apps.map((a) => a.id),
        population: 8,
        generations: 2,
        pins: [{ module: weakest.serial, applicationId: grid.id }],
        excludedModules: ['NO-SUCH-MODULE'],
      },
    });
    const out = r.data.startOptimization;
    expect(out.__typename).toBe('ValidationError');
    expect(out.message).toContain(`module ${weakest.serial} cannot be pinned to`);
    expect(out.message).toContain('module "NO-SUCH-MODULE" is not in the fleet');
    const runs = await server.gql(`query($id: ID!) { node(id: $id) { ... on Fleet { optimizationRuns { id } } } }`, { id: fleetId });
    expect(runs.data.node.optimizationRuns).toEqual([]);
  });

  it('runs NSGA3 with a pin and an exclusion, honours both on every plan, and reports the bounds', async () => {
    const backupIndex = apps.findIndex((a) => a.kind === 'BACKUP');
    const pinned = modules[3]!.serial;
    const excluded = modules[4]!.serial;
    const r = await server.gql(START, {
      input: {
        fleetId,
        applicationIds: apps.map((a) => a.id),
        population: 12,
        generations: 15,
        algorithm: 'NSGA3',
        pins: [{ module: pinned, applicationId: apps[backupIndex]!.id }],
        excludedModules: [excluded],
      },
    });
    expect(r.data.startOptimization.__typename, JSON.stringify(r.data)).toBe('MutationStartOptimizationSuccess');
    const id = r.data.startOptimization.data.id;
    const run = await waitFor(
      async () => {
        const q = await server.gql(
          `query($id: ID!) { optimizationRun(id: $id) { status error algorithm excludedModules pins { module envelope }
            bounds { objective bound bestOnFront gapPercent method lpBound note }
            progress { generation bounds { objective gapPercent } }
            front { index allocations(first: 100) { edges { node { module { serial } application { id } } } } } } }`,
          { id },
        );
        const o = q.data.optimizationRun;
        return ['SUCCEEDED', 'FAILED'].includes(o.status) ? o : undefined;
      },
      'run to finish',
      120_000,
    );
    expect(run.status, run.error).toBe('SUCCEEDED');
    expect(run.algorithm).toBe('NSGA3');
    expect(run.excludedModules).toEqual([excluded]);
    expect(run.pins.map((p: { module: string }) => p.module)).toEqual([pinned]);
    expect(run.bounds.map((b: { objective: string }) => b.objective)).toEqual(['storageYears', 'costUsd']);
    for (const b of run.bounds) {
      expect(['LP', 'MILP']).toContain(b.method);
      expect(b.gapPercent).toBeGreaterThanOrEqual(0);
    }
    expect(run.bounds[0].bestOnFront).toBeLessThanOrEqual(run.bounds[0].bound + 1e-6);
    expect(run.progress.at(-1).bounds.length).toBe(2);
    for (const s of run.front) {
      const rows = s.allocations.edges.map((e: { node: { module: { serial: string }; application: { id: string } | null } }) => e.node);
      expect(rows.find((x: { module: { serial: string } }) => x.module.serial === pinned).application?.id).toBe(apps[backupIndex]!.id);
      expect(rows.find((x: { module: { serial: string } }) => x.module.serial === excluded).application).toBeNull();
    }
  }, 180_000);
});
