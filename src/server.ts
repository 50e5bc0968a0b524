/**
 * The Relife HTTP service: GraphQL (graphql-yoga + Pothos) at /graphql with GraphiQL, masked
 * errors, and plain routes (/health, /fleets/{id}/modules.csv, plus whatever extensions add).
 *
 *   const server = await createRelifeServer({ database });
 *   const url = await server.listen(0);   // http://127.0.0.1:PORT
 *   await server.close();                  // stops extensions, not the database
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { openDatabase, type Database } from './db/client.js';
import { getFleet, getFleetByName } from './db/fleets.js';
import { loadFleetModules } from './db/modules.js';
import { seedDemoIfEmpty } from './db/seed.js';
import { formatModulesCsv } from './formats/modules-csv.js';
import { idOfType, type RelifeContext, type RelifeServices } from './schema/builder.js';
import { schema } from './schema/index.js';
import { SERVER_EXTENSIONS } from './server-extensions.js';
import { renderOfflineGraphiQL } from './web/graphiql.js';

export interface HttpRouteContext {
  request: Request;
  url: URL;
  /** Path parameters (`:name` segments of the route's path), URL-decoded. */
  params: Record<string, string>;
  database: Database;
  services: Partial<RelifeServices>;
}

/** A plain HTTP route next to GraphQL, e.g. `{ method: 'GET', path: '/plans/:id.csv', handle }`. */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Literal segments and `:param` placeholders; a placeholder may carry a literal suffix (`:id.csv`). */
  path: string;
  handle(ctx: HttpRouteContext): Response | Promise<Response>;
}

/**
 * A capability plugged into the server: its routes, and services it starts with the server and
 * stops with it (a job queue, a worker pool). `start` may fill `services` (see RelifeServices).
 */
export interface ServerExtension {
  name: string;
  routes?: HttpRoute[];
  start?(ctx: { database: Database; services: Partial<RelifeServices> }): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export interface RelifeServerOptions {
  database: Database;
  /** Pre-built services (tests); extensions may add more in `start`. */
  services?: Partial<RelifeServices>;
  extensions?: ServerExtension[];
  /** Seed the demo fleet and default applications when the database is empty (default false). */
  seedDemo?: boolean;
  /** Hide GraphiQL (default: shown). */
  graphiql?: boolean;
}

export interface RelifeServer {
  yoga: YogaServerInstance<Record<string, unknown>, RelifeContext>;
  services: Partial<RelifeServices>;
  /** Starts listening (port 0 = any free port); resolves with the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Base URL once listening, e.g. http://127.0.0.1:4000 */
  readonly url: string | undefined;
  /** Stops listening and the extensions (in reverse order). Does not close the database. */
  close(): Promise<void>;
}

/** Error thrown inside route handlers that should become a plain-text HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function textResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

function compileRoute(route: HttpRoute): (method: string, pathname: string) => Record<string, string> | null {
  const names: string[] = [];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = route.path
    .split('/')
    .map((segment) => {
      const m = /^:([A-Za-z_][A-Za-z0-9_]*)(.*)$/.exec(segment);
      if (!m) return escape(segment);
      names.push(m[1]);
      return `([^/]+?)${escape(m[2])}`;
    })
    .join('/');
  const re = new RegExp(`^${source}$`);
  return (method, pathname) => {
    if (method !== route.method && !(route.method === 'GET' && method === 'HEAD')) return null;
    const m = re.exec(pathname);
    if (!m) return null;
    try {
      return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    } catch {
      return null;
    }
  };
}

/** The fleet a path parameter names: a global Fleet ID or the fleet's name. */
async function fleetFromParam(database: Database, param: string) {
  const id = idOfType(param, 'Fleet');
  const uuid = id && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
  return (uuid ? await getFleet(database.db, uuid) : undefined) ?? (await getFleetByName(database.db, param));
}

/** Routes every Relife server has. */
export const CORE_ROUTES: HttpRoute[] = [
  {
    method: 'GET',
    path: '/health',
    handle: async ({ database }) => {
      // A trivial query proves the database answers, not just the process.
      await database.db.execute(sql`select 1`).catch((error: unknown) => {
        throw new HttpError(503, `database unavailable: ${error instanceof Error ? error.message : String(error)}`);
      });
      return Response.json({ status: 'ok', database: database.kind });
    },
  },
  {
    method: 'GET',
    path: '/fleets/:id/modules.csv',
    handle: async ({ database, params }) => {
      const fleet = await fleetFromParam(database, params.id);
      if (!fleet) throw new HttpError(404, `fleet ${params.id} not found`);
      const csv = formatModulesCsv(await loadFleetModules(database.db, fleet.id));
      const filename = fleet.name.replace(/[^A-Za-z0-9._-]+/g, '_');
      return new Response(csv, {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}-modules.csv"` },
      });
    },
  },
];

function routesPlugin(routes: HttpRoute[], database: Database, services: Partial<RelifeServices>): Plugin {
  const compiled = routes.map((r) => ({ route: r, match: compileRoute(r) }));
  return {
    async onRequest({ request, url, endResponse }) {
      for (const { route, match } of compiled) {
        const params = match(request.method, url.pathname);
        if (!params) continue;
        try {
          endResponse(await route.handle({ request, url, params, database, services }));
        } catch (error) {
          if (error instanceof HttpError) endResponse(textResponse(error.status, error.message));
          else {
            console.error(`[relife] ${request.method} ${url.pathname}:`, error);
            endResponse(textResponse(500, 'internal error'));
          }
        }
        return;
      }
    },
  };
}

export async function createRelifeServer(options: RelifeServerOptions): Promise<RelifeServer> {
  const { database } = options;
  const services: Partial<RelifeServices> = { ...options.services };
  const extensions = options.extensions ?? [];
  if (options.seedDemo) await seedDemoIfEmpty(database.db);
  const started: ServerExtension[] = [];
  try {
    for (const ext of extensions) {
      await ext.start?.({ database, services });
      started.push(ext);
    }
  } catch (error) {
    for (const ext of started.reverse()) await ext.stop?.();
    throw error;
  }
  const routes = [...CORE_ROUTES, ...extensions.flatMap((e) => e.routes ?? [])];

  const yoga = createYoga<Record<string, unknown>, RelifeContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql ?? true,
    renderGraphiQL: renderOfflineGraphiQL,
    // Yoga's own liveness probe moves aside: GET /health is ours and checks the database too.
    healthCheckEndpoint: '/live',
    maskedErrors: true,
    logging: process.env.RELIFE_LOG === 'debug' ? 'debug' : 'warn',
    context: ({ request }) => ({ database, db: database.db, services, request }),
    plugins: [routesPlugin(routes, database, services)],
  });

  let server: Server | undefined;
  let url: string | undefined;
  return {
    yoga,
    services,
    get url() {
      return url;
    },
    listen(port = 4000, host = '127.0.0.1') {
      return new Promise<string>((resolve, reject) => {
        const s = createServer(yoga);
        s.once('error', reject);
        s.listen(port, host, () => {
          const address = s.address() as AddressInfo;
          server = s;
          url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
          resolve(url);
        });
      });
    },
    async close() {
      if (server) {
        const s = server;
        server = undefined;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      for (const ext of [...started].reverse()) await ext.stop?.();
    },
  };
}

/** `npm start`: PGlite under RELIFE_DATA_DIR or PostgreSQL at DATABASE_URL, port PORT (4000). */
export async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0–65535, got "${process.env.PORT}"`);
  const host = process.env.HOST ?? '0.0.0.0';
  const database = await openDatabase();
  const server = await createRelifeServer({ database, extensions: SERVER_EXTENSIONS, seedDemo: process.env.RELIFE_SEED !== '0' });
  const base = await server.listen(port, host);
  const shown = base.replace('0.0.0.0', 'localhost');
  database.dataDirLock?.update({ url: shown });
  console.log(`relife: ${database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} ready; GraphiQL at ${shown}/graphql`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`relife: ${signal}, shutting down`);
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`relife: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
