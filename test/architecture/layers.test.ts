/**
 * The layers of src/ point one way. Reads every source file's imports as text (value imports
 * only: `import type` and `export type` carry no runtime edge) and checks the rules written down
 * in docs/architecture.md: which folder may import which, and no runtime import cycle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** True for `import { type A, type B } from …`: every name the clause brings is a type. */
function onlyTypes(statement: string): boolean {
  const braces = /^\s*(?:import|export)\s+\{([^}]*)\}\s+from/.exec(statement);
  if (!braces) return false;
  const names = braces[1]!.split(',').map((x) => x.trim()).filter(Boolean);
  return names.length > 0 && names.every((x) => x.startsWith('type '));
}

/** Value imports of one file, as paths relative to src/ without extension. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const targets: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    if (m[2] || onlyTypes(m[0])) continue;
    targets.push(m[3]!);
  }
  for (const m of text.matchAll(DYNAMIC)) targets.push(m[1]!);
  return targets
    .filter((t) => t.startsWith('.'))
    .map((t) => relative(ROOT, resolve(dirname(file), t)).replace(/\.(js|ts)$/, ''));
}

const files = sourceFiles(ROOT);
const graph = new Map<string, string[]>();
for (const f of files) graph.set(relative(ROOT, f).replace(/\.(ts|js|mjs)$/, ''), valueImports(f));

/** The top-level part of a module: `twin`, `solver`, …, or the file name for src/*.ts. */
function part(mod: string): string {
  const i = mod.indexOf('/');
  return i < 0 ? mod : mod.slice(0, i);
}

/** Parts each part must never import (docs/architecture.md, "What each part may import"). */
const FORBIDDEN: Record<string, string[]> = {
  twin: ['solver', 'planning', 'db', 'jobs', 'schema', 'http', 'formats', 'web', 'cli', 'cli.ts', 'server', 'server.ts', 'demo', 'services', 'validation', 'auth'],
  solver: ['twin', 'planning', 'db', 'jobs', 'schema', 'http', 'formats', 'web', 'cli', 'server', 'demo', 'services', 'validation', 'auth'],
  planning: ['db', 'jobs', 'schema', 'http', 'web', 'cli', 'server', 'demo', 'services', 'auth'],
  db: ['twin', 'solver', 'planning', 'jobs', 'schema', 'http', 'web', 'cli', 'server', 'demo', 'services'],
  formats: ['db', 'jobs', 'schema', 'web', 'cli', 'server'],
  jobs: ['schema', 'http', 'web', 'cli', 'server', 'server-extensions'],
  http: ['schema', 'web', 'cli', 'server', 'server-extensions'],
  services: ['schema', 'web', 'cli', 'server'],
  demo: ['schema', 'web', 'cli', 'server', 'jobs'],
  auth: ['schema', 'web', 'cli', 'server'],
  validation: ['db', 'jobs', 'schema', 'web', 'cli', 'server', 'planning', 'services'],
};

describe('layers', () => {
  it('reads the source tree', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('server')?.length ?? 0).toBeGreaterThan(0);
  });

  it('no part imports a part it must not', () => {
    const violations: string[] = [];
    for (const [mod, deps] of graph) {
      const banned = FORBIDDEN[part(mod)] ?? [];
      for (const dep of deps) {
        const p = part(dep);
        if (banned.includes(p) || banned.includes(`${p}.ts`)) violations.push(`${mod} -> ${dep}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('HTTP lives in src/http: no other part declares routes or builds responses (the web app serves its own files)', () => {
    const HTTP = /\bnew Response\(|\bResponse\.json\(|\.writeHead\(|:\s*HttpRoute(\[\])?\s*=|\bHttpRoute\[\]\s*=/;
    const outside = files
      .map((f) => relative(ROOT, f))
      .filter((f) => !f.startsWith('http/') && !f.startsWith('web/'))
      .filter((f) => HTTP.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(outside).toEqual([]);
  });

  it('every route the server is composed of comes from a route file of src/http (or the web app)', async () => {
    const fromHttp = new Set<unknown>();
    for (const f of readdirSync(join(ROOT, 'http')).filter((n) => n.endsWith('.ts'))) {
      const mod = (await import(join(ROOT, 'http', f))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) if (name.endsWith('_ROUTES') && Array.isArray(value)) for (const r of value) fromHttp.add(r);
    }
    const { CORE_ROUTES } = await import('../../src/server.js');
    const { SERVER_EXTENSIONS } = await import('../../src/server-extensions.js');
    const composed = [...CORE_ROUTES, ...SERVER_EXTENSIONS.filter((e) => e.name !== 'web').flatMap((e) => e.routes ?? [])];
    expect(composed.length).toBeGreaterThan(5);
    expect(composed.filter((r) => !fromHttp.has(r)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(graph.get('server-extensions')).toEqual(expect.arrayContaining(['http/plans', 'http/runs']));
  });

  it('outside the solver, its code is reached through src/solver/index.ts (worker entry files excepted)', () => {
    const violations: string[] = [];
    for (const [mod, deps] of graph) {
      if (part(mod) === 'solver' || mod.endsWith('.task') || mod.endsWith('worker')) continue;
      for (const dep of deps) if (part(dep) === 'solver' && dep !== 'solver/index') violations.push(`${mod} -> ${dep}`);
    }
    expect(violations).toEqual([]);
  });

  it('no runtime import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const visit = (mod: string): void => {
      state.set(mod, 1);
      stack.push(mod);
      for (const dep of graph.get(mod) ?? []) {
        if (!graph.has(dep)) continue;
        const s = state.get(dep);
        if (s === 1) cycles.push([...stack.slice(stack.indexOf(dep)), dep].join(' -> '));
        else if (s === undefined) visit(dep);
      }
      stack.pop();
      state.set(mod, 2);
    };
    for (const mod of [...graph.keys()].sort()) if (!state.has(mod)) visit(mod);
    expect(cycles).toEqual([]);
  });
});
