/**
 * The Relife HTTP service: GraphQL (graphql-yoga + Pothos) at /graphql with GraphiQL, masked
 * errors, and plain routes (/health, /fleets/{id}/modules.csv, plus whatever extensions add).
 * Every request but /health and public (static) routes is authenticated (src/auth) and runs in a
 * transaction scoped to the caller's tenant; bodies, documents and request rates are bounded
 * (src/http/limits.ts).
 *
 *   const server = await createRelifeServer({ database });
 *   const url = await server.listen(0);   // http://127.0.0.1:PORT
 *   await server.close();                  // stops extensions, not the database
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { createAuthenticator, parseEnvTokens, type Authenticator, type EnvToken } from './auth/authenticate.js';
import { instrumentMutations, NO_DB, tenantExecutionPlugin } from './auth/graphql.js';
import { hasRole, requiredRouteRole, type ApiRole, type Principal } from './auth/roles.js';
import { openDatabase, type Database, type DbOrTx } from './db/client.js';
import { getFleet, getFleetByName } from './db/fleets.js';
import { loadFleetModules } from './db/modules.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { DEFAULT_TENANT_ID, withTenant } from './db/tenant-scope.js';
import { formatModulesCsv } from './formats/modules-csv.js';
import { BodyTooLargeError, RateLimiter, readBodyLimited, readLimits, type Limits } from './http/limits.js';
import { HttpError, textResponse } from './http/errors.js';
import { idOfType } from './ids.js';
import type { RelifeContext, RelifeServices } from './schema/builder.js';
import { schema } from './schema/index.js';
import { SERVER_EXTENSIONS } from './server-extensions.js';
import { renderOfflineGraphiQL } from './web/graphiql.js';

export interface HttpRouteContext {
  request: Request;
  url: URL;
  /** Path parameters (`:name` segments of the route's path), URL-decoded. */
  params: Record<string, string>;
  /** `database.db` is the request's transaction, scoped to the caller's tenant (public routes: unscoped). */
  database: Database;
  services: Partial<RelifeServices>;
  /** The caller (undefined on public routes). */
  principal?: Principal;
}

/** A plain HTTP route next to GraphQL, e.g. `{ method: 'GET', path: '/plans/:id.csv', handle }`. */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Literal segments and `:param` placeholders; a placeholder may carry a literal suffix (`:id.csv`). */
  path: string;
  handle(ctx: HttpRouteContext): Response | Promise<Response>;
  /** Served without a token and outside any tenant (health, static assets). Default false. */
  public?: boolean;
  /** Role the caller needs; default viewer for GET, planner otherwise. */
  role?: ApiRole;
  /**
   * The handler streams its response after returning, or computes for long: it gets no request
   * transaction and opens short ones with `withTenant(ctx.database.db, ctx.principal.tenantId, …)`.
   */
  selfScoped?: boolean;
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
  /** Request limits; default from the environment (readLimits). */
  limits?: Partial<Limits>;
  /** Deployment tokens; default RELIFE_API_TOKENS. */
  apiTokens?: EnvToken[];
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
  readonly limits: Limits;
  readonly authenticator: Authenticator;
}

export { HttpError, textResponse } from './http/errors.js';

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

export function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
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
    public: true,
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

/** The caller of each request being served, set before GraphQL or a route sees it. */
const principals = new WeakMap<Request, Principal>();

/** GraphiQL's page (HTML) is a static asset; the queries it sends need a token like any other. */
function isGraphiqlPage(request: Request, url: URL): boolean {
  return request.method === 'GET' && url.pathname === '/graphql' && (request.headers.get('accept') ?? '').includes('text/html') && !url.searchParams.has('query');
}

function remoteAddress(serverContext: unknown): string | undefined {
  return (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
}

interface AccessPolicy {
  authenticator: Authenticator;
  limiter: RateLimiter;
  limits: Limits;
}

function routesPlugin(routes: HttpRoute[], database: Database, services: Partial<RelifeServices>, access: AccessPolicy): Plugin {
  const compiled = routes.map((r) => ({ route: r, match: compileRoute(r) }));
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      let found: { route: HttpRoute; params: Record<string, string> } | undefined;
      for (const { route, match } of compiled) {
        const params = match(request.method, url.pathname);
        if (params) {
          found = { route, params };
          break;
        }
      }
      const isPublic = found?.route.public === true || request.method === 'OPTIONS' || url.pathname === '/live' || isGraphiqlPage(request, url);
      let principal: Principal | undefined;
      if (!isPublic) {
        let outcome;
        try {
          outcome = await access.authenticator.authenticate(request, remoteAddress(serverContext));
        } catch (error) {
          // The token store (the database) failed: answer as masked GraphQL errors are answered.
          console.error(`[relife] authentication: ${error instanceof Error ? error.message : String(error)}`);
          endResponse(Response.json({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, { status: 500 }));
          return;
        }
        if (!outcome.ok) {
          endResponse(jsonError(outcome.status, outcome.message, { 'www-authenticate': 'Bearer realm="relife"' }));
          return;
        }
        principal = outcome.principal;
        const wait = access.limiter.take(principal.rateKey);
        if (wait > 0) {
          endResponse(
            jsonError(429, `rate limit: at most ${access.limits.ratePerMinute} requests per minute per token (bursts of ${access.limits.rateBurst}); retry in ${wait} s`, {
              'retry-after': String(wait),
            }),
          );
          return;
        }
        principals.set(request, principal);
      }
      if (!found) return;
      const { route, params } = found;
      try {
        if (!principal) {
          endResponse(await route.handle({ request, url, params, database, services }));
          return;
        }
        const needed = requiredRouteRole(request.method, route.role);
        if (!hasRole(principal, needed)) {
          endResponse(jsonError(403, `${request.method} ${route.path} needs the ${needed} role; this token has the ${principal.role} role`));
          return;
        }
        const caller = principal;
        const response = route.selfScoped
          ? await route.handle({ request, url, params, database, services, principal: caller })
          : await withTenant(database.db, caller.tenantId, (tx: DbOrTx) =>
              Promise.resolve(route.handle({ request, url, params, database: { ...database, db: tx as Database['db'] }, services, principal: caller })),
            );
        endResponse(response);
      } catch (error) {
          if (error instanceof HttpError) endResponse(textResponse(error.status, error.message));
          else {
            console.error(`[relife] ${request.method} ${url.pathname}:`, error);
            endResponse(textResponse(500, 'internal error'));
          }
      }
    },
  };
}

/**
 * JSON bodies are read here rather than by yoga's default parser: with a size limit that stops
 * reading once passed, and errors that never quote the body back.
 */
function jsonBodyPlugin(limits: Limits): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json' && type !== 'application/graphql+json' && type !== '') return;
      setRequestParser(async (req) => {
        let text: string;
        try {
          text = await readBodyLimited(req, limits.maxBodyBytes);
        } catch (error) {
          if (error instanceof BodyTooLargeError) return tooLarge(limits.maxBodyBytes);
          throw error;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return jsonGraphqlError(400, 'the request body is not valid JSON');
        }
        if (!parsed || typeof parsed !== 'object') return jsonGraphqlError(400, 'the request body must be a JSON object with "query"');
        return parsed as never;
      });
    },
  };
}

function jsonGraphqlError(status: number, message: string): Response {
  return Response.json({ errors: [{ message }] }, { status });
}

function tooLarge(limit: number): Response {
  return jsonError(
    413,
    `request body larger than ${limit} bytes; send files by multipart upload or import large CSVs with "relife import" (RELIFE_MAX_BODY_BYTES sets the limit)`,
    { connection: 'close' },
  );
}

export async function createRelifeServer(options: RelifeServerOptions): Promise<RelifeServer> {
  const { database } = options;
  const services: Partial<RelifeServices> = { ...options.services };
  const extensions = options.extensions ?? [];
  const limits: Limits = { ...readLimits(), ...options.limits };
  const authenticator = await createAuthenticator(database, options.apiTokens ?? parseEnvTokens(process.env.RELIFE_API_TOKENS));
  const access: AccessPolicy = { authenticator, limiter: new RateLimiter(limits.ratePerMinute, limits.rateBurst), limits };
  if (options.seedDemo) await withTenant(database.db, DEFAULT_TENANT_ID, (tx) => seedDemoIfEmpty(tx));
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

  instrumentMutations(schema);
  const yoga = createYoga<Record<string, unknown>, RelifeContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql ?? true,
    renderGraphiQL: renderOfflineGraphiQL,
    // Yoga's own liveness probe moves aside: GET /health is ours and checks the database too.
    healthCheckEndpoint: '/live',
    // Never a stack trace, also under NODE_ENV=development.
    maskedErrors: { isDev: false },
    cors: limits.corsOrigins.length > 0 ? { origin: limits.corsOrigins, credentials: false, allowedHeaders: ['authorization', 'content-type'], methods: ['GET', 'POST'] } : false,
    logging: process.env.RELIFE_LOG === 'debug' ? 'debug' : 'warn',
    context: ({ request }) => ({
      database,
      db: NO_DB,
      services,
      request,
      principal: principals.get(request),
      withDb: () => Promise.reject(new Error('internal: no tenant scope outside an operation')),
      afterCommit: () => {},
    }),
    plugins: [
      routesPlugin(routes, database, services, access),
      jsonBodyPlugin(limits),
      EnvelopArmorPlugin({
        maxDepth: { n: limits.graphqlMaxDepth, ignoreIntrospection: true, flattenFragments: true },
        maxAliases: { n: limits.graphqlMaxAliases },
        costLimit: { maxCost: limits.graphqlMaxCost, ignoreIntrospection: true },
        maxTokens: { n: limits.graphqlMaxTokens },
        maxDirectives: { n: limits.graphqlMaxDirectives },
        blockFieldSuggestion: { enabled: true },
      }),
      tenantExecutionPlugin(database),
    ],
  });

  let server: Server | undefined;
  let url: string | undefined;
  // Bodies that announce their size are refused before yoga reads a byte of them.
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const multipart = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
    const limit = multipart ? limits.maxUploadBytes : limits.maxBodyBytes;
    if (declared > limit) {
      const body = JSON.stringify({
        error: multipart
          ? `upload larger than ${limit} bytes (RELIFE_MAX_UPLOAD_BYTES); import large CSVs with "relife import"`
          : `request body larger than ${limit} bytes; send files by multipart upload or import large CSVs with "relife import" (RELIFE_MAX_BODY_BYTES sets the limit)`,
      });
      res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      // Discard what the client is still sending so that it reads the answer, for a while.
      req.resume();
      setTimeout(() => req.destroy(), 5_000).unref();
      return;
    }
    void yoga(req, res);
  };

  return {
    yoga,
    services,
    limits,
    authenticator,
    get url() {
      return url;
    },
    listen(port = 4000, host = '127.0.0.1') {
      return new Promise<string>((resolve, reject) => {
        const s = createServer(handler);
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
  // This machine only unless told otherwise: protected mode trusts loopback callers.
  const host = process.env.HOST ?? '127.0.0.1';
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
