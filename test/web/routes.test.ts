/**
 * The web app's routes through a real server: the page, its compiled modules and libraries are
 * served from this repository with no other host named; GraphiQL is inlined; the optional-field
 * detection reads today's schema and a richer one correctly; the client's types match the schema.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { FEATURES_QUERY, featuresFrom } from '../../src/web/client/features.js';
import { histogram } from '../../src/web/client/format.js';
import { clientFiles, IMPORT_MAP, webExtension } from '../../src/web/routes.js';
import { CLIENT_TYPES_FILE, clientTypes, SCHEMA_SDL_FILE } from '../../src/web/schema-types.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** http(s) URLs a page would load: src/href attributes, CSS url(), import specifiers. */
function loadedUrls(text: string): string[] {
  const found = [
    ...text.matchAll(/\b(?:src|href)\s*=\s*["'](https?:)?\/\/[^"']+/gi),
    ...text.matchAll(/url\(\s*["']?(https?:)?\/\/[^)"']+/gi),
    ...text.matchAll(/\b(?:import|from)\s*\(?\s*["'](https?:)?\/\/[^"']+/g),
    ...text.matchAll(/@import\s+["'](https?:)?\/\/[^"']+/g),
  ];
  return found.map((m) => m[0]);
}

describe('web app routes', () => {
  let database: Database;
  let server: TestServer;

  beforeAll(async () => {
    database = await openDatabase({ inMemory: true });
    server = await startTestServer(database, { extensions: [webExtension()] });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('serves the page with an import map of this server only', async () => {
    const res = await server.get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    const map = JSON.parse(/<script type="importmap">(.*?)<\/script>/s.exec(html)![1]!);
    expect(map).toEqual(IMPORT_MAP);
    for (const url of Object.values(map.imports) as string[]) expect(url).toMatch(/^\/vendor\/[a-z-]+\.js$/);
    expect(loadedUrls(html)).toEqual([]);
    expect(html).toContain('src="/app/app.js"');
  });

  it('compiles every client module and serves every library the import map names', async () => {
    const modules = clientFiles().filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    expect(modules).toEqual(expect.arrayContaining(['app.ts', 'api.ts', 'pages/run.ts', 'pages/plan.ts']));
    for (const file of modules) {
      const res = await server.get(`/app/${file.replace(/\.ts$/, '.js')}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/javascript');
      const code = await res.text();
      expect(code, file).not.toMatch(/:\s*(string|number|boolean)\s*[,)=;]/); // types stripped
      expect(loadedUrls(code), file).toEqual([]);
      // Relative imports resolve to modules this server has.
      for (const m of code.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
        const target = new URL(m[1]!, `http://x/app/${file}`).pathname.replace(/^\/app\//, '').replace(/\.js$/, '.ts');
        expect(modules, `${file} imports ${m[1]}`).toContain(target);
      }
    }
    for (const url of Object.values(IMPORT_MAP.imports)) {
      const res = await server.get(url);
      expect(res.status, url).toBe(200);
      expect(loadedUrls(await res.text()), url).toEqual([]);
    }
    expect((await server.get('/app/styles.css')).status).toBe(200);
  });

  it('answers 404 for files outside the client and the vendor list', async () => {
    for (const path of ['/app/nope.js', '/app/..%2Froutes.js', '/app/%2e%2e%2fgraphiql.js', '/app/tsconfig.json', '/vendor/pg-boss.js', '/app/pages/..%2F..%2Froutes.js']) {
      const res = await server.get(path);
      expect(res.status, path).toBe(404);
    }
  });

  it('serves GraphiQL with its scripts, styles and workers inlined', async () => {
    const res = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
    expect(html).toContain('Relife GraphiQL');
    // The page asks whether tokens are on before rendering, and pre-fills the bearer header then.
    expect(html).toContain("probe.status === 401");
    expect(html).toContain("'Bearer ' + token");
  });

  it('finds none of the optional fields on this schema, and each one on a schema that has it', async () => {
    const today = await server.gql(FEATURES_QUERY);
    expect(today.errors).toBeUndefined();
    const sdl = readFileSync(SCHEMA_SDL_FILE, 'utf8');
    const f = featuresFrom(today.data);
    expect(f).toEqual({
      allocationReason: /type Allocation \{[^}]*\breason:/.test(sdl),
      runWarnings: /type OptimizationRun implements Node \{[^}]*\bwarnings:/.test(sdl),
      runBounds: /type OptimizationRun implements Node \{[^}]*\bbounds\b/.test(sdl),
      algorithms: /input StartOptimizationInput \{[^}]*\balgorithm:/.test(sdl) ? expect.any(Array) : null,
      importFile: /input ImportModulesInput \{[^}]*\bfile:/.test(sdl),
      sohBand: f.sohBand,
    });
    const richer = featuresFrom({
      allocation: { fields: [{ name: 'serial' }, { name: 'reason' }] },
      run: { fields: [{ name: 'warnings' }, { name: 'bounds' }] },
      start: { inputFields: [{ name: 'algorithm', type: { kind: 'ENUM', name: 'Algorithm', enumValues: [{ name: 'NSGA2' }, { name: 'NSGA3' }] } }] },
      importInput: { inputFields: [{ name: 'csv', type: { kind: 'SCALAR', name: 'String' } }, { name: 'file', type: { kind: 'SCALAR', name: 'File' } }] },
      trajectory: { fields: [{ name: 'timeYears' }, { name: 'sohP10Percent' }, { name: 'sohP90Percent' }] },
    });
    expect(richer).toEqual({ allocationReason: true, runWarnings: true, runBounds: true, algorithms: ['NSGA2', 'NSGA3'], importFile: true, sohBand: ['sohP10Percent', 'sohP90Percent'] });
    const nonNullEnum = featuresFrom({ start: { inputFields: [{ name: 'algorithm', type: { kind: 'NON_NULL', name: null, ofType: { kind: 'ENUM', name: 'A', enumValues: [{ name: 'NSGA2' }] } } }] } });
    expect(nonNullEnum.algorithms).toEqual(['NSGA2']);
  });
});

describe('client types', () => {
  it('match schema.graphql (regenerate with npm run schema:print)', () => {
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8')).toBe(clientTypes(readFileSync(SCHEMA_SDL_FILE, 'utf8')));
  });
  it('type non-null fields as required, nullable ones as T | null, and enums as unions', () => {
    const ts = clientTypes(`type Query { a: Int!, b: [String!], c: Mode } enum Mode { FAST SLOW } input I { x: Float!, y: Float, z: Int! = 1 }`);
    expect(ts).toContain('  a: number;');
    expect(ts).toContain('  b: Array<string> | null;');
    expect(ts).toContain('  c: Mode | null;');
    expect(ts).toContain("export type Mode = 'FAST' | 'SLOW';");
    expect(ts).toContain('  x: number;');
    expect(ts).toContain('  y?: number | null;');
    expect(ts).toContain('  z?: number;');
  });
});

describe('histogram', () => {
  it('puts every value in exactly one round-edged bin covering the range', () => {
    const values = [55.2, 57.9, 60, 61.4, 70.1, 79.99, 80];
    const bins = histogram(values, 10);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(values.length);
    expect(bins[0]!.from).toBeLessThanOrEqual(55.2);
    expect(bins.at(-1)!.to).toBeGreaterThan(80);
    const step = bins[0]!.to - bins[0]!.from;
    expect([1, 2, 2.5, 5, 10]).toContain(step);
    for (const v of values) expect(bins.filter((b) => v >= b.from && v < b.to)).toHaveLength(1);
  });
  it('gives one bin to a fleet of identical modules and none to an empty one', () => {
    expect(histogram([], 10)).toEqual([]);
    const one = histogram([42, 42, 42]);
    expect(one.reduce((s, b) => s + b.count, 0)).toBe(3);
  });
});
