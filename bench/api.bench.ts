/**
 * API throughput under load (autocannon, in its own process), side by side with a minimal
 * graphql-yoga + Pothos server measured in the same run:
 *   1. the modules page (100 of a 10 000-module fleet) at 64 connections, on PostgreSQL (PGlite
 *      when PostgreSQL does not answer), against the minimal server serving 100 in-memory rows,
 *      interleaved (minimal, Relife, Relife, minimal, …) so that both see the same machine; with
 *      the CPU time each server's process spends per request;
 *   2. 200 connections for 30 s: errors, timeouts (autocannon's 10 s) and non-2xx answers, with
 *      the latency the server itself measured (request received → response written) beside the
 *      client's, to tell a slow server from a starved client;
 *   3. read p99 at 8 connections, idle and while a 10 000-module optimisation runs in the same
 *      process (its twin matrix, exact step and generations on a worker thread), for the
 *      process's first run (the solver warmed at start, as `npm start` does) and a second one,
 *      with the CPU each kind of thread and PostgreSQL used in each window;
 *   4. each abuse case's answer time, and /health right after.
 * Rate limiting is off for the load phases (one token sends everything); authentication, the
 * tenant scope (a tenant session on PostgreSQL, a tenant transaction on PGlite; docs/security.md)
 * and row-level security are on. Relife runs a repeated query compiled
 * (graphql-jit, src/server.ts); the minimal server runs yoga's default executor, as a plain yoga
 * server does. Both share this process, so NODE_ENV and the like are the same for both. PostgreSQL: RELIFE_BENCH_PG_URL, default a
 * fresh database on postgres://postgres@127.0.0.1:5432.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { uptime } from 'node:os';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import postgres from 'postgres';
import { createApiToken } from '../src/auth/tokens.js';
import { sql } from 'drizzle-orm';
import { executeRows, openDatabase, type Database } from '../src/db/client.js';
import { createFleet } from '../src/db/fleets.js';
import { analyzeAfterBulkWrite } from '../src/db/maintenance.js';
import { insertModules } from '../src/db/modules.js';
import { withTenant } from '../src/db/tenant-scope.js';
import { createRelifeServer } from '../src/server.js';
import { jobsExtension } from '../src/server-extensions.js';
import { solverWarmUp } from '../src/demo/solver-warm-up.js';
import { generateSyntheticFleet } from '../src/demo/synthetic-fleet.js';
import { writeBenchSection } from './report.js';

const AUTOCANNON = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url));
const SECONDS = Number(process.env.RELIFE_BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.RELIFE_BENCH_ROUNDS ?? 3);

interface Load {
  requests: number;
  total: number;
  /** Connection errors other than timeouts (autocannon's `errors` counts timeouts too). */
  errors: number;
  timeouts: number;
  non2xx: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU time (user + system) of this process per request answered, ms. */
  cpuMsPerRequest: number;
  /** Latency measured inside the server process: request event → response finished, ms. */
  server: { p50: number; p99: number; max: number };
}

/** Server-side latency of every request, per listening port (the bench's two servers). */
const serverLatency = new Map<number, number[]>();
const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
  if (event === 'request') {
    const t = performance.now();
    const port = (this.address() as AddressInfo | null)?.port ?? 0;
    (args[1] as NodeJS.EventEmitter).once('finish', () => {
      let list = serverLatency.get(port);
      if (!list) serverLatency.set(port, (list = []));
      list.push(performance.now() - t);
    });
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
} as typeof Server.prototype.emit;

const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);

/** CPU time (ms) of this process's threads by kind, and of the PostgreSQL server's processes, from /proc. */
interface CpuSplit {
  api: number;
  run: number;
  v8: number;
  postgres: number;
}
const CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux
function statTicks(path: string): { ticks: number; nice: number; comm: string } | null {
  try {
    const stat = readFileSync(path, 'utf8');
    const close = stat.lastIndexOf(')');
    const rest = stat.slice(close + 2).split(' ');
    return { ticks: Number(rest[11]) + Number(rest[12]), nice: Number(rest[16]), comm: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return null; // a thread or process that ended while being read
  }
}
function cpuSplit(): Map<string, { kind: keyof CpuSplit; ms: number }> {
  const out = new Map<string, { kind: keyof CpuSplit; ms: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    const t = statTicks(`/proc/self/task/${tid}/stat`);
    if (t) out.set(`t${tid}`, { kind: Number(tid) === process.pid ? 'api' : t.nice > 0 ? 'run' : 'v8', ms: t.ticks * CLOCK_TICK_MS });
  }
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const p = statTicks(`/proc/${pid}/stat`);
    if (p?.comm === 'postgres') out.set(`p${pid}`, { kind: 'postgres', ms: p.ticks * CLOCK_TICK_MS });
  }
  return out;
}
function cpuSplitSince(before: ReturnType<typeof cpuSplit>): CpuSplit {
  const split: CpuSplit = { api: 0, run: 0, v8: 0, postgres: 0 };
  for (const [key, now] of cpuSplit()) split[now.kind] += now.ms - (before.get(key)?.ms ?? 0);
  return split;
}

function autocannon(url: string, body: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Load> {
  const args = ['-j', '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-b', body];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(`${url}/graphql`);
  const port = Number(new URL(url).port);
  serverLatency.set(port, []);
  const cpu0 = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const child = spawn(AUTOCANNON, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      const cpu = process.cpuUsage(cpu0);
      const lat = (serverLatency.get(port) ?? []).sort((a, b) => a - b);
      try {
        const r = JSON.parse(out);
        resolve({
          requests: r.requests.average,
          total: r.requests.total,
          errors: r.errors - r.timeouts,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
          p50: r.latency.p50,
          p99: r.latency.p99,
          max: r.latency.max,
          cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, r.requests.total),
          server: { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat.at(-1) ?? NaN },
        });
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** The peer: a minimal yoga + Pothos server returning 100 in-memory modules. */
async function minimalServer(): Promise<{ url: string; close(): Promise<void> }> {
  interface Row {
    serial: string;
    sohPercent: number;
    internalResistanceMilliohm: number;
    fullChargeEnergyKwh: number;
  }
  const rows: Row[] = generateSyntheticFleet({ size: 100, seed: 4 }).map((m) => ({
    serial: m.serial,
    sohPercent: m.sohPercent,
    internalResistanceMilliohm: m.internalResistanceMilliohm,
    fullChargeEnergyKwh: (m.nominalCapacityAh * m.nominalVoltageV * m.sohPercent) / 1e5,
  }));
  const b = new SchemaBuilder<{ DefaultFieldNullability: false }>({ defaultFieldNullability: false });
  const ModuleRef = b.objectRef<Row>('Module').implement({
    fields: (t) => ({
      serial: t.exposeString('serial'),
      sohPercent: t.exposeFloat('sohPercent'),
      internalResistanceMilliohm: t.exposeFloat('internalResistanceMilliohm'),
      fullChargeEnergyKwh: t.exposeFloat('fullChargeEnergyKwh'),
    }),
  });
  b.queryType({ fields: (t) => ({ modules: t.field({ type: [ModuleRef], args: { first: t.arg.int() }, resolve: (_r, a) => rows.slice(0, a.first ?? 100) }) }) });
  const yoga = createYoga({ schema: b.toSchema(), logging: false });
  const server = createServer(yoga);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function openBenchDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const base = process.env.RELIFE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = postgres(base, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  const name = `relife_bench_${Date.now()}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => {});
    console.warn(`PostgreSQL unavailable (${error instanceof Error ? error.message : String(error)}): measuring PGlite`);
    const database = await openDatabase({ inMemory: true });
    return { database, drop: () => database.close() };
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), maxConnections: 10 });
  return {
    database,
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

const fmt = (n: number) => n.toFixed(0);
const rows: string[] = [];
const loadBefore = uptime() && (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' / ');

const { database, drop } = await openBenchDatabase();
const peer = await minimalServer();
const server = await createRelifeServer({ database, extensions: [jobsExtension({ concurrency: 1, leaseSeconds: 30, sweepSeconds: 10, checkpointEvery: 50, checkpointMinSeconds: 5, log: () => {}, warmUp: solverWarmUp() })], limits: { ratePerMinute: 0 }, apiTokens: [] });
try {
  const url = await server.listen(0);
  const { token, row } = await createApiToken(database.db, { tenantName: 'bench', role: 'planner' });
  const auth = { authorization: `Bearer ${token}` };
  const { fleetName, fleetId, appIds } = await withTenant(database.db, row.tenantId, async (tx) => {
    const fleet = await createFleet(tx, { name: 'bench-10k' });
    await insertModules(tx, fleet.id, generateSyntheticFleet({ size: 10_000, seed: 4 }));
    const apps = await executeRows<{ id: string }>(tx, sql`select id from applications order by created_at`);
    return { fleetName: fleet.name, fleetId: fleet.id, appIds: apps.map((a) => a.id) };
  });
  await analyzeAfterBulkWrite(database, 'modules', 10_000);

  const page = JSON.stringify({
    query: `query ($n: String!) { fleet(name: $n) { modules(first: 100, after: "M5000") { edges { node { serial sohPercent internalResistanceMilliohm fullChargeEnergyKwh } } } } }`,
    variables: { n: fleetName },
  });
  const peerQuery = JSON.stringify({ query: `{ modules(first: 100) { serial sohPercent internalResistanceMilliohm fullChargeEnergyKwh } }` });
  // Warm both (JIT, connection pool, caches).
  await autocannon(peer.url, peerQuery, {}, 8, 2);
  await autocannon(url, page, auth, 8, 2);

  // Interleaved, alternating which goes first, so that a change in the machine's load hits both.
  const minimalRounds: Load[] = [];
  const oursRounds: Load[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const pair = round % 2 === 0 ? (['minimal', 'ours'] as const) : (['ours', 'minimal'] as const);
    for (const who of pair) {
      if (who === 'minimal') minimalRounds.push(await autocannon(peer.url, peerQuery, {}, 64, SECONDS));
      else oursRounds.push(await autocannon(url, page, auth, 64, SECONDS));
    }
  }
  const sum = (xs: Load[], f: (l: Load) => number) => xs.reduce((a, l) => a + f(l), 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = (xs: Load[]) => ({
    requests: sum(xs, (l) => l.total) / (xs.length * SECONDS),
    p50: median(xs.map((l) => l.p50)),
    p99: median(xs.map((l) => l.p99)),
    failed: sum(xs, (l) => l.errors + l.timeouts + l.non2xx),
    cpu: sum(xs, (l) => l.cpuMsPerRequest * l.total) / Math.max(1, sum(xs, (l) => l.total)),
  });
  const minimal = summary(minimalRounds);
  const ours = summary(oursRounds);
  rows.push(
    `### Modules page at 64 connections (${database.kind}), ${ROUNDS} interleaved rounds of ${SECONDS} s per server`,
    '',
    '| round | minimal req/s | minimal p99 | Relife req/s | Relife p99 | req/s ratio |',
    '|---:|---:|---:|---:|---:|---:|',
    ...minimalRounds.map((m, i) => {
      const o = oursRounds[i]!;
      return `| ${i + 1} | ${fmt(m.requests)} | ${m.p99} ms | ${fmt(o.requests)} | ${o.p99} ms | ${((100 * o.requests) / m.requests).toFixed(0)} % |`;
    }),
    '',
    '| server | req/s | p50 (median of rounds) | p99 (median of rounds) | CPU per request | failed |',
    '|---|---:|---:|---:|---:|---:|',
    `| minimal yoga + Pothos, 100 in-memory rows | ${fmt(minimal.requests)} | ${minimal.p50} ms | ${minimal.p99} ms | ${minimal.cpu.toFixed(2)} ms | ${minimal.failed} |`,
    `| Relife, 100 of a 10 000-module fleet (token, ${database.kind === 'postgres' ? 'tenant session' : 'tenant transaction'}, RLS, compiled query) | ${fmt(ours.requests)} | ${ours.p50} ms | ${ours.p99} ms | ${ours.cpu.toFixed(2)} ms | ${ours.failed} |`,
    '',
    `Relife / minimal: **${((100 * ours.requests) / minimal.requests).toFixed(0)} %** of its req/s (target ≥ 70 %), p99 **${(ours.p99 / minimal.p99).toFixed(2)} ×** (target ≤ 1.5 ×), CPU per request **${(ours.cpu / minimal.cpu).toFixed(1)} ×**.`,
    '',
  );
  console.log(rows.join('\n'));

  const wide = await autocannon(url, page, auth, 200, 30);
  rows.push(
    '### 200 connections for 30 s',
    '',
    `${fmt(wide.requests)} req/s; **${wide.errors} errors, ${wide.timeouts} timeouts (10 s), ${wide.non2xx} non-2xx** answers.`,
    '',
    '| latency | p50 | p99 | max |',
    '|---|---:|---:|---:|',
    `| seen by the client | ${wide.p50} ms | ${wide.p99} ms | ${wide.max} ms |`,
    `| inside the server (request → response written) | ${fmt(wide.server.p50)} ms | ${fmt(wide.server.p99)} ms | ${fmt(wide.server.max)} ms |`,
    '',
  );
  console.log(rows.slice(-8).join('\n'));

  // Reads idle, then during a run, twice in turn: the process's first run (the solver was warmed
  // at start, as `npm start` does) and a later one. Each window reports where the CPU went.
  await server.services.jobs!.warmedUp;
  const startRun = async () => {
    const start = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({
        query: `mutation ($input: StartOptimizationInput!) { startOptimization(input: $input) { __typename ... on MutationStartOptimizationSuccess { data { id } } } }`,
        variables: { input: { fleetId: Buffer.from(`Fleet:${fleetId}`).toString('base64url'), applicationIds: appIds.map((id) => Buffer.from(`Application:${id}`).toString('base64url')), population: 100, generations: 100_000, timeLimitSeconds: 60 } },
      }),
    });
    return ((await start.json()) as any).data.startOptimization.data.id as string;
  };
  const status = async (runId: string) =>
    ((await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query: `query ($id: ID!) { optimizationRun(id: $id) { status } }`, variables: { id: runId } }) })).json()) as any).data.optimizationRun.status as string;
  const windows: { label: string; idle: Load; during: Load; idleCpu: CpuSplit; duringCpu: CpuSplit; stillRunning: boolean }[] = [];
  for (const label of ['first run after start', 'second run']) {
    let cpu0 = cpuSplit();
    const idle = await autocannon(url, page, auth, 8, 10);
    const idleCpu = cpuSplitSince(cpu0);
    const runId = await startRun();
    while ((await status(runId)) !== 'RUNNING') await new Promise((r) => setTimeout(r, 200));
    cpu0 = cpuSplit();
    const during = await autocannon(url, page, auth, 8, 10);
    const duringCpu = cpuSplitSince(cpu0);
    const stillRunning = (await status(runId)) === 'RUNNING';
    await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query: `mutation ($id: ID!) { cancelOptimization(runId: $id) { __typename } }`, variables: { id: runId } }) });
    while (!['CANCELLED', 'SUCCEEDED', 'FAILED'].includes(await status(runId))) await new Promise((r) => setTimeout(r, 200));
    windows.push({ label, idle, during, idleCpu, duringCpu, stillRunning });
  }
  const cpuCells = (c: CpuSplit) => `${fmt(c.api)} | ${fmt(c.run)} | ${fmt(c.v8)} | ${fmt(c.postgres)}`;
  const worst = Math.max(...windows.map((w) => w.during.p99 / w.idle.p99));
  rows.push(
    '### Reads while a 10 000-module run executes (8 connections, 10 s)',
    '',
    'The server as `npm start` runs it: the solver warmed at start (src/jobs/solver-warm-up.ts). Idle, then during a run, twice in turn. CPU ms in each 10 s window: the API thread; the run\'s threads (niced); the process\'s other threads (V8\'s compiler and garbage-collector threads, at the API\'s priority); PostgreSQL.',
    '',
    '| window | req/s | p50 | p99 | p99 / idle | API thread | run threads | V8 threads | PostgreSQL |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...windows.flatMap((w) => [
      `| idle, before the ${w.label} | ${fmt(w.idle.requests)} | ${w.idle.p50} ms | ${w.idle.p99} ms | | ${cpuCells(w.idleCpu)} |`,
      `| during the ${w.label} (twin matrix, exact step, generations)${w.stillRunning ? '' : ' — run ended early'} | ${fmt(w.during.requests)} | ${w.during.p50} ms | ${w.during.p99} ms | ${(w.during.p99 / w.idle.p99).toFixed(2)} × | ${cpuCells(w.duringCpu)} |`,
    ]),
    '',
    `p99 during / idle, the worse of the two runs: **${worst.toFixed(2)} ×** (target ≤ 2 ×).`,
    '',
  );
  console.log(rows.slice(-(8 + 2 * windows.length)).join('\n'));

  // Each body is built before its timer starts, so the column measures the server, not JSON.stringify here.
  const cases: [string, Record<string, string>, string][] = [
    ['depth 1 000', auth, JSON.stringify({ query: `{ fleets { edges { node { ${'modules { edges { node { fleet { '.repeat(250)} name ${'} } } }'.repeat(250)} } } } }` })],
    ['10 000 aliases', auth, JSON.stringify({ query: `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: applications { id }`).join(' ')} }` })],
    ['250 chained fragments', auth, JSON.stringify({ query: Array.from({ length: 250 }, (_, i) => `fragment F${i} on Fleet { name ${i < 249 ? `modules { edges { node { fleet { ...F${i + 1} } } } }` : ''} }`).join('\n') + '\n{ fleets { edges { node { ...F0 } } } }' })],
    ['10 MB body', auth, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(10 * 2 ** 20)}` })],
    ['20 MB import (620 000 rows)', auth, JSON.stringify({ query: 'mutation ($c: String!) { importModules(input: { fleetId: "x", csv: $c }) { __typename } }', variables: { c: 'serial,chemistry\n' + 'M,NMC,60,44,70,25,10,35,900\n'.repeat(620_000) } })],
    ['60 000-row import (2.3 MB, over the row limit)', auth, JSON.stringify({ query: `mutation ($c: String!) { importModules(input: { fleetId: "${Buffer.from(`Fleet:${fleetId}`).toString('base64url')}", csv: $c }) { __typename } }`, variables: { c: 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count\n' + Array.from({ length: 60_000 }, (_, i) => `N${i},NMC,60,44,70,25,10,35,900`).join('\n') } })],
    ['malformed JSON', auth, '{"query": "{ fleets { edges { node { name } } } }", "x": oops'],
    ['field suggestion probe', auth, JSON.stringify({ query: '{ fleetz { id } }' })],
    ['made-up token', { authorization: 'Bearer made-up-token-0123456789abcdef' }, JSON.stringify({ query: '{ __typename }' })],
  ];
  rows.push('### Abuse cases (one request each, then /health)', '', '| case | status | answered in | /health after |', '|---|---:|---:|---:|');
  for (const [label, headers, body] of cases) {
    const bytes = new TextEncoder().encode(body);
    const t = performance.now();
    const r = await post(url, headers, bytes);
    await r.text();
    const answered = performance.now() - t;
    const h = performance.now();
    const hr = await fetch(`${url}/health`);
    rows.push(`| ${label} | ${r.status} | ${answered.toFixed(0)} ms | ${hr.status}, ${(performance.now() - h).toFixed(0)} ms |`);
    console.log(rows.at(-1));
  }
  rows.push('', 'The answer times run from sending the request (its body built beforehand) to the whole answer read, on loopback.');
} finally {
  await server.close();
  await peer.close();
  await drop();
}

function post(url: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>): Promise<Response> {
  return fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

writeBenchSection(
  'api',
  'API under load, beside a minimal yoga + Pothos server',
  `Load average before the run (1 / 5 / 15 min): ${loadBefore}, after it: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' / ')}; \`nproc\` ${(await import('node:os')).availableParallelism()} on a shared host: absolute figures are noisy, compare the ratios (both servers in this process, measured interleaved in this run, autocannon in its own process on the same cores).\n\n${rows.join('\n')}`,
);
